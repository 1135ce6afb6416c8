"""The engine's contract on each of its paths: compiled epochs, and Keras's ``fit`` (taken
for a per-batch callback or a routed ``fit__*`` argument), on Keras's backend."""

import random

import keras
import numpy as np
import pytest

from skdeep import DeepRegressor

# The ways a fit leaves the compiled epochs for Keras's fit.
KERAS_FIT = {
    "batch callback": dict(callbacks=[keras.callbacks.TerminateOnNaN()]),
    "fit__ argument": dict(fit__validation_freq=1),
}


@pytest.mark.parametrize("path", ["compiled", *KERAS_FIT])
def test_seeded_fits_are_reproducible_on_every_path(california, path):
    X, y, X_test, _ = california
    params = dict(hidden_layer_sizes=(8,), epochs=3, random_state=0,
                  **KERAS_FIT.get(path, {}))
    first = DeepRegressor(**params).fit(X, y).predict(X_test)
    np.testing.assert_array_equal(DeepRegressor(**params).fit(X, y).predict(X_test), first)
