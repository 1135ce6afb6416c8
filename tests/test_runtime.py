"""Process-wide settings (skdeep/runtime.py): the dtype policy and XLA per fit, and the work
done at first use rather than at import (TensorFlow's threads, the look for GPUs)."""

import subprocess
import sys
import textwrap
import threading

import keras
import numpy as np
import pytest

import skdeep


@pytest.mark.slow
def test_mixed_precision_applies_to_the_model_only(california):
    X, y, X_test, y_test = california
    assert keras.config.dtype_policy().name == "float32"
    common = dict(hidden_layer_sizes=(32,), epochs=5, random_state=0)
    full = skdeep.DeepRegressor(**common).fit(X, y).history_["loss"]
    for policy, compute in (("mixed_float16", "float16"), ("mixed_bfloat16", "bfloat16")):
        reg = skdeep.DeepRegressor(mixed_precision=policy, **common).fit(X, y)
        hidden, output = reg.model_.get_layer("hidden_0"), reg.model_.get_layer("output")
        assert (hidden.compute_dtype, output.compute_dtype) == (compute, "float32")
        assert keras.config.dtype_policy().name == "float32"  # the caller's, restored
        # It learns as float32 does, to the precision of its 8 (bfloat16) or 11 bits.
        np.testing.assert_allclose(reg.history_["loss"], full, rtol=0.05)
        assert np.isfinite(reg.predict(X_test)).all()
    # float16 trains with loss scaling; bfloat16 needs none.
    assert isinstance(skdeep.DeepRegressor(mixed_precision="mixed_float16", epochs=1)
                      .fit(X, y).model_.optimizer, keras.optimizers.LossScaleOptimizer)


def test_mixed_precision_reaches_a_worker_thread(california):
    """Keras's policy is per thread: the estimator's parameter applies in the fitting thread."""
    X, y, _, _ = california
    result = {}

    def fit():
        est = skdeep.WideDeepRegressor(mixed_precision="mixed_bfloat16", epochs=1)
        result["dtype"] = est.fit(X, y).model_.get_layer("deep_0").compute_dtype

    worker = threading.Thread(target=fit)
    worker.start()
    worker.join()
    assert result["dtype"] == "bfloat16"


@pytest.mark.slow
@pytest.mark.tensorflow  # under JAX every model is compiled (test_backends.py)
def test_jit_compile_trains_with_xla_to_the_same_model(california):
    X, y, X_test, _ = california
    common = dict(hidden_layer_sizes=(16,), epochs=3, random_state=0)
    xla = skdeep.DeepRegressor(jit_compile=True, **common).fit(X, y)
    plain = skdeep.DeepRegressor(**common).fit(X, y)
    assert xla.model_.jit_compile is True and plain.model_.jit_compile is False
    np.testing.assert_allclose(xla.predict(X_test), plain.predict(X_test), rtol=1e-4, atol=1e-5)


def test_import_and_unpickling_setup_do_not_import_tensorflow():
    """A Dask worker or CLI that imports skdeep pays for TensorFlow only when it needs it."""
    code = ("import sys, skdeep, skdeep.datasets\n"
            "skdeep.datasets.load_adult()\n"
            "print('tensorflow' in sys.modules, 'keras' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.split() == ["False", "False"], done.stderr


FIRST_USE = textwrap.dedent(
    """
    import sys
    import numpy as np
    from skdeep import DeepClassifier, DeepRegressor, WideDeepRegressor, load
    print("imported", file=sys.stderr, flush=True)
    import tensorflow as tf
    print(tf.config.threading.get_intra_op_parallelism_threads())
    print("fitting", file=sys.stderr, flush=True)
    DeepRegressor(epochs=1).fit(np.ones((8, 2)), np.ones(8))
    print(tf.config.threading.get_intra_op_parallelism_threads())
    """
)


@pytest.mark.slow
@pytest.mark.tensorflow
def test_importing_the_estimators_leaves_threads_and_gpus_to_the_first_fit():
    # A worker (OMP_NUM_THREADS=1) gets TensorFlow's pools capped at its first fit, not by an
    # import that may serve no fit.  And TensorFlow's log is the user's to see: importing
    # TensorFlow after skdeep with TF_CPP_MIN_LOG_LEVEL=0 shows its INFO lines
    # (skdeep/tf_logs.py obeys the level a user sets: at 0 it drops nothing).
    done = subprocess.run([sys.executable, "-c", FIRST_USE], capture_output=True, text=True,
                          timeout=600, env={"PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1",
                                            "TF_CPP_MIN_LOG_LEVEL": "0"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["0", "1"]
    imports = "\n" + done.stderr.split("fitting")[0]  # skdeep's, then TensorFlow's
    assert " I " in imports or "\nI0" in imports


RESTORE = textwrap.dedent(
    """
    import pickle, sys
    import numpy as np
    import skdeep
    how, path = sys.argv[1:]
    estimator = skdeep.load(path) if how == "load" else pickle.load(open(path, "rb"))
    estimator.predict(np.zeros((3, 2)))
    import tensorflow as tf
    print(tf.config.threading.get_intra_op_parallelism_threads())
    """
)


@pytest.mark.slow
@pytest.mark.tensorflow
@pytest.mark.parametrize("how", ["load", "pickle"])
def test_a_worker_that_restores_a_fitted_estimator_caps_threads_quietly(how, tmp_path):
    import pickle

    import numpy as np

    import skdeep

    X = np.random.default_rng(0).normal(size=(20, 2))
    est = skdeep.DeepRegressor(hidden_layer_sizes=(4,), epochs=1).fit(X, X[:, 0])
    path = tmp_path / "est"
    if how == "load":
        est.save(path)
    else:
        path.write_bytes(pickle.dumps(est))
    done = subprocess.run([sys.executable, "-c", RESTORE, how, str(path)], capture_output=True,
                          text=True, timeout=600, env={"PATH": "/usr/bin:/bin",
                                                       "OMP_NUM_THREADS": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert (done.stdout.split(), done.stderr) == (["1"], "")
