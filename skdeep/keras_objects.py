"""Fresh Keras objects from estimator parameters: optimizers, losses, built and cloned models.

Every fit gets its own objects, so clones and search candidates never share training state.
"""

import copy
import difflib
import functools
import inspect

import keras

from .compat import LossFunctionWrapper, loss_function_kwargs, set_loss_function_kwargs
from .exceptions import BuilderError

# Aliases Keras accepts as loss strings, mapped to their Loss classes (for ``loss__*`` kwargs).
_LOSS_ALIASES = {
    "mse": "MeanSquaredError",
    "mae": "MeanAbsoluteError",
    "mape": "MeanAbsolutePercentageError",
    "msle": "MeanSquaredLogarithmicError",
}


@functools.lru_cache(maxsize=None)
def optimizer_class(name):
    """The Keras optimizer class a name ("adam", "sgd") stands for.

    Cached: Keras answers by building an optimizer, whose two variables cost a few
    milliseconds, and a fit asks several times (validation, then building).
    """
    return type(keras.optimizers.get(name))


def make_optimizer(optimizer, kwargs):
    """A fresh Keras optimizer from a name, a class or an instance (copied), with ``kwargs``."""
    if isinstance(optimizer, str):
        optimizer = optimizer_class(optimizer)
    if isinstance(optimizer, type):
        return optimizer(**kwargs)
    # An optimizer object: every fit gets a fresh copy, never the shared instance.
    return type(optimizer).from_config({**optimizer.get_config(), **kwargs})


def make_loss(loss, kwargs):
    """The loss to compile with, ``kwargs`` (``loss__*`` parameters) applied.

    A name with arguments becomes its Loss class; a plain function (Keras's or the user's)
    is wrapped with its arguments when its signature takes them, else it is an error: an
    argument is never dropped silently.
    """
    if isinstance(loss, dict):
        return {name: make_loss(each, kwargs) for name, each in loss.items()}
    if isinstance(loss, (list, tuple)):
        return [make_loss(each, kwargs) for each in loss]
    if not kwargs:
        return loss  # a loss object holds no state, so fits may share it
    if isinstance(loss, str):
        loss = _loss_class(loss)
    if isinstance(loss, type):
        return _instantiated(loss, kwargs)
    if isinstance(loss, keras.losses.Loss):
        return _with_arguments(loss, kwargs)
    return _wrapped_function(loss, kwargs)


def _loss_class(name):
    wanted = _LOSS_ALIASES.get(name.lower(), name).replace("_", "").lower()
    for attribute in dir(keras.losses):
        candidate = getattr(keras.losses, attribute)
        if (isinstance(candidate, type) and issubclass(candidate, keras.losses.Loss)
                and attribute.lower() == wanted):
            return candidate
    raise ValueError(
        f"loss={name!r} with loss__* arguments needs a Keras Loss class name (e.g. 'Huber', "
        "'MeanSquaredError')."
    )


def _instantiated(cls, kwargs, config=None):
    """A ``cls`` made with ``kwargs`` (over a ``config`` of its, if given)."""
    try:
        return cls(**kwargs) if config is None else cls.from_config({**config, **kwargs})
    except TypeError:
        accepted = sorted(set(inspect.signature(cls.__init__).parameters) - {"self", "kwargs"})
        unknown = sorted(set(kwargs) - set(accepted))
        raise ValueError(
            f"loss__{unknown[0] if unknown else sorted(kwargs)[0]}: the loss {cls.__name__} "
            f"does not take it; its arguments are {accepted}."
        ) from None


def _with_arguments(loss, kwargs):
    """A copy of a loss object with some arguments changed (``loss__*`` parameters).

    Copied by hand: Keras copies and pickles losses through their config, which leaves some
    settings out (Huber's delta).
    """
    fn_kwargs = loss_function_kwargs(loss)
    if fn_kwargs is None:  # where Keras keeps them is unknown: a new loss from the config
        return _instantiated(type(loss), kwargs, config=loss.get_config())
    changed = object.__new__(type(loss))
    changed.__dict__.update(loss.__dict__)
    # Function-backed losses (Huber, MeanSquaredError, ...) pass these to their function.
    fn_kwargs = dict(fn_kwargs)
    set_loss_function_kwargs(changed, fn_kwargs)
    for key, value in kwargs.items():
        if key in fn_kwargs:
            fn_kwargs[key] = value
        elif hasattr(loss, key):
            setattr(changed, key, value)
        else:
            raise ValueError(
                f"loss__{key}: the loss {type(loss).__name__} has no argument {key!r}."
            )
    return changed


