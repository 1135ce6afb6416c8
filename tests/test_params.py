"""The parameter protocol (skdeep/_params.py): get_params, set_params, clone."""

import keras
import numpy as np
import pytest
from sklearn.base import clone

from skdeep import DeepClassifier, DeepRegressor
from user_builders import Recorder, build_model, n_dense, small


class _Peeks(keras.callbacks.Callback):
    """A callback parameter that records its estimator's model parameter when copied."""

    def __init__(self, owner=None):
        super().__init__()
        self.owner, self.models = owner, []

    def __deepcopy__(self, memo):
        self.models.append(self.owner.model)
        return _Peeks()


def _prebuilt():
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
    model.compile(loss="mse", optimizer="adam")
    return model


def test_clone_shares_a_prebuilt_model_and_never_changes_the_original():
    prebuilt, peeks = _prebuilt(), _Peeks()
    reg = DeepRegressor(prebuilt, epochs=1, callbacks=[peeks])
    peeks.owner = reg
    copy = clone(reg)
    assert copy.model is prebuilt and reg.model is prebuilt
    # While the clone was being made, the original's parameters stayed as they were.
    assert peeks.models == [prebuilt]
    assert isinstance(copy.callbacks[0], _Peeks) and copy.callbacks[0] is not peeks


def test_a_clone_of_a_prebuilt_model_estimator_fits_without_training_the_given_model(
        california):
    X, y, _, _ = california
    prebuilt = _prebuilt()
    before = [w.copy() for w in prebuilt.get_weights()]
    reg = clone(DeepRegressor(prebuilt, epochs=2, random_state=0)).fit(X, y)
    assert reg.n_iter_ == 2
    for kept, now in zip(before, prebuilt.get_weights()):
        np.testing.assert_array_equal(kept, now)


def test_builder_and_routed_parameters_survive_set_params_and_clone():
    def build(units=4, meta=None):
        return keras.Sequential([keras.Input((meta["n_features_in_"],)),
                                 keras.layers.Dense(units), keras.layers.Dense(1)])

    reg = DeepRegressor(build, units=3).set_params(units=5, optimizer__momentum=0.5)
    params = clone(reg).get_params()
    assert params["units"] == 5 and params["optimizer__momentum"] == 0.5
    assert reg.units == 5


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


def test_clone_keeps_parameters_and_drops_fitted_state(california):
    X, y, _, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=1, optimizer__beta_1=0.8).fit(X, y)
    copy = clone(reg)
    assert copy.get_params() == reg.get_params()
    assert not hasattr(copy, "model_")
    assert reg.model_.optimizer.beta_1 == 0.8
