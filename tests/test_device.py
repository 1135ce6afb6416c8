"""Device placement (skdeep/device.py): CPUs, GPUs, memory growth, a list of devices
(mirrored), missing devices, a GPU that fails to start.

The ``gpu`` tests run only where TensorFlow sees a GPU; the rest run on any CPU.
"""

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import skdeep
from skdeep import DeepRegressor
from skdeep.device import array_device, visible_devices
from skdeep.exceptions import DeviceError


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
    # its iterator is freed, logged from another thread, with the node it stopped in on the
    # next line (RemoteCall, MultiDeviceIteratorGetNextFromShard).  It is a warning: kept at
    # level 1.  And the script's own look at TensorFlow's devices, before any skdeep call, is
    # TensorFlow's (on a machine without a GPU driver it logs "failed call to cuInit").
    late = ("Local rendezvous is aborting with status: CANCELLED", "[[{{node ",
            "failed call to cuInit")
    assert [line for line in done.stderr.splitlines() if not any(w in line for w in late)] == []


def test_a_missing_device_is_an_error_not_a_silent_cpu(california):
    X, y, _, _ = california
    with pytest.raises(skdeep.exceptions.DeviceError, match="asks for CPU 3"):
        skdeep.DeepRegressor(device="cpu:3", epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="or a list of two or more"):
        skdeep.DeepRegressor(device=["gpu:0"], epochs=1).fit(X, y)


def test_device_placement(california):
    X, y, _, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=1, device="cpu").fit(X, y)
    assert reg.device_ == "/CPU:0"
    assert all(array_device(v.value) == "/CPU:0" for v in reg.model_.weights)
    auto = DeepRegressor(hidden_layer_sizes=(8,), epochs=1).fit(X, y)
    has_gpu = bool(visible_devices("gpu"))
    assert auto.device_ == ("/GPU:0" if has_gpu else "/CPU:0")
    assert all(array_device(v.value) == auto.device_ for v in auto.model_.weights)


@pytest.mark.skipif(bool(visible_devices("gpu")), reason="this machine has a GPU")
def test_asking_for_a_missing_gpu_raises(california):
    X, y, _, _ = california
    with pytest.raises(DeviceError, match="device='gpu:0'.*device='auto'"):
        DeepRegressor(device="gpu:0", epochs=1).fit(X, y)


@pytest.mark.tensorflow  # TensorFlow's own log
def test_a_gpu_that_fails_to_start_is_explained_from_tensorflows_own_log():
    from skdeep import device, tf_logs

    # What this machine's TensorFlow said when skdeep first looked for GPUs, as it would be
    # on a machine whose driver is broken.
    message = device.gpu_failure(gpu_present=True)
    if not any("cuInit" in line for line in tf_logs.gpu_lines):
        pytest.skip("this TensorFlow build said nothing about cuInit here")
    assert "cuInit" in message and "\n" not in message
    assert device.gpu_failure(gpu_present=False) is None
