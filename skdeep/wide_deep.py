"""WideDeepRegressor: the reference notes' Wide & Deep network as a scikit-learn regressor."""

from numbers import Real

from sklearn.utils._param_validation import Interval

from .base import BaseDeepEstimator, extends_init
from .builders import build_wide_deep
from .regressor import DeepRegressor
from .validation import resolve_columns


class WideDeepRegressor(DeepRegressor):
    """Wide & Deep regression (Cheng et al. 2016): a linear path beside an MLP, trained jointly.

    The wide columns go straight to the output layer; the deep columns pass through the hidden
    layers first; both meet in one concatenation before the output, as in the reference
    notes' ``concatenate([input_A, hidden2])``.  The wide and deep columns may overlap or be
    different subsets.  An auxiliary head on the deep part alone can be trained alongside
    (the notes' multi-output model): both heads learn ``y``, and ``predict`` returns the main
    head.

    Parameters
    ----------
    model : callable or None, default=None
        A builder taking inputs ``[wide, deep]``; its ``meta`` also holds
        ``n_wide_features_`` and ``n_deep_features_``.  None builds
        :func:`skdeep.builders.build_wide_deep`.
    wide_columns, deep_columns : None, slice, bool mask, int indices or column names
        Columns of X fed to the wide and to the deep part (names need a DataFrame).  None,
        the default, feeds every column to that part.
    aux_loss_weight : float in [0, 1), default=0.0
        Weight of the auxiliary head's loss; the main head gets ``1 - aux_loss_weight``.
        0 builds no auxiliary head.
    hidden_layer_sizes : sequence of int, default=(30, 30)
        Hidden layers of the deep part.
    **kwargs
        Every other parameter of :class:`~skdeep.DeepRegressor`.

    Attributes
    ----------
    wide_columns_, deep_columns_ : ndarray of int
        Indices of the columns each part reads.
    model_, history_, n_iter_, best_epoch_, n_features_in_, feature_names_in_, n_outputs_, \
device_
        As in :class:`~skdeep.DeepRegressor`.

    See Also
    --------
    DeepRegressor : A plain MLP.
    skdeep.builders.build_wide_deep : The built-in architecture.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from skdeep import WideDeepRegressor
    >>> X, y = make_regression(n_samples=200, n_features=6, noise=1, random_state=0)
    >>> reg = WideDeepRegressor(wide_columns=slice(0, 3), deep_columns=[3, 4, 5],
    ...                         aux_loss_weight=0.1, epochs=20, random_state=0).fit(X, y)
    >>> reg.predict(X[:3]).shape
    (3,)
    """

    @extends_init
    def __init__(self, model=None, *, wide_columns=None, deep_columns=None, aux_loss_weight=0.0,
                 hidden_layer_sizes=(30, 30), **kwargs):
        super().__init__(model, hidden_layer_sizes=hidden_layer_sizes, **kwargs)
        self.wide_columns = wide_columns
        self.deep_columns = deep_columns
        self.aux_loss_weight = aux_loss_weight

    _parameter_constraints = {
        **BaseDeepEstimator._parameter_constraints,
        "wide_columns": ["array-like", slice, None],
        "deep_columns": ["array-like", slice, None],
        "aux_loss_weight": [Interval(Real, 0, 1, closed="left")],
    }

    def _meta(self, y):
        if not hasattr(self, "wide_columns_") or not self._continues():
            names = getattr(self, "feature_names_in_", None)
            owner = type(self).__name__
            self.wide_columns_ = resolve_columns(self.wide_columns, self.n_features_in_, names,
                                                 "wide_columns", owner)
            self.deep_columns_ = resolve_columns(self.deep_columns, self.n_features_in_, names,
                                                 "deep_columns", owner)
        return {
            **super()._meta(y),
            "n_wide_features_": len(self.wide_columns_),
            "n_deep_features_": len(self.deep_columns_),
        }

    def _model_inputs(self, X):
        return [X[:, self.wide_columns_], X[:, self.deep_columns_]]

    def _default_network(self, meta, seed):
        return build_wide_deep(meta["n_wide_features_"], meta["n_deep_features_"],
                               meta["n_outputs_"], aux_output=self.aux_loss_weight > 0,
                               seed=seed, **self._network_params())

    def _compile_for(self, model, compile_kwargs):
        kwargs = super()._compile_for(model, compile_kwargs)
        if len(model.outputs) == 2:
            weight = float(self.aux_loss_weight)
            kwargs["loss_weights"] = [1.0 - weight, weight]
        return kwargs
