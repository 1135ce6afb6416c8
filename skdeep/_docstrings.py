"""The estimators' Parameters and Attributes sections, composed from descriptions written once.

The estimators share most of their parameters and fitted attributes.  Each is described
once: those every estimator has in :data:`PARAMETERS` and :data:`ATTRIBUTES` below, the
others in the class that adds them, given to the :func:`compose` decorator
(``class_weight`` on ``DeepClassifier``, the column parameters on ``WideDeepMixin``).

A decorated class's docstring holds a line ``{parameters}`` where its Parameters section
goes, and ``{attributes}`` for its Attributes.  ``{parameters}`` becomes one entry for each
parameter of the class's signature, in signature order; ``{attributes}`` its own
attributes, then its parents', then the shared ones.  Each is described by the class
itself, else by the nearest class of its MRO that describes it, else here, so a subclass
writes only what differs.  A few shared descriptions hold a line such as ``{loss}``, the
part that differs by estimator (the default loss): a class fills it with
``fill={"loss": text}`` (its subclasses inherit the text), and a line nobody fills is left
out.  ``tests/test_docstrings.py`` checks that every parameter is documented.
"""

import inspect
import re
import textwrap

PARAMETERS = """
model : callable, keras.Model or None, default=None
    A builder returning a compiled or uncompiled ``keras.Model``.  Its named arguments are
    filled from estimator parameters given plainly (``hidden_layers=2``) or routed
    (``model__hidden_layers=2``), plus ``meta`` (a dict with ``n_features_in_``,
    ``X_shape_`` (the training rows first), ``X_dtype_``, ``y_dtype_``, ``y_ndim_``,
    ``input_names_``, ``n_outputs_``, ``n_outputs_expected_``, ``target_type_``, ...),
    ``compile_kwargs`` (``optimizer``, ``loss``, ``metrics``), ``params`` (the
    estimator's ``get_params()``) and, for Keras 3's wrapper builders
    ``fn(X, y, **kwargs)``, the training ``X`` and ``y``.  A builder taking ``**kwargs``
    gets ``meta``, ``compile_kwargs`` and ``params`` too, as in scikeras.  Without
    ``model``, a subclass's ``_keras_build_fn`` (scikeras) or ``__call__`` (the old Keras
    wrappers) is the builder.
    {model}
    A ``keras.Model`` instance is cloned with fresh weights for every fit (the instance
    itself is never trained) and keeps its compilation if it has one.  An uncompiled model
    is compiled with ``optimizer``, ``loss`` and ``metrics``.  None trains the built-in MLP
    (:func:`skdeep.builders.build_mlp`), which flattens n-D X.
inputs : dict or list of column selections, default=None
    For a model with several inputs fed from one table: maps each input name to its
    columns (names, indices, a slice or a bool mask), or lists them in input order, so a
    ``ColumnTransformer`` pipeline can feed the model.  None: X is one array (of any
    rank), a dict of arrays keyed by input name (:class:`~skdeep.SliceDict` to split it
    in cross-validation) or a list of arrays in input order.
hidden_layer_sizes : sequence of int, default=(100, 100)
    Units of each hidden layer of the built-in MLP.
activation : str or callable, default="relu"
    Hidden activation; ``"selu"`` also switches to LeCun-normal weights and AlphaDropout.
dropout : float in [0, 1), default=0.0
    Dropout rate after each hidden layer.
batch_norm : bool, default=False
    Batch normalisation before each hidden activation.
l1, l2 : float, default=0.0
    L1 and L2 penalties on the hidden kernels.
numeric_embedding : {"auto", "periodic", "periodic_lite", "piecewise_linear", \
"piecewise_linear_target"} or None, default="auto"
    Embed each numeric input feature (a column with more than two values) into
    ``numeric_embedding_dim`` numbers before the hidden layers of the built-in network
    (see :mod:`skdeep.layers`): periodic (PLR: learned frequencies, then a linear layer
    per feature and a ReLU; "periodic_lite" shares the linear layer), or
    piecewise-linear over bins learned in ``fit`` from the training rows: at quantiles,
    or, for "piecewise_linear_target", where a small regression tree on the feature alone
    splits to predict the target.  They help most where the target varies quickly with a
    feature (Gorishniy et al. 2022).  "auto" is "periodic" for a table of more than
    10,000 training rows with at most 64 such columns, and None (no embedding) for
    smaller tables (which it overfits), more columns, or n-D input such as images.
numeric_embedding_dim : int, default=24
    Numbers per feature of the numeric embedding.
n_frequencies : int, default=48
    Frequencies per feature of the periodic embeddings.
frequency_scale : float, default=3.0
    Standard deviation of the periodic embeddings' initial frequencies, on scaled
    features: the most important setting of PLR (tune it in [0.01, 10]).  High
    frequencies let the network follow sharp changes (Adult's capital gains: 3.0 gave
    the best accuracy measured); smooth targets may prefer 0.1-1 or
    ``numeric_embedding="piecewise_linear"`` (California: see BENCHMARKS.md).
n_bins : int, default=48
    Most bins per feature of the piecewise-linear embeddings.
ensemble_size : int, default=4
    Members of an efficient ensemble in the built-in network (TabM-mini,
    :mod:`skdeep.ensembles`): the hidden layers are shared, each member has its own
    input adapter and output layer, training minimises the mean of the members' losses
    in one pass, and predictions are the members' mean.  The members cost
    ``ensemble_size`` times the hidden layers' arithmetic, one set of weights.
optimizer : str, keras optimizer class or instance, default="adam"
    Each fit uses a fresh optimizer; ``optimizer__*`` parameters are its arguments.
learning_rate : float or None, default=None
    Learning rate of the optimizer; None keeps the optimizer's own (0.001 for Adam).
loss : str, keras loss, callable, or dict by output name, default=None
    {loss}
    ``loss__*`` parameters are passed to the loss class (or function).  For a model with
    several outputs, a dict gives each its loss.
loss_weights : dict or list, default=None
    Weight of each output's loss (Keras ``compile``'s ``loss_weights``).
metrics : str, Keras metric (class or object), list, dict by output name or None, default=None
    Keras metrics, logged in ``history_``.  Classes are made in every fit, with their
    ``metrics__*`` arguments (``metrics__threshold``, or ``metrics__0__threshold`` for the
    first of a list), as scikeras makes them.
batch_size : int, -1 or None, default=32
    Rows per gradient step; -1 puts every training row in one batch (as scikeras), None
    is Keras's default, 32.
epochs : int, default=100
    Passes over the training data (fewer if early stopping ends training).
shuffle : bool, default=True
    Shuffle the training rows each epoch (seeded by ``random_state``).
early_stopping : "auto" or bool, default="auto"
    Hold out ``validation_fraction`` of the data (or use ``fit``'s ``validation_data``),
    stop when the validation loss has not improved by ``tol`` for ``n_iter_no_change``
    epochs, and restore the best weights.  "auto" (as scikit-learn's
    HistGradientBoosting) turns it on when ``fit`` gets more than 10,000 rows.
validation_fraction : float in (0, 1), default=0.1
    Share of the training data held out for early stopping.
    {validation_fraction}
validation_split : float in (0, 1) or None, default=None
    As Keras's ``fit``: validate on the last ``validation_split`` of the rows (taken
    before shuffling, not stratified) every epoch, logged as ``val_*`` in ``history_``,
    whether or not early stopping is on; early stopping then watches it instead of a
    ``validation_fraction`` split.  ``fit``'s ``validation_data`` wins over it.
validation_batch_size : int, -1 or None, default=None
    Rows per validation batch (Keras's ``fit`` argument; set, a fit that validates runs
    through Keras's ``fit``); -1 puts every validation row in one batch (as scikeras).
    None: ``batch_size``.
n_iter_no_change : int, default=20
    Patience of early stopping, in epochs.  Higher than scikit-learn's 10: mini-batch
    validation losses are noisy, and on California 10 stopped some seeds too early
    (test R^2 0.779-0.801 over six seeds, against 0.798-0.805 with 20).
tol : float, default=1e-4
    Minimum improvement of the validation loss that counts.
callbacks : keras callback (instance or class), list or dict of them, default=None
    Fresh copies are used in every fit.  Classes are made in every fit, with their
    ``callbacks__*`` arguments as scikeras routes them: ``callbacks__patience`` to every
    class, ``callbacks__0__patience`` to the first of a list (``callbacks__es__patience``
    to a dict's "es"), a digit for a positional argument (``callbacks__0=schedule``), and
    an argument that is a class made with its own (``callbacks__0__coef=0.2``).
    Arguments routed to an object (not a class) raise a TypeError: they would be lost.
device : {"auto", "cpu", "gpu", "cpu:N", "gpu:N"} or list of them, default="auto"
    Where the model is built, trained and run; "auto" takes a visible GPU, else the CPU.
    A device that is not visible raises ``DeviceError`` (TensorFlow would silently use
    the CPU).  Under Keras's JAX and PyTorch backends the same names map to
    ``jax.devices()`` and ``torch.device``.  A list of two or more (``["gpu:0",
    "gpu:1"]``) trains one model data-parallel with ``tf.distribute.MirroredStrategy``
    (through Keras's ``fit``; TensorFlow backend only).
memory_growth : bool, default=False
    Let TensorFlow take GPU memory as needed rather than all of it, so several processes
    (a search's workers) share a GPU.  Process-wide, and only before TensorFlow first
    uses the GPU; later it warns that it could not be applied.  Under JAX it sets
    ``XLA_PYTHON_CLIENT_PREALLOCATE=false`` if JAX has not started; PyTorch grows its GPU
    memory as needed anyway.
mixed_precision : {"mixed_float16", "mixed_bfloat16"} or None, default=None
    Keras dtype policy for building and compiling the model (computations in 16 bits,
    weights in 32; the built-in networks keep their outputs in float32).  It applies
    only there, in the fitting thread, and the caller's policy is restored; float16
    trains with Keras's loss scaling.  A user builder's layers follow it too.
jit_compile : bool or "auto", default=False
    Compile the model with XLA (passed to ``model.compile``; the engine's epoch then
    runs as one XLA computation).  "auto" lets Keras choose (XLA on GPUs).  The first
    XLA compilation logs one line from TensorFlow's C++ runtime.  Under JAX every step
    is compiled with ``jax.jit`` whatever this says (False would run JAX op by op);
    under PyTorch True is ``torch.compile``.
run_eagerly : bool, default=False
    Run the model's training steps eagerly, op by op, as ``model.compile(run_eagerly=True)``:
    Python breakpoints and prints inside a model's ``call`` then work while it trains
    (``predict`` still runs skdeep's compiled forward pass; call ``est.model_(X)`` to step
    through it).  For debugging: tens of times slower; it trains through Keras's ``fit``
    and turns ``jit_compile`` off.
warm_start : bool, default=False
    Continue training the fitted model on the next ``fit`` instead of starting anew:
    its weights and optimizer state go on, ``history_`` and ``n_iter_`` grow.
random_state : int, RandomState instance or None, default=None
    Seeds weights, dropout, shuffling and the validation split.  The same seed gives the
    same predictions on CPU; global random state is restored after the fit.
verbose : int, default=0
    0 prints nothing; 1 prints one line per epoch with metrics and elapsed time.
**kwargs
    Parameters of a ``model`` builder, plain or routed (``model__``, ``optimizer__``,
    ``loss__``, ``callbacks__``, ``fit__``, ``predict__``).
"""

