"""Save a fitted estimator to one file and load it back, without pickle; and what pickle keeps.

The file is a zip archive holding ``model.keras`` (the Keras model in Keras's own format) and
``estimator.json``: the format version, the estimator's class, its parameters and its fitted
attributes (classes, encoders, feature names, history, ...), each value written by the codec
of its type (:mod:`.codecs`), which names the fields it writes.  It holds no pickle and no
code: the JSON holds data, and classes and functions (a builder, a callback's class) are
named by their import path, which ``load`` imports, as Keras does for custom objects.  The
Keras model loads with ``safe_mode=True`` by default, which refuses lambdas.  Importing a
named module runs that module's code, so load files only from sources you trust as you would
a Python package; a pickle (or joblib) file can run anything at all when loaded: load those
only from sources you trust.

Files of format version 2 (skdeep up to commit 93abf36) load through :mod:`.format2`.  The
package imports no estimator module: the estimator classes are those of the base class
marked with :func:`loadable`.
"""

import json
import os
import tempfile
import zipfile

import keras

from .. import __version__
from ..engine import state as model_state
from ..runtime import prepare_runtime
from . import codecs, format2
from .custom_objects import custom_objects, objects_by_name
from .paths import checked_import_path, importable, imported
from .pickling import pickle_state, restore_pickled

__all__ = ["FORMAT_VERSION", "load", "loadable", "pickle_state", "restore_pickled", "save"]

FORMAT = "skdeep-estimator"
# 3: each value written by a named, versioned codec (skdeep's objects by their fields,
# callbacks by their constructor arguments, function-backed losses by their Keras config).
FORMAT_VERSION = 3

# Format version -> how its parameters and fitted attributes are read.
_READERS = {
    format2.VERSION: format2.decode,
    FORMAT_VERSION: lambda values: {name: codecs.decode(v) for name, v in values.items()},
}
_ESTIMATOR_BASES = []


def loadable(cls):
    """Class decorator: :func:`load` makes instances of ``cls`` and of its subclasses.

    A file naming any other class is refused before anything is called.
    """
    _ESTIMATOR_BASES.append(cls)
    return cls


def save(estimator, path):
    """Write the fitted ``estimator`` to ``path`` (one file, conventionally ``.skdeep``).

    Raises ``ValueError`` if a parameter or a fitted attribute cannot be stored as data: a
    lambda or a function defined inside another function (use a module-level function), or
    an object skdeep has no codec for (pickle the estimator).
    """
    estimator._check_is_fitted()
    fitted = {k: v for k, v in vars(estimator).items() if k.endswith("_") and k != "model_"}
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "skdeep_version": __version__,
        "keras_version": keras.__version__,
        "class": _estimator_path(type(estimator)),
        "params": {name: codecs.encode(value, f"parameter {name!r}")
                   for name, value in estimator.get_params(deep=False).items()},
        "fitted": {name: codecs.encode(value, f"fitted attribute {name!r}")
                   for name, value in fitted.items()},
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
    read = _reader(document, path)
    cls = _estimator_class(document["class"])
    prepare_runtime()  # before Keras rebuilds a model, which starts the backend's runtime
    with keras.saving.custom_object_scope(objects_by_name(document.get("custom_objects", {}))):
        estimator = cls(**read(document["params"]))
        vars(estimator).update(read(document["fitted"]))
        estimator.model_ = model_from_bytes(model_bytes, safe_mode=safe_mode)
    estimator._restore_predictor()
    return estimator


def _reader(document, path):
    """How the values of ``document`` are read; a file of another format or of a version
    this skdeep does not read is a ValueError naming it."""
    version = document.get("format_version")
    if document.get("format") != FORMAT:
        raise ValueError(
            f"{os.fspath(path)!r} is not an skdeep estimator file (found format "
            f"{document.get('format')!r}, version {version!r})."
        )
    if version not in _READERS:
        newer = isinstance(version, int) and version > FORMAT_VERSION
        raise ValueError(
            f"{os.fspath(path)!r} is an skdeep estimator file of format version {version!r}, "
            f"which skdeep {__version__} does not read (it reads versions {sorted(_READERS)}): "
            + ("it was saved by a newer skdeep; load it with that version." if newer else
               "it was saved by an older skdeep; fit and save it again.")
        )
    return _READERS[version]


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


def _estimator_path(cls):
    """The import path ``load`` finds the estimator's class by: skdeep's, or a subclass
    defined at module level in an importable module (not a script's ``__main__``)."""
    path = checked_import_path(cls, "estimator's class")
    if cls.__module__ == "__main__" or not importable(path):
        raise ValueError(
            f"Cannot save a {cls.__name__}: its class is defined in {cls.__module__}, which "
            "cannot be imported when loading. Define it in an importable module, or pickle "
            "the estimator."
        )
    return path


def _estimator_class(path):
    """The class at ``path``: a :func:`loadable` class or a subclass of one; anything else
    is refused before it is called."""
    cls = imported(path)
    if not (isinstance(cls, type) and issubclass(cls, tuple(_ESTIMATOR_BASES))):
        raise ValueError(f"{path!r} is not an skdeep estimator class.")
    return cls
