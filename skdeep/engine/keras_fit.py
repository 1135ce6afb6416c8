"""Training through Keras's own ``Model.fit``, and predicting through the model's forward
pass: the engine on every Keras backend.

Under JAX and PyTorch every fit trains here (Keras compiles JAX steps with ``jax.jit``);
under TensorFlow, :mod:`skdeep.engine.tensorflow` falls back to :func:`train_with_keras_fit`
when its in-graph epochs cannot serve.  Results follow the same contract as the TensorFlow
engine: the history as a dict of per-epoch lists, the callbacks skdeep adds to every fit,
Ctrl-C stopping at an epoch's end.

Seeded batch order.  Keras's ``fit`` shuffles in-memory rows with NumPy's global stream (JAX)
or torch's global generator (PyTorch), which a seeded fit must not depend on or advance.  So
for in-memory data this engine hands ``fit`` the rows as a :class:`SeededRows` dataset whose
order each epoch is drawn from ``(seed, epoch)``: two fits with the same ``random_state``
see the same batches, and no global stream is touched.
"""

import contextlib

import keras
import numpy as np
from keras import tree

from .. import trace_cache
from ..callbacks import DivergenceGuard, EpochLogger
from ..compat import tensorboard_traces
from ..interruption import Interruption
from ..runtime import backend

ROW_BLOCK = 64

_BATCH_HOOKS = (
    "on_batch_begin",
    "on_batch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_batch_begin",
    "on_test_batch_end",
)


def with_fit_callbacks(callbacks, verbose):
    """The callbacks a fit runs: skdeep's divergence guard first, so that no other callback
    (a checkpoint) sees diverged weights, then the user's, then the ``verbose=1`` logger."""
    return [DivergenceGuard(), *callbacks, *([EpochLogger()] if verbose else [])]


def needs_batch_hooks(callback):
    """Whether ``callback`` acts at each batch (an engine running whole epochs cannot serve
    it)."""
    if isinstance(callback, keras.callbacks.ModelCheckpoint):
        return callback.save_freq != "epoch"
    if isinstance(callback, keras.callbacks.TensorBoard):
        return callback.update_freq != "epoch" or tensorboard_traces(callback)
    return any(
        getattr(type(callback), hook) is not getattr(keras.callbacks.Callback, hook)
        for hook in _BATCH_HOOKS
    )


def needs_keras_fit(model):
    """Whether only Keras's ``fit`` honours how ``model`` trains: its class overrides
    ``fit``, ``train_step`` or ``test_step``, or it runs eagerly (``run_eagerly=True``)."""
    return bool(model.run_eagerly) or any(
        _overrides(model, name) for name in ("fit", "train_step", "test_step"))


def _overrides(model, method):
    return getattr(type(model), method) is not getattr(keras.Model, method)


def train(model, x, y, *, sample_weight=None, validation_data=None, epochs=1, batch_size=32,
          shuffle=True, seed=0, callbacks=(), verbose=0, fit_kwargs=None):
    """Train a compiled ``model`` with ``model.fit``; the history as a dict of per-epoch lists.

    Arguments as :func:`skdeep.engine.tensorflow.train`.
    """
    sample_weight, validation_data = unit_weights_dropped(sample_weight, validation_data)
    return train_prepared(model, x, y, sample_weight, validation_data, epochs, batch_size,
                          shuffle, seed, with_fit_callbacks(callbacks, verbose), fit_kwargs)


def train_prepared(model, x, y, sample_weight, validation_data, epochs, batch_size, shuffle,
                   seed, callbacks, fit_kwargs):
    """:func:`train` with unit weights dropped and ``callbacks`` already those of
    :func:`with_fit_callbacks` (the JAX engine prepares them to choose its way)."""
    trace_cache.settle(model)
    # A model's own fit gets the arrays it expects, shuffled by Keras.
    if shuffle and not fit_kwargs and not _overrides(model, "fit") and _in_memory(x, y, sample_weight):
        rows = SeededRows((x, y) if sample_weight is None else (x, y, sample_weight),
                          batch_size, seed)
        return train_with_keras_fit(model, rows, None, None, validation_data, epochs, None,
                                    False, [_EpochOrder(rows), *callbacks], {})
    return train_with_keras_fit(model, x, y, sample_weight, validation_data, epochs,
                                batch_size, shuffle, callbacks, fit_kwargs or {})


def train_with_keras_fit(model, x, y, sample_weight, validation_data, epochs, batch_size,
                         shuffle, callbacks, fit_kwargs, quiet=contextlib.nullcontext):
    """``model.fit`` with skdeep's contract: Ctrl-C stops at the epoch's end, the history
    comes back as a dict; ``quiet`` is a context to run it in."""
    kwargs = dict(sample_weight=sample_weight, validation_data=validation_data, epochs=epochs,
                  batch_size=batch_size, shuffle=shuffle, callbacks=callbacks, verbose=0)
    kwargs.update(fit_kwargs)
    model.history = None  # Keras's History sets it at each epoch's end
    with Interruption(model), quiet():
        return model.fit(x, y, **kwargs).history
    # Interrupted: Keras's fit skipped on_train_end, where EarlyStopping restores the best.
    for callback in callbacks:
        callback.on_train_end()
    return model.history.history if model.history is not None else {}


def unit_weights_dropped(sample_weight, validation_data):
    """The fit's sample weights, and its validation data, without weights that are all 1.

    skdeep rescales weights to average 1, so weights that are all equal arrive as ones;
    without them the compiled step is the one of an unweighted fit, and the fit equals it
    bit for bit (XLA fuses a multiplication by ones differently, about 1e-7 apart).
    """
    if _all_ones(sample_weight):
        sample_weight = None
    if validation_data is not None and len(validation_data) == 3 and \
            _all_ones(validation_data[2]):
        validation_data = tuple(validation_data[:2])
    return sample_weight, validation_data


