"""scikeras's subclass hooks (skdeep/scikeras_hooks.py): ``_keras_build_fn``, the old wrappers'
``__call__``, ``feature_encoder`` and ``scorer`` are used; ``target_encoder`` is refused with
the skdeep way."""

import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.metrics import mean_squared_error
from sklearn.preprocessing import FunctionTransformer

from skdeep import DeepClassifier, DeepRegressor
from user_builders import dense_classifier, dense_regressor, quick


class MLPClassifier(DeepClassifier):
    """scikeras's MLPClassifier notebook: its own builder, and a routed __init__ parameter."""

    def __init__(self, hidden_layer_sizes=(16,), optimizer="adam",
                 optimizer__learning_rate=0.001, epochs=3, verbose=0, **kwargs):
        super().__init__(**kwargs)
        self.hidden_layer_sizes = hidden_layer_sizes
        self.optimizer = optimizer
        self.epochs = epochs
        self.verbose = verbose

    def _keras_build_fn(self, compile_kwargs):
        model = keras.Sequential([keras.Input((self.n_features_in_,))])
        for size in self.hidden_layer_sizes:
            model.add(keras.layers.Dense(size, activation="relu", name=f"hook_{size}"))
        model.add(keras.layers.Dense(1, activation="sigmoid"))
        model.compile(loss="binary_crossentropy", optimizer=compile_kwargs["optimizer"])
        return model


def test_a_scikeras_subclass_builds_with_its_keras_build_fn(adult):
    X, y, X_test, y_test = adult
    clf = MLPClassifier(optimizer__learning_rate=0.01, random_state=0).fit(X, y)
    assert [layer.name for layer in clf.model_.layers] == ["hook_16", "dense"]
    rate = keras.ops.convert_to_numpy(clf.model_.optimizer.learning_rate)
    np.testing.assert_allclose(rate, 0.01)
    assert clf.get_params()["optimizer__learning_rate"] == 0.01
    assert clone(clf).set_params(optimizer__learning_rate=0.1).optimizer__learning_rate == 0.1
    assert clf.score(X_test, y_test) > 0.7
    with pytest.raises(ValueError, match="defines _keras_build_fn.*give one of them"):
        MLPClassifier(model=dense_classifier).fit(X, y)


class TwoInputs(DeepRegressor):
    """scikeras's DataTransformers notebook: a feature_encoder splits X for two inputs."""

    @property
    def feature_encoder(self):
        return FunctionTransformer(func=lambda X: [X[:, :4], X[:, 4:]])

    @staticmethod
    def scorer(y_true, y_pred, **kwargs):
        return -mean_squared_error(y_true, y_pred, **kwargs)


def two_inputs():
    first, second = keras.Input((4,)), keras.Input((4,))
    joined = keras.layers.Concatenate()([keras.layers.Dense(8)(first),
                                         keras.layers.Dense(8)(second)])
    return keras.Model([first, second], keras.layers.Dense(1)(joined))


def test_a_feature_encoder_and_a_scorer_are_used(california):
    X, y, X_test, y_test = california
    reg = TwoInputs(model=two_inputs, **quick(epochs=5)).fit(X, y)
    assert isinstance(reg.feature_encoder_, FunctionTransformer)
    assert reg.feature_encoder_.transform(X_test[:1])[1].shape == (1, 4)
    assert len(reg.model_.inputs) == 2
    assert reg.score(X_test, y_test) == -mean_squared_error(y_test, reg.predict(X_test))


def test_a_target_encoder_is_refused_with_the_skdeep_way(california):
    X, y, _, _ = california

    class Encoded(DeepRegressor):
        @property
        def target_encoder(self):
            return FunctionTransformer()

    with pytest.raises(ValueError, match="defines target_encoder.*encodes y itself"):
        Encoded(model=dense_regressor, **quick()).fit(X, y)


class OldWrapper(DeepRegressor):
    """The old Keras wrappers' subclass: ``build_fn=None`` and the class's own __call__."""

    def __call__(self, units=4, meta=None):
        return keras.Sequential([keras.Input(meta["X_shape_"][1:]),
                                 keras.layers.Dense(units, name="called"),
                                 keras.layers.Dense(1)])


def test_the_old_wrappers_call_builds_and_their_parameters_get_the_skdeep_way(california):
    X, y, _, _ = california
    reg = OldWrapper(units=6, **quick(epochs=1)).fit(X, y)
    assert reg.model_.get_layer("called").units == 6
    for name, advice in (("build_fn", "pass it as model="),
                         ("model_kwargs", "model__units=8"),
                         ("fit_kwargs", "fit__name=")):
        with pytest.raises(ValueError, match=f"'{name}' is .*{advice}"):
            DeepRegressor(**{name: {}}, **quick()).fit(X, y)
