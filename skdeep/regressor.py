"""DeepRegressor: a Keras network as a scikit-learn regressor."""

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import accuracy_score, r2_score

from ._docstrings import compose
from .base import BaseDeepEstimator
from .numeric_targets import NumericTargets
from .targets import head_values


@compose(
    attributes="""
    n_outputs_ : int
        Number of targets (columns of y).
    """,
    fill={"loss": """
        None means ``"mse"``; ``"mae"`` and ``"huber"`` are common choices.  Among several
        outputs, one with a classification loss (``*crossentropy``) learns labels (see
        ``predict``).
    """},
)
class DeepRegressor(RegressorMixin, BaseDeepEstimator):
    """A Keras neural network regressor with the scikit-learn API.

    Without ``model``, it trains a multi-layer perceptron built from the constructor's
    parameters; with ``model=builder``, the builder's ``keras.Model`` (scikeras style).
    Training runs in skdeep's engine for Keras's backend (see :mod:`skdeep.engine`): in-graph
    epochs under TensorFlow, compiled epochs or Keras's ``fit`` under JAX and PyTorch.

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    {attributes}

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

    _for_tables = "WideDeepRegressor"  # the estimator raw tables want

    def _targets(self):
        return NumericTargets(type(self).__name__)

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
            Per-sample weights, as in ``fit`` (rescaled to average 1 over this call's
            rows).

        Returns
        -------
        self : object
            The estimator, trained one more epoch.
        """
        return self._partial_fit(X, y, sample_weight)

    def predict(self, X, **predict_params):
        """Predict targets for X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.
        **predict_params
            Keras's ``Model.predict`` arguments ``batch_size`` (rows per forward pass, for
            this call; -1 for all at once) and ``verbose`` (accepted; nothing is printed).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            float64 predictions, shaped like the ``y`` given to ``fit``.  With several
            outputs, each fills its own columns of y; an output trained with a
            classification loss gives its predicted label (one of the values it saw in
            ``fit``), the others numbers.  When every output learned all of y (an
            auxiliary head), the first output's.
        """
        outputs = self._head_outputs(X, predict_params)
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
        return self._score_with(X, y, sample_weight, self._score)

    def _score(self, X, y, sample_weight):
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