def _all_ones(weights):
    return weights is not None and all(
        np.all(np.asarray(w, dtype=np.float32) == 1) for w in tree.flatten(weights))


def _in_memory(*parts):
    leaves = [leaf for part in parts if part is not None for leaf in tree.flatten(part)]
    return bool(leaves) and all(isinstance(leaf, np.ndarray) for leaf in leaves)


class SeededRows(keras.utils.PyDataset):
    """In-memory rows in batches, in an order drawn from ``(seed, epoch)`` each epoch.

    Parameters
    ----------
    data : tuple
        ``(x, y)`` or ``(x, y, sample_weight)``: arrays, or lists or dicts of arrays, with
        the same number of rows.
    batch_size : int
        Rows per batch (the last batch holds the rest).
    seed : int
        The fit's seed.
    """

    def __init__(self, data, batch_size, seed):
        super().__init__()
        self.data, self.batch_size, self.seed = data, int(batch_size), int(seed)
        self.n = len(tree.flatten(data)[0])
        self.set_epoch(0)  # also for Keras's first look at a batch, before epoch 0

    def set_epoch(self, epoch):
        """Serve ``epoch``'s order (told by :class:`_EpochOrder`: Keras begins and ends its
        dataset's epochs more often than it trains them)."""
        self.order = np.random.default_rng([self.seed, epoch]).permutation(self.n)

    def __len__(self):
        return -(-self.n // self.batch_size)

    def __getitem__(self, index):
        rows = self.order[index * self.batch_size : (index + 1) * self.batch_size]
        return tree.map_structure(lambda a: a[rows], self.data)



class _EpochOrder(keras.callbacks.Callback):
    """Tells a :class:`SeededRows` which epoch begins, before Keras draws its first batch."""

    def __init__(self, rows):
        super().__init__()
        self.rows = rows

    def on_epoch_begin(self, epoch, logs=None):
        self.rows.set_epoch(epoch)


# ---------------------------------------------------------------- predict


def _to_python(logs):
    return {k: float(v) if np.ndim(v) == 0 else np.asarray(v) for k, v in logs.items()}


class _Forward:
    """The model called on its inputs given flat, in the order of ``tree.flatten``."""

    def __init__(self, model, structure):
        self.model, self.structure = model, structure

    def __call__(self, *flat):
        x = flat[0] if self.structure is None else tree.pack_sequence_as(self.structure, flat)
        return self.model(x, training=False)


def _padded_rows(rows, padding):
    """``rows`` with ``padding`` rows of zeros after them (the array itself for none)."""
    if not padding:
        return rows
    out = np.zeros((len(rows) + padding, *rows.shape[1:]), dtype=rows.dtype)
    out[: len(rows)] = rows
    return out


class Predictor:
    """The fitted model's forward pass on any number of rows, on Keras's JAX or PyTorch
    backend (the TensorFlow engine's traced one derives from it).

    Rows go in chunks of ``batch_size``, each padded with zero rows to a multiple of
    :data:`ROW_BLOCK` so that a row's prediction does not depend on how many rows come with
    it, as under TensorFlow.  Under JAX the forward pass is one ``jax.jit`` of
    ``model.stateless_call`` with the weights as arguments (compiled once per padded size;
    Keras's ``predict_on_batch`` would also write the weights back at every call); under
    PyTorch it is the model's call without gradients.

    Parameters
    ----------
    model : keras.Model
        The fitted model.
    example : array, or list or dict of arrays
        Inputs of the shape and dtype the model will be given (any number of rows).
    """

    def __init__(self, model, example):
        self._model = model
        self._structure = example if isinstance(example, (list, tuple, dict)) else None
        self._forward = None

    def __call__(self, x, batch_size=8192):
        inputs = [x] if self._structure is None else tree.flatten(x)
        n = len(inputs[0])
        if self._forward is None:
            self._trace()
        chunks = [self._predict_chunk([a[start : start + batch_size] for a in inputs])
                  for start in range(0, n, batch_size)]
        if len(chunks) == 1:
            return chunks[0]
        return tree.map_structure(lambda *parts: np.concatenate(parts), *chunks)

    def _trace(self):
        self._forward = _forward_function(self._model, self._structure)

    def _predict_chunk(self, inputs):
        n = len(inputs[0])
        output = self._forward([_padded_rows(a, -n % ROW_BLOCK) for a in inputs])
        return tree.map_structure(lambda t: t[:n], output)


def _forward_function(model, structure):
    forward = _Forward(model, structure)
    if backend() == "jax":
        import jax

        def stateless(trainable, non_trainable, flat):
            x = flat[0] if structure is None else tree.pack_sequence_as(structure, flat)
            return model.stateless_call(trainable, non_trainable, x, training=False)[0]

        compiled = jax.jit(stateless)

        def call(flat):
            output = compiled([v.value for v in model.trainable_variables],
                              [v.value for v in model.non_trainable_variables], flat)
            return tree.map_structure(np.asarray, output)

        return call
    if backend() == "torch":
        import torch

        def to_numpy(tensor):
            # Not through NumPy's __array__: torch's takes no copy argument (NumPy 2 warns).
            tensor = tensor.detach().cpu()
            return (tensor.float() if tensor.dtype == torch.bfloat16 else tensor).numpy()

        def call(flat):
            with torch.no_grad():
                return tree.map_structure(to_numpy, forward(*flat))

        return call
    return lambda flat: tree.map_structure(keras.ops.convert_to_numpy, forward(*flat))
