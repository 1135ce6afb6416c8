"""The TensorFlow engine: Keras's TensorFlow backend (the default) trains and predicts here.

In-graph epochs.  For in-memory data, one compiled TensorFlow call runs a whole epoch: the
rows in the fit's seeded order (:func:`~skdeep.engine._common.row_order`), then a
``tf.while_loop`` over batches, each running the model's own ``train_step`` (forward pass,
loss with sample weights and regularisation penalties, gradients, optimizer step, running
metrics).  Validation is one compiled call over ``test_step``.  The data goes to the device
once per fit.  The epochs run in :func:`~skdeep.engine.epochs.run_epochs`, which gives
callbacks what ``model.fit`` gives them.  On a 2-core CPU this is about ten times faster than
``model.fit`` for small batches, whose time goes to Python and tf.data.  Fits of one
architecture share their traced epochs (:mod:`skdeep.engine.trace_cache`).

Where the in-graph epochs cannot serve (see :func:`skdeep.engine.train`), Keras's ``fit``
trains (:mod:`skdeep.engine.keras_fit`), in :func:`keras_fit_context`.  Predict is a traced
function of fixed signature (:class:`Predictor`).
"""

import contextlib
import functools
import math

import keras
import numpy as np
import tensorflow as tf
from keras import tree

from ..compat import (
    APPLY_UPDATES,
    SUM_GRADIENTS,
    build_for_training,
    call_flat,
    inherited_update_methods,
    single_threaded_executor,
)
from .. import tf_logs
from . import _common, trace_cache
from ._common import ROW_BLOCK, Forward, n_rows, padded_rows, row_order, to_python
from .epochs import run_epochs


def compiled_epochs_serve(data, epochs, batch_size):
    """Whether in-graph epochs can train on ``data`` (``(x, y)`` or ``(x, y, sample_weight)``)
    as far as TensorFlow goes: arrays or tensors in memory, on one device."""
    if tf.distribute.has_strategy():
        return False  # several devices: Keras's fit distributes the batches
    # A tf.data.Dataset, a generator, a PyDataset: Keras fit iterates it.
    return all(isinstance(a, (np.ndarray, tf.Tensor)) for a in tree.flatten(data[0]))


def train_compiled(model, data, validation_data, *, epochs, batch_size, seed, callbacks):
    """Train a compiled ``model`` in in-graph epochs; the history as a dict of per-epoch lists.

    ``data`` and ``validation_data`` are ``(x, y)`` or ``(x, y, sample_weight)``; ``seed``
    None trains the rows in their order.
    """
    data = _as_tensors(data)
    val_data = None if validation_data is None else _as_tensors(validation_data)
    trainer = _Trainer(model, data, val_data, batch_size)
    succeeded = False
    try:
        history = _run_epochs(trainer, data, val_data, epochs, seed, callbacks)
        succeeded = True
    finally:
        trainer.finish(succeeded)
    return history


@contextlib.contextmanager
def keras_fit_context(model):
    """What Keras's ``fit`` of ``model`` runs in: this fit's optimizer updates on a single
    replica, and, under a distribution strategy, TensorFlow's C++ log listened to (Keras's
    dataset pipeline logs a warning at each fit there: GeneratorDatasetOp "will not be
    optimized")."""
    quiet = tf_logs.listening if tf.distribute.has_strategy() else contextlib.nullcontext
    with _single_replica_updates(model.optimizer), quiet():
        yield


@contextlib.contextmanager
def _single_replica_updates(optimizer):
    """Give this fit's optimizer a single-replica update path while its step is traced.

    Keras's TensorFlow optimizer routes every update through ``tf.distribute``: it sums
    gradients across replicas with ``tf.custom_gradient``, which registers a gradient function
    in TensorFlow's global registry at every trace and never removes it (tensorflow#97697, so
    each fit would keep its two training graphs alive, about 3 MiB a fit), then applies each
    variable's update through ``distribution.extended.update``, which re-wraps every update for
    autograph (a quarter of the time it takes to trace a small network's step).  With the
    default strategy there is one replica: the sum is the identity and the update is the
    optimizer's own ``update_step``, so this fit calls them directly.  Under a real
    distribution strategy, or for a method an optimizer overrides, nothing changes.  The
    overrides live on this optimizer instance, while its functions are traced.
    """
    # A LossScaleOptimizer (mixed_float16) and a MultiOptimizer (Wide & Deep's per-part
    # optimizers) apply through their inner ones.
    if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        optimizer = optimizer.inner_optimizer
    inner = optimizer.optimizers if isinstance(optimizer, keras.optimizers.MultiOptimizer) \
        else [optimizer]
    if tf.distribute.has_strategy():
        yield
        return
    overrides = [(o, _single_replica_methods(o)) for o in inner]
    for each, methods in overrides:
        vars(each).update(methods)
    try:
        yield
    finally:
        for each, methods in overrides:
            for name in methods:
                del vars(each)[name]


