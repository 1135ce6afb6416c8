"""Device placement: parse the ``device`` parameter and resolve it to a TensorFlow device."""

import re

import tensorflow as tf

from .exceptions import DeviceError

_DEVICE_PATTERN = re.compile(r"^(auto|cpu|gpu)(?::(\d+))?$")
DEVICE_HELP = '"auto", "cpu", "gpu" or "gpu:N" (N the GPU index)'


def parse_device(device):
    """Return ``(kind, index)`` for a ``device`` string, or None if it does not parse.

    >>> parse_device("gpu:1"), parse_device("CPU"), parse_device("tpu")
    (('gpu', 1), ('cpu', None), None)
    """
    match = _DEVICE_PATTERN.match(device.strip().lower()) if isinstance(device, str) else None
    if match is None or (match.group(1) == "auto" and match.group(2) is not None):
        return None
    index = match.group(2)
    return match.group(1), None if index is None else int(index)


def resolve_device(device):
    """Turn a valid ``device`` parameter into a TensorFlow device name such as ``"/GPU:0"``.

    ``"auto"`` takes the first visible GPU and falls back to the CPU.  Asking for a GPU
    that is not visible raises :class:`~skdeep.exceptions.DeviceError` instead of letting
    TensorFlow silently run on the CPU.
    """
    kind, index = parse_device(device)
    gpus = tf.config.list_logical_devices("GPU")
    if kind == "cpu":
        return "/CPU:0"
    if kind == "auto":
        return "/GPU:0" if gpus else "/CPU:0"
    index = index or 0
    if index >= len(gpus):
        visible = ", ".join(d.name for d in gpus) or "none"
        raise DeviceError(
            f"device={device!r} asks for GPU {index}, but TensorFlow sees these GPUs: "
            f"{visible}. Use device='auto' to fall back to the CPU, or device='cpu'."
        )
    return f"/GPU:{index}"


def available_device(name):
    """``name`` (such as ``"/GPU:1"``) if this machine has that device, else ``"/CPU:0"``:
    a model fitted on a GPU still serves where there is none."""
    kind, _, index = name.strip("/").upper().partition(":")
    if kind == "GPU" and int(index or 0) >= len(tf.config.list_logical_devices("GPU")):
        return "/CPU:0"
    return name
