"""The user's Keras classes and functions that Keras cannot find by name when loading."""

import types

import keras

from ..compat import is_function_loss
from .paths import imported, importable


def custom_objects(estimator, *, in_file=False):
    """Import paths of the user's Keras classes and functions an estimator holds.

    Keras finds its own objects and those registered with
    ``keras.saving.register_keras_serializable`` by name, but not a user's unregistered
    subclass (a Loss, a Layer, the model class) in the fitted model or in a parameter
    (``loss=MyLoss()``): loading would fail with "Could not locate class".  They are
    recorded by import path here and imported when loading (from a file or a pickle).  One
    that cannot be imported again (defined inside a function; for a file, also in
    ``__main__``) is refused now, at save time, rather than at load.

    Returns
    -------
    paths : dict
        Registered name -> import path.
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
        if not importable(f"{module}:{name}") or (in_file and module == "__main__"):
            raise ValueError(
                f"Cannot save the model: it uses {name} from {module}, which cannot be imported "
                "when loading. Define it at module level in an importable module, or decorate "
                "it with @keras.saving.register_keras_serializable()."
            )
        found[registered] = f"{module}:{name}"
    return found


def objects_by_name(paths):
    """The objects of :func:`custom_objects`'s answer, by registered name."""
    return {name: imported(path) for name, path in paths.items()}


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
