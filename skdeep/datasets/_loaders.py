"""Loaders for the compressed CSV files in ``skdeep/datasets/data`` (see its README)."""

import csv
import gzip
from importlib import resources

import numpy as np
from sklearn.utils import Bunch

_ADULT_NUMERIC = {
    "age",
    "fnlwgt",
    "educational-num",
    "capital-gain",
    "capital-loss",
    "hours-per-week",
}


def _read_csv(filename):
    path = resources.files(__package__) / "data" / filename
    with gzip.open(path, "rt", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _bunch(frame, data, target, feature_names, target_name, descr, as_frame, return_X_y):
    if as_frame:
        import pandas as pd  # optional dependency, only needed for frames

        frame = pd.DataFrame(dict(zip(frame["names"], frame["columns"])))
        data, target = frame[feature_names], frame[target_name]
    else:
        frame = None
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        frame=frame,
        feature_names=list(feature_names),
        target_names=[target_name],
        DESCR=descr,
    )


def load_california_housing(*, return_X_y=False, as_frame=False):
    """Load the California housing regression data set (20,640 districts).

    Eight numeric features per block group of the 1990 U.S. census and the median house value
    in units of 100,000 USD (capped at 5.00001).  Read from a compressed file bundled with
    skdeep; the table is the one ``sklearn.datasets.fetch_california_housing`` downloads.

    Parameters
    ----------
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame and ``target`` a Series (needs pandas).

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        With ``data`` (20640, 8) float64, ``target`` (20640,) float64, ``frame``,
        ``feature_names``, ``target_names`` and ``DESCR``.
    (data, target) : tuple if ``return_X_y`` is True.

    See Also
    --------
    load_adult : Classification data with categorical columns.

    Examples
    --------
    >>> from skdeep.datasets import load_california_housing
    >>> X, y = load_california_housing(return_X_y=True)
    >>> X.shape, y.shape
    ((20640, 8), (20640,))
    """
    header, rows = _read_csv("california_housing.csv.gz")
    values = np.asarray(rows, dtype=np.float64)
    data, target = values[:, :-1], values[:, -1]
    frame = {"names": header, "columns": list(values.T)}
    descr = (
        "California housing (Pace & Barry 1997, StatLib): 20640 block groups, 8 numeric "
        "features, target MedHouseVal in 100k USD."
    )
    return _bunch(frame, data, target, header[:-1], header[-1], descr, as_frame, return_X_y)


def load_adult(*, return_X_y=False, as_frame=False):
    """Load the UCI Adult census income data set (48,842 people, train and test combined).

    Six integer and eight categorical (string) features; the target says whether income
    exceeds 50K USD a year.  Missing values (``?`` in the source) are NaN in numeric form
    and in frames, and ``None`` in the object array.

    Parameters
    ----------
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame (numeric columns int64, the others strings)
        and ``target`` a Series of ``"<=50K"`` / ``">50K"`` (needs pandas).  If False,
        ``data`` is an object array.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        With ``data`` (48842, 14), ``target`` (48842,), ``frame``, ``feature_names``,
        ``target_names`` and ``DESCR``.
    (data, target) : tuple if ``return_X_y`` is True.

    See Also
    --------
    load_california_housing : Regression data with numeric columns.

    Examples
    --------
    >>> from skdeep.datasets import load_adult
    >>> X, y = load_adult(return_X_y=True)
    >>> X.shape, sorted(set(y))
    ((48842, 14), ['<=50K', '>50K'])
    """
    header, rows = _read_csv("adult.csv.gz")
    columns = []
    for name, raw in zip(header, zip(*rows)):
        if name in _ADULT_NUMERIC:
            columns.append(np.asarray(raw, dtype=np.int64))
        else:
            columns.append(np.asarray([None if v == "?" else v for v in raw], dtype=object))
    data = np.empty((len(rows), len(header) - 1), dtype=object)
    for j, column in enumerate(columns[:-1]):
        data[:, j] = column
    frame = {"names": header, "columns": columns}
    descr = (
        "UCI Adult census income (Kohavi 1996), CC BY 4.0: 48842 rows, 6 integer and 8 "
        "categorical features, target income <=50K / >50K."
    )
    return _bunch(frame, data, columns[-1], header[:-1], header[-1], descr, as_frame, return_X_y)
