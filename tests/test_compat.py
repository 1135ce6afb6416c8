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

# The one subprocess for every case: the libraries load as released; then for each case one
# private name moves as a refactor would move it, skdeep is imported afresh and fits, and the
# name moves back, with skdeep forgotten so that the next case imports it anew.
SCRIPT = '''
import contextlib, importlib, inspect, io, json, sys, textwrap, traceback, types, warnings
import keras, tensorflow
import sklearn.base, sklearn.metrics, sklearn.model_selection, sklearn.preprocessing
import sklearn.tree, sklearn.utils.multiclass, sklearn.utils.validation
import numpy as np

UNDO = []  # how to put back each name moved in this case, run in reverse after it


def hide(name):
    """Make a module, or a module's attribute, unimportable by this path, as if the library
    had moved it: the library's own code keeps the references it holds.  Returns the undo."""
    if name in sys.modules:
        module, sys.modules[name] = sys.modules[name], None
        UNDO.append(lambda: sys.modules.update({name: module}))
        return UNDO[-1]
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
    UNDO.append(undo)
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
            UNDO.append(lambda name=name, function=function: setattr(cls, name, function))


def forget_skdeep():
    """Unload skdeep: compat looks the names up at import, so each case imports it anew."""
    for module in [m for m in sys.modules if m.split(".")[0] == "skdeep"]:
        del sys.modules[module]


def run(move, fit):
    """Move a name, fit with a fresh skdeep; the CompatibilityWarnings the fit gave."""
    exec(move, {"hide": hide, "rename": rename})
    import skdeep
    from skdeep.datasets import load_california_housing
    from skdeep.exceptions import CompatibilityWarning

    X, y = load_california_housing(return_X_y=True)
    X, y = (X[:300] - X[:300].mean(0)) / X[:300].std(0), y[:300]
    params = dict(hidden_layer_sizes=(8,), epochs=2, random_state=0)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", CompatibilityWarning)  # to count them: each comes once
        warnings.filterwarnings("error", category=DeprecationWarning, module="skdeep")
        exec(fit, {"np": np, "keras": keras, "skdeep": skdeep, "X": X, "y": y,
                   "params": params})
    return [str(w.message) for w in seen if issubclass(w.category, CompatibilityWarning)]


with open(sys.argv[1], "w") as report:
    for case, (move, fit) in json.loads(sys.argv[2]).items():
        said, error, printed = None, None, io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                said = run(move, fit)
        except BaseException:
            error = traceback.format_exc()
        finally:
            while UNDO:
                UNDO.pop()()
            forget_skdeep()
        print(json.dumps(dict(case=case, said=said, error=error, stdout=printed.getvalue())),
              file=report, flush=True)
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


TEST = "test_a_moved_private_name_turns_off_only_what_it_served"


@pytest.fixture(scope="module")
def moved_name_fits(request, tmp_path_factory):
    """What each case selected in this session gave, from one subprocess for them all
    (importing TensorFlow takes seconds): case -> its report, and the process's own run."""
    selected = {item.callspec.params["case"] for item in request.session.items
                if getattr(item, "originalname", None) == TEST}
    # "nothing moved" runs last: it then also shows that each case put its name back.
    order = sorted(selected, key=lambda case: case == "nothing moved")
    cases = {case: (CASES[case][0], textwrap.dedent(CASES[case][1])) for case in order}
    report = tmp_path_factory.mktemp("compat") / "cases.jsonl"
    # This checkout's skdeep first, also where another one is installed.
    path = os.pathsep.join([str(PACKAGE.parent), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": path}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(report), json.dumps(cases)],
                          capture_output=True, text=True, env=env, cwd=PACKAGE.parent,
                          timeout=600)
    lines = report.read_text().splitlines() if report.exists() else []
    return {entry["case"]: entry for entry in map(json.loads, lines)}, done


@pytest.mark.slow  # one Python process for all cases, importing TensorFlow
@pytest.mark.tensorflow  # the process imports TensorFlow to hide its names
@pytest.mark.parametrize("case", list(CASES))
def test_a_moved_private_name_turns_off_only_what_it_served(case, moved_name_fits):
    reports, done = moved_name_fits
    expected = CASES[case][2]
    assert case in reports, (f"the process ended (status {done.returncode}) before this case",
                             done.stderr[-3000:])
    entry = reports[case]
    assert entry["error"] is None, entry["error"]
    assert entry["stdout"] == ""
    assert done.returncode == 0 and done.stdout == "", (done.stdout, done.stderr[-3000:])
    said = entry["said"]
    if not expected:
        # Run after the other cases in the same process: none left its name moved.
        assert said == [], said
        return
    assert len(said) == len(set(said)), said  # each once
    for words in expected:
        assert any(words in message for message in said), (words, said)
