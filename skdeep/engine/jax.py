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

import contextlib
import math

import jax
import numpy as np
from keras import tree

from ..compat import build_for_training
from . import _common, trace_cache
from ._common import in_memory, n_rows, row_order, to_python
from .epochs import run_epochs

# Fits of fewer optimizer steps (epochs x batches) than this train through Keras's fit: the
# compiled epoch's build would not pay for itself.  Measured on 2 CPU cores (Friedman #1,
# (30, 30), batch 32, benchmarks/backends.py): the compiled epochs cost about 2.4 s before the
# first step of a process's first fit (0.3-0.7 s for a later fit of the same network and
# rows), then about 55 us a step; Keras's fit about 0.9 s, then about 380 us a step.  Equal
# at about 5,000 steps for a first fit, about 1,000 for later ones.
MIN_STEPS = 5000


def compiled_epochs_serve(data, epochs, batch_size):
    """Whether compiled epochs pay for training on ``data`` (``(x, y)`` or
    ``(x, y, sample_weight)``): arrays in memory, for at least :data:`MIN_STEPS` steps."""
    if not in_memory(data):
        return False  # a PyDataset, a generator: Keras fit iterates it
    return epochs * math.ceil(n_rows(data) / batch_size) >= MIN_STEPS


def keras_fit_context(model):
    """Nothing to set up around Keras's ``fit`` under JAX."""
    return contextlib.nullcontext()


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


def train_compiled(model, data, validation_data, *, epochs, batch_size, seed, callbacks):
    """Train a compiled ``model`` in compiled epochs; the history as a dict of per-epoch lists.

    ``data`` and ``validation_data`` are ``(x, y)`` or ``(x, y, sample_weight)``; ``seed``
    None trains the rows in their order.
    """
    trace_cache.settle(model)  # it trains itself: its optimizer state in its variables
    data = jax.device_put(data)
    val_data = None if validation_data is None else jax.device_put(validation_data)
    n = n_rows(data)
    build_for_training(model, tree.map_structure(lambda t: t[:batch_size], data))
    passes = _Epochs(model, batch_size)

    def train_epoch(epoch):
        # The model's variables in the order of a training pass's state, read each epoch
        # (a callback may have changed them).
        trained = (model.trainable_variables, model.non_trainable_variables,
                   model.optimizer.variables, model.metrics_variables)
        state, _ = passes.train(tuple(_values(v) for v in trained), data,
                                jax.device_put(row_order(seed, epoch, n)))
        for variables, values in zip(trained, state):
            _assign(variables, values)
        return to_python(model.get_metrics_result())

    return run_epochs(model, callbacks, epochs=epochs, steps=math.ceil(n / batch_size),
                      train_epoch=train_epoch,
                      validate=None if val_data is None else _validation(model, passes, val_data))


def _validation(model, passes, val_data):
    """The validation pass over ``val_data``: a function giving its logs."""
    order = jax.device_put(np.arange(n_rows(val_data), dtype=np.int32))

    def validate():
        state = tuple(_values(v) for v in (model.trainable_variables,
                                           model.non_trainable_variables,
                                           model.metrics_variables))
        state, _ = passes.validate(state, val_data, order)
        _assign(model.metrics_variables, state[2])
        return to_python(model.get_metrics_result())
    return validate


def _values(variables):
    return [v.value for v in variables]


def _assign(variables, values):
    for variable, value in zip(variables, values):
        variable.assign(value)


class Predictor(_common.Predictor):
    """The fitted model's forward pass, in chunks (see :class:`skdeep.engine._common.Predictor`):
    one ``jax.jit`` of ``model.stateless_call`` with the weights as arguments, compiled once per
    padded size (Keras's ``predict_on_batch`` would also write the weights back at every
    call)."""

    def _trace(self):
        model, structure = self._model, self._structure

        def stateless(trainable, non_trainable, flat):
            x = flat[0] if structure is None else tree.pack_sequence_as(structure, flat)
            return model.stateless_call(trainable, non_trainable, x, training=False)[0]

        compiled = jax.jit(stateless)

        def forward(flat):
            output = compiled(_values(model.trainable_variables),
                              _values(model.non_trainable_variables), flat)
            return tree.map_structure(np.asarray, output)

        return forward
