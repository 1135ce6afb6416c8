"""Numeric embeddings for tabular networks, as Keras layers.

An MLP sees each numeric feature as one number, and learns high-frequency functions of it
poorly.  Embedding each feature into a vector first closes much of the gap to gradient
boosting on tables (Gorishniy, Rubachev and Babenko, "On Embeddings for Numerical Features in
Tabular Deep Learning", NeurIPS 2022): periodic embeddings (PLR) and piecewise-linear
encodings (PLE).  Both take ``(batch, n_features)`` and return ``(batch, n_features * dim)``,
so the network after them is unchanged.  They are registered Keras objects: a saved model
reloads with them, its bins included.
"""

import keras
import numpy as np
from keras import ops

from .weighting import weighted_quantile

NUMERIC_EMBEDDINGS = ("periodic", "periodic_lite", "piecewise_linear", "piecewise_linear_target")
# "auto" embeds a table's numeric columns when there are at most this many, and more than
# AUTO_MIN_ROWS training rows: on small tables the periodic embedding overfits (3-fold CV on
# diabetes, R2 0.47 without it, 0.14 with it; wine, accuracy 0.97 against 0.90).
AUTO_MAX_EMBEDDED = 64
AUTO_MIN_ROWS = 10_000


class _FeatureEmbedding(keras.layers.Layer):
    """Embeds the input columns ``columns`` (all when None), each into ``dim`` numbers, and
    passes the others through after them: a one-hot or binary column gains nothing from an
    embedding and, on a one-hot table, would multiply the network's width by ``dim``."""

    def __init__(self, dim=24, columns=None, **kwargs):
        super().__init__(**kwargs)
        self.dim = int(dim)
        self.columns = None if columns is None else [int(j) for j in columns]

    def build(self, input_shape):
        n_inputs = int(input_shape[-1])
        embedded = list(range(n_inputs)) if self.columns is None else self.columns
        self._passed = sorted(set(range(n_inputs)) - set(embedded))
        self.build_embedding(len(embedded))

    def call(self, x):
        selected = x if self.columns is None else ops.take(x, self.columns, axis=1)
        out = ops.reshape(self.embed(selected), (-1, selected.shape[-1] * self.dim))
        if not self._passed:
            return out
        return ops.concatenate([out, ops.take(x, self._passed, axis=1)], axis=-1)

    def compute_output_shape(self, input_shape):
        n_embedded = input_shape[-1] if self.columns is None else len(self.columns)
        return (input_shape[0], input_shape[-1] + n_embedded * (self.dim - 1))

    def get_config(self):
        return {**super().get_config(), "dim": self.dim, "columns": self.columns}


