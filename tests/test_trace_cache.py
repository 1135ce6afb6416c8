"""Fits of one architecture share traced training: same results, no growth, thread-safe."""

import gc
import importlib
import sys
import threading

import keras
import numpy as np
import pytest
from tensorflow.python.framework import ops
from tensorflow.python.framework.func_graph import FuncGraph

from skdeep import DeepClassifier, DeepRegressor, WideDeepRegressor
from skdeep.engine import trace_cache


def _fit_predict(make, X, y):
    return make().fit(X, y).predict(X[:50])


def _n_twins():
    return sum(map(len, trace_cache._free.values()))


@pytest.mark.slow
def test_a_cached_trace_gives_the_same_predictions_bit_for_bit(california, monkeypatch):
    X, y, X_val, y_val = california

    def make():
        return DeepRegressor(hidden_layer_sizes=(16, 16), epochs=3, early_stopping=True,
                             n_iter_no_change=1, batch_size=64, random_state=3)

    trace_cache.clear()
    first, cached = _fit_predict(make, X, y), _fit_predict(make, X, y)
    assert _n_twins() == 1
    monkeypatch.setattr(trace_cache, "signature", lambda model, spec: None)
    own = _fit_predict(make, X, y)  # the model traces its own functions
    np.testing.assert_array_equal(first, own)
    np.testing.assert_array_equal(cached, own)


def test_folds_of_different_sizes_and_seeds_share_one_twin(california):
    X, y, _, _ = california
    trace_cache.clear()
    for rows, seed in [(1500, 0), (1499, 1), (1001, None)]:
        DeepRegressor(hidden_layer_sizes=(8,), epochs=1, random_state=seed).fit(X[:rows],
                                                                                y[:rows])
    assert _n_twins() == 1
    DeepRegressor(hidden_layer_sizes=(9,), epochs=1).fit(X, y)  # another architecture
    DeepRegressor(hidden_layer_sizes=(8,), epochs=1, batch_size=16).fit(X, y)
    assert _n_twins() == 3


def test_metric_names_are_part_of_the_signature(california):
    X, y, _, _ = california
    trace_cache.clear()
    for name in ("first", "second"):
        reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=1, random_state=0,
                            metrics=[keras.metrics.MeanAbsoluteError(name=name)]).fit(X, y)
        assert name in reg.history_


def test_user_functions_are_never_shared(california):
    X, y, _, _ = california

    def loss_with(scale):
        def loss(y_true, y_pred):
            return scale * keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)
        return loss

    trace_cache.clear()
    losses = [DeepRegressor(hidden_layer_sizes=(8,), epochs=1, random_state=0,
                            loss=loss_with(scale)).fit(X, y).history_["loss"][0]
              for scale in (1.0, 100.0)]
    assert _n_twins() == 0  # two functions named "loss": the cache cannot tell them apart
    assert losses[1] == pytest.approx(100 * losses[0], rel=1e-3)


SCALE = """
import keras


class Scale(keras.layers.Layer):
    def call(self, x):
        return x * {factor}
"""


def test_a_users_module_named_like_keras_is_not_trusted(california, tmp_path, monkeypatch):
    # Two versions of a user's module keras_layers.py: the same layer name and config, a
    # different computation.  Only keras and keras.* are Keras.
    X, y, _, _ = california

    def first_loss(factor):
        folder = tmp_path / str(factor)
        folder.mkdir()
        (folder / "keras_layers.py").write_text(SCALE.format(factor=factor))
        monkeypatch.syspath_prepend(str(folder))
        monkeypatch.delitem(sys.modules, "keras_layers", raising=False)
        scale = importlib.import_module("keras_layers").Scale

        def builder(meta):
            return keras.Sequential([keras.Input((meta["n_features_in_"],)),
                                     keras.layers.Dense(1), scale()])

        reg = DeepRegressor(model=builder, epochs=1, random_state=0).fit(X, y)
        assert type(reg.model_.layers[-1]).__module__ == "keras_layers"
        return reg.history_["loss"][0]

    trace_cache.clear()
    try:
        losses = [first_loss(1), first_loss(100)]
    finally:
        sys.modules.pop("keras_layers", None)
    assert _n_twins() == 0
    assert losses[1] > 100 * losses[0]