def _single_replica_methods(optimizer):
    """The methods this optimizer's single-replica path replaces: those it inherits from
    Keras's TensorFlow optimizer.  Nadam overrides ``_backend_update_step`` (to advance its
    momentum schedule, then call Keras's), so only its gradient sum is replaced: enough to
    keep its graphs from leaking (5 MiB a fit before)."""
    inherited = inherited_update_methods(optimizer)
    if SUM_GRADIENTS not in inherited:
        return {}
    methods = {SUM_GRADIENTS: list}
    if APPLY_UPDATES in inherited:
        methods[APPLY_UPDATES] = functools.partial(_update_each, optimizer)
    return methods


def _update_each(optimizer, grads, trainable_variables, learning_rate):
    for grad, variable in zip(grads, trainable_variables):
        # As Keras's own update path: the update reads and writes the tf.Variable itself.
        optimizer.update_step(grad, getattr(variable, "value", variable), learning_rate)


class _EpochRunner:
    """One pass over in-memory data, traced once into a single TensorFlow call.

    The number of rows is read from the data, not fixed in the trace, so the folds of a
    search (whose sizes differ by a row or two) share one trace.  A callable object rather
    than a closure: TensorFlow counts retracings per Python code object, so fresh closures
    in every fit of a search would trigger its retracing warning.
    """

    def __init__(self, model, batch_size, training):
        self.model, self.batch_size = model, batch_size
        self.step = model.train_step if training else model.test_step

    def __call__(self, data, order):
        n, size = tf.shape(order)[0], self.batch_size
        steps = (n + size - 1) // size

        def body(i):
            rows = order[i * size : tf.minimum((i + 1) * size, n)]
            self.step(tree.map_structure(lambda t: tf.gather(t, rows), data))
            return (i + 1,)

        tf.while_loop(lambda i: i < steps, body, (tf.constant(0),))
        return self.model.get_metrics_result()


def _as_tensors(data):
    return tree.map_structure(tf.convert_to_tensor, data)


class _Trainer:
    """The model a fit trains and its traced epoch functions.

    Either a cached twin of the estimator's model (see :mod:`skdeep.trace_cache`), whose
    traced functions earlier fits of the same architecture made, or the model itself with
    functions traced for this fit alone.
    """

    def __init__(self, model, data, val_data, batch_size):
        self.owner, self.batch_size = model, batch_size
        spec = trace_cache.data_spec([d for d in (data, val_data) if d is not None], batch_size)
        self.twin = trace_cache.lend(model, spec)
        if self.twin is None:
            trace_cache.settle(model)  # it trains itself: its optimizer state in its variables
        self.model = model if self.twin is None else self.twin.model
        self.functions = {} if self.twin is None else self.twin.functions
        self.executor = _executor_for(data, self.model)

    def epoch_function(self, data, training):
        """The traced pass over ``data``: compiled once per twin and data signature."""
        if training not in self.functions:
            runner = _EpochRunner(self.model, self.batch_size, training)
            spec = tree.map_structure(
                lambda t: tf.TensorSpec((None, *t.shape[1:]), t.dtype), data)
            # XLA when the model was compiled with jit_compile (Keras's "auto" picks it on
            # GPUs).  Validation stays unjitted, as Keras's own evaluate.
            jit = training and bool(getattr(self.model, "jit_compile", False))
            # Traced under the executor it will run on: a loop traced for the
            # single-threaded one is kept functional (that executor cannot run it lowered).
            with _single_replica_updates(self.model.optimizer), self.executor():
                build_for_training(
                    self.model, tree.map_structure(lambda t: t[: self.batch_size], data))
                self.functions[training] = tf.function(runner, jit_compile=jit) \
                    .get_concrete_function(spec, tf.TensorSpec((None,), tf.int32))
        return self.functions[training]

    def finish(self, succeeded):
        """Hand the trained state to the estimator's model, and the twin back to the cache."""
        if self.twin is not None:
            trace_cache.take_back(self.twin, self.owner, trained=succeeded)


