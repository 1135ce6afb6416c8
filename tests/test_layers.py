"""Numeric embeddings (skdeep/layers.py: periodic, piecewise-linear) in the built-in networks,
with real fits."""

import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import train_test_split

import skdeep
from skdeep.datasets import load_california_housing
from skdeep.layers import PeriodicEmbedding, PiecewiseLinearEmbedding, quantile_bins, target_bins

KINDS = ["periodic", "periodic_lite", "piecewise_linear", "piecewise_linear_target"]


@pytest.fixture(scope="module")
def housing():
    X, y = load_california_housing(return_X_y=True, as_frame=True)
    return train_test_split(X, y, train_size=4000, test_size=2000, random_state=0)


def _rmse(estimator, X, y):
    return float(np.sqrt(np.mean((estimator.predict(X) - y) ** 2)))


def test_piecewise_linear_encoding_matches_its_definition():
    edges = [[0.0, 1.0, 3.0, 4.0], [-1.0, 1.0]]
    x = np.array([[-2.0, 0.0], [2.0, 3.0], [3.5, -1.0], [9.0, 2.0]], "float32")
    encoded = keras.ops.convert_to_numpy(PiecewiseLinearEmbedding(edges, dim=2).encode(x))
    # Bins below x are 1, x's own bin its position in it, bins above 0; the first bin
    # extrapolates below, the last above; a feature's missing bins are 0.
    np.testing.assert_allclose(encoded[:, 0], [[-2, 0, 0], [1, 0.5, 0], [1, 1, 0.5], [1, 1, 6]])
    np.testing.assert_allclose(encoded[:, 1], [[0.5, 0, 0], [2, 0, 0], [0, 0, 0], [1.5, 0, 0]])


def test_quantile_bins_follow_the_data():
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(size=1000), rng.integers(0, 3, 1000), np.ones(1000)])
    edges = quantile_bins(X, n_bins=8)
    assert len(edges[0]) == 9 and np.all(np.diff(edges[0]) > 0)
    assert edges[0][0] == X[:, 0].min() and edges[0][-1] == X[:, 0].max()
    np.testing.assert_array_equal(edges[1], [0, 1, 2])  # three values: two bins
    np.testing.assert_array_equal(edges[2], [0.5, 1.5])  # constant: one bin around it


def test_target_bins_split_where_the_target_changes():
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(4000, 2))
    # y steps at x0 = 0.73 and does not depend on x1.
    y = np.column_stack([X[:, 0] > 0.73, X[:, 0] <= 0.73]).astype(float)
    edges = target_bins(X, y, n_bins=8)
    assert np.min(np.abs(edges[0] - 0.73)) < 0.01
    assert edges[0][0] == X[:, 0].min() and edges[0][-1] == X[:, 0].max()
    assert len(edges[0]) <= 9 and np.all(np.diff(edges[0]) > 0)
    # Quantile bins put no edge near the step; the irrelevant column still gets valid bins.
    assert np.min(np.abs(quantile_bins(X, 8)[0] - 0.73)) > 0.01
    assert len(edges[1]) >= 2 and np.all(np.diff(edges[1]) > 0)


def test_embedding_layers_reload_from_their_config():
    x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    for layer in [PeriodicEmbedding(8, 4, 0.5, seed=0), PeriodicEmbedding(8, 4, lite=True, seed=0),
                  PiecewiseLinearEmbedding(quantile_bins(x, 3), dim=4, seed=0)]:
        out = layer(x)
        assert out.shape == (5, 12)
        copy = type(layer).from_config(layer.get_config())
        copy.build(x.shape)
        copy.set_weights(layer.get_weights())
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(copy(x)),
                                      keras.ops.convert_to_numpy(out))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.slow
def test_each_embedding_trains_saves_and_reloads_bit_for_bit(housing, kind, tmp_path):
    X_train, X_test, y_train, _ = housing
    X_train, X_test = X_train.to_numpy("float32"), X_test.to_numpy("float32")
    mean, std = X_train.mean(0), X_train.std(0)
    reg = skdeep.DeepRegressor(hidden_layer_sizes=(32,), numeric_embedding=kind, n_bins=8,
                               n_frequencies=8, numeric_embedding_dim=4, epochs=3,
                               random_state=0).fit((X_train - mean) / std, y_train)
    embedding = reg.model_.get_layer("numeric_embedding")
    assert embedding.output.shape == (None, 8 * 4)
    expected = reg.predict((X_test - mean) / std)
    assert np.isfinite(expected).all()
    reg.save(tmp_path / "reg.skdeep")
    np.testing.assert_array_equal(skdeep.load(tmp_path / "reg.skdeep").predict(
        (X_test - mean) / std), expected)


