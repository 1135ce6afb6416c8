"""The backend's and Keras's global settings: worker threads, GPU memory growth, dtype policy.

The backend is Keras's (``KERAS_BACKEND``: TensorFlow by default, JAX or PyTorch); TensorFlow
is imported only where it is the backend.

Threads and memory growth only take effect before TensorFlow's runtime starts in a process.
Importing skdeep sets neither and lists no GPU: :func:`prepare_runtime` caps the threads where
skdeep first runs the backend (a process that already ran TensorFlow keeps its pools), and
memory growth is applied at the start of a fit, with a warning, never an error, when that
comes too late.
"""

import contextlib
import functools
import os
import threading
import warnings

import keras

from . import tf_logs
from .compat import jax_started

_BACKEND = keras.backend.backend()


def backend():
    """Keras's backend in this process: "tensorflow", "jax" or "torch" (fixed at Keras's
    import, by ``KERAS_BACKEND`` or ``~/.keras/keras.json``)."""
    return _BACKEND


def keras_jit_compile(jit_compile):
    """The ``jit_compile`` to compile a model with, from the estimator's parameter.

    Under TensorFlow it asks for XLA (the engine's default graph is already compiled
    without it).  Under JAX, Keras's ``jit_compile=False`` means no ``jax.jit`` at all, every
    step run op by op, tens of times slower: there ``False`` compiles as Keras's default
    does ("auto", which is ``jax.jit``).  Under PyTorch ``True`` is ``torch.compile``.
    """
    if _BACKEND == "jax" and not (jit_compile == "auto" or jit_compile):
        return "auto"
    return jit_compile


def worker_threads():
    """The threads TensorFlow should use in this process, or None for its default.

    ``SKDEEP_NUM_THREADS`` if set, else ``OMP_NUM_THREADS``: joblib's loky workers get it set
    to ``cpu_count // n_jobs`` and Dask's nanny to 1, so N single-threaded workers on N cores
    do not each start a thread per core.
    """
    for name in ("SKDEEP_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "")
        if value.isdigit() and int(value) >= 1:
            return int(value)
    return None


def prepare_runtime():
    """Settle, once a process, what must come before the backend's runtime starts.

    Called where skdeep first runs the backend, not at import: at the start of every fit,
    when a fitted estimator is loaded or unpickled, before skdeep lists TensorFlow's devices.
    Idempotent, and thread-safe: a second thread waits until it is done.

    - The backend's thread pools are capped at :func:`worker_threads`: TensorFlow's, unless
      the process ran TensorFlow before (its pools are kept); PyTorch's intra-op threads.
      JAX reads its threads from ``XLA_FLAGS`` when it starts, and skdeep leaves them alone.
    - TensorFlow's first look for GPUs is made here, under :func:`skdeep.tf_logs.listening`
      (the runtime's start would make it, and log ``failed call to cuInit`` on a machine
      without a driver); it does not start the runtime.
    """
    with _preparing:
        _prepare_once()


_preparing = threading.Lock()


@functools.cache
def _prepare_once():
    _cap_threads(worker_threads())
    if _BACKEND == "tensorflow":
        import tensorflow as tf

        with tf_logs.listening():
            tf.config.list_physical_devices("GPU")


def _cap_threads(threads):
    if threads is None:
        return
    if _BACKEND == "torch":
        import torch

        torch.set_num_threads(threads)
        return
    if _BACKEND != "tensorflow":
        return
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:  # TensorFlow's runtime had started: keep its pools
        pass


def ensure_memory_growth():
    """Let the backend grow its GPU memory as needed instead of taking all of every GPU.

    Several processes then share a GPU (a search's workers, keras#7553).  It must come before
    TensorFlow (or JAX) first touches the GPUs; after that, a warning says it could not be
    applied.  PyTorch's allocator grows as needed already.
    """
    if _BACKEND == "jax":
        _jax_memory_growth()
        return
    if _BACKEND != "tensorflow":
        return
    import tensorflow as tf

    for gpu in tf.config.list_physical_devices("GPU"):
        if tf.config.experimental.get_memory_growth(gpu):
            continue
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:
            warnings.warn(
                "memory_growth=True could not be applied: TensorFlow had already initialised "
                f"{gpu.name} in this process. Fit with memory_growth=True before anything else "
                "uses the GPU, or set TF_FORCE_GPU_ALLOW_GROWTH=true before starting Python.",
                RuntimeWarning, stacklevel=3,
            )


_JAX_PREALLOCATE = "XLA_PYTHON_CLIENT_PREALLOCATE"


def _jax_memory_growth():
    """JAX takes 75% of a GPU when its GPU client starts, unless told not to beforehand."""
    if os.environ.get(_JAX_PREALLOCATE, "").lower() == "false":
        return
    if not jax_started():
        os.environ[_JAX_PREALLOCATE] = "false"
        return
    import jax

    try:
        jax.devices("gpu")
    except RuntimeError:  # no GPU: nothing was taken
        return
    warnings.warn(
        "memory_growth=True could not be applied: JAX had already started in this process. "
        f"Set {_JAX_PREALLOCATE}=false before starting Python.", RuntimeWarning, stacklevel=3)


@contextlib.contextmanager
def dtype_policy(name):
    """Build and compile under Keras's dtype policy ``name`` (None: the caller's own).

    Keras keeps the global policy per thread (and ``clear_session`` resets it), so a policy a
    user set never reaches a Dask worker's thread; the estimator's ``mixed_precision``
    applies it where the model is built, then restores the caller's.  Compiling under
    "mixed_float16" wraps the optimizer in Keras's LossScaleOptimizer (loss scaling).
    """
    if name is None:
        yield
        return
    before = keras.config.dtype_policy()
    keras.config.set_dtype_policy(name)
    try:
        yield
    finally:
        keras.config.set_dtype_policy(before)
