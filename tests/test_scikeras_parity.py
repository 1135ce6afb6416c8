"""What scikeras and Keras's wrappers accept, skdeep accepts with the same meaning (issue 16).

Each test fits on the bundled data: California housing (regression) and Adult (binary labels).
"""

import pickle
import warnings

import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.metrics import mean_squared_error

from skdeep import DeepClassifier, DeepRegressor
from user_builders import dense_classifier, dense_regressor, quick


class Batches(keras.callbacks.Callback):
    """Counts the training batches and records the learning rate of each epoch.

    A fit trains with a copy of each callback: what it sees is kept on the class, under
    the probe's name."""

    seen = {}

    def __init__(self, name):
        super().__init__()
        self.name = name
        Batches.seen[name] = {"batches": 0, "rates": [], "eager": []}

    def on_train_batch_end(self, batch, logs=None):
        Batches.seen[self.name]["batches"] += 1
        Batches.seen[self.name]["eager"].append(self.model.run_eagerly)

    def on_epoch_end(self, epoch, logs=None):
        rate = keras.ops.convert_to_numpy(self.model.optimizer.learning_rate)
        Batches.seen[self.name]["rates"].append(float(rate))


# ---------------------------------------------------------------------------- Keras fit's arguments


def test_validation_split_validates_on_the_last_rows(california):
    X, y, _, _ = california
    reg = DeepRegressor(model=dense_regressor, validation_split=0.2,
                        **quick(epochs=1)).fit(X, y)
    # Keras's rule: the last 20% of the rows, before shuffling; validated with the final
    # weights of the epoch, so val_loss is the mean squared error of their predictions.
    held_out = slice(int(np.floor(len(X) * 0.8)), None)
    np.testing.assert_allclose(reg.history_["val_loss"][-1],
                               mean_squared_error(y[held_out], reg.predict(X[held_out])),
                               rtol=1e-4)


def test_keras_fit_arguments_apply_to_one_call_only(california):
    X, y, _, _ = california
    reg = DeepRegressor(model=dense_regressor, **quick(epochs=3))
    reg.fit(X, y, validation_split=0.25, shuffle=False)
    assert len(reg.history_["val_loss"]) == 3
    assert reg.validation_split is None and reg.shuffle is True  # the parameters are kept
    reg.fit(X, y, initial_epoch=1)  # Keras's own: epochs 1 and 2 of 3
    assert reg.n_iter_ == 2 and "val_loss" not in reg.history_


def test_fit_refuses_what_keras_fit_would_not_take(california):
    X, y, _, _ = california
    reg = DeepRegressor(model=dense_regressor, **quick())
    with pytest.raises(TypeError, match=r"unexpected keyword arguments \['validation_fraction'\]"
                                        r".*initial_epoch"):
        reg.fit(X, y, validation_fraction=0.2)
    with pytest.raises(TypeError, match="has no classes: weigh rows with sample_weight"):
        reg.fit(X, y, class_weight={0: 1})
    with pytest.raises(ValueError, match="validation_split"):
        reg.fit(X, y, validation_split=1.5)
    assert not hasattr(reg, "model_")


def test_fit_can_turn_a_parameter_off_for_one_call(california):
    X, y, _, _ = california
    reg = DeepRegressor(model=dense_regressor, validation_split=0.2, **quick(epochs=2))
    assert "val_loss" not in reg.fit(X, y, validation_split=None).history_
    assert reg.validation_split == 0.2 and "val_loss" in reg.fit(X, y).history_


def test_validation_freq_keeps_one_history_entry_per_epoch(california):
    X, y, _, _ = california
    reg = DeepRegressor(model=dense_regressor, validation_split=0.2, **quick(epochs=4))
    reg.fit(X, y, validation_freq=2)  # Keras validates epochs 2 and 4
    val_loss = reg.history_["val_loss"]
    assert len(val_loss) == 4 and np.isnan(val_loss[0]) and np.isnan(val_loss[2])
    assert reg.best_epoch_ == (2, 4)[int(np.argmin(val_loss[1::2]))]


@pytest.mark.parametrize("batch_size, batches", [(-1, 1), (None, 47), (500, 3)])
def test_batch_size_minus_one_is_every_row_and_none_is_keras_default(
        california, batch_size, batches):
    X, y, _, _ = california
    DeepRegressor(model=dense_regressor, batch_size=batch_size, callbacks=[Batches("size")],
                  **quick(epochs=1)).fit(X, y)
    assert Batches.seen["size"]["batches"] == batches  # 1,500 rows


