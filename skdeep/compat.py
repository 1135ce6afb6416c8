"""Every private Keras, TensorFlow and scikit-learn name skdeep uses, each with a fallback.

The rule: no other skdeep module imports from ``keras.src``, ``tensorflow.python`` or a
private scikit-learn module, imports a private scikit-learn name, or touches a private
attribute of a Keras or TensorFlow object; it asks this module (``tests/test_compat.py``
checks the imports and the names moved here).  Each name here serves an optimisation or a
check that no public API offers, and libraries move private names without notice.  So each
one is looked up in one guarded place: when a release moves it, what it serves turns off, a
:class:`~skdeep.exceptions.CompatibilityWarning` names the missing name and what is off (once
per process, when that is first needed), and fits go on working.  Where the names are
present they are looked up once, at import, and used as before: behaviour and speed are
unchanged.
"""

import collections
import contextlib
import functools
import inspect
import numbers
import sys
import warnings

import keras
import numpy as np
from sklearn.utils.validation import check_array, check_non_negative

from .exceptions import CompatibilityWarning

# TensorFlow's private names are looked up only where it is Keras's backend: under JAX or
# PyTorch skdeep never imports it, and the engine never asks for them.
_TENSORFLOW = keras.backend.backend() == "tensorflow"
if _TENSORFLOW:
    import tensorflow as tf

_warned = set()


def _missing(name, consequence):
    """Warn, once per process, that the private ``name`` is missing and what that turns off.

    Parameters
    ----------
    name : str
        The dotted name that could not be found (its first part names the library).
    consequence : str
        What skdeep does without it.
    """
    if (name, consequence) in _warned:  # one name may serve two things: each is said once
        return
    _warned.add((name, consequence))
    library = name.split(".")[0]
    version = getattr(sys.modules.get(library), "__version__", "")
    warnings.warn(
        f"{name} is not available in {library} {version}: {consequence}. skdeep keeps "
        "working; please report this so that it can follow the change.",
        CompatibilityWarning, stacklevel=3,
    )


def _takes(function, *names):
    """Whether ``function`` exists and takes exactly the parameters ``names``, in order: a
    private method whose parameters changed is as unusable as a missing one."""
    return function is not None and tuple(inspect.signature(function).parameters) == names


# ---------------------------------------------------------------- Keras's global state

try:  # Keras's per-thread globals: its automatic-name counters, its global seed and generator
    from keras.src.backend.common.global_state import (
        get_global_attribute,
        set_global_attribute,
    )
except ImportError:
    get_global_attribute = set_global_attribute = None

try:  # the keys of Keras's global seed and global SeedGenerator in that state
    from keras.src.random.seed_generator import GLOBAL_SEED_GENERATOR
    from keras.src.utils.rng_utils import GLOBAL_RANDOM_SEED
except ImportError:
    GLOBAL_RANDOM_SEED = GLOBAL_SEED_GENERATOR = None


@contextlib.contextmanager
def fresh_keras_names():
    """Keras's automatic names ("dense", "dense_1", "adam") count from zero inside, as in a
    fresh session, and go on from where they were after.

    A fit's model then gets the same layer and optimizer names every time.  That matters for
    memory: TensorFlow caches a kernel for each variable name it creates a variable under,
    and never frees it (about 35 KiB a variable), so counted names ("dense_17/kernel",
    "adam_212/iteration") leak with every model built.  The counters are per thread.
    Without Keras's global state, the names keep counting (warned).
    """
    if get_global_attribute is None:
        _missing("keras.src.backend.common.global_state",
                 "Keras's automatic layer and optimizer names keep counting across fits, and "
                 "TensorFlow keeps a kernel (about 35 KiB) for each new variable name")
        yield
        return
    saved = get_global_attribute("object_name_uids")
    set_global_attribute("object_name_uids", collections.defaultdict(int))
    try:
        yield
    finally:
        set_global_attribute("object_name_uids", saved)


