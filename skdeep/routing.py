"""Estimator parameters on their way to builders and Keras: routing, scalars, suggestions.

scikeras conventions: a builder's named arguments are filled from estimator parameters given
plainly (``hidden_layers=2``, as Keras's old ``KerasRegressor(build_fn, **sk_params)``) or routed
(``model__hidden_layers=2``); ``optimizer__*``, ``loss__*``, ``metrics__*``, ``callbacks__*``,
``fit__*`` and ``predict__*`` go to the optimizer, the loss, the metrics, the callbacks,
``model.fit`` and ``model.predict``.
"""

import collections.abc
import difflib
import inspect

import numpy as np

ROUTES = ("model", "optimizer", "loss", "metrics", "callbacks", "fit", "predict")
# Builder arguments skdeep fills itself rather than from a parameter: scikeras's ``meta``,
# ``compile_kwargs`` and ``params`` (also given to a builder taking ``**kwargs``, as there),
# and the training data ``X`` and ``y``, for Keras 3 wrapper builders ``fn(X, y, **kwargs)``.
SPECIAL_ARGUMENTS = ("meta", "compile_kwargs", "params", "X", "y")
_FOR_ANY_KWARGS = ("meta", "compile_kwargs", "params")


def to_python(value):
    """numpy scalars to Python scalars, recursively: Keras rejects ``np.int64`` units.

    >>> to_python({"units": np.int64(3), "sizes": (np.int32(2), 4.0)})
    {'units': 3, 'sizes': (2, 4.0)}
    """
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return type(value)(to_python(v) for v in value)
    if isinstance(value, dict):
        return {k: to_python(v) for k, v in value.items()}
    return value


def routed(params, route):
    """The parameters routed to ``route``, without the prefix and as Python scalars.

    >>> routed({"optimizer__momentum": 0.9, "model__units": 3, "epochs": 2}, "optimizer")
    {'momentum': 0.9}
    """
    prefix = route + "__"
    return {k[len(prefix) :]: to_python(v) for k, v in params.items() if k.startswith(prefix)}


def builder_signature(builder):
    """Named arguments of ``builder`` and whether it takes ``**kwargs``."""
    parameters = inspect.signature(builder).parameters.values()
    named = {
        p.name: p
        for p in parameters
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    }
    return named, any(p.kind is p.VAR_KEYWORD for p in parameters)


class LazyValues(collections.abc.Mapping):
    """A mapping whose values are made by their functions at the first lookup."""

    def __init__(self, **makers):
        self._makers, self._values = makers, {}

    def __getitem__(self, key):
        if key not in self._values:
            self._values[key] = self._makers[key]()
        return self._values[key]

    def __iter__(self):
        return iter(self._makers)

    def __len__(self):
        return len(self._makers)


def builder_arguments(builder, params, defaults, extra_names, special):
    """The keyword arguments to call ``builder`` with.

    ``params`` are all the estimator's parameters, ``defaults`` its constructor defaults,
    ``extra_names`` the parameters given through ``**kwargs`` and ``special`` the values for
    :data:`SPECIAL_ARGUMENTS`.  A routed ``model__x`` wins over a plain ``x``.  A
    constructor parameter left at its default does not override the builder's own default
    (``learning_rate=None`` must not replace a builder's ``learning_rate=3e-3``).  A builder
    taking ``**kwargs`` also gets every extra and routed parameter, and ``meta``,
    ``compile_kwargs`` and ``params``, as scikeras gives them.
    """
    named, var_keyword = builder_signature(builder)
    model_params = routed(params, "model")
    plain = {
        k: v for k, v in params.items()
        if "__" not in k and not (k in defaults and _is_default(v, defaults[k]))
    }
    arguments = {}
    for name, parameter in named.items():
        if name in special:
            arguments[name] = special[name]
        elif name in model_params:
            arguments[name] = model_params[name]
        elif name in plain or (name in params and parameter.default is parameter.empty):
            arguments[name] = to_python(params[name])
        elif parameter.default is parameter.empty:
            raise TypeError(
                f"The model builder {_name(builder)} needs the argument {name!r}, but no "
                f"parameter gives it: pass {name}=... or model__{name}=... to the estimator."
            )
    if var_keyword:
        arguments.update({k: to_python(params[k]) for k in extra_names if "__" not in k})
        arguments.update(model_params)
        arguments.update({k: special[k] for k in _FOR_ANY_KWARGS if k not in arguments})
    return arguments


