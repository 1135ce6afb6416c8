"""scikit-learn's own estimator checks, over every public skdeep estimator."""

from sklearn.base import BaseEstimator
from sklearn.utils.estimator_checks import parametrize_with_checks

import skdeep
from skdeep._expected_failures import expected_failed_checks

PUBLIC = [getattr(skdeep, name) for name in skdeep.__all__]
ESTIMATORS = [cls() for cls in PUBLIC if isinstance(cls, type) and issubclass(cls, BaseEstimator)]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
