"""Traced training reused across fits of one architecture: a search's folds, its refit.

Tracing a fit's epoch and validation functions costs a few hundred milliseconds, more than a
short fit's training itself, and every fit of a search used to pay it again for the same
network.  TensorFlow ties a traced function to the variables it was traced with, so the
cache keeps *twins*: a private copy of the model, compiled alike, with its traced functions.
A fit whose model matches a free twin (same layers and their settings, same compile
arguments, same variable shapes, same data signature and batch size) loads its weights,
optimizer state and learning rate into the twin, trains the twin with the traced functions,
and stores the trained state back into its own model.  The arithmetic is the same graph on
the same values, so predictions equal a fit that traced its own functions, bit for bit.

A twin serves one fit at a time (fits in threads each get their own), the cache holds at
most :data:`MAX_TWINS` of them (least recently used dropped first), and no fit is refused:
a model the cache cannot prove equal to a twin simply trains itself, tracing as before.
Proof means every layer, loss, metric and optimizer is Keras's own (or skdeep's), read from
their configs: a user's Python function or class may behave differently under the same name.
"""

import collections
import json
import threading
import weakref

import keras
import numpy as np

from ..compat import is_functional
from ..ensembles import EnsembleNetwork

MAX_TWINS = 16

_lock = threading.Lock()
_free = collections.OrderedDict()  # signature -> list of idle twins, least recently used first


def clear():
    """Drop every idle twin and its traced functions (a twin in use goes when its fit ends)."""
    with _lock:
        _free.clear()


def lend(model, spec):
    """A twin of ``model`` for data of ``spec``, loaded with its state; None if uncacheable.

    The twin is this caller's until :func:`take_back`.
    """
    key = signature(model, spec)
    if key is None:
        return None
    with _lock:
        idle = _free.get(key)
        twin = idle.pop() if idle else None
    try:
        twin = twin or Twin(model, key)
        twin.load(model)
    except _Mismatch:
        return None  # not returned to the cache: its layout does not match its signature
    except Exception:  # noqa: BLE001 - a model Keras cannot clone or recompile from its
        return None    # configs trains its own functions, as it would without the cache
    return twin


def take_back(twin, model, trained):
    """Store the ``trained`` state into ``model``, and make ``twin`` free for the next fit."""
    if trained:
        twin.store(model)
    with _lock:
        _free.setdefault(twin.key, []).append(twin)
        _free.move_to_end(twin.key)
        while sum(map(len, _free.values())) > MAX_TWINS:
            oldest = next(iter(_free))
            _free[oldest].pop(0)
            if not _free[oldest]:
                del _free[oldest]


class Twin:
    """A private copy of a model, compiled alike, with traced functions per data signature."""

    def __init__(self, model, key):
        self.key = key
        self.model = keras.models.clone_model(model)
        self.model.compile_from_config(_compile_config(model))
        if not self.model.optimizer.built:
            self.model.optimizer.build(self.model.trainable_variables)
        # A fresh optimizer's state (zeros, or Adagrad's initial accumulators), for fits
        # whose own optimizer has not been built.
        self.fresh = [v.numpy() for v in self.model.optimizer.variables]
        self.functions = {}

    def load(self, model):
        """Take ``model``'s weights, optimizer state and learning rate."""
        _copy(model.variables, self.model.variables)
        targets = self.model.optimizer.variables
        state = optimizer_state(model)
        if state is None:
            own = model.optimizer.variables
            state = [*own, *self.fresh[len(own):]] if _own_first(own, targets) else \
                _built(model.optimizer, model)
        _copy(state, targets)

    def store(self, model):
        """Give the trained weights and optimizer state back to ``model``."""
        _copy(self.model.variables, model.variables)
        set_optimizer_state(model, self.model.optimizer.variables)


def _own_first(own, values):
    """Whether an unbuilt optimizer's own variables (step count, learning rate) come first,
    in order, in a built one's ``values``: true of every optimizer but the wrappers
    (LossScaleOptimizer, MultiOptimizer), whose inner optimizers' variables interleave."""
    return all(getattr(v, "name", o.name) == o.name for o, v in zip(own, values))


def _built(optimizer, model):
    optimizer.build(model.trainable_variables)
    return optimizer.variables


# A fit through a twin leaves the trained optimizer's slots (moments, accumulators) here, as
# arrays, rather than in the estimator's model: building that optimizer's slot variables
# would cost a fit about 25 ms (TensorFlow creates variables slowly), and most fits of a
# search never train again.  Its own variables (the step count, the learning rate) are
# written as usual.  A warm fit or ``partial_fit`` loads the slots into the next twin;
# :func:`settle` writes them into the model when it is needed whole (saving, pickling,
# training it directly).
_pending = weakref.WeakKeyDictionary()


def optimizer_state(model):
    """The optimizer state of ``model`` as a list of arrays, or None if it has none yet."""
    optimizer = model.optimizer
    if optimizer.built:
        return [v.numpy() for v in optimizer.variables]
    if optimizer in _pending:
        return [*(v.numpy() for v in optimizer.variables), *_pending[optimizer]]
    return None


