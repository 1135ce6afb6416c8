"""Divergence, Ctrl-C, the learning-curve plot and devices, with real fits."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import warnings

import keras
import numpy as np
import pandas as pd
import pytest

import skdeep
from skdeep.datasets import load_adult
from skdeep.exceptions import DivergenceError, FitInterruptedWarning


# ---------------------------------------------------------------------- divergence


@pytest.mark.filterwarnings("ignore:invalid value encountered in cast:RuntimeWarning")
def test_divergence_raises_with_epoch_and_hint_and_keeps_the_previous_fit(california):
    X, y, X_test, _ = california
    reg = skdeep.DeepRegressor(hidden_layer_sizes=(16,), epochs=3, random_state=0).fit(X, y)
    before = reg.predict(X_test)
    reg.set_params(learning_rate=10.0, epochs=20)
    with pytest.raises(DivergenceError, match=r"Training diverged in epoch 1: loss is (nan|inf)"
                       r"\. Try a lower learning_rate \(this fit used 10\)"):
        reg.fit(X, y * 1e20)
    np.testing.assert_array_equal(reg.predict(X_test), before)
    assert isinstance(DivergenceError("x"), ValueError)


# ---------------------------------------------------------------------- Ctrl-C

CHILD = textwrap.dedent("""
    import json, sys, warnings
    import keras, numpy as np
    import skdeep
    from skdeep.datasets import load_california_housing

    class Ready(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 2:
                print("READY", flush=True)

    X, y = load_california_housing(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    reg = skdeep.DeepRegressor(hidden_layer_sizes=(32,), epochs=100000, early_stopping=True,
                               n_iter_no_change=100000, random_state=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reg.fit(X[:4000], y[:4000], callbacks=[Ready()])
    reg.save(sys.argv[1])
    print(json.dumps({"warnings": [f"{w.category.__name__}: {w.message}" for w in caught],
                      "n_iter": reg.n_iter_, "best_epoch": reg.best_epoch_,
                      "prediction": reg.predict(X[:5]).tolist()}), flush=True)
""")


@pytest.fixture
def ctrl_c_as_in_a_terminal():
    """SIGINT handled as in a user's Python: a shell that starts the test-suite in the
    background (``pytest &``) makes it ignored, and children inherit that."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.slow
def test_ctrl_c_stops_a_real_fit_cleanly_and_keeps_a_usable_estimator(tmp_path):
    path = tmp_path / "interrupted.skdeep"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True,
                             # The child's Python handles SIGINT unless it starts ignored.
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert child.stdout.readline().strip() == "READY"
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=120)
    finally:
        child.kill()
    assert child.returncode == 0, err
    report = json.loads(out.strip().splitlines()[-1])
    # READY comes from the third epoch's callbacks; the signal may land before History
    # has recorded that epoch.
    assert report["n_iter"] >= 2 and 1 <= report["best_epoch"] <= report["n_iter"]
    assert any(w.startswith("FitInterruptedWarning: Training interrupted by the user")
               for w in report["warnings"])
    # The saved estimator is the interrupted one, with the best epoch's weights.
    reg = skdeep.load(path)
    X = skdeep.datasets.load_california_housing(return_X_y=True)[0]
    X = (X - X.mean(0)) / X.std(0)
    np.testing.assert_array_equal(reg.predict(X[:5]), report["prediction"])
    assert reg.n_iter_ == report["n_iter"]


class SendCtrlC(keras.callbacks.Callback):
    """Sends this process real SIGINTs at the start of epoch 3 (batch hooks: Keras's fit)."""

    def __init__(self, times, batch_hooks=False):
        super().__init__()
        self.times = times
        if batch_hooks:
            self.on_train_batch_end = lambda batch, logs=None: None

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == 3:
            for _ in range(self.times):
                os.kill(os.getpid(), signal.SIGINT)


@pytest.mark.parametrize("batch_hooks", [False, True], ids=["in-graph", "keras-fit"])
def test_a_real_ctrl_c_finishes_the_epoch_then_stops(california, batch_hooks,
                                                     ctrl_c_as_in_a_terminal):
    X, y, X_test, _ = california
    reg = skdeep.DeepRegressor(hidden_layer_sizes=(8,), epochs=50, random_state=0)
    with pytest.warns(FitInterruptedWarning):
        reg.fit(X, y, callbacks=[SendCtrlC(1, batch_hooks)])
    assert reg.n_iter_ == 4 and np.isfinite(reg.predict(X_test)).all()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_second_real_ctrl_c_aborts_the_fit(california, ctrl_c_as_in_a_terminal):
    X, y, X_test, _ = california
    reg = skdeep.DeepRegressor(hidden_layer_sizes=(8,), epochs=2, random_state=0).fit(X, y)
    before = reg.predict(X_test)
    with pytest.raises(KeyboardInterrupt):
        reg.set_params(epochs=50).fit(X, y, callbacks=[SendCtrlC(2)])
    assert reg.n_iter_ == 2 and signal.getsignal(signal.SIGINT) is signal.default_int_handler
    np.testing.assert_array_equal(reg.predict(X_test), before)


def test_interruption_inside_python_keeps_the_fitted_state(california):
    """The same path without a subprocess: a callback raising KeyboardInterrupt."""
    X, y, X_test, _ = california

    class CtrlC(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 3:
                raise KeyboardInterrupt

    reg = skdeep.DeepRegressor(hidden_layer_sizes=(8,), epochs=50, callbacks=[CtrlC()],
                               random_state=0)
    with pytest.warns(FitInterruptedWarning):
        reg.fit(X, y)
    # Interrupted in the 4th epoch's callbacks, before History recorded it: 3 epochs.
    assert reg.n_iter_ == 3 and np.isfinite(reg.predict(X_test)).all()


def test_a_second_ctrl_c_aborts_and_leaves_the_estimator_as_it_was(california):
    X, y, X_test, _ = california
    reg = skdeep.DeepRegressor(hidden_layer_sizes=(8,), epochs=2, random_state=0).fit(X, y)
    before = reg.predict(X_test)

    class CtrlCTwice(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise KeyboardInterrupt  # the first: training stops cleanly

        def on_train_end(self, logs=None):
            raise KeyboardInterrupt  # the second, during the clean-up: abort

    with pytest.raises(KeyboardInterrupt), pytest.warns(FitInterruptedWarning):
        reg.set_params(epochs=50).fit(X, y, callbacks=[CtrlCTwice()])
    assert reg.n_iter_ == 2
    np.testing.assert_array_equal(reg.predict(X_test), before)


# ---------------------------------------------------------------------- pictures


def test_plot_history_draws_train_and_validation_curves(california, tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    X, y, _, _ = california
    reg = skdeep.DeepRegressor(hidden_layer_sizes=(8,), epochs=4, early_stopping=True,
                               metrics=["mae"], random_state=0).fit(X, y)
    ax = skdeep.plot_history(reg)
    assert ax.get_legend_handles_labels()[1] == ["loss", "val_loss", "mae", "val_mae",
                                                 f"best epoch ({reg.best_epoch_})"]
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), reg.history_["loss"])
    ax.figure.savefig(tmp_path / "curves.png")
    assert (tmp_path / "curves.png").stat().st_size > 1000
    with pytest.raises(ValueError, match=r"The history has no \['accuracy'\]"):
        skdeep.plot_history(reg, metrics=["accuracy"])


def test_verbose_prints_one_line_per_epoch_with_validation_and_time(california, capsys):
    X, y, _, _ = california
    skdeep.DeepRegressor(hidden_layer_sizes=(8,), epochs=3, early_stopping=True, verbose=1,
                         random_state=0).fit(X, y)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert all(line.startswith(f"Epoch {i}/3 - ") and "s - loss: " in line and "val_loss" in line
               for i, line in enumerate(lines, start=1))


def test_warnings_are_not_spammed_for_unseen_categories():
    X, y = load_adult(return_X_y=True, as_frame=True)
    clf = skdeep.WideDeepClassifier(epochs=1, random_state=0).fit(X.iloc[:500], y.iloc[:500])
    unseen = X.iloc[:50].assign(occupation="Astronaut", workclass=None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isfinite(clf.predict_proba(pd.DataFrame(unseen))).all()


# ---------------------------------------------------------------------- devices

MIRRORED = textwrap.dedent("""
    import json, pickle
    import skdeep  # first: quiet TensorFlow
    import numpy as np
    import tensorflow as tf
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 5))
    y = X @ np.arange(5.0) + 0.1 * rng.normal(size=200)
    reg = skdeep.DeepRegressor(device=["cpu:0", "cpu:1"], hidden_layer_sizes=(16,), epochs=4,
                               early_stopping=True, random_state=0).fit(X, y)
    reg.set_params(warm_start=True, epochs=1).fit(X, y)  # a warm fit in the same strategy
    back = pickle.loads(pickle.dumps(reg))
    print(json.dumps({
        "variable": type(reg.model_.weights[0].value).__name__, "device": reg.device_,
        "history": sorted(reg.history_), "n_iter": reg.n_iter_,
        "best_epoch": reg.best_epoch_ == int(np.argmin(reg.history_["val_loss"])) + 1,
        "finite": bool(np.isfinite(reg.predict(X)).all()),
        "pickled_equal": bool(np.array_equal(back.predict(X), reg.predict(X))),
        "pickled_device": back.device_,
    }))
""")


@pytest.mark.slow
@pytest.mark.tensorflow  # MirroredStrategy
def test_a_device_list_trains_one_model_mirrored_on_two_logical_cpus():
    done = subprocess.run([sys.executable, "-c", MIRRORED], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["variable"] == "MirroredVariable"
    assert report["device"] == ["/CPU:0", "/CPU:1"] and report["pickled_device"] == report["device"]
    assert report["history"] == ["loss", "val_loss"] and report["best_epoch"]
    assert report["n_iter"] == 5  # the warm fit's epoch extends the first fit's four
    assert report["finite"] and report["pickled_equal"]
    # Quiet, but for one TensorFlow runtime warning that can come after the fit has returned
    # (so after skdeep stopped listening): a distributed dataset's prefetch cancelled when
    # its iterator is freed, logged from another thread.  It is a warning: kept at level 1.
    # And the script's own look at TensorFlow's devices, before any skdeep call, is
    # TensorFlow's (on a machine without a GPU driver it logs "failed call to cuInit").
    late = ("Local rendezvous is aborting with status: CANCELLED", "[[{{node RemoteCall}}]]",
            "failed call to cuInit")
    assert [line for line in done.stderr.splitlines() if not any(w in line for w in late)] == []


def test_a_missing_device_is_an_error_not_a_silent_cpu(california):
    X, y, _, _ = california
    with pytest.raises(skdeep.exceptions.DeviceError, match="asks for CPU 3"):
        skdeep.DeepRegressor(device="cpu:3", epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="or a list of two or more"):
        skdeep.DeepRegressor(device=["gpu:0"], epochs=1).fit(X, y)


@pytest.mark.filterwarnings("ignore:invalid value encountered in cast:RuntimeWarning")
def test_a_failed_warm_fit_keeps_the_optimizer_state(california):
    X, y, X_test, _ = california
    reg = skdeep.DeepRegressor(hidden_layer_sizes=(8,), epochs=2, warm_start=True,
                               random_state=0).fit(X, y)
    state = [v.numpy() for v in reg.model_.optimizer.variables]
    with pytest.raises(DivergenceError):
        reg.fit(X, y * 1e30)
    for variable, before in zip(reg.model_.optimizer.variables, state):
        np.testing.assert_array_equal(variable.numpy(), before)
    assert np.isfinite(reg.fit(X, y).predict(X_test)).all()  # a later warm fit trains