@contextlib.contextmanager
def keras_global_seed(seed):
    """Within the block, this thread's Keras global seed is ``seed`` and its global
    SeedGenerator starts afresh, as ``keras.utils.set_random_seed`` leaves them; both are
    restored after.

    Without Keras's global state the block leaves them alone (warned), rather than call
    ``keras.utils.set_random_seed``: that would seed Python's, NumPy's and TensorFlow's
    streams for every thread, for good, and setting TensorFlow's seed makes it drop every
    compiled kernel (see :mod:`skdeep.seeding`).  Fits stay reproducible in what matters:
    Keras draws the seeds of initialisers and dropout layers from Python's stream, which
    skdeep seeds while it builds the model.  Only a ``keras.random`` call without a seed
    (in a user's layer) then goes unseeded.

    Parameters
    ----------
    seed : int
        The seed.
    """
    if get_global_attribute is None or GLOBAL_RANDOM_SEED is None:
        _missing("keras.src.backend.common.global_state" if get_global_attribute is None
                 else "keras.src.utils.rng_utils.GLOBAL_RANDOM_SEED",
                 "Keras's global seed is not set within a seeded fit: weights and dropout "
                 "stay seeded, keras.random calls without a seed in a custom layer do not")
        yield
        return
    keys = (GLOBAL_RANDOM_SEED, GLOBAL_SEED_GENERATOR)
    saved = [get_global_attribute(key) for key in keys]
    set_global_attribute(GLOBAL_RANDOM_SEED, seed)
    set_global_attribute(GLOBAL_SEED_GENERATOR, None)  # re-made from the seed
    try:
        yield
    finally:
        for key, value in zip(keys, saved):
            set_global_attribute(key, value)


# ---------------------------------------------------------------- Keras losses

try:  # Keras 3's wrapper of a loss function with its arguments (Huber, MeanSquaredError, ...)
    from keras.src.losses.losses import LossFunctionWrapper
    _KERAS_LOSS_WRAPPER = True
except ImportError:
    _KERAS_LOSS_WRAPPER = False

    class LossFunctionWrapper(keras.losses.Loss):
        """A loss function with fixed keyword arguments, as Keras's own wrapper."""

        def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None,
                     **kwargs):
            super().__init__(name=name, reduction=reduction, dtype=dtype)
            self.fn, self._fn_kwargs = fn, kwargs

        def call(self, y_true, y_pred):
            return self.fn(y_true, y_pred, **self._fn_kwargs)


def is_function_loss(loss):
    """Whether ``loss`` is a loss object wrapping a function with arguments: Keras's Huber,
    MeanSquaredError, ..., or a user's function with ``loss__*`` arguments.

    Without Keras's wrapper class, Keras's own such losses are told by the function they
    hold (warned), so that saving them still keeps their arguments.
    """
    if isinstance(loss, LossFunctionWrapper):
        return True
    if _KERAS_LOSS_WRAPPER or not isinstance(loss, keras.losses.Loss) or \
            not callable(getattr(loss, "fn", None)):
        return False
    _missing("keras.src.losses.losses.LossFunctionWrapper",
             "Keras's function-backed losses are recognised by the function they hold")
    return True


def loss_function_kwargs(loss):
    """The keyword arguments a function-backed loss passes its function.

    Parameters
    ----------
    loss : keras.losses.Loss
        A loss object.

    Returns
    -------
    kwargs : dict or None
        The loss's own dict (copy it before changing it); ``{}`` for a loss of another kind
        (a Loss subclass keeps its settings in attributes); None where Keras keeps them
        under another name (warned): the caller then makes a new loss from the loss's class
        and config.
    """
    kwargs = loss_function_kwargs_in(vars(loss))
    if kwargs is not None:
        return kwargs
    if not is_function_loss(loss):
        return {}
    _missing("keras.src.losses.losses.LossFunctionWrapper._fn_kwargs",
             "a Keras loss object given with loss__* arguments is made anew from its config, "
             "where a setting its config leaves out (Huber's delta) takes its default")
    return None


def loss_function_kwargs_in(attributes):
    """The function arguments among the attributes (``vars``) of a function-backed loss, as
    Keras keeps them and skdeep's format-2 files stored them; None where they are not."""
    kwargs = attributes.get("_fn_kwargs")
    return kwargs if isinstance(kwargs, dict) else None


