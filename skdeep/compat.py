"""Private Keras, TensorFlow and scikit-learn names skdeep relies on, each in one place with
a fallback when it moves.

New code that needs a private Keras, TensorFlow or scikit-learn name imports it from here.
"""

import collections
import contextlib

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


try:  # Keras 3's TensorFlow optimizer: the base whose update path the engine replaces
    from keras.src.backend.tensorflow.optimizer import TFOptimizer
except ImportError:  # pragma: no cover - moved: the engine then leaves every optimizer alone
    TFOptimizer = None


def call_flat(concrete_function, tensors):
    """Call a traced function on flat tensors, skipping the Python binding of each argument
    to its signature (0.07 ms of a 0.2 ms one-row predict); the public call otherwise."""
    call = getattr(concrete_function, "_call_flat", None)
    if call is None:  # pragma: no cover - renamed in a future TensorFlow
        return concrete_function(*tensors)
    return call(tensors, concrete_function.captured_inputs)


@contextlib.contextmanager
def fresh_keras_names():
    """Keras's automatic names ("dense", "dense_1", "adam") count from zero inside, as in a
    fresh session, and go on from where they were after.

    A fit's model then gets the same layer and optimizer names every time.  That matters for
    memory: TensorFlow caches a kernel for each variable name it creates a variable under,
    and never frees it (about 35 KiB a variable), so counted names ("dense_17/kernel",
    "adam_212/iteration") leak with every model built.  The counters are per thread.
    """
    try:
        from keras.src.backend.common import global_state
    except ImportError:  # pragma: no cover - moved in a future Keras: names keep counting
        yield
        return
    saved = global_state.get_global_attribute("object_name_uids")
    global_state.set_global_attribute("object_name_uids", collections.defaultdict(int))
    try:
        yield
    finally:
        global_state.set_global_attribute("object_name_uids", saved)


try:  # scikit-learn's test of a pandas column that check_array converts on its own
    from sklearn.utils.validation import _pandas_dtype_needs_early_conversion
except ImportError:  # pragma: no cover - renamed: every frame takes the full validation
    def _pandas_dtype_needs_early_conversion(dtype):
        return True
