"""Raw table columns into Wide & Deep inputs: scaling, vocabularies, quantile bins, crosses.

Everything here is learned in ``fit`` from the training rows only, so cross-validation folds
never see each other's categories, each row counted as often as its sample weight (a row
weighted 2 as that row twice, one weighted 0 not at all).  Each categorical column gets a
vocabulary of the values seen at least ``min_frequency`` times; index 0 is the bucket for
everything else: values unseen in training, missing values (None, NaN) and rare ones.
Prediction therefore never fails on a new category.
"""

import math
from collections import Counter
from collections.abc import Iterable
from numbers import Integral

import keras
import numpy as np
from sklearn.utils import check_array

from .builders import build_wide_deep
from .inputs import NO_Y, ArrayInputs, describe_kind, embedding_of, network_params
from .keras_objects import make_optimizer
from .routing import routed
from .validation import plain_frame_dtypes, resolve_columns
from .weighting import weighted_counts, weighted_quantile

OTHER = "<other>"  # the name of bucket 0 in feature names: unseen, missing and rare values
_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing's multiplier: spreads the keys


def categorical_kinds(dtypes, n_features):
    """A bool mask of the columns that ``"auto"`` treats as categorical.

    Object, string, category and bool columns of a DataFrame are categorical; numpy arrays
    (no dtypes per column) are all numeric.
    """
    if dtypes is None:
        return np.zeros(n_features, dtype=bool)
    return np.array([getattr(d, "kind", "O") in "OSUb" for d in dtypes])


def default_embedding_dim(n_categories):
    """fastai's rule of thumb, capped at 50: 1.6 * n ** 0.56 (4 categories: 3; 40: 13)."""
    return int(min(50, max(2, round(1.6 * n_categories**0.56))))


def robust_scaling(values, weights=None):
    """Center and scale of each numeric column: its median, and its interquartile range
    (the 5-95% range where the quartiles meet, the full range where those do too); with
    ``weights``, the quantiles of each row repeated its weight times.

    RealMLP's robust scaling (Holzmueller et al. 2024): a mean and a standard deviation are
    pulled by outliers (California's average occupancy reaches 1,243 against a median of 2.8),
    which then dominate the scaled column.
    """
    if not values.size:
        return np.zeros(values.shape[1]), np.ones(values.shape[1])
    levels = [0.05, 0.25, 0.5, 0.75, 0.95, 1.0, 0.0]
    if weights is None:
        quantiles = np.nanquantile(values, levels, axis=0)
    else:
        quantiles = np.column_stack([weighted_quantile(column, levels, weights)
                                     for column in values.T])
    low, q1, center, q3, high, top, bottom = quantiles
    scale = np.where(q3 > q1, (q3 - q1) / 1.35, np.where(high > low, (high - low) / 3.29,
                                                          (top - bottom) / 2))
    return center, np.where(scale > 0, scale, 1.0)


def smooth_clip(scaled, limit=3.0):
    """``x / sqrt(1 + (x / limit)^2)``: the identity near 0, tending to +-limit far out, so
    that values beyond the training range (or outliers within it) stay in a range the
    network has seen (RealMLP's smooth clipping)."""
    return scaled / np.sqrt(1.0 + (scaled / limit) ** 2)