def set_loss_function_kwargs(loss, kwargs):
    """Give a function-backed loss (a copy: see :func:`loss_function_kwargs`) new function
    arguments."""
    loss._fn_kwargs = kwargs


# ---------------------------------------------------------------- Keras training internals

try:  # Keras's trainer, whose private _symbolic_build creates a compiled model's variables
    from keras.src.trainers.trainer import Trainer
except ImportError:
    Trainer = None
_SYMBOLIC_BUILD = Trainer is not None and \
    _takes(getattr(Trainer, "_symbolic_build", None), "self", "iterator", "data_batch")


def can_build_for_training():
    """Whether :func:`build_for_training` works with this Keras.

    Where it does not (warned), the engine's compiled epochs are off and every fit trains
    through ``keras.Model.fit``.
    """
    if not _SYMBOLIC_BUILD:
        _missing("keras.src.trainers.trainer.Trainer._symbolic_build",
                 "skdeep's compiled epochs are off: every fit trains through keras "
                 "Model.fit, several times slower for small batches")
    return _SYMBOLIC_BUILD


def build_for_training(model, data_batch):
    """Create a compiled model's variables (layers, loss, metrics, optimizer) from a batch,
    as ``keras.Model.fit`` does before it traces its step: a traced function cannot create
    them.  Only where :func:`can_build_for_training`.

    Parameters
    ----------
    model : keras.Model
        A compiled model.
    data_batch : tuple
        ``(x, y)`` or ``(x, y, sample_weight)`` for a few rows.
    """
    model._symbolic_build(data_batch=data_batch)


try:  # Keras's model class for functional models (keras.Model(inputs, outputs))
    from keras.src.models.functional import Functional
except ImportError:
    Functional = None


def is_functional(model):
    """Whether ``model`` is exactly a Keras functional model, whose behaviour its config
    describes in full.  Where Keras has moved that class, no model is (warned): functional
    models then trace their own training in every fit (:mod:`skdeep.engine.trace_cache`)."""
    if Functional is None:
        _missing("keras.src.models.functional.Functional",
                 "functional models are not shared between fits: each fit traces its own "
                 "training (a few hundred milliseconds)")
        return False
    return type(model) is Functional


def tensorboard_traces(callback):
    """Whether a ``keras.callbacks.TensorBoard`` profiles batches (its ``profile_batch``),
    which needs its per-batch hooks.  Where Keras keeps that elsewhere, it is taken to
    (warned): fits with a TensorBoard callback then train through ``keras.Model.fit``."""
    traces = vars(callback).get("_should_trace")
    if isinstance(traces, bool):
        return traces
    _missing("keras.src.callbacks.tensorboard.TensorBoard._should_trace",
             "fits with a TensorBoard callback train through keras Model.fit")
    return True


# ---------------------------------------------------------------- Keras's TensorFlow optimizer

TFOptimizer = None
if _TENSORFLOW:
    try:  # Keras 3's TensorFlow optimizer: the base whose update path the engine replaces
        from keras.src.backend.tensorflow.optimizer import TFOptimizer
    except ImportError:
        pass

# Its private update methods that the engine replaces on a single replica, by the parameters
# the replacements take: the gradient sum across replicas, and the update of each variable.
SUM_GRADIENTS, APPLY_UPDATES = "_all_reduce_sum_gradients", "_backend_update_step"
_UPDATE_PARAMETERS = {
    SUM_GRADIENTS: ("self", "grads_and_vars"),
    APPLY_UPDATES: ("self", "grads", "trainable_variables", "learning_rate"),
}


def _update_methods():
    """Keras's update methods by name, where each takes the parameters of its replacement."""
    methods = {name: getattr(TFOptimizer, name, None) for name in _UPDATE_PARAMETERS}
    usable = all(_takes(methods[name], *parameters)
                 for name, parameters in _UPDATE_PARAMETERS.items())
    return methods if usable else None


_TF_UPDATE_METHODS = None if TFOptimizer is None else _update_methods()


