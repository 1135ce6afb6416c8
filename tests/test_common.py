"""scikit-learn's own estimator checks, over every public skdeep estimator."""

from sklearn.utils.estimator_checks import parametrize_with_checks

import skdeep
from skdeep._expected_failures import expected_failed_checks

ESTIMATORS = [getattr(skdeep, name)() for name in skdeep.__all__ if name[0].isupper()]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
