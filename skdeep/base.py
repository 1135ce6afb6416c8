"""The base every skdeep estimator shares: parameters, fitting, prediction and persistence.

Subclasses say only what differs: how targets are encoded, which built-in network and loss
they use, and how X becomes the model's inputs.
"""

import functools
import inspect
import math
from numbers import Integral, Real

import keras
import numpy as np
from sklearn.base import BaseEstimator, is_classifier
from sklearn.exceptions import NotFittedError as _SklearnNotFittedError
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    check_is_fitted,
    validate_data,
)

from . import engine
from .engine import state as model_state
from .builders import build_mlp
from .compat import (
    HasMethods,
    Interval,
    Options,
    StrOptions,
    fresh_keras_names,
    validate_parameters,
)
from .device import (
    DEVICE_HELP,
    available_device,
    device_scope,
    parse_device,
    primary,
    resolve_device,
    weights_device,
)
from .exceptions import NotFittedError
from .inputs import (
    KEPT_DTYPES,
    check_several,
    check_shape,
    column_groups,
    describe_kind,
    input_kind,
    learn_layout,
    n_rows,
    plain_float_rows,
    split_columns,
    take_rows,
)
from .layers import NUMERIC_EMBEDDINGS, numeric_embedding
from .keras_objects import call_builder, clone_prebuilt, instantiate, make_loss, make_optimizer
from .routing import (
    LazyValues,
    ROUTES,
    builder_arguments,
    builder_signature,
    check_extra_params,
    check_optimizer_arguments,
    optimizer_arguments,
    routed,
    to_python,
)
from .runtime import cap_threads, dtype_policy, ensure_memory_growth, keras_jit_compile
from .scikeras_hooks import builder_hook, encoded_features, hook_problems
from .seeding import draw_seed, seeded, seeded_streams
from .targets import in_fitted_order, y_by_name
from .validation import check_sample_weight
from .weighting import rescaled

# Cap the backend's threads (TensorFlow's before its runtime starts) where OMP_NUM_THREADS
# (which joblib and Dask set in their workers) or SKDEEP_NUM_THREADS asks for it.
cap_threads()

_MODEL_PARAMETER = object()  # _builder's default: the estimator's own model parameter


