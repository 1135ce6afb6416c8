"""TensorFlow's start-up log (skdeep/tf_logs.py): import, a 31-fit search with verbose=0 and
predictions print nothing; TensorFlow's own lines stay TensorFlow's where it was imported first
or asked for them; nothing of skdeep runs before it is imported."""

import subprocess
import sys
import textwrap

import pytest

from skdeep import tf_logs

SCRIPT = textwrap.dedent(
    """
    import numpy as np
    import skdeep
    from scipy.stats import reciprocal
    from sklearn.model_selection import RandomizedSearchCV
    from skdeep.datasets import load_california_housing

    X, y = load_california_housing(return_X_y=True)
    X = (X[:600] - X[:600].mean(0)) / X[:600].std(0)
    y = y[:600]
    search = RandomizedSearchCV(
        skdeep.DeepRegressor(epochs=3, early_stopping=True, random_state=0),
        {"hidden_layer_sizes": [(8,), (16, 8)], "learning_rate": reciprocal(1e-4, 1e-2),
         "batch_size": np.arange(16, 64)},
        n_iter=10, cv=3, random_state=0,
    ).fit(X, y)
    for rows in (1, 7, 600):
        search.predict(X[:rows])
    search.best_estimator_.predict(X[:3])
    """
)


@pytest.mark.slow
def test_import_fit_and_predict_print_nothing():
    env = {"PATH": "/usr/bin:/bin"}  # no TF_CPP_MIN_LOG_LEVEL from the caller
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr == ""


KERAS_FIRST = textwrap.dedent(
    """
    import keras
    import numpy as np
    from skdeep import DeepClassifier
    from skdeep.datasets import load_adult

    X, y = load_adult(return_X_y=True, as_frame=True)
    X = X.select_dtypes("number").to_numpy(float)[:400]
    X = (X - X.mean(0)) / X.std(0)
    clf = DeepClassifier(hidden_layer_sizes=(8,), epochs=2, random_state=0).fit(X, y[:400])
    clf.predict_proba(X[:5])
    """
)


@pytest.mark.slow
def test_keras_imported_first_leaves_tensorflows_start_up_lines_only():
    # TensorFlow's import came before skdeep's: its INFO lines are its own (README: set
    # TF_CPP_MIN_LOG_LEVEL); the fit adds nothing, and its first look for GPUs is listened to.
    done = subprocess.run([sys.executable, "-c", KERAS_FIRST], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin"}, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert "cuInit" not in done.stderr
    assert tf_logs.kept_lines(done.stderr.splitlines()) == [], done.stderr


def test_nothing_of_skdeep_runs_at_start_up():
    # No start-up file (.pth): a Python process that does not import skdeep imports
    # TensorFlow as TensorFlow's own loader does.
    code = ("import importlib.machinery, importlib.util, sys\n"
            "spec = importlib.util.find_spec('tensorflow')\n"
            "own = importlib.machinery.PathFinder.find_spec('tensorflow')\n"
            "print(type(spec.loader) is type(own.loader),"
            " [m for m in sys.modules if m.split('.')[0] == 'skdeep'])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "[]"], (
        f"{done.stdout} (a start-up hook ran: reinstall skdeep with pip install -e .)")


def test_import_skdeep_adds_one_finder_and_imports_no_tensorflow():
    code = ("import sys\n"
            "before = list(sys.meta_path)\n"
            "import skdeep\n"
            "print(len([f for f in sys.meta_path if f not in before]),"
            " 'tensorflow' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "False"], done.stdout


NOISY_MODULE = textwrap.dedent(
    """
    import os, warnings
    os.write(2, b"WARNING: All log messages before absl::InitializeLog() is called are "
                b"written to STDERR\\n")
    os.write(2, b"I0000 00:00:1795734966.956579   25352 port.cc:153] oneDNN custom operations\\n")
    os.write(2, b"2026-11-26 23:16:16.428674: I external/cudart_stub.cc:31] Could not find cuda\\n")
    os.write(2, b"E0000 00:00:1795734966.956579   25352 loader.cc:9] kernel registry failed\\n")
    os.write(2, b"2026-11-26 23:16:16.4: W tensorflow/core/x.cc:1] a warning the user needs\\n")
    warnings.warn("a Python warning during import")
    """
)


def test_the_import_listener_drops_info_lines_and_keeps_warnings_and_errors(tmp_path):
    (tmp_path / "noisy.py").write_text(NOISY_MODULE)
    script = ("import sys\n"
              "from skdeep import tf_logs\n"
              "before = list(sys.meta_path)\n"
              "tf_logs.install('noisy')\n"
              "import noisy\n"
              "print(sys.meta_path == before, type(noisy.__loader__).__name__)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert any("kernel registry failed" in line for line in lines)
    assert any("a warning the user needs" in line for line in lines)
    assert any("a Python warning during import" in line for line in lines)
    assert not any("oneDNN" in line or "cudart_stub" in line or "absl" in line for line in lines)
    # The listener left sys.meta_path and the module's own loader in place.
    assert done.stdout.split() == ["True", "SourceFileLoader"]


def test_keras_objects_made_before_the_first_fit_print_nothing():
    """A metric holding variables, given to an estimator before any fit (Keras's usual
    ``metrics=[keras.metrics.AUC()]``), is TensorFlow's first look for GPUs: quiet too."""
    code = ("import skdeep, keras\n"
            "metric = keras.metrics.AUC(name='auc')\n"
            "skdeep.DeepClassifier(metrics=[metric])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin"}, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr
