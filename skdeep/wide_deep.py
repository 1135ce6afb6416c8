"""Wide & Deep estimators: a linear model over raw, categorical and crossed columns beside an MLP.

``WideDeepMixin`` carries all that Wide & Deep adds to a plain estimator (column selection,
categorical encoding, crosses, per-part optimizers, the wide coefficients); the regressor and
the classifier put it left of ``DeepRegressor`` and ``DeepClassifier``.
"""

from numbers import Integral, Real

import numpy as np

from ._docstrings import compose
from .classifier import DeepClassifier
from .compat import HasMethods, Interval, StrOptions
from .regressor import DeepRegressor
from .routing import ROUTES
from .tabular import TabularInputs

_WIDE_DEEP_CONSTRAINTS = {
    "wide_columns": ["array-like", slice, None],
    "deep_columns": ["array-like", slice, None],
    "categorical_columns": [StrOptions({"auto"}), "array-like", slice, None],
    "crossed_columns": [list, tuple],
    "cross_bins": [Interval(Integral, 2, None, closed="left")],
    "cross_buckets": [Interval(Integral, 1, None, closed="left"), None],
    "min_frequency": [Interval(Integral, 1, None, closed="left")],
    "embedding_dim": [Interval(Integral, 1, None, closed="left"), dict, None],
    "wide_optimizer": [str, type, HasMethods(["apply_gradients", "get_config"]), None],
    "aux_loss_weight": [Interval(Real, 0, 1, closed="left")],
}


@compose(
    parameters="""
    model : callable or None, default=None
        A builder taking the inputs ``[wide, deep]`` (float columns), followed by
        ``[wide_ids, deep_ids]`` (int32 category indices) when there are categorical columns
        or crosses; its ``meta`` also holds ``n_wide_features_``, ``n_deep_features_``,
        ``wide_id_sizes_``, ``deep_vocabulary_sizes_`` and ``embedding_dims_``.
        {model}
        None builds :func:`skdeep.builders.build_wide_deep`.
    wide_columns, deep_columns : None, slice, bool mask, int indices or column names, \
default=None
        Columns fed to the wide and to the deep part.  None, the default, feeds every column
        to that part; an empty list none (``wide_columns=[]`` without crosses: deep only).
        In the wide part a numeric column gets one weight and a categorical column one
        weight per category (its one-hot encoding); in the deep part a numeric column enters
        the MLP and a categorical column through a learned embedding.
    categorical_columns : "auto", None, slice, bool mask, int indices or column names, \
default="auto"
        Columns holding categories.  "auto" takes a DataFrame's object, string, category and
        bool columns (a numpy array has none).  Vocabularies are learned in ``fit`` only; at
        predict time values unseen in training, missing values (None, NaN) and values seen
        fewer than ``min_frequency`` times share one "other" bucket, so prediction never
        fails on a new category.  Numeric columns are standardised with the mean and
        standard deviation of the training data (so raw DataFrames need no preprocessing);
        they must be finite.
    crossed_columns : list of tuples of columns, default=()
        Crosses for the wide part, e.g. ``[("education", "occupation"), ("Latitude",
        "Longitude")]``: one weight per combination of the members' values.  Numeric members
        are first cut into ``cross_bins`` quantile bins learned in ``fit``.  A tuple of one
        numeric column bins it (a bucketised column: a step function in the wide part).
    cross_bins : int >= 2, default=10
        Quantile bins of a numeric column in a cross.
    cross_buckets : int or None, default=None
        None learns an exact vocabulary of the combinations seen at least ``min_frequency``
        times (others share the "other" bucket); an int hashes every combination into that
        many buckets instead (bounded size, collisions possible).
    min_frequency : int >= 1, default=5
        Categories (and, with an exact vocabulary, cross combinations) seen fewer times in
        training go to the "other" bucket.
    embedding_dim : int, dict or None, default=None
        Width of each categorical column's embedding in the deep part: one int for all, a
        dict from column (name or index) to int for some, and for the rest the rule
        ``min(50, max(2, round(1.6 * n ** 0.56)))``, n counting the "other" bucket (4
        categories: 3, 40: 13).
    wide_optimizer : str, class, optimizer or None, default="ftrl"
        Optimizer of the wide part (the layers named ``wide_*``), as in the paper, which
        trains the wide part with FTRL and the deep part with AdaGrad; ``optimizer`` (with
        ``learning_rate`` and ``optimizer__*``) trains the deep part.  Its own arguments are
        routed as ``wide_optimizer__learning_rate=0.05`` and so on; the learning rate
        defaults to ``min(0.2, 1 / sqrt(n))`` for ``n`` wide columns and crosses, the rule of
        TensorFlow's former ``DNNLinearCombined`` estimators.  None trains both parts
        with ``optimizer``.  With two optimizers, Keras's MultiOptimizer has no single
        learning rate, so ``ReduceLROnPlateau`` needs ``wide_optimizer=None``.
    aux_loss_weight : float in [0, 1), default=0.0
        Weight of an auxiliary head's loss on the deep part alone (Keras's
        multi-output example); the main head gets ``1 - aux_loss_weight``.  0 builds no
        auxiliary head.
    hidden_layer_sizes : sequence of int, default=(64, 32)
        Hidden layers of the deep part; ``()`` leaves out the deep part (wide only).
    inputs : None, default=None
        Must be None: Wide & Deep takes one table, and ``wide_columns`` and ``deep_columns``
        assign its columns to the two parts.
    """,
    attributes="""
    wide_coef_ : dict
        The wide part's weights by feature name (see :attr:`WideDeepMixin.wide_coef_`).
        {wide_coef}
    wide_columns_, deep_columns_, categorical_columns_ : ndarray of int
        Indices of the columns each part reads, and of the categorical columns.
    encoder_ : skdeep.tabular.TabularEncoder
        Scaling, vocabularies and quantile bins learned in ``fit``.
    """,
)
class WideDeepMixin:
    """What Wide & Deep adds to a skdeep estimator; put it left of the estimator class."""

    _routes = (*ROUTES, "wide_optimizer")
    _optimizer_routes = ("optimizer", "wide_optimizer")
    _inputs = TabularInputs

    def __init__(self, model=None, *, wide_columns=None, deep_columns=None,
                 categorical_columns="auto", crossed_columns=(), cross_bins=10,
                 cross_buckets=None, min_frequency=5, embedding_dim=None, wide_optimizer="ftrl",
                 aux_loss_weight=0.0, hidden_layer_sizes=(64, 32), **kwargs):
        super().__init__(model, hidden_layer_sizes=hidden_layer_sizes, **kwargs)
        self.wide_columns = wide_columns
        self.deep_columns = deep_columns
        self.categorical_columns = categorical_columns
        self.crossed_columns = crossed_columns
        self.cross_bins = cross_bins
        self.cross_buckets = cross_buckets
        self.min_frequency = min_frequency
        self.embedding_dim = embedding_dim
        self.wide_optimizer = wide_optimizer
        self.aux_loss_weight = aux_loss_weight

    @property
    def wide_coef_(self):
        """dict: the wide part's weight of each feature, e.g. ``education=Bachelors``.

        Numeric wide columns by name (their weight on the standardised column), categories as
        ``column=value``, cross combinations as ``a x b=value_a|value_b`` (numeric members as
        their bin, ``[low, high)``), and ``column=<other>`` for the bucket of unseen,
        missing and rare values.  A float per feature for one output unit, else an array.
        """
        self._check_is_fitted()
        layers = {layer.name: layer for layer in self.model_.layers}
        encoder, coef = self.encoder_, {}
        if "wide_linear" in layers:
            numeric = [j for j in self.wide_columns_ if not encoder.categorical[j]]
            kernel = layers["wide_linear"].get_weights()[0]
            coef.update({encoder.names[j]: w for j, w in zip(numeric, kernel)})
        if "wide_categories" in layers:
            table = layers["wide_categories"].get_weights()[0]
            coef.update(zip(encoder.wide_feature_names(), table))
        return {name: float(w[0]) if len(w) == 1 else np.asarray(w) for name, w in coef.items()}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        return tags


