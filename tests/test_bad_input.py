"""The bad-input matrix: every estimator, every kind of bad input, a clear error, nothing changed.

Each row feeds a bad input to a fitted estimator, expects the exception and message in
``docs/bad_input.md`` (which ``docs/build.py`` writes from these rows), and checks that the
estimator then predicts exactly as before.
"""

import copy
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse
from sklearn.base import BaseEstimator, is_classifier

import skdeep
from skdeep.exceptions import BuilderError

PUBLIC = [getattr(skdeep, name) for name in skdeep.__all__]
ESTIMATORS = [c for c in PUBLIC if isinstance(c, type) and issubclass(c, BaseEstimator)]
TABLE = Path(__file__).parent.parent / "docs" / "bad_input.md"


def data(estimator):
    rng = np.random.RandomState(0)
    X = pd.DataFrame(rng.normal(size=(60, 4)), columns=["a", "b", "c", "d"])
    y = X["a"] + X["b"] ** 2
    return X, (np.where(y > y.median(), "high", "low") if classifies(estimator) else y)


def with_value(X, value):
    X = X.copy()
    X.iloc[3, 1] = value
    return X


def not_a_model(meta):
    return "a string"


def raising_builder(meta):
    raise RuntimeError("no GPU memory left")


# (row, applies to, call(estimator, X, y), exception, message pattern with {name}).
ROWS = [
    ("NaN in X", "all", lambda e, X, y: e.fit(with_value(X, np.nan), y),
     ValueError, "Input X contains NaN"),
    ("inf in X", "all", lambda e, X, y: e.fit(with_value(X, np.inf), y),
     ValueError, "Input X contains infinity"),
    ("NaN in y", "regressor", lambda e, X, y: e.fit(X, np.r_[np.nan, y[1:]]),
     ValueError, "Input y contains NaN"),
    ("inf in y", "regressor", lambda e, X, y: e.fit(X, np.r_[np.inf, y[1:]]),
     ValueError, "Input y contains infinity"),
    ("NaN in y", "classifier", lambda e, X, y: e.fit(X, np.r_[np.nan, np.ones(len(y) - 1)]),
     ValueError, "Input y contains NaN"),
    ("wrong number of columns at predict", "all",
     lambda e, X, y: e.predict(X.to_numpy()[:, :3]),
     ValueError, "X has 3 features, but {name} is expecting 4 features as input"),
    ("unknown column names at predict", "all",
     lambda e, X, y: e.predict(X.rename(columns={"d": "e"})),
     ValueError, "The feature names should match those that were passed during fit"),
    ("empty X", "all", lambda e, X, y: e.fit(X.iloc[:0], y[:0]),
     ValueError, r"Found array with 0 sample\(s\)"),
    ("one sample, classifier", "classifier", lambda e, X, y: e.fit(X.iloc[:1], y[:1]),
     ValueError, "{name} needs samples of at least 2 classes in y; got only one class"),
    ("3-D X, Wide & Deep", "wide", lambda e, X, y: e.fit(np.zeros((60, 4, 2)), y),
     ValueError, "Found array with dim 3, while dim <= 2 is required"),
    ("3-D X at predict after a 2-D fit", "plain", lambda e, X, y: e.predict(np.zeros((5, 4, 2))),
     ValueError, r"X has shape \(None, 4, 2\) \(rows first\), but {name} was fitted on shape "
     r"\(None, 4\)"),
    ("predict__batch_size=0", "all", lambda e, X, y: type(e)(predict__batch_size=0).fit(X, y),
     ValueError, "predict__batch_size must be an int >= 1, -1 .* or None. Got 0 instead"),
    ("sparse X", "all", lambda e, X, y: e.fit(scipy.sparse.csr_matrix(X.to_numpy()), y),
     TypeError, "Sparse data was passed for X, but dense data is required"),
    ("string column, no categorical support", "plain",
     lambda e, X, y: e.fit(X.assign(b=X["b"].astype(str)), y),
     ValueError, r"{name} needs numeric X, but columns \['b'\] hold strings"),
    ("string column with categorical_columns=None", "wide",
     lambda e, X, y: e.set_params(categorical_columns=None).fit(X.assign(b="x"), y),
     ValueError, "could not convert string to float: 'x'"),
    ("one class in y", "classifier", lambda e, X, y: e.fit(X, np.full(len(y), "low")),
     ValueError, "needs samples of at least 2 classes in y; got only one class: 'low'"),
    ("X and y lengths differ", "all", lambda e, X, y: e.fit(X, y[:-1]),
     ValueError, r"inconsistent numbers of samples: \[60, 59\]"),
    ("sample_weight length differs", "all",
     lambda e, X, y: e.fit(X, y, sample_weight=np.ones(59)),
     ValueError, r"sample_weight.shape == \(59,\), expected \(60,\)"),
    ("negative sample weights", "all",
     lambda e, X, y: e.fit(X, y, sample_weight=-np.ones(60)),
     ValueError, "Negative values in data passed to `sample_weight`"),
    ("negative epochs", "all", lambda e, X, y: e.set_params(epochs=-3).fit(X, y),
     ValueError, r"The 'epochs' parameter of {name} must be an int in the range \[1, inf\). "
                 "Got -3 instead."),
    ("unknown activation", "all", lambda e, X, y: e.set_params(activation="relux").fit(X, y),
     ValueError, "The 'activation' parameter of {name} must be a Keras activation name"),
    ("unknown optimizer", "all", lambda e, X, y: e.set_params(optimizer="adamm").fit(X, y),
     ValueError, "The 'optimizer' parameter of {name} must be a Keras optimizer name or "
                 "object. Got 'adamm' instead."),
    ("validation_fraction outside (0, 1)", "all",
     lambda e, X, y: e.set_params(validation_fraction=1.5).fit(X, y),
     ValueError, r"The 'validation_fraction' parameter of {name} must be a float in the range "
                 r"\(0.0, 1.0\). Got 1.5 instead."),
    ("device that does not parse", "all",
     lambda e, X, y: e.set_params(device="tpu:x").fit(X, y),
     ValueError, "The 'device' parameter of {name} must be \"auto\", \"cpu\", \"gpu\", "
                 "\"cpu:N\" or \"gpu:N\""),
    ("builder returns no model", "all", lambda e, X, y: e.set_params(model=not_a_model).fit(X, y),
     BuilderError, "The model builder not_a_model returned str, not a keras.Model."),
    ("builder raises", "all", lambda e, X, y: e.set_params(model=raising_builder).fit(X, y),
     RuntimeError, "no GPU memory left"),
]


