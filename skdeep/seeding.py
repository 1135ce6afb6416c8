"""Seeded fits that leave no process-wide trace.

Keras 3 seeds weight initialisers and dropout from its own global seed (and Python's and
NumPy's random state, which builders may use).  A seeded fit sets those three for its
duration and restores them after, so the caller's random streams go on as if the fit had not
happened.  TensorFlow's global seed is left alone, unlike ``keras.utils.set_random_seed``:
Keras 3 draws no random number from it, and setting it makes TensorFlow drop every compiled
function's kernels (``context._clear_caches``), so that each fit would pay about 0.1 s to
rebuild the cached traced training (:mod:`skdeep.trace_cache`).  Op determinism is never
switched on: it would make later unseeded fits with dropout raise.
"""

import contextlib
import random

import numpy as np
from keras.src.backend.common import global_state
from keras.src.random import seed_generator
from keras.src.utils import rng_utils
from sklearn.utils import check_random_state

_KERAS_GLOBALS = (rng_utils.GLOBAL_RANDOM_SEED, seed_generator.GLOBAL_SEED_GENERATOR)


def draw_seed(random_state):
    """An int seed from ``random_state`` (None, int or RandomState), as sklearn draws one."""
    if random_state is None:
        # Fresh entropy: an unseeded fit must not depend on (or advance) the global stream.
        return int(np.random.default_rng().integers(2**31 - 1))
    if isinstance(random_state, (int, np.integer)):
        return int(random_state)
    return int(check_random_state(random_state).randint(2**31 - 1))


@contextlib.contextmanager
def seeded(seed):
    """Seed every global generator Keras reads within the block, or leave them alone if None."""
    if seed is None:
        yield
        return
    saved_python, saved_numpy = random.getstate(), np.random.get_state()
    saved_keras = [global_state.get_global_attribute(name) for name in _KERAS_GLOBALS]
    # keras.utils.set_random_seed, but for TensorFlow's seed (see above).
    global_state.set_global_attribute(rng_utils.GLOBAL_RANDOM_SEED, seed)
    global_state.set_global_attribute(seed_generator.GLOBAL_SEED_GENERATOR, None)
    random.seed(seed)
    np.random.seed(seed)
    try:
        yield
    finally:
        random.setstate(saved_python)
        np.random.set_state(saved_numpy)
        for name, value in zip(_KERAS_GLOBALS, saved_keras):
            global_state.set_global_attribute(name, value)