def test_run_eagerly_trains_op_by_op(adult):
    X, y, _, _ = adult
    clf = DeepClassifier(model=dense_classifier, run_eagerly=True, jit_compile=True,
                         callbacks=Batches("eager"), **quick(epochs=1)).fit(X[:200], y[:200])
    eager = Batches.seen["eager"]["eager"]
    assert eager and all(eager)
    assert clf.model_.run_eagerly and not clf.model_.jit_compile


def test_predict_takes_keras_predict_arguments(california):
    X, y, X_test, _ = california
    reg = DeepRegressor(model=dense_regressor, **quick()).fit(X, y)
    expected = reg.predict(X_test)
    np.testing.assert_array_equal(reg.predict(X_test, batch_size=7, verbose=0), expected)
    np.testing.assert_array_equal(reg.predict(X_test, batch_size=-1), expected)
    with pytest.raises(TypeError, match="steps: predict takes only batch_size and verbose"):
        reg.predict(X_test, steps=2)


def test_a_model_with_its_own_fit_trains_through_it(california):
    X, y, _, _ = california
    calls = []

    class OwnFit(keras.Model):
        def fit(self, *args, **kwargs):
            calls.append(kwargs["epochs"])
            return super().fit(*args, **kwargs)

    def build(meta):
        inputs = keras.Input(meta["X_shape_"][1:])
        return OwnFit(inputs, keras.layers.Dense(1)(inputs))

    reg = DeepRegressor(model=build, **quick(epochs=3)).fit(X, y)
    assert calls == [3] and reg.n_iter_ == 3


# ---------------------------------------------------------------------------- callbacks, metrics


class Decay:
    """A learning-rate schedule given to LearningRateScheduler as its first argument."""

    def __init__(self, coef=0.1):
        self.coef = coef

    def __call__(self, epoch, lr):
        return lr * float(np.exp(-self.coef))


def test_one_callback_class_with_a_positional_routed_argument(california):
    X, y, _, _ = california
    DeepRegressor(model=dense_regressor, learning_rate=0.01,
                  callbacks=[keras.callbacks.LearningRateScheduler, Batches("decay")],
                  callbacks__0__0=Decay, callbacks__0__0__coef=0.5, **quick(epochs=3)).fit(X, y)
    np.testing.assert_allclose(Batches.seen["decay"]["rates"],
                               0.01 * np.exp(-0.5 * np.arange(1, 4)), rtol=1e-5)
    reg = DeepRegressor(model=dense_regressor, learning_rate=0.01,
                        callbacks=keras.callbacks.LearningRateScheduler,
                        callbacks__0=Decay, **quick(epochs=2)).fit(X, y)
    rate = keras.ops.convert_to_numpy(reg.model_.optimizer.learning_rate)
    np.testing.assert_allclose(rate, 0.01 * np.exp(-0.2), rtol=1e-5)


def test_one_callback_object_and_arguments_routed_to_an_object(california):
    X, y, _, _ = california
    stop = keras.callbacks.EarlyStopping(monitor="loss", patience=0, min_delta=100)
    reg = DeepRegressor(model=dense_regressor, callbacks=stop, **quick(epochs=5)).fit(X, y)
    assert reg.n_iter_ == 2
    fitted = reg.history_
    reg.set_params(callbacks=[stop], callbacks__0__patience=3)
    with pytest.raises(TypeError, match="callbacks__0__patience: callbacks__0 is an object"):
        reg.fit(X, y)
    assert reg.history_ == fitted  # unchanged