@keras.saving.register_keras_serializable(package="skdeep")
class PeriodicEmbedding(_FeatureEmbedding):
    """Periodic embeddings of numeric features: PLR, or its "lite" variant.

    Each feature ``x_j`` becomes ``[cos(2 pi c_j x_j), sin(2 pi c_j x_j)]`` over
    ``n_frequencies`` learned frequencies ``c_j ~ N(0, frequency_scale^2)``, then a linear
    layer and a ReLU give ``dim`` numbers per feature.  PLR has one linear layer per feature;
    the lite variant shares one across features (fewer weights, faster, a little weaker).

    The frequency scale matters most: it sets which wavelengths the features start with, and
    suits standardised inputs (the estimators' numeric columns).  Gorishniy et al. tune it in
    [0.01, 100]; their library's default is 0.01 (nearly linear at first).

    Parameters
    ----------
    n_frequencies : int, default=48
    dim : int, default=24
        Output numbers per feature.
    frequency_scale : float, default=0.01
    lite : bool, default=False
        Share the linear layer across features.
    columns : list of int or None, default=None
        The input columns to embed (None: all); the others follow the embeddings unchanged.
    seed : int or None, default=None
        Seed of the initial frequencies and weights.

    Examples
    --------
    >>> import numpy as np
    >>> from skdeep.layers import PeriodicEmbedding
    >>> tuple(PeriodicEmbedding(n_frequencies=4, dim=3)(np.zeros((2, 5), "float32")).shape)
    (2, 15)
    """

    def __init__(self, n_frequencies=48, dim=24, frequency_scale=0.01, lite=False, columns=None,
                 seed=None, **kwargs):
        super().__init__(dim, columns, **kwargs)
        self.n_frequencies = int(n_frequencies)
        self.frequency_scale = float(frequency_scale)
        self.lite = bool(lite)
        self.seed = seed

    def build_embedding(self, n_features):
        k = self.n_frequencies
        seeds = [None if self.seed is None else self.seed + i for i in range(2)]
        self.frequencies = self.add_weight(
            shape=(n_features, k), name="frequencies",
            initializer=keras.initializers.RandomNormal(stddev=self.frequency_scale,
                                                        seed=seeds[0]))
        # As torch's nn.Linear, which the papers' code uses: uniform in +-1/sqrt(fan_in).
        bound = 1.0 / np.sqrt(2 * k)
        uniform = keras.initializers.RandomUniform(-bound, bound, seed=seeds[1])
        shape = (2 * k, self.dim) if self.lite else (n_features, 2 * k, self.dim)
        self.kernel = self.add_weight(shape=shape, name="kernel", initializer=uniform)
        self.bias = self.add_weight(shape=(self.dim,) if self.lite else (n_features, self.dim),
                                    name="bias", initializer=uniform)

    def embed(self, x):
        angles = 2 * np.pi * self.frequencies * ops.expand_dims(x, -1)  # (batch, F, k)
        periodic = ops.concatenate([ops.cos(angles), ops.sin(angles)], axis=-1)
        if self.lite:
            out = ops.matmul(periodic, self.kernel)
        else:
            out = ops.einsum("bfk,fkd->bfd", periodic, self.kernel)
        return ops.relu(out + self.bias)

    def get_config(self):
        return {**super().get_config(), "n_frequencies": self.n_frequencies,
                "frequency_scale": self.frequency_scale, "lite": self.lite, "seed": self.seed}


