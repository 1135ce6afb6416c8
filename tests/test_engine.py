"""The training engine: fast path against Keras fit, fallbacks, memory, traced predict."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from tensorflow.python.framework import ops

from skdeep import DeepRegressor, WideDeepRegressor
from skdeep import engine
from skdeep.builders import build_mlp


def test_fast_path_matches_keras_fit(california):
    X, y, X_test, _ = california
    params = dict(hidden_layer_sizes=(16,), epochs=3, shuffle=False, random_state=0)
    fast = DeepRegressor(**params).fit(X, y)
    # A routed fit__ argument sends the same training through keras Model.fit.
    keras_fit = DeepRegressor(fit__validation_freq=1, **params).fit(X, y)
    np.testing.assert_allclose(fast.history_["loss"], keras_fit.history_["loss"], rtol=1e-4)
    np.testing.assert_allclose(fast.predict(X_test), keras_fit.predict(X_test), rtol=1e-4,
                               atol=1e-5)


def test_multi_input_multi_output_with_weights_on_the_fast_path(california):
    X, y, _, _ = california
    weights = np.linspace(0.5, 2, len(y))
    reg = WideDeepRegressor(aux_loss_weight=0.3, hidden_layer_sizes=(8,), epochs=2,
                            random_state=0)
    reg.fit(X, np.c_[y, y], sample_weight=weights, validation_data=(X[:100], np.c_[y, y][:100]))
    assert {"main_loss", "aux_loss", "val_main_loss", "val_aux_loss"} <= set(reg.history_)


def test_datasets_go_through_keras_fit(california):
    X, y, _, _ = california
    model = build_mlp(8, 1, hidden_layer_sizes=(8,))
    model.compile(optimizer="adam", loss="mse")
    dataset = tf.data.Dataset.from_tensor_slices((X.astype("float32"), y)).batch(64)
    history = engine.train(model, dataset, None, epochs=2, batch_size=None, shuffle=False)
    assert len(history["loss"]) == 2


def test_no_gradient_registry_growth_across_fits(california):
    # Keras's all-reduce registers a gradient function per traced update step and TensorFlow
    # never removes it (tensorflow#97697): ~3 MiB leaked per fit unless the engine avoids it.
    X, y, _, _ = california
    DeepRegressor(hidden_layer_sizes=(4,), epochs=1).fit(X, y)
    before = len(ops._gradient_registry.list())
    for _ in range(3):
        DeepRegressor(hidden_layer_sizes=(4,), epochs=1).fit(X, y)
    assert len(ops._gradient_registry.list()) == before


def test_predict_traces_once_for_any_number_of_rows(california):
    X, y, _, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(4,), epochs=1).fit(X, y)
    assert reg._predictor._forward is None  # traced at the first predict, not in fit
    reg.predict(X[:3])
    forward = reg._predictor._forward
    for rows in (1, 7, 64, 65, 1500):
        assert reg.predict(X[:rows]).shape == (rows,)
    assert reg._predictor._forward is forward  # one concrete function serves every size
    big = np.resize(X, (20_000, 8))
    np.testing.assert_array_equal(reg.predict(big), np.resize(reg.predict(X), 20_000))


def test_optimizer_instance_is_left_untouched(california):
    X, y, _, _ = california
    optimizer = keras.optimizers.SGD(learning_rate=0.01, momentum=0.5)
    reg = DeepRegressor(hidden_layer_sizes=(4,), optimizer=optimizer, epochs=1).fit(X, y)
    assert reg.model_.optimizer is not optimizer
    assert int(optimizer.iterations) == 0 and reg.model_.optimizer.momentum == 0.5
    assert not hasattr(reg.model_.optimizer, "__dict__") or (
        "_all_reduce_sum_gradients" not in vars(reg.model_.optimizer))


def two_in_two_out(meta):
    image = keras.Input((4, 2), name="image")
    extra = keras.Input((3,), name="extra")
    joined = keras.layers.Concatenate()([keras.layers.Flatten()(image), extra])
    hidden = keras.layers.Dense(8, activation="relu")(joined)
    return keras.Model([image, extra], [keras.layers.Dense(1, name="a")(hidden),
                                        keras.layers.Dense(1, name="b")(hidden)])


@pytest.mark.slow
def test_n_d_several_inputs_and_outputs_take_the_fast_path(california):
    X, y, _, _ = california
    inputs = {"image": X[:, :8].reshape(-1, 4, 2), "extra": X[:, :3] ** 2}
    Y = np.c_[y, X[:, 5]]
    params = dict(model=two_in_two_out, epochs=3, shuffle=False, random_state=0)
    fast = DeepRegressor(**params).fit(inputs, Y)
    example = fast.input_layout_.feed(fast.input_layout_.example())
    assert engine.compiled_epochs_serve(fast.model_, (example, Y[:1]), epochs=3, batch_size=32)
    keras_fit = DeepRegressor(fit__validation_freq=1, **params).fit(inputs, Y)
    np.testing.assert_allclose(fast.history_["loss"], keras_fit.history_["loss"], rtol=1e-4)
    np.testing.assert_allclose(fast.predict(inputs), keras_fit.predict(inputs), rtol=1e-4,
                               atol=1e-5)
