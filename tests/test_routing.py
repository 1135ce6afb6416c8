"""User model builders and routed parameters, the scikeras way.

A ``model=`` builder gets its named arguments from plain (``hidden_layers=2``) or routed
(``model__hidden_layers=2``) estimator parameters, plus ``meta`` and ``compile_kwargs``;
``optimizer__*``, ``loss__*``, ``callbacks__*``, ``fit__*`` and ``predict__*`` reach the
optimizer, the loss, the callbacks, ``model.fit`` and prediction.  Every test fits a real
network on real (small) data.
"""

from skdeep import DeepClassifier, DeepRegressor  # noqa: I001  (before keras: quiet TF logs)
from skdeep.datasets import load_california_housing
from skdeep.exceptions import BuilderError, SkdeepError

import keras
import numpy as np
import pytest
from scipy.stats import reciprocal
from sklearn.base import clone
from sklearn.datasets import make_classification, make_regression
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
from sklearn.preprocessing import StandardScaler

# ---------------------------------------------------------------------------- data


@pytest.fixture(scope="module")
def housing():
    """600 random typical California districts, features standardised (target in 100k USD).

    Districts with absurd averages (AveOccup up to 1243) are left out: one of them in a
    validation fold dominates every R².
    """
    X, y = load_california_housing(return_X_y=True)
    typical = (np.abs(StandardScaler().fit_transform(X)) < 5).all(axis=1)
    X, y = X[typical], y[typical]
    rows = np.random.RandomState(0).permutation(len(X))[:600]
    X, y = X[rows], y[rows]
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def tiny():
    X, y = make_regression(n_samples=120, n_features=5, noise=1.0, random_state=0)
    return X, y / np.std(y)


# ---------------------------------------------------------------------------- builders


def build_model(hidden_layers=1, layer_size=30, learning_rate=3e-3, meta=None):
    """The reference notes' builder (compiles itself with SGD)."""
    model = keras.Sequential([keras.Input((meta["n_features_in_"],))])
    for _ in range(hidden_layers):
        model.add(keras.layers.Dense(layer_size, activation="relu"))
    model.add(keras.layers.Dense(1))
    model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=learning_rate))
    return model


class Recorder:
    """A builder (uncompiled Sequential MLP) that records the arguments of every call."""

    def __init__(self):
        self.calls = []

    def __call__(self, hidden_layers=1, layer_size=4, meta=None):
        self.calls.append({"hidden_layers": hidden_layers, "layer_size": layer_size,
                           "meta": meta})
        model = keras.Sequential([keras.Input((meta["n_features_in_"],))])
        for _ in range(hidden_layers):
            model.add(keras.layers.Dense(layer_size, activation="relu"))
        model.add(keras.layers.Dense(meta["n_outputs_"]))
        return model


def n_dense(model):
    return sum(isinstance(layer, keras.layers.Dense) for layer in model.layers)


def small(**kwargs):
    """Fast settings for plumbing tests: few epochs, seeded."""
    return {"epochs": 2, "batch_size": 32, "random_state": 0, **kwargs}


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


# ---------------------------------------------------------------------------- meta


def test_regressor_meta(tiny):
    X, y = tiny
    builder = Recorder()
    DeepRegressor(model=builder, **small()).fit(X, y)
    meta = builder.calls[-1]["meta"]
    assert meta["n_features_in_"] == 5
    assert meta["n_outputs_"] == 1
    assert meta["target_type_"] == "continuous"


def test_regressor_meta_multioutput(tiny):
    X, y = tiny
    Y = np.column_stack([y, -y])
    builder = Recorder()
    reg = DeepRegressor(model=builder, **small()).fit(X, Y)
    meta = builder.calls[-1]["meta"]
    assert meta["n_outputs_"] == 2
    assert meta["target_type_"] == "continuous-multioutput"
    assert reg.predict(X[:3]).shape == (3, 2)


def _classifier_builder(seen):
    def builder(meta, compile_kwargs):
        seen["meta"], seen["compile_kwargs"] = meta, compile_kwargs
        inputs = keras.Input((meta["n_features_in_"],))
        hidden = keras.layers.Dense(8, activation="relu")(inputs)
        if meta["target_type_"] == "binary":
            outputs = keras.layers.Dense(1, activation="sigmoid")(hidden)
        else:
            outputs = keras.layers.Dense(meta["n_classes_"], activation="softmax")(hidden)
        model = keras.Model(inputs, outputs)
        model.compile(**compile_kwargs)
        return model

    return builder


