"""Data checks: input arrays, column selections and sample weights."""

import functools
import numbers
import sys

import numpy as np

from .compat import checked_sample_weight, pandas_dtype_needs_early_conversion


def check_sample_weight(sample_weight, n_samples):
    """Validated float64 sample weights for ``n_samples`` rows (a new array: the caller's is
    never modified).

    Negative weights are rejected: a negative weight turns a loss into a reward.
    """
    if sample_weight is None:
        return None
    return checked_sample_weight(sample_weight, n_samples)


def plain_frame_dtypes(X, feature_names):
    """The column dtypes of ``X`` when ``validate_data`` would only take its values, else None.

    For checks without a finiteness test (Wide & Deep's), that is when ``X`` is a pandas
    DataFrame (not a subclass) with rows and exactly the fitted ``feature_names``, in order,
    and no column that ``check_array`` converts in a step of its own (bool, pandas's nullable
    numbers, sparse): ``validate_data`` then returns ``np.asarray(X, dtype)``.  None sends
    X to the full validation.
    """
    pandas = sys.modules.get("pandas")  # not imported: X is no pandas DataFrame
    if (pandas is None or type(X) is not pandas.DataFrame or feature_names is None
            or not len(X) or X.columns.tolist() != feature_names.tolist()):
        return None
    dtypes = tuple(X.dtypes)
    try:
        return None if _converted_first(dtypes) else dtypes
    except TypeError:  # an extension dtype that cannot be hashed, so not cached
        return None


@functools.lru_cache(maxsize=64)
def _converted_first(dtypes):
    # Cached: asking pandas about 14 columns' dtypes takes 0.07 ms, and a table's dtypes
    # come back at every predict.
    from pandas import SparseDtype

    return any(pandas_dtype_needs_early_conversion(d) or isinstance(d, SparseDtype)
               for d in dtypes)


def resolve_columns(selector, n_features, feature_names, parameter, owner):
    """Integer column indices for a column selector, or a ValueError naming ``parameter``.

    ``selector`` is None (all columns), a slice, a boolean mask, integer indices, or column
    names when the estimator was fitted on a DataFrame.

    >>> resolve_columns(slice(0, 2), 4, None, "wide_columns", "WideDeepRegressor")
    array([0, 1])
    >>> resolve_columns(["b"], 2, np.array(["a", "b"]), "deep_columns", "WideDeepRegressor")
    array([1])
    """
    every = np.arange(n_features)
    if selector is None:
        return every
    if isinstance(selector, slice):
        return every[selector]
    items = np.atleast_1d(np.asarray(selector, dtype=object))
    where = f"The {parameter!r} parameter of {owner}"
    if items.ndim != 1:
        raise ValueError(f"{where} must be one-dimensional; got shape {items.shape}.")
    if items.size and all(isinstance(i, (bool, np.bool_)) for i in items):
        if items.size != n_features:
            raise ValueError(
                f"{where} is a boolean mask of length {items.size}, but X has {n_features} "
                "columns."
            )
        return np.flatnonzero(items.astype(bool))
    if all(isinstance(i, numbers.Integral) for i in items):
        indices = items.astype(int)
        bad = indices[(indices < -n_features) | (indices >= n_features)]
        if bad.size:
            raise ValueError(
                f"{where} has column indices {bad.tolist()} out of range for X with "
                f"{n_features} columns."
            )
        return every[indices]
    if all(isinstance(i, str) for i in items):
        if feature_names is None:
            raise ValueError(
                f"{where} names columns {items.tolist()}, but X has no column names: fit on a "
                "pandas DataFrame, or select columns by index."
            )
        names = list(feature_names)
        unknown = [i for i in items if i not in names]
        if unknown:
            raise ValueError(
                f"{where} names columns {unknown} that X does not have; its columns are "
                f"{names}."
            )
        return np.asarray([names.index(i) for i in items])
    raise TypeError(
        f"{where} must be None, a slice, a boolean mask, integer indices or column names; "
        f"got {selector!r}."
    )
