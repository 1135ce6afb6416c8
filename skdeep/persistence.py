"""Save a fitted estimator to one file and load it back, without pickle.

The file is a zip archive holding ``model.keras`` (the Keras model in Keras's own format) and
``estimator.json``: the format version, the estimator's class, its parameters and its fitted
state (classes, encoders, feature names, history, ...).  It holds no pickle and no code: the
JSON holds data, and classes and functions (a builder, a callback's class) are named by their
import path, which ``load`` imports, as Keras does for custom objects; objects are rebuilt
from their attributes without running their ``__init__``.  The Keras model loads with
``safe_mode=True`` by default, which refuses lambdas.  Importing a named module runs that
module's code, so load files only from sources you trust as you would a Python package; a
pickle (or joblib) file can run anything at all when loaded: load those only from sources you
trust.
"""

import functools
import importlib
import json
import os
import tempfile
import types
import zipfile

import keras
import numpy as np

from .engine import state as model_state
from .compat import is_function_loss

FORMAT = "skdeep-estimator"
# 2: the input layout (input_layout_), the heads (heads_) and custom objects by import path.
FORMAT_VERSION = 2


def save(estimator, path):
    """Write the fitted ``estimator`` to ``path`` (one file, conventionally ``.skdeep``).

    Raises ``ValueError`` if a parameter cannot be stored as data: a lambda or a function
    defined inside another function (use a module-level function, or pickle).
    """
    from . import __version__

    estimator._check_is_fitted()
    fitted = {k: v for k, v in vars(estimator).items() if k.endswith("_") and k != "model_"}
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "skdeep_version": __version__,
        "keras_version": keras.__version__,
        "class": _estimator_path(type(estimator)),
        "params": _encode(estimator.get_params(deep=False), "params"),
        "fitted": _encode(fitted, "fitted state"),
        "custom_objects": custom_objects(estimator, in_file=True),
    }
    model_bytes = model_to_bytes(estimator.model_)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("estimator.json", json.dumps(document, indent=1))
        archive.writestr("model.keras", model_bytes)


def load(path, *, safe_mode=True):
    """Load an estimator written by :func:`save` (or ``estimator.save``).

    Parameters
    ----------
    path : str or path-like
        The file.
    safe_mode : bool, default=True
        Passed to ``keras.saving.load_model``: refuse to deserialise lambdas in the model.

    Returns
    -------
    estimator : a fitted skdeep estimator
        Its predictions equal the saved estimator's, bit for bit.
    """
    with zipfile.ZipFile(path) as archive:
        document = json.loads(archive.read("estimator.json"))
        model_bytes = archive.read("model.keras")
    if document.get("format") != FORMAT or document.get("format_version") != FORMAT_VERSION:
        older = document.get("format") == FORMAT and \
            document.get("format_version", FORMAT_VERSION) < FORMAT_VERSION
        raise ValueError(
            f"{os.fspath(path)!r} is not an skdeep estimator file of format version "
            f"{FORMAT_VERSION} (found format {document.get('format')!r}, version "
            f"{document.get('format_version')!r})"
            + ("; it was saved by an older skdeep: fit and save it again." if older else ".")
        )
    cls = _estimator_class(document["class"])
    with keras.saving.custom_object_scope(imported(document.get("custom_objects", {}))):
        estimator = cls(**_decode(document["params"]))
        vars(estimator).update(_decode(document["fitted"]))
        estimator.model_ = model_from_bytes(model_bytes, safe_mode=safe_mode)
    estimator._restore_predictor()
    return estimator


def model_to_bytes(model):
    """The model as the bytes of a ``.keras`` file."""
    model_state.settle(model)  # the optimizer state goes with the model
    with tempfile.TemporaryDirectory() as folder:
        model_file = os.path.join(folder, "model.keras")
        model.save(model_file)
        with open(model_file, "rb") as handle:
            return handle.read()


def model_from_bytes(data, *, safe_mode=True):
    """A model from :func:`model_to_bytes`."""
    with tempfile.TemporaryDirectory() as folder:
        model_file = os.path.join(folder, "model.keras")
        with open(model_file, "wb") as handle:
            handle.write(data)
        return keras.saving.load_model(model_file, safe_mode=safe_mode)


