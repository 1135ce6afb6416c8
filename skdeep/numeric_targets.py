"""The target strategy of the regressors: y as numbers, one head per output.

Among several outputs, one compiled with a classification loss whose column holds whole
numbers learns labels (a three-head model: age, income, gender); every other output learns
numbers, as a one-output model always does (an autoencoder, or soft targets under binary
cross-entropy, stay regression).
"""

import numpy as np
from sklearn.utils.multiclass import type_of_target

from .targets import check_head_classes, encode_classes, head_values, plan_heads


class NumericTargets:
    """What a regressor's model learns from y, and how its outputs read back.

    Each method takes the target's fitted state explicitly (``fitted``: the estimator's
    fitted attributes, or those a fit from scratch is learning) and returns what it
    learns; none writes onto the estimator.

    Parameters
    ----------
    owner : str
        The estimator's class name, for messages.
    """

    def __init__(self, owner):
        self.owner = owner

    def validate(self, y, fitted=None, classes=None):
        """y as the model learns it, and the fitted attributes it learns (``fitted=None``:
        a fit from scratch) or checked against ``fitted`` (then none)."""
        try:
            y = np.asarray(y, dtype=np.float32)
        except ValueError as error:
            raise ValueError(
                f"{self.owner} needs numeric y ({error}). Labels of an output trained with a "
                "classification loss must be numbers here (e.g. codes from OrdinalEncoder); "
                "for labels of any type use DeepClassifier.") from None
        n_outputs = 1 if y.ndim == 1 else y.shape[1]
        if fitted is None:
            return y, {"n_outputs_": n_outputs, "y_ndim_": y.ndim}
        if n_outputs != fitted["n_outputs_"]:
            raise ValueError(f"y has {n_outputs} outputs, but {self.owner} was fitted with "
                             f"{fitted['n_outputs_']}.")
        return y, {}

    def meta(self, y, fitted):
        """What a builder's ``meta`` says of the target."""
        return {"n_outputs_": fitted["n_outputs_"], "target_type_": type_of_target(y),
                "y_ndim_": fitted["y_ndim_"]}

    def row_weights(self, y, sample_weight, params):
        """The weight each training row has in fit."""
        return sample_weight

    def stratify(self, y):
        """The labels a validation split is stratified by (None: not stratified)."""
        return None

    def builder_y(self, y, fitted):
        """The y a ``fn(X, y)`` builder (Keras 3's wrappers) is given."""
        return y

    def default_loss(self, meta, params):
        return "mse"

    def output_spec(self, meta, params):
        """Units and activation of the built-in network's output layer."""
        return meta["n_outputs_"], None

    def compile_for(self, model, kwargs, params, extra_params, fitted):
        """Compile arguments for this target and the built model."""
        return kwargs

    def plan_heads(self, model, y, y_names, fitted):
        """Decide, once the model is built, which part of y each output learns; the fitted
        attributes that decision sets (``heads_``)."""
        several = len(model.outputs) > 1
        heads = plan_heads(model, fitted["n_outputs_"], y_names, self.owner,
                           classifies=lambda family: several and family != "other")
        for head in heads:
            values = head_values(head, y)
            if head.classifies and values.ndim == 2 and values.shape[1] == 1 and \
                    np.array_equal(values, np.round(values)):
                head.classes = np.unique(values)
                check_head_classes(head, len(head.classes), self.owner)
            else:
                head.classifies, head.encoding = False, "numbers"
        return {"heads_": heads}

    def head_targets(self, y, fitted):
        """What Keras trains each output on: one array, or a list in output order."""
        targets = [self._encoded(head, head_values(head, y)) for head in fitted["heads_"]]
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
