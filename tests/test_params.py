"""The parameter protocol (skdeep/_params.py): get_params, set_params, clone."""

import keras
import numpy as np
from sklearn.base import clone

from skdeep import DeepRegressor


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
