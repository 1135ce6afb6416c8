"""Sample weights as repeated rows (skdeep/weighting.py), in the statistics and in fits."""

import numpy as np
import pytest

from skdeep import DeepRegressor
from skdeep.weighting import rescaled, weighted_counts, weighted_quantile


def test_rescaled_weights_average_one_and_keep_their_ratios():
    weights = np.array([2.0, 0.0, 6.0])
    out = rescaled(weights)
    np.testing.assert_allclose(out, [0.75, 0.0, 2.25])
    assert out.mean() == pytest.approx(1.0) and weights.tolist() == [2.0, 0.0, 6.0]
    assert rescaled(None) is None
    np.testing.assert_array_equal(rescaled(np.zeros(3)), np.zeros(3))  # nothing to scale


def test_integer_weights_give_the_quantiles_and_counts_of_repeated_values():
    rng = np.random.RandomState(0)
    values, weights = rng.normal(size=50), rng.randint(0, 4, 50)
    q = np.linspace(0, 1, 11)
    np.testing.assert_array_equal(weighted_quantile(values, q, weights),
                                  np.quantile(values.repeat(weights), q))
    keys = rng.choice(["a", "b", "c"], 50)
    unique, counts = weighted_counts(keys, weights)
    repeated_unique, repeated_counts = np.unique(keys.repeat(weights), return_counts=True)
    assert unique.tolist() == repeated_unique.tolist()
    np.testing.assert_array_equal(counts, repeated_counts)


def test_sample_weight_is_used_and_not_modified(california):
    X, y, X_test, _ = california
    weights = np.where(X[:, 0] > 0, 1.0, 0.0)
    original = weights.copy()
    params = dict(hidden_layer_sizes=(16,), epochs=5, random_state=0)
    weighted = DeepRegressor(**params).fit(X, y, sample_weight=weights).predict(X_test)
    np.testing.assert_array_equal(weights, original)
    plain = DeepRegressor(**params).fit(X, y).predict(X_test)
    ones = DeepRegressor(**params).fit(X, y, sample_weight=np.ones(len(y))).predict(X_test)
    np.testing.assert_array_equal(plain, ones)
    assert np.abs(weighted - plain).max() > 1e-3


def test_weights_all_equal_train_as_no_weights(california):
    # The loss is sum(w * loss) / sum(w), so only the weights' ratios matter, bit for bit,
    # also with mini-batches: the epoch losses and predictions are those without weights.
    X, y, X_test, _ = california
    params = dict(hidden_layer_sizes=(16,), epochs=3, batch_size=64, random_state=0)
    plain = DeepRegressor(**params).fit(X, y)
    for value in (2.0, 0.5, 0.1):
        same = DeepRegressor(**params).fit(X, y, sample_weight=np.full(len(y), value))
        assert same.history_["loss"] == plain.history_["loss"]
        np.testing.assert_array_equal(same.predict(X_test), plain.predict(X_test))


@pytest.mark.parametrize("embedding", [None, "piecewise_linear", "piecewise_linear_target"])
def test_integer_weights_train_as_repeated_rows(california, embedding):
    # A row weighted k trains as k copies of it, and weight 0 as no row: in the loss and in
    # the bins an embedding learns from the rows.  With one batch of every row the fits
    # differ only in float32 rounding (plain SGD: a loss off by a factor would show).
    X, y, X_test, _ = california
    X, y = X[:300], y[:300]
    weights = np.random.RandomState(0).randint(0, 4, len(y))
    params = dict(hidden_layer_sizes=(16,), numeric_embedding=embedding, n_bins=8,
                  optimizer="sgd", learning_rate=0.05, epochs=20, batch_size=1024,
                  random_state=0)
    weighted = DeepRegressor(**params).fit(X, y, sample_weight=weights)
    repeated = DeepRegressor(**params).fit(X.repeat(weights, axis=0), y.repeat(weights))
    if embedding is not None:
        for a, b in zip(weighted.model_.get_layer("numeric_embedding").bin_edges,
                        repeated.model_.get_layer("numeric_embedding").bin_edges):
            np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(weighted.history_["loss"], repeated.history_["loss"], rtol=1e-5)
    np.testing.assert_allclose(weighted.predict(X_test), repeated.predict(X_test), rtol=1e-5,
                               atol=1e-6)