def _wrapped_function(function, kwargs):
    accepted = inspect.signature(function).parameters
    takes_any = any(p.kind is p.VAR_KEYWORD for p in accepted.values())
    unknown = sorted(k for k in kwargs if k not in accepted and not takes_any)
    if unknown:
        name = getattr(function, "__qualname__", repr(function))
        raise ValueError(
            f"loss__{unknown[0]}: the loss function {name} has no argument {unknown[0]!r}; "
            f"its arguments are {[p for p in accepted if p not in ('y_true', 'y_pred')]}."
        )
    # Not the function's own name: Keras would read that name back as the function when
    # loading, and a Loss's name must be a string.
    name = getattr(function, "__name__", "loss")
    return LossFunctionWrapper(function, name=f"{name}_with_arguments", **kwargs)


def loss_family(loss):
    """What targets a loss trains on: "sparse" (class indices), "categorical" (one-hot rows),
    "binary" (0/1 per unit) or "other" (numbers: a regression loss or a user's function).

    >>> [loss_family(x) for x in ("sparse_categorical_crossentropy", "mse", "binary_focal_crossentropy")]
    ['sparse', 'other', 'binary']
    """
    if isinstance(loss, str):
        name = loss
    elif isinstance(loss, keras.losses.Loss):
        name = getattr(getattr(loss, "fn", None), "__name__", None) or type(loss).__name__
    else:
        name = getattr(loss, "__name__", type(loss).__name__)
    name = name.replace("_", "").lower()
    if "sparse" in name:
        return "sparse"
    if "categorical" in name or name in ("kld", "kldivergence", "kullbackleiblerdivergence"):
        return "categorical"
    if "binary" in name or name in ("hinge", "squaredhinge"):
        return "binary"
    return "other"


def call_builder(builder, arguments):
    """Call a user's builder; a non-model result is a :class:`BuilderError`.

    An error the builder raises propagates as itself (an out-of-memory error stays one),
    with a note naming the builder and the arguments it was called with.
    """
    name = getattr(builder, "__qualname__", repr(builder))
    try:
        model = builder(**arguments)
    except Exception as error:
        error.add_note(f"Raised by the model builder {name}, called with {sorted(arguments)}.")
        raise
    if not isinstance(model, keras.Model):
        raise BuilderError(
            f"The model builder {name} returned {type(model).__name__}, not a keras.Model."
        )
    return model


def clone_prebuilt(model):
    """A fresh copy of a user's ``keras.Model`` (new weights), compiled as it was if it was.

    The user's object is never trained (as ``keras.wrappers`` and scikeras do): every fit
    starts from this clone, with the initialisers seeded by the fit's ``random_state``.
    """
    try:
        clone = keras.models.clone_model(model)
    except Exception as error:
        raise BuilderError(
            f"The model {model.name!r} given as model= cannot be cloned by "
            f"keras.models.clone_model ({type(error).__name__}: {error}); pass a builder "
            "function returning it instead."
        ) from error
    if getattr(model, "compiled", False):
        clone.compile_from_config(model.get_compile_config())
    return clone