def imported(custom):
    """The objects of :func:`custom_objects`'s answer, by registered name."""
    return {name: _imported(path) for name, path in custom.items()}


def custom_objects(estimator, *, in_file=False):
    """Import paths of the user's Keras classes and functions an estimator holds.

    Keras finds its own objects and those registered with
    ``keras.saving.register_keras_serializable`` by name, but not a user's unregistered
    subclass (a Loss, a Layer, the model class) in the fitted model or in a parameter
    (``loss=MyLoss()``): loading would fail with "Could not locate class".  They are
    recorded by import path here and imported when loading (from a file or a pickle).  One
    that cannot be imported again (defined inside a function; for a file, also in
    ``__main__``) is refused now, at save time, rather than at load.
    """
    objects = list(_leaves(estimator.get_params(deep=False)))
    model = vars(estimator).get("model_")
    if model is not None:
        objects.append(model)
        if getattr(model, "compiled", False):
            objects += [model.get_compile_config(), *_leaves(model.loss)]
    # Keras names a function inside a loss's config by its name alone (module "builtins").
    functions = {f.__name__: f for f in map(_function_of, objects) if f is not None}
    found = {}
    for entry in _config_entries([_serialized(obj) for obj in objects]):
        module, name = entry.get("module"), entry.get("class_name")
        if name == "function":
            name = entry.get("config")
            if module == "builtins" and name in functions:
                module, entry = functions[name].__module__, {"registered_name": name}
        if not isinstance(module, str) or module.split(".")[0] in ("keras", "builtins"):
            continue
        registered = entry.get("registered_name") or name
        if not isinstance(name, str) or keras.saving.get_registered_object(registered):
            continue  # registered with Keras: found by its name wherever it is imported
        if not _importable(f"{module}:{name}") or (in_file and module == "__main__"):
            raise ValueError(
                f"Cannot save the model: it uses {name} from {module}, which cannot be imported "
                "when loading. Define it at module level in an importable module, or decorate "
                "it with @keras.saving.register_keras_serializable()."
            )
        found[registered] = f"{module}:{name}"
    return found


def _importable(path):
    try:
        _imported(path)
    except ValueError:  # e.g. a class defined inside a function
        return False
    return True


def _function_of(obj):
    """The user's function behind a loss (a plain function, or one wrapped with arguments)."""
    function = getattr(obj, "fn", obj) if is_function_loss(obj) else obj
    if isinstance(function, types.FunctionType) and \
            function.__module__.split(".")[0] != "keras":
        return function
    return None


def _leaves(value):
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        for each in value:
            yield from _leaves(each)
    elif (hasattr(value, "get_config") and not isinstance(value, type)) or \
            isinstance(value, types.FunctionType):
        yield value


def _serialized(obj):
    try:
        return keras.saving.serialize_keras_object(obj)
    except Exception:  # not a Keras object after all: nothing Keras must find again
        return None


def _config_entries(config):
    if isinstance(config, dict):
        if "class_name" in config:
            yield config
        for value in config.values():
            yield from _config_entries(value)
    elif isinstance(config, (list, tuple)):
        for value in config:
            yield from _config_entries(value)


def _estimator_path(cls):
    """The import path ``load`` finds the estimator's class by: skdeep's, or a subclass
    defined at module level in an importable module (not a script's ``__main__``)."""
    path = _checked_import_path(cls, "estimator's class")
    if cls.__module__ == "__main__" or not _importable(path):
        raise ValueError(
            f"Cannot save a {cls.__name__}: its class is defined in {cls.__module__}, which "
            "cannot be imported when loading. Define it in an importable module, or pickle "
            "the estimator."
        )
    return path


def _estimator_class(path):
    """The class at ``path``: an skdeep estimator class or a subclass of one; anything
    else is refused before it is called."""
    from .base import BaseDeepEstimator

    cls = _imported(path)
    if not (isinstance(cls, type) and issubclass(cls, BaseDeepEstimator)):
        raise ValueError(f"{path!r} is not an skdeep estimator class.")
    return cls


