"""Wide & Deep's input strategy on raw tables (skdeep/tabular.py): categories, unseen values,
crosses, per-part optimizers, search."""

import pickle
import warnings

import keras
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.model_selection import RandomizedSearchCV, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline

from skdeep import WideDeepClassifier, WideDeepRegressor
from skdeep.datasets import load_adult, load_california_housing

CROSS = ("education", "occupation")


@pytest.fixture(scope="module")
def raw_adult():
    """3,000 raw Adult rows for training (strings, ints) and 1,000 for testing."""
    X, y = load_adult(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, train_size=3000, test_size=1000,
                                                        stratify=y, random_state=0)
    return X_train, y_train, X_test, y_test


@pytest.fixture(scope="module")
def fitted_adult(raw_adult):
    X, y, _, _ = raw_adult
    return WideDeepClassifier(crossed_columns=[CROSS], epochs=15, batch_size=64,
                              random_state=0).fit(X, y)


@pytest.mark.slow
def test_raw_dataframe_learns_categories_and_beats_the_majority(fitted_adult, raw_adult):
    _, _, X_test, y_test = raw_adult
    clf = fitted_adult
    strings = X_test.select_dtypes(exclude="number").columns.tolist()
    assert clf.feature_names_in_[clf.categorical_columns_].tolist() == strings
    assert clf.classes_.tolist() == ["<=50K", ">50K"]
    majority = (y_test == "<=50K").mean()
    assert clf.score(X_test, y_test) > majority + 0.05
    names = [t.name for t in clf.model_.inputs]
    assert names == ["wide", "deep", "wide_ids", "deep_ids"]


def test_wide_coefficients_are_named_by_feature(fitted_adult):
    coef = fitted_adult.wide_coef_
    assert "education=Bachelors" in coef and "age" in coef
    assert "occupation=<other>" in coef
    assert any(name.startswith("education x occupation=Bachelors|") for name in coef)
    assert all(isinstance(w, float) for w in coef.values())
    # Weights are the model's: after training they are no longer all zero.
    assert np.std([coef[n] for n in coef if n.startswith("education=")]) > 0


def test_unseen_missing_and_rare_values_share_the_other_bucket(fitted_adult, raw_adult):
    X, _, X_test, _ = raw_adult
    clf = fitted_adult
    rows = pd.concat([X_test.iloc[[0]]] * 4, ignore_index=True)
    rows.loc[0, "occupation"] = "Astronaut"
    rows.loc[1, "occupation"] = None
    rows.loc[2, "occupation"] = np.nan
    counts = X["native-country"].value_counts()
    rare = counts.index[counts < clf.min_frequency][0]
    rows.loc[3, "occupation"] = rare  # a value of another column: never seen in occupation
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        proba = clf.predict_proba(rows)
    assert np.isfinite(proba).all()
    np.testing.assert_array_equal(proba, np.repeat(proba[:1], 4, axis=0))
    # A rare native-country is bucketed like an unseen one.
    both = pd.concat([X_test.iloc[[0]]] * 2, ignore_index=True)
    both.loc[0, "native-country"] = rare
    both.loc[1, "native-country"] = "Atlantis"
    proba = clf.predict_proba(both)
    np.testing.assert_array_equal(proba[0], proba[1])


@pytest.mark.slow
def test_vocabulary_comes_from_the_fit_rows_only(raw_adult):
    X, y, X_test, _ = raw_adult
    no_doctors = X["education"] != "Doctorate"
    clf = WideDeepClassifier(epochs=2, random_state=0).fit(X[no_doctors], y[no_doctors])
    assert "education=Doctorate" not in clf.wide_coef_
    rows = pd.concat([X_test.iloc[[0]]] * 2, ignore_index=True)
    rows.loc[0, "education"] = "Doctorate"
    rows.loc[1, "education"] = "never seen"
    proba = clf.predict_proba(rows)
    np.testing.assert_array_equal(proba[0], proba[1])


def test_numeric_nan_is_refused_naming_x(raw_adult):
    X, y, _, _ = raw_adult
    X = X.copy()
    X.loc[X.index[0], "age"] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        WideDeepClassifier(epochs=1).fit(X, y)


@pytest.fixture(scope="module")
def california_frame():
    X, y = load_california_housing(return_X_y=True, as_frame=True)
    return train_test_split(X.iloc[:3000], y.iloc[:3000], random_state=0)


