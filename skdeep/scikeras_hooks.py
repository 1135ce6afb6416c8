"""scikeras's subclass hooks: a class written for scikeras's wrappers keeps working.

scikeras lets a subclass define

* ``_keras_build_fn(self, ...)``: the model builder, used when ``model`` is None (the old
  Keras wrappers' ``__call__`` likewise).  skdeep calls it as it calls a ``model=``
  builder: named arguments from parameters, ``meta``, ``compile_kwargs`` and ``params``;
  the fitted attributes it reads (``n_features_in_``, ``target_type_``, ``n_classes_``)
  are set by then.
* ``feature_encoder``: a property returning an unfitted scikit-learn transformer of X.  A
  fit from scratch fits a clone of it (``feature_encoder_``), and every fit, validation
  set and predict goes through its ``transform``; it may return a list or dict of arrays
  for a model with several inputs.
* ``scorer(y_true, y_pred, **kwargs)``: a static method that ``score`` returns.
* ``target_encoder``: a transformer of y.  skdeep encodes y itself (labels of any type,
  one-hot rows, multilabel indicators, several outputs by name), so a class defining it is
  refused at fit with the skdeep way, never silently ignored.
"""

import numpy as np
from sklearn.base import clone


def builder_hook(estimator):
    """The builder the estimator's class defines, bound: scikeras's ``_keras_build_fn``, or
    the old Keras wrappers' ``__call__`` (their ``build_fn=None``); else None."""
    if hasattr(type(estimator), "_keras_build_fn"):
        return estimator._keras_build_fn
    # hasattr would find type.__call__: a class's own __call__ is in its MRO's dicts.
    if any("__call__" in vars(klass) for klass in type(estimator).__mro__[:-1]):
        return estimator.__call__
    return None


def hook_problems(estimator):
    """Problems with the hooks the estimator's class defines (for its fit's one error)."""
    name = type(estimator).__name__
    problems, hook = [], builder_hook(estimator)
    if hook is not None and estimator.model is not None:
        problems.append(
            f"{name} defines {hook.__name__}, the model builder used when "
            f"model is None, and model={estimator.model!r} is given too: give one of them.")
    if hasattr(type(estimator), "target_encoder"):
        problems.append(
            f"{name} defines target_encoder, scikeras's hook for encoding y, which skdeep "
            "does not use: skdeep encodes y itself (labels of any type, one-hot rows, "
            "multilabel indicators, several outputs as a dict or DataFrame by output name; "
            "docs/migrating.md).  Remove it, and transform y before fit if needed (scikit-"
            "learn's TransformedTargetRegressor for a regressor).")
    return problems


def encoded_features(estimator, X, reset):
    """X through the class's ``feature_encoder`` (fitted in a fit from scratch), or X."""
    if not hasattr(type(estimator), "feature_encoder"):
        return X
    if reset:
        estimator.feature_encoder_ = clone(estimator.feature_encoder).fit(X)
    encoded = estimator.feature_encoder_.transform(X)
    # Several inputs: a 1-D array is one column, as Keras reads it (scikeras's examples).
    if isinstance(encoded, dict):
        return {name: _column(each) for name, each in encoded.items()}
    if isinstance(encoded, (list, tuple)):
        return [_column(each) for each in encoded]
    return encoded


def _column(values):
    values = np.asarray(values)
    return values[:, None] if values.ndim == 1 else values


def custom_score(estimator, X, y, sample_weight):
    """The class's ``scorer`` of y and the predictions for X, or None without one."""
    scorer = getattr(type(estimator), "scorer", None)
    if scorer is None:
        return None
    kwargs = {} if sample_weight is None else {"sample_weight": sample_weight}
    return float(estimator.scorer(y, estimator.predict(X), **kwargs))
