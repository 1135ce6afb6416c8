"""What the model is fed: arrays of any rank, several named inputs, ``inputs=`` column groups.

A Keras model takes one array of any shape (a table, images, token ids, sequences) or several
inputs.  X arrives as one of:

- an array of rank >= 2 (a DataFrame is a 2-D table);
- a dict of arrays keyed by the model's input names, or a :class:`SliceDict` (the same,
  which scikit-learn can split by rows for cross-validation and searches);
- a list or tuple of arrays, each of rank >= 2, in the model's input order;
- a 2-D table with the estimator's ``inputs=`` parameter: each model input gets a group of
  its columns, so a ``ColumnTransformer`` pipeline can feed a multi-input model.

:class:`InputLayout` records in ``fit`` which of these it is, with each input's name, shape
and dtype.  At predict it checks X against them and hands the model the structure it was
built for (a dict for a model built on a dict of inputs, else a list in its input order).
"""

import numpy as np
from scipy.sparse import issparse
from sklearn.utils.validation import check_array, check_consistent_length, validate_data

from .builders import build_mlp
from .layers import numeric_embedding
from .scikeras_hooks import encoded_features
from .validation import resolve_columns

# Integer arrays stay integers (token ids for Embedding layers); everything else is float32.
KEPT_DTYPES = (np.float32, np.int32, np.int64)
# The arrays predict's shortcut takes (see plain_float_rows); big-endian ones are not these.
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


NO_Y = object()  # predict: X alone, no y to check


class SliceDict(dict):
    """A dict of arrays that scikit-learn can split by rows, for models with several inputs.

    ``len`` and ``shape`` count rows, and indexing with anything but a key selects rows of
    every array, returning a SliceDict, so ``train_test_split``, ``cross_val_score`` and the
    searches split it like an array (skorch's ``SliceDict`` is the prior art).

    Parameters
    ----------
    *args : mapping or iterable of (name, array) pairs, optional
        Arrays by input name, as ``dict`` takes them: ``SliceDict({"text": tokens})``.
    **arrays : array-like
        One array per model input, keyed by the input's name; all with the same number of
        rows.

    Examples
    --------
    >>> import numpy as np
    >>> from skdeep import SliceDict
    >>> X = SliceDict(text=np.zeros((6, 20), dtype=int), question=np.ones((6, 5), dtype=int))
    >>> len(X), X.shape
    (6, (6,))
    >>> part = X[[0, 2, 4]]
    >>> type(part).__name__, part["text"].shape
    ('SliceDict', (3, 20))
    """

    def __init__(self, *args, **arrays):
        super().__init__(*args, **arrays)
        for key, value in self.items():
            if not isinstance(key, str):
                raise TypeError(f"SliceDict keys are the model's input names (str); got {key!r}.")
            super().__setitem__(key, np.asarray(value) if not hasattr(value, "iloc") else value)
        rows = {key: len(value) for key, value in self.items()}
        if len(set(rows.values())) > 1:
            raise ValueError(f"The arrays of a SliceDict must have the same number of rows; "
                             f"got {rows}.")

    def __len__(self):
        return len(next(iter(self.values()))) if dict.__len__(self) else 0

    @property
    def shape(self):
        return (len(self),)

    def __getitem__(self, key):
        if isinstance(key, str):
            return super().__getitem__(key)
        if isinstance(key, tuple) and len(key) == 2 and key[1] is Ellipsis:
            key = key[0]  # scikit-learn's _safe_indexing asks for rows as X[rows, ...]
        return type(self)({name: _rows(value, key) for name, value in self.items()})

    def copy(self):
        return type(self)(self)

    def __repr__(self):
        shapes = ", ".join(f"{k}={np.shape(v)}" for k, v in self.items())
        return f"SliceDict({shapes})"


def _rows(value, rows):
    return value.iloc[rows] if hasattr(value, "iloc") else value[rows]


def input_kind(X):
    """"dict", "list" (several inputs in order) or "array" (one input)."""
    if isinstance(X, dict) and not issparse(X):  # a scipy DOK matrix is a dict too
        return "dict"
    if (isinstance(X, (list, tuple)) and X
            and all(hasattr(a, "shape") and len(a.shape) >= 2 for a in X)):
        return "list"
    return "array"


