"""Keras objects (skdeep/keras_objects.py): those a user brings (prebuilt models, keras.wrappers
builders, own classes, losses) and those made from routed parameters (``optimizer__*``,
``loss__*``, ``callbacks__*``)."""

import copy

import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import cross_val_score
from sklearn.utils.estimator_checks import check_no_attributes_set_in_init

import skdeep
from skdeep import DeepClassifier, DeepRegressor
from user_builders import Recorder, small


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


@pytest.mark.parametrize("momentum", [0.5, np.float64(0.75)])
def test_optimizer_routing_momentum(tiny, momentum):
    X, y = tiny
    reg = DeepRegressor(hidden_layer_sizes=(4,), optimizer="sgd", learning_rate=0.01,
                        optimizer__momentum=momentum, optimizer__nesterov=True,
                        **small()).fit(X, y)
    assert isinstance(reg.model_.optimizer, keras.optimizers.SGD)
    assert reg.model_.optimizer.momentum == pytest.approx(float(momentum))
    assert reg.model_.optimizer.nesterov is True
    assert float(reg.model_.optimizer.learning_rate) == pytest.approx(0.01)


def test_optimizer_routing_with_uncompiled_builder(tiny):
    X, y = tiny
    reg = DeepRegressor(model=Recorder(), optimizer="sgd", optimizer__momentum=0.9,
                        **small()).fit(X, y)
    assert reg.model_.optimizer.momentum == pytest.approx(0.9)


def _huber_value(loss, error):
    y_true = np.zeros((1, 1), dtype="float32")
    y_pred = np.full((1, 1), error, dtype="float32")
    return float(loss(y_true, y_pred))


def test_loss_routing_huber_delta(tiny):
    X, y = tiny
    reg = DeepRegressor(hidden_layer_sizes=(4,), loss="huber", loss__delta=0.5,
                        **small()).fit(X, y)
    loss = reg.model_.loss
    assert isinstance(loss, keras.losses.Huber)
    assert loss.get_config()["name"] == "huber_loss"
    # Keras's Huber.get_config omits delta: check it through the loss's values instead.
    # With |error| = 1: delta=0.5 gives 0.5*1 - 0.5*0.25 = 0.375; delta=1 would give 0.5.
    assert _huber_value(loss, 1.0) == pytest.approx(0.375)
    assert _huber_value(loss, 0.2) == pytest.approx(0.02)  # quadratic zone: 0.5 * 0.2**2


def test_loss_object_keeps_its_configuration(tiny):
    # A loss instance must reach the model as configured (each fit gets a copy).
    X, y = tiny
    reg = DeepRegressor(hidden_layer_sizes=(4,), loss=keras.losses.Huber(delta=0.3),
                        **small()).fit(X, y)
    # delta=0.3, |error| = 1: 0.3*1 - 0.5*0.09 = 0.255 (delta=1 would give 0.5).
    assert _huber_value(reg.model_.loss, 1.0) == pytest.approx(0.255)


@pytest.mark.parametrize("patience", [1, 3])
def test_callbacks_class_with_routed_arguments(tiny, patience):
    X, y = tiny
    # min_delta so large that no epoch after the first counts as an improvement: training
    # stops after exactly ``patience`` epochs without improvement.
    reg = DeepRegressor(hidden_layer_sizes=(4,), callbacks=[keras.callbacks.EarlyStopping],
                        callbacks__monitor="loss", callbacks__patience=patience,
                        callbacks__min_delta=1e9, **small(epochs=10)).fit(X, y)
    assert reg.n_iter_ == patience + 1
    assert reg.callbacks == [keras.callbacks.EarlyStopping]  # the parameter is untouched


def test_callbacks_dict_with_per_callback_routing(tiny):
    X, y = tiny
    reg = DeepRegressor(
        hidden_layer_sizes=(4,),
        callbacks={"stop": keras.callbacks.EarlyStopping},
        callbacks__stop__monitor="loss", callbacks__stop__patience=2,
        callbacks__stop__min_delta=1e9, **small(epochs=10),
    ).fit(X, y)
    assert reg.n_iter_ == 3
