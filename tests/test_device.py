"""Precision, XLA and GPU settings: mixed precision, jit_compile, placement, memory growth.

The ``gpu`` tests run only where TensorFlow sees a GPU; the rest run on any CPU.
"""

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


@pytest.mark.gpu
@pytest.mark.tensorflow
def test_gpu_placement_memory_growth_and_mixed_precision(california):
    import tensorflow as tf

    X, y, _, _ = california
    reg = skdeep.DeepRegressor(device="gpu", memory_growth=True, mixed_precision="mixed_float16",
                               epochs=2, random_state=0).fit(X, y)
    assert reg.device_ == "/GPU:0"
    assert "GPU:0" in reg.model_.weights[0].value.device
    gpu = tf.config.list_physical_devices("GPU")[0]
    assert tf.config.experimental.get_memory_growth(gpu)
    assert np.isfinite(reg.predict(X)).all()


def test_import_and_unpickling_setup_do_not_import_tensorflow():
    """A Dask worker or CLI that imports skdeep pays for TensorFlow only when it needs it."""
    import subprocess
    import sys

    code = ("import sys, skdeep, skdeep.datasets\n"
            "skdeep.datasets.load_adult()\n"
            "print('tensorflow' in sys.modules, 'keras' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.split() == ["False", "False"], done.stderr
