"""Efficient ensembles (``ensemble_size``): k members in one network, with real fits."""

import pickle

import keras
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

import skdeep
from skdeep.ensembles import EnsembleNetwork


def test_members_differ_and_predictions_are_their_mean(adult):
    X_train, y_train, X_test, y_test = adult
    clf = skdeep.DeepClassifier(ensemble_size=4, hidden_layer_sizes=(32,), epochs=5,
                                random_state=0).fit(X_train, y_train)
    assert isinstance(clf.model_, EnsembleNetwork)
    members = keras.ops.convert_to_numpy(clf.model_(X_test.astype("float32"), training=True))
    assert members.shape == (len(X_test), 4, 1)
    # Random-sign adapters and own heads: the members are different models.
    assert np.std(members, axis=1).mean() > 1e-3
    np.testing.assert_allclose(clf.predict_proba(X_test)[:, 1], members.mean(axis=1)[:, 0],
                               rtol=1e-5, atol=1e-6)
    assert clf.score(X_test, y_test) > 0.8


def test_training_minimises_the_mean_of_the_members_losses(california):
    X_train, y_train, _, _ = california
    reg = skdeep.DeepRegressor(ensemble_size=3, hidden_layer_sizes=(16,), epochs=2,
                               random_state=0).fit(X_train, y_train)
    x, y = X_train[:64].astype("float32"), y_train[:64].astype("float32")
    weights = np.linspace(0.5, 2.0, 64).astype("float32")
    members = reg.model_(x, training=True)
    each = [keras.losses.MeanSquaredError()(y[:, None], members[:, i], sample_weight=weights)
            for i in range(3)]
    total = reg.model_.compute_loss(x, y, members, sample_weight=weights, training=True)
    np.testing.assert_allclose(float(total), np.mean([float(v) for v in each]), rtol=1e-5)
    # Validation and metrics judge the ensemble: the loss of the members' mean.
    mean = reg.model_(x)
    np.testing.assert_allclose(float(reg.model_.compute_loss(x, y, mean, training=False)),
                               float(keras.losses.MeanSquaredError()(y[:, None], mean)),
                               rtol=1e-5)


@pytest.mark.slow
def test_an_ensemble_beats_its_average_member(california):
    X_train, y_train, X_test, y_test = california
    reg = skdeep.DeepRegressor(ensemble_size=8, hidden_layer_sizes=(64, 64), epochs=60,
                               random_state=0).fit(X_train, y_train)
    members = keras.ops.convert_to_numpy(reg.model_(X_test.astype("float32"), training=True))
    member_rmse = np.sqrt(((members[:, :, 0] - y_test[:, None]) ** 2).mean(axis=0))
    ensemble_rmse = np.sqrt(((reg.predict(X_test) - y_test) ** 2).mean())
    assert ensemble_rmse < member_rmse.mean()


@pytest.mark.parametrize("embedding", [None, "piecewise_linear", "periodic"])
@pytest.mark.slow
def test_ensembles_save_reload_and_pickle_bit_for_bit(california, embedding, tmp_path):
    X_train, y_train, X_test, _ = california
    reg = skdeep.DeepRegressor(ensemble_size=4, numeric_embedding=embedding,
                               hidden_layer_sizes=(16,), epochs=3, random_state=0)
    reg.fit(X_train, y_train)
    reg.save(tmp_path / "reg.skdeep")
    np.testing.assert_array_equal(skdeep.load(tmp_path / "reg.skdeep").predict(X_test),
                                  reg.predict(X_test))
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(reg)).predict(X_test),
                                  reg.predict(X_test))


@pytest.mark.slow
def test_wide_deep_members_share_the_wide_part(tmp_path):
    X, y = skdeep.datasets.load_adult(return_X_y=True, as_frame=True)
    X, y = X.iloc[:3000], y.iloc[:3000]
    clf = skdeep.WideDeepClassifier(ensemble_size=4, aux_loss_weight=0.2, epochs=3,
                                    numeric_embedding="piecewise_linear", random_state=0)
    clf.fit(X.iloc[:2500], y.iloc[:2500])
    assert clf.model_.output_names == ["main", "aux"]
    assert clf.score(X.iloc[2500:], y.iloc[2500:]) > 0.78
    # One wide weight per feature, shared by the members.
    assert all(isinstance(w, float) for w in clf.wide_coef_.values())
    clf.save(tmp_path / "clf.skdeep")
    np.testing.assert_array_equal(
        skdeep.load(tmp_path / "clf.skdeep").predict_proba(X.iloc[2500:]),
        clf.predict_proba(X.iloc[2500:]))


def test_ensemble_size_is_validated_and_cloned(california):
    X_train, y_train, _, _ = california
    with pytest.raises(ValueError, match="'ensemble_size' parameter of DeepRegressor"):
        skdeep.DeepRegressor(ensemble_size=0).fit(X_train, y_train)
    assert clone(skdeep.DeepRegressor(ensemble_size=5)).ensemble_size == 5
    # A linear model alone has nothing to ensemble: one member.
    wide_only = skdeep.WideDeepRegressor(hidden_layer_sizes=(), ensemble_size=2, epochs=1)
    wide_only.fit(pd.DataFrame({"a": X_train[:, 0]}), y_train)
    assert not isinstance(wide_only.model_, EnsembleNetwork)
