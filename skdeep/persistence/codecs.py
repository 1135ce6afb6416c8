"""One codec per type of value an estimator file holds, each naming the fields it writes.

A value is written as plain JSON (None, bool, int, float, str, list) or as an entry
``{"codec": name, "version": n, "data": {field: value}}`` of the first codec of
:data:`CODECS` that accepts it.  A codec names its fields, so a change fails loudly instead
of changing the file silently: an skdeep object holding an attribute its codec does not
write cannot be saved, and an entry holding other fields than its codec reads, or another
version, cannot be loaded.  Classes and functions are stored by import path; objects are
made again through their constructors (Keras objects from their Keras config), never by
filling in their attributes.  A value of any other type cannot be saved as data: pickle the
estimator.
"""

import dataclasses
import functools
import inspect

import keras
import numpy as np

from ..compat import is_function_loss, loss_function_kwargs, set_loss_function_kwargs
from ..inputs import InputLayout
from ..tabular import TabularEncoder
from ..targets import Head
from .paths import checked_import_path, imported


@dataclasses.dataclass(frozen=True)
class Codec:
    """How the values of one type are written.

    Attributes
    ----------
    name : str
        The entries' ``"codec"``.
    version : int
        Raised whenever the fields or their meaning change: an entry of another version
        is refused, with both versions named.
    fields : tuple of str
        The fields of an entry, no more, no less.
    accepts : callable
        ``accepts(value)``: whether this codec writes ``value``.
    to_data : callable
        ``to_data(value, where)``: a dict of the fields' values, each encoded in turn;
        ``where`` names the value's place in the estimator, for error messages.
    from_data : callable
        ``from_data(fields)``: the value, from the decoded fields.
    json_fields : tuple of str
        Fields holding JSON already (a Keras config), written as they are.
    """

    name: str
    version: int
    fields: tuple
    accepts: object
    to_data: object
    from_data: object
    json_fields: tuple = ()


def encode(value, where):
    """``value`` as JSON data: itself where it is plain, else an entry of its codec.

    A value no codec accepts is a ValueError naming its type and ``where`` it is.
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list):
        return [encode(v, where) for v in value]
    codec = next((c for c in CODECS if c.accepts(value)), None)
    if codec is None:
        kind = type(value)
        raise ValueError(
            f"Cannot save {value!r} (in the {where}) as data: skdeep has no codec for "
            f"{kind.__module__}.{kind.__qualname__}. Pickle the estimator instead."
        )
    data = codec.to_data(value, where)
    return {"codec": codec.name, "version": codec.version,
            "data": {field: data[field] if field in codec.json_fields
                     else encode(data[field], where) for field in codec.fields}}


def decode(value):
    """The value that :func:`encode` wrote."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    codec = _BY_NAME.get(value.get("codec"))
    if codec is None or set(value) != {"codec", "version", "data"}:
        raise ValueError(
            f"The estimator file holds an entry this skdeep cannot read: codec "
            f"{value.get('codec')!r} with the keys {sorted(value)} (it reads the codecs "
            f"{sorted(_BY_NAME)}). Load it with the skdeep version that saved it."
        )
    data = {field: entry if field in codec.json_fields else decode(entry)
            for field, entry in value["data"].items()}
    return from_fields(codec, data, value["version"])


def from_fields(codec, data, version):
    """``codec.from_data(data)`` for an entry of ``version``; another version than the
    codec's, or other fields than its own, are a ValueError naming them."""
    if version != codec.version:
        raise ValueError(
            f"The estimator file holds a {codec.name!r} entry of version {version!r}; this "
            f"skdeep reads version {codec.version}. Load it with the skdeep version that "
            "saved it."
        )
    missing, unknown = sorted(set(codec.fields) - set(data)), sorted(set(data) - set(codec.fields))
    if missing or unknown:
        raise ValueError(
            f"The estimator file's {codec.name!r} entry (version {version}) does not hold the "
            f"fields this skdeep reads: missing {missing}, unknown {unknown}."
        )
    return codec.from_data(data)