def inherited_update_methods(optimizer):
    """Which private update methods of Keras's TensorFlow optimizer ``optimizer`` inherits
    as they are, so that the engine may replace them on a single replica.

    Parameters
    ----------
    optimizer : keras.optimizers.Optimizer
        An optimizer (not a wrapper: LossScaleOptimizer, MultiOptimizer).

    Returns
    -------
    names : set of str
        A subset of ``{SUM_GRADIENTS, APPLY_UPDATES}``; empty where Keras has moved them
        (warned): every update then goes through ``tf.distribute``, as in Keras.
    """
    if _TF_UPDATE_METHODS is None:
        _missing("keras.src.backend.tensorflow.optimizer.TFOptimizer."
                 f"{SUM_GRADIENTS}/{APPLY_UPDATES}",
                 "optimizer updates go through tf.distribute as in Keras: tracing a fit is "
                 "slower and each fit's traced graphs stay in memory (about 3 MiB a fit)")
        return set()
    return {name for name, method in _TF_UPDATE_METHODS.items()
            if getattr(type(optimizer), name, None) is method}


# ---------------------------------------------------------------- TensorFlow

# Public but experimental: TensorFlow may drop it without a deprecation.
_EXECUTOR_TYPE = getattr(tf.experimental, "function_executor_type", None) if _TENSORFLOW \
    else None


def single_threaded_executor():
    """A context manager factory that runs TensorFlow functions on its single-threaded
    executor (see ``skdeep.engine.tensorflow._executor_for``); None where TensorFlow no longer offers
    it (warned): compiled epochs then run on the default executor."""
    if _EXECUTOR_TYPE is None:
        _missing("tensorflow.experimental.function_executor_type",
                 "compiled epochs run on TensorFlow's default executor (slower for small "
                 "networks on CPUs)")
        return None
    return functools.partial(_EXECUTOR_TYPE, "SINGLE_THREADED_EXECUTOR")


ConcreteFunction = None
if _TENSORFLOW:
    try:  # TensorFlow's traced function, whose private flat entry point skips argument binding
        from tensorflow.python.eager.polymorphic_function.concrete_function import (
            ConcreteFunction,
        )
    except ImportError:
        pass
_CALL_FLAT = ConcreteFunction is not None and \
    _takes(getattr(ConcreteFunction, "_call_flat", None), "self", "tensor_inputs",
           "captured_inputs")


def call_flat(concrete_function, tensors):
    """Call a traced function on flat tensors, skipping the Python binding of each argument
    to its signature (0.07 ms of a 0.2 ms one-row predict); where TensorFlow has moved its
    flat entry point, through the public call (warned).

    Parameters
    ----------
    concrete_function : tf.types.experimental.ConcreteFunction
        The traced function.
    tensors : list of tf.Tensor
        Its inputs, flat, in the order of its signature.
    """
    if not _CALL_FLAT:
        _missing("tensorflow.python.eager.polymorphic_function.concrete_function."
                 "ConcreteFunction._call_flat",
                 "predict binds its inputs to the traced signature at every call (about "
                 "0.07 ms more a call)")
        return concrete_function(*tensors)
    return concrete_function._call_flat(tensors, concrete_function.captured_inputs)


# ---------------------------------------------------------------- JAX


def jax_started():
    """Whether JAX has started its device clients in this process (after which it no longer
    reads ``XLA_PYTHON_CLIENT_PREALLOCATE``).  Where JAX has moved that check, it is taken to
    have started (warned): ``memory_growth=True`` then asks for the variable to be set
    before Python starts."""
    try:
        from jax._src.xla_bridge import backends_are_initialized
    except ImportError:
        backends_are_initialized = None
    if not callable(backends_are_initialized):
        _missing("jax._src.xla_bridge.backends_are_initialized",
                 "memory_growth=True under JAX applies only when XLA_PYTHON_CLIENT_PREALLOCATE"
                 "=false is set before Python starts")
        return True
    return bool(backends_are_initialized())


# ---------------------------------------------------------------- scikit-learn

try:  # scikit-learn's parameter constraints and their check: no public equivalent exists
    from sklearn.utils._param_validation import (
        HasMethods,
        Interval,
        Options,
        StrOptions,
        validate_parameter_constraints,
    )
