"""Routing (skdeep/routing.py): estimator parameters on their way to a user's builder, the
scikeras way.

A ``model=`` builder gets its named arguments from plain (``hidden_layers=2``) or routed
(``model__hidden_layers=2``) estimator parameters, as Python scalars; ``fit__*`` and
``predict__*`` reach ``model.fit`` and prediction; a misspelled name gets a suggestion.
Every test fits a real network on small data.
"""

from skdeep import DeepRegressor  # noqa: I001  (before keras: quiet TF logs)

import keras
import numpy as np
import pytest

from user_builders import Recorder, build_model, n_dense, small


# ---------------------------------------------------------------------------- plain vs routed


def test_plain_builder_argument_reaches_builder(tiny):
    X, y = tiny
    builder = Recorder()
    reg = DeepRegressor(model=builder, hidden_layers=2, **small()).fit(X, y)
    assert builder.calls[-1]["hidden_layers"] == 2
    assert n_dense(reg.model_) == 3  # 2 hidden + output
    assert reg.get_params()["hidden_layers"] == 2


def test_routed_builder_argument_reaches_builder(tiny):
    X, y = tiny
    builder = Recorder()
    reg = DeepRegressor(model=builder, model__hidden_layers=2, model__layer_size=7,
                        **small()).fit(X, y)
    assert n_dense(reg.model_) == 3
    assert [layer.units for layer in reg.model_.layers] == [7, 7, 1]
    assert reg.get_params()["model__hidden_layers"] == 2


def test_routed_wins_over_plain(tiny):
    X, y = tiny
    builder = Recorder()
    reg = DeepRegressor(model=builder, hidden_layers=1, model__hidden_layers=3,
                        **small()).fit(X, y)
    assert builder.calls[-1]["hidden_layers"] == 3
    assert n_dense(reg.model_) == 4


def test_builder_defaults_apply_when_not_given(tiny):
    X, y = tiny
    builder = Recorder()
    reg = DeepRegressor(model=builder, **small()).fit(X, y)
    assert builder.calls[-1]["hidden_layers"] == 1
    assert builder.calls[-1]["layer_size"] == 4
    assert n_dense(reg.model_) == 2


def test_reference_builder_keeps_its_own_learning_rate_default(tiny):
    # The notes' builder has its own ``learning_rate=3e-3``; the estimator's learning_rate
    # was not given, so the builder's default must apply (as under scikeras).
    X, y = tiny
    reg = DeepRegressor(model=build_model, **small()).fit(X, y)
    assert isinstance(reg.model_.optimizer, keras.optimizers.SGD)
    assert float(reg.model_.optimizer.learning_rate) == pytest.approx(3e-3)


def test_builder_with_var_keyword_gets_extra_and_routed_params(tiny):
    X, y = tiny
    seen = {}

    def builder(meta, **kwargs):
        seen.update(kwargs)
        model = keras.Sequential([keras.Input((meta["n_features_in_"],))])
        for _ in range(kwargs["depth"]):
            model.add(keras.layers.Dense(kwargs["width"]))
        model.add(keras.layers.Dense(1))
        return model

    reg = DeepRegressor(model=builder, depth=2, model__width=np.int64(5), **small()).fit(X, y)
    assert seen["depth"] == 2 and seen["width"] == 5
    assert type(seen["width"]) is int
    assert [layer.units for layer in reg.model_.layers] == [5, 5, 1]


# ---------------------------------------------------------------------------- numpy scalars


def test_numpy_scalars_reach_builder_as_python_scalars(tiny):
    X, y = tiny
    types = {}

    def builder(hidden_layers=1, layer_size=30, learning_rate=3e-3, meta=None):
        types.update(hidden_layers=type(hidden_layers), layer_size=type(layer_size),
                     learning_rate=type(learning_rate))
        assert type(hidden_layers) is int
        assert type(layer_size) is int
        assert type(learning_rate) is float
        return build_model(hidden_layers, layer_size, learning_rate, meta)

    reg = DeepRegressor(model=builder, layer_size=np.int64(6),
                        model__hidden_layers=np.int32(2), learning_rate=np.float64(0.01),
                        **small()).fit(X, y)
    assert types == {"hidden_layers": int, "layer_size": int, "learning_rate": float}
    assert [layer.units for layer in reg.model_.layers] == [6, 6, 1]


# ---------------------------------------------------------------------------- fit and predict


