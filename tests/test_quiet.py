"""Nothing printed: import, a 31-fit search with verbose=0, and predictions stay silent."""

import os
import subprocess
import sys
import textwrap

import pytest

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


def _startup_hook_installed():
    import site

    return any(os.path.exists(os.path.join(d, "skdeep-tensorflow-logs.pth"))
               for d in site.getsitepackages())


@pytest.mark.skipif(not _startup_hook_installed(),
                    reason="skdeep is not installed in this environment (pip install -e .)")
@pytest.mark.slow
def test_keras_imported_first_prints_nothing():
    # The .pth file the package installs listens to TensorFlow's import, which `import keras`
    # does before skdeep is imported.
    done = subprocess.run([sys.executable, "-c", KERAS_FIRST], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin"}, timeout=600)
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr) == ("", "")


ONE_LISTENER = textwrap.dedent(
    """
    import importlib.util, sys
    import skdeep
    from skdeep import tf_logs
    hooks = [type(f).__name__ for f in sys.meta_path if "Listen" in type(f).__name__
             or isinstance(f, tf_logs._ImportHook)]
    loader = importlib.util.find_spec("tensorflow").loader
    print(len(hooks), type(loader).__name__, type(loader.loader).__name__)
    """
)


@pytest.mark.skipif(not _startup_hook_installed(),
                    reason="skdeep is not installed in this environment (pip install -e .)")
def test_one_listener_wraps_tensorflows_import():
    # Python may run a virtual environment's .pth file twice at start-up; skdeep's own hook
    # waits too.  Nested listeners would each take over stderr: TensorFlow's loader is wrapped once.
    done = subprocess.run([sys.executable, "-c", ONE_LISTENER], capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2", "_ListeningLoader", "SourceFileLoader"], done.stdout


@pytest.mark.slow
def test_a_users_log_level_zero_shows_tensorflows_info_lines():
    done = subprocess.run([sys.executable, "-c", "import skdeep, tensorflow"],
                          capture_output=True, text=True, timeout=600,
                          env={"PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "0"})
    assert done.returncode == 0, done.stderr
    assert " I " in done.stderr or "\nI0" in "\n" + done.stderr


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
    script = "from skdeep import tf_logs; tf_logs.install('noisy', after=None); import noisy"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert any("kernel registry failed" in line for line in lines)
    assert any("a warning the user needs" in line for line in lines)
    assert any("a Python warning during import" in line for line in lines)
    assert not any("oneDNN" in line or "cudart_stub" in line or "absl" in line for line in lines)


def test_a_gpu_that_fails_to_start_is_explained_from_tensorflows_own_log():
    from skdeep import device, tf_logs

    if not any("cuInit" in line for line in tf_logs.gpu_lines):
        pytest.skip("this TensorFlow build said nothing about cuInit here")
    # What this machine's TensorFlow said when skdeep listed the GPUs, as it would be on a
    # machine whose driver is broken.
    message = device.gpu_failure(gpu_present=True)
    assert "cuInit" in message and "\n" not in message
    assert device.gpu_failure(gpu_present=False) is None
