"""The target strategy of the classifiers: labels of any type, encoded for each head's loss.

Binary targets train one sigmoid unit; multiclass targets a softmax with class indices;
multilabel indicator targets one sigmoid unit per label; multiclass-multioutput targets one
softmax head per column.  One-hot rows (``keras.utils.to_categorical``) given to the
built-in network, a softmax head or a categorical loss are read as one class a row.
"""

import numpy as np
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import column_or_1d

from .keras_objects import loss_family, make_loss
from .routing import routed, to_python
from .targets import (
    check_head_classes,
    encode_classes,
    head_losses,
    head_values,
    is_softmax,
    output_names,
    plan_heads,
)
from .weighting import weighted_counts


class LabelTargets:
    """What a classifier's model learns from y, and how its outputs read back.

    As :class:`~skdeep.numeric_targets.NumericTargets`: each method takes the fitted state
    explicitly and returns what it learns.

    Parameters
    ----------
    owner : str
        The estimator's class name, for messages.
    supported : tuple of str
        The target types the estimator takes.
    one_hot_softmax : bool
        Whether one-hot rows will train a softmax, known before the model is built: the
        built-in network's, or any model given ``loss="categorical_crossentropy"``.
    """

    def __init__(self, owner, supported, one_hot_softmax):
        self.owner, self.supported = owner, supported
        self.one_hot_softmax = one_hot_softmax

    def validate(self, y, fitted=None, classes=None):
        """Encoded labels, and the fitted attributes they teach (``fitted=None``: a fit from
        scratch; ``classes``: every label of a ``partial_fit`` stream), or checked against
        ``fitted`` (then none)."""
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        target_type = type_of_target(y)
        if target_type not in self.supported:
            raise ValueError(f"{self.owner} supports {', '.join(self.supported)} targets; "
                             f"got {target_type}.")
        if fitted is None:
            learned = self._learn_classes(y, target_type, classes)
            return _encoded(y, learned), learned
        self._check_like_fitted(y, fitted)
        return _encoded(y, fitted), {}

    def _learn_classes(self, y, target_type, classes=None):
        encoding = "labels"
        if classes is not None and y.ndim == 1:
            # partial_fit's first call: every class of the stream, not just this batch's.
            classes = _check_partial_fit_classes(y, classes, self.owner)
            target_type = "binary" if len(classes) <= 2 else "multiclass"
        if target_type == "multilabel-indicator":
            learned = np.arange(y.shape[1])
            if self.one_hot_softmax and one_hot_rows(y):
                # to_categorical(y) for a softmax: multiclass, predicting one-hot rows.
                target_type, encoding = "multiclass", "onehot"
        elif target_type == "multiclass-multioutput":
            learned = [LabelEncoder().fit(column).classes_ for column in y.T]
        else:
            learned = LabelEncoder().fit(y if classes is None else classes).classes_
            if len(learned) < 2:
                raise ValueError(f"{self.owner} needs samples of at least 2 classes in y; got "
                                 f"only one class: {to_python(learned[0])!r}.")
        multioutput = target_type == "multiclass-multioutput"
        return {
            "classes_": learned,
            "n_classes_": [len(c) for c in learned] if multioutput else len(learned),
            "target_type_": target_type,
            "target_encoding_": encoding,
            "n_outputs_": 1 if target_type in ("binary", "multiclass") else y.shape[1],
        }

    def _check_like_fitted(self, y, fitted):
        width = y_width(fitted)
        if y.ndim == 2 or fitted["n_outputs_"] > 1 or fitted["target_encoding_"] == "onehot":
            if y.ndim != 2 or y.shape[1] != width:
                raise ValueError(f"y has a different shape than the {width} columns "
                                 f"{self.owner} was fitted with.")
        classes = fitted["classes_"]
        if fitted["target_type_"] != "multiclass-multioutput":
            classes = [classes] if y.ndim == 1 else []
        for column, known in zip(np.reshape(y, (len(y), -1)).T, classes):
            unseen = np.setdiff1d(column, known)
            if unseen.size:
                raise ValueError(f"y has labels {unseen.tolist()} not among the classes "
                                 f"{known.tolist()} seen in the first fit.")

    def meta(self, y, fitted):
        """What a builder's ``meta`` says of the target."""
        return {
            "n_outputs_": fitted["n_outputs_"],
            "n_outputs_expected_": fitted["n_outputs_"]
            if fitted["target_type_"] == "multiclass-multioutput" else 1,
            "target_type_": fitted["target_type_"],
            "classes_": fitted["classes_"],
            "n_classes_": fitted["n_classes_"],
        }

    def row_weights(self, y, sample_weight, params):
        """``sample_weight`` times the weight of each row's class (``class_weight``)."""
        class_weight = params["class_weight"]
        if class_weight is None:
            return sample_weight
        # One-hot rows weigh by their class, as labels would.
        labels = np.argmax(y, axis=1) if y.ndim == 2 and one_hot_rows(y) else y
        if isinstance(class_weight, str) and sample_weight is not None:
            weights = _balanced_weights(labels, sample_weight)
        else:
            weights = compute_sample_weight(class_weight, labels)
        return weights if sample_weight is None else weights * sample_weight

    def stratify(self, y):
        """Every class is validated: the split is stratified by one column of labels."""
        return y if y.ndim == 1 else None

    def builder_y(self, y, fitted):
        # Keras 3's wrappers give ``fn(X, y)`` builders one-hot labels (a unit per class).
        return np.eye(fitted["n_classes_"], dtype=np.float32)[y] if y.ndim == 1 else y

    def default_loss(self, meta, params):
        if meta["target_type_"] in ("multiclass", "multiclass-multioutput"):
            return "sparse_categorical_crossentropy"
        return "binary_crossentropy"

    def output_spec(self, meta, params):
        """Units and activation of the built-in network's output layer."""
        if meta["target_type_"] == "multiclass-multioutput":
            return [(n, "softmax") for n in meta["n_classes_"]], None
        if meta["target_type_"] == "multiclass" or loss_family(params["loss"]) == "categorical":
            return meta["n_classes_"], "softmax"
        return meta["n_outputs_"], "sigmoid"

    def compile_for(self, model, kwargs, params, extra_params, fitted):
        # The default loss is chosen before the model exists, so a 2-D indicator y got
        # binary cross-entropy; for one softmax output (Keras's to_categorical(y) recipe)
        # categorical cross-entropy is the loss a Keras user compiles it with.
        if (params["loss"] is None and fitted["target_type_"] == "multilabel-indicator"
                and len(model.outputs) == 1 and is_softmax(model, output_names(model)[0])):
            kwargs = {**kwargs, "loss": make_loss("categorical_crossentropy",
                                                  routed(extra_params, "loss"))}
        return kwargs

    def plan_heads(self, model, y, y_names, fitted):
        """Which part of y each output learns; the fitted attributes that decision sets:
        ``heads_``, and ``target_encoding_`` "onehot" for one-hot rows that a builder's
        softmax head (or categorical loss) learns as one class a row.  The target type stays
        the one the builder's ``meta`` gave."""
        owner = self.owner
        target_type = fitted["target_type_"]
        multilabel = target_type == "multilabel-indicator"
        width = y.shape[1] if y.ndim == 2 else 1
        heads = plan_heads(model, width, y_names, owner, classifies=lambda f: not multilabel)
        if target_type == "multiclass-multioutput" and heads[0].columns is None:
            raise ValueError(
                f"y has {width} columns of labels (multiclass-multioutput), but the model of "
                f"{owner} has {len(heads)} output(s) that would each learn all of them: give "
                "it one output per column.")
        learned = {}
        if multilabel and _one_hot_for(model, heads, y):
            learned["target_encoding_"] = "onehot"
            heads = plan_heads(model, 1, None, owner, classifies=lambda f: True)
        for head in heads:
            if head.classifies:
                head.classes = fitted["classes_"][head.columns[0]] \
                    if target_type == "multiclass-multioutput" else fitted["classes_"]
                check_head_classes(head, len(head.classes), owner)
        return {**learned, "heads_": heads}

    def head_targets(self, y, fitted):
        """What Keras trains each output on: one array, or a list in output order."""
        if fitted["target_encoding_"] == "onehot" and y.ndim == 2:
            y = np.argmax(y, axis=1)
        targets = [encode_classes(head, head_values(head, y)) if head.classifies
                   else head_values(head, y) for head in fitted["heads_"]]
        return targets[0] if len(targets) == 1 else targets


def y_width(fitted):
    """The columns of y a classifier was fitted on (1 for one column of labels)."""
    if fitted["target_type_"] == "multilabel-indicator" or \
            fitted["target_encoding_"] == "onehot":
        return fitted["n_classes_"]
    return fitted["n_outputs_"]


def _encoded(y, fitted):
    if fitted["target_type_"] == "multilabel-indicator" or (
            fitted["target_encoding_"] == "onehot" and y.ndim == 2):
        return np.asarray(y, dtype=np.float32)
    if fitted["target_type_"] == "multiclass-multioutput":
        return np.column_stack([np.searchsorted(classes, column) for classes, column
                                in zip(fitted["classes_"], y.T)]).astype(np.int32)
    return np.searchsorted(fitted["classes_"], y).astype(np.int32)


def _one_hot_for(model, heads, y):
    return (len(heads) == 1 and one_hot_rows(y)
            and (heads[0].softmax or loss_family(head_losses(model)[0]) == "categorical"))


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


def one_hot_rows(y):
    """Whether a 2-D indicator y has exactly one 1 in every row (``to_categorical``)."""
    return y.ndim == 2 and y.shape[1] > 1 and bool((np.asarray(y).sum(axis=1) == 1).all())
