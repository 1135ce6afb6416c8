"""skdeep: scikit-learn estimators for deep learning on TensorFlow/Keras 3."""

import importlib
import os

# TensorFlow's C++ runtime logs INFO lines on import and, on a CPU-only machine with the CUDA
# build, an error about the missing driver in every process.  Silence them unless the user
# chose a level.  It only works before TensorFlow is first imported, which is why the
# estimators below are imported lazily: ``import skdeep`` (or ``skdeep.datasets``) is cheap and
# sets this before anything imports TensorFlow.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

__version__ = "0.1.0"

# Public name -> the module defining it, imported on first use.
_LAZY = {
    "DeepClassifier": "skdeep.classifier",
    "DeepRegressor": "skdeep.regressor",
    "WideDeepClassifier": "skdeep.wide_deep",
    "WideDeepRegressor": "skdeep.wide_deep",
    "load": "skdeep.persistence",
    "plot_history": "skdeep.plotting",
    "SliceDict": "skdeep.inputs",
}

__all__ = [*_LAZY, "__version__"]


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'skdeep' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_LAZY])