def set_optimizer_state(model, values):
    """Give ``model`` this optimizer state (None: a fresh optimizer's, if not yet built)."""
    optimizer = model.optimizer
    if values is None:
        _pending.pop(optimizer, None)
    elif optimizer.built or not _own_first(optimizer.variables, values):
        _pending.pop(optimizer, None)
        _copy(values, optimizer.variables if optimizer.built else _built(optimizer, model))
    else:
        own = optimizer.variables
        _copy(values[: len(own)], own)
        _pending[optimizer] = [_array(v) for v in values[len(own):]]


def _array(value):
    return value.numpy() if hasattr(value, "numpy") else np.asarray(value)


def settle(model):
    """Write a pending optimizer state into ``model``'s own optimizer variables."""
    slots = _pending.pop(model.optimizer, None)
    if slots is not None:
        own = len(model.optimizer.variables)
        model.optimizer.build(model.trainable_variables)
        _copy(slots, model.optimizer.variables[own:])


def _copy(sources, targets):
    if sources is None or len(sources) != len(targets):
        raise _Mismatch()
    for source, target in zip(sources, targets):
        target.assign(source)


class _Mismatch(Exception):
    """A twin's variables do not line up with its model's: that fit trains its own model."""


# ---------------------------------------------------------------- when two models are alike

# Packages whose classes are fully described by their configs.  A user's module is not:
# two different functions or classes may share a name.
_TRUSTED = ("keras", "skdeep")
# Keras classes that wrap arbitrary Python code.
_OPAQUE = {"Lambda", "TFSMLayer", "TorchModuleWrapper", "JaxLayer", "FlaxLayer"}


def signature(model, spec):
    """A hashable description of everything a traced fit of ``model`` depends on, or None.

    ``spec`` describes the data (structure, dtypes, shapes but rows) and the batch size.
    Layer names (numbered anew in every build) and seeds (their effect lives in the
    variables the twin copies) are left out, so that every fit of a search matches.
    """
    if type(model) not in (keras.Sequential, keras.Model, EnsembleNetwork) and \
            not is_functional(model):
        return None  # a subclassed model: its call() is Python code of its own
    try:
        config = model.get_config()
        compile_config = _compile_config(model)
    except Exception:  # a layer or a loss without a config: nothing to compare with
        return None
    names = _layer_names(config, {})
    names.update({o.name: f"optimizer{i}" for i, o in enumerate(_optimizers(model.optimizer))})
    described = _normalized(config, names), _normalized(compile_config, names)
    if described[0] is None or described[1] is None:
        return None
    variables = tuple((tuple(v.shape), str(v.dtype)) for v in model.variables)
    device = model.variables[0].value.device if model.variables else ""
    return json.dumps(described, sort_keys=True, default=repr), variables, device, spec


def _optimizers(optimizer):
    yield optimizer
    for inner in getattr(optimizer, "optimizers", [getattr(optimizer, "inner_optimizer", None)]):
        if inner is not None:
            yield from _optimizers(inner)


def _compile_config(model):
    """How ``model`` was compiled, with the optimizer it trains with: under mixed_float16,
    ``compile`` wraps the given one in a LossScaleOptimizer that its config does not show."""
    return {**model.get_compile_config(),
            "optimizer": keras.saving.serialize_keras_object(model.optimizer)}


def _layer_names(config, names):
    """Each layer's name in a model's config (nested models too), mapped to its position."""
    names.setdefault(config.get("name"), f"layer{len(names)}")
    for layer in config.get("layers", ()):
        _layer_names(layer.get("config", {}), names)
    return names


def _normalized(config, names):
    """``config`` without layer names and seeds; None if it holds an untrusted object."""
    if isinstance(config, dict):
        if not _trusted(config):
            return None
        out = {}
        for key, value in config.items():
            if key == "seed":
                continue
            if key == "learning_rate" and isinstance(value, float):
                continue  # a variable the twin loads, not a constant of the trace
            value = _normalized(value, names)
            if value is None and config[key] is not None:
                return None
            out[key] = value
        return out
    if isinstance(config, (list, tuple)):
        items = [_normalized(item, names) for item in config]
        if any(n is None and o is not None for n, o in zip(items, config)):
            return None
        return items
    if isinstance(config, str):
        return names.get(config, config)
    return config


def _trusted(config):
    module = config.get("module")
    if module is None:
        return True
    if not isinstance(module, str) or module.split(".")[0] not in _TRUSTED:
        return False  # a user's module, even one named keras_layers
    return config.get("class_name") not in _OPAQUE


def data_spec(data, batch_size):
    """The part of a fit's data that its traced functions depend on."""
    return str(keras.tree.map_structure(lambda t: (t.dtype.name, tuple(t.shape[1:])), data)), \
        batch_size
