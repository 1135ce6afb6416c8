"""WideDeepRegressor: column subsets, the auxiliary head, pipelines with column names."""

import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import WideDeepRegressor
from skdeep.datasets import load_california_housing


@pytest.mark.slow
def test_notes_wide_and_deep_with_auxiliary_output(california):
    X, y, X_test, y_test = california
    reg = WideDeepRegressor(wide_columns=slice(0, 5), deep_columns=slice(2, None),
                            aux_loss_weight=0.1, epochs=30, random_state=0).fit(X, y)
    assert reg.wide_columns_.tolist() == [0, 1, 2, 3, 4]
    assert reg.deep_columns_.tolist() == [2, 3, 4, 5, 6, 7]
    model = reg.model_
    assert [t.shape[1] for t in model.inputs] == [5, 6]
    assert model.output_names == ["main", "aux"]
    assert {"main_loss", "aux_loss", "loss"} <= set(reg.history_)
    # predict returns the main head: the sum of the wide and the deep logits.
    main = model(reg.encoder_.transform(X_test))[0]
    np.testing.assert_allclose(reg.predict(X_test), np.asarray(main)[:, 0], rtol=1e-5)
    assert reg.score(X_test, y_test) > 0.6


@pytest.mark.parametrize(
    "wide, deep, expected",
    [
        ([0, 1], [-1], ([0, 1], [7])),
        (np.arange(8) < 3, None, ([0, 1, 2], list(range(8)))),
        (None, slice(6, 8), (list(range(8)), [6, 7])),
        ([], [0, 1, 2], ([], [0, 1, 2])),
    ],
)
@pytest.mark.slow
def test_column_selectors(california, wide, deep, expected):
    X, y, _, _ = california
    reg = WideDeepRegressor(wide_columns=wide, deep_columns=deep, hidden_layer_sizes=(8,),
                            epochs=1).fit(X, y)
    assert (reg.wide_columns_.tolist(), reg.deep_columns_.tolist()) == expected
    assert reg.predict(X[:2]).shape == (2,)


@pytest.mark.slow
def test_names_through_a_pandas_pipeline():
    X, y = load_california_housing(return_X_y=True, as_frame=True)
    X, y = X.iloc[:1000], y.iloc[:1000]
    reg = WideDeepRegressor(wide_columns=["MedInc", "HouseAge"],
                            deep_columns=["Latitude", "Longitude", "MedInc"],
                            hidden_layer_sizes=(16,), epochs=3, random_state=0)
    pipeline = make_pipeline(StandardScaler().set_output(transform="pandas"), reg).fit(X, y)
    assert reg.deep_columns_.tolist() == [6, 7, 0]
    assert pipeline.predict(X.iloc[:4]).shape == (4,)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"wide_columns": [0, 9]}, r"'wide_columns' .* indices \[9\] out of range .* 8 columns"),
        ({"deep_columns": ["Latitude"]}, "'deep_columns' .* no column names"),
        ({"wide_columns": [True, False]}, "'wide_columns' .* mask of length 2.* 8 columns"),
        ({"aux_loss_weight": 1.0}, r"'aux_loss_weight' parameter .* range \[0.0, 1.0\). Got 1.0"),
    ],
)
def test_bad_column_selections(california, params, message):
    X, y, _, _ = california
    with pytest.raises(ValueError, match=message):
        WideDeepRegressor(epochs=1, **params).fit(X, y)


def test_unknown_column_names_list_what_is_available():
    X, y = load_california_housing(return_X_y=True, as_frame=True)
    with pytest.raises(ValueError, match=r"\['Latitud'\] .* its columns are \['MedInc'"):
        WideDeepRegressor(wide_columns=["Latitud"], epochs=1).fit(X.iloc[:50], y.iloc[:50])


def test_multi_output_target(california):
    X, y, X_test, _ = california
    Y = pd.DataFrame({"value": y, "twice": 2 * y}).to_numpy()
    reg = WideDeepRegressor(aux_loss_weight=0.2, hidden_layer_sizes=(16,), epochs=3,
                            random_state=0).fit(X, Y)
    assert reg.predict(X_test).shape == (len(X_test), 2)
