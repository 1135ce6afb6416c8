"""Read the estimator files of format version 2, written by skdeep up to commit 93abf36.

Format 2 tagged its entries (``{"__ndarray__": ...}``) and stored skdeep's own objects, the
callbacks and the function-backed losses given as parameters as their attributes
(``{"__object__": import path, "state": attributes}``).  Each is read here into the fields of
today's codec for its type (:mod:`.codecs`), whose checks then apply: a Head or an input
layout whose attributes are not today's fields is refused, naming them.  Callbacks and
losses are made by their constructors from the attributes of their constructor arguments'
names, and refused where the object made differs from the attributes stored.
"""

import keras

from ..compat import loss_function_kwargs_in, set_loss_function_kwargs
from ..inputs import InputLayout
from ..targets import Head
from . import codecs
from .paths import imported

VERSION = 2


def decode(value):
    """The value format 2 wrote as ``value``."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    tag = next((key for key in value if key in _TAGS), None)
    if tag is None:
        raise ValueError(f"Unknown entry in an skdeep estimator file: {sorted(value)}.")
    return _TAGS[tag](value)


def _array(value):
    fields = {"dtype": value["dtype"], "shape": value["shape"],
              "values": decode(value["__ndarray__"])}
    return _by_codec(codecs.NDARRAY, fields)


def _partial(value):
    function, args, keywords = (decode(v) for v in value["__partial__"])
    return _by_codec(codecs.PARTIAL, {"function": function, "args": args, "keywords": keywords})


def _object(value):
    """A Head, an input layout, a callback or a function-backed loss, from its attributes."""
    path, state = value["__object__"], decode(value["state"])
    cls = imported(path)
    if cls is Head or cls is InputLayout:
        return _by_codec(codecs.HEAD if cls is Head else codecs.INPUT_LAYOUT, state)
    arguments = loss_function_kwargs_in(state)
    if isinstance(cls, type) and issubclass(cls, keras.losses.Loss) and arguments is not None:
        loss = codecs.made(cls, codecs.constructor_arguments(cls, state))
        set_loss_function_kwargs(loss, arguments)
        return _checked(loss, state, path)
    if isinstance(cls, type) and issubclass(cls, keras.callbacks.Callback):
        return _checked(codecs.made(cls, codecs.constructor_arguments(cls, state)), state, path)
    raise ValueError(f"The estimator file stores an object of {path}, which skdeep does not "
                     "read: it saves skdeep's objects, Keras callbacks and losses.")


def _checked(obj, state, path):
    different = codecs.differences(obj, state, shared_only=True)
    if different:
        raise ValueError(
            f"The estimator file stores a {path} that its constructor does not make again "
            f"from its arguments: it differs in {different}. Load the file with the skdeep "
            "version that saved it, and pickle the estimator."
        )
    return obj


def _by_codec(codec, fields):
    return codecs.from_fields(codec, fields, codec.version)


_TAGS = {
    "__ndarray__": _array,
    "__partial__": _partial,
    "__tuple__": lambda value: tuple(decode(v) for v in value["__tuple__"]),
    "__dict__": lambda value: {_hashable(decode(k)): decode(v) for k, v in value["__dict__"]},
    "__slice__": lambda value: slice(*value["__slice__"]),
    "__tabular__": lambda value: _by_codec(codecs.TABULAR_ENCODER, decode(value["__tabular__"])),
    "__import__": lambda value: imported(value["__import__"]),
    "__keras__": lambda value: keras.saving.deserialize_keras_object(value["__keras__"]),
    "__object__": _object,
}


def _hashable(key):
    return tuple(key) if isinstance(key, list) else key
