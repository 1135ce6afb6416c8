"""skdeep.compat: the one module with private Keras, TensorFlow and scikit-learn names, and
what becomes of a fit when a library release moves one of them."""

import ast
import json
import os
import re
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import keras
import pytest

import skdeep
from skdeep import DeepRegressor, compat
from skdeep.exceptions import CompatibilityWarning

PACKAGE = Path(skdeep.__file__).parent
LIBRARIES = ("keras", "tensorflow", "sklearn")
PRIVATE_MODULE = re.compile(r"(keras\.src|tensorflow\.python)(\.\w+)*")
# Private attributes and names skdeep uses, spelled only in compat.py.
PRIVATE_NAMES = {
    "_symbolic_build",
    "_should_trace",
    "_fn_kwargs",
    "_call_flat",
    "_all_reduce_sum_gradients",
    "_backend_update_step",
    "_check_sample_weight",
    "_pandas_dtype_needs_early_conversion",
    "validate_parameter_constraints",
    "function_executor_type",
}


def _is_private_module(name):
    parts = name.split(".")
    return bool(PRIVATE_MODULE.fullmatch(name)) or (
        parts[0] in LIBRARIES and any(p.startswith("_") for p in parts[1:]))


def _private_uses(path):
    """(line, what) for each private library import or private name spelled in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if _is_private_module(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            private = _is_private_module(node.module)
            if private or node.module.split(".")[0] in LIBRARIES:
                found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names
                          if private or a.name.startswith("_")]
        elif isinstance(node, ast.Attribute) and node.attr in PRIVATE_NAMES:
            found.append((node.lineno, node.attr))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                node.value in PRIVATE_NAMES or PRIVATE_MODULE.fullmatch(node.value)):
            found.append((node.lineno, node.value))
    return found


def test_private_names_live_only_in_compat():
    uses = {path.relative_to(PACKAGE).as_posix(): _private_uses(path)
            for path in sorted(PACKAGE.rglob("*.py"))}
    elsewhere = {name: found for name, found in uses.items() if found and name != "compat.py"}
    assert not elsewhere, f"private library names outside skdeep/compat.py: {elsewhere}"
    # The scan finds what compat.py holds, so it cannot pass by finding nothing anywhere.
    seen = " ".join(what for _, what in uses["compat.py"])
    for expected in ("keras.src.backend.common", "keras.src.utils.rng_utils",
                     "keras.src.trainers.trainer", "keras.src.backend.tensorflow.optimizer",
                     "tensorflow.python.eager", "sklearn.utils._param_validation",
                     "sklearn.utils.validation._check_sample_weight", *PRIVATE_NAMES):
        assert expected in seen, expected


@pytest.mark.tensorflow  # the TensorFlow names are looked up only under its backend
def test_every_private_name_is_found_in_the_installed_versions(california):
    # Where a library upgrade moves one, the test suite says so, not only a user's warning.
    assert compat.get_global_attribute is not None and compat.GLOBAL_RANDOM_SEED is not None
    assert compat.Trainer is not None and compat.can_build_for_training()
    assert compat.Functional is not None and compat.TFOptimizer is not None
    assert compat.inherited_update_methods(keras.optimizers.Adam()) == {
        compat.SUM_GRADIENTS, compat.APPLY_UPDATES}
    assert compat.single_threaded_executor() is not None and compat.ConcreteFunction
    assert compat.validate_parameter_constraints is not None
    X, y, X_test, _ = california
    with warnings.catch_warnings():
        warnings.simplefilter("error", CompatibilityWarning)
        DeepRegressor(hidden_layer_sizes=(8,), epochs=1, random_state=0).fit(
            X[:200], y[:200]).predict(X_test[:3])


# ---------------------------------------------------------------- a library moves a name

# Run first in each subprocess: the libraries load as released, then one private name moves
# as a refactor would move it, then skdeep is imported and fits.
PRELUDE = '''
import importlib, inspect, json, sys, textwrap, types, warnings
import keras, tensorflow
import sklearn.base, sklearn.metrics, sklearn.model_selection, sklearn.preprocessing
import sklearn.tree, sklearn.utils.multiclass, sklearn.utils.validation


def hide(name):
    """Make a module, or a module's attribute, unimportable by this path, as if the library
    had moved it: the library's own code keeps the references it holds.  Returns the undo."""
    if name in sys.modules:
        module, sys.modules[name] = sys.modules[name], None
        return lambda: sys.modules.update({name: module})
    path, _, attribute = name.rpartition(".")
    package, _, last = path.rpartition(".")
    module = getattr(importlib.import_module(package), last)
    moved = types.ModuleType(module.__name__, module.__doc__)
    vars(moved).update({k: v for k, v in vars(module).items() if k != attribute})
    paths = [p for p in (path, module.__name__) if p in sys.modules]
    setattr(importlib.import_module(package), last, moved)
    sys.modules.update({p: moved for p in paths})

    def undo():
        setattr(importlib.import_module(package), last, module)
        sys.modules.update({p: module for p in paths})
    return undo


