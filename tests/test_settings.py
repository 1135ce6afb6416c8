"""Settings checks and a fit call's settings (skdeep/_settings.py)."""

import keras
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