def classifies(cls):
    return is_classifier(cls())


def applies(kind, cls):
    wide = cls.__name__.startswith("Wide")
    return {"all": True, "classifier": classifies(cls), "regressor": not classifies(cls),
            "plain": not wide, "wide": wide}[kind]


CASES = [pytest.param(est, row, id=f"{est.__name__}-{row[0]}")
         for est in ESTIMATORS for row in ROWS if applies(row[1], est)]


@pytest.fixture(scope="module")
def fitted():
    estimators = {}
    for cls in ESTIMATORS:
        X, y = data(cls)
        estimators[cls] = cls(hidden_layer_sizes=(4,), epochs=2, random_state=0).fit(X, y)
    return estimators


@pytest.mark.parametrize("cls, row", CASES)
@pytest.mark.slow
def test_bad_input_raises_clearly_and_changes_nothing(fitted, cls, row):
    name, _, call, exception, pattern = row
    estimator = copy.deepcopy(fitted[cls])
    X, y = data(cls)
    before = estimator.predict(X)
    message = pattern.format(name=cls.__name__)
    with pytest.raises(exception, match=message) as raised, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "X does not have valid feature names"
        call(estimator, X, y)
    if name == "builder raises":
        assert "model builder raising_builder" in raised.value.__notes__[0]
    np.testing.assert_array_equal(estimator.predict(X), before)


def test_the_docs_table_lists_every_row():
    table = TABLE.read_text()
    for name, *_ in ROWS:
        assert f"| {name} |" in table, f"docs/bad_input.md lacks the row {name!r}"


@pytest.mark.slow
def test_one_sample_trains_a_regressor():
    for cls in (skdeep.DeepRegressor, skdeep.WideDeepRegressor):
        X, y = data(cls)
        prediction = cls(epochs=2, random_state=0).fit(X.iloc[:1], y[:1]).predict(X)
        assert np.isfinite(prediction).all()
