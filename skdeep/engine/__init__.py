"""The training engine: every estimator trains and predicts through this package.

:func:`train` is the one way to train, whatever Keras's backend: it prepares what every fit
shares (unit weights dropped, skdeep's callbacks added, the seeded row order of
:func:`~skdeep.engine._common.row_order`), then trains in the backend's compiled epochs where
they serve, else through Keras's own ``fit``.  :class:`Predictor` is the backend's forward pass.

* :mod:`skdeep.engine.tensorflow`: TensorFlow (the default backend): whole epochs as one
  traced TensorFlow call, traced predict;
* :mod:`skdeep.engine.jax`: JAX: whole epochs as one ``jax.jit`` call (a ``lax.scan`` over
  batches) for long fits, ``jax.jit`` predict;
* :mod:`skdeep.engine.torch`: PyTorch: Keras's ``fit`` trains every fit;
* :mod:`skdeep.engine.keras_fit`: Keras's ``fit``, on every backend, in the seeded row order;
* :mod:`skdeep.engine.epochs`: the epoch loop of the compiled epochs (Keras ``fit``'s
  epoch-level callback contract), :mod:`skdeep.engine.interruption` the Ctrl-C contract of
  both ways;
* :mod:`skdeep.engine.state`: the trained model's state as the estimator sees it (the
  optimizer state that :mod:`skdeep.engine.trace_cache` may leave pending).

Each backend's module offers ``compiled_epochs_serve``, ``train_compiled`` (where they may
serve), ``keras_fit_context`` and ``Predictor``.  Only the TensorFlow engine imports
TensorFlow, and only under its backend.
"""

from ..compat import can_build_for_training
from ..runtime import backend
from ._common import (
    PREDICT_BATCH_SIZE,
    needs_batch_hooks,
    needs_keras_fit,
    unit_weights_dropped,
    with_fit_callbacks,
)
from .keras_fit import train_with_keras_fit

if backend() == "tensorflow":
    from . import tensorflow as _backend_engine
elif backend() == "jax":
    from . import jax as _backend_engine
else:
    from . import torch as _backend_engine

Predictor = _backend_engine.Predictor

__all__ = ["PREDICT_BATCH_SIZE", "Predictor", "compiled_epochs_serve", "train"]


def train(model, x, y, *, sample_weight=None, validation_data=None, epochs=1, batch_size=32,
          shuffle=True, seed=0, callbacks=(), verbose=0, fit_kwargs=None):
    """Train a compiled ``model``; its history as a dict of per-epoch lists.

    Parameters
    ----------
    model : keras.Model
        The compiled model, trained in place.
    x, y : array, or list or dict of arrays
        The training inputs and targets (several for several inputs or outputs); ``x`` may
        also be a dataset that Keras's ``fit`` iterates, ``y`` then None.
    sample_weight : array, or list or dict of arrays, default=None
        Weights of the rows (per output); weights that are all 1 are dropped.
    validation_data : tuple, default=None
        ``(x, y)`` or ``(x, y, sample_weight)``, evaluated after each epoch.
    epochs, batch_size : int
        Passes over the data, and rows per optimizer step.
    shuffle : bool, default=True
        Whether each epoch takes the rows in the seeded order of ``(seed, epoch)``, on every
        path; else in their order.
    seed : int, default=0
        The fit's seed.
    callbacks : sequence of keras.callbacks.Callback, default=()
        The user's callbacks; skdeep's divergence guard (and, with ``verbose``, its epoch
        logger) join them.
    verbose : int, default=0
        1 prints a line per epoch.
    fit_kwargs : dict, default=None
        More ``model.fit`` arguments: any makes Keras's ``fit`` train.

    Returns
    -------
    history : dict
        Each metric's list of per-epoch values, as ``model.fit(...).history``.
    """
    sample_weight, validation_data = unit_weights_dropped(sample_weight, validation_data)
    callbacks = with_fit_callbacks(callbacks, verbose)
    data = (x, y) if sample_weight is None else (x, y, sample_weight)
    if compiled_epochs_serve(model, data, epochs=epochs, batch_size=batch_size,
                             callbacks=callbacks, fit_kwargs=fit_kwargs):
        return _backend_engine.train_compiled(
            model, data, validation_data, epochs=epochs, batch_size=batch_size,
            seed=seed if shuffle else None, callbacks=callbacks)
    return train_with_keras_fit(
        model, data, validation_data, epochs=epochs, batch_size=batch_size, shuffle=shuffle,
        seed=seed, callbacks=callbacks, fit_kwargs=fit_kwargs or {},
        context=_backend_engine.keras_fit_context)


def compiled_epochs_serve(model, data, *, epochs, batch_size, callbacks=(), fit_kwargs=None):
    """Whether the backend's compiled epochs train this fit, rather than Keras's ``fit``.

    Only Keras's ``fit`` serves ``fit`` arguments (``fit_kwargs``), callbacks that act at each
    batch, and a model whose class overrides ``fit``, ``train_step`` or ``test_step`` or
    that runs eagerly; the backend's engine then says whether its compiled epochs take
    ``data`` (``(x, y)`` or ``(x, y, sample_weight)``).
    """
    if fit_kwargs or needs_keras_fit(model) or any(needs_batch_hooks(cb) for cb in callbacks):
        return False
    if not _backend_engine.compiled_epochs_serve(data, epochs, batch_size):
        return False
    # Asked last: where Keras has moved the build the compiled epochs need, only fits that
    # would have taken them warn.
    return can_build_for_training()