@pytest.mark.parametrize(
    "labels, target_type, loss",
    [
        (np.array(["cat", "dog"]), "binary", "binary_crossentropy"),
        (np.array(["a", "b", "c"]), "multiclass", "sparse_categorical_crossentropy"),
    ],
)
def test_classifier_meta_and_compile_kwargs(labels, target_type, loss):
    X, y = make_classification(n_samples=150, n_features=4, n_informative=3, n_redundant=0,
                               n_classes=len(labels), random_state=0)
    y = labels[y]
    seen = {}
    clf = DeepClassifier(model=_classifier_builder(seen), learning_rate=0.01,
                         **small(epochs=5)).fit(X, y)
    meta = seen["meta"]
    assert meta["n_features_in_"] == 4
    assert meta["n_outputs_"] == 1
    assert meta["target_type_"] == target_type
    assert meta["n_classes_"] == len(labels)
    np.testing.assert_array_equal(meta["classes_"], labels)
    assert seen["compile_kwargs"]["loss"] == loss
    assert set(clf.predict(X)) <= set(labels)
    assert clf.predict_proba(X[:4]).shape == (4, len(labels))
    assert clf.score(X, y) > 1 / len(labels)


# ---------------------------------------------------------------------------- compiling


def test_builder_compiles_itself_with_compile_kwargs(tiny):
    X, y = tiny
    seen = []

    def builder(meta, compile_kwargs):
        seen.append(compile_kwargs)
        model = keras.Sequential([keras.Input((meta["n_features_in_"],)), keras.layers.Dense(1)])
        model.compile(**compile_kwargs)
        return model

    reg = DeepRegressor(model=builder, optimizer="rmsprop", learning_rate=0.02, loss="mae",
                        metrics=["mse"], **small())
    reg.fit(X, y)
    kwargs = seen[-1]
    assert set(kwargs) >= {"optimizer", "loss", "metrics"}
    assert isinstance(kwargs["optimizer"], keras.optimizers.RMSprop)
    assert kwargs["loss"] == "mae"
    assert reg.model_.optimizer is kwargs["optimizer"]
    assert float(reg.model_.optimizer.learning_rate) == pytest.approx(0.02)
    assert "mse" in reg.history_ and len(reg.history_["mse"]) == 2
    # A second fit gets a fresh optimizer, never the first fit's (already built) one.
    reg.fit(X, y)
    assert seen[-1]["optimizer"] is not seen[0]["optimizer"]


def test_compiled_builder_keeps_its_own_compile(tiny):
    X, y = tiny

    def builder(meta):
        model = keras.Sequential([keras.Input((meta["n_features_in_"],)), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0123), loss="mae")
        return model

    reg = DeepRegressor(model=builder, optimizer="adam", learning_rate=0.05, loss="mse",
                        **small()).fit(X, y)
    assert isinstance(reg.model_.optimizer, keras.optimizers.SGD)
    assert float(reg.model_.optimizer.learning_rate) == pytest.approx(0.0123)
    assert reg.model_.loss == "mae"


def test_uncompiled_builder_compiled_with_estimator_settings(tiny):
    X, y = tiny
    builder = Recorder()
    reg = DeepRegressor(model=builder, optimizer="rmsprop", learning_rate=0.02, loss="mae",
                        **small()).fit(X, y)
    assert reg.model_.compiled
    assert isinstance(reg.model_.optimizer, keras.optimizers.RMSprop)
    assert float(reg.model_.optimizer.learning_rate) == pytest.approx(0.02)
    assert reg.model_.loss == "mae"


def test_uncompiled_builder_default_optimizer_and_loss(tiny):
    X, y = tiny
    reg = DeepRegressor(model=Recorder(), **small()).fit(X, y)
    assert isinstance(reg.model_.optimizer, keras.optimizers.Adam)
    assert float(reg.model_.optimizer.learning_rate) == pytest.approx(1e-3)
    assert reg.model_.loss == "mse"


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


# ---------------------------------------------------------------------------- routed to Keras