class TabularEncoder:
    """Learns how each column of a table feeds the wide and the deep part, then encodes it.

    Parameters
    ----------
    categorical : ndarray of bool
        Which columns are categorical.
    wide, deep : ndarray of int
        Columns of each part; crosses always go to the wide part.
    crosses : list of tuple of int
        Columns crossed together in the wide part.
    min_frequency : int
        Values (and crosses, with an exact vocabulary) seen fewer times share bucket 0.
    cross_bins : int
        Quantile bins of a numeric column taking part in a cross.
    cross_buckets : int or None
        Hash crosses into this many buckets; None learns an exact vocabulary.
    names : sequence of str
        Column names, for the wide part's feature names.
    """

    def __init__(self, *, categorical, wide, deep, crosses, min_frequency, cross_bins,
                 cross_buckets, names):
        self.categorical = categorical
        self.wide, self.deep, self.crosses = wide, deep, crosses
        self.min_frequency, self.cross_bins = min_frequency, cross_bins
        self.cross_buckets, self.names = cross_buckets, list(names)

    # ------------------------------------------------------------------ fit

    def fit(self, X, weights=None):
        """Learn the encoding from the rows of ``X``, each counted ``weights`` times."""
        self.numeric_ = np.flatnonzero(~self.categorical)
        rows = _Rows(self, X)
        self.center_, self.scale_ = robust_scaling(rows.numbers, weights)
        members = {j for cross in self.crosses for j in cross}
        used = set(self.wide) | set(self.deep) | members
        self.vocabularies_ = {j: self._vocabulary(X[:, j], weights) for j in sorted(used)
                              if self.categorical[j]}
        self.bin_edges_ = {j: _quantile_edges(rows.number(j), self.cross_bins, weights)
                           for j in sorted(members) if not self.categorical[j]}
        for cross in self.crosses:
            self._check_cross_size(cross)
        self.cross_vocabularies_ = [
            None if self.cross_buckets else
            self._cross_vocabulary(self._cross_keys(rows, c), weights)
            for c in self.crosses
        ]
        sizes = self.vocabulary_sizes(self.wide) + self.cross_sizes()
        self.wide_offsets_ = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int32)
        self.with_ids_ = bool(self.crosses) or bool(self.categorical[np.r_[self.wide,
                                                                            self.deep]].any())
        return self

    def _vocabulary(self, column, weights=None):
        if weights is None:
            counts = Counter(v for v in column if not _is_missing(v))
        else:
            counts = Counter()
            for value, weight in zip(column, weights):
                if weight > 0 and not _is_missing(value):
                    counts[value] += weight
        kept = [v for v, n in counts.items() if n >= self.min_frequency]
        return sorted(kept, key=lambda v: (type(v).__name__, str(v)))

    def _cross_vocabulary(self, keys, weights=None):
        unique, counts = weighted_counts(keys, weights)
        return unique[counts >= self.min_frequency]

    def _check_cross_size(self, cross):
        combinations = math.prod(self._cardinality(j) for j in cross)
        if self.cross_buckets is None and combinations >= 2**62:
            raise ValueError(
                f"The cross {tuple(self.names[j] for j in cross)} has {combinations:.3g} "
                "possible combinations, too many to index exactly: set cross_buckets (e.g. "
                "100_000) to hash them."
            )

    # ------------------------------------------------------------------ transform

    def vocabulary_sizes(self, columns):
        """Rows of each categorical column's embedding table, bucket 0 included."""
        return [len(self.vocabularies_[j]) + 1 for j in columns if self.categorical[j]]

    def cross_sizes(self):
        return [self.cross_buckets or len(v) + 1 for v in self.cross_vocabularies_]

    def transform(self, X):
        """``[wide, deep, wide_ids, deep_ids]``: scaled numbers and category indices.

        The id inputs are present only when there are categorical columns or crosses; the
        wide ids are offset so that one table holds every wide category and cross.
        """
        rows = _Rows(self, X)
        scaled = smooth_clip((rows.numbers - self.center_) / self.scale_)
        wide = _columns(scaled, [rows.position[j] for j in self.wide if j in rows.position])
        deep = _columns(scaled, [rows.position[j] for j in self.deep if j in rows.position])
        inputs = [wide, deep]
        if self.with_ids_:
            wide_ids = [rows.codes(j) for j in self.wide if self.categorical[j]]
            wide_ids += [self._cross_ids(rows, i) for i in range(len(self.crosses))]
            deep_ids = [rows.codes(j) for j in self.deep if self.categorical[j]]
            inputs += [_stack(wide_ids, len(X)) + self.wide_offsets_, _stack(deep_ids, len(X))]
        return inputs

    def indices(self, column, j):
        """Vocabulary indices of a categorical column's values (0: other)."""
        lookups = self.__dict__.setdefault("_lookups", {})
        if j not in lookups:
            lookups[j] = {v: i for i, v in enumerate(self.vocabularies_[j], start=1)}
        lookup = lookups[j]
        # NaN never equals itself, so a missing value finds no entry: bucket 0.
        return np.fromiter((lookup.get(v, 0) for v in column), dtype=np.int32, count=len(column))

    def _cardinality(self, j):
        if self.categorical[j]:
            return len(self.vocabularies_[j]) + 1
        return len(self.bin_edges_[j]) + 1

    def _member_codes(self, rows, j):
        if self.categorical[j]:
            return rows.codes(j)
        return np.searchsorted(self.bin_edges_[j], rows.number(j), side="right")

    def _cross_keys(self, rows, cross):
        """One integer per row: the members' codes in mixed radix.

        Exact (int64, checked in fit to fit in 62 bits) for a vocabulary; for hashing, uint64
        arithmetic that wraps, which hashing tolerates.
        """
        dtype = np.uint64 if self.cross_buckets else np.int64
        key = np.zeros(len(rows.X), dtype=dtype)
        for j in cross:
            key = key * dtype(self._cardinality(j)) + self._member_codes(rows, j).astype(dtype)
        return key

    def _cross_ids(self, rows, i):
        keys = self._cross_keys(rows, self.crosses[i])
        if self.cross_buckets:
            mixed = keys * _MIX  # wraps modulo 2**64, as hashing wants
            return ((mixed >> np.uint64(32)) % np.uint64(self.cross_buckets)).astype(np.int32)
        # Bucket 0 is the sentinel -1, so a key beyond every known one still finds no match.
        vocabulary = np.concatenate([[-1], self.cross_vocabularies_[i]])
        where = np.minimum(np.searchsorted(vocabulary, keys), len(vocabulary) - 1)
        return np.where(vocabulary[where] == keys, where, 0).astype(np.int32)

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_lookups", None)  # rebuilt on first use
        return state

    # ------------------------------------------------------------------ names

    def wide_feature_names(self):
        """Names of the rows of the wide part's id table, in order (``education=Bachelors``)."""
        names = []
        for j in self.wide:
            if self.categorical[j]:
                names += [f"{self.names[j]}={OTHER}"]
                names += [f"{self.names[j]}={v}" for v in self.vocabularies_[j]]
        for cross, vocabulary in zip(self.crosses, self.cross_vocabularies_):
            label = " x ".join(self.names[j] for j in cross)
            if vocabulary is None:
                names += [f"{label}=#{b}" for b in range(self.cross_buckets)]
            else:
                names += [f"{label}={OTHER}"]
                names += [f"{label}={self._decode(cross, key)}" for key in vocabulary]
        return names

    def _decode(self, cross, key):
        parts = []
        for j in reversed(cross):
            if self.categorical[j]:
                cardinality = len(self.vocabularies_[j]) + 1
                key, code = divmod(int(key), cardinality)
                parts.append(str(self.vocabularies_[j][code - 1]) if code else OTHER)
            else:
                edges = self.bin_edges_[j]
                key, code = divmod(int(key), len(edges) + 1)
                low = f"{edges[code - 1]:.6g}" if code else "-inf"
                high = f"{edges[code]:.6g}" if code < len(edges) else "inf"
                parts.append(f"[{low}, {high})")
        return "|".join(reversed(parts))


