"""Seeded fits that leave no process-wide trace.

Keras seeds weight initialisers and dropout from Python's, NumPy's, TensorFlow's and its own
global random state.  A seeded fit sets all four for its duration and restores them after, so
the caller's random streams go on as if the fit had not happened.  Op determinism is never
switched on: it would make later unseeded fits with dropout raise.
"""

import contextlib
import random

import keras
import numpy as np
from keras.src.backend.common import global_state
from keras.src.random import seed_generator
from keras.src.utils import rng_utils
from sklearn.utils import check_random_state
from tensorflow.python.eager import context

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
    saved_tf = context.global_seed()
    saved_keras = [global_state.get_global_attribute(name) for name in _KERAS_GLOBALS]
    keras.utils.set_random_seed(seed)
    try:
        yield
    finally:
        random.setstate(saved_python)
        np.random.set_state(saved_numpy)
        context.set_global_seed(saved_tf)
        for name, value in zip(_KERAS_GLOBALS, saved_keras):
            global_state.set_global_attribute(name, value)
