"""DeepRegressor on real data: accuracy, shapes, losses, reproducibility."""

import random

import numpy as np
import pytest
from sklearn.base import clone, is_regressor
from sklearn.linear_model import LinearRegression

from skdeep import DeepRegressor


def test_beats_a_linear_model_on_california(california):
    X, y, X_test, y_test = california
    linear = LinearRegression().fit(X, y).score(X_test, y_test)
    reg = DeepRegressor(hidden_layer_sizes=(64, 64), epochs=60, random_state=0).fit(X, y)
    assert is_regressor(reg)
    assert reg.score(X_test, y_test) > linear + 0.05
    assert reg.n_iter_ == 60 and len(reg.history_["loss"]) == 60
    # Training went somewhere: the loss fell substantially.
    assert reg.history_["loss"][-1] < 0.5 * reg.history_["loss"][0]


@pytest.mark.parametrize("loss", ["mse", "mae", "huber"])
def test_losses(california, loss):
    X, y, X_test, y_test = california
    reg = DeepRegressor(hidden_layer_sizes=(32,), loss=loss, epochs=15, random_state=0)
    reg.fit(X, y)
    assert reg.model_.loss == loss
    assert reg.score(X_test, y_test) > 0.5


def test_predictions_are_float64_and_shaped_like_y(california):
    X, y, X_test, _ = california
    one = DeepRegressor(hidden_layer_sizes=(8,), epochs=2, random_state=0)
    assert one.fit(X, y).predict(X_test).shape == (len(X_test),)
    column = clone(one).fit(X, y[:, None]).predict(X_test)
    assert column.shape == (len(X_test), 1) and column.dtype == np.float64
    two = clone(one).fit(X, np.c_[y, -y]).predict(X_test)
    assert two.shape == (len(X_test), 2) and one.n_outputs_ == 1


def test_multi_output_learns_each_target(california):
    X, y, X_test, y_test = california
    Y = np.c_[y, X[:, 0] * 2]
    reg = DeepRegressor(hidden_layer_sizes=(64,), epochs=40, random_state=0).fit(X, Y)
    pred = reg.predict(X_test)
    assert np.corrcoef(pred[:, 0], y_test)[0, 1] > 0.75
    assert np.corrcoef(pred[:, 1], X_test[:, 0] * 2)[0, 1] > 0.95


def test_same_seed_same_predictions_and_no_global_side_effect(california):
    X, y, X_test, _ = california
    params = dict(hidden_layer_sizes=(16,), dropout=0.2, epochs=3, random_state=7)
    random.seed(123)
    np.random.seed(123)
    expected_python, expected_numpy = random.random(), np.random.rand()
    random.seed(123)
    np.random.seed(123)
    first = DeepRegressor(**params).fit(X, y).predict(X_test)
    # The caller's random streams went on as if no fit had happened.
    assert random.random() == expected_python and np.random.rand() == expected_numpy
    second = DeepRegressor(**params).fit(X, y).predict(X_test)
    np.testing.assert_array_equal(first, second)
    # An unseeded fit with dropout still works after a seeded one, and differs.
    unseeded = DeepRegressor(**{**params, "random_state": None}).fit(X, y).predict(X_test)
    assert not np.array_equal(first, unseeded)


def test_predict_on_a_subset_equals_predict_on_the_whole(california):
    X, y, X_test, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(32, 32), epochs=2, random_state=0).fit(X, y)
    whole = reg.predict(X_test)
    one_by_one = np.array([reg.predict(row[None])[0] for row in X_test[:50]])
    np.testing.assert_array_equal(whole[:50], one_by_one)
    np.testing.assert_array_equal(whole[100:173], reg.predict(X_test[100:173]))


def test_warm_start_continues_training(california):
    X, y, X_test, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(16,), epochs=3, warm_start=True, random_state=0)
    reg.fit(X, y)
    model, first_loss = reg.model_, reg.history_["loss"][-1]
    reg.fit(X, y)
    assert reg.model_ is model
    assert reg.n_iter_ == 6  # the history goes on
    assert reg.history_["loss"][3] < first_loss * 1.05
    cold = DeepRegressor(hidden_layer_sizes=(16,), epochs=3, random_state=0).fit(X, y)
    cold.fit(X, y)
    assert cold.model_ is not model