@pytest.mark.parametrize("momentum", [0.5, np.float64(0.75)])
def test_optimizer_routing_momentum(tiny, momentum):
    X, y = tiny
    reg = DeepRegressor(hidden_layer_sizes=(4,), optimizer="sgd", learning_rate=0.01,
                        optimizer__momentum=momentum, optimizer__nesterov=True,
                        **small()).fit(X, y)
    assert isinstance(reg.model_.optimizer, keras.optimizers.SGD)
    assert reg.model_.optimizer.momentum == pytest.approx(float(momentum))
    assert reg.model_.optimizer.nesterov is True
    assert float(reg.model_.optimizer.learning_rate) == pytest.approx(0.01)


def test_optimizer_routing_with_uncompiled_builder(tiny):
    X, y = tiny
    reg = DeepRegressor(model=Recorder(), optimizer="sgd", optimizer__momentum=0.9,
                        **small()).fit(X, y)
    assert reg.model_.optimizer.momentum == pytest.approx(0.9)


def _huber_value(loss, error):
    y_true = np.zeros((1, 1), dtype="float32")
    y_pred = np.full((1, 1), error, dtype="float32")
    return float(loss(y_true, y_pred))


def test_loss_routing_huber_delta(tiny):
    X, y = tiny
    reg = DeepRegressor(hidden_layer_sizes=(4,), loss="huber", loss__delta=0.5,
                        **small()).fit(X, y)
    loss = reg.model_.loss
    assert isinstance(loss, keras.losses.Huber)
    assert loss.get_config()["name"] == "huber_loss"
    # Keras's Huber.get_config omits delta: check it through the loss's values instead.
    # With |error| = 1: delta=0.5 gives 0.5*1 - 0.5*0.25 = 0.375; delta=1 would give 0.5.
    assert _huber_value(loss, 1.0) == pytest.approx(0.375)
    assert _huber_value(loss, 0.2) == pytest.approx(0.02)  # quadratic zone: 0.5 * 0.2**2


def test_loss_object_keeps_its_configuration(tiny):
    # A loss instance must reach the model as configured (each fit gets a copy).
    X, y = tiny
    reg = DeepRegressor(hidden_layer_sizes=(4,), loss=keras.losses.Huber(delta=0.3),
                        **small()).fit(X, y)
    # delta=0.3, |error| = 1: 0.3*1 - 0.5*0.09 = 0.255 (delta=1 would give 0.5).
    assert _huber_value(reg.model_.loss, 1.0) == pytest.approx(0.255)


@pytest.mark.parametrize("patience", [1, 3])
def test_callbacks_class_with_routed_arguments(tiny, patience):
    X, y = tiny
    # min_delta so large that no epoch after the first counts as an improvement: training
    # stops after exactly ``patience`` epochs without improvement.
    reg = DeepRegressor(hidden_layer_sizes=(4,), callbacks=[keras.callbacks.EarlyStopping],
                        callbacks__monitor="loss", callbacks__patience=patience,
                        callbacks__min_delta=1e9, **small(epochs=10)).fit(X, y)
    assert reg.n_iter_ == patience + 1
    assert reg.callbacks == [keras.callbacks.EarlyStopping]  # the parameter is untouched


def test_callbacks_dict_with_per_callback_routing(tiny):
    X, y = tiny
    reg = DeepRegressor(
        hidden_layer_sizes=(4,),
        callbacks={"stop": keras.callbacks.EarlyStopping},
        callbacks__stop__monitor="loss", callbacks__stop__patience=2,
        callbacks__stop__min_delta=1e9, **small(epochs=10),
    ).fit(X, y)
    assert reg.n_iter_ == 3


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


# ---------------------------------------------------------------------------- parameters


ROUTED = {
    "hidden_layers": 2,
    "model__layer_size": 5,
    "optimizer__momentum": 0.9,
    "loss__delta": 0.5,
    "callbacks__patience": 3,
    "fit__validation_split": 0.2,
    "predict__batch_size": 64,
}


def test_get_params_includes_extra_and_routed():
    reg = DeepRegressor(model=build_model, epochs=3, **ROUTED)
    params = reg.get_params()
    for key, value in ROUTED.items():
        assert params[key] == value
    assert params["epochs"] == 3
    assert reg.get_params(deep=False) == params


