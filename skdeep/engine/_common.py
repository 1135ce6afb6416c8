"""What the engine's modules share: the checks that choose a fit's path, the fit's callbacks,
its seeded row order, and the chunked predictor.  Private to :mod:`skdeep.engine`."""

import keras
import numpy as np
from keras import tree

from ..callbacks import DivergenceGuard, EpochLogger
from ..compat import tensorboard_traces
from ..runtime import backend

# Predict pads its chunks to a multiple of this many rows (see Predictor).
ROW_BLOCK = 64
# Rows a predict call runs at once by default.
PREDICT_BATCH_SIZE = 8192

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
        overrides(model, name) for name in ("fit", "train_step", "test_step"))


def overrides(model, method):
    """Whether ``model``'s class overrides ``keras.Model``'s ``method``."""
    return getattr(type(model), method) is not getattr(keras.Model, method)


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


def in_memory(data):
    """Whether every array of ``data`` (a nest of arrays, None for none) is a NumPy array."""
    leaves = tree.flatten(data)
    return bool(leaves) and all(isinstance(leaf, np.ndarray) for leaf in leaves)


def n_rows(data):
    """The number of rows of ``data``, a nest of arrays or tensors."""
    return int(tree.flatten(data)[0].shape[0])


def row_order(seed, epoch, n):
    """The order in which a fit seeded with ``seed`` trains ``n`` rows in ``epoch``.

    Every path of the engine takes its order here, so that a seeded fit sees the same batches
    whichever path trains it, and draws from no global random stream.  Under TensorFlow it is
    TensorFlow's stateless shuffle, the order of the in-graph epochs since their start; JAX and
    PyTorch, which never import TensorFlow, draw NumPy's from the same ``(seed, epoch)``.

    Parameters
    ----------
    seed : int or None
        The fit's seed; None for the rows in their order (``shuffle=False``).
    epoch : int
        The epoch, from 0.
    n : int
        The number of rows.

    Returns
    -------
    order : ndarray of shape (n,), dtype int32
        A permutation of ``range(n)``.
    """
    if seed is None:
        return np.arange(n, dtype=np.int32)
    if backend() == "tensorflow":
        import tensorflow as tf

        return tf.random.experimental.stateless_shuffle(
            tf.range(n), seed=[seed, epoch]).numpy()
    return np.random.default_rng([seed, epoch]).permutation(n).astype(np.int32)


def to_python(logs):
    """Metric logs as Python floats (arrays for non-scalar metrics)."""
    return {k: float(v) if np.ndim(v) == 0 else np.asarray(v) for k, v in logs.items()}


# ---------------------------------------------------------------- predict


class Forward:
    """The model called on its inputs given flat, in the order of ``tree.flatten``."""

    def __init__(self, model, structure):
        self.model, self.structure = model, structure

    def __call__(self, *flat):
        x = flat[0] if self.structure is None else tree.pack_sequence_as(self.structure, flat)
        return self.model(x, training=False)


def padded_rows(rows, padding):
    """``rows`` with ``padding`` rows of zeros after them (the array itself for none)."""
    if not padding:
        return rows
    out = np.zeros((len(rows) + padding, *rows.shape[1:]), dtype=rows.dtype)
    out[: len(rows)] = rows
    return out


class Predictor:
    """The fitted model's forward pass on any number of rows: each backend's engine
    derives its own, which says how a chunk of rows runs.

    Rows go in chunks of ``batch_size``, each padded with zero rows to a multiple of
    :data:`ROW_BLOCK`: CPU matrix kernels round the rows of a partial block differently
    from a full one, so without it a row's prediction would depend on how many rows come
    with it.  Padded, predict on a subset equals predict on the whole, bit for bit.  The
    forward pass is made at the first call, not with the predictor: most fits of a search
    predict once, and some never.

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

    def __call__(self, x, batch_size=PREDICT_BATCH_SIZE):
        inputs = [x] if self._structure is None else tree.flatten(x)
        n = len(inputs[0])
        if self._forward is None:
            self._forward = self._trace()
        chunks = [self._predict_chunk([a[start : start + batch_size] for a in inputs])
                  for start in range(0, n, batch_size)]
        if len(chunks) == 1:
            return chunks[0]
        return tree.map_structure(lambda *parts: np.concatenate(parts), *chunks)

    def _trace(self):
        """The forward pass: a function of the flat inputs (a list of padded arrays) that
        gives the outputs as NumPy arrays; each backend's engine writes its own."""
        raise NotImplementedError

    def _predict_chunk(self, inputs):
        n = len(inputs[0])
        output = self._forward([padded_rows(a, -n % ROW_BLOCK) for a in inputs])
        return tree.map_structure(lambda t: t[:n], output)
