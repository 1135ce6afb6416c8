"""skdeep estimators inside scikit-learn's model selection and pipelines."""

import numpy as np
import pytest
import sklearn
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import QuantileTransformer

from skdeep import DeepClassifier, DeepRegressor, WideDeepRegressor


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
