"""What the model learns: y split by output, targets encoded for each head's loss, and back.

A model may have several outputs ("heads").  After the model is built, :func:`plan_heads`
decides which columns of y each head learns, from the output names and sizes:

- y keyed by output names (a dict, or a DataFrame whose columns are the names);
- one column per output, in output order (when each head takes one column);
- columns split by the heads' widths (regression heads of several units);
- one y shared by every head (an auxiliary output, ``fit(X, [y, y])``):
  then ``predict`` returns the first head's output.

A head whose loss is a classification loss (``*crossentropy``) learns labels.  How they reach
Keras follows the loss: class indices for sparse losses, one-hot rows for
``categorical_crossentropy`` (and for ``binary_crossentropy`` on a unit per class), 0/1 for a
single sigmoid unit.
"""

import keras
import numpy as np

from .keras_objects import loss_family


class Head:
    """One model output and the targets it learns.

    Attributes
    ----------
    name : str
        The output's name.
    columns : ndarray of int or None
        The columns of y it learns; None for all of y (shared by every head).
    classifies : bool
        Whether it learns labels (a classification loss) or numbers.
    encoding : {"numbers", "indices", "onehot", "binary"}
        How its targets reach Keras.
    softmax : bool
        Whether its output layer is a softmax (its rows sum to one).
    units : int
        The output's width.
    classes : ndarray or None
        The labels a classification head predicts.
    """

    def __init__(self, name, columns, classifies, encoding, softmax, units):
        self.name, self.columns, self.classifies = name, columns, classifies
        self.encoding, self.softmax, self.units = encoding, softmax, units
        self.classes = None  # the labels of a classification head, set when they are learned

    def labels(self, output):
        """Predicted labels, shape (n,), from this head's output (n, units)."""
        chosen = (output[:, 0] > 0.5).astype(int) if output.shape[1] == 1 \
            else np.argmax(output, axis=1)
        return self.classes[chosen]


def output_names(model):
    names = getattr(model, "output_names", None)
    return list(names) if names else [t.name for t in model.outputs]


def head_losses(model):
    """The compiled loss of each output, in output order (None where it has none)."""
    names, loss = output_names(model), getattr(model, "loss", None)
    if isinstance(loss, dict):
        return [loss.get(name) for name in names]
    if isinstance(loss, (list, tuple)):
        return list(loss) + [None] * (len(names) - len(loss))
    return [loss] * len(names)


def is_softmax(model, name):
    try:
        layer = model.get_layer(name) if len(model.outputs) > 1 else model.layers[-1]
    except ValueError:
        return False
    activation = getattr(layer, "activation", None)
    return isinstance(layer, keras.layers.Softmax) or activation is keras.activations.softmax


def plan_heads(model, y_width, y_names, owner, classifies):
    """The :class:`Head` list for ``model`` and a y of ``y_width`` columns.

    ``y_names`` are y's column names when y came keyed by output names (else None);
    ``classifies(family)`` says whether a head with a loss of that family learns labels.
    """
    names = output_names(model)
    families = [loss_family(loss) for loss in head_losses(model)]
    learns_labels = [bool(classifies(f)) for f in families]
    units = [int(t.shape[-1] or 1) for t in model.outputs]
    columns = _head_columns(names, units, learns_labels, y_width, y_names, owner)
    return [
        Head(name, cols, labels, _encoding(labels, family, n_units, softmax), softmax, n_units)
        for name, cols, labels, family, n_units, softmax in zip(
            names, columns, learns_labels, families, units,
            [is_softmax(model, n) for n in names])
    ]


def _encoding(learns_labels, family, units, softmax):
    if not learns_labels:
        return "numbers"
    if family == "categorical" or (family == "binary" and units > 1):
        return "onehot"
    if family == "binary":
        return "binary"
    return "indices"


