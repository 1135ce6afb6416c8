"""Ctrl-C during a fit (skdeep/interruption.py): the first stops after the epoch and keeps a
usable estimator, a second aborts and leaves the estimator as it was; real signals and real
fits, on the in-graph path and through Keras's fit."""

import json
import os
import signal
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

import skdeep
from skdeep.exceptions import FitInterruptedWarning

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


def test_a_second_real_ctrl_c_aborts_the_fit(california, fitted_regressor,
                                             ctrl_c_as_in_a_terminal):
    X, y, X_test, _ = california
    reg = fitted_regressor  # 2 epochs
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


def test_a_second_ctrl_c_aborts_and_leaves_the_estimator_as_it_was(california,
                                                                    fitted_regressor):
    X, y, X_test, _ = california
    reg = fitted_regressor  # 2 epochs
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
