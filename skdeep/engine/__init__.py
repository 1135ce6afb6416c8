"""The training engine: every estimator trains and predicts through this package.

One module per way of training, picked by Keras's backend when skdeep is imported:

* :mod:`skdeep.engine.tensorflow`: TensorFlow (the default backend): whole epochs as one
  traced TensorFlow call, traced predict, falling back to Keras's ``fit``;
* :mod:`skdeep.engine.jax`: JAX: whole epochs as one ``jax.jit`` call (a ``lax.scan`` over
  batches) for long fits, Keras's ``fit`` for the rest;
* :mod:`skdeep.engine.keras_fit`: Keras's own ``fit``, on every backend: PyTorch trains here,
  and the other engines fall back to it.

:mod:`skdeep.engine.epochs` is the epoch loop the two compiled engines share (Keras ``fit``'s
epoch-level callback contract).

Only the TensorFlow engine imports TensorFlow, and only under its backend.
"""

from ..runtime import backend

if backend() == "tensorflow":
    from .tensorflow import Predictor, train
elif backend() == "jax":
    from .jax import Predictor, train
else:
    from .keras_fit import Predictor, train

__all__ = ["Predictor", "train"]