def rename(cls, old, new):
    """Rename a private attribute throughout ``cls``'s methods, as the library would."""
    for name, function in list(vars(cls).items()):
        if inspect.isfunction(function) and old in function.__code__.co_names:
            source = textwrap.dedent(inspect.getsource(function)).replace(old, new)
            namespace = {}
            exec("class Renamed:\\n" + textwrap.indent(source, "    "),
                 vars(sys.modules[cls.__module__]), namespace)
            renamed = vars(namespace["Renamed"])[name]
            code = renamed.__code__
            if "__class__" in code.co_freevars:  # super() inside: it must see cls
                renamed.__closure__[code.co_freevars.index("__class__")].cell_contents = cls
            setattr(cls, name, renamed)


MOVE

import numpy as np
import skdeep
from skdeep.datasets import load_california_housing
from skdeep.exceptions import CompatibilityWarning

X, y = load_california_housing(return_X_y=True)
X, y = (X[:300] - X[:300].mean(0)) / X[:300].std(0), y[:300]
params = dict(hidden_layer_sizes=(8,), epochs=2, random_state=0)


def fit():
FIT


with warnings.catch_warnings(record=True) as seen:
    warnings.simplefilter("always", CompatibilityWarning)  # to count them: each comes once
    warnings.filterwarnings("error", category=DeprecationWarning, module="skdeep")
    fit()
with open(sys.argv[1], "w") as out:
    json.dump([str(w.message) for w in seen if issubclass(w.category, CompatibilityWarning)],
              out)
'''

PLAIN_FIT = '''
reg = skdeep.DeepRegressor(**params).fit(X, y)
assert np.isfinite(reg.predict(X[:5])).all() and len(reg.history_["loss"]) == 2
'''

SEEDED_FITS = PLAIN_FIT + '''
again = skdeep.DeepRegressor(**params).fit(X, y)
np.testing.assert_array_equal(reg.predict(X), again.predict(X))
'''

CASES = {
    "nothing moved": ("", PLAIN_FIT, []),
    "keras global state": (
        'hide("keras.src.backend.common.global_state")', SEEDED_FITS,
        ["keras.src.backend.common.global_state", "names keep counting",
         "global seed is not set"]),
    "keras global seed keys": (
        'hide("keras.src.utils.rng_utils")', SEEDED_FITS,
        ["keras.src.utils.rng_utils.GLOBAL_RANDOM_SEED", "global seed is not set"]),
    "keras trainer's _symbolic_build": (
        'hide("keras.src.trainers.trainer")', PLAIN_FIT,
        ["Trainer._symbolic_build", "through keras Model.fit"]),
    "keras functional model class": (
        # Keras imports it lazily by the same path: it is back for Keras once skdeep looked.
        'undo = hide("keras.src.models.functional.Functional")\n'
        'import skdeep.engine.trace_cache\n'
        'undo()',
        'params["ensemble_size"] = 1  # a plain functional network\n' + PLAIN_FIT,
        ["keras.src.models.functional.Functional", "not shared between fits"]),
    "keras tensorflow optimizer": (
        'hide("keras.src.backend.tensorflow.optimizer")', PLAIN_FIT,
        ["TFOptimizer._all_reduce_sum_gradients", "through tf.distribute"]),
    "tensorboard _should_trace": (
        'from keras.src.callbacks.tensorboard import TensorBoard\n'
        'rename(TensorBoard, "_should_trace", "_profiles")',
        '''