def test_latitude_longitude_cross_is_binned_and_named(california_frame):
    X_train, X_test, y_train, y_test = california_frame
    reg = WideDeepRegressor(crossed_columns=[("Latitude", "Longitude")], cross_bins=4,
                            min_frequency=1, epochs=10, random_state=0).fit(X_train, y_train)
    crosses = [n for n in reg.wide_coef_ if n.startswith("Latitude x Longitude=")]
    # 4 x 4 bins, of which those with districts in training, plus the other bucket.
    assert 8 <= len(crosses) <= 17
    assert "Latitude x Longitude=<other>" in crosses
    assert any(n.startswith("Latitude x Longitude=[-inf, ") for n in crosses)
    assert reg.score(X_test, y_test) > 0.5


def test_hashed_crosses_have_a_fixed_number_of_buckets(california_frame):
    X_train, _, y_train, _ = california_frame
    reg = WideDeepRegressor(crossed_columns=[("Latitude", "Longitude", "HouseAge")],
                            cross_buckets=32, epochs=1, random_state=0).fit(X_train, y_train)
    hashed = [n for n in reg.wide_coef_ if " x " in n]
    assert hashed == [f"Latitude x Longitude x HouseAge=#{b}" for b in range(32)]


@pytest.mark.slow
def test_each_part_has_its_own_optimizer(california_frame):
    X_train, _, y_train, _ = california_frame
    reg = WideDeepRegressor(epochs=2, random_state=0, wide_optimizer__learning_rate=0.05)
    reg.fit(X_train, y_train)
    optimizer = reg.model_.optimizer
    assert isinstance(optimizer, keras.optimizers.MultiOptimizer)
    by_variable = {v.path: optimizer._optimizer_map(v) for v in reg.model_.trainable_variables}
    assert {type(o).__name__ for p, o in by_variable.items() if p.startswith("wide_")} == {"Ftrl"}
    assert {type(o).__name__ for p, o in by_variable.items() if p.startswith("deep")} == {"Adam"}
    ftrl = next(o for o in optimizer.optimizers if isinstance(o, keras.optimizers.Ftrl))
    assert float(ftrl.learning_rate) == pytest.approx(0.05)
    # The single-replica update path is this fit's only: nothing is left patched.
    assert all("_backend_update_step" not in vars(o) for o in optimizer.optimizers)
    one = WideDeepRegressor(wide_optimizer=None, epochs=1, random_state=0).fit(X_train, y_train)
    assert isinstance(one.model_.optimizer, keras.optimizers.Adam)


@pytest.mark.parametrize(
    "params, present, absent",
    [
        ({"wide_columns": []}, ["deep_logits"], ["wide_linear", "wide_categories"]),
        ({"hidden_layer_sizes": ()}, ["wide_linear", "wide_categories"], ["deep_logits"]),
    ],
)
@pytest.mark.slow
def test_ablations_deep_only_and_wide_only(raw_adult, params, present, absent):
    X, y, X_test, y_test = raw_adult
    clf = WideDeepClassifier(epochs=5, random_state=0, **params).fit(X, y)
    layers = {layer.name for layer in clf.model_.layers}
    assert set(present) <= layers and not set(absent) & layers
    assert clf.score(X_test, y_test) > 0.78


def test_nothing_to_train_is_an_error(raw_adult):
    X, y, _, _ = raw_adult
    with pytest.raises(ValueError, match="nothing to train"):
        WideDeepClassifier(wide_columns=[], hidden_layer_sizes=()).fit(X, y)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"crossed_columns": [()]}, r"must be a list of tuples of columns"),
        ({"crossed_columns": [("education", "occupaton")]},
         r"names columns \['occupaton'\] that X does not have"),
        ({"embedding_dim": {"age": 4}}, r"sets columns \['age'\] that are not categorical"),
        ({"categorical_columns": ["colour"]}, "'categorical_columns' .*'colour'"),
        ({"cross_bins": 1}, "'cross_bins' parameter of WideDeepClassifier must be an int"),
        ({"wide_optimizer__learnig_rate": 0.1}, "did you mean wide_optimizer__learning_rate"),
    ],
)
def test_bad_settings_name_the_parameter(raw_adult, params, message):
    X, y, _, _ = raw_adult
    clf = WideDeepClassifier(epochs=1, **params)
    with pytest.raises((ValueError, TypeError), match=message):
        clf.fit(X.iloc[:200], y.iloc[:200])


