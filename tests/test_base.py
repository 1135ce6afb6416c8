"""What every estimator shares (skdeep/base.py): the order of a fit, predict's forward pass."""

import numpy as np
import pytest

from skdeep import DeepClassifier, DeepRegressor
from skdeep.base import BaseDeepEstimator


def test_initialize_sets_up_without_training(california):
    X, y, X_test, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(8,), random_state=0).initialize(X, y)
    assert reg.n_iter_ == 0 and reg.history_ == {}
    assert reg.n_features_in_ == X.shape[1] and reg.predict(X_test).shape == (len(X_test),)
    # A later fit from scratch trains as one that was never initialised.
    fitted = DeepRegressor(hidden_layer_sizes=(8,), epochs=2, random_state=0)
    np.testing.assert_array_equal(reg.set_params(epochs=2).fit(X, y).predict(X_test),
                                  fitted.fit(X, y).predict(X_test))


def test_a_class_derived_from_the_base_is_told_which_to_derive_from(california):
    X, y, _, _ = california

    class Wrapper(BaseDeepEstimator):  # scikeras's BaseWrapper habit
        pass

    with pytest.raises(NotImplementedError, match="derive from DeepRegressor .* or "
                                                  "DeepClassifier"):
        Wrapper(epochs=1).fit(X, y)


def test_fitted_state_ends_in_an_underscore_and_predict_needs_it(adult):
    X, y, X_test, _ = adult
    clf = DeepClassifier(hidden_layer_sizes=(8,), epochs=1, random_state=0)
    with pytest.raises(Exception, match="not fitted yet"):
        clf.predict(X_test)
    before = set(vars(clf))
    clf.fit(X, y)
    added = set(vars(clf)) - before
    assert {"model_", "classes_", "history_", "n_iter_", "heads_", "input_layout_"} <= added
    assert all(name.endswith("_") or name.startswith("_") for name in added)
    assert clf.predict_proba(X_test[:3]).shape == (3, 2)


def test_non_finite_outputs_are_refused_with_the_rows(california):
    X, y, _, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=1, random_state=0).fit(X, y)
    far = np.full((3, X.shape[1]), np.finfo(np.float32).max)
    with pytest.raises(ValueError, match="NaN or infinite for .* of 3 rows"):
        reg.predict(far)