class BaseDeepEstimator(BaseEstimator):
    """Base class of skdeep estimators.  Not for direct use: see DeepRegressor, DeepClassifier."""

    # Prefixes of routed parameters (``optimizer__momentum``); subclasses may add their own.
    _routes = ROUTES

    def __init_subclass__(cls, **kwargs):
        """Give each subclass an ``__init__`` signature holding every parameter it takes.

        scikit-learn reads an estimator's parameters from its ``__init__`` signature.  A
        subclass (or a mixin left of it) declares only the parameters it adds or re-defaults
        and passes the rest on through ``**kwargs``; this merges the declarations along the
        MRO, the most derived first, so none repeats the base's.  A class whose ``__init__``
        takes no ``**kwargs`` declares all its parameters itself, as in scikit-learn: the
        merge stops there (its parents' parameters are set by its own code, not by clone).
        """
        super().__init_subclass__(**kwargs)
        if "__init__" not in cls.__dict__:
            def __init__(self, *args, **kwargs):
                super(cls, self).__init__(*args, **kwargs)

            cls.__init__ = __init__
        else:
            _keep_declared_routes(cls)
        merged = {}
        for klass in cls.__mro__:
            init = klass.__dict__.get("__init__")
            if init is None or klass is object or klass is BaseEstimator:
                continue
            declared = getattr(init, "_declared_signature", None) or inspect.signature(init)
            init._declared_signature = declared
            for name, parameter in declared.parameters.items():
                merged.setdefault(name, parameter)
            if not any(p.kind is inspect.Parameter.VAR_KEYWORD
                       for p in declared.parameters.values()):
                break
        if "args" in merged and merged["args"].kind is inspect.Parameter.VAR_POSITIONAL:
            del merged["args"]
        # self, model, then keyword-only parameters, **kwargs last.
        cls.__init__.__signature__ = inspect.Signature(sorted(merged.values(),
                                                              key=lambda p: p.kind))

    _parameter_constraints = {
        "model": [callable, keras.Model, None],
        "inputs": [dict, list, tuple, None],
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "activation": [str, callable],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "batch_norm": ["boolean"],
        "l1": [Interval(Real, 0, None, closed="left")],
        "l2": [Interval(Real, 0, None, closed="left")],
        "numeric_embedding": [StrOptions({"auto", *NUMERIC_EMBEDDINGS}), None],
        "numeric_embedding_dim": [Interval(Integral, 1, None, closed="left")],
        "n_frequencies": [Interval(Integral, 1, None, closed="left")],
        "frequency_scale": [Interval(Real, 0, None, closed="neither")],
        "n_bins": [Interval(Integral, 1, None, closed="left")],
        "ensemble_size": [Interval(Integral, 1, None, closed="left")],
        "optimizer": [str, type, HasMethods(["apply_gradients", "get_config"])],
        "learning_rate": [Interval(Real, 0, None, closed="neither"), None],
        "loss": [str, type, callable, dict, list, None],
        "loss_weights": [dict, list, tuple, None],
        "metrics": [str, list, tuple, dict, callable, None],
        # -1 or None: every row in one batch (scikeras's -1).
        "batch_size": [Interval(Integral, 1, None, closed="left"), Options(Integral, {-1}), None],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "early_stopping": ["boolean", StrOptions({"auto"})],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "validation_split": [Interval(Real, 0, 1, closed="neither"), None],
        "validation_batch_size": [Interval(Integral, 1, None, closed="left"),
                                  Options(Integral, {-1}), None],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "callbacks": [list, tuple, dict, type, keras.callbacks.Callback, None],
        "device": [str, list, tuple],
        "memory_growth": ["boolean"],
        "mixed_precision": [StrOptions({"mixed_float16", "mixed_bfloat16"}), None],
        "jit_compile": ["boolean", StrOptions({"auto"})],
        "run_eagerly": ["boolean"],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        model=None,
        *,
        inputs=None,
        hidden_layer_sizes=(100, 100),
        activation="relu",
        dropout=0.0,
        batch_norm=False,
        l1=0.0,
        l2=0.0,
        numeric_embedding="auto",
        numeric_embedding_dim=24,
        n_frequencies=48,
        frequency_scale=3.0,
        n_bins=48,
        ensemble_size=4,
        optimizer="adam",
        learning_rate=None,
        loss=None,
        loss_weights=None,
        metrics=None,
        batch_size=32,
        epochs=100,
        shuffle=True,
        early_stopping="auto",
        validation_fraction=0.1,
        validation_split=None,
        validation_batch_size=None,
        n_iter_no_change=20,
        tol=1e-4,
        callbacks=None,
        device="auto",
        memory_growth=False,
        mixed_precision=None,
        jit_compile=False,
        run_eagerly=False,
        warm_start=False,
        random_state=None,
        verbose=0,
        **kwargs,
    ):
        self.model = model
        self.inputs = inputs
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
        self.batch_norm = batch_norm
        self.l1 = l1
        self.l2 = l2
        self.numeric_embedding = numeric_embedding
        self.numeric_embedding_dim = numeric_embedding_dim
        self.n_frequencies = n_frequencies
        self.frequency_scale = frequency_scale
        self.n_bins = n_bins
        self.ensemble_size = ensemble_size
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.loss_weights = loss_weights
        self.metrics = metrics
        self.batch_size = batch_size
        self.epochs = epochs
        self.shuffle = shuffle
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.validation_split = validation_split
        self.validation_batch_size = validation_batch_size
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.callbacks = callbacks
        self.device = device
        self.memory_growth = memory_growth
        self.mixed_precision = mixed_precision
        self.jit_compile = jit_compile
        self.run_eagerly = run_eagerly
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose
        # A builder's own parameters (scikeras's ``model__units`` or plain ``units``) and
        # routed ones: get_params, set_params and clone see them, and ``est.units`` reads
        # them, but they are not attributes set in __init__ (scikit-learn's checks).
        self._extra_params = dict(kwargs)

    def __getattr__(self, name):
        extra = self.__dict__.get("_extra_params", {})
        if name in extra:
            return extra[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    # ------------------------------------------------------------------ parameters

    def _init_param_names(self):
        """The parameters ``__init__`` declares, sorted, read as scikit-learn reads them (its
        own reader, ``_get_param_names``, is private): without routed and builder ones."""
        declared = inspect.signature(type(self).__init__).parameters.values()
        return sorted(p.name for p in declared
                      if p.name != "self" and p.kind is not p.VAR_KEYWORD)

    def _extra_param_names(self):
        return sorted(self._extra_params)

    def get_params(self, deep=True):
        """Get parameters, including a builder's own and routed (``model__*``, ...) ones.

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of contained estimators, as scikit-learn's
            ``get_params`` does.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        params = super().get_params(deep=deep)
        params.update(self._extra_params)
        return params

    def __sklearn_clone__(self):
        # A prebuilt keras.Model parameter is shared, not deep-copied: fits never train it
        # (each trains a clone), and Keras's deepcopy of a model warns and is slow.
        prebuilt = self.model if isinstance(self.model, keras.Model) else None
        if prebuilt is None:
            return super().__sklearn_clone__()
        self.model = None
        try:
            copy_ = super().__sklearn_clone__()
        finally:
            self.model = prebuilt
        copy_.model = prebuilt
        return copy_

    def _builder(self, model=_MODEL_PARAMETER):
        """The model builder for ``model`` (default: the ``model`` parameter), or None (the
        built-in network, or a prebuilt keras.Model); with no model, the class's
        ``_keras_build_fn`` if it has one (scikeras's hook)."""
        model = self.model if model is _MODEL_PARAMETER else model
        return _builder_of(model) if model is not None else builder_hook(self)

    def set_params(self, **params):
        """Set parameters, including a builder's own and routed (``model__*``, ...) ones.

        Routed keys and the named arguments of the ``model`` builder are accepted even when
        they were not given to the constructor, so a search can tune them.

        Parameters
        ----------
        **params
            Parameter names and their new values: the constructor's parameters, routed
            ones (``optimizer__momentum=0.9``) and the ``model`` builder's arguments.

        Returns
        -------
        self : object
            The estimator.
        """
        # A search may set a builder and that builder's arguments in one call.
        builder = self._builder(params["model"]) if "model" in params else self._builder()
        builder_args = builder_signature(builder)[0] if callable(builder) else {}
        extra_ok = set(self._extra_param_names()) | set(builder_args)
        init = set(self._init_param_names())
        for key in list(params):
            routed_key = "__" in key and key.partition("__")[0] in self._routes
            if routed_key or (key not in init and key in extra_ok):
                # A new dict, not an update: a shallow copy of the estimator keeps its own.
                self._extra_params = {**self._extra_params, key: params.pop(key)}
        return super().set_params(**params)

    def _check_settings(self):
        """Problems that a type constraint cannot express, all gathered in one error."""
        name = type(self).__name__
        problems = check_extra_params(self._extra_param_names(), self._init_param_names(),
                                      self._builder(), self._routes, self._accepted_routed())
        problems += hook_problems(self)
        if isinstance(self.activation, str):
            try:
                keras.activations.get(self.activation)
            except ValueError:
                problems.append(
                    f"The 'activation' parameter of {name} must be a Keras activation name "
                    f"(relu, selu, tanh, elu, gelu, sigmoid, ...) or a callable. "
                    f"Got {self.activation!r} instead."
                )
        sizes = np.atleast_1d(np.asarray(self.hidden_layer_sizes, dtype=object))
        if sizes.ndim != 1 or not all(isinstance(s, Integral) and s >= 1 for s in sizes):
            problems.append(
                f"The 'hidden_layer_sizes' parameter of {name} must be positive ints. "
                f"Got {self.hidden_layer_sizes!r} instead."
            )
        losses = self.loss.values() if isinstance(self.loss, dict) else (
            self.loss if isinstance(self.loss, (list, tuple)) else [self.loss])
        for loss in losses:
            if isinstance(loss, str):
                try:
                    keras.losses.get(loss)
                except ValueError:
                    problems.append(f"The 'loss' parameter of {name} must be a Keras loss name "
                                    f"or object. Got {loss!r} instead.")
        for route, optimizer in self._optimizers().items():
            problems += check_optimizer_arguments(route, routed(self._extra_params, route),
                                                  optimizer, name)
        problems += _predict_problems(routed(self._extra_params, "predict"))
        for route in ("metrics", "callbacks"):
            if getattr(self, route) is None:
                problems += [f"{route}__{key} is set, but {route} is None: set {route} too, or "
                             "remove it." for key in sorted(routed(self._extra_params, route))]
        if parse_device(self.device) is None:
            problems.append(
                f"The 'device' parameter of {name} must be {DEVICE_HELP}. "
                f"Got {self.device!r} instead."
            )
        if problems:
            raise ValueError(f"Invalid parameters for {name}:\n- " + "\n- ".join(problems))

    def _optimizers(self):
        """The optimizer parameters, by the route of their arguments."""
        return {"optimizer": self.optimizer}

    def _accepted_routed(self):
        """Routed names that would be accepted, for "did you mean" suggestions."""
        names = ["predict__batch_size", "predict__verbose"]
        for route, optimizer in self._optimizers().items():
            names += [f"{route}__{a}" for a in optimizer_arguments(optimizer)]
        return names

    # ------------------------------------------------------------------ subclass hooks

    def _validate_target(self, y, reset, classes=None):
        """Validate y; return the targets for the model and the meta entries they set.

        ``classes``: a classifier's labels given to its first ``partial_fit``."""
        # Reached by a class derived from this base directly, as scikeras's BaseWrapper is.
        raise NotImplementedError(
            f"{type(self).__name__} derives from BaseDeepEstimator, which knows no task: derive "
            "from DeepRegressor (an autoencoder is a DeepRegressor fitted with y=X) or "
            "DeepClassifier. scikeras's BaseWrapper has no skdeep twin (docs/migrating.md).")

    def _output_spec(self, meta):
        """Units and activation of the built-in network's output layer."""
        raise NotImplementedError

    def _default_network(self, meta, seed, X, y, sample_weight=None):
        """The built-in (uncompiled) network for the fitted data (n-D X is flattened);
        ``X``, ``y``, ``sample_weight``: the training rows, their 2-D targets and weights,
        from which a numeric embedding learns its bins."""
        if self.input_layout_.several:
            raise ValueError(
                f"X gives several inputs {self.input_layout_.names or ''}, but the built-in "
                f"network of {type(self).__name__} takes one array: pass model= a builder "
                "(or a keras.Model) with those inputs."
            )
        if self.numeric_embedding not in (None, "auto") and X.ndim != 2:
            raise ValueError(
                f"numeric_embedding={self.numeric_embedding!r} embeds the columns of a table, "
                f"but X has shape {X.shape}: reshape it to (n_samples, n_features), or leave "
                "numeric_embedding=None."
            )
        units, activation = self._output_spec(meta)
        return build_mlp(meta["X_shape_"][1:], units, output_activation=activation, seed=seed,
                         numeric_embedding=self._numeric_embedding(X, y, seed, "numeric_embedding",
                                                                   sample_weight),
                         **self._network_params())

    def _numeric_embedding(self, numeric, y, seed, name, sample_weight=None):
        """The embedding layer of the built-in network's numeric columns (None without one),
        its bins learned from these training rows only, each counted its weight times."""
        return numeric_embedding(
            self.numeric_embedding, numeric, y, sample_weight=sample_weight,
            dim=int(self.numeric_embedding_dim),
            n_frequencies=int(self.n_frequencies), frequency_scale=float(self.frequency_scale),
            n_bins=int(self.n_bins), seed=None if seed is None else seed + 3000, name=name)

    def _default_loss(self, meta):
        raise NotImplementedError

    def _network_params(self):
        return {
            "hidden_layer_sizes": tuple(int(s) for s in np.atleast_1d(self.hidden_layer_sizes)),
            "activation": self.activation,
            "dropout": float(self.dropout),
            "batch_norm": bool(self.batch_norm),
            "l1": float(self.l1),
            "l2": float(self.l2),
            "ensemble_size": int(self.ensemble_size),
        }

    def _X_checks(self, X):
        """How ``validate_data`` checks X: finite numbers of any rank >= 2, float32 for the
        built-in network; a builder's integer arrays (token ids) stay integers."""
        dtypes = getattr(X, "dtypes", None)
        names = getattr(X, "columns", None)
        if dtypes is not None and names is not None:
            text = [str(c) for c, d in zip(names, dtypes) if getattr(d, "kind", "O") in "OSU"]
            if text:
                wide = "WideDeepClassifier" if is_classifier(self) else "WideDeepRegressor"
                raise ValueError(
                    f"{type(self).__name__} needs numeric X, but columns {text} hold strings "
                    "or categories. Encode them first (e.g. OneHotEncoder in a "
                    f"ColumnTransformer), or use {wide}, which embeds categorical columns."
                )
        keep_ints = self.model is not None
        return {"dtype": KEPT_DTYPES if keep_ints else np.float32, "allow_nd": True}

    def _learn_inputs(self, X, dtypes, sample_weight=None):
        """Learn, in a fit from scratch, how X becomes the model's inputs (``dtypes``: a
        DataFrame's column dtypes, or None; ``sample_weight``: how often each row counts);
        return the entries it adds to ``meta``."""
        return self.input_layout_.meta()

    def _bind_inputs(self, model):
        """Match the fitted input layout to the built model's inputs."""
        self.input_layout_.bind(model, type(self).__name__)

    def _model_inputs(self, X):
        """What the Keras model is called on, from validated X."""
        return self.input_layout_.feed(X)

    def _fit_target_weights(self, y, sample_weight):
        """The weight each training row has in fit: ``sample_weight``, times a classifier's
        ``class_weight``."""
        return sample_weight

    def _builder_y(self, y):
        """The y a ``fn(X, y)`` builder (Keras 3's wrappers) is given."""
        return y

    def _plan_heads(self, model, y, y_names):
        """Decide, once the model is built, which part of y each output learns."""
        raise NotImplementedError

    def _head_targets(self, y):
        """What Keras trains each output on: one array, or a list in output order."""
        raise NotImplementedError

    # ------------------------------------------------------------------ data

    def _check_data(self, X, y, *, reset):
        """Validated X (an array, or a dict of arrays by input name) and y; X alone when y
        is ``_NO_Y`` (predict).  A None y is scikit-learn's "requires y" error.

        In a fit from scratch this also learns ``input_layout_``; afterwards X must match it.
        """
        owner = type(self).__name__
        X = encoded_features(self, X, reset)
        kind = input_kind(X)
        if self.inputs is not None:
            if kind != "array":
                raise ValueError(
                    f"The 'inputs' parameter of {owner} splits the columns of one table among "
                    f"the model's inputs, but X is already {describe_kind(kind)}: leave "
                    "inputs=None."
                )
            kind = "columns"
        if kind in ("dict", "list"):
            return self._check_several(X, y, kind, reset)
        if getattr(X, "ndim", 2) == 1:
            # Before scikit-learn's check: it would first warn that a pandas Series (a row
            # or a column of a DataFrame) has no feature names.
            raise ValueError(
                f"{owner} expected a 2-dimensional X, got a 1-dimensional {type(X).__name__} "
                f"of shape {X.shape}. Reshape your data: a single feature is "
                "X.reshape(-1, 1) (a Series: X.to_frame()), a single sample X.reshape(1, -1) "
                "(a DataFrame row: X.to_frame().T).")
        checks = self._X_checks(X)
        if y is _NO_Y:
            X = validate_data(self, X, reset=reset, **checks)
        else:
            X, y = validate_data(self, X, y, reset=reset, multi_output=True, y_numeric=False,
                                 **checks)
        if kind == "columns":
            groups = column_groups(self.inputs, self.n_features_in_,
                                   getattr(self, "feature_names_in_", None), owner) \
                if reset else self.input_layout_.groups
            X = split_columns(X, groups)
            if reset:
                self.input_layout_ = learn_layout(X, "columns", groups)
        elif reset:
            self.input_layout_ = learn_layout(X, "array")
        else:
            layout = self.input_layout_
            if layout.kind != "array":
                raise ValueError(f"{owner} was fitted on several inputs "
                                 f"{layout.names or ''}; X is one array.")
            check_shape(X, layout.shapes[0], owner)
        return X if y is _NO_Y else (X, y)

    def _check_several(self, X, y, kind, reset):
        owner = type(self).__name__
        X = check_several(X, kind, owner, None if reset else self.input_layout_)
        if reset:
            self.input_layout_ = learn_layout(X, kind)
            self.n_features_in_ = int(sum(np.prod(s, dtype=int) for s in
                                          self.input_layout_.shapes))
            if hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
        if y is _NO_Y:
            return X
        if y is None:
            raise ValueError(f"{owner} requires y to be passed, but the target y is None.")
        y = check_array(y, ensure_2d=False, dtype=None, input_name="y")
        check_consistent_length(np.empty((n_rows(X), 0)), y)
        return X, y

    # ------------------------------------------------------------------ fit

    def fit(self, X, y, sample_weight=None, *, epochs=None, batch_size=None,
            validation_data=None, callbacks=None, verbose=None, **fit_params):
        """Fit the network to X and y.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...), dict or list of arrays
            Training data: a table, or an array of any rank (images, token ids, sequences);
            for a model with several inputs, a dict of arrays keyed by input name (a
            :class:`~skdeep.SliceDict` to split it in cross-validation), a list of arrays in
            input order, or a table whose columns ``inputs`` assigns to the inputs.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), or dict
            Targets; for a model with several outputs, one column per output (in output
            order) or a dict / DataFrame keyed by output names.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights (non-negative; the caller's array is not modified).  A row
            weighted k counts as that row repeated k times, and 0 as no row.  The loss is
            the weighted mean ``sum(w * loss) / sum(w)``: the weights are rescaled to
            average 1 over the training rows, and Keras averages each batch's weighted
            losses over its rows, so weights that are all equal train as none.  With one
            batch of every row (``batch_size >= n_samples``, ``early_stopping=False``),
            integer weights train as the repeated rows, up to rounding; with smaller
            batches each batch's loss is its rows' share of the weighted mean.  What fit
            learns from the rows weighs them too (Wide & Deep's scaling, vocabularies and
            bins; a numeric embedding's bins), and ``class_weight`` multiplies into the
            weights ("balanced" counts each class by its rows' weights).  The validation
            split is of rows, each keeping its weight; ``early_stopping="auto"`` and
            ``numeric_embedding="auto"`` count rows.
        epochs, batch_size, verbose : int, default=None
            Override the constructor's values for this call only (as Keras ``fit`` takes them).
        validation_data : tuple (X_val, y_val) or (X_val, y_val, sample_weight_val)
            Validate on this data each epoch instead of a ``validation_fraction`` split
            (with weights, ``val_loss`` is the weighted mean over its rows).
        callbacks : keras.callbacks.Callback or list of them, default=None
            Added to the constructor's callbacks for this call (fresh copies are used).
        **fit_params
            Keras's other ``Model.fit`` arguments, for this call only: those named as a
            constructor parameter (``validation_split``, ``shuffle``,
            ``validation_batch_size``, a classifier's ``class_weight``) override it; the
            others (``initial_epoch``, ``steps_per_epoch``, ``validation_steps``,
            ``validation_freq``) go to Keras's ``fit``, which then trains.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit_or_restore(
            X, y, sample_weight, validation_data=validation_data, callbacks=callbacks,
            for_call={**{k: v for k, v in (("epochs", epochs), ("batch_size", batch_size),
                                           ("verbose", verbose)) if v is not None},
                      **fit_params})

    def initialize(self, X, y):
        """Set the estimator up from X and y without training it (scikeras's ``initialize``).

        It learns from the data what ``fit`` learns (classes, how X maps to the model's
        inputs, feature names) and builds the model, so that ``predict`` works: a
        ``keras.Model`` given as ``model`` (one loaded with ``keras.saving.load_model``)
        keeps its trained weights, in a copy; a builder's model or the built-in network
        starts from its initial weights.  ``history_`` is empty and ``n_iter_`` 0; a later
        ``fit`` trains from scratch, or on from these weights with ``warm_start=True``.

        Parameters
        ----------
        X : array-like, dict or list of arrays
            Samples, as ``fit`` takes them.
        y : array-like or dict
            Targets, as ``fit`` takes them.

        Returns
        -------
        self : object
            The estimator, ready to predict.
        """
        return self._fit_or_restore(X, y, None, for_call={}, training=False)

    def _partial_fit(self, X, y, sample_weight, classes=None):
        return self._fit_or_restore(X, y, sample_weight, for_call={"epochs": 1},
                                    incremental=True, classes=classes)

    def _fit_or_restore(self, X, y, sample_weight, *, for_call, validation_data=None,
                        callbacks=None, incremental=False, classes=None, training=True):
        settings, keras_fit_kwargs = self._call_settings(for_call)
        saved = {k: v for k, v in vars(self).items() if k.endswith("_")}
        # A warm fit trains the fitted model in place: keep its weights and optimizer state.
        warm = model_state.snapshot(vars(self)["model_"]) if self._continues(incremental) else None
        # This call's settings are the parameters while it runs, and only then.
        parameters = {k: getattr(self, k) for k in settings}
        vars(self).update(settings)
        try:
            self._fit(X, y, sample_weight, incremental, classes, validation_data, callbacks,
                      keras_fit_kwargs, training)
        except BaseException:
            # A failed fit leaves a fitted estimator exactly as it was.
            for key in [k for k in vars(self) if k.endswith("_")]:
                vars(self).pop(key)
            vars(self).update(saved)
            if warm is not None:
                model_state.restore(vars(self)["model_"], warm)
            raise
        finally:
            vars(self).update(parameters)
        return self

    def _call_settings(self, for_call):
        """``fit``'s arguments for one call, checked: those named as a constructor parameter
        (the settings for the call, None included: ``validation_split=None`` turns the
        parameter off), and Keras ``fit`` arguments that are not (passed on unless None)."""
        given = dict(for_call)
        name = type(self).__name__
        unknown = sorted(set(given) - _KERAS_FIT_ARGUMENTS)
        if unknown:
            raise TypeError(
                f"{name}.fit() got unexpected keyword arguments {unknown}; besides X, y, "
                "sample_weight, validation_data and callbacks it takes Keras's Model.fit "
                f"arguments: {', '.join(sorted(_KERAS_FIT_ARGUMENTS))}.")
        init = set(self._init_param_names())
        if given.get("class_weight") is not None and "class_weight" not in init:
            raise TypeError(f"{name}.fit() got class_weight, but {name} has no classes: "
                            "weigh rows with sample_weight.")
        settings = {k: v for k, v in given.items() if k in init}
        validate_parameters({k: self._parameter_constraints[k] for k in settings}, settings,
                            caller_name=f"{name}.fit")
        return settings, {k: v for k, v in given.items() if k not in init and v is not None}

    def _continues(self, incremental=False):
        return (incremental or bool(self.warm_start)) and "model_" in vars(self)

    def _fit(self, X, y, sample_weight, incremental, classes, validation_data, fit_callbacks,
             keras_fit_kwargs, training=True):
        validate_parameters(self._parameter_constraints, self.get_params(deep=False),
                            caller_name=type(self).__name__)
        self._check_settings()
        reset = not self._continues(incremental)
        dtypes = getattr(X, "dtypes", None)
        if reset:
            y, y_names = y_by_name(y)
            self.y_names_ = y_names
        else:
            y, y_names = self._y_in_fitted_order(y), self.y_names_
        X, y = self._check_data(X, y, reset=reset)
        y_model, meta = self._validate_target(y, reset, classes)
        weights = self._fit_target_weights(y, check_sample_weight(sample_weight, n_rows(X)))
        if weights is not None and not weights.any():
            raise ValueError("Every row has weight 0 (sample_weight times class_weight): there "
                             "is nothing to learn from.")
        if reset:
            meta.update(self._learn_inputs(X, dtypes, weights))
            # scikeras's names for the data fit was given.
            meta.update(X_shape_=_with_rows(meta["X_shape_"], n_rows(X)), y_dtype_=y.dtype,
                        y_ndim_=y.ndim)
            if hasattr(type(self), "feature_encoder"):
                meta["feature_encoder_"] = self.feature_encoder_
            meta["n_outputs_expected_"] = len(dict.fromkeys(y_names)) if y_names else \
                meta.get("n_outputs_expected_", 1)
        # partial_fit trains on what it is given, as scikit-learn's MLP: no validation split.
        stop_early = training and not incremental and self._early_stopping_on(n_rows(X))
        train, validation = ((X, y_model, weights), None) if incremental or not training \
            else self._split_validation(X, y_model, weights, validation_data, stop_early)
        seed = draw_seed(self.random_state)
        if self.memory_growth:
            ensure_memory_growth()
        devices = resolve_device(self.device)
        # A warm fit trains where the model lives (a mirrored model in its own strategy).
        scope = device_scope(devices) if reset else device_scope(devices, vars(self)["model_"])
        callbacks = self._make_callbacks(fit_callbacks, stop_early and validation is not None)
        fit_kwargs = self._keras_fit_kwargs(keras_fit_kwargs, validation)
        with seeded(None if self.random_state is None else seed), scope:
            if reset:
                with seeded_streams(None if self.random_state is None else seed):
                    model = self._build(meta, seed, train)
                if not training and isinstance(self.model, keras.Model):
                    model.set_weights(self.model.get_weights())  # initialize: as trained
                self._bind_inputs(model)
                self._plan_heads(model, y_model, y_names)
            else:
                model = vars(self)["model_"]
            history = {} if not training else engine.train(
                model,
                self._model_inputs(train[0]),
                self._head_targets(train[1]),
                sample_weight=self._per_output(model, rescaled(train[2])),
                validation_data=validation and self._validation_for(model, validation),
                epochs=int(self.epochs),
                batch_size=_rows_per_batch(self.batch_size, n_rows(train[0])),
                shuffle=bool(self.shuffle),
                seed=seed,
                callbacks=callbacks,
                verbose=self.verbose,
                fit_kwargs=fit_kwargs,
            )
        self.device_ = weights_device(model, devices)
        self.model_ = model
        self._restore_predictor()
        self._record(_per_epoch(history, fit_kwargs.get("validation_freq", 1)),
                     extend=not reset, restored=_restored_epoch(callbacks))
        return self

    def _keras_fit_kwargs(self, given, validation):
        """Arguments for Keras's ``fit`` (any makes it train): routed ``fit__*`` ones, this
        call's, and ``validation_batch_size`` where there is ``validation`` data."""
        kwargs = {**routed(self._extra_params, "fit"), **given}
        if validation is not None and self.validation_batch_size is not None:
            kwargs.setdefault("validation_batch_size", _rows_per_batch(
                self.validation_batch_size, n_rows(validation[0])))
        return kwargs

    def _record(self, history, extend, restored=None):
        """Set ``history_``, ``n_iter_`` and ``best_epoch_``; a continued fit extends them.

        ``restored``: the epoch (0-based, of this fit) whose weights an EarlyStopping
        restored, which is the best epoch by its own rule (``min_delta``, ``baseline``).
        """
        n_before = self.n_iter_ if extend else 0
        history = {k: [to_python(v) for v in values] for k, values in history.items()}
        if extend:
            # Epochs stay aligned: a metric missing from one part is NaN for its epochs.
            before, after = self.history_, history
            n_before, n_after = self.n_iter_, len(after.get("loss", []))
            history = {k: before.get(k, [math.nan] * n_before) + after.get(k, [math.nan] * n_after)
                       for k in {**before, **after}}
        self.history_ = history
        self.n_iter_ = len(history.get("loss", []))
        if restored is not None:
            self.best_epoch_ = n_before + restored + 1
        elif "val_loss" in history:
            self.best_epoch_ = int(np.nanargmin(history["val_loss"])) + 1
        elif hasattr(self, "best_epoch_"):
            del self.best_epoch_

    def _split_validation(self, X, y, weights, validation_data, stop_early):
        """``(train, validation)`` triples (X, y, sample_weight); validation may be None."""
        if validation_data is not None:
            return (X, y, weights), self._check_validation_data(validation_data)
        index = np.arange(n_rows(X))
        if self.validation_split is not None:
            train, valid = _last_rows_split(index, self.validation_split)
        elif not stop_early:
            return (X, y, weights), None
        else:
            # Stratified for classifiers, so every class is validated (not multilabel).
            stratify = y if is_classifier(self) and y.ndim == 1 else None
            train, valid = train_test_split(index, test_size=self.validation_fraction,
                                            random_state=draw_seed(self.random_state),
                                            stratify=stratify)
        take = (lambda rows: None) if weights is None else (lambda rows: weights[rows])
        return ((take_rows(X, train), y[train], take(train)),
                (take_rows(X, valid), y[valid], take(valid)))

    def _early_stopping_on(self, n_samples):
        # "auto": as scikit-learn's HistGradientBoosting*, on above 10,000 rows, where a 10%
        # validation split costs little and a fixed number of epochs is most likely to
        # overfit or stop short.
        if isinstance(self.early_stopping, str):
            return n_samples > 10_000
        return bool(self.early_stopping)

    def _check_validation_data(self, validation_data):
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            raise ValueError(
                "validation_data must be a tuple (X_val, y_val) or (X_val, y_val, "
                f"sample_weight_val); got {type(validation_data).__name__}."
            )
        X_val, y_val, *rest = validation_data
        y_val = self._y_in_fitted_order(y_val)
        X_val, y_val = self._check_data(X_val, y_val, reset=False)
        y_val, _ = self._validate_target(y_val, reset=False)
        weights = check_sample_weight(rest[0], n_rows(X_val)) if rest else None
        return X_val, y_val, weights

    def _y_in_fitted_order(self, y):
        """y with its columns in the order of the first fit's, when y is keyed by names."""
        return in_fitted_order(*y_by_name(y), getattr(self, "y_names_", None),
                               type(self).__name__)

    def _validation_for(self, model, validation):
        X_val, y_val, weights = validation
        data = (self._model_inputs(X_val), self._head_targets(y_val))
        return data if weights is None else \
            (*data, self._per_output(model, rescaled(weights)))

    @staticmethod
    def _per_output(model, weights):
        # One weight vector per head.
        if weights is None or len(model.outputs) == 1:
            return weights
        return [weights] * len(model.outputs)

    # ------------------------------------------------------------------ building

    def _build(self, meta, seed, train):
        with dtype_policy(self.mixed_precision), fresh_keras_names():
            return self._build_and_compile(meta, seed, train)

    def _build_and_compile(self, meta, seed, train):
        # Made when asked for: a builder that compiles its own model needs no optimizer
        # from the estimator's parameters (each costs a fit a few milliseconds).
        special = LazyValues(meta=lambda: meta,
                             compile_kwargs=lambda: self._compile_kwargs(meta),
                             params=lambda: self.get_params(),
                             X=lambda: train[0], y=lambda: self._builder_y(train[1]))
        builder = self._builder()
        if isinstance(self.model, keras.Model):
            model = clone_prebuilt(self.model)
        elif builder is None:
            model = self._default_network(meta, seed, train[0], special["y"], train[2])
        else:
            defaults = {name: p.default for name, p in
                        inspect.signature(type(self).__init__).parameters.items()}
            arguments = builder_arguments(builder, self.get_params(), defaults,
                                          self._extra_param_names(), special)
            model = call_builder(builder, arguments)
        if not getattr(model, "compiled", False):
            model.compile(**self._compile_for(model, special["compile_kwargs"]))
        elif self.run_eagerly:  # a model the builder compiled
            model.jit_compile, model.run_eagerly = False, True
        return model

    def _compile_kwargs(self, meta):
        metrics = instantiate(self.metrics, routed(self._extra_params, "metrics"), "metrics") \
            if self.metrics is not None else []
        # Keras takes a list of metrics, or a dict of lists by output name.
        if isinstance(metrics, dict):
            metrics = {k: list(v) if isinstance(v, (list, tuple)) else [v]
                       for k, v in metrics.items()}
        elif not isinstance(metrics, (list, tuple)):
            metrics = [metrics]
        # Keras runs eagerly only without XLA (it would turn jit_compile off, warning).
        jit_compile = False if self.run_eagerly else keras_jit_compile(self.jit_compile)
        kwargs = {"optimizer": self._make_optimizer(), "loss": self._make_loss(meta),
                  "metrics": metrics, "jit_compile": jit_compile}
        if self.run_eagerly:
            kwargs["run_eagerly"] = True
        if self.loss_weights is not None:
            kwargs["loss_weights"] = to_python(self.loss_weights)
        return kwargs

    def _compile_for(self, model, compile_kwargs):
        """Compile arguments fitted to the model's heads (the same loss for each head,
        unless the loss is given per head)."""
        n_heads = len(model.outputs)
        if n_heads == 1 or isinstance(compile_kwargs["loss"], (dict, list)):
            return compile_kwargs
        metrics = compile_kwargs["metrics"]
        return {**compile_kwargs,
                "loss": [compile_kwargs["loss"]] * n_heads,
                "metrics": metrics if isinstance(metrics, dict)
                else [metrics] + [[]] * (n_heads - 1)}

    def _make_optimizer(self):
        kwargs = routed(self._extra_params, "optimizer")
        if self.learning_rate is not None:
            kwargs["learning_rate"] = to_python(self.learning_rate)
        return make_optimizer(self.optimizer, kwargs)

    def _make_loss(self, meta):
        loss = self.loss if self.loss is not None else self._default_loss(meta)
        return make_loss(loss, routed(self._extra_params, "loss"))

    def _make_callbacks(self, fit_callbacks, stop_early):
        """Fresh callbacks for one fit: clones and search candidates never share state."""
        callbacks = []
        for given, routes, where in (
                (self.callbacks, routed(self._extra_params, "callbacks"), "callbacks"),
                (fit_callbacks, {}, "fit callbacks")):
            if given is not None:
                _flat_callbacks(given, where)  # checked as given, before anything is made
                callbacks += _flat_callbacks(instantiate(given, routes, where), where)
        if stop_early:
            callbacks.append(keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=int(self.n_iter_no_change),
                min_delta=float(self.tol), restore_best_weights=True,
            ))
        return callbacks

    # ------------------------------------------------------------------ predict

    def __sklearn_is_fitted__(self):
        return "model_" in vars(self)

    @property
    def model_(self):
        """The trained Keras model, with its optimizer's state (see Attributes)."""
        try:
            model = vars(self)["model_"]
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute 'model_'") from None
        # A fit leaves the optimizer's slot variables pending (writing them costs a search
        # ~10 ms a fit); the model a user is handed has them, so model_.save() keeps them.
        # skdeep's own code reads vars(self)["model_"] and pays nothing.
        model_state.settle(model)
        return model

    @model_.setter
    def model_(self, model):
        vars(self)["model_"] = model

    @model_.deleter
    def model_(self):
        vars(self).pop("model_")

    def _check_is_fitted(self):
        try:
            check_is_fitted(self)
        except _SklearnNotFittedError as error:
            raise NotFittedError(str(error)) from None

    def _head_outputs(self, X, predict_params=None):
        """Each head's output for X, float64 arrays of shape (n_samples, n_units);
        ``predict_params``: the keyword arguments of the ``predict`` call."""
        self._check_is_fitted()
        if predict_params:
            problems = _predict_problems(predict_params, prefix="")
            if problems:  # an unknown argument is a TypeError, as Python's own
                error = TypeError if set(predict_params) - set(_PREDICT_ARGUMENTS) \
                    else ValueError
                raise error(f"{type(self).__name__}: " + " ".join(problems))
        X = self._check_predict_X(X)
        # An attribute read, not get_params(): predict on one row must stay well under 1 ms.
        batch_size = (predict_params or {}).get(
            "batch_size", self._extra_params.get("predict__batch_size", 8192))
        batch_size = 8192 if batch_size is None else _rows_per_batch(batch_size, n_rows(X))
        with device_scope(primary(self.device_)):
            output = self._predictor(self._model_inputs(X), batch_size=batch_size)
        if isinstance(output, dict):
            output = [output[name] for name in vars(self)["model_"].output_names]
        outputs = output if isinstance(output, (list, tuple)) else [output]
        n = n_rows(X)
        outputs = [np.asarray(o, dtype=np.float64).reshape(n, -1) for o in outputs]
        if not all(np.isfinite(o).all() for o in outputs):
            finite = np.all([np.isfinite(o).all(axis=1) for o in outputs], axis=0)
            rows = np.flatnonzero(~finite)
            raise ValueError(
                f"The network's output is NaN or infinite for {len(rows)} of {n} "
                f"rows (the first: {rows[:5].tolist()}): X holds values far outside the "
                "range it was trained on, or a custom model computes something undefined."
            )
        return outputs

    def _check_predict_X(self, X):
        """``_check_data``'s X for predict, sooner for a plain float array of the fitted shape.

        Predicting one row should take no longer than in scikit-learn's MLP (0.2 ms), and
        scikit-learn's generic validation alone takes 0.1 ms; on such an array it only
        converts to float32 (:func:`~skdeep.inputs.plain_float_rows`).
        """
        if self.inputs is None and not hasattr(self, "feature_names_in_") and \
                not hasattr(self, "feature_encoder_"):
            rows = plain_float_rows(X, self.input_layout_)
            if rows is not None:
                return rows
        return self._check_data(X, _NO_Y, reset=False)

    # ------------------------------------------------------------------ persistence

    def __getstate__(self):
        # The traced predict function is rebuilt on load.  Keras pickles its objects (the
        # model, a loss given as a parameter) as .keras archives, and cannot find a user's
        # unregistered class (a Loss or Layer subclass) again when loading them: the first
        # entry of the state names them by import path, and makes them known to Keras
        # before the entries that need them are unpickled.
        from .persistence import custom_objects

        if "model_" in vars(self):
            model_state.settle(vars(self)["model_"])  # the optimizer state goes with the model
        state = {"_custom_objects": _CustomObjects(custom_objects(self)), **self.__dict__}
        state.pop("_predictor", None)
        return state

    def __setstate__(self, state):
        state = dict(state)
        _forget_custom_objects(state.pop("_custom_objects", {}))
        self.__dict__.update(state)
        if "model_" in state:
            self._restore_predictor()

    def _restore_predictor(self):
        # A model fitted on a GPU also serves on a machine without one.
        self.device_ = available_device(self.device_)
        self._predictor = engine.Predictor(
            vars(self)["model_"], self._model_inputs(self.input_layout_.example()))

    def save(self, path):
        """Save the fitted estimator to one file; :func:`skdeep.load` reads it back.

        The file holds the Keras model in Keras's ``.keras`` format and the scikit-learn side
        (parameters, classes, encoders, feature names, history, a format version) as JSON:
        data only, no pickle.  Predictions after loading equal these, bit for bit.

        Parameters
        ----------
        path : str or path-like
            Where to write (conventionally ending in ``.skdeep``).
        """
        from .persistence import save

        save(self, path)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.non_deterministic = False
        return tags


_NO_Y = object()  # predict: there is no y to check
# Keras's Model.predict arguments that predict takes (predict__* routes the same names).
_PREDICT_ARGUMENTS = ("batch_size", "verbose")

# Keras's Model.fit arguments that fit() takes for one call (besides its data and callbacks).
_KERAS_FIT_ARGUMENTS = frozenset(inspect.signature(keras.Model.fit).parameters) - {
    "self", "x", "y", "sample_weight", "validation_data", "callbacks"}


class _CustomObjects(dict):
    """Registered name -> import path of the user's Keras classes in a pickled estimator.

    Unpickling it registers them with Keras (until the estimator's ``__setstate__``)."""

    def __reduce__(self):
        return _register_custom_objects, (dict(self),)


def _register_custom_objects(paths):
    from .persistence import imported

    objects = imported(paths)
    registry = keras.saving.get_custom_objects()
    added = {name: obj for name, obj in objects.items() if name not in registry}
    registry.update(added)
    return added


def _forget_custom_objects(added):
    registry = keras.saving.get_custom_objects()
    for name, obj in added.items():
        if registry.get(name) is obj:
            del registry[name]


def _per_epoch(history, validation_freq):
    """Keras's history with one entry per epoch in every list: with ``validation_freq``,
    Keras lists ``val_*`` for the validated epochs only; the others get NaN."""
    n = len(history.get("loss", []))
    validated = [e for e in range(1, n + 1) if (e % validation_freq == 0 if isinstance(
        validation_freq, Integral) else e in validation_freq)]
    aligned = {}
    for key, values in history.items():
        if len(values) == len(validated) < n:
            filled = dict(zip(validated, values))
            values = [filled.get(e, math.nan) for e in range(1, n + 1)]
        aligned[key] = values
    return aligned


def _restored_epoch(callbacks):
    """The epoch whose weights the fit ended with, if an EarlyStopping restored them (the
    last one to restore wins, as its ``on_train_end`` runs last); else None."""
    for callback in reversed(callbacks):
        if isinstance(callback, keras.callbacks.EarlyStopping) and \
                callback.restore_best_weights and callback.best_weights is not None:
            return int(callback.best_epoch)
    return None


def _keep_declared_routes(cls):
    """Let ``cls.__init__`` declare routed parameters (``optimizer__learning_rate=0.001``,
    as scikeras's subclasses do) without storing them itself: they are kept with the
    builder's and routed ones, where routing, ``get_params`` and ``clone`` find them."""
    init = cls.__dict__["__init__"]
    declared = inspect.signature(init)
    routes = [name for name in declared.parameters if "__" in name]
    if not routes:
        return

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        bound = declared.bind(self, *args, **kwargs)
        bound.apply_defaults()
        init(self, *args, **kwargs)
        self._extra_params = {**self._extra_params,
                              **{name: bound.arguments[name] for name in routes}}

    __init__._declared_signature = declared
    cls.__init__ = __init__


def _flat_callbacks(callbacks, where):
    """A list of callbacks from one, a list or a dict of them (a dict's values may be
    lists, as in scikeras); anything else is a TypeError naming it."""
    if callbacks is None:
        return []
    if isinstance(callbacks, dict):
        callbacks = list(callbacks.values())
    if not isinstance(callbacks, (list, tuple)):
        callbacks = [callbacks]
    flat = [c for item in callbacks
            for c in (item if isinstance(item, (list, tuple)) else [item])]
    wrong = [c for c in flat if not isinstance(c, keras.callbacks.Callback) and not (
        isinstance(c, type) and issubclass(c, keras.callbacks.Callback))]
    if wrong:
        raise TypeError(f"The {where} must be Keras callbacks (keras.callbacks.Callback "
                        f"instances or classes). Got {wrong[0]!r} instead.")
    return flat


def _builder_of(model):
    """A ``model`` parameter's builder: None for the built-in network or a prebuilt model."""
    return None if model is None or isinstance(model, keras.Model) else model


def _with_rows(shape, n_rows):
    """An input shape (or a list or dict of them) with ``n_rows`` first."""
    if isinstance(shape, dict):
        return {name: _with_rows(each, n_rows) for name, each in shape.items()}
    if isinstance(shape, list):
        return [_with_rows(each, n_rows) for each in shape]
    return (n_rows, *shape[1:])


def _rows_per_batch(batch_size, n_rows):
    """A ``batch_size`` parameter as rows: -1 is every row (scikeras), None Keras's 32."""
    if batch_size is None:
        return 32
    return max(n_rows, 1) if batch_size == -1 else int(batch_size)


def _last_rows_split(index, fraction):
    """Keras's ``validation_split``: the last ``fraction`` of the rows validate."""
    split_at = int(math.floor(len(index) * (1.0 - fraction)))
    if split_at in (0, len(index)):
        left = "no rows to train on" if split_at == 0 else "no rows to validate on"
        raise ValueError(f"validation_split={fraction} leaves {left} out of {len(index)}: "
                         "choose a fraction that splits them.")
    return index[:split_at], index[split_at:]


def _predict_problems(kwargs, prefix="predict__"):
    """Problems with ``predict__*`` parameters (found at fit rather than at predict), or
    with a ``predict`` call's keyword arguments (``prefix=""``)."""
    problems = [
        f"{prefix}{key}: predict takes only {prefix}batch_size and {prefix}verbose (its "
        "forward pass is skdeep's, not keras Model.predict's, and prints nothing)."
        for key in sorted(kwargs) if key not in _PREDICT_ARGUMENTS
    ]
    size = kwargs.get("batch_size", 1)
    if size is not None and (isinstance(size, bool) or not isinstance(size, Integral)
                             or (size < 1 and size != -1)):
        problems.append(f"{prefix}batch_size must be an int >= 1, -1 (every row in one "
                        f"batch) or None. Got {size!r} instead.")
    return problems
