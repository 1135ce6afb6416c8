"""The base every skdeep estimator shares: the order of a fit, and predict's forward pass.

A fit reads as its steps: resolve the call's settings (:mod:`skdeep._settings`), check X
and learn the input layout (the input strategy: :class:`~skdeep.inputs.ArrayInputs`, or
Wide & Deep's :class:`~skdeep.tabular.TabularInputs`), learn the target (the target
strategy: :class:`~skdeep.numeric_targets.NumericTargets` or
:class:`~skdeep.label_targets.LabelTargets`), split off the validation rows
(:mod:`skdeep._fit_plan`), learn from the training rows how they feed the model, assemble
the model (:mod:`skdeep._network`), train it (:mod:`skdeep.engine`), and record what was
learned in one step.  Parameters and the scikit-learn protocol live in
:mod:`skdeep._params`, saving and pickling in :mod:`skdeep.persistence`.
"""

import keras
import numpy as np
from sklearn.exceptions import NotFittedError as _SklearnNotFittedError
from sklearn.utils.validation import check_is_fitted

from . import engine, persistence
from ._fit_plan import (
    Rollback,
    keras_fit_kwargs,
    make_callbacks,
    recorded_history,
    split_validation,
    stops_early,
    unpacked_validation_data,
)
from ._network import assemble
from ._params import ParamsBase
from ._settings import (
    PARAMETER_CONSTRAINTS,
    check_predict_params,
    predict_batch_size,
    resolve_fit_call,
    rows_per_batch,
)
from .device import available_device, device_scope, primary, resolve_device, weights_device
from .engine import state as model_state
from .exceptions import NotFittedError
from .inputs import ArrayInputs, n_rows
from .runtime import ensure_memory_growth, prepare_runtime
from .scikeras_hooks import custom_score
from .seeding import draw_seed, seeded, seeded_streams
from .targets import in_fitted_order, y_by_name
from .validation import check_sample_weight
from .weighting import rescaled