# ---------------------------------------------------------------------- containers


def _array_to_data(array, where):
    return {"dtype": array.dtype.str, "shape": list(array.shape), "values": array.ravel().tolist()}


def _array_from_data(data):
    values, dtype = data["values"], np.dtype(data["dtype"])
    if dtype.kind == "O":  # keep Python objects (strings, mixed labels) as they were
        array = np.empty(len(values), dtype=object)
        array[:] = values
    else:
        array = np.asarray(values, dtype=dtype)
    return array.reshape(data["shape"])


NDARRAY = Codec("ndarray", 1, ("dtype", "shape", "values"), lambda v: isinstance(v, np.ndarray),
                _array_to_data, _array_from_data)


def _partial_to_data(partial, where):
    return {"function": partial.func, "args": list(partial.args), "keywords": partial.keywords}


def _partial_from_data(data):
    return functools.partial(data["function"], *data["args"], **data["keywords"])


PARTIAL = Codec("partial", 1, ("function", "args", "keywords"),
                lambda v: isinstance(v, functools.partial), _partial_to_data, _partial_from_data)


# ---------------------------------------------------------------------- skdeep's objects


def _attributes_codec(name, version, cls, arguments, learned, transient=()):
    """The codec of an skdeep class, written as its attributes: made again as
    ``cls(**arguments)`` with the ``learned`` attributes set after; ``transient`` ones
    (caches) are not written.  Saving an object with any other attribute is a ValueError:
    a new or renamed attribute needs a new version of its codec."""
    fields = (*arguments, *learned)

    def to_data(obj, where):
        held = set(vars(obj)) - set(transient)
        if held != set(fields):
            raise ValueError(
                f"Cannot save the {cls.__name__} in the {where}: its attributes differ from "
                f"those its codec {name!r} (version {version}) writes: not written "
                f"{sorted(held - set(fields))}, missing {sorted(set(fields) - held)}."
            )
        return {field: vars(obj)[field] for field in fields}

    def from_data(data):
        obj = cls(**{field: data[field] for field in arguments})
        for field in learned:
            setattr(obj, field, data[field])
        return obj

    return Codec(name, version, fields, lambda value: type(value) is cls, to_data, from_data)


HEAD = _attributes_codec(
    "head", 1, Head, arguments=("name", "columns", "classifies", "encoding", "softmax", "units"),
    learned=("classes",))
INPUT_LAYOUT = _attributes_codec(
    "input-layout", 1, InputLayout, arguments=("kind", "names", "shapes", "dtypes", "groups"),
    learned=("model_names", "model_takes_dict"))
TABULAR_ENCODER = _attributes_codec(
    "tabular-encoder", 1, TabularEncoder,
    arguments=("categorical", "wide", "deep", "crosses", "min_frequency", "cross_bins",
               "cross_buckets", "names"),
    learned=("numeric_", "center_", "scale_", "vocabularies_", "bin_edges_",
             "cross_vocabularies_", "wide_offsets_", "with_ids_"),
    transient=("_lookups",))


# ---------------------------------------------------------------------- Keras's objects


def _function_loss_to_data(loss, where):
    # Keras's config leaves out the wrapped function's arguments (Huber's delta).
    arguments = loss_function_kwargs(loss)
    if arguments is None:
        raise ValueError(
            f"Cannot save the loss {type(loss).__name__} (in the {where}) as data: this "
            "Keras keeps its function's arguments where skdeep cannot read them. Pickle "
            "the estimator instead."
        )
    return {"config": keras.saving.serialize_keras_object(loss), "arguments": dict(arguments)}


def _function_loss_from_data(data):
    loss = keras.saving.deserialize_keras_object(data["config"])
    set_loss_function_kwargs(loss, data["arguments"])
    return loss


