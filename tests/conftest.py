"""Small slices of the bundled real data sets, shared by the tests."""

import skdeep  # noqa: F401  (first: keeps TensorFlow's C++ logs quiet)
import copy

import numpy as np
import pytest
from sklearn.datasets import make_regression
from sklearn.preprocessing import StandardScaler

from skdeep.datasets import load_adult, load_california_housing


@pytest.fixture(scope="session")
def california():
    """1,500 scaled California districts for training and 500 for testing."""
    X, y = load_california_housing(return_X_y=True)
    rng = np.random.RandomState(0)
    rows = rng.permutation(len(X))[:2000]
    X, y = X[rows], y[rows]
    scaler = StandardScaler().fit(X[:1500])
    return scaler.transform(X[:1500]), y[:1500], scaler.transform(X[1500:]), y[1500:]


@pytest.fixture(scope="session")
def _fitted_regressor(california):
    X, y, _, _ = california
    return skdeep.DeepRegressor(hidden_layer_sizes=(8,), epochs=2, random_state=0).fit(X, y)


@pytest.fixture
def fitted_regressor(_fitted_regressor):
    """A DeepRegressor fitted on ``california`` (8 hidden units, 2 epochs, seeded): a copy of
    one fit for each test, which may change, refit or break it."""
    return copy.deepcopy(_fitted_regressor)


@pytest.fixture(scope="session")
def adult():
    """The six numeric Adult columns (scaled) with string labels, 3,000 train / 1,000 test."""
    X, y = load_adult(return_X_y=True)
    numeric = [0, 2, 4, 10, 11, 12]
    rng = np.random.RandomState(0)
    rows = rng.permutation(len(X))[:4000]
    X, y = X[rows][:, numeric].astype(float), y[rows]
    scaler = StandardScaler().fit(X[:3000])
    return scaler.transform(X[:3000]), y[:3000], scaler.transform(X[3000:]), y[3000:]



@pytest.fixture(scope="session")
def tiny():
    """120 rows of a 5-feature linear problem, y scaled to unit variance: for plumbing tests."""
    X, y = make_regression(n_samples=120, n_features=5, noise=1.0, random_state=0)
    return X, y / np.std(y)

def pytest_collection_modifyitems(config, items):
    """Skip the ``gpu``-marked tests where the backend sees no GPU, and the
    ``tensorflow``-marked ones under another backend."""
    from skdeep.runtime import backend

    if backend() != "tensorflow":
        skip = pytest.mark.skip(reason=f"needs Keras's TensorFlow backend (this is {backend()})")
        for item in items:
            if item.get_closest_marker("tensorflow"):
                item.add_marker(skip)
    if not any(item.get_closest_marker("gpu") for item in items):
        return
    from skdeep.device import visible_devices

    if visible_devices("gpu"):
        return
    skip = pytest.mark.skip(reason=f"no GPU visible to {backend()}")
    for item in items:
        if item.get_closest_marker("gpu"):
            item.add_marker(skip)