class InputLayout:
    """How X maps to a model's inputs, learned in ``fit`` and checked at every predict.

    Attributes
    ----------
    kind : {"array", "dict", "list", "columns"}
        One array, a dict by input name, a list in input order, or ``inputs=`` column groups.
    names : list of str or None
        The input names (dict and column groups; a list's are the model's, set by ``bind``).
    shapes : list of tuple
        Each input's shape without the rows.
    dtypes : list of str
        Each input's dtype.
    groups : list of ndarray or None
        For column groups, the column indices of each input.
    model_names : list of str or None
        The model's input names in its input order, once bound to a model.
    model_takes_dict : bool
        Whether the model was built on a dict of inputs (then it must be called with one).
    """

    def __init__(self, kind, names, shapes, dtypes, groups=None):
        self.kind, self.names, self.shapes, self.dtypes = kind, names, shapes, dtypes
        self.groups = groups
        self.model_names = None
        self.model_takes_dict = False

    @property
    def several(self):
        return self.kind != "array"

    def meta(self):
        """What a builder's ``meta`` learns about X (scikeras's names, and the input names)."""
        if not self.several:
            return {"X_shape_": (None, *self.shapes[0]), "X_dtype_": np.dtype(self.dtypes[0])}
        shapes = [(None, *s) for s in self.shapes]
        dtypes = [np.dtype(d) for d in self.dtypes]
        if self.names is None:
            return {"X_shape_": shapes, "X_dtype_": dtypes, "input_names_": None}
        return {"X_shape_": dict(zip(self.names, shapes)),
                "X_dtype_": dict(zip(self.names, dtypes)), "input_names_": list(self.names)}

    def bind(self, model, owner):
        """Match the inputs to ``model``'s; a missing or unknown input name is a ValueError."""
        model_names = [t.name for t in model.inputs]
        self.model_takes_dict = isinstance(_input_structure(model), dict)
        if len(model_names) != len(self.shapes):
            raise ValueError(
                f"The model of {owner} has {len(model_names)} inputs {model_names}, but X "
                f"gives {len(self.shapes)}" + (f" {self.names}." if self.names else ".")
            )
        if self.names is not None:
            missing = [n for n in model_names if n not in self.names]
            unknown = [n for n in self.names if n not in model_names]
            if missing or unknown:
                where = f"The 'inputs' parameter of {owner}" if self.kind == "columns" else "X"
                raise ValueError(
                    f"{where} names the inputs {self.names}, but the model of {owner} has the "
                    f"inputs {model_names}: missing {missing}, unknown {unknown}."
                )
        self.model_names = model_names

    def feed(self, arrays):
        """The structure the bound model is called with, from validated arrays (a dict by
        input name for several inputs, else one array)."""
        if not self.several:
            return _as_fitted(arrays, self.dtypes[0])
        if isinstance(next(iter(arrays)), int):  # a list, in the model's input order
            arrays = dict(zip(self.model_names, arrays.values()))
        if self.model_takes_dict:
            return {name: arrays[name] for name in self.model_names}
        return [arrays[name] for name in self.model_names]

    def example(self):
        """A one-row X of the fitted shapes and dtypes, as validated X (to trace predict after
        loading)."""
        # An object table (Wide & Deep's raw columns) is traced from zeros as floats.
        arrays = {name: np.zeros((1, *shape), dtype=np.float32 if dtype == "|O" else dtype)
                  for name, shape, dtype in zip(self.keys(), self.shapes, self.dtypes)}
        return arrays if self.several else next(iter(arrays.values()))

    def keys(self):
        """The inputs' keys: their names, else the model's, else their positions."""
        return self.names if self.names is not None else (self.model_names
                                                          or list(range(len(self.shapes))))


def _as_fitted(array, dtype):
    """An array in the fitted dtype, so the traced predict keeps one signature; a float copy
    of integer token ids is cast back, but a non-integer value is an error, not truncated."""
    if array.dtype == dtype:
        return array
    if np.dtype(dtype).kind == "i" and array.dtype.kind == "f" and \
            not np.array_equal(array, np.round(array)):
        raise ValueError(f"X holds non-integer values, but the model was fitted on integer "
                         f"inputs ({np.dtype(dtype).name}, e.g. token ids).")
    return array.astype(dtype)


def _input_structure(model):
    try:
        return model.input
    except (AttributeError, ValueError):  # a Sequential model that was never called
        return None


def learn_layout(arrays, kind, groups=None):
    """The layout of validated X (an array, or a dict of arrays by input name)."""
    if kind == "array":
        return InputLayout("array", None, [arrays.shape[1:]], [arrays.dtype.str])
    # A list (of arrays, or of column groups) names no inputs: it follows the model's order.
    names = None if isinstance(next(iter(arrays)), int) else list(arrays)
    values = list(arrays.values())
    return InputLayout(kind, names, [a.shape[1:] for a in values], [a.dtype.str for a in values],
                       groups)


