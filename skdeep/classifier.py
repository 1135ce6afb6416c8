"""DeepClassifier: a Keras network as a scikit-learn classifier."""

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import column_or_1d

from ._docstrings import compose
from .base import BaseDeepEstimator
from .keras_objects import loss_family, make_loss
from .routing import routed, to_python
from .scikeras_hooks import custom_score
from .targets import (
    check_head_classes,
    encode_classes,
    head_losses,
    head_values,
    is_softmax,
    output_names,
    plan_heads,
    probabilities,
)
from .weighting import weighted_counts


@compose(
    parameters="""
    class_weight : dict, "balanced" or None, default=None
        Weights per class, multiplied into ``sample_weight``; "balanced" weighs classes
        inversely to their frequency.
    """,
    attributes="""
    classes_ : ndarray of shape (n_classes,), or list of them
        Class labels (for multilabel, the label indices; one array per output for
        multiclass-multioutput).
    n_classes_ : int or list of int
        Number of classes (or labels).
    target_type_ : str
        "binary", "multiclass", "multilabel-indicator" or "multiclass-multioutput".
    target_encoding_ : str
        "onehot" when ``fit`` was given one-hot rows for a softmax (``predict`` answers
        one-hot rows too), else "labels".
    n_outputs_ : int
        1 for binary and multiclass targets (one-hot rows included), else the number of
        columns of y.
    """,
    fill={
        "model": """
            Its ``meta`` also holds ``classes_`` and ``n_classes_`` (lists for
            multiclass-multioutput, in y's column order).  It is trained on labels encoded
            as 0..n_classes-1 (one-hot for a categorical loss; a ``fn(X, y)`` builder gets y
            one-hot, as Keras's wrappers give it); its output is read as probabilities: one
            sigmoid unit (binary), one unit per class, or one per label (multilabel).
        """,
        "loss": """
            None follows the target: binary cross-entropy for binary and multilabel
            targets, sparse categorical cross-entropy for multiclass targets and for each
            output of multiclass-multioutput ones, categorical cross-entropy for one-hot
            rows given to a model with one softmax output.  ``"categorical_crossentropy"``
            trains a softmax on one-hot targets made from the labels.
        """,
        "validation_fraction": "Stratified by class when y is one column of labels.",
    },
)
class DeepClassifier(ClassifierMixin, BaseDeepEstimator):
    """A Keras neural network classifier with the scikit-learn API.

    Binary targets train one sigmoid unit with binary cross-entropy; multiclass targets a
    softmax with sparse categorical cross-entropy; multilabel indicator targets one sigmoid
    unit per label; multiclass-multioutput targets (one column of labels per output, as
    scikit-learn's forests take them) one softmax head per column.  Labels may be of any
    type (strings, ints, bools).  One-hot rows (``keras.utils.to_categorical``) given to the
    built-in network, a softmax head or a categorical loss are multiclass, and ``predict``
    answers one-hot rows.
    ``loss="categorical_crossentropy"`` (or a builder compiled with it, or with binary
    cross-entropy on a unit per class) trains on one-hot targets made from the labels.  The
    default loss follows the target type.

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    DeepRegressor : The regressor counterpart.
    sklearn.neural_network.MLPClassifier : scikit-learn's own MLP.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skdeep import DeepClassifier
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> clf = DeepClassifier(hidden_layer_sizes=(16,), epochs=30, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:1]).shape
    (1, 2)
    >>> clf.score(X, y) > 0.8
    True
    """

    def __init__(self, model=None, *, class_weight=None, **kwargs):
        super().__init__(model, **kwargs)
        self.class_weight = class_weight

    _parameter_constraints = {
        **BaseDeepEstimator._parameter_constraints,
        "class_weight": [dict, "array-like", str, None],
    }

    _supported_targets = ("binary", "multiclass", "multilabel-indicator",
                          "multiclass-multioutput")

    def _validate_target(self, y, reset, classes=None):
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        target_type = type_of_target(y)
        if target_type not in self._supported_targets:
            raise ValueError(
                f"{type(self).__name__} supports {', '.join(self._supported_targets)} targets; "
                f"got {target_type}."
            )
        if reset:
            self._learn_classes(y, target_type, classes)
        else:
            self._check_like_fitted(y, target_type)
        return self._encode(y), self._meta()

    def _check_like_fitted(self, y, target_type):
        if y.ndim == 2 or self.n_outputs_ > 1 or self.target_encoding_ == "onehot":
            if y.ndim != 2 or y.shape[1] != self._y_width():
                raise ValueError(f"y has a different shape than the {self._y_width()} columns "
                                 f"{type(self).__name__} was fitted with.")
        classes = self.classes_ if self.target_type_ == "multiclass-multioutput" else (
            [self.classes_] if y.ndim == 1 else [])
        for column, known in zip(np.reshape(y, (len(y), -1)).T, classes):
            unseen = np.setdiff1d(column, known)
            if unseen.size:
                raise ValueError(f"y has labels {unseen.tolist()} not among the classes "
                                 f"{known.tolist()} seen in the first fit.")

    def _y_width(self):
        return self.n_classes_ if self.target_type_ == "multilabel-indicator" or \
            self.target_encoding_ == "onehot" else self.n_outputs_

    def _learn_classes(self, y, target_type, classes=None):
        self.target_encoding_ = "labels"
        if classes is not None and y.ndim == 1:
            # partial_fit's first call: every class of the stream, not just this batch's.
            classes = _check_partial_fit_classes(y, classes, type(self).__name__)
            target_type = "binary" if len(classes) <= 2 else "multiclass"
        if target_type == "multilabel-indicator":
            self.classes_ = np.arange(y.shape[1])
            if self.model is None and _one_hot_rows(y):
                # to_categorical(y) for the built-in network: a softmax, predicting one-hot.
                target_type, self.target_encoding_ = "multiclass", "onehot"
        elif target_type == "multiclass-multioutput":
            self.classes_ = [LabelEncoder().fit(column).classes_ for column in y.T]
        else:
            self.classes_ = LabelEncoder().fit(y if classes is None else classes).classes_
            if len(self.classes_) < 2:
                raise ValueError(
                    f"{type(self).__name__} needs samples of at least 2 classes in y; got only "
                    f"one class: {to_python(self.classes_[0])!r}."
                )
        multioutput = target_type == "multiclass-multioutput"
        self.n_classes_ = [len(c) for c in self.classes_] if multioutput else len(self.classes_)
        self.target_type_ = target_type
        self.n_outputs_ = 1 if target_type in ("binary", "multiclass") else y.shape[1]

    def _fit_target_weights(self, y, sample_weight):
        if self.class_weight is None:
            return sample_weight
        # One-hot rows weigh by their class, as labels would.
        labels = np.argmax(y, axis=1) if y.ndim == 2 and _one_hot_rows(y) else y
        if isinstance(self.class_weight, str) and sample_weight is not None:
            weights = _balanced_weights(labels, sample_weight)
        else:
            weights = compute_sample_weight(self.class_weight, labels)
        return weights if sample_weight is None else weights * sample_weight

    def _encode(self, y):
        if self.target_type_ == "multilabel-indicator" or (
                self.target_encoding_ == "onehot" and y.ndim == 2):
            return np.asarray(y, dtype=np.float32)
        if self.target_type_ == "multiclass-multioutput":
            return np.column_stack([np.searchsorted(classes, column) for classes, column
                                    in zip(self.classes_, y.T)]).astype(np.int32)
        return np.searchsorted(self.classes_, y).astype(np.int32)

    def _meta(self):
        return {
            "n_features_in_": self.n_features_in_,
            "n_outputs_": self.n_outputs_,
            "n_outputs_expected_": self.n_outputs_
            if self.target_type_ == "multiclass-multioutput" else 1,
            "target_type_": self.target_type_,
            "classes_": self.classes_,
            "n_classes_": self.n_classes_,
        }

    def _builder_y(self, y):
        # Keras 3's wrappers give ``fn(X, y)`` builders one-hot labels (a unit per class).
        return np.eye(self.n_classes_, dtype=np.float32)[y] if y.ndim == 1 else y

    def _plan_heads(self, model, y, y_names):
        owner = type(self).__name__
        multilabel = self.target_type_ == "multilabel-indicator"
        width = y.shape[1] if y.ndim == 2 else 1
        heads = plan_heads(model, width, y_names, owner, classifies=lambda f: not multilabel)
        if self.target_type_ == "multiclass-multioutput" and heads[0].columns is None:
            raise ValueError(
                f"y has {width} columns of labels (multiclass-multioutput), but the model of "
                f"{owner} has {len(heads)} output(s) that would each learn all of them: give "
                "it one output per column."
            )
        if multilabel and self._one_hot_for(model, heads, y):
            # One-hot y for a softmax head (Keras's ``to_categorical``): multiclass, and
            # predict answers one-hot rows as it was given.
            self.target_type_, self.target_encoding_ = "multiclass", "onehot"
            self.n_outputs_ = 1
            heads = plan_heads(model, 1, None, owner, classifies=lambda f: True)
        for head in heads:
            if head.classifies:
                head.classes = self.classes_[head.columns[0]] \
                    if self.target_type_ == "multiclass-multioutput" else self.classes_
                check_head_classes(head, len(head.classes), owner)
        self.heads_ = heads

    @staticmethod
    def _one_hot_for(model, heads, y):
        return (len(heads) == 1 and _one_hot_rows(y)
                and (heads[0].softmax or loss_family(head_losses(model)[0]) == "categorical"))

    def _head_targets(self, y):
        if self.target_encoding_ == "onehot" and y.ndim == 2:
            y = np.argmax(y, axis=1)
        targets = [encode_classes(head, head_values(head, y)) if head.classifies
                   else head_values(head, y) for head in self.heads_]
        return targets[0] if len(targets) == 1 else targets

    def _default_loss(self, meta):
        if meta["target_type_"] in ("multiclass", "multiclass-multioutput"):
            return "sparse_categorical_crossentropy"
        return "binary_crossentropy"

    def _compile_for(self, model, compile_kwargs):
        # The default loss is chosen before the model exists, so a 2-D indicator y got
        # binary cross-entropy; for one softmax output (Keras's to_categorical(y) recipe)
        # categorical cross-entropy is the loss a Keras user compiles it with.
        if (self.loss is None and self.target_type_ == "multilabel-indicator"
                and len(model.outputs) == 1 and is_softmax(model, output_names(model)[0])):
            compile_kwargs = {**compile_kwargs, "loss": make_loss(
                "categorical_crossentropy", routed(self._extra_params, "loss"))}
        return super()._compile_for(model, compile_kwargs)

    def _output_spec(self, meta):
        if meta["target_type_"] == "multiclass-multioutput":
            return [(n, "softmax") for n in meta["n_classes_"]], None
        if meta["target_type_"] == "multiclass" or loss_family(self.loss) == "categorical":
            return meta["n_classes_"], "softmax"
        return meta["n_outputs_"], "sigmoid"

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train one epoch on X and y, continuing from the current state.

        The first call starts from scratch and needs ``classes``, every label the stream
        holds (a batch may lack some), as scikit-learn's incremental classifiers; later
        calls keep the weights and the optimizer's state and extend ``history_`` and
        ``n_iter_``.  No validation split is made (``early_stopping`` applies to ``fit``).

        Parameters
        ----------
        X : array-like of shape (n_samples, ...), dict or list of arrays
            Training data, in the form ``fit`` takes.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target labels.
        classes : array-like of shape (n_classes,), default=None
            Every class label, required on the first call (unless y is a multilabel or
            multi-output table, whose classes y's columns fix); must not change later.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights, as in ``fit`` (rescaled to average 1 over this call's
            rows).

        Returns
        -------
        self : object
            The estimator, trained one more epoch.
        """
        name = type(self).__name__
        if "model_" not in vars(self):
            if classes is None and np.ndim(y) == 1:
                raise ValueError(f"classes must be passed on the first call to "
                                 f"{name}.partial_fit: every label the data holds.")
        elif classes is not None and not np.array_equal(np.unique(classes), self.classes_):
            raise ValueError(f"classes={np.unique(classes).tolist()} is not the same as on the "
                             f"first call to {name}.partial_fit, {self.classes_.tolist()}.")
        return self._partial_fit(X, y, sample_weight, classes)

    def predict_proba(self, X, **predict_params):
        """Class probabilities for X.

        Parameters
        ----------
        X : array-like, dict or list of arrays
            Samples, as given to ``fit``.
        **predict_params
            Keras's ``Model.predict`` arguments ``batch_size`` (rows per forward pass, for
            this call; -1 for all at once) and ``verbose`` (accepted; nothing is printed).

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes), or list of them
            Probabilities in the order of ``classes_``, also for a single row.  For
            multilabel targets, the probability of each label.  For multiclass-multioutput
            targets, a list with one array per output (as scikit-learn's forests).
        """
        outputs = self._head_outputs(X, predict_params)
        if self.target_type_ == "multiclass-multioutput":  # in y's column order
            by_column = sorted(zip(self.heads_, outputs), key=lambda h: h[0].columns[0])
            return [probabilities(output) for _, output in by_column]
        output = outputs[0]
        if self.target_type_ == "multilabel-indicator":
            return output
        return probabilities(output)

    def predict(self, X, **predict_params):
        """Predict class labels for X.

        Parameters
        ----------
        X : array-like, dict or list of arrays
            Samples, as given to ``fit``.
        **predict_params
            Keras's ``Model.predict`` arguments ``batch_size`` (rows per forward pass, for
            this call; -1 for all at once) and ``verbose`` (accepted; nothing is printed).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Labels from ``classes_``: an indicator matrix for multilabel targets, one-hot
            rows when ``fit`` was given one-hot rows (``to_categorical``), one column of
            labels per output for multiclass-multioutput targets.
        """
        proba = self.predict_proba(X, **predict_params)
        if self.target_type_ == "multiclass-multioutput":
            return np.column_stack([classes[np.argmax(p, axis=1)]
                                    for classes, p in zip(self.classes_, proba)])
        if self.target_type_ == "multilabel-indicator":
            return (proba > 0.5).astype(int)
        if self.target_encoding_ == "onehot":
            return np.eye(self.n_classes_, dtype=int)[np.argmax(proba, axis=1)]
        return self.classes_[np.argmax(proba, axis=1)]

    def score(self, X, y, sample_weight=None):
        """Mean accuracy; for multiclass-multioutput targets, the share of rows whose every
        output is right (as scikit-learn's ``MultiOutputClassifier``).

        Parameters
        ----------
        X : array-like, dict or list of arrays
            Samples, as given to ``fit``.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            True labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
        """
        self._check_is_fitted()
        custom = custom_score(self, X, y, sample_weight)  # a scikeras subclass's scorer
        if custom is not None:
            return custom
        y = self._y_in_fitted_order(y)
        if self.target_type_ != "multiclass-multioutput":
            return super().score(X, y, sample_weight=sample_weight)
        right = np.all(self.predict(X) == np.asarray(y, dtype=object), axis=1)
        return float(np.average(right, weights=sample_weight))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


def _check_partial_fit_classes(y, classes, owner):
    classes = np.unique(column_or_1d(classes))
    unseen = np.setdiff1d(y, classes)
    if unseen.size:
        raise ValueError(f"y has labels {unseen.tolist()} not among classes={classes.tolist()} "
                         f"given to {owner}.partial_fit.")
    return classes


def _balanced_weights(labels, sample_weight):
    """``compute_sample_weight("balanced", labels)`` with each row counted its weight times:
    a class's weight is ``sum(w) / (n_classes * sum of its rows' w)``, over the classes of the
    rows of positive weight (a row of weight 0 gets 1: its weight stays 0)."""
    kept = sample_weight > 0
    weights = np.ones(len(labels))
    for column in np.reshape(labels, (len(labels), -1)).T:
        classes, counts = weighted_counts(column[kept], sample_weight[kept])
        per_class = counts.sum() / (len(classes) * counts)
        position = np.minimum(np.searchsorted(classes, column), len(classes) - 1)
        weights *= np.where(classes[position] == column, per_class[position], 1.0)
    return weights


def _one_hot_rows(y):
    """Whether a 2-D indicator y has exactly one 1 in every row (``to_categorical``)."""
    return y.ndim == 2 and y.shape[1] > 1 and bool((np.asarray(y).sum(axis=1) == 1).all())