def test_embedding_widths_follow_the_rule_or_the_dict(raw_adult):
    X, y, _, _ = raw_adult
    clf = WideDeepClassifier(embedding_dim={"education": 7}, hidden_layer_sizes=(8,), epochs=1,
                             random_state=0).fit(X, y)
    widths = {layer.name: layer.output_dim for layer in clf.model_.layers
              if layer.name.startswith("deep_embedding_") and hasattr(layer, "output_dim")}
    categorical = clf.feature_names_in_[clf.categorical_columns_].tolist()
    assert widths[f"deep_embedding_{categorical.index('education')}"] == 7
    gender = clf.model_.get_layer(f"deep_embedding_{categorical.index('gender')}")
    # Two values and the other bucket: 1.6 * 3 ** 0.56 rounds to 3.
    assert (gender.input_dim, gender.output_dim) == (3, 3)


def test_multiclass_with_class_weight_on_a_table(raw_adult):
    X, _, X_test, _ = raw_adult
    y = X["relationship"].to_numpy()
    X = X.drop(columns="relationship")
    clf = WideDeepClassifier(class_weight="balanced", epochs=5, random_state=0).fit(X, y)
    proba = clf.predict_proba(X_test.drop(columns="relationship"))
    assert proba.shape == (len(X_test), 6) and np.allclose(proba.sum(axis=1), 1, atol=1e-5)
    assert isinstance(next(iter(clf.wide_coef_.values())), np.ndarray)
    assert clf.score(X_test.drop(columns="relationship"), X_test["relationship"]) > 0.5


def test_pickle_and_clone_round_trip(fitted_adult, raw_adult):
    _, _, X_test, _ = raw_adult
    restored = pickle.loads(pickle.dumps(fitted_adult))
    np.testing.assert_array_equal(restored.predict_proba(X_test),
                                  fitted_adult.predict_proba(X_test))
    assert restored.wide_coef_ == fitted_adult.wide_coef_
    fresh = clone(fitted_adult)
    assert fresh.get_params() == fitted_adult.get_params() and not hasattr(fresh, "model_")


@pytest.mark.slow
def test_random_search_over_wide_and_deep_parameters(raw_adult):
    X, y, X_test, y_test = raw_adult
    search = RandomizedSearchCV(
        WideDeepClassifier(epochs=3, batch_size=64, random_state=0),
        {"crossed_columns": [[], [CROSS]], "hidden_layer_sizes": [(16,), (32, 16)],
         "embedding_dim": [None, 4], "wide_optimizer__learning_rate": [0.05, 0.2],
         "wide_columns": [None, ["education", "occupation", "age"]]},
        n_iter=3, cv=2, random_state=0,
    )
    search.fit(X.iloc[:1200], y.iloc[:1200])
    assert search.best_estimator_.score(X_test, y_test) > 0.78


@pytest.mark.slow
def test_pipeline_on_the_raw_table_keeps_column_names(raw_adult):
    X, y, X_test, y_test = raw_adult
    drop_weight = ColumnTransformer([("drop", "drop", ["fnlwgt"])], remainder="passthrough",
                                    verbose_feature_names_out=False).set_output(transform="pandas")
    pipeline = make_pipeline(drop_weight, WideDeepClassifier(crossed_columns=[CROSS], epochs=3,
                                                             random_state=0))
    scores = cross_val_score(pipeline, X.iloc[:1500], y.iloc[:1500], cv=2)
    assert (scores > 0.78).all()
    pipeline.fit(X, y)
    assert "fnlwgt" not in pipeline[-1].feature_names_in_
    assert pipeline.score(X_test, y_test) > 0.78


@pytest.mark.slow
def test_auto_finds_bool_and_category_columns_and_serves_multilabel_targets():
    rng = np.random.RandomState(0)
    n = 600
    X = pd.DataFrame({
        "size": rng.normal(size=n),
        "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
        "new": rng.rand(n) > 0.5,
        "code": rng.randint(0, 3, n),  # integers: numeric unless named as categorical
    })
    Y = np.column_stack([(X["colour"] == "red") & X["new"], X["size"] > 0]).astype(int)
    clf = WideDeepClassifier(embedding_dim=2, epochs=40, random_state=0).fit(X, Y)
    assert clf.feature_names_in_[clf.categorical_columns_].tolist() == ["colour", "new"]
    assert {"colour=red", "new=True", "new=False", "code"} <= set(clf.wide_coef_)
    assert clf.target_type_ == "multilabel-indicator" and clf.predict(X).shape == (n, 2)
    assert clf.score(X, Y) > 0.7  # subset accuracy: both labels right
    by_index = WideDeepClassifier(categorical_columns=[1, 2, 3], epochs=1, random_state=0)
    assert "code=2" in by_index.fit(X, Y).wide_coef_


