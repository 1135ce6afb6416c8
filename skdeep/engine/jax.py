"""The JAX engine: a whole epoch as one compiled call, falling back to Keras's ``fit``.

Fast path.  For in-memory data, one ``jax.jit`` call runs an epoch: a ``lax.scan`` over the
full batches of a seeded permutation, each running the model's own stateless JAX
``train_step`` (``model.stateless_call`` through Keras's loss, with sample weights and
regularisation penalties, then ``optimizer.stateless_apply``, then the running metrics),
then one step for the last, smaller batch.  Validation is one compiled call over
``test_step``.  The data goes to the device once per fit, the weights stay there between
epochs, and the model's variables are written once per epoch, before the epoch callbacks
(which see and may change them: EarlyStopping, ReduceLROnPlateau, checkpoints).  Callbacks
get the hooks and logs of :mod:`skdeep.engine.epochs`, as under the TensorFlow engine.

The compiled epoch costs about a second to build for each model and number of rows, against
Keras ``fit``'s compile of one step; it pays for fits of many steps.  :data:`MIN_STEPS`
(epochs times batches) decides; fits below it, fits with per-batch callbacks, a model with
its own ``fit`` or ``train_step``, and routed ``fit__*`` arguments train through Keras's ``fit``
(:mod:`skdeep.engine.keras_fit`), with the same results contract and the same seeded batch
order.
"""

import math

import jax
import numpy as np
from keras import tree

from .. import trace_cache
from ..compat import build_for_training, can_build_for_training
from . import keras_fit
from .epochs import run_epochs
from .keras_fit import Predictor, _to_python, needs_batch_hooks, needs_keras_fit, \
    unit_weights_dropped, with_fit_callbacks

__all__ = ["Predictor", "train"]

# Fits of fewer optimizer steps (epochs x batches) than this train through Keras's fit: the
# compiled epoch's build would not pay for itself.  Measured on 2 CPU cores (Friedman #1,
# (30, 30), batch 32, benchmarks/backends.py): the compiled epochs cost about 2.4 s before the
# first step of a process's first fit (0.3-0.7 s for a later fit of the same network and
# rows), then about 55 us a step; Keras's fit about 0.9 s, then about 380 us a step.  Equal
# at about 5,000 steps for a first fit, about 1,000 for later ones.
MIN_STEPS = 5000


def train(model, x, y, *, sample_weight=None, validation_data=None, epochs=1, batch_size=32,
          shuffle=True, seed=0, callbacks=(), verbose=0, fit_kwargs=None):
    """Train a compiled ``model``; the history as a dict of per-epoch lists.

    Arguments as :func:`skdeep.engine.tensorflow.train`.
    """
    sample_weight, validation_data = unit_weights_dropped(sample_weight, validation_data)
    everything = with_fit_callbacks(callbacks, verbose)
    if fit_kwargs or not _fast_path_serves(model, everything, (x, y, sample_weight), epochs,
                                           batch_size):
        return keras_fit.train_prepared(model, x, y, sample_weight, validation_data, epochs,
                                        batch_size, shuffle, seed, everything, fit_kwargs)
    trace_cache.settle(model)
    return _train_compiled(model, x, y, sample_weight, validation_data, epochs, batch_size,
                           shuffle, seed, everything)


def _fast_path_serves(model, callbacks, data, epochs, batch_size):
    leaves = [leaf for part in data if part is not None for leaf in tree.flatten(part)]
    if not leaves or not all(isinstance(leaf, np.ndarray) for leaf in leaves):
        return False  # a PyDataset, a generator: Keras fit iterates it
    if epochs * math.ceil(len(leaves[0]) / batch_size) < MIN_STEPS:
        return False
    if needs_keras_fit(model):
        return False
    if any(needs_batch_hooks(cb) for cb in callbacks):
        return False
    return can_build_for_training()


def _as_data(x, y, sample_weight=None):
    return (x, y) if sample_weight is None else (x, y, sample_weight)


def _n_samples(data):
    return int(tree.flatten(data)[0].shape[0])


def _take(data, rows):
    return tree.map_structure(lambda a: a[rows], data)


class _Epochs:
    """The compiled training and validation passes of one fit."""

    def __init__(self, model, batch_size):
        self.model, self.batch_size = model, batch_size
        self.train = jax.jit(self._train_pass)
        self.validate = jax.jit(self._validation_pass)

    def _scan(self, step, state, data, order):
        """``step`` over the batches of ``data`` in ``order``: the full ones scanned, the
        last one after; the logs of the last step."""
        n, size = order.shape[0], self.batch_size
        full = n // size

        def body(carry, rows):
            logs, carry = step(carry, _take(data, rows))
            return carry, logs

        logs = None
        if full:
            state, stacked = jax.lax.scan(body, state, order[: full * size].reshape(full, size))
            logs = tree.map_structure(lambda t: t[-1], stacked)
        if n % size:
            logs, state = step(state, _take(data, order[full * size:]))
        return state, logs

    def _train_pass(self, state, data, order):
        return self._scan(self.model.train_step, state, data, order)

    def _validation_pass(self, state, data, order):
        return self._scan(self.model.test_step, state, data, order)


def _train_compiled(model, x, y, sample_weight, validation_data, epochs, batch_size, shuffle,
                    seed, callbacks):
    data = jax.device_put(_as_data(x, y, sample_weight))
    val_data = None if validation_data is None else jax.device_put(_as_data(*validation_data))
    n = _n_samples(data)
    build_for_training(model, tree.map_structure(lambda t: t[:batch_size], data))
    passes = _Epochs(model, batch_size)

    def train_epoch(epoch):
        order = np.random.default_rng([seed, epoch]).permutation(n) if shuffle \
            else np.arange(n)
        # The model's variables in the order of a training pass's state, read each epoch
        # (a callback may have changed them).
        trained = (model.trainable_variables, model.non_trainable_variables,
                   model.optimizer.variables, model.metrics_variables)
        state, _ = passes.train(tuple(_values(v) for v in trained), data,
                                jax.device_put(order.astype(np.int32)))
        for variables, values in zip(trained, state):
            _assign(variables, values)
        return _to_python(model.get_metrics_result())

    return run_epochs(model, callbacks, epochs=epochs, steps=math.ceil(n / batch_size),
                      train_epoch=train_epoch,
                      validate=None if val_data is None else _validation(model, passes, val_data))


def _validation(model, passes, val_data):
    """The validation pass over ``val_data``: a function giving its logs."""
    order = jax.device_put(np.arange(_n_samples(val_data), dtype=np.int32))

    def validate():
        state = tuple(_values(v) for v in (model.trainable_variables,
                                           model.non_trainable_variables,
                                           model.metrics_variables))
        state, _ = passes.validate(state, val_data, order)
        _assign(model.metrics_variables, state[2])
        return _to_python(model.get_metrics_result())
    return validate


def _values(variables):
    return [v.value for v in variables]


def _assign(variables, values):
    for variable, value in zip(variables, values):
        variable.assign(value)