def _is_missing(value):
    # None, NaN (Python's and numpy's of any width) and pandas's NA, without importing pandas.
    if value is None or type(value).__name__ == "NAType":
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)


class _Rows:
    """One call's view of X: numeric columns checked once, category indices looked up once."""

    def __init__(self, encoder, X):
        self.encoder, self.X = encoder, X
        self.numbers = _numeric(X, encoder.numeric_)
        self.position = {j: i for i, j in enumerate(encoder.numeric_)}
        self._codes = {}

    def number(self, j):
        return self.numbers[:, self.position[j]]

    def codes(self, j):
        if j not in self._codes:
            self._codes[j] = self.encoder.indices(self.X[:, j], j)
        return self._codes[j]


def _numeric(X, columns):
    """Numeric columns as float64; NaN or inf raises sklearn's "Input X contains NaN"."""
    if len(columns) == 0:
        return np.zeros((len(X), 0))
    values = X[:, columns]
    # On finite values check_array only converts them to float64, but its generic checks
    # take 0.07 ms, a tenth of one-row predict: convert here, and leave a value that does
    # not convert (text, a complex number) or is not finite to check_array, for its error.
    if values.dtype.kind in "biufO":
        try:
            numbers = values.astype(np.float64)
        except (TypeError, ValueError):
            numbers = None
        if numbers is not None and np.isfinite(numbers).all():
            return numbers
    return check_array(values, dtype=np.float64, input_name="X")


def _columns(values, positions):
    return values[:, positions].astype(np.float32)


def _stack(columns, n_rows):
    return np.stack(columns, axis=1) if columns else np.zeros((n_rows, 0), dtype=np.int32)