def test_clone_round_trip():
    reg = DeepRegressor(model=build_model, epochs=3, **ROUTED)
    copy = clone(reg)
    assert copy is not reg
    assert copy.get_params() == reg.get_params()
    assert repr(copy) == repr(reg)


def test_set_params_round_trip():
    reg = DeepRegressor(model=build_model, epochs=3, **ROUTED)
    returned = reg.set_params(hidden_layers=4, model__layer_size=9, optimizer__momentum=0.5,
                              predict__batch_size=16, epochs=5)
    assert returned is reg
    params = reg.get_params()
    assert params["hidden_layers"] == 4
    assert params["model__layer_size"] == 9
    assert params["optimizer__momentum"] == 0.5
    assert params["predict__batch_size"] == 16
    assert params["epochs"] == 5
    assert clone(reg).get_params() == params
    # Routed keys never given to the constructor are accepted too.
    reg.set_params(loss__reduction="sum", callbacks__0__verbose=0)
    assert reg.get_params()["loss__reduction"] == "sum"


def test_set_params_builder_argument_not_given_at_init(tiny):
    X, y = tiny
    reg = DeepRegressor(model=Recorder(), **small())
    assert "hidden_layers" not in reg.get_params()
    reg.set_params(hidden_layers=3)
    assert reg.get_params()["hidden_layers"] == 3
    reg.fit(X, y)
    assert n_dense(reg.model_) == 4
    refit = clone(reg).fit(X, y)
    assert n_dense(refit.model_) == 4


def test_set_params_unknown_name_still_rejected():
    reg = DeepRegressor(model=Recorder())
    with pytest.raises(ValueError, match="hidden_layerz"):
        reg.set_params(hidden_layerz=3)


def test_set_params_model_and_its_argument_together(tiny):
    # A search may swap the builder and set its arguments in one set_params call.
    X, y = tiny
    reg = DeepRegressor(**small())
    reg.set_params(model=Recorder(), hidden_layers=2)
    assert reg.get_params()["hidden_layers"] == 2
    reg.fit(X, y)
    assert n_dense(reg.model_) == 3
    # Swapped for the built-in network, the builder's arguments are no longer parameters.
    with pytest.raises(ValueError, match="Invalid parameter 'layer_size'"):
        clone(reg).set_params(model=None, layer_size=3)


# ---------------------------------------------------------------------------- searches


def type_logging_builder(types):
    """The reference builder, appending the Python types of its arguments to ``types``.

    A function, not an object holding the list: ``clone`` (and so every search) deep-copies
    parameter objects but keeps functions, so the closure's list is shared by the clones.
    """

    def builder(hidden_layers=1, layer_size=30, learning_rate=3e-3, meta=None):
        types.append((type(hidden_layers), type(layer_size), type(learning_rate)))
        return build_model(hidden_layers, layer_size, learning_rate, meta)

    return builder


