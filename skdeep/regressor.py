"""DeepRegressor: a Keras network as a scikit-learn regressor."""

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import accuracy_score, r2_score
from sklearn.utils.multiclass import type_of_target

from .base import BaseDeepEstimator
from .targets import check_head_classes, encode_classes, head_values, plan_heads


class DeepRegressor(RegressorMixin, BaseDeepEstimator):
    """A Keras neural network regressor with the scikit-learn API.

    Without ``model``, it trains a multi-layer perceptron built from the constructor's
    parameters; with ``model=builder``, the builder's ``keras.Model`` (scikeras style).
    Training runs in skdeep's in-graph engine (see :mod:`skdeep.engine`).

    Parameters
    ----------
    model : callable, keras.Model or None, default=None
        A builder returning a compiled or uncompiled ``keras.Model``.  Its named arguments are
        filled from estimator parameters given plainly (``hidden_layers=2``) or routed
        (``model__hidden_layers=2``), plus ``meta`` (a dict with ``n_features_in_``,
        ``X_shape_``, ``X_dtype_``, ``input_names_``, ``n_outputs_``,
        ``n_outputs_expected_``, ``target_type_``, ...), ``compile_kwargs`` (``optimizer``,
        ``loss``, ``metrics``) and, for Keras 3's wrapper builders ``fn(X, y, **kwargs)``,
        the training ``X`` and ``y``.  A ``keras.Model`` instance is cloned with fresh
        weights for every fit (the instance itself is never trained) and keeps its
        compilation if it has one.  An uncompiled model is compiled with ``optimizer``,
        ``loss`` and ``metrics``.  None trains the built-in MLP
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
        None means ``"mse"``; ``"mae"`` and ``"huber"`` are common choices.  ``loss__*``
        parameters are passed to the loss class (or function).  For a model with several
        outputs, a dict gives each its loss; an output with a classification loss
        (``*crossentropy``) learns labels (see ``predict``).
    loss_weights : dict or list, default=None
        Weight of each output's loss (Keras ``compile``'s ``loss_weights``).
    metrics : str, list, dict by output name or None, default=None
        Keras metrics, logged in ``history_``.
    batch_size : int, default=32
        Rows per gradient step.
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
    n_iter_no_change : int, default=20
        Patience of early stopping, in epochs.  Higher than scikit-learn's 10: mini-batch
        validation losses are noisy, and on California 10 stopped some seeds too early
        (test R^2 0.779-0.801 over six seeds, against 0.798-0.805 with 20).
    tol : float, default=1e-4
        Minimum improvement of the validation loss that counts.
    callbacks : list or dict of keras callbacks (instances or classes), default=None
        Fresh copies are used in every fit; ``callbacks__*`` parameters construct classes.
    device : {"auto", "cpu", "gpu", "cpu:N", "gpu:N"} or list of them, default="auto"
        Where the model is built, trained and run; "auto" takes a visible GPU, else the CPU.
        A device that is not visible raises ``DeviceError`` (TensorFlow would silently use
        the CPU).  A list of two or more (``["gpu:0", "gpu:1"]``) trains one model
        data-parallel with ``tf.distribute.MirroredStrategy`` (through Keras's ``fit``).
    memory_growth : bool, default=False
        Let TensorFlow take GPU memory as needed rather than all of it, so several processes
        (a search's workers) share a GPU.  Process-wide, and only before TensorFlow first
        uses the GPU; later it warns that it could not be applied.
    mixed_precision : {"mixed_float16", "mixed_bfloat16"} or None, default=None
        Keras dtype policy for building and compiling the model (computations in 16 bits,
        weights in 32; the built-in networks keep their outputs in float32).  It applies
        only there, in the fitting thread, and the caller's policy is restored; float16
        trains with Keras's loss scaling.  A user builder's layers follow it too.
    jit_compile : bool or "auto", default=False
        Compile the model with XLA (passed to ``model.compile``; the engine's epoch then
        runs as one XLA computation).  "auto" lets Keras choose (XLA on GPUs).  The first
        XLA compilation logs one line from TensorFlow's C++ runtime.
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

    Attributes
    ----------
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
    n_outputs_ : int
        Number of targets (columns of y).
    input_layout_ : skdeep.inputs.InputLayout
        How X maps to the model's inputs: their names, shapes and dtypes.
    heads_ : list of skdeep.targets.Head
        Each model output, the columns of y it learns and how.
    device_ : str or list of str
        Where the weights live after the fit, e.g. ``"/CPU:0"`` (one entry per copy when
        mirrored over several devices).

    See Also
    --------
    DeepClassifier : The classifier counterpart.
    WideDeepRegressor : Wide & Deep regression.
    sklearn.neural_network.MLPRegressor : scikit-learn's own MLP.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from skdeep import DeepRegressor
    >>> X, y = make_regression(n_samples=200, n_features=5, noise=1, random_state=0)
    >>> reg = DeepRegressor(hidden_layer_sizes=(32,), learning_rate=0.01, epochs=50,
    ...                     random_state=0).fit(X, y)
    >>> reg.predict(X[:2]).shape
    (2,)
    >>> round(reg.score(X, y), 1) >= 0.9
    True
    """

    def _validate_target(self, y, reset, classes=None):
        try:
            y = np.asarray(y, dtype=np.float32)
        except ValueError as error:
            raise ValueError(
                f"{type(self).__name__} needs numeric y ({error}). Labels of an output trained "
                "with a classification loss must be numbers here (e.g. codes from "
                "OrdinalEncoder); for labels of any type use DeepClassifier."
            ) from None
        if reset:
            self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
            self.y_ndim_ = y.ndim
        elif (1 if y.ndim == 1 else y.shape[1]) != self.n_outputs_:
            raise ValueError(
                f"y has {1 if y.ndim == 1 else y.shape[1]} outputs, but {type(self).__name__} "
                f"was fitted with {self.n_outputs_}."
            )
        return y, self._meta(y)

    def _meta(self, y):
        return {
            "n_features_in_": self.n_features_in_,
            "n_outputs_": self.n_outputs_,
            "target_type_": type_of_target(y),
            "y_ndim_": self.y_ndim_,
        }

    def _plan_heads(self, model, y, y_names):
        # Among several outputs, one compiled with a classification loss whose column holds
        # whole numbers learns labels (a three-head model: age, income, gender); every other output
        # learns numbers, as a one-output model always does (an autoencoder or soft targets
        # under binary cross-entropy stay regression).
        owner = type(self).__name__
        several = len(model.outputs) > 1
        heads = plan_heads(model, self.n_outputs_, y_names, owner,
                           classifies=lambda family: several and family != "other")
        for head in heads:
            values = head_values(head, y)
            if head.classifies and values.ndim == 2 and values.shape[1] == 1 and \
                    np.array_equal(values, np.round(values)):
                head.classes = np.unique(values)
                check_head_classes(head, len(head.classes), owner)
            else:
                head.classifies, head.encoding = False, "numbers"
        self.heads_ = heads

    def _head_targets(self, y):
        targets = [self._encoded(head, head_values(head, y)) for head in self.heads_]
        return targets[0] if len(targets) == 1 else targets

    def _encoded(self, head, values):
        if not head.classifies:
            return values
        values = np.ravel(values)
        unseen = np.setdiff1d(values, head.classes)
        if unseen.size:
            raise ValueError(f"y has labels {unseen.tolist()} for the output {head.name!r} that "
                             f"were not among its classes {head.classes.tolist()} in fit.")
        return encode_classes(head, np.searchsorted(head.classes, values))

    def _default_loss(self, meta):
        return "mse"

    def _output_spec(self, meta):
        return meta["n_outputs_"], None

    def partial_fit(self, X, y, sample_weight=None):
        """Train one epoch on X and y, continuing from the current state.

        The first call starts from scratch (as ``fit`` would, for one epoch); later calls
        keep the weights and the optimizer's state (Adam's moments, its step count) and
        extend ``history_`` and ``n_iter_``.  Data arrives in any number of calls: a stream,
        chunks too large for memory, or Dask-ML's incremental searches.  No validation split
        is made (``early_stopping`` applies to ``fit``), as in scikit-learn's MLP.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...), dict or list of arrays
            Training data, in the form ``fit`` takes.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights.

        Returns
        -------
        self : object
            The estimator, trained one more epoch.
        """
        return self._partial_fit(X, y, sample_weight)

    def predict(self, X):
        """Predict targets for X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            float64 predictions, shaped like the ``y`` given to ``fit``.  With several
            outputs, each fills its own columns of y; an output trained with a
            classification loss gives its predicted label (one of the values it saw in
            ``fit``), the others numbers.  When every output learned all of y (an
            auxiliary head), the first output's.
        """
        outputs = self._head_outputs(X)
        if self.heads_[0].columns is None:
            first = self.heads_[0]
            output = first.labels(outputs[0])[:, None] if first.classifies else outputs[0]
        else:
            output = np.empty((len(outputs[0]), self.n_outputs_))
            for head, out in zip(self.heads_, outputs):
                output[:, head.columns] = head.labels(out)[:, None] if head.classifies else out
        return output.ravel() if self.y_ndim_ == 1 else output

    def score(self, X, y, sample_weight=None):
        """R^2 of the predictions; with classification outputs, the mean of each output's score.

        Without classification outputs this is scikit-learn's regressor score (R^2,
        averaged uniformly over outputs).  When some outputs learn labels (a model with
        a regression head and classification heads), it is the mean over outputs of R^2 for the numeric ones and of
        accuracy for the classification ones.

        Parameters
        ----------
        X : array-like, dict or list of arrays
            Samples, as given to ``fit``.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            True targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
        """
        self._check_is_fitted()
        y = self._y_in_fitted_order(y)
        if not any(head.classifies for head in self.heads_):
            return super().score(X, y, sample_weight=sample_weight)
        y = np.asarray(y, dtype=np.float64).reshape(-1, self.n_outputs_)
        y_pred = self.predict(X).reshape(len(y), -1)
        heads = self.heads_ if self.heads_[0].columns is not None else self.heads_[:1]
        scores = [
            accuracy_score(head_values(head, y).ravel(), head_values(head, y_pred).ravel(),
                           sample_weight=sample_weight) if head.classifies
            else r2_score(head_values(head, y), head_values(head, y_pred),
                          sample_weight=sample_weight)
            for head in heads
        ]
        return float(np.mean(scores))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