def instantiate(items, params, route):
    """Callbacks or metrics from a parameter and the arguments routed to it, as scikeras
    builds them.

    ``items`` is a class, an object, or a list, tuple or dict of them (or of lists); ``params`` the
    ``route__*`` arguments without the prefix.  A plain key (``patience``) goes to every
    class, ``0__patience`` to the first item (``es__patience`` to a dict's ``es``) and wins
    over it.  A digit key is a positional argument of a single class
    (``callbacks=LearningRateScheduler, callbacks__0=Schedule``), and an argument that is
    itself a class is made, with its own routed arguments (``callbacks__0__coef=0.2``).
    An object is deep-copied, so that fits never share one's state; arguments routed to it
    raise a TypeError naming them, as they would not be used, and so does an argument no
    class takes (a ValueError): none is dropped silently.

    >>> import keras
    >>> stop = instantiate(keras.callbacks.EarlyStopping, {"patience": 3}, "callbacks")
    >>> stop.patience
    3
    >>> [type(m).__name__ for m in instantiate(
    ...     [keras.metrics.AUC, "accuracy"], {"0__num_thresholds": 50}, "metrics")]
    ['AUC', 'str']
    """
    used = set()
    made = _make(items, params, route, {}, used)
    unused = sorted(set(f"{route}__{k}" for k in params) - used)
    if unused:
        raise ValueError(
            f"{', '.join(unused)}: no class in {route}={_describe(items)} takes these "
            f"arguments. A plain {route}__name goes to every class; {route}__0__name (or "
            f"{route}__key__name for a dict) to one item, which must be a class.")
    return made


def _make(item, own, where, shared, used):
    """``item`` made with its routed arguments ``own`` (names without ``where``), and the
    container's ``shared`` ones (name -> (value, the parameter's full name)); ``used``
    collects the full names of the parameters taken."""
    if isinstance(item, (list, tuple, dict)):
        shared = {**shared, **{k: (v, f"{where}__{k}") for k, v in own.items() if "__" not in k}}
        pairs = item.items() if isinstance(item, dict) else enumerate(item)
        made = {key: _make(each, _routed_to(own, key), f"{where}__{key}", shared, used)
                for key, each in pairs}
        return made if isinstance(item, dict) else type(item)(made.values())
    plain = {k: v for k, v in own.items() if "__" not in k}
    if not isinstance(item, type):
        if plain:
            given = ", ".join(f"{where}__{k}" for k in sorted(plain))
            raise TypeError(
                f"{given}: {where} is an object ({type(item).__name__}), not a class, so "
                "these arguments would not be used. Give the class instead, or set them on "
                "the object.")
        return copy.deepcopy(item)
    used.update(name for k, (_, name) in shared.items() if k not in plain)
    used.update(f"{where}__{k}" for k in plain)
    arguments = {k: value for k, (value, _) in shared.items()}
    arguments.update(plain)
    arguments = {key: _make_argument(value, _routed_to(own, key), f"{where}__{key}", used)
                 for key, value in arguments.items()}
    positional = [arguments.pop(k) for k in sorted((k for k in arguments if k.isdigit()),
                                                   key=int)]
    try:
        return item(*positional, **arguments)
    except TypeError as error:
        raise TypeError(f"{where}: {item.__name__} refused the arguments routed to it "
                        f"({', '.join(sorted(plain)) or 'none given'}): {error}."
                        f"{_suggestions(item, plain, where)}") from error


def _suggestions(cls, given, where):
    """' Did you mean ...?' for routed names close to the class's own arguments."""
    try:
        known = list(inspect.signature(cls).parameters)
    except (TypeError, ValueError):
        return ""
    close = {k: difflib.get_close_matches(k, known, n=1) for k in given if k not in known}
    hints = [f"{where}__{match[0]} for {where}__{k}" for k, match in close.items() if match]
    return f" Did you mean {', '.join(hints)}?" if hints else ""


def _make_argument(value, own, where, used):
    """An argument of a class being made: a class is made too, with its routed arguments
    (as scikeras: ``callbacks__0=Schedule`` passes ``Schedule()``)."""
    if isinstance(value, type) or own:
        return _make(value, own, where, {}, used)
    return value


def _describe(items):
    if isinstance(items, dict):
        return "{" + ", ".join(f"{k!r}: {_describe(v)}" for k, v in items.items()) + "}"
    if isinstance(items, (list, tuple)):
        return "[" + ", ".join(_describe(v) for v in items) + "]"
    return items.__name__ if isinstance(items, type) else repr(items) \
        if isinstance(items, str) else f"{type(items).__name__}(...)"


def _routed_to(params, key):
    prefix = f"{key}__"
    return {k[len(prefix):]: v for k, v in params.items() if k.startswith(prefix)}