def test_grid_search_over_builder_arguments(housing):
    X, y = housing
    types = []
    builder = type_logging_builder(types)
    search = GridSearchCV(
        DeepRegressor(model=builder, learning_rate=0.01, epochs=5, random_state=0),
        {"hidden_layers": [1, 2], "layer_size": np.array([4, 16])},
        cv=2, error_score="raise",
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    best = search.best_params_
    assert n_dense(search.best_estimator_.model_) == best["hidden_layers"] + 1
    assert search.best_estimator_.model_.layers[0].units == best["layer_size"]
    assert types and all(t == (int, int, float) for t in types)
    assert search.best_score_ > 0.0  # better than predicting the mean


def test_randomized_search_over_builder_arguments(housing):
    X, y = housing
    types = []
    builder = type_logging_builder(types)
    distributions = {
        "hidden_layers": [0, 1, 2, 3],
        "layer_size": np.arange(1, 20),
        "learning_rate": reciprocal(1e-4, 1e-2),
    }
    search = RandomizedSearchCV(
        DeepRegressor(model=builder, epochs=5, random_state=0),
        distributions, n_iter=3, cv=2, random_state=0, error_score="raise",
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 3
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    # numpy scalars from np.arange and scipy's rvs reached the builder as int and float.
    assert all(isinstance(p["layer_size"], np.integer) for p in search.cv_results_["params"])
    assert types and all(t == (int, int, float) for t in types)
    best = search.best_params_
    model = search.best_estimator_.model_
    assert n_dense(model) == best["hidden_layers"] + 1
    assert float(model.optimizer.learning_rate) == pytest.approx(best["learning_rate"],
                                                                 rel=1e-5)


def test_grid_search_over_routed_parameters(housing):
    X, y = housing
    search = GridSearchCV(
        DeepRegressor(model=Recorder(), optimizer="sgd", learning_rate=0.01, epochs=5,
                      random_state=0),
        {"model__hidden_layers": [1, 2], "optimizer__momentum": [0.0, 0.9]},
        cv=2, error_score="raise",
    ).fit(X, y)
    best = search.best_params_
    model = search.best_estimator_.model_
    assert n_dense(model) == best["model__hidden_layers"] + 1
    assert model.optimizer.momentum == pytest.approx(best["optimizer__momentum"])


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


@pytest.mark.parametrize("returned", ["a model", None, keras.layers.Dense(1)])
def test_builder_returning_non_model_raises_builder_error(tiny, returned):
    X, y = tiny

    def builder(meta):
        return returned

    reg = DeepRegressor(model=builder, **small())
    with pytest.raises(BuilderError, match="not a keras.Model") as info:
        reg.fit(X, y)
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, SkdeepError)
    assert not hasattr(reg, "model_")


def test_a_builder_error_keeps_its_type_and_names_the_builder(tiny):
    X, y = tiny
    original = MemoryError("out of widgets")

    def builder(meta):
        raise original

    reg = DeepRegressor(model=builder, **small())
    with pytest.raises(MemoryError, match="out of widgets") as info:
        reg.fit(X, y)
    assert info.value is original  # not turned into a TypeError
    assert "model builder" in info.value.__notes__[0] and "builder" in info.value.__notes__[0]


def test_failed_builder_leaves_fitted_estimator_unchanged(tiny):
    X, y = tiny
    reg = DeepRegressor(model=Recorder(), **small()).fit(X, y)
    before = reg.predict(X[:5])
    model = reg.model_

    def broken(meta):
        raise ValueError("broken")

    reg.set_params(model=broken)
    with pytest.raises(ValueError, match="broken"):
        reg.fit(X, y)
    assert reg.model_ is model
    np.testing.assert_array_equal(reg.predict(X[:5]), before)


JUNK = [
    {"model": 42},
    {"epochs": "junk"},
    {"epochs": 0},
    {"hidden_layer_sizes": -1},
    {"learning_rate": -1.0},
    {"optimizer": "no-such-optimizer"},
    {"loss": "no-such-loss"},
    {"activation": "no-such-activation"},
    {"device": "tpu9"},
    {"batch_size": 0.5},
    {"callbacks": "EarlyStopping"},
    {"modle__units": 3},
    {"not_a_parameter": object()},
]


@pytest.mark.parametrize("junk", JUNK, ids=lambda d: next(iter(d)))
def test_init_never_raises_fit_does(tiny, junk):
    X, y = tiny
    reg = DeepRegressor(**junk)  # must not raise
    for key, value in junk.items():
        assert reg.get_params()[key] is value  # stored untouched
    with pytest.raises(ValueError):
        reg.fit(X, y)
    assert not hasattr(reg, "model_")


def test_init_never_raises_classifier():
    clf = DeepClassifier(model="not callable", epochs=-3, model__x=np.nan, class_weight=7)
    assert clf.get_params()["model__x"] is np.nan


def test_a_subclass_without_kwargs_has_only_its_own_parameters(california):
    """scikit-learn's pattern: the subclass stores its parameters and sets its parent's."""
    X, y, X_test, y_test = california

    class OneLayer(DeepRegressor):
        def __init__(self, model=None, *, units=8):
            self.units = units
            super().__init__(model, hidden_layer_sizes=(units,), epochs=20, random_state=0)

    reg = OneLayer(units=12)
    assert reg.get_params() == {"model": None, "units": 12}
    copy = clone(reg).fit(X, y)
    assert copy.units == 12 and copy.hidden_layer_sizes == (12,)
    assert copy.score(X, y) > 0.4
