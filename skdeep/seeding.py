"""Seeded fits that leave no process-wide trace, also when fits run in threads.

Keras 3 seeds weight initialisers and dropout from its own global seed, which lives in
thread-local state: a seeded fit sets it for its duration (:func:`seeded`).  A builder may
also draw from Python's and NumPy's global random streams, which are process-wide: they are
seeded only while the model is built (:func:`seeded_streams`), one thread at a time, and
restored after, so the caller's streams go on as if the fit had not happened.  TensorFlow's global seed is left alone, unlike ``keras.utils.set_random_seed``:
Keras 3 draws no random number from it, and setting it makes TensorFlow drop every compiled
function's kernels (``context._clear_caches``), so that each fit would pay about 0.1 s to
rebuild the cached traced training (:mod:`skdeep.engine.trace_cache`).  Op determinism is never
switched on: it would make later unseeded fits with dropout raise.
"""

import contextlib
import random
import threading

import numpy as np
from sklearn.utils import check_random_state

from .compat import keras_global_seed

# Python's and NumPy's streams are shared by every thread: one seeded build at a time.
_STREAMS_LOCK = threading.Lock()


def draw_seed(random_state):
    """An int seed from ``random_state`` (None, int or RandomState), as sklearn draws one."""
    if random_state is None:
        # Fresh entropy: an unseeded fit must not depend on (or advance) the global stream.
        return int(np.random.default_rng().integers(2**31 - 1))
    if isinstance(random_state, (int, np.integer)):
        return int(random_state)
    return int(check_random_state(random_state).randint(2**31 - 1))


def seeded(seed):
    """Seed Keras's global generator (this thread's) within the block; None leaves it."""
    # keras.utils.set_random_seed's Keras part; TensorFlow's seed is left alone (see above).
    return contextlib.nullcontext() if seed is None else keras_global_seed(seed)


@contextlib.contextmanager
def seeded_streams(seed):
    """Seed Python's and NumPy's global random streams within the block, holding a lock
    (they are process-wide), and restore them after; None leaves them alone."""
    if seed is None:
        yield
        return
    with _STREAMS_LOCK:
        saved_python, saved_numpy = random.getstate(), np.random.get_state()
        random.seed(seed)
        np.random.seed(seed)
        try:
            yield
        finally:
            random.setstate(saved_python)
            np.random.set_state(saved_numpy)