def _callback_to_data(callback, where):
    cls = type(callback)
    arguments = constructor_arguments(cls, vars(callback))
    different = differences(cls(**arguments), vars(callback))
    if different:
        raise ValueError(
            f"Cannot save the callback {cls.__name__} (in the {where}) as data: it is saved "
            "as its constructor's arguments, read from its attributes of the same names, and "
            f"a {cls.__name__} made with those differs in {different} (an argument it keeps "
            "under another name). Pass it to fit(callbacks=...) instead, or pickle the "
            "estimator."
        )
    return {"class": checked_import_path(cls, where), "arguments": arguments}


def _callback_from_data(data):
    cls = imported(data["class"])
    if not (isinstance(cls, type) and issubclass(cls, keras.callbacks.Callback)):
        raise ValueError(f"{data['class']!r} is not a Keras callback class.")
    return made(cls, data["arguments"])


def constructor_arguments(cls, attributes):
    """The arguments of ``cls``'s constructor that ``attributes`` (an object's ``vars``)
    hold under their own names."""
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    return {p.name: attributes[p.name] for p in parameters
            if p.name in attributes and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}


def made(cls, arguments):
    """``cls(**arguments)``; arguments it does not take are a ValueError naming them."""
    try:
        return cls(**arguments)
    except TypeError as error:
        raise ValueError(
            f"The estimator file makes a {cls.__name__} with the arguments {sorted(arguments)}, "
            f"which this version of it does not take ({error})."
        ) from error


# Set by Keras when the object takes part in a fit.
_SET_BY_KERAS = ("_model", "model")


def differences(obj, attributes, *, shared_only=False):
    """The names of the attributes in which ``obj`` differs from ``attributes`` (another
    object's ``vars``); with ``shared_only``, of those both have."""
    own = {k: v for k, v in vars(obj).items() if k not in _SET_BY_KERAS}
    other = {k: v for k, v in attributes.items() if k not in _SET_BY_KERAS}
    names = own.keys() & other.keys() if shared_only else own.keys() | other.keys()
    return sorted(n for n in names if n not in own or n not in other or
                  not _same(own[n], other[n]))


def _same(a, b):
    if a is b:
        return True
    try:
        equal = a == b
        return bool(equal) if isinstance(equal, (bool, np.bool_)) else np.array_equal(a, b)
    except Exception:  # values that do not compare
        return False


def _is_import(value):
    return isinstance(value, type) or (callable(value) and hasattr(value, "__qualname__"))


# In the order they are tried: the first codec that accepts a value writes it.
CODECS = (
    NDARRAY,
    Codec("tuple", 1, ("items",), lambda v: isinstance(v, tuple),
          lambda v, where: {"items": list(v)}, lambda data: tuple(data["items"])),
    Codec("dict", 1, ("items",), lambda v: isinstance(v, dict),
          lambda v, where: {"items": [[k, x] for k, x in v.items()]},
          lambda data: {k: x for k, x in data["items"]}),
    Codec("slice", 1, ("start", "stop", "step"), lambda v: isinstance(v, slice),
          lambda v, where: {"start": v.start, "stop": v.stop, "step": v.step},
          lambda data: slice(data["start"], data["stop"], data["step"])),
    PARTIAL,
    HEAD,
    INPUT_LAYOUT,
    TABULAR_ENCODER,
    Codec("keras-function-loss", 1, ("config", "arguments"), is_function_loss,
          _function_loss_to_data, _function_loss_from_data, json_fields=("config",)),
    Codec("keras-callback", 1, ("class", "arguments"),
          lambda v: isinstance(v, keras.callbacks.Callback), _callback_to_data,
          _callback_from_data),
    Codec("import", 1, ("path",), _is_import,
          lambda v, where: {"path": checked_import_path(v, where)},
          lambda data: imported(data["path"])),
    # Keras's optimizers, losses, metrics, layers and models, by their Keras config.
    Codec("keras-object", 1, ("config",), lambda v: hasattr(v, "get_config"),
          lambda v, where: {"config": keras.saving.serialize_keras_object(v)},
          lambda data: keras.saving.deserialize_keras_object(data["config"]),
          json_fields=("config",)),
)
_BY_NAME = {codec.name: codec for codec in CODECS}
