"""The estimators' settings checked, and one fit call's settings resolved.

Every problem with the parameters is gathered into one ``ValueError`` (or scikit-learn's
``InvalidParameterError`` for a type or range), raised before anything is learned.  A fit's
own arguments (``fit(X, y, epochs=2)``) override the parameters for that call only: they are
resolved into a frozen :class:`FitCall` that the fit reads, and nothing is written back onto
the estimator (``get_params`` during a fit gives the constructor's values).
"""

import inspect
import types
from numbers import Integral, Real

import keras
import numpy as np

from .compat import HasMethods, Interval, Options, StrOptions, validate_parameters
from .device import DEVICE_HELP, parse_device
from .engine import PREDICT_BATCH_SIZE
from .layers import NUMERIC_EMBEDDINGS
from .routing import check_extra_params, check_optimizer_arguments, optimizer_arguments, routed
from .scikeras_hooks import hook_problems

# Keras's Model.predict arguments that predict takes (predict__* routes the same names).
PREDICT_ARGUMENTS = ("batch_size", "verbose")
# Keras's Model.fit arguments that fit() takes for one call (besides its data and callbacks).
KERAS_FIT_ARGUMENTS = frozenset(inspect.signature(keras.Model.fit).parameters) - {
    "self", "x", "y", "sample_weight", "validation_data", "callbacks"}

PARAMETER_CONSTRAINTS = {
    "model": [callable, keras.Model, None],
    "inputs": [dict, list, tuple, None],
    "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
    "activation": [str, callable],
    "dropout": [Interval(Real, 0, 1, closed="left")],
    "batch_norm": ["boolean"],
    "l1": [Interval(Real, 0, None, closed="left")],
    "l2": [Interval(Real, 0, None, closed="left")],
    "numeric_embedding": [StrOptions({"auto", *NUMERIC_EMBEDDINGS}), None],
    "numeric_embedding_dim": [Interval(Integral, 1, None, closed="left")],
    "n_frequencies": [Interval(Integral, 1, None, closed="left")],
    "frequency_scale": [Interval(Real, 0, None, closed="neither")],
    "n_bins": [Interval(Integral, 1, None, closed="left")],
    "ensemble_size": [Interval(Integral, 1, None, closed="left")],
    "optimizer": [str, type, HasMethods(["apply_gradients", "get_config"])],
    "learning_rate": [Interval(Real, 0, None, closed="neither"), None],
    "loss": [str, type, callable, dict, list, None],
    "loss_weights": [dict, list, tuple, None],
    "metrics": [str, list, tuple, dict, callable, None],
    # -1: every row in one batch (scikeras's -1); None: Keras's default, 32.
    "batch_size": [Interval(Integral, 1, None, closed="left"), Options(Integral, {-1}), None],
    "epochs": [Interval(Integral, 1, None, closed="left")],
    "shuffle": ["boolean"],
    "early_stopping": ["boolean", StrOptions({"auto"})],
    "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
    "validation_split": [Interval(Real, 0, 1, closed="neither"), None],
    "validation_batch_size": [Interval(Integral, 1, None, closed="left"),
                              Options(Integral, {-1}), None],
    "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
    "tol": [Interval(Real, 0, None, closed="left")],
    "callbacks": [list, tuple, dict, type, keras.callbacks.Callback, None],
    "device": [str, list, tuple],
    "memory_growth": ["boolean"],
    "mixed_precision": [StrOptions({"mixed_float16", "mixed_bfloat16"}), None],
    "jit_compile": ["boolean", StrOptions({"auto"})],
    "run_eagerly": ["boolean"],
    "warm_start": ["boolean"],
    "random_state": ["random_state"],
    "verbose": ["verbose"],
}


class FitCall:
    """The settings of one fit call: the parameters, with the call's own arguments over them.

    Read as attributes (``call.epochs``) or ``call.params``; frozen.  ``keras_fit_kwargs``
    holds the call's Keras ``fit`` arguments that are no parameter (``initial_epoch``, ...).
    """

    __slots__ = ("params", "keras_fit_kwargs")

    def __init__(self, params, keras_fit_kwargs):
        object.__setattr__(self, "params", types.MappingProxyType(dict(params)))
        object.__setattr__(self, "keras_fit_kwargs", types.MappingProxyType(
            dict(keras_fit_kwargs)))

    def __getattr__(self, name):
        try:
            return self.params[name]
        except KeyError:
            raise AttributeError(f"a fit has no setting {name!r}") from None

    def __setattr__(self, name, value):
        raise AttributeError("a fit's settings are frozen")


def resolve_fit_call(estimator, for_call):
    """Check every parameter and ``fit``'s arguments ``for_call``; return the call's
    :class:`FitCall`.

    Arguments named as a constructor parameter override it for the call (None included:
    ``validation_split=None`` turns the parameter off); Keras ``fit`` arguments that are not
    parameters are passed on unless None.
    """
    name = type(estimator).__name__
    unknown = sorted(set(for_call) - KERAS_FIT_ARGUMENTS)
    if unknown:
        raise TypeError(
            f"{name}.fit() got unexpected keyword arguments {unknown}; besides X, y, "
            "sample_weight, validation_data and callbacks it takes Keras's Model.fit "
            f"arguments: {', '.join(sorted(KERAS_FIT_ARGUMENTS))}.")
    init = set(estimator._init_param_names())
    if for_call.get("class_weight") is not None and "class_weight" not in init:
        raise TypeError(f"{name}.fit() got class_weight, but {name} has no classes: "
                        "weigh rows with sample_weight.")
    settings = {k: v for k, v in for_call.items() if k in init}
    constraints = estimator._parameter_constraints
    validate_parameters({k: constraints[k] for k in settings}, settings,
                        caller_name=f"{name}.fit")
    # Read as attributes too: a subclass declaring only its own parameters sets its
    # parent's in its __init__ (scikit-learn's pattern), and get_params lists its own.
    declared = {**{k: getattr(estimator, k) for k in constraints if hasattr(estimator, k)},
                **estimator.get_params(deep=False)}
    validate_parameters({k: c for k, c in constraints.items() if k not in settings},
                        {k: v for k, v in declared.items() if k not in settings},
                        caller_name=name)
    params = {**declared, **settings}
    check_settings(estimator, params)
    return FitCall(params, {k: v for k, v in for_call.items()
                            if k not in init and v is not None})


