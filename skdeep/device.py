"""Device placement: parse the ``device`` parameter and resolve it to the backend's devices.

One device (``"auto"``, ``"cpu"``, ``"gpu:1"``) places the model there; a list of devices
(``["gpu:0", "gpu:1"]``) trains one model data-parallel on all of them with
``tf.distribute.MirroredStrategy`` (TensorFlow backend only).  Devices are named
``"/CPU:0"``, ``"/GPU:1"`` on every backend: TensorFlow's ``tf.device`` names, ``jax.devices()``
(``CpuDevice(id=0)``, ``CudaDevice(id=1)``) and ``torch.device`` (``cpu``, ``cuda:1``) alike.
"""

import functools
import glob
import re
import warnings

import keras

from . import tf_logs
from .exceptions import DeviceError
from .runtime import backend, prepare_runtime

_DEVICE_PATTERN = re.compile(r"^(auto|cpu|gpu)(?::(\d+))?$")
DEVICE_HELP = ('"auto", "cpu", "gpu", "cpu:N" or "gpu:N" (N the index), or a list of two or '
               'more of these (data-parallel training)')


def parse_device(device):
    """``(kind, index)`` for a ``device`` string, a list of them for a list, or None if it
    does not parse.

    >>> parse_device("gpu:1"), parse_device("CPU"), parse_device("tpu")
    (('gpu', 1), ('cpu', None), None)
    >>> parse_device(["gpu:0", "gpu:1"])
    [('gpu', 0), ('gpu', 1)]
    """
    if isinstance(device, (list, tuple)):
        parsed = [parse_device(d) for d in device]
        ok = len(parsed) >= 2 and all(p is not None and p[0] != "auto" for p in parsed)
        return parsed if ok else None
    match = _DEVICE_PATTERN.match(device.strip().lower()) if isinstance(device, str) else None
    if match is None or (match.group(1) == "auto" and match.group(2) is not None):
        return None
    index = match.group(2)
    return match.group(1), None if index is None else int(index)


_TENSORFLOW = backend() == "tensorflow"
if _TENSORFLOW:
    import tensorflow as tf

_BACKEND_NAMES = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}


def _backend_name():
    return _BACKEND_NAMES.get(backend(), backend())


def visible_devices(kind):
    """The backend's devices of ``kind`` ("cpu" or "gpu") as ``["/GPU:0", ...]``."""
    kind = kind.lower()
    if _TENSORFLOW:
        prepare_runtime()  # listing the logical devices starts TensorFlow's runtime
        return [_short(d.name) for d in tf.config.list_logical_devices(kind.upper())]
    if backend() == "jax":
        import jax

        try:
            found = jax.devices(kind)
        except RuntimeError:  # no such platform (a CPU-only jaxlib asked for "gpu")
            found = []
        return [f"/{kind.upper()}:{i}" for i in range(len(found))]
    if backend() == "torch":
        import torch

        count = 1 if kind == "cpu" else torch.cuda.device_count() if torch.cuda.is_available() \
            else 0
        return [f"/{kind.upper()}:{i}" for i in range(count)]
    return ["/CPU:0"] if kind == "cpu" else []


@functools.cache  # a machine's GPUs do not come and go under a running process
def nvidia_gpu_present():
    """Whether the NVIDIA driver reports a GPU on this machine, whatever TensorFlow sees."""
    return bool(glob.glob("/proc/driver/nvidia/gpus/*") or glob.glob("/dev/nvidia[0-9]*"))


def gpu_failure(log_lines=None, gpu_present=None):
    """Why the backend sees no GPU on a machine that has one, in one line; None when it sees
    one, or when the machine has none (nothing failed: there is nothing to use).

    Under TensorFlow the reason comes from its own log (``log_lines``, by default what it
    said while skdeep listened): see :func:`tensorflow_gpu_failure`.
    """
    present = nvidia_gpu_present() if gpu_present is None else gpu_present
    if not _TENSORFLOW:
        if visible_devices("gpu") or not present:
            return None
        install = {"jax": "pip install 'jax[cuda12]'",
                   "torch": "install a CUDA build of torch"}.get(backend(), "")
        return (f"{_backend_name()} sees no GPU on this machine, which has one (is a CUDA "
                f"build installed? {install}); check the NVIDIA driver (nvidia-smi) and "
                "CUDA_VISIBLE_DEVICES.")
    prepare_runtime()  # TensorFlow's first look for GPUs, listened to
    if not present or tf.config.list_physical_devices("GPU"):
        return None
    lines = tf_logs.gpu_lines if log_lines is None else log_lines
    return tensorflow_gpu_failure(lines, tf.test.is_built_with_cuda)


def tensorflow_gpu_failure(log_lines, built_with_cuda=lambda: True):
    """Why TensorFlow could not start a GPU, from what it logged (``built_with_cuda`` asked
    only when the log says nothing).

    >>> tensorflow_gpu_failure(
    ...     ["E0000 cuda_platform.cc:52] failed call to cuInit: CUDA error 999"]
    ... )  # doctest: +ELLIPSIS
    'TensorFlow could not start the GPU this machine has (failed call to cuInit: CUDA error 999)...'
    """
    said = [line.split("] ", 1)[-1] for line in log_lines
            if "cuInit" in line or "dlopen" in line]
    if said:
        reason = said[-1]
    elif not built_with_cuda():
        reason = "this TensorFlow is built without CUDA: pip install 'tensorflow[and-cuda]'"
    else:
        reason = "TensorFlow lists no GPU; see its log with TF_CPP_MIN_LOG_LEVEL=0"
    return (f"TensorFlow could not start the GPU this machine has ({reason}); check the "
            "NVIDIA driver (nvidia-smi) and CUDA_VISIBLE_DEVICES.")


