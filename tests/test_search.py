"""skdeep estimators inside scikit-learn's model selection and pipelines."""

import numpy as np
import pytest
import sklearn
from scipy.stats import reciprocal
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import QuantileTransformer, StandardScaler

from skdeep import DeepClassifier, DeepRegressor, WideDeepRegressor
from skdeep.datasets import load_california_housing
from user_builders import Recorder, build_model, n_dense


@pytest.mark.slow
def test_grid_search_over_built_in_parameters_refits_the_best(california):
    X, y, X_test, y_test = california
    # California's few extreme districts (scaled values far beyond +-3) make a fold's score
    # hang on how each network extrapolates to them: the search compares them on the rest.
    X, X_test = np.clip(X, -3, 3), np.clip(X_test, -3, 3)
    search = GridSearchCV(
        DeepRegressor(epochs=20, random_state=0),
        {"hidden_layer_sizes": [(2,), (64, 64)], "learning_rate": [1e-5, np.float64(1e-2)]},
        cv=2,
    ).fit(X, y)
    # A 2-unit network or a learning rate of 1e-5 cannot compete in 20 epochs.
    assert search.best_params_ == {"hidden_layer_sizes": (64, 64), "learning_rate": 1e-2}
    assert search.best_estimator_.n_features_in_ == 8
    assert search.best_estimator_.score(X_test, y_test) > 0.6


@pytest.mark.slow
def test_pipeline_cross_val_score_for_each_estimator(california):
    X, y, _, _ = california
    labels = np.where(y > np.median(y), "high", "low")
    params = dict(hidden_layer_sizes=(16,), learning_rate=0.01, epochs=15, random_state=0)
    for estimator, target in [(DeepRegressor(**params), y),
                              (DeepClassifier(**params), labels),
                              (WideDeepRegressor(**params), y)]:
        # Quantile-scaled: California's AveOccup has rows 40 standard deviations out, which
        # would make any fold holding one a lottery for an MLP.
        scaler = QuantileTransformer(output_distribution="normal", n_quantiles=200)
        scores = cross_val_score(make_pipeline(scaler, estimator), X, target, cv=3)
        assert scores.min() > 0.5


def test_metadata_routing_of_sample_weight(california):
    X, y, _, _ = california
    weights = np.where(X[:, 0] > 0, 5.0, 1.0)
    with sklearn.config_context(enable_metadata_routing=True):
        reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=3, random_state=0)
        reg.set_fit_request(sample_weight=True, validation_data=False)
        reg.set_score_request(sample_weight=False)
        search = GridSearchCV(reg, {"batch_size": [32, 64]}, cv=2)
        search.fit(X, y, sample_weight=weights)
        routed = search.best_estimator_.predict(X)
    unweighted = DeepRegressor(hidden_layer_sizes=(8,), epochs=3, random_state=0,
                               batch_size=search.best_params_["batch_size"]).fit(X, y)
    weighted = DeepRegressor(hidden_layer_sizes=(8,), epochs=3, random_state=0,
                             batch_size=search.best_params_["batch_size"])
    weighted.fit(X, y, sample_weight=weights)
    np.testing.assert_array_equal(routed, weighted.predict(X))
    assert not np.array_equal(routed, unweighted.predict(X))


@pytest.fixture(scope="module")
def housing():
    """600 random typical California districts, features standardised (target in 100k USD).

    Districts with absurd averages (AveOccup up to 1243) are left out: one of them in a
    validation fold dominates every R².
    """
    X, y = load_california_housing(return_X_y=True)
    typical = (np.abs(StandardScaler().fit_transform(X)) < 5).all(axis=1)
    X, y = X[typical], y[typical]
    rows = np.random.RandomState(0).permutation(len(X))[:600]
    X, y = X[rows], y[rows]
    return StandardScaler().fit_transform(X), y


def type_logging_builder(types):
    """The reference builder, appending the Python types of its arguments to ``types``.

    A function, not an object holding the list: ``clone`` (and so every search) deep-copies
    parameter objects but keeps functions, so the closure's list is shared by the clones.
    """

    def builder(hidden_layers=1, layer_size=30, learning_rate=3e-3, meta=None):
        types.append((type(hidden_layers), type(layer_size), type(learning_rate)))
        return build_model(hidden_layers, layer_size, learning_rate, meta)

    return builder


def test_grid_search_over_builder_arguments(housing):
    X, y = housing
    types = []
    builder = type_logging_builder(types)
    search = GridSearchCV(
        DeepRegressor(model=builder, learning_rate=0.01, epochs=5, random_state=0),
        {"hidden_layers": [1, 2], "layer_size": np.array([4, 16])},
        cv=2, error_score="raise",
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    best = search.best_params_
    assert n_dense(search.best_estimator_.model_) == best["hidden_layers"] + 1
    assert search.best_estimator_.model_.layers[0].units == best["layer_size"]
    assert types and all(t == (int, int, float) for t in types)
    assert search.best_score_ > 0.0  # better than predicting the mean


def test_randomized_search_over_builder_arguments(housing):
    X, y = housing
    types = []
    builder = type_logging_builder(types)
    distributions = {
        "hidden_layers": [0, 1, 2, 3],
        "layer_size": np.arange(1, 20),
        "learning_rate": reciprocal(1e-4, 1e-2),
    }
    search = RandomizedSearchCV(
        DeepRegressor(model=builder, epochs=5, random_state=0),
        distributions, n_iter=3, cv=2, random_state=0, error_score="raise",
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 3
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    # numpy scalars from np.arange and scipy's rvs reached the builder as int and float.
    assert all(isinstance(p["layer_size"], np.integer) for p in search.cv_results_["params"])
    assert types and all(t == (int, int, float) for t in types)
    best = search.best_params_
    model = search.best_estimator_.model_
    assert n_dense(model) == best["hidden_layers"] + 1
    assert float(model.optimizer.learning_rate) == pytest.approx(best["learning_rate"],
                                                                 rel=1e-5)


def test_grid_search_over_routed_parameters(housing):
    X, y = housing
    search = GridSearchCV(
        DeepRegressor(model=Recorder(), optimizer="sgd", learning_rate=0.01, epochs=5,
                      random_state=0),
        {"model__hidden_layers": [1, 2], "optimizer__momentum": [0.0, 0.9]},
        cv=2, error_score="raise",
    ).fit(X, y)
    best = search.best_params_
    model = search.best_estimator_.model_
    assert n_dense(model) == best["model__hidden_layers"] + 1
    assert model.optimizer.momentum == pytest.approx(best["optimizer__momentum"])
