"""DeepClassifier: a Keras network as a scikit-learn classifier."""

import numpy as np
from sklearn.base import ClassifierMixin

from ._docstrings import compose
from ._settings import PARAMETER_CONSTRAINTS
from .base import BaseDeepEstimator
from .keras_objects import loss_family
from .label_targets import LabelTargets
from .targets import probabilities


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
        "binary", "multiclass", "multilabel-indicator" or "multiclass-multioutput": y's
        type as the model builder's ``meta`` gives it: one-hot rows are "multiclass" for
        the built-in network and for ``loss="categorical_crossentropy"``, which train a
        softmax; for a builder's model, "multilabel-indicator" (its softmax head, found once
        it is built, sets ``target_encoding_`` to "onehot").
    target_encoding_ : str
        "onehot" when ``fit`` was given one-hot rows for a softmax or a categorical loss
        (``predict`` answers one-hot rows too), else "labels".
    n_outputs_ : int
        1 for binary and multiclass targets, else the number of columns of y (as ``meta``
        gives it).
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
        **PARAMETER_CONSTRAINTS,
        "class_weight": [dict, "array-like", str, None],
    }

    _supported_targets = ("binary", "multiclass", "multilabel-indicator",
                          "multiclass-multioutput")

    _for_tables = "WideDeepClassifier"  # the estimator raw tables want

    def _targets(self):
        built_in = self.model is None and self._builder() is None
        return LabelTargets(type(self).__name__, self._supported_targets,
                            one_hot_softmax=built_in or loss_family(self.loss) == "categorical")

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
        if self.target_encoding_ == "onehot":
            return np.eye(self.n_classes_, dtype=int)[np.argmax(proba, axis=1)]
        if self.target_type_ == "multilabel-indicator":
            return (proba > 0.5).astype(int)
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
        return self._score_with(X, y, sample_weight, self._score)

    def _score(self, X, y, sample_weight):
        if self.target_type_ != "multiclass-multioutput":
            return super().score(X, y, sample_weight=sample_weight)
        right = np.all(self.predict(X) == np.asarray(y, dtype=object), axis=1)
        return float(np.average(right, weights=sample_weight))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags

