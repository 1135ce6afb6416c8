"""skdeep's exceptions (skdeep/exceptions.py) are scikit-learn's too."""

import numpy as np
import pytest

from skdeep import DeepClassifier
from skdeep.exceptions import NotFittedError


def test_not_fitted_error_is_skdeep_and_sklearn():
    from sklearn.exceptions import NotFittedError as SklearnNotFittedError

    with pytest.raises(NotFittedError) as error:
        DeepClassifier().predict(np.zeros((2, 3)))
    assert isinstance(error.value, SklearnNotFittedError)
