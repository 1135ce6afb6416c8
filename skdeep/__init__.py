"""skdeep: scikit-learn estimators for deep learning on TensorFlow/Keras 3."""

import os

# TensorFlow's C++ runtime logs INFO lines on import and, on a CPU-only machine with the CUDA
# build, an error about the missing driver on every process.  Silence them unless the user
# chose a level (this must happen before TensorFlow is first imported to have any effect).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from .classifier import DeepClassifier  # noqa: E402
from .regressor import DeepRegressor  # noqa: E402
from .wide_deep import WideDeepRegressor  # noqa: E402

__version__ = "0.1.0"

__all__ = ["DeepClassifier", "DeepRegressor", "WideDeepRegressor", "__version__"]
