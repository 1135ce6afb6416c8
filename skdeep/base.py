"""The base every skdeep estimator shares: parameters, fitting, prediction and persistence.

Subclasses say only what differs: how targets are encoded, which built-in network and loss
they use, and how X becomes the model's inputs.
"""

import copy
import inspect
from numbers import Integral, Real

import keras
import numpy as np
import tensorflow as tf
from sklearn.base import BaseEstimator, is_classifier
from sklearn.exceptions import NotFittedError as _SklearnNotFittedError
from sklearn.model_selection import train_test_split
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
    validate_parameter_constraints,
)
from sklearn.utils.validation import check_is_fitted
from sklearn_compat.utils.validation import validate_data

from . import engine
from .builders import build_mlp
from .device import (
    DEVICE_HELP,
    available_device,
    device_scope,
    parse_device,
    primary,
    resolve_device,
    weights_device,
)
from .exceptions import BuilderError, NotFittedError
from .routing import (
    ROUTES,
    builder_arguments,
    builder_signature,
    check_extra_params,
    check_optimizer_arguments,
    routed,
    to_python,
)
from .runtime import cap_threads, dtype_policy, ensure_memory_growth
from .seeding import draw_seed, seeded
from .validation import check_sample_weight

# Cap TensorFlow's threads before its runtime starts where OMP_NUM_THREADS (which joblib and
# Dask set in their workers) or SKDEEP_NUM_THREADS asks for it.
cap_threads()

# Aliases Keras accepts as loss strings, mapped to their Loss classes (for ``loss__*`` kwargs).
_LOSS_ALIASES = {
    "mse": "MeanSquaredError",
    "mae": "MeanAbsoluteError",
    "mape": "MeanAbsolutePercentageError",
    "msle": "MeanSquaredLogarithmicError",
}