@persistence.loadable
class BaseDeepEstimator(ParamsBase):
    """Base class of skdeep estimators.  Not for direct use: see DeepRegressor, DeepClassifier."""

    _parameter_constraints = PARAMETER_CONSTRAINTS
    # The input strategy (how X feeds the model); the target strategy is _targets().
    _inputs = ArrayInputs
    # The parameters that are optimizers, by the route of their arguments.
    _optimizer_routes = ("optimizer",)

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

    def _targets(self):
        """The target strategy: what the model learns from y."""
        # Reached by a class derived from this base directly, as scikeras's BaseWrapper is.
        raise NotImplementedError(
            f"{type(self).__name__} derives from BaseDeepEstimator, which knows no task: derive "
            "from DeepRegressor (an autoencoder is a DeepRegressor fitted with y=X) or "
            "DeepClassifier. scikeras's BaseWrapper has no skdeep twin (docs/migrating.md).")

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
            Override the constructor's values for this call only (as Keras ``fit`` takes
            them); the parameters themselves are not changed.
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
        for_call = {k: v for k, v in (("epochs", epochs), ("batch_size", batch_size),
                                      ("verbose", verbose)) if v is not None}
        return self._fit_or_restore(X, y, sample_weight, {**for_call, **fit_params},
                                    validation_data=validation_data, callbacks=callbacks)

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
        return self._fit_or_restore(X, y, None, {}, training=False)

    def _partial_fit(self, X, y, sample_weight, classes=None):
        return self._fit_or_restore(X, y, sample_weight, {"epochs": 1}, incremental=True,
                                    classes=classes)

    def _fit_or_restore(self, X, y, sample_weight, for_call, *, validation_data=None,
                        callbacks=None, incremental=False, classes=None, training=True):
        prepare_runtime()  # before the settings checks, which make Keras objects
        call = resolve_fit_call(self, for_call)
        reset = not self._continues(incremental)
        rollback = Rollback(self, warm=not reset)
        try:
            self._fit(call, X, y, sample_weight, reset, incremental, classes, validation_data,
                      callbacks, training)
        except BaseException:
            rollback.restore()
            raise
        return self

    def _continues(self, incremental=False):
        return (incremental or bool(self.warm_start)) and "model_" in vars(self)

    def _fit(self, call, X, y, sample_weight, reset, incremental, classes, validation_data,
             fit_callbacks, training):
        # What each step learns is set at once, for the next steps (and a scikeras builder
        # hook, which reads n_features_in_ or classes_ from the estimator) to read; a
        # failure rolls all of it back (_fit_or_restore).
        inputs, targets, fitted = self._inputs(self), self._targets(), vars(self)
        dtypes = getattr(X, "dtypes", None)
        if reset:
            y, self.y_names_ = y_by_name(y)
        else:
            y = self._y_in_fitted_order(y)
        X, y = inputs.check(X, y, reset=reset)
        y_model, learned = targets.validate(y, None if reset else fitted, classes)
        fitted.update(learned)
        weights = targets.row_weights(y, check_sample_weight(sample_weight, n_rows(X)),
                                      call.params)
        if weights is not None and not weights.any():
            raise ValueError("Every row has weight 0 (sample_weight times class_weight): there "
                             "is nothing to learn from.")
        # partial_fit trains on what it is given, as scikit-learn's MLP: no validation split.
        validates = training and not incremental
        stop_early = validates and stops_early(call.early_stopping, n_rows(X))
        train, validation = (X, y_model, weights), None
        if validates and validation_data is not None:
            validation = self._check_validation_data(validation_data, inputs, targets)
        elif validates:
            train, validation = split_validation(X, y_model, weights, call, stop_early,
                                                 targets.stratify(y_model))
        seed = draw_seed(call.random_state)
        if reset:  # learned from the training rows only
            learned, input_meta = inputs.learn(train[0], dtypes, train[2])
            fitted.update(learned)
            meta = self._meta(input_meta, targets.meta(y_model, fitted), X, y)
        if call.memory_growth:
            ensure_memory_growth()
        devices = resolve_device(call.device)
        # A warm fit trains where the model lives (a mirrored model in its own strategy).
        scope = device_scope(devices, None if reset else fitted["model_"])
        callbacks = make_callbacks(call, self._extra_params, fit_callbacks,
                                   stop_early and validation is not None)
        fit_kwargs = keras_fit_kwargs(call, self._extra_params, validation)
        seeded_fit = None if call.random_state is None else seed
        with seeded(seeded_fit), scope:
            if reset:
                with seeded_streams(seeded_fit):
                    model = assemble(self, call, meta, seed, train, inputs, targets, fitted)
                if not training and isinstance(call.model, keras.Model):
                    model.set_weights(call.model.get_weights())  # initialize: as trained
                inputs.bind(model)
                fitted.update(targets.plan_heads(model, y_model, self.y_names_, fitted))
            else:
                model = fitted["model_"]
            history = {} if not training else engine.train(
                model, inputs.feed(train[0]), targets.head_targets(train[1], fitted),
                sample_weight=_per_output(model, rescaled(train[2])),
                validation_data=validation and self._validation_for(
                    model, validation, inputs, targets),
                epochs=int(call.epochs),
                batch_size=rows_per_batch(call.batch_size, n_rows(train[0])),
                shuffle=bool(call.shuffle), seed=seed, callbacks=callbacks,
                verbose=call.verbose, fit_kwargs=fit_kwargs)
        recorded = recorded_history(history, callbacks, fit_kwargs.get("validation_freq", 1),
                                    before=None if reset else self.history_)
        if recorded["best_epoch_"] is None:  # no best epoch: none from an earlier fit either
            del recorded["best_epoch_"]
            fitted.pop("best_epoch_", None)
        fitted.update(recorded, model_=model, device_=weights_device(model, devices))
        self._restore_predictor()

    def _meta(self, input_meta, target_meta, X, y):
        """What a builder's ``meta`` holds (scikeras's names, and skdeep's)."""
        meta = {"n_features_in_": self.n_features_in_, **target_meta, **input_meta}
        meta.update(X_shape_=_with_rows(meta["X_shape_"], n_rows(X)), y_dtype_=y.dtype,
                    y_ndim_=y.ndim)
        if hasattr(type(self), "feature_encoder"):
            meta["feature_encoder_"] = self.feature_encoder_
        meta["n_outputs_expected_"] = len(dict.fromkeys(self.y_names_)) if self.y_names_ \
            else meta.get("n_outputs_expected_", 1)
        return meta

    def _check_validation_data(self, validation_data, inputs, targets):
        X_val, y_val, weights = unpacked_validation_data(validation_data)
        X_val, y_val = inputs.check(X_val, self._y_in_fitted_order(y_val), reset=False)
        y_val, _ = targets.validate(y_val, vars(self))
        if weights is not None:
            weights = check_sample_weight(weights, n_rows(X_val))
        return X_val, y_val, weights

    def _y_in_fitted_order(self, y):
        """y with its columns in the order of the first fit's, when y is keyed by names."""
        return in_fitted_order(*y_by_name(y), getattr(self, "y_names_", None),
                               type(self).__name__)

    def _validation_for(self, model, validation, inputs, targets):
        X_val, y_val, weights = validation
        data = (inputs.feed(X_val), targets.head_targets(y_val, vars(self)))
        return data if weights is None else (*data, _per_output(model, rescaled(weights)))

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
        inputs = self._inputs(self)
        check_predict_params(self, predict_params)
        X = inputs.check_predict(X)
        n = n_rows(X)
        with device_scope(primary(self.device_)):
            output = self._predictor(inputs.feed(X),
                                     batch_size=predict_batch_size(self, predict_params, n))
        if isinstance(output, dict):
            output = [output[name] for name in vars(self)["model_"].output_names]
        outputs = output if isinstance(output, (list, tuple)) else [output]
        outputs = [np.asarray(o, dtype=np.float64).reshape(n, -1) for o in outputs]
        if not all(np.isfinite(o).all() for o in outputs):
            finite = np.all([np.isfinite(o).all(axis=1) for o in outputs], axis=0)
            rows = np.flatnonzero(~finite)
            raise ValueError(
                f"The network's output is NaN or infinite for {len(rows)} of {n} "
                f"rows (the first: {rows[:5].tolist()}): X holds values far outside the "
                "range it was trained on, or a custom model computes something undefined.")
        return outputs

    def _restore_predictor(self):
        prepare_runtime()
        # A model fitted on a GPU also serves on a machine without one.
        self.device_ = available_device(self.device_)
        inputs = self._inputs(self)
        self._predictor = engine.Predictor(vars(self)["model_"], inputs.feed(inputs.example()))

    def _score_with(self, X, y, sample_weight, score):
        """``score``: a scikeras subclass's ``scorer`` if it has one, else ``score`` of X, y
        in the fitted column order, and the weights."""
        self._check_is_fitted()
        custom = custom_score(self, X, y, sample_weight)
        if custom is not None:
            return custom
        return score(X, self._y_in_fitted_order(y), sample_weight)

    # ------------------------------------------------------------------ persistence

    def __getstate__(self):
        return persistence.pickle_state(self)

    def __setstate__(self, state):
        persistence.restore_pickled(self, state)

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
        persistence.save(self, path)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.non_deterministic = False
        return tags


# Pickles written before persistence had its own package name this function (unpickling
# one calls it): kept so that they still load.
_register_custom_objects = persistence.pickling.register_custom_objects


def _per_output(model, weights):
    # One weight vector per head.
    if weights is None or len(model.outputs) == 1:
        return weights
    return [weights] * len(model.outputs)


def _with_rows(shape, n_rows):
    """An input shape (or a list or dict of them) with ``n_rows`` first."""
    if isinstance(shape, dict):
        return {name: _with_rows(each, n_rows) for name, each in shape.items()}
    if isinstance(shape, list):
        return [_with_rows(each, n_rows) for each in shape]
    return (n_rows, *shape[1:])