def _quantile_edges(values, bins, weights=None):
    """Inner edges of ``bins`` quantile bins (fewer where values repeat)."""
    return np.unique(weighted_quantile(values, np.linspace(0, 1, bins + 1)[1:-1], weights))


class TabularInputs(ArrayInputs):
    """The input strategy of Wide & Deep: one raw table (numbers, categories, missing values),
    encoded by a :class:`TabularEncoder` learned from the training rows into the wide and
    deep parts' inputs.  It also builds the built-in Wide & Deep network and its per-part
    optimizer."""

    def validation_options(self, X):
        # Categorical columns may hold strings and missing values; the encoder checks that
        # the numeric ones are finite.
        return {"dtype": table_dtype(getattr(X, "dtypes", None)), "ensure_all_finite": False}

    def check_several(self, X, y, kind, reset):
        raise ValueError(
            f"{self.owner} takes one table (an array or a DataFrame); X is "
            f"{describe_kind(kind)}. For a model with several inputs, use DeepRegressor or "
            "DeepClassifier with model=.")

    def check_predict(self, X):
        # Not the plain shortcut, which makes float32 rows: the encoder takes the table's
        # values as they are.  scikit-learn's checks of a one-row DataFrame take 1 ms (a
        # Series built at each look at its dtypes, pandas asked about each column), half of
        # predict, and a frame of the fitted columns passes them unchanged.
        estimator = self.estimator
        dtypes = None if estimator.inputs is not None else \
            plain_frame_dtypes(X, getattr(estimator, "feature_names_in_", None))
        if dtypes is None:
            return self.check(X, NO_Y, reset=False)
        return np.asarray(X, dtype=table_dtype(dtypes))

    def learn(self, X, dtypes, sample_weight=None):
        estimator, owner = self.estimator, self.owner
        if estimator.inputs is not None:
            raise ValueError(
                f"The 'inputs' parameter of {owner} must be None: Wide & Deep assigns columns "
                "to its parts with wide_columns and deep_columns.")
        names = getattr(estimator, "feature_names_in_", None)
        n = estimator.n_features_in_

        def columns(selector, parameter):
            return resolve_columns(selector, n, names, parameter, owner)

        if isinstance(estimator.categorical_columns, str):
            categorical = categorical_kinds(dtypes, n)
        else:
            categorical = np.zeros(n, dtype=bool)
            chosen = [] if estimator.categorical_columns is None \
                else estimator.categorical_columns
            categorical[columns(chosen, "categorical_columns")] = True
        wide = columns(estimator.wide_columns, "wide_columns")
        deep = columns(estimator.deep_columns, "deep_columns")
        if not np.atleast_1d(estimator.hidden_layer_sizes).size:
            deep = deep[:0]  # no hidden layers: no deep part
        crosses = [tuple(columns(list(c), "crossed_columns")) for c in self._crosses()]
        encoder = TabularEncoder(
            categorical=categorical, wide=wide, deep=deep, crosses=crosses,
            min_frequency=int(estimator.min_frequency), cross_bins=int(estimator.cross_bins),
            cross_buckets=None if estimator.cross_buckets is None
            else int(estimator.cross_buckets),
            names=names if names is not None else [f"x{j}" for j in range(n)],
        ).fit(X, sample_weight)
        fitted = {"encoder_": encoder, "wide_columns_": wide, "deep_columns_": deep,
                  "categorical_columns_": np.flatnonzero(categorical)}
        return fitted, {**super().learn(X, dtypes, sample_weight)[1],
                        **self._meta(encoder, categorical, wide, deep, columns)}

    def _crosses(self):
        crosses = list(self.estimator.crossed_columns)
        if any(not isinstance(c, (list, tuple)) or len(c) < 1 for c in crosses):
            raise ValueError(
                f"The 'crossed_columns' parameter of {self.owner} must be a list of tuples "
                "of columns, e.g. [('Latitude', 'Longitude'), ('age',)]. Got "
                f"{self.estimator.crossed_columns!r} instead.")
        return crosses

    def _meta(self, encoder, categorical, wide, deep, columns):
        n_wide = int((~categorical[wide]).sum())
        n_deep = int((~categorical[deep]).sum())
        wide_ids = encoder.vocabulary_sizes(wide) + encoder.cross_sizes()
        deep_ids = encoder.vocabulary_sizes(deep)
        if not (n_wide or wide_ids or n_deep or deep_ids):
            raise ValueError(
                f"{self.owner} has nothing to train: no wide columns or crosses, and no deep "
                "part (deep columns with hidden layers).")
        return {
            "n_wide_features_": n_wide,
            "n_deep_features_": n_deep,
            "wide_id_sizes_": wide_ids,
            "deep_vocabulary_sizes_": deep_ids,
            "embedding_dims_": self._embedding_dims(encoder, categorical, deep, deep_ids,
                                                    columns),
        }

    def _embedding_dims(self, encoder, categorical, deep, vocabulary_sizes, columns):
        """Embedding width of each categorical deep column: the rule, an int, or a dict."""
        embedding_dim = self.estimator.embedding_dim
        deep_categorical = [j for j in deep if categorical[j]]
        dims = {j: default_embedding_dim(size)
                for j, size in zip(deep_categorical, vocabulary_sizes)}
        if isinstance(embedding_dim, Integral):
            dims = dict.fromkeys(dims, int(embedding_dim))
        elif isinstance(embedding_dim, dict):
            keys = list(embedding_dim)
            chosen = columns(keys, "embedding_dim")
            stray = [k for k, j in zip(keys, chosen) if j not in dims]
            if stray:
                raise ValueError(
                    f"The 'embedding_dim' parameter of {self.owner} sets columns {stray} that "
                    "are not categorical columns of the deep part; those are "
                    f"{[encoder.names[j] for j in deep_categorical]}.")
            dims.update({j: int(embedding_dim[k]) for k, j in zip(keys, chosen)})
        return [dims[j] for j in deep_categorical]

    def bind(self, model):
        pass  # the encoder makes the inputs of build_wide_deep's models

    def feed(self, X):
        return self.estimator.encoder_.transform(X)

    def default_network(self, meta, output, seed, X, y, sample_weight, params):
        units, activation = output
        # Encoded only for an embedding to learn from: the table is encoded again to train.
        deep_numeric = None if params["numeric_embedding"] is None \
            else self.estimator.encoder_.transform(X)[1]
        return build_wide_deep(
            meta["n_wide_features_"], meta["n_deep_features_"], units,
            wide_id_sizes=meta["wide_id_sizes_"],
            deep_vocabulary_sizes=meta["deep_vocabulary_sizes_"],
            embedding_dims=meta["embedding_dims_"], output_activation=activation,
            aux_output=params["aux_loss_weight"] > 0, seed=seed, **network_params(params),
            numeric_embedding=embedding_of(params, deep_numeric, y, seed,
                                           "deep_numeric_embedding", sample_weight))

    def optimizer(self, optimizer, params, extra_params):
        """The deep part's ``optimizer`` beside the wide part's ``wide_optimizer``, as one
        Keras MultiOptimizer (the wide part's layers are named ``wide_*``)."""
        if params["wide_optimizer"] is None:
            return optimizer
        kwargs = routed(extra_params, "wide_optimizer")
        if not isinstance(params["wide_optimizer"], keras.optimizers.Optimizer):
            # TensorFlow's canned Wide & Deep estimators' rule: Keras's default rates
            # (1e-3) leave a linear model over one-hot features nearly untrained.
            encoder = self.estimator.encoder_
            n_wide = len(self.estimator.wide_columns_) + len(encoder.crosses)
            kwargs.setdefault("learning_rate", min(0.2, 1 / np.sqrt(max(n_wide, 1))))
        wide = make_optimizer(params["wide_optimizer"], kwargs)
        return keras.optimizers.MultiOptimizer(
            keras.optimizers.OptimizerMap(optimizer, {"wide_.*": wide}))

    def compile_for(self, model, kwargs, params):
        if len(model.outputs) == 2:  # the main head, and the deep part's auxiliary one
            weight = float(params["aux_loss_weight"])
            kwargs = {**kwargs, "loss_weights": [1.0 - weight, weight]}
        return kwargs


def table_dtype(dtypes):
    """The dtype validation gives a table with these column dtypes (None: a numpy array's).

    A DataFrame with any non-numeric column becomes an object array, values unchanged
    (scikit-learn's own dtype inference fails on some mixes, e.g. a category column of
    strings beside a bool one).
    """
    if dtypes is not None and not isinstance(dtypes, Iterable):
        dtypes = [dtypes]  # a Series: check_array then refuses it for being 1-D
    mixed = dtypes is not None and any(getattr(d, "kind", "O") not in "iuf" for d in dtypes)
    return object if mixed else None
