"""Collection under Keras's backends: ``KERAS_BACKEND=jax pytest`` (or torch) leaves out the
modules that are TensorFlow's alone, which would import TensorFlow.  Tests inside other
modules that need TensorFlow carry the ``tensorflow`` mark (tests/conftest.py skips them)."""

import skdeep  # noqa: F401  (first: keeps TensorFlow's C++ logs quiet)
from skdeep.runtime import backend

# Relative to this directory.
TENSORFLOW_ONLY = (
    "skdeep/engine/tensorflow.py",  # the TensorFlow engine (its doctests)
    "tests/test_engine.py",  # the in-graph engine against Keras fit
    "tests/test_trace_cache.py",  # twins of traced TensorFlow training
    "tests/test_quiet.py",  # TensorFlow's start-up log
)

collect_ignore = [] if backend() == "tensorflow" else list(TENSORFLOW_ONLY)