ATTRIBUTES = """
model_ : keras.Model
    The trained network.
history_ : dict of lists
    Per-epoch ``loss``, metrics and, when validating, ``val_*`` values; extended by
    ``partial_fit`` and warm fits (NaN for epochs a metric was not measured in).
n_iter_ : int
    Number of epochs run (over every ``partial_fit`` and warm fit).
best_epoch_ : int
    The (1-based) epoch with the lowest validation loss; only when validating.
n_features_in_ : int
    Number of features seen during fit.
feature_names_in_ : ndarray of shape (n_features_in_,)
    Names of features seen during fit, when X has string column names.
input_layout_ : skdeep.inputs.InputLayout
    How X maps to the model's inputs: their names, shapes and dtypes.
heads_ : list of skdeep.targets.Head
    Each model output, the columns of y it learns and how.
device_ : str or list of str
    Where the weights live after the fit, e.g. ``"/CPU:0"`` (one entry per copy when
    mirrored over several devices).
"""


def entries(text):
    """``{name: entry}`` of a numpydoc section's text; a grouped entry (``l1, l2 : float``)
    is under each of its names, the same string."""
    found, lines = {}, []
    for line in textwrap.dedent(text).strip("\n").splitlines():
        if line and not line[0].isspace() and lines:
            _add(found, lines)
            lines = []
        lines.append(line)
    if lines:
        _add(found, lines)
    return found