@keras.saving.register_keras_serializable(package="skdeep")
class PiecewiseLinearEmbedding(_FeatureEmbedding):
    """Piecewise-linear encoding of numeric features over given bins, then a linear layer.

    Feature ``x_j`` with bin edges ``b_0 < ... < b_T`` is encoded as ``T`` numbers, bin ``t``
    giving ``(x_j - b_{t-1}) / (b_t - b_{t-1})`` clipped to [0, 1]: ones for the bins below
    ``x_j``, its position inside its own bin, zeros above (the first bin is not clipped below,
    the last not above, so values outside the training range extrapolate linearly).  A
    per-feature linear layer of the encoding, plus one of ``x_j`` itself, and a ReLU give
    ``dim`` numbers per feature (rtdl's "version B": the encoding's weights start at zero, so
    training starts from a linear embedding).

    Parameters
    ----------
    bin_edges : list of sequences of float
        Sorted edges of each embedded feature's bins (at least two per feature); learned
        from the training data by :func:`quantile_bins`.
    dim : int, default=24
    columns : list of int or None, default=None
        The input columns to embed (None: all); the others follow the embeddings unchanged.
    seed : int or None, default=None

    Examples
    --------
    >>> import keras, numpy as np
    >>> from skdeep.layers import PiecewiseLinearEmbedding
    >>> layer = PiecewiseLinearEmbedding([[0.0, 1.0, 2.0], [0.0, 5.0]], dim=3)
    >>> encoded = layer.encode(np.array([[1.5, 10.0]], "float32"))
    >>> keras.ops.convert_to_numpy(encoded).round(2).tolist()
    [[[1.0, 0.5], [2.0, 0.0]]]
    """

    def __init__(self, bin_edges, dim=24, columns=None, seed=None, **kwargs):
        super().__init__(dim, columns, **kwargs)
        self.bin_edges = [[float(e) for e in edges] for edges in bin_edges]
        self.seed = seed
        bad = [j for j, e in enumerate(self.bin_edges) if len(e) < 2 or np.any(np.diff(e) <= 0)]
        if bad:
            raise ValueError(f"bin_edges of features {bad} are not at least two increasing "
                             "numbers.")
        n_bins = [len(e) - 1 for e in self.bin_edges]
        width = max(n_bins)
        left = np.zeros((len(n_bins), width), "float32")
        span = np.ones((len(n_bins), width), "float32")
        for j, edges in enumerate(self.bin_edges):
            left[j, : n_bins[j]], span[j, : n_bins[j]] = edges[:-1], np.diff(edges)
        index = np.arange(width)
        n = np.array(n_bins)[:, None]
        # Constants of the layer (its config holds the edges), float32 as Keras layers' math.
        self._left, self._span = left, span
        self._clip_below = (index > 0) & (index < n)
        self._clip_above = index < n - 1
        self._valid = (index < n).astype("float32")

    def build_embedding(self, n_features):
        width = self._left.shape[1]
        if n_features != len(self._left):
            raise ValueError(f"PiecewiseLinearEmbedding has bins for {len(self._left)} "
                             f"features; it embeds {n_features}.")
        # rtdl's LinearEmbeddings: uniform in +-1/sqrt(dim).
        bound = 1.0 / np.sqrt(self.dim)
        uniform = keras.initializers.RandomUniform(-bound, bound, seed=self.seed)
        self.linear = self.add_weight(shape=(n_features, self.dim), name="linear",
                                      initializer=uniform)
        self.bias = self.add_weight(shape=(n_features, self.dim), name="bias",
                                    initializer=uniform)
        self.kernel = self.add_weight(shape=(n_features, width, self.dim), name="kernel",
                                      initializer="zeros")

    def encode(self, x):
        """The encoding, ``(batch, n_features, max_bins)``; bins a feature lacks are 0."""
        # The constants as tensors: a torch tensor minus a NumPy array is NumPy's operation.
        left, span, valid = (ops.convert_to_tensor(c) for c in (self._left, self._span,
                                                                 self._valid))
        ratio = (ops.expand_dims(x, -1) - left) / span
        ratio = ops.where(self._clip_below, ops.maximum(ratio, 0.0), ratio)
        ratio = ops.where(self._clip_above, ops.minimum(ratio, 1.0), ratio)
        return ratio * valid

    def embed(self, x):
        out = ops.expand_dims(x, -1) * self.linear + self.bias
        return ops.relu(out + ops.einsum("bft,ftd->bfd", self.encode(x), self.kernel))

    def get_config(self):
        return {**super().get_config(), "bin_edges": self.bin_edges, "seed": self.seed}


def quantile_bins(X, n_bins, sample_weight=None):
    """Bin edges of each column of ``X`` at its quantiles: at most ``n_bins`` bins, fewer
    where values repeat (a column with k distinct values gets at most k - 1 bins; a constant
    column one bin of width 1 around its value).  With ``sample_weight``, the quantiles of
    each row repeated its weight times (rows of weight 0 do not count)."""
    X = np.asarray(X, dtype="float64")
    weights = np.ones(len(X)) if sample_weight is None else np.asarray(sample_weight)
    levels = np.linspace(0.0, 1.0, n_bins + 1)
    edges = []
    for column in X.T:
        kept = np.isfinite(column) & (weights > 0)
        if kept.any():
            cut = np.unique(weighted_quantile(column[kept], levels, None if sample_weight is None
                                              else weights[kept]))
        else:
            cut = np.array([0.0])
        edges.append(cut if len(cut) >= 2 else np.array([cut[0] - 0.5, cut[0] + 0.5]))
    return edges