def check_settings(estimator, params):
    """Problems that a type constraint cannot express, all gathered in one ``ValueError``."""
    name = type(estimator).__name__
    extra = estimator._extra_params
    problems = check_extra_params(estimator._extra_param_names(),
                                  estimator._init_param_names(), estimator._builder(),
                                  estimator._routes, accepted_routed(estimator, params))
    problems += hook_problems(estimator)
    problems += _network_problems(params, name)
    for route, optimizer in optimizers(estimator, params).items():
        problems += check_optimizer_arguments(route, routed(extra, route), optimizer, name)
    problems += predict_problems(routed(extra, "predict"))
    for route in ("metrics", "callbacks"):
        if params[route] is None:
            problems += [f"{route}__{key} is set, but {route} is None: set {route} too, or "
                         "remove it." for key in sorted(routed(extra, route))]
    if parse_device(params["device"]) is None:
        problems.append(f"The 'device' parameter of {name} must be {DEVICE_HELP}. "
                        f"Got {params['device']!r} instead.")
    if problems:
        raise ValueError(f"Invalid parameters for {name}:\n- " + "\n- ".join(problems))


def _network_problems(params, name):
    problems = []
    activation = params["activation"]
    if isinstance(activation, str):
        try:
            keras.activations.get(activation)
        except ValueError:
            problems.append(
                f"The 'activation' parameter of {name} must be a Keras activation name "
                f"(relu, selu, tanh, elu, gelu, sigmoid, ...) or a callable. "
                f"Got {activation!r} instead.")
    sizes = np.atleast_1d(np.asarray(params["hidden_layer_sizes"], dtype=object))
    if sizes.ndim != 1 or not all(isinstance(s, Integral) and s >= 1 for s in sizes):
        problems.append(f"The 'hidden_layer_sizes' parameter of {name} must be positive ints. "
                        f"Got {params['hidden_layer_sizes']!r} instead.")
    loss = params["loss"]
    losses = loss.values() if isinstance(loss, dict) else (
        loss if isinstance(loss, (list, tuple)) else [loss])
    for each in losses:
        if isinstance(each, str):
            try:
                keras.losses.get(each)
            except ValueError:
                problems.append(f"The 'loss' parameter of {name} must be a Keras loss name "
                                f"or object. Got {each!r} instead.")
    return problems


def optimizers(estimator, params):
    """The optimizer parameters, by the route of their arguments (``optimizer``, and
    Wide & Deep's ``wide_optimizer``)."""
    return {route: params[route] for route in estimator._optimizer_routes}


def accepted_routed(estimator, params):
    """Routed names that would be accepted, for "did you mean" suggestions."""
    names = [f"predict__{argument}" for argument in PREDICT_ARGUMENTS]
    for route, optimizer in optimizers(estimator, params).items():
        names += [f"{route}__{a}" for a in optimizer_arguments(optimizer)]
    return names


def predict_problems(kwargs, prefix="predict__"):
    """Problems with ``predict__*`` parameters (found at fit rather than at predict), or
    with a ``predict`` call's keyword arguments (``prefix=""``)."""
    problems = [
        f"{prefix}{key}: predict takes only {prefix}batch_size and {prefix}verbose (its "
        "forward pass is skdeep's, not keras Model.predict's, and prints nothing)."
        for key in sorted(kwargs) if key not in PREDICT_ARGUMENTS
    ]
    size = kwargs.get("batch_size", 1)
    if size is not None and (isinstance(size, bool) or not isinstance(size, Integral)
                             or (size < 1 and size != -1)):
        problems.append(f"{prefix}batch_size must be an int >= 1, -1 (every row in one "
                        f"batch) or None. Got {size!r} instead.")
    return problems


def check_predict_params(estimator, predict_params):
    """A ``predict`` call's keyword arguments checked: an unknown one is a TypeError, as
    Python's own, a bad value a ValueError."""
    problems = predict_problems(predict_params, prefix="") if predict_params else []
    if problems:
        error = TypeError if set(predict_params) - set(PREDICT_ARGUMENTS) else ValueError
        raise error(f"{type(estimator).__name__}: " + " ".join(problems))


def predict_batch_size(estimator, predict_params, n_rows):
    """Rows per forward pass for one ``predict`` call."""
    # An attribute read, not get_params(): predict on one row must stay well under 1 ms.
    size = (predict_params or {}).get(
        "batch_size", estimator._extra_params.get("predict__batch_size", PREDICT_BATCH_SIZE))
    return PREDICT_BATCH_SIZE if size is None else rows_per_batch(size, n_rows)


def rows_per_batch(batch_size, n_rows):
    """A ``batch_size`` parameter as rows: -1 is every row (scikeras), None Keras's 32."""
    if batch_size is None:
        return 32
    return max(n_rows, 1) if batch_size == -1 else int(batch_size)
