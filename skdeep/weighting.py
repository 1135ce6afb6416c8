"""Sample weights as repetitions: a row weighted 2 counts as that row twice.

What ``fit`` learns from the training rows (a Wide & Deep table's scaling, vocabularies and
bins, a numeric embedding's bins, "balanced" class weights) counts each row as often as its
weight, and the loss is the weighted mean: :func:`rescaled` makes the weights average 1, so
that Keras's mean over each batch's rows adds up, over the whole data, to the sum of the
weighted losses divided by the sum of the weights.
"""

import numpy as np


def rescaled(weights):
    """``weights`` (float64) rescaled to average 1 over their rows; None stays None.

    With one batch of all the rows, Keras's loss (the mean over rows of each row's weighted
    loss) is then ``sum(w * loss) / sum(w)``: weights all 2, or all 1, train as no weights,
    and an integer weight k as the row repeated k times.  With mini-batches each batch's loss
    is its rows' share of that weighted mean, and an epoch's loss (``history_``, Keras's
    mean over its batches by their size) is the weighted mean over all its rows.
    All-zero weights (possible after ``class_weight``) are left as they are.
    """
    if weights is None:
        return None
    weights = np.asarray(weights, dtype=np.float64)
    total = weights.sum()
    return weights * (len(weights) / total) if total > 0 else weights


def weighted_quantile(values, q, weights=None):
    """``np.quantile(values, q)`` (linear interpolation) with each value counted ``weights``
    times: for integer weights, exactly the quantile of the values repeated (bit for bit).

    Real weights extend it: the sorted values fill consecutive stretches of length their
    weight, and the quantile interpolates between positions ``floor(h)`` and ``floor(h) + 1``
    with ``h = q * (sum(weights) - 1)``, as numpy does for ``sum(weights)`` values.  Values of
    weight 0 are never chosen.

    >>> weighted_quantile([1.0, 2.0, 4.0], [0.25, 0.5], [1, 0, 3]).tolist()  # 1, 4, 4, 4
    [3.25, 4.0]
    """
    values = np.asarray(values, dtype=np.float64)
    if weights is None:
        return np.quantile(values, q)
    q = np.asarray(q, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    kept = weights > 0
    values, weights = values[kept], weights[kept]
    order = np.argsort(values, kind="stable")
    values, ends = values[order], np.cumsum(weights[order])  # value i: positions < ends[i]
    # numpy's own steps (lib._function_base_impl._quantile, _get_indexes and _lerp).
    position = (ends[-1] - 1) * q
    below = np.floor(position)
    gamma = position - below
    last = len(values) - 1
    at_end = position >= ends[-1] - 1

    def value_at(index):
        chosen = np.minimum(np.searchsorted(ends, index, side="right"), last)
        return values[np.where(at_end, last, chosen)]

    a, b = value_at(below), value_at(below + 1)
    difference = b - a
    return np.where(gamma >= 0.5, b - difference * (1 - gamma), a + difference * gamma)[()]


def weighted_counts(keys, weights=None):
    """Each distinct key (sorted) and its count, or the sum of its rows' weights."""
    unique, inverse = np.unique(keys, return_inverse=True)
    if weights is None:
        return unique, np.bincount(inverse.ravel(), minlength=len(unique))
    return unique, np.bincount(inverse.ravel(), weights=weights, minlength=len(unique))
