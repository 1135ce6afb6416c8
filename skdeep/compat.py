"""Private Keras names skdeep relies on, each in one place with a fallback when it moves.

New code that needs a private Keras, TensorFlow or scikit-learn name imports it from here.
"""

import keras

try:  # Keras 3's wrapper of a loss function with its arguments (Huber, MeanSquaredError, ...)
    from keras.src.losses.losses import LossFunctionWrapper
except ImportError:  # pragma: no cover - moved in a future Keras
    class LossFunctionWrapper(keras.losses.Loss):
        """A loss function with fixed keyword arguments, as Keras's own wrapper."""

        def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None,
                     **kwargs):
            super().__init__(name=name, reduction=reduction, dtype=dtype)
            self.fn, self._fn_kwargs = fn, kwargs

        def call(self, y_true, y_pred):
            return self.fn(y_true, y_pred, **self._fn_kwargs)