def _is_default(value, default):
    try:
        return value is default or bool(value == default)
    except (TypeError, ValueError):  # arrays and objects without a plain == answer
        return False


# The other wrappers' parameters that skdeep spells otherwise, with the skdeep way.
PEER_PARAMETERS = {
    "build_fn": "is the old Keras wrappers' builder: pass it as model=.",
    "model_kwargs": "is keras.wrappers' dict of builder arguments: pass each as a "
                    "parameter (units=8) or routed (model__units=8), which a search can tune.",
    "fit_kwargs": "is keras.wrappers' dict of fit arguments: pass epochs=, batch_size=, ... "
                  "as parameters, or fit__name= for the others.",
}


def check_extra_params(extra_names, init_names, builder, routes=ROUTES, accepted=()):
    """Problems with parameters given through ``**kwargs``, each with a suggested fix.

    Suggestions are only names that would be accepted: the builder's arguments, the
    estimator's parameters and ``accepted`` routed names (optimizer arguments, ...).
    """
    named, var_keyword = builder_signature(builder) if builder is not None else ({}, False)
    arguments = [n for n in named if n not in SPECIAL_ARGUMENTS]
    problems = []
    for key in sorted(extra_names):
        route, _, rest = key.partition("__")
        if rest and route in routes:
            if route == "model" and not var_keyword and rest not in arguments:
                problems.append(
                    _unknown(key, f"an argument of the model builder {_name(builder)}",
                             [f"model__{a}" for a in arguments])
                )
            continue
        if rest:
            valid = [f"model__{a}" for a in arguments] + list(accepted)
            problems.append(_unknown(key, f"a known route ({', '.join(routes)})", valid))
        elif key in PEER_PARAMETERS and key not in arguments:
            problems.append(f"{key!r} {PEER_PARAMETERS[key]}")
        elif not var_keyword and key not in arguments:
            where = (
                f"an argument of the model builder {_name(builder)}"
                if builder is not None
                else "a parameter of the built-in network (no model= builder is set)"
            )
            problems.append(_unknown(key, where, [*arguments, *init_names]))
    return problems


def check_optimizer_arguments(route, kwargs, optimizer, owner):
    """Problems with an optimizer parameter (``route``) and its ``route__*`` arguments."""
    if optimizer is None:
        return [f"{route}__{key} is set, but {route} is None: set {route} too, or remove it."
                for key in sorted(kwargs)]
    try:
        cls = _optimizer_class(optimizer)
    except ValueError:
        return [f"The {route!r} parameter of {owner} must be a Keras optimizer name or object. "
                f"Got {optimizer!r} instead."]
    accepted = optimizer_arguments(cls)
    return [
        _unknown(f"{route}__{key}", f"an argument of {cls.__name__}",
                 [f"{route}__{name}" for name in sorted(accepted)])
        for key in sorted(kwargs) if key not in accepted
    ]


def _optimizer_class(optimizer):
    from .keras_objects import optimizer_class

    if isinstance(optimizer, str):
        return optimizer_class(optimizer)
    return optimizer if isinstance(optimizer, type) else type(optimizer)


def optimizer_arguments(optimizer):
    """The argument names an optimizer (name, class or instance) takes; none if unknown."""
    try:
        cls = _optimizer_class(optimizer) if optimizer is not None else object
    except ValueError:
        return set()
    # Arguments a subclass passes on through **kwargs are those of its bases.
    return {name for klass in cls.__mro__ if "__init__" in vars(klass) and klass is not object
            for name in builder_signature(klass.__init__)[0] if name != "self"}


def _unknown(key, what, candidates):
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else ""
    return f"{key!r} is not {what}{hint}"


def _name(builder):
    return getattr(builder, "__qualname__", repr(builder))