@pytest.mark.slow
def test_fit_routing(tiny):
    X, y = tiny
    plain = DeepRegressor(hidden_layer_sizes=(4,), **small(epochs=3)).fit(X, y)
    assert "val_loss" not in plain.history_
    reg = DeepRegressor(hidden_layer_sizes=(4,), fit__validation_split=np.float64(0.25),
                        **small(epochs=3)).fit(X, y)
    assert len(reg.history_["val_loss"]) == 3
    assert 1 <= reg.best_epoch_ <= 3


class _BatchRows(keras.layers.Layer):
    """Identity layer calling ``record(n_rows)``, eagerly, for every batch it sees.

    (A function, not the list itself: Keras would wrap a list attribute in a tracked copy.)
    """

    def __init__(self, record, **kwargs):
        super().__init__(**kwargs)
        self.record = record

    def call(self, x):
        import tensorflow as tf  # the test that uses this layer runs under TensorFlow only

        def passthrough(t):
            self.record(int(t.shape[0]))
            return t

        out = tf.py_function(passthrough, [x], x.dtype)
        out.set_shape(x.shape)
        return out


@pytest.mark.tensorflow  # counts the traced predict's calls with tf.py_function
def test_predict_routing_batch_size(tiny):
    X, y = tiny  # 120 rows
    rows = []

    def builder(meta):
        inputs = keras.Input((meta["n_features_in_"],))
        return keras.Model(inputs, keras.layers.Dense(1)(_BatchRows(rows.append)(inputs)))

    reg = DeepRegressor(model=builder, **small(epochs=1)).fit(X, y)
    rows.clear()
    whole = reg.predict(X)
    assert len(rows) == 1  # the default serves 120 rows in one call

    reg.set_params(predict__batch_size=50)
    rows.clear()
    chunked = reg.predict(X)
    assert len(rows) == 3  # 50 + 50 + 20 rows (each padded to a block)
    np.testing.assert_allclose(chunked, whole, rtol=1e-6)

    reg2 = DeepRegressor(model=builder, predict__batch_size=np.int64(100),
                         **small(epochs=1)).fit(X, y)
    rows.clear()
    reg2.predict(X)
    assert len(rows) == 2


# ---------------------------------------------------------------------------- errors


def test_misspelled_builder_argument_suggests_the_right_one(tiny):
    X, y = tiny
    reg = DeepRegressor(model=Recorder(), hidden_layer=2, **small())
    with pytest.raises(ValueError, match=r"hidden_layer.*did you mean hidden_layers\?"):
        reg.fit(X, y)
    assert not hasattr(reg, "model_")


def test_misspelled_route_suggests_model_route(tiny):
    X, y = tiny
    reg = DeepRegressor(model=Recorder(), modle__layer_size=3, **small())
    with pytest.raises(ValueError, match=r"modle__layer_size.*did you mean model__layer_size\?"):
        reg.fit(X, y)


def test_suggestions_are_only_names_that_would_be_accepted(tiny):
    X, y = tiny
    # Recorder takes no 'units': nothing close is valid.
    for key in ("modle__units", "metricz__units"):
        reg = DeepRegressor(model=Recorder(), **{key: 3}, **small())
        with pytest.raises(ValueError, match=f"'{key}' is not a known route") as error:
            reg.fit(X, y)
        assert "did you mean" not in str(error.value)
    reg = DeepRegressor(optimiser__momentum=0.9, optimizer="sgd", **small())
    with pytest.raises(ValueError, match=r"did you mean optimizer__momentum\?"):
        reg.fit(X, y)


@pytest.mark.parametrize("route", ["metrics", "callbacks"])
def test_arguments_routed_to_nothing_are_refused(tiny, route):
    X, y = tiny
    reg = DeepRegressor(**{f"{route}__name": "x"}, **small())
    with pytest.raises(ValueError, match=f"{route}__name is set, but {route} is None"):
        reg.fit(X, y)


def test_misspelled_routed_builder_argument(tiny):
    X, y = tiny
    reg = DeepRegressor(model=Recorder(), model__hiden_layers=2, **small())
    with pytest.raises(ValueError, match=r"did you mean model__hidden_layers\?"):
        reg.fit(X, y)


def test_misspelled_builtin_parameter_without_builder(tiny):
    X, y = tiny
    reg = DeepRegressor(hidden_layer_size=(3,), **small())
    with pytest.raises(ValueError, match=r"did you mean hidden_layer_sizes\?"):
        reg.fit(X, y)
