import numpy as np
import pandas as pd

from skdeep.datasets import load_adult, load_california_housing


def test_california_matches_the_published_table():
    data = load_california_housing()
    assert data.data.shape == (20640, 8) and data.data.dtype == np.float64
    assert data.feature_names[-2:] == ["Latitude", "Longitude"]
    assert data.target_names == ["MedHouseVal"]
    # Known facts of the table: the target is capped at 5.00001 and has mean ~2.0686.
    assert data.target.max() == 5.00001
    assert abs(data.target.mean() - 2.0686) < 1e-3


def test_california_as_frame():
    X, y = load_california_housing(return_X_y=True, as_frame=True)
    assert isinstance(X, pd.DataFrame) and list(X.columns)[0] == "MedInc"
    assert isinstance(y, pd.Series) and y.name == "MedHouseVal" and len(y) == 20640


def test_adult_labels_and_missing_values():
    data = load_adult()
    assert data.data.shape == (48842, 14)
    labels, counts = np.unique(data.target, return_counts=True)
    assert labels.tolist() == ["<=50K", ">50K"] and counts.tolist() == [37155, 11687]
    workclass = data.feature_names.index("workclass")
    assert sum(v is None for v in data.data[:, workclass]) > 0  # "?" in the source


def test_adult_as_frame_types():
    X, y = load_adult(return_X_y=True, as_frame=True)
    assert X["age"].dtype == np.int64
    assert X["workclass"].isna().sum() > 0
    assert set(y.unique()) == {"<=50K", ">50K"}
