"""Fuzzing with hypothesis: over 1,000 generated inputs, only ValueError or TypeError escape.

Shapes, dtypes, NaN and infinity, huge values, label types and sample weights go to ``fit``
(every estimator, real one-epoch fits) and to ``predict`` / ``predict_proba`` of fitted
estimators.  Whatever comes back must be finite and of the right length; anything raised
must be a ValueError or TypeError (sklearn's and skdeep's errors derive from them).
"""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.base import BaseEstimator

import skdeep

PUBLIC = [getattr(skdeep, name) for name in skdeep.__all__]
ESTIMATORS = [c for c in PUBLIC if isinstance(c, type) and issubclass(c, BaseEstimator)]
ALLOWED = (ValueError, TypeError)
RUNS = {"predict": 900, "fit": 200}

finite_or_not = st.floats(allow_nan=True, allow_infinity=True, width=64)
numbers = st.one_of(st.floats(-1e3, 1e3), finite_or_not, st.integers(-10**6, 10**6))
cells = st.one_of(numbers, st.sampled_from(["a", "b", "", "1.5"]), st.none(), st.booleans())


@st.composite
def matrices(draw, rows, columns):
    """2-D X of any dtype: floats (with NaN, inf, huge), ints, bools, strings or objects."""
    shape = (draw(rows), draw(columns))
    kind = draw(st.sampled_from(["float", "int", "bool", "object", "nd"]))
    if kind == "float":
        return draw(arrays(np.float64, shape, elements=numbers.filter(
            lambda v: isinstance(v, float))))
    if kind == "int":
        return draw(arrays(np.int64, shape, elements=st.integers(-100, 100)))
    if kind == "bool":
        return draw(arrays(np.bool_, shape))
    if kind == "nd":
        return np.zeros((shape[0], shape[1], draw(st.integers(1, 3))))
    return draw(arrays(object, shape, elements=cells))


@st.composite
def targets(draw, n):
    kind = draw(st.sampled_from(["float", "int", "str", "bool", "mixed", "2d", "constant"]))
    if kind == "float":
        return draw(arrays(np.float64, n, elements=numbers.filter(
            lambda v: isinstance(v, float))))
    if kind == "int":
        return draw(arrays(np.int64, n, elements=st.integers(0, 3)))
    if kind == "str":
        return np.array(draw(st.lists(st.sampled_from(["cat", "dog", "eel"]), min_size=n,
                                      max_size=n)), dtype=object)
    if kind == "bool":
        return draw(arrays(np.bool_, n))
    if kind == "mixed":
        return np.array(draw(st.lists(st.sampled_from([1, "one", 2.5]), min_size=n,
                                      max_size=n)), dtype=object)
    if kind == "2d":
        return draw(arrays(np.float64, (n, draw(st.integers(1, 3))),
                           elements=st.floats(-10, 10)))
    return np.ones(n)


def weights(n):
    return st.one_of(st.none(), arrays(np.float64, n, elements=st.floats(-1, 5)),
                     arrays(np.float64, n + 1, elements=st.floats(0, 5)),
                     arrays(np.float64, n, elements=finite_or_not))


def check_output(output, n_rows):
    output = np.asarray(output)
    assert len(output) == n_rows
    if output.dtype.kind in "fc":
        assert np.isfinite(output).all(), "a prediction is NaN or infinite"


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 3))
    result = []
    for cls in ESTIMATORS:
        y = X[:, 0] > 0 if "Classifier" in cls.__name__ else X[:, 0]
        result.append(cls(hidden_layer_sizes=(4,), epochs=1, random_state=0).fit(X, y))
    return result


@pytest.mark.slow
def test_fuzz_only_value_or_type_errors_escape(fitted):
    seen = {"predict": 0, "fit": 0, "raised": 0}
    def fuzz(runs):
        return settings(max_examples=runs, deadline=None, derandomize=True, database=None,
                        suppress_health_check=list(HealthCheck))

    @fuzz(RUNS["predict"])
    @given(st.integers(0, len(fitted) - 1),
           matrices(st.integers(0, 30), st.sampled_from([3, 3, 3, 0, 1, 4])),
           st.sampled_from(["predict", "predict_proba"]))
    def predict_case(which, X, method):
        seen["predict"] += 1
        estimator = fitted[which]
        if not hasattr(estimator, method):
            method = "predict"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                output = getattr(estimator, method)(X)
        except ALLOWED:
            seen["raised"] += 1
            return
        check_output(output, X.shape[0])

    @fuzz(RUNS["fit"])
    @given(st.sampled_from(ESTIMATORS), st.integers(0, 12).flatmap(
        lambda n: st.tuples(matrices(st.just(n), st.integers(0, 3)), targets(n), weights(n))))
    def fit_case(cls, data):
        seen["fit"] += 1
        X, y, sample_weight = data
        estimator = cls(hidden_layer_sizes=(2,), epochs=1, batch_size=8, random_state=0)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                estimator.fit(X, y, sample_weight=sample_weight)
                output = estimator.predict(X)
        except ALLOWED:
            seen["raised"] += 1
            return
        check_output(output, X.shape[0])

    predict_case()
    fit_case()
    total = seen["predict"] + seen["fit"]
    print(f"fuzzed {total} inputs: {seen}")
    assert total >= 1000