def check_several(X, kind, owner, layout=None):
    """Validate several inputs; return a dict of arrays keyed by name (by position for a list).

    Each is checked as scikit-learn checks an array (finite numbers, at least one row; any
    rank), integers kept; all must have the same rows; against a fitted ``layout``, the same
    names, shapes and dtypes as in ``fit``.
    """
    if layout is not None and not layout.several:
        raise ValueError(f"{owner} was fitted on X as {describe_kind(layout.kind)}, but X is now "
                         f"{describe_kind(kind)}.")
    items = X.items() if kind == "dict" else enumerate(X)
    arrays = {}
    for key, value in items:
        if kind == "dict" and not isinstance(key, str):
            raise TypeError(f"X's keys must be the model's input names (str); got {key!r}.")
        arrays[key] = check_array(value, allow_nd=True, ensure_2d=False, dtype=KEPT_DTYPES,
                                  input_name=f"X[{key!r}]")
    if not arrays:
        raise ValueError(f"X holds no inputs: {owner} needs at least one array.")
    rows = {key: a.shape[0] for key, a in arrays.items()}
    if len(set(rows.values())) > 1:
        raise ValueError(f"The inputs in X have different numbers of rows: {rows}.")
    if kind == "list" and layout is not None:  # in the model's input order
        arrays = dict(zip(layout.model_names or layout.keys(), arrays.values()))
    if layout is not None:
        _check_against(arrays, layout, owner)
    return arrays


def plain_float_rows(X, layout):
    """``X`` validated for predict when it is a plain float array of the fitted shape, else None.

    For a float32 or float64 numpy array (not a subclass) with rows and the shape of the one
    float32 array the estimator was fitted on, and without feature names at fit, scikit-learn's
    validation (array-API and dataframe probes, feature-name and feature-count checks, the
    finiteness check) amounts to the float32 conversion returned here.  Anything else, and a
    non-finite value, returns None: the full validation then raises its usual error.
    """
    if (type(X) is not np.ndarray or X.dtype not in _FLOATS or not X.size
            or layout.kind != "array" or np.dtype(layout.dtypes[0]) != np.float32
            or X.shape[1:] != tuple(layout.shapes[0])):
        return None
    X = np.asarray(X, dtype=np.float32)
    return X if np.isfinite(X).all() else None


def describe_kind(kind):
    """How an error names a form of X."""
    return {"array": "one array", "dict": "a dict of arrays by input name",
            "list": "a list of arrays", "columns": "a table split by inputs="}[kind]


def _check_against(arrays, layout, owner):
    names, fitted_names = list(arrays), layout.keys()
    if sorted(map(str, names)) != sorted(map(str, fitted_names)):
        raise ValueError(f"X has the inputs {sorted(map(str, names))}, but {owner} was fitted "
                         f"with {sorted(map(str, fitted_names))}.")
    if len(names) != len(layout.shapes):
        raise ValueError(f"X has {len(names)} inputs, but {owner} was fitted with "
                         f"{len(layout.shapes)}.")
    fitted = dict(zip(fitted_names, zip(layout.shapes, layout.dtypes)))
    for name, array in arrays.items():
        shape, dtype = fitted[name]
        check_shape(array, shape, owner, f"input {name!r}")
        arrays[name] = _as_fitted(array, dtype)


def check_shape(array, shape, owner, what="X"):
    """A ValueError when ``array``'s shape (without rows) differs from the fitted one."""
    if tuple(array.shape[1:]) != tuple(shape):
        raise ValueError(
            f"{what} has shape {(None, *array.shape[1:])} (rows first), but {owner} was "
            f"fitted on shape {(None, *shape)}."
        )


def column_groups(inputs, n_features, feature_names, owner):
    """The column indices of each model input from the ``inputs=`` parameter.

    ``inputs`` maps input names to column selections (names, indices, a slice, a bool mask),
    or lists selections in the model's input order.
    """
    items = inputs.items() if isinstance(inputs, dict) else enumerate(inputs)
    groups = {}
    for name, selector in items:
        columns = resolve_columns(selector, n_features, feature_names,
                                  f"inputs[{name!r}]", owner)
        if not len(columns):
            raise ValueError(f"The 'inputs' parameter of {owner} gives the input {name!r} no "
                             f"column (got {selector!r}).")
        groups[name] = columns
    if not groups:
        raise ValueError(f"The 'inputs' parameter of {owner} names no input; give a dict "
                         "from input name to columns, e.g. {'text': slice(0, 20)}.")
    return groups


