"""skdeep: scikit-learn estimators for deep learning on TensorFlow/Keras 3."""

import importlib

from . import tf_logs

# TensorFlow's C++ runtime logs INFO lines on import: skdeep listens to its first import,
# when it comes after this one, and drops them, keeping its warnings and errors (see
# skdeep.tf_logs).  The estimators are imported lazily, so ``import skdeep`` (or
# ``skdeep.datasets``) is cheap and comes before TensorFlow.
tf_logs.install()

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
