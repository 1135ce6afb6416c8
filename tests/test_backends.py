"""Keras's backends: under JAX and PyTorch skdeep never imports TensorFlow, and the estimators
fit, predict, save and load.

The fresh-process checks run for every backend installed in this environment; with TensorFlow
installed too, a TensorFlow import would be caught.  The whole suite
runs under a backend with ``KERAS_BACKEND=jax pytest`` (see ``tests/conftest.py``).
"""

import importlib.util
import os
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

import skdeep
from skdeep import device, engine, runtime

OTHER_BACKENDS = [b for b in ("jax", "torch") if importlib.util.find_spec(b) is not None]

# With TensorFlow installed (CI), an import of it by skdeep would show in sys.modules.  Keras's
# own serialization (save, pickle) imports TensorFlow where it is installed, to look for its
# TensorShape; with TensorFlow unimportable, as where it is not installed, saving works: the
# second half shows it.  (The finder hands out a spec whose loading fails: PyTorch only asks
# where TensorFlow is, without importing it.)
NO_TENSORFLOW = textwrap.dedent(
    """
    import importlib.abc, importlib.machinery, os, pickle, sys, tempfile
    import numpy as np
    import skdeep
    from skdeep import DeepClassifier, DeepRegressor, WideDeepRegressor
    from skdeep.datasets import load_adult, load_california_housing

    X, y = load_california_housing(return_X_y=True)
    X, y = (X[:400] - X[:400].mean(0)) / X[:400].std(0), y[:400]
    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=2, random_state=0).fit(X, y)
    clf = DeepClassifier(hidden_layer_sizes=(8,), epochs=1).fit(X, y > 2)
    reg.score(X, y), clf.predict_proba(X[:3])
    imported = "tensorflow" in sys.modules

    class Unimportable(importlib.abc.Loader):
        def create_module(self, spec):
            raise ImportError("TensorFlow is not installed here")

        def exec_module(self, module):
            pass

    class NoTensorFlow(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] == "tensorflow":
                return importlib.machinery.ModuleSpec(name, Unimportable())

    sys.meta_path.insert(0, NoTensorFlow())
    pickle.loads(pickle.dumps(reg)).predict(X[:3])
    path = os.path.join(tempfile.mkdtemp(), "reg.skdeep")
    reg.save(path)
    assert np.array_equal(skdeep.load(path).predict(X), reg.predict(X))
    import keras
    print(keras.backend.backend(), reg.device_, imported)
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("backend", OTHER_BACKENDS)
def test_another_backend_never_imports_tensorflow(backend):
    env = {**os.environ, "KERAS_BACKEND": backend}
    done = subprocess.run([sys.executable, "-c", NO_TENSORFLOW], capture_output=True,
                          text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split()[-3:] == [backend, "/CPU:0", "False"], done.stdout


def test_the_engine_follows_keras_backend():
    assert runtime.backend() == keras.backend.backend()
    assert engine.Predictor.__module__ == f"skdeep.engine.{runtime.backend()}"


def test_devices_are_named_alike_on_every_backend():
    assert device.visible_devices("cpu")[0] == "/CPU:0"
    assert device.resolve_device("cpu") == "/CPU:0"
    assert device.available_device("/GPU:7") == "/CPU:0"


@pytest.mark.skipif(runtime.backend() == "tensorflow", reason="JAX and PyTorch only")
def test_a_list_of_devices_needs_tensorflow(california):
    X, y, _, _ = california
    reg = skdeep.DeepRegressor(device=["cpu:0", "cpu:0"], epochs=1)
    with pytest.raises(skdeep.exceptions.DeviceError, match="TensorFlow backend"):
        reg.fit(X[:100], y[:100])


@pytest.mark.skipif(runtime.backend() == "tensorflow", reason="JAX and PyTorch only")
def test_seeded_fits_see_the_same_batches_and_leave_global_streams_alone(california):
    X, y, X_test, _ = california
    state = np.random.get_state()[1].copy()
    common = dict(hidden_layer_sizes=(8,), epochs=3, random_state=0)
    first = skdeep.DeepRegressor(**common).fit(X, y).predict(X_test)
    assert np.array_equal(first, skdeep.DeepRegressor(**common).fit(X, y).predict(X_test))
    assert np.array_equal(np.random.get_state()[1], state)
    other = skdeep.DeepRegressor(**{**common, "random_state": 1}).fit(X, y).predict(X_test)
    assert not np.array_equal(first, other)


def test_jit_compile_false_still_compiles_under_jax(california):
    X, y, _, _ = california
    reg = skdeep.DeepRegressor(hidden_layer_sizes=(8,), epochs=1).fit(X[:200], y[:200])
    assert reg.model_.jit_compile is (runtime.backend() == "jax")


@pytest.mark.gpu
def test_gpu_placement_on_the_backend(california):
    X, y, X_test, _ = california
    reg = skdeep.DeepRegressor(device="gpu", memory_growth=True, epochs=2, random_state=0)
    reg.fit(X, y)
    assert reg.device_ == "/GPU:0"
    assert device.weights_device(reg.model_, "/GPU:0") == "/GPU:0"
    assert np.isfinite(reg.predict(X_test)).all()


@pytest.mark.skipif(runtime.backend() != "jax", reason="the JAX engine")
def test_jax_compiled_epochs_train_as_keras_fit(california, monkeypatch):
    """The compiled epochs (a lax.scan over the model's train_step) and Keras's fit see the
    same seeded batches and compute the same steps: the same model, bit for bit here."""
    from skdeep.engine import jax as jax_engine

    X, y, X_test, y_test = california
    common = dict(hidden_layer_sizes=(16,), epochs=4, batch_size=64, dropout=0.1,
                  random_state=0, early_stopping=True, n_iter_no_change=2)
    fits = {}
    for label, min_steps in (("compiled", 0), ("keras", 10**9)):
        monkeypatch.setattr(jax_engine, "MIN_STEPS", min_steps)
        calls = []
        monkeypatch.setattr(jax_engine, "train_compiled", _counted(
            jax_engine.train_compiled, calls))
        fits[label] = skdeep.DeepRegressor(**common).fit(X, y)
        assert len(calls) == (label == "compiled")
    compiled, keras_fit = fits["compiled"], fits["keras"]
    assert compiled.history_.keys() == keras_fit.history_.keys() == {"loss", "val_loss"}
    np.testing.assert_allclose(compiled.history_["loss"], keras_fit.history_["loss"],
                               rtol=1e-5)
    np.testing.assert_allclose(compiled.predict(X_test), keras_fit.predict(X_test),
                               rtol=1e-5, atol=1e-6)
    assert compiled.best_epoch_ == keras_fit.best_epoch_
    # Warm: the optimizer state goes on in the model's variables.
    iterations = int(compiled.model_.optimizer.iterations.numpy())
    compiled.set_params(warm_start=True, epochs=1).fit(X, y)
    assert int(compiled.model_.optimizer.iterations.numpy()) > iterations


def _counted(function, calls):
    def counted(*args, **kwargs):
        calls.append(1)
        return function(*args, **kwargs)

    return counted
