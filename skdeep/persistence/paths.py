"""Classes and functions named by import path (``module:qualified.name``) in saved files."""

import importlib


def import_path(obj):
    """The import path of a class or function."""
    return f"{obj.__module__}:{obj.__qualname__}"


def checked_import_path(obj, where):
    """``obj``'s import path; a lambda or a function defined inside another function (which
    cannot be imported again) is a ValueError naming ``where`` it was found."""
    path = import_path(obj)
    if "<" in path:  # <lambda>, <locals>
        raise ValueError(
            f"Cannot save {obj!r} (in the {where}): a lambda or a function defined inside "
            "another function cannot be imported again. Define it at module level, or pickle "
            "the estimator."
        )
    return path


def imported(path):
    """The object at an import path; one that cannot be imported is a ValueError."""
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


def importable(path):
    """Whether :func:`imported` finds ``path`` (a class defined inside a function is not)."""
    try:
        imported(path)
    except ValueError:
        return False
    return True