def split_columns(X, groups):
    """A dict of each input's columns of the 2-D array X (float32 or kept integers)."""
    return {name: _model_dtype(X[:, columns]) for name, columns in groups.items()}


def _model_dtype(array):
    return array if array.dtype.kind == "i" else array.astype(np.float32)


def take_rows(X, rows):
    """Rows of validated X: an array, or a dict of arrays."""
    if isinstance(X, dict):
        return {name: a[rows] for name, a in X.items()}
    return X[rows]


def n_rows(X):
    return len(next(iter(X.values()))) if isinstance(X, dict) else X.shape[0]


class ArrayInputs:
    """The input strategy of the plain estimators: X as arrays of any rank, several named
    inputs, or ``inputs=`` column groups of one table, fed to the model as they are.

    It validates X (setting ``n_features_in_``, ``feature_names_in_`` and, in a fit from
    scratch, ``input_layout_`` on the estimator, as scikit-learn's ``validate_data`` does),
    feeds validated X to the model, and builds the built-in network for it.  Wide & Deep's
    :class:`~skdeep.tabular.TabularInputs` encodes a raw table instead.

    Parameters
    ----------
    estimator : BaseDeepEstimator
        The estimator whose X this is (its parameters are read, never written).
    """

    def __init__(self, estimator):
        self.estimator = estimator
        self.owner = type(estimator).__name__

    def check(self, X, y, *, reset):
        """Validated X (an array, or a dict of arrays by input name) and y; X alone when y
        is :data:`NO_Y`.  A None y is scikit-learn's "requires y" error.

        In a fit from scratch this also learns ``input_layout_``; afterwards X must match it.
        """
        estimator, owner = self.estimator, self.owner
        X = encoded_features(estimator, X, reset)
        kind = input_kind(X)
        if estimator.inputs is not None:
            if kind != "array":
                raise ValueError(
                    f"The 'inputs' parameter of {owner} splits the columns of one table among "
                    f"the model's inputs, but X is already {describe_kind(kind)}: leave "
                    "inputs=None.")
            kind = "columns"
        if kind in ("dict", "list"):
            return self.check_several(X, y, kind, reset)
        if getattr(X, "ndim", 2) == 1:
            # Before scikit-learn's check: it would first warn that a pandas Series (a row
            # or a column of a DataFrame) has no feature names.
            raise ValueError(
                f"{owner} expected a 2-dimensional X, got a 1-dimensional {type(X).__name__} "
                f"of shape {X.shape}. Reshape your data: a single feature is "
                "X.reshape(-1, 1) (a Series: X.to_frame()), a single sample X.reshape(1, -1) "
                "(a DataFrame row: X.to_frame().T).")
        checks = self.validation_options(X)
        if y is NO_Y:
            X = validate_data(estimator, X, reset=reset, **checks)
        else:
            X, y = validate_data(estimator, X, y, reset=reset, multi_output=True,
                                 y_numeric=False, **checks)
        if kind == "columns":
            groups = column_groups(estimator.inputs, estimator.n_features_in_,
                                   getattr(estimator, "feature_names_in_", None), owner) \
                if reset else estimator.input_layout_.groups
            X = split_columns(X, groups)
            if reset:
                estimator.input_layout_ = learn_layout(X, "columns", groups)
        elif reset:
            estimator.input_layout_ = learn_layout(X, "array")
        else:
            layout = estimator.input_layout_
            if layout.kind != "array":
                raise ValueError(f"{owner} was fitted on several inputs "
                                 f"{layout.names or ''}; X is one array.")
            check_shape(X, layout.shapes[0], owner)
        return X if y is NO_Y else (X, y)

    def validation_options(self, X):
        """How ``validate_data`` checks X: finite numbers of any rank >= 2, float32 for the
        built-in network; any other model's integer arrays (token ids) stay integers."""
        dtypes, names = getattr(X, "dtypes", None), getattr(X, "columns", None)
        if dtypes is not None and names is not None:
            text = [str(c) for c, d in zip(names, dtypes) if getattr(d, "kind", "O") in "OSU"]
            if text:
                raise ValueError(
                    f"{self.owner} needs numeric X, but columns {text} hold strings "
                    "or categories. Encode them first (e.g. OneHotEncoder in a "
                    f"ColumnTransformer), or use {self.estimator._for_tables}, which embeds "
                    "categorical columns.")
        built_in = self.estimator._builder() is None and self.estimator.model is None
        return {"dtype": np.float32 if built_in else KEPT_DTYPES, "allow_nd": True}

    def check_several(self, X, y, kind, reset):
        estimator, owner = self.estimator, self.owner
        X = check_several(X, kind, owner, None if reset else estimator.input_layout_)
        if reset:
            estimator.input_layout_ = learn_layout(X, kind)
            estimator.n_features_in_ = int(sum(np.prod(s, dtype=int) for s in
                                               estimator.input_layout_.shapes))
            if hasattr(estimator, "feature_names_in_"):
                del estimator.feature_names_in_
        if y is NO_Y:
            return X
        if y is None:
            raise ValueError(f"{owner} requires y to be passed, but the target y is None.")
        y = check_array(y, ensure_2d=False, dtype=None, input_name="y")
        check_consistent_length(np.empty((n_rows(X), 0)), y)
        return X, y

    def check_predict(self, X):
        """:meth:`check`'s X for predict, sooner for a plain float array of the fitted shape.

        Predicting one row should take no longer than in scikit-learn's MLP (0.2 ms), and
        scikit-learn's generic validation alone takes 0.1 ms; on such an array it only
        converts to float32 (:func:`plain_float_rows`).
        """
        estimator = self.estimator
        if estimator.inputs is None and not hasattr(estimator, "feature_names_in_") and \
                not hasattr(estimator, "feature_encoder_"):
            rows = plain_float_rows(X, estimator.input_layout_)
            if rows is not None:
                return rows
        return self.check(X, NO_Y, reset=False)

    def learn(self, X, dtypes, sample_weight=None):
        """Learn from the training rows how X becomes the model's inputs (``dtypes``: a
        DataFrame's column dtypes, or None; ``sample_weight``: how often each row counts).
        Returns the fitted attributes it adds and the entries it adds to ``meta``."""
        return {}, self.estimator.input_layout_.meta()

    def bind(self, model):
        """Match the fitted input layout to the built model's inputs."""
        self.estimator.input_layout_.bind(model, self.owner)

    def feed(self, X):
        """What the Keras model is called on, from validated X."""
        return self.estimator.input_layout_.feed(X)

    def example(self):
        """Validated X of one row, to trace predict with."""
        return self.estimator.input_layout_.example()

    def default_network(self, meta, output, seed, X, y, sample_weight, params):
        """The built-in (uncompiled) network for the fitted data (n-D X is flattened):
        ``output`` its output layer's units and activation; ``X``, ``y``, ``sample_weight``
        the training rows, their 2-D targets and weights, from which a numeric embedding
        learns its bins."""
        if self.estimator.input_layout_.several:
            raise ValueError(
                f"X gives several inputs {self.estimator.input_layout_.names or ''}, but the "
                f"built-in network of {self.owner} takes one array: pass model= a builder "
                "(or a keras.Model) with those inputs.")
        if params["numeric_embedding"] not in (None, "auto") and X.ndim != 2:
            raise ValueError(
                f"numeric_embedding={params['numeric_embedding']!r} embeds the columns of a "
                f"table, but X has shape {X.shape}: reshape it to (n_samples, n_features), "
                "or leave numeric_embedding=None.")
        units, activation = output
        return build_mlp(meta["X_shape_"][1:], units, output_activation=activation, seed=seed,
                         numeric_embedding=embedding_of(params, X, y, seed, "numeric_embedding",
                                                        sample_weight),
                         **network_params(params))

    def optimizer(self, optimizer, params, extra_params):
        """The optimizer the model compiles with, from the one of ``optimizer``."""
        return optimizer

    def compile_for(self, model, kwargs, params):
        """Compile arguments for what these inputs built (Wide & Deep's auxiliary head)."""
        return kwargs


def network_params(params):
    """The built-in network's arguments from the estimator's parameters."""
    return {
        "hidden_layer_sizes": tuple(int(s) for s in np.atleast_1d(params["hidden_layer_sizes"])),
        "activation": params["activation"],
        "dropout": float(params["dropout"]),
        "batch_norm": bool(params["batch_norm"]),
        "l1": float(params["l1"]),
        "l2": float(params["l2"]),
        "ensemble_size": int(params["ensemble_size"]),
    }


def embedding_of(params, numeric, y, seed, name, sample_weight=None):
    """The embedding layer of the built-in network's numeric columns (None without one),
    its bins learned from these training rows only, each counted its weight times."""
    return numeric_embedding(
        params["numeric_embedding"], numeric, y, sample_weight=sample_weight,
        dim=int(params["numeric_embedding_dim"]), n_frequencies=int(params["n_frequencies"]),
        frequency_scale=float(params["frequency_scale"]), n_bins=int(params["n_bins"]),
        seed=None if seed is None else seed + 3000, name=name)