except ImportError:
    # Without that module, the constraints become inert stand-ins and the check is skipped
    # (warned): a bad value then fails later, in Keras or NumPy, with their message instead
    # of scikit-learn's InvalidParameterError.  Checking them with code of skdeep's own
    # would be a second copy of scikit-learn's rules, drifting from them untested.
    class _UncheckedConstraint:
        """A parameter constraint that nothing checks."""

        def __init__(self, *args, **kwargs):
            """Take the arguments of scikit-learn's constraint of the same name."""

    HasMethods = Interval = Options = StrOptions = _UncheckedConstraint
    validate_parameter_constraints = None


def validate_parameters(constraints, params, caller_name):
    """scikit-learn's check of parameter values against constraints, as
    ``BaseEstimator._validate_params`` runs it.  Skipped where scikit-learn has moved it
    (warned).

    Parameters
    ----------
    constraints : dict
        Parameter name -> list of constraints (:class:`Interval`, :class:`StrOptions`, types,
        "boolean", ...); parameters not named here are not checked.
    params : dict
        Parameter name -> value.
    caller_name : str
        Who checks, for the error message.

    Raises
    ------
    sklearn.utils._param_validation.InvalidParameterError
        A value that meets none of its constraints (a ``ValueError`` and a ``TypeError``).
    """
    if validate_parameter_constraints is None:
        _missing("sklearn.utils._param_validation",
                 "estimator parameters are not checked before fitting: a bad value fails "
                 "later, with Keras's or NumPy's error")
        return
    validate_parameter_constraints(constraints, params, caller_name=caller_name)


try:  # scikit-learn's sample-weight check (shape, finiteness, sign, not all zero)
    from sklearn.utils.validation import _check_sample_weight
except ImportError:
    _check_sample_weight = None


def checked_sample_weight(sample_weight, n_samples):
    """Validated non-negative float64 sample weights for ``n_samples`` rows (a new array).

    scikit-learn's own check, or, where it has moved it, the same checks made with its
    public functions (warned).

    Parameters
    ----------
    sample_weight : array-like of shape (n_samples,) or number
        The weights.
    n_samples : int
        The number of rows they weigh.

    Returns
    -------
    weights : ndarray of shape (n_samples,), float64
    """
    if _check_sample_weight is not None:
        return _check_sample_weight(sample_weight, np.empty((n_samples, 0)), dtype=np.float64,
                                    ensure_non_negative=True, copy=True)
    _missing("sklearn.utils.validation._check_sample_weight",
             "sample weights are checked by skdeep with scikit-learn's public functions")
    return _public_sample_weight_check(sample_weight, n_samples)


def _public_sample_weight_check(sample_weight, n_samples):
    # scikit-learn's checks and messages, made with its public functions.
    if isinstance(sample_weight, numbers.Number):
        weights = np.full(n_samples, sample_weight, dtype=np.float64)
    else:
        weights = check_array(sample_weight, ensure_2d=False, dtype=np.float64, copy=True,
                              input_name="sample_weight")
    if weights.shape != (n_samples,):
        raise ValueError(f"sample_weight.shape == {weights.shape}, expected {(n_samples,)}!")
    if not weights.any():
        raise ValueError("Sample weights must contain at least one non-zero number.")
    check_non_negative(weights, "`sample_weight`")
    return weights


try:  # scikit-learn's test of a pandas column that check_array converts on its own
    from sklearn.utils.validation import _pandas_dtype_needs_early_conversion
except ImportError:
    _pandas_dtype_needs_early_conversion = None


def pandas_dtype_needs_early_conversion(dtype):
    """Whether ``check_array`` converts a pandas column of ``dtype`` in a step of its own
    (bool, pandas's nullable numbers).  Where scikit-learn has moved that test, every
    column is taken to (warned): every DataFrame then takes the full validation."""
    if _pandas_dtype_needs_early_conversion is None:
        _missing("sklearn.utils.validation._pandas_dtype_needs_early_conversion",
                 "every pandas DataFrame takes scikit-learn's full validation (slower "
                 "predictions on frames)")
        return True
    return _pandas_dtype_needs_early_conversion(dtype)