@pytest.mark.slow
def test_encoder_edge_cases(raw_adult):
    X, y, _, _ = raw_adult
    # An array of names selects categorical columns like a list does.
    chosen = np.array(["education", "occupation"])
    clf = WideDeepClassifier(categorical_columns=chosen, epochs=1, random_state=0)
    text = X.select_dtypes(exclude="number").columns.difference(chosen)
    assert "education=Bachelors" in clf.fit(X.drop(columns=text), y).wide_coef_
    # float32 NaN is missing, not a category of its own.
    values = pd.DataFrame({"c": np.array([1.0, np.nan, 2.0, np.nan] * 50, dtype=np.float32),
                           "x": np.arange(200.0)})
    reg = WideDeepRegressor(categorical_columns=["c"], min_frequency=1, epochs=1).fit(
        values, np.arange(200.0))
    assert sorted(k for k in reg.wide_coef_ if k.startswith("c=")) == ["c=1.0", "c=2.0",
                                                                      "c=<other>"]
    # A cross too large to index exactly asks for hashing.
    wide = pd.DataFrame({f"k{i}": [f"v{j}" for j in range(3000)] for i in range(6)})
    with pytest.raises(ValueError, match="too many to index exactly: set cross_buckets"):
        WideDeepRegressor(crossed_columns=[tuple(wide.columns)], min_frequency=1,
                          epochs=1).fit(wide, np.arange(3000.0))


def test_wide_optimizer_mistakes_are_reported(raw_adult):
    X, y, _, _ = raw_adult
    with pytest.raises(ValueError, match="The 'wide_optimizer' parameter .* Got 'ftlr'"):
        WideDeepClassifier(wide_optimizer="ftlr", epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="wide_optimizer__learning_rate is set, but "
                                         "wide_optimizer is None"):
        WideDeepClassifier(wide_optimizer=None, wide_optimizer__learning_rate=0.1,
                           epochs=1).fit(X, y)


def test_a_series_is_refused_as_one_dimensional(fitted_adult, raw_adult):
    X, y, X_test, _ = raw_adult
    for series in (X_test.iloc[0], X_test["age"]):  # a row, a column
        with pytest.raises(ValueError, match="2-dimensional|2D array"):
            fitted_adult.predict(series)
    with pytest.raises(ValueError, match="2-dimensional|2D array"):
        WideDeepClassifier(epochs=1).fit(X["age"], y)


def test_integer_weights_count_as_repeated_rows(raw_adult):
    # Everything fit learns from the rows counts a row weighted k as k copies of it and one
    # weighted 0 as none: the scaling, the vocabularies (min_frequency), the cross's bins and
    # vocabulary, and the loss.  One batch of every row: the fits differ only in float32
    # rounding.
    X, y, X_test, _ = raw_adult
    X, y = X.iloc[:400], y.iloc[:400]
    weights = np.random.RandomState(0).randint(0, 4, len(y))
    params = dict(crossed_columns=[CROSS, ("age", "hours-per-week")], optimizer="sgd",
                  learning_rate=0.05, wide_optimizer="sgd", epochs=10, batch_size=2048,
                  random_state=0)
    weighted = WideDeepClassifier(**params).fit(X, y, sample_weight=weights)
    repeated = WideDeepClassifier(**params).fit(X.loc[X.index.repeat(weights)],
                                                y.loc[y.index.repeat(weights)])
    a, b = weighted.encoder_, repeated.encoder_
    assert a.vocabularies_ == b.vocabularies_
    np.testing.assert_array_equal(a.center_, b.center_)
    np.testing.assert_array_equal(a.scale_, b.scale_)
    for edges, same in zip(a.bin_edges_.values(), b.bin_edges_.values()):
        np.testing.assert_array_equal(edges, same)
    for vocabulary, same in zip(a.cross_vocabularies_, b.cross_vocabularies_):
        np.testing.assert_array_equal(vocabulary, same)
    np.testing.assert_allclose(weighted.history_["loss"], repeated.history_["loss"], rtol=1e-5)
    np.testing.assert_allclose(weighted.predict_proba(X_test), repeated.predict_proba(X_test),
                               rtol=1e-5, atol=1e-6)


def test_warnings_are_not_spammed_for_unseen_categories(fitted_adult, raw_adult):
    _, _, X_test, _ = raw_adult
    unseen = X_test.iloc[:50].assign(occupation="Astronaut", workclass=None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isfinite(fitted_adult.predict_proba(pd.DataFrame(unseen))).all()
