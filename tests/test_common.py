"""scikit-learn's own estimator checks, over every public skdeep estimator."""

import pytest
from sklearn.base import BaseEstimator
from sklearn.utils.estimator_checks import parametrize_with_checks

import skdeep
from check_settings import expected_failed_checks, run_check

PUBLIC = [getattr(skdeep, name) for name in skdeep.__all__]
ESTIMATORS = [cls() for cls in PUBLIC if isinstance(cls, type) and issubclass(cls, BaseEstimator)]
# About 250 checks, 1 minute on 2 cores: in the full suite, not the fast subset.
pytestmark = pytest.mark.slow


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    run_check(estimator, check)
