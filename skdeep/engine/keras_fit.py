"""Training through Keras's own ``Model.fit``, on every backend.

PyTorch trains here; the TensorFlow and JAX engines train here when their compiled epochs
cannot serve (see :func:`skdeep.engine.train`).  Results follow the same contract as the
compiled epochs: the history as a dict of per-epoch lists, the callbacks skdeep adds to every
fit, Ctrl-C stopping at an epoch's end (:func:`~skdeep.engine.interruption.until_interrupted`).

Seeded batch order.  Keras's ``fit`` shuffles in-memory rows with TensorFlow's random ops,
NumPy's global stream (JAX) or torch's global generator (PyTorch), which a seeded fit must not
depend on or advance.  So for in-memory data this module hands ``fit`` the rows as a
:class:`SeededRows` dataset whose order each epoch is :func:`~skdeep.engine._common.row_order`'s,
the order of the compiled epochs: two fits with the same ``random_state`` see the same
batches, whichever path trains them, and no global stream is touched.
"""

import keras
from keras import tree

from . import trace_cache
from ._common import in_memory, overrides, row_order
from .interruption import until_interrupted

# Keras fit arguments with which it reads the training data itself.
_READS_THE_DATA = ("batch_size", "shuffle", "steps_per_epoch", "validation_split")


def train_with_keras_fit(model, data, validation_data, *, epochs, batch_size, shuffle, seed,
                         callbacks, fit_kwargs, context):
    """Train a compiled ``model`` with ``model.fit``; the history as a dict of per-epoch lists.

    Parameters
    ----------
    model : keras.Model
        The compiled model.
    data : tuple
        ``(x, y)`` or ``(x, y, sample_weight)``; ``x`` may also be a dataset that Keras's
        ``fit`` iterates (``y`` then None).
    validation_data : tuple or None
        ``(x, y)`` or ``(x, y, sample_weight)``.
    epochs, batch_size : int
        As ``model.fit``'s.
    shuffle : bool
        Whether the rows go in :func:`~skdeep.engine._common.row_order` of ``seed``.
    seed : int
        The fit's seed.
    callbacks : list of keras.callbacks.Callback
        Every callback of the fit (skdeep's included).
    fit_kwargs : dict
        More ``model.fit`` arguments.
    context : callable
        ``context(model)`` gives a context manager to run ``model.fit`` in (the backend's).
    """
    trace_cache.settle(model)  # it trains itself: its optimizer state in its variables
    x, y, sample_weight = (*data, None)[:3]
    if shuffle and _seeded_rows_serve(model, data, fit_kwargs):
        rows = SeededRows(data, batch_size, seed)
        x, y, sample_weight, batch_size, shuffle = rows, None, None, None, False
        callbacks = [_EpochOrder(rows), *callbacks]
    # Otherwise Keras shuffles: a model's own fit gets the arrays it expects, data not in
    # memory (a dataset, a generator, tensors) is read as it comes, and fit arguments that
    # read the arrays themselves (steps_per_epoch, validation_split) need arrays.
    kwargs = dict(sample_weight=sample_weight, validation_data=validation_data, epochs=epochs,
                  batch_size=batch_size, shuffle=shuffle, callbacks=callbacks, verbose=0)
    kwargs.update(fit_kwargs)

    def fit():
        with context(model):
            return model.fit(x, y, **kwargs).history

    return until_interrupted(model, callbacks, fit)


def _seeded_rows_serve(model, data, fit_kwargs):
    return not overrides(model, "fit") and in_memory(data) and \
        not any(name in fit_kwargs for name in _READS_THE_DATA)


class SeededRows(keras.utils.PyDataset):
    """In-memory rows in batches, in :func:`~skdeep.engine._common.row_order` each epoch.

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
        self.order = row_order(self.seed, epoch, self.n)

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