# ---------------------------------------------------------------------- JSON codec


def _import_path(obj):
    return f"{obj.__module__}:{obj.__qualname__}"


def _encode(value, where):
    """Plain JSON for plain values; tagged dicts for arrays, tuples, dicts and named objects."""
    from .tabular import TabularEncoder

    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return {"__ndarray__": _encode(value.ravel().tolist(), where),
                "dtype": value.dtype.str, "shape": list(value.shape)}
    if isinstance(value, list):
        return [_encode(v, where) for v in value]
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v, where) for v in value]}
    if isinstance(value, dict):
        return {"__dict__": [[_encode(k, where), _encode(v, where)] for k, v in value.items()]}
    if isinstance(value, slice):
        return {"__slice__": [value.start, value.stop, value.step]}
    if isinstance(value, TabularEncoder):
        return {"__tabular__": _encode(value.__getstate__(), where)}
    if isinstance(value, functools.partial):
        return {"__partial__": [_encode(value.func, where), _encode(list(value.args), where),
                                _encode(value.keywords, where)]}
    if is_function_loss(value):
        # get_config leaves out the wrapped function's arguments (Huber's delta, ...).
        return {"__object__": _checked_import_path(type(value), where),
                "state": _encode(vars(value), where)}
    if isinstance(value, type) or (callable(value) and hasattr(value, "__qualname__")):
        return {"__import__": _checked_import_path(value, where)}
    if hasattr(value, "get_config"):  # Keras optimizers, losses, metrics, layers
        return {"__keras__": keras.saving.serialize_keras_object(value)}
    if hasattr(value, "__dict__"):  # e.g. a Keras callback given as a parameter
        state = {k: v for k, v in vars(value).items() if k not in ("_model", "model")}
        return {"__object__": _checked_import_path(type(value), where),
                "state": _encode(state, where)}
    raise ValueError(f"Cannot save {value!r} (in the {where}) as data; pickle the estimator.")


def _checked_import_path(obj, where):
    path = _import_path(obj)
    if "<" in path:  # <lambda>, <locals>
        raise ValueError(
            f"Cannot save {obj!r} (in the {where}): a lambda or a function defined inside "
            "another function cannot be imported again. Define it at module level, or pickle "
            "the estimator."
        )
    return path


def _decode(value):
    from .tabular import TabularEncoder

    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__ndarray__" in value:
        data, dtype = _decode(value["__ndarray__"]), np.dtype(value["dtype"])
        if dtype.kind == "O":  # keep Python objects (strings, mixed labels) as they were
            array = np.empty(len(data), dtype=object)
            array[:] = data
        else:
            array = np.asarray(data, dtype=dtype)
        return array.reshape(value["shape"])
    if "__partial__" in value:
        func, args, keywords = (_decode(v) for v in value["__partial__"])
        return functools.partial(func, *args, **keywords)
    if "__tuple__" in value:
        return tuple(_decode(v) for v in value["__tuple__"])
    if "__dict__" in value:
        return {_hashable(_decode(k)): _decode(v) for k, v in value["__dict__"]}
    if "__slice__" in value:
        return slice(*value["__slice__"])
    if "__tabular__" in value:
        encoder = TabularEncoder.__new__(TabularEncoder)
        vars(encoder).update(_decode(value["__tabular__"]))
        return encoder
    if "__import__" in value:
        return _imported(value["__import__"])
    if "__keras__" in value:
        return keras.saving.deserialize_keras_object(value["__keras__"])
    if "__object__" in value:
        cls = _imported(value["__object__"])
        obj = cls.__new__(cls)
        vars(obj).update(_decode(value["state"]))
        return obj
    raise ValueError(f"Unknown entry in an skdeep estimator file: {sorted(value)}.")


def _imported(path):
    module, _, name = path.partition(":")
    try:
        obj = importlib.import_module(module)
        for part in name.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as error:
        raise ValueError(
            f"The estimator file refers to {path}, which cannot be imported here ({error}). "
            "Make that module importable (an object defined in a script's __main__ exists "
            "only in that script)."
        ) from error
    return obj


def _hashable(key):
    return tuple(key) if isinstance(key, list) else key