def _add(found, lines):
    entry = "\n".join(lines).rstrip()
    for name in lines[0].split(" : ")[0].split(","):
        found[name.strip()] = entry


_SHARED = {"parameters": entries(PARAMETERS), "attributes": entries(ATTRIBUTES)}


def compose(parameters="", attributes="", fill=None):
    """Class decorator: record the class's own descriptions and fill its docstring.

    Parameters
    ----------
    parameters, attributes : str
        Numpydoc entries of the parameters and attributes the class adds or describes
        differently from its parents.
    fill : dict of str, default=None
        The text of the ``{name}`` lines in inherited descriptions, by name.

    Returns
    -------
    decorate : callable
        Takes the class and returns it, its ``__doc__`` composed.
    """
    def decorate(cls):
        cls._docs = {"parameters": entries(parameters), "attributes": entries(attributes),
                     "fill": dict(fill or {})}
        if cls.__doc__:
            cls.__doc__ = _compose_doc(cls)
        return cls

    return decorate


def _compose_doc(cls):
    def placeholder(match):
        indent, name = match.group(1), match.group(2)
        if name == "parameters":
            text = "\n".join(_parameter_entries(cls))
        elif name == "attributes":
            text = "\n".join(_attribute_entries(cls))
        else:
            return match.group(0)
        return textwrap.indent(text, indent)

    return re.sub(r"^( *)\{(\w+)\}$", placeholder, cls.__doc__, flags=re.M)