def resolve_device(device):
    """Device names for a valid ``device`` parameter: ``"/GPU:0"``, or a list.

    ``"auto"`` takes the first visible GPU and falls back to the CPU, with a warning if the
    machine has a GPU that TensorFlow could not start.  Asking for a device that is not
    visible raises :class:`~skdeep.exceptions.DeviceError` instead of letting
    TensorFlow silently run elsewhere.
    """
    if isinstance(device, (list, tuple)):
        if not _TENSORFLOW:
            raise DeviceError(
                f"device={list(device)!r}: data-parallel training on a list of devices needs "
                f"Keras's TensorFlow backend (this process runs {_backend_name()}); give one "
                "device.")
        return [resolve_device(d) for d in device]
    kind, index = parse_device(device)
    if kind == "auto":
        if visible_devices("gpu"):
            return "/GPU:0"
        failure = gpu_failure()
        if failure:
            warnings.warn(f"device='auto' trains on the CPU: {failure}", RuntimeWarning,
                          stacklevel=3)
        return "/CPU:0"
    present = visible_devices(kind)
    index = index or 0
    if index >= len(present):
        failure = gpu_failure() if kind == "gpu" else None
        visible = ", ".join(_full_names(present)) or "none"
        raise DeviceError(
            f"device={device!r} asks for {kind.upper()} {index}, but {_backend_name()} sees "
            f"these {kind.upper()}s: {visible}. {failure + ' ' if failure else ''}Use "
            "device='auto' to fall back to the CPU, or device='cpu'."
        )
    return f"/{kind.upper()}:{index}"


def device_scope(resolved, model=None):
    """Where to build, train and predict: ``tf.device`` for one device, a MirroredStrategy's
    scope (model built and compiled inside it, as Keras requires) for several.  A ``model``
    built earlier under a strategy keeps training in that strategy's scope.  Under JAX or
    PyTorch, ``keras.device`` (:func:`resolve_device` gives them one device)."""
    if not _TENSORFLOW:
        name = resolved.strip("/").lower()
        if backend() == "torch" and name.startswith("cpu"):
            # Keras's torch variables made under "cpu:0" are copies of their parameters
            # (torch's CPU device has no index), and receive no gradients: plain "cpu".
            name = "cpu"
        return keras.device(name)
    if model is not None and model.distribute_strategy is not tf.distribute.get_strategy():
        return model.distribute_strategy.scope()
    if isinstance(resolved, list):
        return tf.distribute.MirroredStrategy(devices=resolved).scope()
    return tf.device(resolved)


def primary(resolved):
    """The device that serves predictions: the first of a list."""
    return resolved[0] if isinstance(resolved, list) else resolved


def weights_device(model, resolved):
    """Where the model's weights live after the fit, as ``"/GPU:0"`` (a list when mirrored)."""
    if not model.weights:
        return resolved
    variable = model.weights[0]
    variable = getattr(variable, "value", variable)
    if not _TENSORFLOW:
        return array_device(variable)
    copies = getattr(variable, "values", None) or [variable]  # a MirroredVariable's copies
    names = [_short(v.device) for v in copies]
    return names if isinstance(resolved, list) else names[0]


def _short(name):
    match = re.search(r"device:([A-Z]+):(\d+)", name or "")
    return f"/{match.group(1)}:{match.group(2)}" if match else name


def array_device(array):
    """Where an array lives, as ``"/GPU:0"``: a TensorFlow tensor, a JAX array or a torch
    tensor (a Keras variable's ``value``)."""
    device = array.device
    if isinstance(device, str):  # TensorFlow: "/job:localhost/replica:0/task:0/device:GPU:0"
        return _short(device)
    platform = getattr(device, "platform", None)  # a jax.Device
    if platform is not None:
        index = device.id
    else:  # a torch.device
        platform, index = device.type, device.index or 0
    kind = {"cuda": "GPU", "gpu": "GPU", "rocm": "GPU"}.get(platform, platform.upper())
    return f"/{kind}:{index}"


def _full_names(short_names):
    """``/GPU:0`` as TensorFlow lists it (``/device:GPU:0``)."""
    prefix = "/device:" if _TENSORFLOW else "/"
    return [prefix + name.lstrip("/") for name in short_names]


def available_device(name):
    """``name`` (such as ``"/GPU:1"``, or a list) if this machine has it, else ``"/CPU:0"``:
    a model fitted on GPUs still serves where there are none."""
    if isinstance(name, list):
        return name if all(available_device(n) == n for n in name) else "/CPU:0"
    kind, _, index = name.strip("/").upper().partition(":")
    if kind == "GPU" and int(index or 0) >= len(visible_devices("gpu")):
        return "/CPU:0"
    return name
