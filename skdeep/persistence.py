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
import zipfile

import keras
import numpy as np
from keras.src.losses.losses import LossFunctionWrapper

FORMAT = "skdeep-estimator"
FORMAT_VERSION = 1
_ESTIMATOR_MODULES = ("skdeep.regressor", "skdeep.classifier", "skdeep.wide_deep")


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
        "class": _import_path(type(estimator)),
        "params": _encode(estimator.get_params(deep=False), "params"),
        "fitted": _encode(fitted, "fitted state"),
    }
    with tempfile.TemporaryDirectory() as folder:
        model_file = os.path.join(folder, "model.keras")
        estimator.model_.save(model_file)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("estimator.json", json.dumps(document, indent=1))
            archive.write(model_file, "model.keras")


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
        raise ValueError(
            f"{os.fspath(path)!r} is not an skdeep estimator file of format version "
            f"{FORMAT_VERSION} (found format {document.get('format')!r}, version "
            f"{document.get('format_version')!r})."
        )
    cls = _estimator_class(document["class"])
    estimator = cls(**_decode(document["params"]))
    vars(estimator).update(_decode(document["fitted"]))
    with tempfile.TemporaryDirectory() as folder:
        model_file = os.path.join(folder, "model.keras")
        with open(model_file, "wb") as handle:
            handle.write(model_bytes)
        estimator.model_ = keras.saving.load_model(model_file, safe_mode=safe_mode)
    estimator._restore_predictor()
    return estimator


def _estimator_class(path):
    module, _, name = path.partition(":")
    if module not in _ESTIMATOR_MODULES:
        raise ValueError(f"{path!r} is not an skdeep estimator class.")
    return getattr(importlib.import_module(module), name)


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
    if isinstance(value, LossFunctionWrapper):
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