def test_piecewise_linear_bins_come_from_the_training_rows_only(housing):
    X_train, _, y_train, _ = housing
    X = X_train.to_numpy("float32")
    reg = skdeep.DeepRegressor(hidden_layer_sizes=(8,), numeric_embedding="piecewise_linear",
                               n_bins=4, early_stopping=True, validation_fraction=0.5,
                               epochs=1, random_state=0).fit(X, y_train)
    edges = reg.model_.get_layer("numeric_embedding").bin_edges
    # The validation half's rows are not in the bins: the training half's extremes are.
    all_rows = [float(np.float32(e)) for e in quantile_bins(X, 4)[0]]
    assert len(edges) == X.shape[1] and edges[0] != all_rows


@pytest.mark.slow
def test_embeddings_beat_a_plain_mlp_on_california(housing):
    """What they are for: a 4,000-row California fit, Wide & Deep's default network."""
    X_train, X_test, y_train, y_test = housing
    common = dict(crossed_columns=[("Latitude", "Longitude")], early_stopping=True,
                  n_iter_no_change=10, batch_size=64, random_state=0)
    plain = skdeep.WideDeepRegressor(numeric_embedding=None, **common).fit(X_train, y_train)
    embedded = skdeep.WideDeepRegressor(numeric_embedding="piecewise_linear", **common) \
        .fit(X_train, y_train)
    assert "deep_numeric_embedding" in [layer.name for layer in embedded.model_.layers]
    assert _rmse(embedded, X_test, y_test) < 0.98 * _rmse(plain, X_test, y_test)


def test_bad_settings_name_the_parameter_and_the_shape():
    X = np.zeros((20, 4, 4), "float32")
    with pytest.raises(ValueError, match="'numeric_embedding' parameter of DeepRegressor must "
                                         "be a str among .*periodic.*Got 'fourier' instead"):
        skdeep.DeepRegressor(numeric_embedding="fourier").fit(X.reshape(20, -1), np.ones(20))
    with pytest.raises(ValueError, match=r"embeds the columns of a table, but X has shape "
                                         r"\(20, 4, 4\)"):
        skdeep.DeepRegressor(numeric_embedding="periodic", epochs=1).fit(X, np.ones(20))


def test_embedding_parameters_round_trip_through_clone():
    reg = skdeep.WideDeepClassifier(numeric_embedding="periodic_lite", frequency_scale=0.3,
                                    n_frequencies=16, numeric_embedding_dim=8, n_bins=20)
    params = clone(reg).get_params()
    assert {k: params[k] for k in ["numeric_embedding", "frequency_scale", "n_frequencies",
                                   "numeric_embedding_dim", "n_bins"]} == \
        {"numeric_embedding": "periodic_lite", "frequency_scale": 0.3, "n_frequencies": 16,
         "numeric_embedding_dim": 8, "n_bins": 20}


def test_binary_columns_pass_through_unembedded(housing):
    """A one-hot table: only the columns with more than two values are embedded."""
    X_train, X_test, y_train, _ = housing
    numeric = X_train[["MedInc", "HouseAge"]].to_numpy("float32")
    flags = (X_train[["Latitude", "Longitude", "AveRooms"]].to_numpy() >
             X_train[["Latitude", "Longitude", "AveRooms"]].median().to_numpy()).astype("float32")
    X = np.column_stack([flags[:, :1], numeric, flags[:, 1:]])
    clf = skdeep.DeepClassifier(hidden_layer_sizes=(8,), numeric_embedding="periodic",
                                numeric_embedding_dim=4, epochs=1, random_state=0)
    clf.fit(X, y_train > y_train.median())
    embedding = clf.model_.get_layer("numeric_embedding")
    assert embedding.columns == [1, 2] and embedding.output.shape == (None, 2 * 4 + 3)
    copy = PeriodicEmbedding.from_config(embedding.get_config())
    copy.build(X.shape)
    copy.set_weights(embedding.get_weights())
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(copy(X[:5])),
                                  keras.ops.convert_to_numpy(embedding(X[:5])))


@pytest.mark.slow
def test_auto_embeds_large_tables_only():
    X, y = load_california_housing(return_X_y=True)
    X = ((X - X.mean(0)) / X.std(0)).astype("float32")

    def layers(inputs, target):
        reg = skdeep.DeepRegressor(hidden_layer_sizes=(8,), epochs=1, random_state=0)
        return {layer.name: layer for layer in reg.fit(inputs, target).model_.layers}

    # 12,000 rows: 10,800 train after the validation split, above the 10,000 of "auto".
    embedding = layers(X[:12000], y[:12000]).get("numeric_embedding")
    assert isinstance(embedding, PeriodicEmbedding) and embedding.frequency_scale == 3.0
    # A small table (which it overfits), an image, a table of 100 pixel columns: none.
    images = np.random.default_rng(0).uniform(size=(12000, 10, 10)).astype("float32")
    for inputs, target in [(X[:2000], y[:2000]), (images, y[:12000]),
                           (images.reshape(12000, 100), y[:12000])]:
        assert "numeric_embedding" not in layers(inputs, target)