class BaseDeepEstimator(BaseEstimator):
    """Base class of skdeep estimators.  Not for direct use: see DeepRegressor, DeepClassifier."""

    # Prefixes of routed parameters (``optimizer__momentum``); subclasses may add their own.
    _routes = ROUTES

    def __init_subclass__(cls, **kwargs):
        """Give each subclass an ``__init__`` signature holding every parameter it takes.

        scikit-learn reads an estimator's parameters from its ``__init__`` signature.  A
        subclass (or a mixin left of it) declares only the parameters it adds or re-defaults
        and passes the rest on through ``**kwargs``; this merges the declarations along the
        MRO, the most derived first, so none repeats the base's.
        """
        super().__init_subclass__(**kwargs)
        if "__init__" not in cls.__dict__:
            def __init__(self, *args, **kwargs):
                super(cls, self).__init__(*args, **kwargs)

            cls.__init__ = __init__
        merged = {}
        for klass in cls.__mro__:
            init = klass.__dict__.get("__init__")
            if init is None or klass is object or klass is BaseEstimator:
                continue
            declared = getattr(init, "_declared_signature", None) or inspect.signature(init)
            init._declared_signature = declared
            for name, parameter in declared.parameters.items():
                merged.setdefault(name, parameter)
        if "args" in merged and merged["args"].kind is inspect.Parameter.VAR_POSITIONAL:
            del merged["args"]
        # self, model, then keyword-only parameters, **kwargs last.
        cls.__init__.__signature__ = inspect.Signature(sorted(merged.values(),
                                                              key=lambda p: p.kind))

    _parameter_constraints = {
        "model": [callable, None],
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "activation": [str, callable],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "batch_norm": ["boolean"],
        "l1": [Interval(Real, 0, None, closed="left")],
        "l2": [Interval(Real, 0, None, closed="left")],
        "optimizer": [str, type, HasMethods(["apply_gradients", "get_config"])],
        "learning_rate": [Interval(Real, 0, None, closed="neither"), None],
        "loss": [str, type, callable, None],
        "metrics": [list, tuple, None],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "callbacks": [list, tuple, dict, None],
        "device": [str, list, tuple],
        "memory_growth": ["boolean"],
        "mixed_precision": [StrOptions({"mixed_float16", "mixed_bfloat16"}), None],
        "jit_compile": ["boolean", StrOptions({"auto"})],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        model=None,
        *,
        hidden_layer_sizes=(100, 100),
        activation="relu",
        dropout=0.0,
        batch_norm=False,
        l1=0.0,
        l2=0.0,
        optimizer="adam",
        learning_rate=None,
        loss=None,
        metrics=None,
        batch_size=32,
        epochs=100,
        shuffle=True,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=20,
        tol=1e-4,
        callbacks=None,
        device="auto",
        memory_growth=False,
        mixed_precision=None,
        jit_compile=False,
        warm_start=False,
        random_state=None,
        verbose=0,
        **kwargs,
    ):
        self.model = model
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
        self.batch_norm = batch_norm
        self.l1 = l1
        self.l2 = l2
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.metrics = metrics
        self.batch_size = batch_size
        self.epochs = epochs
        self.shuffle = shuffle
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.callbacks = callbacks
        self.device = device
        self.memory_growth = memory_growth
        self.mixed_precision = mixed_precision
        self.jit_compile = jit_compile
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose
        # A builder's own parameters (scikeras's ``model__units`` or plain ``units``):
        # stored as attributes so that get_params, set_params and clone see them.
        vars(self).update(kwargs)

    # ------------------------------------------------------------------ parameters

    def _extra_param_names(self):
        init = set(self._get_param_names())
        return sorted(
            k for k in vars(self)
            if k not in init and not k.startswith("_") and not k.endswith("_")
        )

    def get_params(self, deep=True):
        """Get parameters, including a builder's own and routed (``model__*``, ...) ones."""
        params = super().get_params(deep=deep)
        params.update({k: getattr(self, k) for k in self._extra_param_names()})
        return params

    def set_params(self, **params):
        """Set parameters, including a builder's own and routed (``model__*``, ...) ones.

        Routed keys and the named arguments of the ``model`` builder are accepted even when
        they were not given to the constructor, so a search can tune them.
        """
        # A search may set a builder and that builder's arguments in one call.
        builder = params.get("model", self.model)
        builder_args = builder_signature(builder)[0] if callable(builder) else {}
        extra_ok = set(self._extra_param_names()) | set(builder_args)
        init = set(self._get_param_names())
        for key in list(params):
            if key not in init and (key.partition("__")[0] in self._routes or key in extra_ok):
                setattr(self, key, params.pop(key))
        return super().set_params(**params)

    def _check_settings(self):
        """Problems that a type constraint cannot express, all gathered in one error."""
        name = type(self).__name__
        problems = check_extra_params(self._extra_param_names(), self._get_param_names(),
                                      self.model, self._routes)
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
        if isinstance(self.loss, str):
            try:
                keras.losses.get(self.loss)
            except ValueError:
                problems.append(f"The 'loss' parameter of {name} must be a Keras loss name or "
                                f"object. Got {self.loss!r} instead.")
        for route, optimizer in self._optimizers().items():
            problems += check_optimizer_arguments(route, routed(vars(self), route), optimizer,
                                                  name)
        unknown_predict = set(routed(vars(self), "predict")) - {"batch_size"}
        if unknown_predict:
            problems.append(
                f"predict__{sorted(unknown_predict)[0]}: predict takes only "
                "predict__batch_size (it runs a traced function, not keras Model.predict)."
            )
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

    def _check_fit_overrides(self, overrides):
        given = {k: v for k, v in overrides.items() if v is not None and k != "validation_data"}
        constraints = {k: self._parameter_constraints[k] for k in given}
        validate_parameter_constraints(constraints, given, caller_name=f"{type(self).__name__}.fit")

    # ------------------------------------------------------------------ subclass hooks

    def _validate_target(self, y, reset):
        """Validate y; return the targets for the model and the meta entries they set."""
        raise NotImplementedError

    def _output_spec(self, meta):
        """Units and activation of the built-in network's output layer."""
        raise NotImplementedError

    def _default_network(self, meta, seed):
        """The built-in (uncompiled) network for the fitted data."""
        units, activation = self._output_spec(meta)
        return build_mlp(meta["n_features_in_"], units, output_activation=activation, seed=seed,
                         **self._network_params())

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
        }

    def _X_checks(self, X):
        """How ``validate_data`` checks X: the built-in MLP needs finite float32 numbers."""
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
        return {"dtype": np.float32}

    def _learn_inputs(self, X, dtypes):
        """Learn, in a fit from scratch, how X becomes the model's inputs (``dtypes``: a
        DataFrame's column dtypes, or None); return the entries it adds to ``meta``."""
        return {}

    def _model_inputs(self, X):
        """What the Keras model is called on, from validated X."""
        return X

    def _fit_target_weights(self, y, sample_weight):
        return sample_weight

    # ------------------------------------------------------------------ fit

    def fit(self, X, y, sample_weight=None, *, epochs=None, batch_size=None,
            validation_data=None, callbacks=None, verbose=None):
        """Fit the network to X and y.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights (non-negative); the caller's array is not modified.
        epochs, batch_size, verbose : int, default=None
            Override the constructor's values for this call only (as Keras ``fit`` takes them).
        validation_data : tuple (X_val, y_val) or (X_val, y_val, sample_weight_val)
            Validate on this data each epoch instead of a ``validation_fraction`` split.
        callbacks : list of keras.callbacks.Callback, default=None
            Added to the constructor's callbacks for this call (fresh copies are used).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        saved = {k: v for k, v in vars(self).items() if k.endswith("_")}
        # A warm fit trains the fitted model in place: keep its weights and optimizer state.
        warm = _model_state(self.model_) if self._continues() else None
        try:
            self._fit(X, y, sample_weight, epochs=epochs, batch_size=batch_size,
                      validation_data=validation_data, callbacks=callbacks, verbose=verbose)
        except BaseException:
            # A failed fit leaves a fitted estimator exactly as it was.
            for key in [k for k in vars(self) if k.endswith("_")]:
                delattr(self, key)
            vars(self).update(saved)
            if warm is not None:
                _restore_model_state(self.model_, warm)
            raise
        return self

    def _continues(self):
        return bool(self.warm_start) and hasattr(self, "model_")

    def _fit(self, X, y, sample_weight, **overrides):
        self._validate_params()
        self._check_fit_overrides(overrides)
        self._check_settings()
        reset = not self._continues()
        dtypes = getattr(X, "dtypes", None)
        X, y = validate_data(self, X, y, reset=reset, multi_output=True, y_numeric=False,
                             **self._X_checks(X))
        y_model, meta = self._validate_target(y, reset)
        if reset:
            meta.update(self._learn_inputs(X, dtypes))
        weights = self._fit_target_weights(y, check_sample_weight(sample_weight, X))
        train, validation = self._split_validation(X, y_model, weights, overrides)
        seed = draw_seed(self.random_state)
        if self.memory_growth:
            ensure_memory_growth()
        devices = resolve_device(self.device)
        # A warm fit trains where the model lives (a mirrored model in its own strategy).
        scope = device_scope(devices) if reset else device_scope(devices, self.model_)
        with seeded(None if self.random_state is None else seed), scope:
            model = self.model_ if not reset else self._build(meta, seed)
            history = engine.train(
                model,
                self._model_inputs(train[0]),
                self._per_output(model, train[1]),
                sample_weight=train[2],
                validation_data=validation and self._validation_for(model, validation),
                epochs=int(_pick(overrides["epochs"], self.epochs)),
                batch_size=int(_pick(overrides["batch_size"], self.batch_size)),
                shuffle=bool(self.shuffle),
                seed=seed,
                callbacks=self._make_callbacks(overrides["callbacks"], validation is not None),
                verbose=_pick(overrides["verbose"], self.verbose),
                fit_kwargs=routed(vars(self), "fit"),
            )
        self.device_ = weights_device(model, devices)
        with tf.device(primary(self.device_)):
            self._predictor = engine.Predictor(model, self._model_inputs(X[:1]))
        self.model_ = model
        self.history_ = {k: [to_python(v) for v in values] for k, values in history.items()}
        self.n_iter_ = len(self.history_.get("loss", []))
        if "val_loss" in self.history_:
            self.best_epoch_ = int(np.nanargmin(self.history_["val_loss"])) + 1
        elif hasattr(self, "best_epoch_"):
            del self.best_epoch_
        return self

    def _split_validation(self, X, y, weights, overrides):
        """``(train, validation)`` triples (X, y, sample_weight); validation may be None."""
        if overrides["validation_data"] is not None:
            return (X, y, weights), self._check_validation_data(overrides["validation_data"])
        if not self.early_stopping:
            return (X, y, weights), None
        # Stratified for classifiers, so every class is validated (multilabel: not stratified).
        stratify = y if is_classifier(self) and y.ndim == 1 else None
        index = np.arange(X.shape[0])
        train, valid = train_test_split(index, test_size=self.validation_fraction,
                                        random_state=draw_seed(self.random_state),
                                        stratify=stratify)
        take = (lambda rows: None) if weights is None else (lambda rows: weights[rows])
        return (X[train], y[train], take(train)), (X[valid], y[valid], take(valid))

    def _check_validation_data(self, validation_data):
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            raise ValueError(
                "validation_data must be a tuple (X_val, y_val) or (X_val, y_val, "
                f"sample_weight_val); got {type(validation_data).__name__}."
            )
        X_val, y_val, *rest = validation_data
        X_val, y_val = validate_data(self, X_val, y_val, reset=False, multi_output=True,
                                     **self._X_checks(X_val))
        y_val, _ = self._validate_target(y_val, reset=False)
        weights = check_sample_weight(rest[0], X_val) if rest else None
        return X_val, y_val, weights

    def _validation_for(self, model, validation):
        X_val, y_val, weights = validation
        data = (self._model_inputs(X_val), self._per_output(model, y_val))
        return data if weights is None else (*data, self._per_output(model, weights))

    @staticmethod
    def _per_output(model, values):
        # One target (or weight vector) per head: an auxiliary head learns the same y.
        if values is None or len(model.outputs) == 1:
            return values
        return [values] * len(model.outputs)

    # ------------------------------------------------------------------ building

    def _build(self, meta, seed):
        with dtype_policy(self.mixed_precision):
            return self._build_and_compile(meta, seed)

    def _build_and_compile(self, meta, seed):
        compile_kwargs = self._compile_kwargs(meta)
        if self.model is None:
            model = self._default_network(meta, seed)
        else:
            defaults = {name: p.default for name, p in
                        inspect.signature(type(self).__init__).parameters.items()}
            arguments = builder_arguments(
                self.model, self.get_params(), defaults, self._extra_param_names(),
                {"meta": meta, "compile_kwargs": compile_kwargs},
            )
            model = _call_builder(self.model, arguments)
        if not getattr(model, "compiled", False):
            model.compile(**self._compile_for(model, compile_kwargs))
        return model

    def _compile_kwargs(self, meta):
        metrics = [copy.deepcopy(m) for m in (self.metrics or [])]
        return {"optimizer": self._make_optimizer(), "loss": self._make_loss(meta),
                "metrics": metrics, "jit_compile": self.jit_compile}

    def _compile_for(self, model, compile_kwargs):
        """Compile arguments fitted to the model's heads (the same loss for each head)."""
        n_heads = len(model.outputs)
        if n_heads == 1:
            return compile_kwargs
        return {**compile_kwargs,
                "loss": [compile_kwargs["loss"]] * n_heads,
                "metrics": [compile_kwargs["metrics"]] + [[]] * (n_heads - 1)}

    def _make_optimizer(self):
        kwargs = routed(vars(self), "optimizer")
        if self.learning_rate is not None:
            kwargs["learning_rate"] = to_python(self.learning_rate)
        return make_optimizer(self.optimizer, kwargs)

    def _make_loss(self, meta):
        loss = self.loss if self.loss is not None else self._default_loss(meta)
        kwargs = routed(vars(self), "loss")
        if isinstance(loss, str) and kwargs:
            loss = _loss_class(loss)
        if isinstance(loss, type):
            return loss(**kwargs)
        if isinstance(loss, keras.losses.Loss) and kwargs:
            loss = _with_arguments(loss, kwargs)
        # A loss object holds no state, so fits may share it.
        return loss

    def _make_callbacks(self, fit_callbacks, validating):
        """Fresh callbacks for one fit: clones and search candidates never share state."""
        configured = self.callbacks or []
        items = configured.items() if isinstance(configured, dict) else enumerate(configured)
        routes = routed(vars(self), "callbacks")
        common = {k: v for k, v in routes.items() if "__" not in k}
        callbacks = []
        for key, callback in items:
            own = {k.partition("__")[2]: v for k, v in routes.items()
                   if k.partition("__")[0] == str(key) and "__" in k}
            if isinstance(callback, type):
                callbacks.append(callback(**{**common, **own}))
            else:
                callbacks.append(copy.deepcopy(callback))
        callbacks += [copy.deepcopy(c) for c in (fit_callbacks or [])]
        if self.early_stopping and validating:
            callbacks.append(keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=int(self.n_iter_no_change),
                min_delta=float(self.tol), restore_best_weights=True,
            ))
        return callbacks

    # ------------------------------------------------------------------ predict

    def _check_is_fitted(self):
        try:
            check_is_fitted(self, "model_")
        except _SklearnNotFittedError as error:
            raise NotFittedError(str(error)) from None

    def _network_output(self, X):
        """The main head's output for X, float64, shape (n_samples, n_units)."""
        self._check_is_fitted()
        X = validate_data(self, X, reset=False, **self._X_checks(X))
        # An attribute read, not get_params(): predict on one row must stay well under 1 ms.
        batch_size = int(getattr(self, "predict__batch_size", 8192))
        with tf.device(primary(self.device_)):
            output = self._predictor(self._model_inputs(X), batch_size=batch_size)
        if isinstance(output, (list, tuple)):
            output = output[0]
        output = np.asarray(output, dtype=np.float64).reshape(X.shape[0], -1)
        if not np.isfinite(output).all():
            rows = np.flatnonzero(~np.isfinite(output).all(axis=1))
            raise ValueError(
                f"The network's output is NaN or infinite for {len(rows)} of {len(output)} "
                f"rows (the first: {rows[:5].tolist()}): X holds values far outside the "
                "range it was trained on, or a custom model computes something undefined."
            )
        return output

    # ------------------------------------------------------------------ persistence

    def __getstate__(self):
        # The traced predict function is rebuilt on load; the Keras model pickles itself
        # (as a .keras archive in memory).
        state = self.__dict__.copy()
        state.pop("_predictor", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        if "model_" in state:
            self._restore_predictor()

    def _restore_predictor(self):
        # A model fitted on a GPU also serves on a machine without one.
        self.device_ = available_device(self.device_)
        example = np.zeros((1, self.n_features_in_), dtype=np.float32)
        with tf.device(primary(self.device_)):
            self._predictor = engine.Predictor(self.model_, self._model_inputs(example))

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


def _model_state(model):
    return [v.numpy() for v in model.weights], [v.numpy() for v in model.optimizer.variables]


def _restore_model_state(model, state):
    weights, optimizer_state = state
    for variables, values in ((model.weights, weights),
                              (model.optimizer.variables, optimizer_state)):
        for variable, value in zip(variables, values):
            variable.assign(value)


def make_optimizer(optimizer, kwargs):
    """A fresh Keras optimizer from a name, a class or an instance (copied), with ``kwargs``."""
    if isinstance(optimizer, str):
        optimizer = type(keras.optimizers.get(optimizer))
    if isinstance(optimizer, type):
        return optimizer(**kwargs)
    # An optimizer object: every fit gets a fresh copy, never the shared instance.
    return type(optimizer).from_config({**optimizer.get_config(), **kwargs})


def _pick(override, default):
    return default if override is None else override


def _loss_class(name):
    wanted = _LOSS_ALIASES.get(name.lower(), name).replace("_", "").lower()
    for attribute in dir(keras.losses):
        candidate = getattr(keras.losses, attribute)
        if (isinstance(candidate, type) and issubclass(candidate, keras.losses.Loss)
                and attribute.lower() == wanted):
            return candidate
    raise ValueError(
        f"loss={name!r} with loss__* arguments needs a Keras Loss class name (e.g. 'Huber', "
        "'MeanSquaredError')."
    )


def _with_arguments(loss, kwargs):
    """A copy of a loss object with some arguments changed (``loss__*`` parameters).

    Copied by hand: Keras copies and pickles losses through their config, which leaves some
    settings out (Huber's delta).
    """
    changed = object.__new__(type(loss))
    changed.__dict__.update(loss.__dict__)
    # Function-backed losses (Huber, MeanSquaredError, ...) keep their arguments in _fn_kwargs.
    fn_kwargs = changed._fn_kwargs = dict(getattr(loss, "_fn_kwargs", {}))
    for key, value in kwargs.items():
        if key in fn_kwargs:
            fn_kwargs[key] = value
        elif hasattr(loss, key):
            setattr(changed, key, value)
        else:
            raise ValueError(
                f"loss__{key}: the loss {type(loss).__name__} has no argument {key!r}."
            )
    return changed


def _call_builder(builder, arguments):
    name = getattr(builder, "__qualname__", repr(builder))
    try:
        model = builder(**arguments)
    except Exception as error:
        raise BuilderError(
            f"The model builder {name} raised {type(error).__name__}: {error} "
            f"(called with {sorted(arguments)})."
        ) from error
    if not isinstance(model, keras.Model):
        raise BuilderError(
            f"The model builder {name} returned {type(model).__name__}, not a keras.Model."
        )
    return model