import tempfile
with tempfile.TemporaryDirectory() as logs:
    reg = skdeep.DeepRegressor(callbacks=[keras.callbacks.TensorBoard(logs)], **params)
    assert np.isfinite(reg.fit(X, y).predict(X[:5])).all()
''', ["TensorBoard._should_trace", "TensorBoard callback train through keras Model.fit"]),
    "keras loss arguments": (
        'from keras.src.losses.losses import LossFunctionWrapper\n'
        'rename(LossFunctionWrapper, "_fn_kwargs", "_arguments")',
        '''
reg = skdeep.DeepRegressor(loss=keras.losses.Huber(delta=2.0), loss__delta=0.5, **params)
assert np.isfinite(reg.fit(X, y).predict(X[:5])).all()
assert reg.model_.loss._arguments == {"delta": 0.5}
''', ["LossFunctionWrapper._fn_kwargs", "made anew from its config"]),
    "keras loss wrapper class": (
        'hide("keras.src.losses.losses.LossFunctionWrapper")',
        '''
import os, tempfile
reg = skdeep.DeepRegressor(loss=keras.losses.Huber(delta=2.0), loss__delta=0.5, **params)
reg.fit(X, y)
with tempfile.TemporaryDirectory() as folder:
    reg.save(os.path.join(folder, "reg.skdeep"))
    loaded = skdeep.load(os.path.join(folder, "reg.skdeep"))
np.testing.assert_array_equal(loaded.predict(X), reg.predict(X))
assert loaded.loss._fn_kwargs == {"delta": 2.0}  # left out of Huber's config
''', ["keras.src.losses.losses.LossFunctionWrapper", "recognised by the function"]),
    "tensorflow executor switch": (
        'hide("tensorflow.experimental.function_executor_type")', PLAIN_FIT,
        ["function_executor_type", "default executor"]),
    "tensorflow flat call": (
        'hide("tensorflow.python.eager.polymorphic_function.concrete_function")', PLAIN_FIT,
        ["ConcreteFunction._call_flat", "binds its inputs"]),
    "sklearn parameter validation": (
        'hide("sklearn.utils._param_validation")', PLAIN_FIT,
        ["sklearn.utils._param_validation", "parameters are not checked"]),
    "sklearn sample-weight check": (
        'hide("sklearn.utils.validation._check_sample_weight")',
        '''
weights = np.linspace(0.5, 2, len(y))
reg = skdeep.DeepRegressor(**params).fit(X, y, sample_weight=weights)
assert np.isfinite(reg.predict(X[:5])).all()
for bad, message in [(-weights, "Negative values in data passed to `sample_weight`"),
                     (weights[:-1], "sample_weight.shape == ")]:
    try:
        skdeep.DeepRegressor(**params).fit(X, y, sample_weight=bad)
    except ValueError as error:
        assert message in str(error), error
    else:
        raise AssertionError("bad weights accepted")
''', ["_check_sample_weight", "public functions"]),
    "sklearn pandas dtype test": (
        'hide("sklearn.utils.validation._pandas_dtype_needs_early_conversion")',
        '''
import pandas
frame = pandas.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
reg = skdeep.WideDeepRegressor(**params).fit(frame, y)
np.testing.assert_array_equal(reg.predict(frame[:5]), reg.predict(X[:5]))
''', ["_pandas_dtype_needs_early_conversion", "full validation"]),
}


@pytest.mark.slow  # a fresh Python process per case
@pytest.mark.tensorflow  # the processes import TensorFlow to hide its names
@pytest.mark.parametrize("case", list(CASES))
def test_a_moved_private_name_turns_off_only_what_it_served(case, tmp_path):
    move, fit, expected = CASES[case]
    script = PRELUDE.replace("MOVE", move).replace(
        "FIT", textwrap.indent(textwrap.dedent(fit).strip(), "    "))
    report = tmp_path / "warnings.json"
    # This checkout's skdeep first, also where another one is installed.
    path = os.pathsep.join([str(PACKAGE.parent), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": path}
    done = subprocess.run([sys.executable, "-c", script, str(report)], capture_output=True,
                          text=True, env=env, cwd=PACKAGE.parent, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout == ""
    said = json.loads(report.read_text())
    if not expected:
        assert said == []
        return
    assert len(said) == len(set(said)), said  # each once
    for words in expected:
        assert any(words in message for message in said), (words, said)