def _run_epochs(trainer, data, val_data, epochs, seed, callbacks):
    n, executor = n_rows(data), trainer.executor
    run_epoch = trainer.epoch_function(data, training=True)

    def train_epoch(epoch):
        order = tf.constant(row_order(seed, epoch, n))
        with executor():
            return to_python(run_epoch(data, order))

    return run_epochs(trainer.model, callbacks, epochs=epochs,
                      steps=math.ceil(n / trainer.batch_size), train_epoch=train_epoch,
                      validate=None if val_data is None else _validation(trainer, val_data))


def _validation(trainer, val_data):
    """The validation pass over ``val_data``: a function giving its logs."""
    run = trainer.epoch_function(val_data, training=False)
    order = tf.range(n_rows(val_data))

    def validate():
        with trainer.executor():
            return to_python(run(val_data, order))
    return validate


def _executor_for(data, model):
    """Run compiled epochs on TensorFlow's single-threaded executor when the data is on a CPU.

    A training step of a small network is hundreds of tiny ops; the default executor hands
    each to a thread pool, and on a 2-core CPU that hand-off costs more than the op (a 30-30
    MLP step: about 70 us here against 150-190 us).  Each kernel still uses the intra-op
    threads for its own work, so large dense layers keep their parallelism.  Convolutions do
    not: their epochs take about twice as long on that executor (a small CNN on 28x28 digits:
    384 ms against 187 ms, BENCHMARKS.md), so models with them keep the default, as do GPUs.
    """
    if "GPU" in tree.flatten(data)[0].device.upper():
        return contextlib.nullcontext
    if isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer):
        # Its conditional update deadlocks that executor (mixed_float16 training hangs).
        return contextlib.nullcontext
    if any(isinstance(layer, _CONVOLUTIONS) for layer in _all_layers(model)):
        return contextlib.nullcontext
    return single_threaded_executor() or contextlib.nullcontext


# Keras's convolution layers (Conv1D-3D, transposed, separable, depthwise, ConvLSTM).
_CONVOLUTIONS = tuple({getattr(keras.layers, name): None for name in dir(keras.layers)
                       if "Conv" in name and isinstance(getattr(keras.layers, name), type)})


def _all_layers(layer):
    for inner in getattr(layer, "layers", ()):
        yield inner
        yield from _all_layers(inner)


class Predictor(_common.Predictor):
    """Traced inference with a fixed input signature: one trace per fitted model.

    As :class:`skdeep.engine._common.Predictor` (chunks of ``batch_size`` rows padded to a
    multiple of ``ROW_BLOCK``, traced at the first call), with one TensorFlow graph that
    serves any number of rows, so predicting on 1 row or on 100,000 never retraces.  The
    concrete function takes the inputs as flat tensors and is called through its flat entry
    point: its ``__call__`` would first bind each tensor to its signature in Python (0.07 ms
    for one input, 0.11 ms for Wide & Deep's four), a check that tensors made from arrays of
    the traced dtypes and shapes always pass.
    """

    def __init__(self, model, example):
        super().__init__(model, example)
        self._specs = [tf.TensorSpec((None, *a.shape[1:]), tf.as_dtype(a.dtype))
                       for a in tree.flatten(example)]

    def _trace(self):
        # Under the caller's device scope: the estimator predicts where its weights live.
        forward = tf.function(Forward(self._model, self._structure))
        return forward.get_concrete_function(*self._specs)

    def _predict_chunk(self, inputs):
        n = len(inputs[0])
        padded = [_padded(a, -n % ROW_BLOCK) for a in inputs]
        output = call_flat(self._forward, padded)
        if isinstance(output, (list, tuple, dict)):
            return tree.map_structure(lambda t: t.numpy()[:n], output)
        return output.numpy()[:n]


def _padded(rows, padding):
    # tf.constant: what tf.convert_to_tensor runs for an array, without its dispatch layers.
    return tf.constant(padded_rows(rows, padding))