def _described(cls, section):
    """Each description of ``section`` the class sees: its own, its parents' along the
    MRO, then the shared ones."""
    return [klass.__dict__["_docs"][section] for klass in cls.__mro__
            if "_docs" in klass.__dict__] + [_SHARED[section]]


def _filled(cls, entry):
    """``entry`` with its ``{name}`` lines replaced by the text the nearest class gives."""
    def line(match):
        indent, name = match.groups()
        for klass in cls.__mro__:
            text = klass.__dict__.get("_docs", {}).get("fill", {}).get(name)
            if text is not None:
                return textwrap.indent(textwrap.dedent(text).strip("\n"), indent) \
                    if text.strip() else None
        return None

    lines = []
    for each in entry.splitlines():
        match = re.fullmatch(r"( +)\{(\w+)\}", each)
        text = line(match) if match else each
        if text is not None:
            lines.append(text)
    return "\n".join(lines)


def _parameter_entries(cls):
    """One entry per parameter of ``cls``'s signature, in its order (a group at its first
    name)."""
    described, done = _described(cls, "parameters"), []
    prefix = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}
    for parameter in inspect.signature(cls).parameters.values():
        name = prefix.get(parameter.kind, "") + parameter.name
        entry = next((own[name] for own in described if name in own), None)
        if entry is None:
            raise TypeError(f"{cls.__name__}: no description of the parameter {name!r}.")
        if entry not in done:
            done.append(entry)
    return [_filled(cls, entry) for entry in done]


def _attribute_entries(cls):
    """The class's own attributes, then its parents', then the shared ones, each described
    by the nearest class that describes it."""
    described = _described(cls, "attributes")
    names = list(dict.fromkeys(name for own in described for name in own))
    done = []
    for name in names:
        entry = next(own[name] for own in described if name in own)
        if entry not in done:
            done.append(entry)
    return [_filled(cls, entry) for entry in done]
