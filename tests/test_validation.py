"""Data checks (skdeep/validation.py): column selections and sample weights."""

import numpy as np
import pytest

from skdeep.validation import check_sample_weight, resolve_columns


def test_column_selectors_of_every_kind_resolve_to_indices():
    names = np.array(["a", "b", "c"])
    assert resolve_columns(None, 3, names, "deep_columns", "Est").tolist() == [0, 1, 2]
    assert resolve_columns(slice(1, None), 3, names, "deep_columns", "Est").tolist() == [1, 2]
    assert resolve_columns([True, False, True], 3, None, "deep_columns", "Est").tolist() == [0, 2]
    assert resolve_columns([-1, 0], 3, None, "deep_columns", "Est").tolist() == [2, 0]
    assert resolve_columns(["c", "a"], 3, names, "deep_columns", "Est").tolist() == [2, 0]


@pytest.mark.parametrize("selector, names, message", [
    ([True, False], None, "boolean mask of length 2, but X has 3 columns"),
    ([3], None, r"column indices \[3\] out of range"),
    (["a"], None, "X has no column names"),
    (["z"], np.array(["a", "b", "c"]), r"names columns \['z'\] that X does not have"),
    ([[0, 1]], None, "must be one-dimensional"),
])
def test_bad_column_selectors_name_the_parameter(selector, names, message):
    with pytest.raises(ValueError, match="The 'wide_columns' parameter of WideDeepRegressor"):
        resolve_columns(selector, 3, names, "wide_columns", "WideDeepRegressor")
    with pytest.raises(ValueError, match=message):
        resolve_columns(selector, 3, names, "wide_columns", "WideDeepRegressor")


def test_sample_weights_are_checked_and_copied():
    given = np.array([1, 2, 0])
    checked = check_sample_weight(given, 3)
    assert checked.dtype == np.float64 and checked is not given
    assert check_sample_weight(None, 3) is None
    with pytest.raises(ValueError, match="(?i)negative"):
        check_sample_weight(np.array([1.0, -1.0, 1.0]), 3)
    with pytest.raises(ValueError):
        check_sample_weight(np.ones(2), 3)