def target_bins(X, y, n_bins, min_samples_leaf=64, sample_weight=None):
    """Bin edges of each column of ``X`` where a regression tree on that column alone splits
    to predict ``y`` (2-D: one-hot classes or targets): at most ``n_bins`` bins, narrow where
    the target changes fast (Gorishniy et al. 2022's target-aware bins).  Each leaf keeps at
    least ``min_samples_leaf`` rows (fewer on small data) so bins do not fit noise.  With
    ``sample_weight``, each row counts its weight times, in the tree and in
    ``min_samples_leaf`` (rows of weight 0 do not count)."""
    from sklearn.tree import DecisionTreeRegressor

    X, y = np.asarray(X, dtype="float64"), np.asarray(y, dtype="float64").reshape(len(X), -1)
    weights = np.ones(len(X)) if sample_weight is None else \
        np.asarray(sample_weight, dtype="float64")
    total = len(X) if sample_weight is None else weights.sum()
    leaf = max(1, min(min_samples_leaf, int(total) // (2 * n_bins)))
    # Weighted: a leaf holds at least ``leaf`` in weight (a hair less, for rounding).
    limits = {"min_samples_leaf": leaf} if sample_weight is None else \
        {"min_weight_fraction_leaf": leaf * (1 - 1e-9) / total}
    edges = []
    for column in X.T:
        finite = np.isfinite(column) & (weights > 0)
        if not finite.any():
            edges.append(np.array([-0.5, 0.5]))
            continue
        tree = DecisionTreeRegressor(max_leaf_nodes=max(n_bins, 2), random_state=0, **limits) \
            .fit(column[finite, None], y[finite],
                 sample_weight=None if sample_weight is None else weights[finite])
        splits = tree.tree_.threshold[tree.tree_.feature >= 0]
        cut = np.unique(np.concatenate([[column[finite].min(), column[finite].max()], splits]))
        edges.append(cut if len(cut) >= 2 else np.array([cut[0] - 0.5, cut[0] + 0.5]))
    return edges


def numeric_embedding(kind, X, y=None, *, sample_weight=None, dim=24, n_frequencies=48,
                      frequency_scale=0.01, n_bins=48, seed=None, name="numeric_embedding"):
    """The embedding layer ``kind`` names for the columns of ``X`` (training rows) with more
    than two values, its bins learned from them (and from their targets ``y``, 2-D, for
    ``"piecewise_linear_target"``), each row counted ``sample_weight`` times (rows of weight
    0 not at all); None when ``kind`` is None or no column has more than two values.
    ``"auto"`` is ``"periodic"`` for a table of more than ``AUTO_MIN_ROWS`` rows with at most
    ``AUTO_MAX_EMBEDDED`` such columns, else None: small tables overfit it, and an image or a
    signal flattened into hundreds of columns would pay ``dim`` times the width for
    nothing."""
    if kind is None or (kind == "auto" and (X.ndim != 2 or len(X) <= AUTO_MIN_ROWS)):
        return None
    if sample_weight is not None and (sample_weight > 0).any():
        kept = sample_weight > 0
        X, y, sample_weight = X[kept], None if y is None else y[kept], sample_weight[kept]
    embedded = [j for j in range(X.shape[1]) if len(np.unique(X[:, j])) > 2]
    if not embedded or (kind == "auto" and len(embedded) > AUTO_MAX_EMBEDDED):
        return None
    kind = "periodic" if kind == "auto" else kind
    columns = None if len(embedded) == X.shape[1] else embedded
    if kind.startswith("piecewise_linear"):
        edges = target_bins(X[:, embedded], y, n_bins, sample_weight=sample_weight) \
            if kind.endswith("target") else \
            quantile_bins(X[:, embedded], n_bins, sample_weight=sample_weight)
        return PiecewiseLinearEmbedding(edges, dim=dim, columns=columns, seed=seed, name=name)
    return PeriodicEmbedding(n_frequencies=n_frequencies, dim=dim,
                             frequency_scale=frequency_scale, lite=kind == "periodic_lite",
                             columns=columns, seed=seed, name=name)