def test_fits_in_threads_get_their_own_twins(california):
    X, y, _, _ = california

    def make():
        return DeepRegressor(hidden_layer_sizes=(8,), epochs=2, random_state=0)

    serial = _fit_predict(make, X, y)
    results = [None] * 4

    def work(i):
        results[i] = _fit_predict(make, X, y)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results:
        np.testing.assert_array_equal(result, serial)


def test_warm_fit_failure_restores_the_optimizer_state(california):
    X, y, _, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=1, warm_start=True,
                        random_state=0).fit(X, y)
    state = trace_cache.optimizer_state(reg.model_)
    with pytest.raises(ValueError):
        reg.fit(X, y[:10])
    for a, b in zip(state, trace_cache.optimizer_state(reg.model_)):
        np.testing.assert_array_equal(a, b)


def _tensorflow_counters():
    gc.collect()
    return (len(ops.gradient_registry.list()),
            sum(isinstance(o, FuncGraph) for o in gc.get_objects()))


OPTIMIZERS = ["adam", "adamw", "nadam", "sgd", "rmsprop", "adagrad", "adadelta", "adamax",
              "ftrl", "lion"]


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.slow
def test_repeated_fits_leave_no_graphs_behind(california, optimizer):
    X, y, _, _ = california
    X, y = X[:256], y[:256]

    def fit():
        DeepRegressor(hidden_layer_sizes=(8,), epochs=2, optimizer=optimizer).fit(X, y) \
            .predict(X[:5])

    for _ in range(2):
        fit()
    before = _tensorflow_counters()
    for _ in range(6):
        fit()
    assert _tensorflow_counters() == before


@pytest.mark.slow
def test_builders_and_wide_deep_leave_no_graphs_behind(california, adult):
    X, y, _, _ = california
    X, y = X[:256], y[:256]

    def builder(meta):
        model = keras.Sequential([keras.Input((meta["n_features_in_"],)),
                                  keras.layers.Dense(8, activation="relu"),
                                  keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        return model

    fits = [lambda: DeepRegressor(model=builder, epochs=2).fit(X, y).predict(X[:5]),
            lambda: WideDeepRegressor(hidden_layer_sizes=(8,), epochs=2).fit(X, y)
            .predict(X[:5]),
            lambda: DeepClassifier(hidden_layer_sizes=(8,), epochs=2, mixed_precision="mixed_float16")
            .fit(X, y > np.median(y)).predict(X[:5])]
    for fit in fits:
        fit(), fit()
    before = _tensorflow_counters()
    for fit in fits:
        for _ in range(3):
            fit()
    assert _tensorflow_counters() == before


def test_every_fit_builds_with_the_same_keras_names(california):
    # TensorFlow keeps a kernel per variable name for good: counted names would leak.
    X, y, _, _ = california

    def builder(meta):
        model = keras.Sequential([keras.Input((meta["n_features_in_"],)),
                                  keras.layers.Dense(4), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.Adam(), loss="mse")
        return model

    keras.layers.Dense(1)
    before = keras.layers.Dense(1).name  # "dense_N", N >= 1
    fitted = [DeepRegressor(model=builder, epochs=1).fit(X[:64], y[:64]) for _ in range(2)]
    paths = [[v.path for v in f.model_.variables + f.model_.optimizer.variables]
             for f in fitted]
    assert paths[0] == paths[1]
    assert "sequential/dense_1/kernel" in paths[0] and "adam/iteration" in paths[0]
    # The user's own counters go on where they were.
    assert keras.layers.Dense(1).name == f"dense_{int(before.rpartition('_')[2]) + 1}"
