"""Settings checks and a fit call's settings (skdeep/_settings.py)."""

import keras
import numpy as np
import pytest
from sklearn.base import clone

from skdeep import DeepClassifier, DeepRegressor


class _ReadsParameters(keras.callbacks.Callback):
    """Records what the estimator's parameters say while it fits."""

    def __init__(self, estimator, seen=None):
        super().__init__()
        self.estimator, self.seen = estimator, [] if seen is None else seen

    def __deepcopy__(self, memo):  # fit trains a copy: it watches the same estimator
        return _ReadsParameters(self.estimator, self.seen)

    def on_epoch_end(self, epoch, logs=None):
        self.seen.append(self.estimator.get_params()["epochs"])


def test_fit_arguments_override_the_parameters_for_the_call_only(california):
    X, y, _, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(4,), epochs=7, random_state=0)
    watcher = _ReadsParameters(reg)
    reg.fit(X, y, epochs=2, callbacks=[watcher])
    assert reg.n_iter_ == 2
    assert watcher.seen and set(watcher.seen) == {7}  # never rewritten, even while fitting
    assert reg.get_params()["epochs"] == 7


def test_bad_fit_arguments_name_the_call(california):
    X, y, _, _ = california
    with pytest.raises(ValueError, match=r"'epochs' parameter of DeepRegressor\.fit"):
        DeepRegressor(epochs=3).fit(X, y, epochs=0)
    with pytest.raises(TypeError, match="unexpected keyword arguments \\['epoch'\\]"):
        DeepRegressor(epochs=3).fit(X, y, epoch=2)
    with pytest.raises(TypeError, match="has no classes"):
        DeepRegressor(epochs=1).fit(X, y, class_weight={0: 1})


def test_every_settings_problem_is_gathered_in_one_error(california):
    X, y, _, _ = california
    reg = DeepRegressor(activation="relux", hidden_layer_sizes=(4, 0), loss="msee",
                        device="tpu", predict__colour=1)
    with pytest.raises(ValueError) as error:
        reg.fit(X, y)
    message = str(error.value)
    for part in ("'activation'", "'hidden_layer_sizes'", "'loss'", "'device'",
                 "predict__colour"):
        assert part in message


def test_the_class_weight_of_one_call_weighs_that_call(adult):
    X, y, _, _ = adult
    clf = DeepClassifier(hidden_layer_sizes=(4,), epochs=1, random_state=0)
    plain = clone(clf).fit(X, y).predict_proba(X[:20])
    weighted = clone(clf).fit(X, y, class_weight="balanced").predict_proba(X[:20])
    assert clf.get_params()["class_weight"] is None
    assert abs(plain - weighted).max() > 1e-3


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


def test_fit_overrides_apply_to_one_call_only(california):
    X, y, _, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=4, random_state=0)
    reg.fit(X, y, epochs=2, batch_size=500)
    assert reg.n_iter_ == 2 and reg.epochs == 4
    assert reg.fit(X, y).n_iter_ == 4


@pytest.mark.parametrize(
    "params, message",
    [
        ({"epochs": 0}, r"The 'epochs' parameter of DeepRegressor must be an int in the range "
                        r"\[1, inf\)\. Got 0 instead\."),
        ({"validation_fraction": 1.5}, "'validation_fraction' parameter .* Got 1.5"),
        ({"activation": "relux"}, "'activation' parameter .* Got 'relux'"),
        ({"optimizer": "adamm"}, "'optimizer' parameter .* Got 'adamm'"),
        ({"device": "tpu"}, "'device' parameter .* \"gpu:N\".* Got 'tpu'"),
        ({"hidden_layer_sizes": (10, 0)}, "'hidden_layer_sizes' .* positive ints"),
        ({"predict__steps": 2}, "predict__steps: predict takes only predict__batch_size"),
    ],
)
def test_bad_parameters_raise_at_fit_and_leave_a_fitted_estimator_unchanged(
    california, fitted_regressor, params, message
):
    X, y, X_test, _ = california
    reg = fitted_regressor
    before, model = reg.predict(X_test), reg.model_
    bad = reg.set_params(**params)  # __init__/set_params never raise; fit does
    with pytest.raises(ValueError, match=message):
        bad.fit(X, y)
    assert reg.model_ is model
    np.testing.assert_array_equal(reg.predict(X_test), before)


def test_a_misspelled_parameter_gets_a_suggestion(california):
    X, y, _, _ = california
    message = "'hidden_layer' is not a parameter of the built-in network.*did you mean hidden_layer_sizes"
    with pytest.raises(ValueError, match=message):
        DeepRegressor(hidden_layer=3).fit(X, y)
    with pytest.raises(ValueError, match="Invalid parameter 'hidden_layer'"):
        DeepRegressor().set_params(hidden_layer=3)


def test_every_problem_is_reported_at_once(california):
    X, y, _, _ = california
    with pytest.raises(ValueError) as error:
        DeepRegressor(activation="relux", device="tpu", optimizer="adamm").fit(X, y)
    assert all(p in str(error.value) for p in ("'activation'", "'device'", "'optimizer'"))