def test_routes_into_a_dict_of_lists_and_routes_nothing_takes(california):
    X, y, _, _ = california
    stop = {"stop": [keras.callbacks.EarlyStopping]}
    reg = DeepRegressor(model=dense_regressor, callbacks=stop, callbacks__monitor="loss",
                        callbacks__stop__0__patience=0, callbacks__stop__0__min_delta=100,
                        **quick(epochs=5)).fit(X, y)
    assert reg.n_iter_ == 2
    for routes, error, message in [
            ({"callbacks__stop__1__patience": 0}, ValueError,
             r"callbacks__stop__1__patience: no class in callbacks=\{'stop': \[EarlyStopping\]\}"),
            ({"callbacks__stop__0__patiense": 0}, TypeError,
             "Did you mean callbacks__stop__0__patience for callbacks__stop__0__patiense"),
    ]:
        with pytest.raises(error, match=message):
            clone(reg).set_params(**routes).fit(X, y)
    with pytest.raises(ValueError, match="metrics__foo: no class in metrics=\\['mae'\\]"):
        DeepRegressor(model=dense_regressor, metrics=["mae"], metrics__foo=1,
                      **quick()).fit(X, y)


def test_metric_classes_are_made_with_their_routed_arguments(adult):
    X, y, X_test, _ = adult
    clf = DeepClassifier(model=dense_classifier, metrics=keras.metrics.BinaryAccuracy,
                         metrics__threshold=0.9, **quick(epochs=1)).fit(X, y)
    (accuracy,) = clf.model_.get_compile_config()["metrics"]
    assert accuracy["class_name"] == "BinaryAccuracy" and accuracy["config"]["threshold"] == 0.9
    assert "binary_accuracy" in clf.history_
    several = DeepClassifier(model=dense_classifier, metrics=[keras.metrics.AUC, "accuracy"],
                             metrics__0__num_thresholds=50, **quick(epochs=1)).fit(X, y)
    assert {"auc", "accuracy"} <= set(several.history_)
    # Made in the fit, so the fitted estimator pickles (a class would not).
    again = pickle.loads(pickle.dumps(several))
    np.testing.assert_array_equal(again.predict_proba(X_test), several.predict_proba(X_test))


# ---------------------------------------------------------------------------- builders


def test_builders_get_scikeras_meta_and_params(adult):
    X, y, _, _ = adult
    seen = {}

    def named(meta, params, compile_kwargs):
        seen.update(named=(meta, params, compile_kwargs))
        return dense_classifier(meta)

    def any_kwargs(**kwargs):
        seen.update(any_kwargs=kwargs)
        return dense_classifier(kwargs["meta"])

    for builder in (named, any_kwargs):
        DeepClassifier(model=builder, **quick(epochs=1)).fit(X[:300], y[:300])
    meta, params, compile_kwargs = seen["named"]
    assert meta["X_shape_"] == (300, 6) and meta["y_ndim_"] == 1
    assert meta["y_dtype_"] == y.dtype and meta["n_classes_"] == 2
    assert params["model"] is named and params["epochs"] == 1
    assert {"optimizer", "loss", "metrics"} <= set(compile_kwargs)
    assert {"meta", "params", "compile_kwargs"} <= set(seen["any_kwargs"])


def test_initialize_wraps_a_trained_keras_model_without_training(california, tmp_path):
    X, y, X_test, _ = california
    reg = DeepRegressor(model=dense_regressor, **quick(epochs=3)).fit(X, y)
    reg.model_.save(tmp_path / "model.keras")  # as scikeras's docs save a fitted model
    with warnings.catch_warnings():
        # Keras warns at load about any optimizer variable the file lacks.
        warnings.simplefilter("error")
        loaded = keras.saving.load_model(tmp_path / "model.keras")
    assert [v.shape for v in loaded.optimizer.variables] == \
        [v.shape for v in reg.model_.optimizer.variables]
    wrapped = DeepRegressor(loaded).initialize(X, y)
    np.testing.assert_allclose(wrapped.predict(X_test), reg.predict(X_test), rtol=1e-6)
    assert wrapped.history_ == {} and wrapped.n_iter_ == 0
    # A builder's model starts from its initial weights; warm_start trains on from them.
    fresh = DeepRegressor(model=dense_regressor, warm_start=True, **quick(epochs=1))
    before = fresh.initialize(X, y).predict(X_test)
    assert fresh.fit(X, y).n_iter_ == 1 and not np.allclose(fresh.predict(X_test), before)


def test_a_class_derived_from_the_base_as_from_scikeras_basewrapper_is_told_the_way(california):
    from skdeep.base import BaseDeepEstimator

    class AutoEncoder(BaseDeepEstimator):
        pass

    X, _, _, _ = california
    with pytest.raises(NotImplementedError, match="DeepRegressor fitted with y=X"):
        AutoEncoder(**quick()).fit(X, X)
