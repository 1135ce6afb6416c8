"""DeepClassifier: a Keras network as a scikit-learn classifier."""

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import column_or_1d

from .base import BaseDeepEstimator
from .routing import to_python

_SUPPORTED_TARGETS = ("binary", "multiclass", "multilabel-indicator")


class DeepClassifier(ClassifierMixin, BaseDeepEstimator):
    """A Keras neural network classifier with the scikit-learn API.

    Binary targets train one sigmoid unit with binary cross-entropy; multiclass targets a
    softmax with sparse categorical cross-entropy; multilabel indicator targets one sigmoid
    unit per label.  Labels may be of any type (strings, ints, bools).  All other parameters
    are those of :class:`~skdeep.DeepRegressor`; the default loss follows the target type.

    Parameters
    ----------
    model : callable or None, default=None
        A builder returning a ``keras.Model`` (see :class:`~skdeep.DeepRegressor`).  Its
        ``meta`` also holds ``classes_`` and ``n_classes_``.  It is trained on labels encoded
        as 0..n_classes-1; its output is read as probabilities: one sigmoid unit (binary), one
        unit per class, or one per label (multilabel).
    class_weight : dict, "balanced" or None, default=None
        Weights per class, multiplied into ``sample_weight``; "balanced" weighs classes
        inversely to their frequency.
    **kwargs
        Every parameter of :class:`~skdeep.DeepRegressor` (``hidden_layer_sizes``,
        ``epochs``, ``early_stopping`` with a stratified ``validation_fraction``, ``device``,
        ``random_state``, ...) and a builder's own parameters.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels (for multilabel, the label indices).
    n_classes_ : int
        Number of classes (or labels).
    target_type_ : str
        "binary", "multiclass" or "multilabel-indicator".
    model_, history_, n_iter_, best_epoch_, n_features_in_, feature_names_in_, device_
        As in :class:`~skdeep.DeepRegressor`.

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

    def _validate_target(self, y, reset):
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        target_type = type_of_target(y)
        if target_type not in _SUPPORTED_TARGETS:
            raise ValueError(
                f"{type(self).__name__} supports {', '.join(_SUPPORTED_TARGETS)} targets; "
                f"got {target_type}."
            )
        if reset:
            self._learn_classes(y, target_type)
        elif target_type == "multilabel-indicator" or self.target_type_ == "multilabel-indicator":
            if y.ndim != 2 or y.shape[1] != self.n_classes_:
                raise ValueError(f"y has a different shape than the {self.n_classes_} labels "
                                 f"{type(self).__name__} was fitted with.")
        else:
            unseen = np.setdiff1d(y, self.classes_)
            if unseen.size:
                raise ValueError(f"y has labels {unseen.tolist()} not among the classes "
                                 f"{self.classes_.tolist()} seen in the first fit.")
        return self._encode(y), self._meta()

    def _learn_classes(self, y, target_type):
        if target_type == "multilabel-indicator":
            self.classes_ = np.arange(y.shape[1])
        else:
            self.classes_ = LabelEncoder().fit(y).classes_
            if len(self.classes_) < 2:
                raise ValueError(
                    f"{type(self).__name__} needs samples of at least 2 classes in y; got only "
                    f"one class: {to_python(self.classes_[0])!r}."
                )
        self.n_classes_ = len(self.classes_)
        self.target_type_ = target_type
        self.n_outputs_ = 1 if target_type != "multilabel-indicator" else self.n_classes_

    def _encode(self, y):
        if self.target_type_ == "multilabel-indicator":
            return np.asarray(y, dtype=np.float32)
        return np.searchsorted(self.classes_, y).astype(np.int32)

    def _meta(self):
        return {
            "n_features_in_": self.n_features_in_,
            "n_outputs_": self.n_outputs_,
            "target_type_": self.target_type_,
            "classes_": self.classes_,
            "n_classes_": self.n_classes_,
        }

    def _fit_target_weights(self, y, sample_weight):
        if self.class_weight is None:
            return sample_weight
        weights = compute_sample_weight(self.class_weight, y).astype(np.float32)
        return weights if sample_weight is None else weights * sample_weight

    def _default_loss(self, meta):
        if meta["target_type_"] == "multiclass":
            return "sparse_categorical_crossentropy"
        return "binary_crossentropy"

    def _output_spec(self, meta):
        if meta["target_type_"] == "multiclass":
            return meta["n_classes_"], "softmax"
        return meta["n_outputs_"], "sigmoid"

    def predict_proba(self, X):
        """Class probabilities for X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities in the order of ``classes_``, also for a single row.  For
            multilabel targets, the probability of each label.
        """
        output = self._network_output(X)
        if self.target_type_ == "binary" and output.shape[1] == 1:
            output = np.hstack([1 - output, output])
        if output.shape[1] != self.n_classes_:
            raise ValueError(
                f"The model returns {output.shape[1]} values per sample, but there are "
                f"{self.n_classes_} classes: its output layer needs one unit per class (or "
                "one sigmoid unit for a binary target)."
            )
        return output

    def predict(self, X):
        """Predict class labels for X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_labels)
            Labels from ``classes_`` (an indicator matrix for multilabel targets).
        """
        proba = self.predict_proba(X)
        if self.target_type_ == "multilabel-indicator":
            return (proba > 0.5).astype(int)
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags
