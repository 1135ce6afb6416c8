"""Collection under Keras's backends: ``KERAS_BACKEND=jax pytest`` (or torch) leaves out the
modules that are another backend's alone (they would import it: TensorFlow, JAX).  Tests
inside other modules that need TensorFlow carry the ``tensorflow`` mark (tests/conftest.py
skips them)."""

import skdeep  # noqa: F401  (first: keeps TensorFlow's C++ logs quiet)
from skdeep.runtime import backend

# Relative to this directory: the backend each needs.
BACKEND_ONLY = {
    "skdeep/engine/tensorflow.py": "tensorflow",  # the TensorFlow engine (its doctests)
    "skdeep/engine/jax.py": "jax",  # the JAX engine
    "skdeep/engine/torch.py": "torch",  # the PyTorch engine
    "tests/test_engine.py": "tensorflow",  # the in-graph engine against Keras fit
    "tests/test_trace_cache.py": "tensorflow",  # twins of traced TensorFlow training
    "tests/test_tf_logs.py": "tensorflow",  # TensorFlow's start-up log
}

collect_ignore = [path for path, needs in BACKEND_ONLY.items() if needs != backend()]
