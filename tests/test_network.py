"""Model assembly (skdeep/_network.py): a user's builder gets ``meta`` and ``compile_kwargs``,
its model is compiled with the estimator's settings unless it compiled itself, and a builder's
failure names the builder and leaves a fitted estimator as it was."""

from skdeep import DeepClassifier, DeepRegressor  # noqa: I001  (before keras: quiet TF logs)
from skdeep.exceptions import BuilderError, SkdeepError

import keras
import numpy as np
import pytest
from sklearn.datasets import make_classification

from user_builders import Recorder, small


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


# ---------------------------------------------------------------------------- errors


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
