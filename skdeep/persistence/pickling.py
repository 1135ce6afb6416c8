"""What pickle, joblib and ``copy.deepcopy`` store of an estimator, and how it comes back."""

import keras

from ..engine import state as model_state
from ..runtime import prepare_runtime
from .custom_objects import custom_objects, objects_by_name


def pickle_state(estimator):
    """The state ``estimator.__getstate__`` returns.

    The traced predict function is left out (rebuilt by :func:`restore_pickled`).  Keras
    pickles its objects (the model, a loss given as a parameter) as ``.keras`` archives, and
    cannot find a user's unregistered class (a Loss or Layer subclass) again when loading
    them: the first entry of the state names them by import path, and makes them known to
    Keras before the entries that need them are unpickled.
    """
    model = vars(estimator).get("model_")
    if model is not None:
        model_state.settle(model)  # the optimizer state goes with the model
    state = {"_custom_objects": _CustomObjects(custom_objects(estimator)), **vars(estimator)}
    state.pop("_predictor", None)
    return state


def restore_pickled(estimator, state):
    """``estimator.__setstate__``: the state of :func:`pickle_state` back on ``estimator``."""
    state = dict(state)
    forget_custom_objects(state.pop("_custom_objects", {}))
    vars(estimator).update(state)
    if "model_" in state:
        estimator._restore_predictor()


class _CustomObjects(dict):
    """Registered name -> import path of the user's Keras classes in a pickled estimator.

    Unpickling it registers them with Keras (until the estimator's ``__setstate__``)."""

    def __reduce__(self):
        return register_custom_objects, (dict(self),)


def register_custom_objects(paths):
    """Register the objects at ``paths`` (name -> import path) with Keras, but for names
    Keras knows already; returns those added, for :func:`forget_custom_objects`."""
    # Unpickling restores this first, before Keras rebuilds the state's models.
    prepare_runtime()
    registry = keras.saving.get_custom_objects()
    added = {name: obj for name, obj in objects_by_name(paths).items() if name not in registry}
    registry.update(added)
    return added


def forget_custom_objects(added):
    """Unregister the objects :func:`register_custom_objects` added."""
    registry = keras.saving.get_custom_objects()
    for name, obj in added.items():
        if registry.get(name) is obj:
            del registry[name]
