"""Keras objects a user brings: prebuilt models, keras.wrappers builders, own classes, losses."""

import copy

import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import cross_val_score
from sklearn.utils.estimator_checks import check_no_attributes_set_in_init

import skdeep
from skdeep import DeepClassifier, DeepRegressor


class Doubling(keras.layers.Layer):
    def call(self, x):
        return x * 2.0


class MyModel(keras.Model):
    pass


def custom_builder(meta):
    inputs = keras.Input((meta["n_features_in_"],))
    hidden = keras.layers.Dense(16, activation="relu")(Doubling()(inputs))
    return MyModel(inputs, keras.layers.Dense(1)(hidden))


def scaled_mae(y_true, y_pred, scale=1.0):
    return scale * keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)


def test_a_prebuilt_model_is_cloned_for_every_fit(california):
    X, y, X_test, y_test = california
    prebuilt = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                                 keras.layers.Dense(1)])
    prebuilt.compile(optimizer=keras.optimizers.Adam(0.01), loss="mae")
    before = [w.copy() for w in prebuilt.get_weights()]
    reg = DeepRegressor(model=prebuilt, epochs=15, random_state=0).fit(X, y)
    assert reg.model_ is not prebuilt and reg.model_.loss == "mae"  # compiled as it was
    assert float(reg.model_.optimizer.learning_rate) == pytest.approx(0.01)
    for old, new in zip(before, prebuilt.get_weights()):
        np.testing.assert_array_equal(old, new)  # the user's object is never trained
    assert reg.score(X_test, y_test) > 0.6
    again = DeepRegressor(model=prebuilt, epochs=15, random_state=0).fit(X, y)
    np.testing.assert_array_equal(again.predict(X_test), reg.predict(X_test))
    assert clone(reg).model is prebuilt
    assert cross_val_score(DeepRegressor(model=prebuilt, epochs=3), X, y, cv=3).shape == (3,)


def test_an_uncompiled_prebuilt_model_is_compiled_with_the_parameters(california):
    X, y, _, _ = california
    prebuilt = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
    reg = DeepRegressor(model=prebuilt, loss="huber", epochs=2).fit(X, y)
    assert reg.model_.loss == "huber"


def dynamic_model(X, y, loss, layers=[10]):
    """keras.wrappers.SKLearnClassifier's documented builder, unchanged."""
    n_features_in = X.shape[1]
    inp = keras.layers.Input(shape=(n_features_in,))
    hidden = inp
    for layer_size in layers:
        hidden = keras.layers.Dense(layer_size, activation="relu")(hidden)
    n_outputs = y.shape[1] if len(y.shape) > 1 else 1
    out = keras.layers.Dense(n_outputs, activation="softmax")(hidden)
    model = keras.Model(inp, out)
    model.compile(loss=loss, optimizer="rmsprop")
    return model


def test_keras_wrapper_builders_get_X_and_one_hot_y(adult):
    X, y, X_test, y_test = adult
    clf = DeepClassifier(model=dynamic_model, loss="categorical_crossentropy",
                         layers=[20, 20, 20], epochs=5, random_state=0).fit(X, y)
    assert clf.model_.output_shape == (None, 2)
    assert clf.score(X_test, y_test) > 0.78


def test_loss_arguments_reach_a_plain_function_or_are_refused(california, tmp_path):
    X, y, X_test, _ = california
    reg = DeepRegressor(loss=scaled_mae, loss__scale=3.0, hidden_layer_sizes=(8,), epochs=2,
                        random_state=0).fit(X, y)
    assert reg.model_.loss._fn_kwargs == {"scale": 3.0}
    reg.save(tmp_path / "reg.skdeep")
    np.testing.assert_array_equal(skdeep.load(tmp_path / "reg.skdeep").predict(X_test),
                                  reg.predict(X_test))
    with pytest.raises(ValueError, match="loss__from_logits: the loss function scaled_mae has "
                                         r"no argument 'from_logits'; its arguments are \['scale'\]"):
        DeepRegressor(loss=scaled_mae, loss__from_logits=True, epochs=1).fit(X, y)


def test_builder_arguments_are_not_attributes_set_in_init():
    estimator = DeepRegressor(model=custom_builder, units=8, model__depth=2)
    check_no_attributes_set_in_init("DeepRegressor", estimator)
    assert estimator.units == 8 and clone(estimator).get_params()["model__depth"] == 2
    estimator.set_params(units=16)
    assert estimator.get_params()["units"] == 16


def test_loss_arguments_per_output_and_shallow_copies(california):
    X, y, _, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(4,), loss="mse", loss__delta=2.0, epochs=1)
    with pytest.raises(ValueError, match=r"loss__delta: the loss MeanSquaredError does not take "
                                         r"it; its arguments are \["):
        reg.fit(X, y)
    original = DeepRegressor(model=custom_builder, units=3)
    copy.copy(original).set_params(units=7)
    assert original.units == 3