@compose()
class WideDeepRegressor(WideDeepMixin, DeepRegressor):
    """Wide & Deep regression (Cheng et al. 2016): a linear model beside an MLP.

    The wide part is linear in numeric columns, in categorical columns one-hot and in crossed
    columns; the deep part embeds categorical columns and runs an MLP over them and the numeric
    columns; the two parts' outputs are summed, and both are trained jointly, each with its own
    optimizer.  It takes raw DataFrames: categorical columns are encoded and numeric columns
    standardised inside, with what ``fit`` learned.  With a numeric array and the default
    column selection it is the Wide & Deep of Keras's functional-API examples
    (``concatenate([input_A, hidden2])`` then a dense output, which is the same sum).

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    WideDeepClassifier : The classifier counterpart.
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
    >>> sorted(reg.wide_coef_)
    ['x0', 'x1', 'x2']
    """

    _parameter_constraints = {**DeepRegressor._parameter_constraints, **_WIDE_DEEP_CONSTRAINTS}


@compose(fill={"wide_coef": """
    The log-odds each feature adds (an array of one per class for multiclass targets).
"""})
class WideDeepClassifier(WideDeepMixin, DeepClassifier):
    """Wide & Deep classification (Cheng et al. 2016): a linear model beside an MLP.

    The classifier counterpart of :class:`WideDeepRegressor`, with the contract of
    :class:`~skdeep.DeepClassifier`: labels of any type, ``classes_``, ``predict_proba``,
    ``class_weight`` and ``sample_weight``; binary targets train one sigmoid unit, multiclass
    targets a softmax over the summed wide and deep logits.

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    WideDeepRegressor : The regressor counterpart.
    DeepClassifier : A plain MLP classifier.

    Examples
    --------
    >>> import numpy as np
    >>> from skdeep import WideDeepClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = np.column_stack([rng.normal(size=300), rng.choice(["a", "b", "c"], 300)]).astype(object)
    >>> X[:, 0] = X[:, 0].astype(float)
    >>> y = np.where(X[:, 1] == "a", "yes", "no")
    >>> clf = WideDeepClassifier(categorical_columns=[1], epochs=30, random_state=0).fit(X, y)
    >>> clf.predict(np.array([[0.0, "a"], [0.0, "never seen"]], dtype=object)).tolist()
    ['yes', 'no']
    >>> clf.wide_coef_["x1=a"] > clf.wide_coef_["x1=b"]
    True
    """

    _parameter_constraints = {**DeepClassifier._parameter_constraints, **_WIDE_DEEP_CONSTRAINTS}
    # One head over the summed wide and deep logits: no column of labels per output.
    _supported_targets = ("binary", "multiclass", "multilabel-indicator")

