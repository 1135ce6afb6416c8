"""The engine's contract on each of its paths: compiled epochs, and Keras's ``fit`` (taken
for a per-batch callback or a routed ``fit__*`` argument), on Keras's backend."""

import random

import keras
import numpy as np
import pytest

from skdeep import DeepRegressor, runtime

# The ways a fit leaves the compiled epochs for Keras's fit.
KERAS_FIT = {
    "batch callback": dict(callbacks=[keras.callbacks.TerminateOnNaN()]),
    "fit__ argument": dict(fit__validation_freq=1),
}


@pytest.fixture
def compiled_epochs_for_short_fits(monkeypatch):
    """Under JAX, compiled epochs serve long fits only: here every fit that they can serve."""
    if runtime.backend() == "jax":
        from skdeep.engine import jax as jax_engine

        monkeypatch.setattr(jax_engine, "MIN_STEPS", 0)


@pytest.mark.parametrize("path", ["compiled", *KERAS_FIT])
def test_seeded_fits_are_reproducible_on_every_path(california, path):
    X, y, X_test, _ = california
    params = dict(hidden_layer_sizes=(8,), epochs=3, random_state=0,
                  **KERAS_FIT.get(path, {}))
    first = DeepRegressor(**params).fit(X, y).predict(X_test)
    np.testing.assert_array_equal(DeepRegressor(**params).fit(X, y).predict(X_test), first)


@pytest.mark.parametrize("path", KERAS_FIT)
def test_keras_fit_trains_on_the_batches_of_the_compiled_epochs(
        california, path, compiled_epochs_for_short_fits):
    # Shuffled: in other batches the losses would differ in their second digit.
    X, y, X_test, _ = california
    params = dict(hidden_layer_sizes=(16,), epochs=3, random_state=0)
    compiled = DeepRegressor(**params).fit(X, y)
    keras_fit = DeepRegressor(**params, **KERAS_FIT[path]).fit(X, y)
    np.testing.assert_allclose(keras_fit.history_["loss"], compiled.history_["loss"],
                               rtol=1e-5)
    np.testing.assert_allclose(keras_fit.predict(X_test), compiled.predict(X_test),
                               rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("path", ["compiled", *KERAS_FIT])
def test_unseeded_fits_differ_on_every_path(california, path):
    X, y, X_test, _ = california
    params = dict(hidden_layer_sizes=(8,), epochs=1, **KERAS_FIT.get(path, {}))
    first = DeepRegressor(**params).fit(X, y).predict(X_test)
    assert not np.array_equal(DeepRegressor(**params).fit(X, y).predict(X_test), first)


@pytest.mark.parametrize("path", ["compiled", *KERAS_FIT])
def test_a_seeded_fit_leaves_the_global_random_streams_alone(california, path):
    X, y, _, _ = california
    tensorflow_next = _tensorflow_streams()
    python, numpy = random.getstate(), np.random.get_state()[1].copy()
    DeepRegressor(hidden_layer_sizes=(8,), epochs=2, random_state=0,
                  **KERAS_FIT.get(path, {})).fit(X, y)
    assert random.getstate() == python
    np.testing.assert_array_equal(np.random.get_state()[1], numpy)
    if tensorflow_next is not None:
        import tensorflow as tf

        np.testing.assert_array_equal(tf.random.uniform([3]).numpy(), tensorflow_next)
        tf.random.set_seed(None)


def _tensorflow_streams():
    """Under TensorFlow, its global seed set, and the numbers it would draw next."""
    if runtime.backend() != "tensorflow":
        return None
    import tensorflow as tf

    tf.random.set_seed(7)
    following = tf.random.uniform([3]).numpy()
    tf.random.set_seed(7)  # its stream of op seeds starts again
    return following


@pytest.mark.parametrize("path", ["compiled", *KERAS_FIT])
def test_weights_that_are_all_equal_train_as_none(california, path):
    X, y, X_test, _ = california
    params = dict(hidden_layer_sizes=(8,), epochs=2, random_state=0,
                  **KERAS_FIT.get(path, {}))
    unweighted = DeepRegressor(**params).fit(X, y).predict(X_test)
    weighted = DeepRegressor(**params).fit(X, y, sample_weight=np.full(len(y), 3.0))
    np.testing.assert_array_equal(weighted.predict(X_test), unweighted)