def _head_columns(names, units, learns_labels, y_width, y_names, owner):
    k = len(names)
    widths = [1 if labels else u for labels, u in zip(learns_labels, units)]
    if y_names is not None and k > 1:
        return _columns_by_name(names, y_names, owner)
    if k == 1:
        return [None]
    if y_width == k and all(w == 1 for w in widths):
        return [np.array([j]) for j in range(k)]
    if y_width == sum(widths):
        edges = np.cumsum([0, *widths])
        return [np.arange(edges[j], edges[j + 1]) for j in range(k)]
    if all(w == y_width or (labels and y_width == 1) for w, labels in zip(widths, learns_labels)):
        return [None] * k
    raise ValueError(
        f"The model of {owner} has {k} outputs {names} of {units} units, but y has {y_width} "
        "columns: give one column per output in output order, a dict or DataFrame keyed by "
        "the output names, or one y for every output."
    )


def _columns_by_name(names, y_names, owner):
    missing = [n for n in names if n not in y_names]
    unknown = [n for n in dict.fromkeys(y_names) if n not in names]
    if missing or unknown:
        raise ValueError(
            f"y is keyed by {list(dict.fromkeys(y_names))}, but the model of {owner} has the "
            f"outputs {names}: missing {missing}, unknown {unknown}."
        )
    y_names = np.asarray(y_names, dtype=object)
    return [np.flatnonzero(y_names == name) for name in names]


def y_by_name(y):
    """A dict y (output name -> array) as one 2-D array and its column names; else (y, None).

    A DataFrame's column names are kept too, so y can be matched to output names.
    """
    if isinstance(y, dict):
        parts = {name: np.asarray(v) for name, v in y.items()}
        rows = {name: len(v) for name, v in parts.items()}
        if len(set(rows.values())) > 1:
            raise ValueError(f"The arrays of y have different numbers of rows: {rows}.")
        columns = [v.reshape(len(v), -1) for v in parts.values()]
        names = [name for name, v in zip(parts, columns) for _ in range(v.shape[1])]
        kinds = {v.dtype.kind for v in columns}
        dtype = object if kinds & set("OSU") else None
        return np.hstack([v.astype(dtype) if dtype else v for v in columns]), names
    columns = getattr(y, "columns", None)
    if columns is not None and len(columns) > 1:
        return y, [str(c) for c in columns]
    return y, None


def in_fitted_order(y, names, fitted, owner):
    """y (from :func:`y_by_name`) with its columns in the order of the names it was fitted
    with; y unchanged when either side is unnamed."""
    if names is None or fitted is None or names == fitted:
        return y
    if sorted(names) != sorted(fitted):
        raise ValueError(f"y is keyed by {list(dict.fromkeys(names))}, but {owner} was fitted "
                         f"on y keyed by {list(dict.fromkeys(fitted))}.")
    y, names = np.asarray(y), np.asarray(names, dtype=object)
    return np.column_stack([y[:, names == name][:, i] for name, i in _occurrences(fitted)])


def _occurrences(names):
    """Each name with its count so far: ["a", "a", "b"] -> ("a", 0), ("a", 1), ("b", 0)."""
    seen = {}
    for name in names:
        yield name, seen.get(name, 0)
        seen[name] = seen.get(name, 0) + 1


def head_values(head, y):
    """The part of y that ``head`` learns."""
    return y if head.columns is None else y[:, head.columns]


def encode_classes(head, indices):
    """A classification head's targets from class indices, in the encoding its loss needs."""
    indices = np.asarray(indices).reshape(len(indices)).astype(np.int32)
    if head.encoding == "onehot":
        return np.eye(len(head.classes), dtype=np.float32)[indices]
    if head.encoding == "binary":
        return indices.astype(np.float32)
    return indices


def check_head_classes(head, n_classes, owner):
    """A ValueError when a classification head cannot represent ``n_classes`` classes."""
    if head.encoding == "binary" and n_classes > 2:
        raise ValueError(
            f"The output {head.name!r} of the model of {owner} has one unit with a binary "
            f"loss, but its target has {n_classes} classes: give it one unit per class with "
            "a softmax and sparse_categorical_crossentropy."
        )
    if head.units > 1 and head.units != n_classes:
        raise ValueError(
            f"The output {head.name!r} of the model of {owner} has {head.units} units, but its "
            f"target has {n_classes} classes: it needs one unit per class (or one sigmoid "
            "unit for two classes)."
        )


def probabilities(output):
    """(n, n_classes) class probabilities from a head's output (one sigmoid unit: two)."""
    return np.hstack([1 - output, output]) if output.shape[1] == 1 else output
