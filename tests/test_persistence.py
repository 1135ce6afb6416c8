"""skdeep.persistence: save and load (and the files of format 2), the codecs, the user's Keras
classes found again, and pickling, with real fits."""

import copy
import functools
import importlib.util
import io
import json
import pathlib
import pickle
import zipfile

import joblib
import keras
import numpy as np
import pytest

import skdeep
from skdeep import DeepRegressor
from skdeep.datasets import load_adult

FIXTURES = pathlib.Path(__file__).parent / "fixtures"


def _read(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("estimator.json")), archive.read("model.keras")


def _write(path, document, model):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("estimator.json", json.dumps(document))
        archive.writestr("model.keras", model)


def _output(estimator, X):
    return estimator.predict_proba(X) if hasattr(estimator, "predict_proba") else \
        estimator.predict(X)


# ---------------------------------------------------------------------- format 2 files


def _format2(name):
    """The estimator of ``fixtures/format2/<name>.skdeep``, loaded, its rows and the outputs
    stored when it was saved (see fixtures/README.md)."""
    spec = importlib.util.spec_from_file_location("make_format2", FIXTURES / "make_format2.py")
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    stored = dict(np.load(FIXTURES / "format2" / f"{name}.npz"))
    rows = stored.pop("rows") if "rows" in stored else maker.adult()[2]
    return skdeep.load(FIXTURES / "format2" / f"{name}.skdeep"), rows, stored


def _assert_stored(actual, expected):
    if keras.backend.backend() == "tensorflow":  # the backend that computed them
        np.testing.assert_array_equal(actual, expected)
    else:  # other kernels: 3e-6 apart under JAX (the periodic embedding's sine and cosine)
        np.testing.assert_allclose(actual, expected, rtol=1e-5)


@pytest.mark.parametrize("name", ["regressor", "classifier", "wide_deep"])
def test_files_of_format_2_load_and_predict_as_when_saved(name, tmp_path):
    loaded, rows, stored = _format2(name)
    if "predict_proba" in stored:
        _assert_stored(loaded.predict_proba(rows), stored["predict_proba"])
        np.testing.assert_array_equal(loaded.predict(rows).astype(str), stored["predict"])
    else:
        _assert_stored(loaded.predict(rows), stored["predict"])
    # Saved again, in today's format, it loads the same.
    loaded.save(tmp_path / "again.skdeep")
    assert _read(tmp_path / "again.skdeep")[0]["format_version"] == 3
    again = skdeep.load(tmp_path / "again.skdeep")
    np.testing.assert_array_equal(_output(again, rows), _output(loaded, rows))
    assert again.n_iter_ == loaded.n_iter_ == 3 and again.history_ == loaded.history_


def test_format_2_parameters_come_back_as_the_objects_given():
    regressor, classifier, wide_deep = (_format2(name)[0]
                                        for name in ("regressor", "classifier", "wide_deep"))
    assert isinstance(regressor.loss, keras.losses.Huber)
    assert regressor.loss._fn_kwargs == {"delta": 2.0}  # left out of Huber's config
    assert isinstance(regressor.metrics[0], keras.metrics.MeanAbsoluteError)
    assert classifier.class_weight == {"high": 2.0, "low": 1.0, "mid": 1.0}
    assert float(classifier.optimizer.learning_rate) == pytest.approx(0.01)
    np.testing.assert_array_equal(classifier.classes_, ["high", "low", "mid"])
    (stop,) = wide_deep.callbacks
    assert type(stop) is keras.callbacks.EarlyStopping and stop.patience == 2
    assert wide_deep.crossed_columns == [("education", "occupation")]
    assert wide_deep.encoder_.names == list(wide_deep.feature_names_in_)


def test_format_2_objects_that_cannot_be_made_again_are_refused(tmp_path):
    document, model = _read(FIXTURES / "format2" / "wide_deep.skdeep")
    text = json.dumps(document)
    for changed, match in [
        (text.replace('"skdeep.targets:Head"', '"os:system"'),
         "stores an object of os:system, which skdeep does not read"),
        # A callback whose state its constructor's arguments do not give (a trained one).
        (text.replace('["best", null]', '["best", 0.25]'),
         r"stores a keras\.src\.callbacks\.early_stopping:EarlyStopping that its constructor "
         r"does not make again from its arguments: it differs in \['best'\]"),
    ]:
        assert changed != text
        _write(tmp_path / "changed.skdeep", json.loads(changed), model)
        with pytest.raises(ValueError, match=match):
            skdeep.load(tmp_path / "changed.skdeep")


def test_a_file_of_another_format_version_is_refused_naming_it(tmp_path):
    document, model = _read(FIXTURES / "format2" / "regressor.skdeep")
    for version, match in [(4, r"of format version 4, which skdeep .* does not read \(it "
                               r"reads versions \[2, 3\]\): it was saved by a newer skdeep"),
                           (1, "of format version 1, .* saved by an older skdeep")]:
        _write(tmp_path / "other.skdeep", {**document, "format_version": version}, model)
        with pytest.raises(ValueError, match=match):
            skdeep.load(tmp_path / "other.skdeep")


# ---------------------------------------------------------------------- codecs


def test_an_entry_with_other_fields_or_another_version_is_refused(tmp_path):
    skdeep.load(FIXTURES / "format2" / "classifier.skdeep").save(tmp_path / "c.skdeep")
    document, model = _read(tmp_path / "c.skdeep")
    head = document["fitted"]["heads_"][0]
    renamed = {("labels" if k == "classes" else k): v for k, v in head["data"].items()}
    for changed, match in [
        ({**head, "data": renamed}, r"'head' entry \(version 1\) does not hold the fields this "
                                    r"skdeep reads: missing \['classes'\], unknown \['labels'\]"),
        ({**head, "version": 2}, "'head' entry of version 2; this skdeep reads version 1"),
        ({**head, "codec": "target"}, "an entry this skdeep cannot read: codec 'target'"),
    ]:
        document["fitted"]["heads_"] = [changed]
        _write(tmp_path / "changed.skdeep", document, model)
        with pytest.raises(ValueError, match=match):
            skdeep.load(tmp_path / "changed.skdeep")


def test_an_object_holding_attributes_its_codec_does_not_write_is_not_saved(tmp_path):
    classifier = skdeep.load(FIXTURES / "format2" / "classifier.skdeep")
    head = classifier.heads_[0]
    head.labels = vars(head).pop("classes")  # as a renamed attribute would
    with pytest.raises(ValueError, match=r"Head in the fitted attribute 'heads_': its attributes "
                                         r".* not written \['labels'\], missing \['classes'\]"):
        classifier.save(tmp_path / "c.skdeep")


def test_a_value_of_no_codec_is_refused_naming_its_type(tmp_path):
    regressor = skdeep.load(FIXTURES / "format2" / "regressor.skdeep")
    regressor.set_params(random_state=np.random.RandomState(0))
    with pytest.raises(ValueError, match=r"\(in the parameter 'random_state'\) as data: skdeep has "
                                         r"no codec for numpy\.random.*RandomState\. Pickle"):
        regressor.save(tmp_path / "r.skdeep")
    pickle.loads(pickle.dumps(regressor))  # which works


def test_callbacks_given_as_parameters_are_saved_as_their_arguments(tmp_path):
    regressor = skdeep.load(FIXTURES / "format2" / "regressor.skdeep")
    checkpoint = str(tmp_path / "best.keras")
    regressor.set_params(callbacks={
        "stop": keras.callbacks.EarlyStopping(patience=3, min_delta=0.01),
        "nan": keras.callbacks.TerminateOnNaN,
        "checkpoint": keras.callbacks.ModelCheckpoint(checkpoint, save_best_only=True)})
    regressor.save(tmp_path / "r.skdeep")
    callbacks = skdeep.load(tmp_path / "r.skdeep").callbacks
    assert (callbacks["stop"].patience, callbacks["stop"].min_delta) == (3, 0.01)
    assert callbacks["nan"] is keras.callbacks.TerminateOnNaN
    assert (callbacks["checkpoint"].filepath, callbacks["checkpoint"].save_best_only) == \
        (checkpoint, True)
    # A setting kept under another name than its argument's cannot be made again.
    regressor.set_params(callbacks=[
        keras.callbacks.ModelCheckpoint(checkpoint, initial_value_threshold=0.3)])
    with pytest.raises(ValueError, match=r"callback ModelCheckpoint \(in the parameter "
                                         r"'callbacks'\) .* differs in \['best'\]"):
        regressor.save(tmp_path / "r.skdeep")


# ---------------------------------------------------------------------- save and load


@pytest.fixture(scope="module")
def fitted_estimators():
    X, y = load_adult(return_X_y=True, as_frame=True)
    X, y = X.iloc[:1500], y.iloc[:1500]
    numeric = X.select_dtypes("number")
    numeric = (numeric - numeric.mean()) / numeric.std()
    common = dict(epochs=3, random_state=0)
    return [
        (skdeep.DeepClassifier(metrics=[keras.metrics.AUC()], **common).fit(numeric, y), numeric),
        (skdeep.DeepRegressor(optimizer=keras.optimizers.SGD(1e-3), **common)
         .fit(numeric, numeric["age"]), numeric),
        (skdeep.WideDeepClassifier(crossed_columns=[("education", "occupation")],
                                   callbacks=[keras.callbacks.EarlyStopping(patience=2)],
                                   early_stopping=True, **common).fit(X, y), X),
        (skdeep.WideDeepRegressor(aux_loss_weight=0.2, **common)
         .fit(X, np.log1p(X["capital-gain"])), X),
    ]


@pytest.mark.slow
def test_save_pickle_and_joblib_round_trips_are_bit_identical(fitted_estimators, tmp_path):
    for i, (estimator, X) in enumerate(fitted_estimators):
        expected = _output(estimator, X)
        estimator.save(tmp_path / f"{i}.skdeep")
        joblib.dump(estimator, tmp_path / f"{i}.joblib")
        copies = [skdeep.load(tmp_path / f"{i}.skdeep"),
                  pickle.loads(pickle.dumps(estimator)), joblib.load(tmp_path / f"{i}.joblib")]
        for copy_ in copies:
            assert type(copy_) is type(estimator)
            np.testing.assert_array_equal(_output(copy_, X), expected)
            assert copy_.get_params().keys() == estimator.get_params().keys()
            assert copy_.history_ == estimator.history_
        loaded = copies[0]
        if hasattr(estimator, "classes_"):
            np.testing.assert_array_equal(loaded.classes_, estimator.classes_)
        np.testing.assert_array_equal(loaded.feature_names_in_, estimator.feature_names_in_)


def test_a_loaded_estimator_trains_on(fitted_estimators, tmp_path):
    estimator, X = fitted_estimators[2]
    estimator.save(tmp_path / "wd.skdeep")
    loaded = skdeep.load(tmp_path / "wd.skdeep")
    assert loaded.wide_coef_ == estimator.wide_coef_
    loaded.set_params(warm_start=True, epochs=1).fit(X, estimator.predict(X))
    assert loaded.n_iter_ == estimator.n_iter_ + 1


def lambda_layer_builder(meta):
    inputs = keras.Input((meta["n_features_in_"],))
    outputs = keras.layers.Dense(1)(keras.layers.Lambda(lambda t: t * 2.0)(inputs))
    return keras.Model(inputs, outputs)


def test_load_refuses_lambdas_unless_safe_mode_is_off(california, tmp_path):
    X, y, _, _ = california
    reg = DeepRegressor(model=lambda_layer_builder, epochs=1, random_state=0).fit(X, y)
    reg.save(tmp_path / "lambda.skdeep")
    with pytest.raises(ValueError, match="safe_mode"):
        skdeep.load(tmp_path / "lambda.skdeep")
    loaded = skdeep.load(tmp_path / "lambda.skdeep", safe_mode=False)
    np.testing.assert_array_equal(loaded.predict(X), reg.predict(X))


def test_unsaveable_parameters_and_foreign_files_are_refused(california, tmp_path):
    X, y, _, _ = california
    reg = DeepRegressor(model=lambda meta: lambda_layer_builder(meta), epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="a lambda or a function defined inside another"):
        reg.save(tmp_path / "x.skdeep")
    with pytest.raises(skdeep.exceptions.NotFittedError):
        DeepRegressor().save(tmp_path / "y.skdeep")
    _write(tmp_path / "foreign.zip", {"format": "other"}, b"")
    with pytest.raises(ValueError, match="is not an skdeep estimator file"):
        skdeep.load(tmp_path / "foreign.zip")


def test_a_model_saved_on_a_gpu_serves_on_this_cpu(california, tmp_path):
    X, y, _, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=1, random_state=0).fit(X, y)
    expected = reg.predict(X)
    reg.device_ = "/GPU:0"  # as written by a fit on a GPU machine
    reg.save(tmp_path / "gpu.skdeep")
    for copy_ in (skdeep.load(tmp_path / "gpu.skdeep"), pickle.loads(pickle.dumps(reg))):
        assert copy_.device_ == "/CPU:0"
        np.testing.assert_array_equal(copy_.predict(X), expected)


def partial_builder(meta, units):
    return keras.Sequential([keras.Input((meta["n_features_in_"],)),
                             keras.layers.Dense(units, activation="relu"), keras.layers.Dense(1)])


def test_save_keeps_partial_builders_and_loss_arguments(california, tmp_path):
    X, y, _, _ = california
    reg = DeepRegressor(model=functools.partial(partial_builder, units=5),
                        loss=keras.losses.Huber(delta=2.5), epochs=1).fit(X, y)
    reg.save(tmp_path / "p.skdeep")
    loaded = skdeep.load(tmp_path / "p.skdeep")
    assert loaded.model.keywords == {"units": 5} and loaded.loss._fn_kwargs == {"delta": 2.5}
    np.testing.assert_array_equal(loaded.predict(X), reg.predict(X))


class Subclassed(DeepRegressor):
    """A user's subclass, defined at module level: save names it, load imports it."""


def test_a_saved_subclass_loads_as_itself_and_nothing_else_loads(california, tmp_path):
    X, y, X_test, _ = california
    reg = Subclassed(hidden_layer_sizes=(8,), epochs=2, random_state=0).fit(X, y)
    reg.save(tmp_path / "sub.skdeep")
    loaded = skdeep.load(tmp_path / "sub.skdeep")
    assert type(loaded) is Subclassed
    np.testing.assert_array_equal(loaded.predict(X_test), reg.predict(X_test))
    # A file naming any other callable is refused before anything is called.
    document, model = _read(tmp_path / "sub.skdeep")
    _write(tmp_path / "evil.skdeep", {**document, "class": "os:system"}, model)
    with pytest.raises(ValueError, match="'os:system' is not an skdeep estimator class"):
        skdeep.load(tmp_path / "evil.skdeep")


# ---------------------------------------------------------------------- the user's classes


class ScaledError(keras.losses.Loss):
    """A user's loss subclass, defined at module level and not registered with Keras."""

    def call(self, y_true, y_pred):
        return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1) * 0.5


class Halving(keras.layers.Layer):
    def call(self, x):
        return x * 0.5


class UsersModel(keras.Model):
    pass


def users_builder(meta):
    inputs = keras.Input((meta["n_features_in_"],))
    hidden = keras.layers.Dense(16, activation="relu")(Halving()(inputs))
    return UsersModel(inputs, keras.layers.Dense(1)(hidden))


def scaled_mae(y_true, y_pred, scale=1.0):
    return scale * keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)


@pytest.mark.parametrize("fitted_with", ["model", "loss"])
@pytest.mark.slow
def test_own_classes_round_trip_through_pickle_joblib_and_save(california, tmp_path,
                                                               fitted_with):
    X, y, X_test, _ = california
    kwargs = ({"model": users_builder} if fitted_with == "model"
              else {"loss": ScaledError(), "hidden_layer_sizes": (8,)})
    reg = DeepRegressor(epochs=2, random_state=0, **kwargs).fit(X, y)
    expected = reg.predict(X_test)
    buffer = io.BytesIO()
    joblib.dump(reg, buffer)
    buffer.seek(0)
    reg.save(tmp_path / "reg.skdeep")
    for loaded in (pickle.loads(pickle.dumps(reg)), joblib.load(buffer),
                   skdeep.load(tmp_path / "reg.skdeep")):
        np.testing.assert_array_equal(loaded.predict(X_test), expected)
    assert "UsersModel" not in keras.saving.get_custom_objects()  # nothing left registered


def test_a_class_defined_in_a_function_is_refused_at_save(california, tmp_path):
    X, y, _, _ = california

    class LocalLoss(keras.losses.Loss):
        def call(self, y_true, y_pred):
            return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)

    reg = DeepRegressor(loss=LocalLoss(), hidden_layer_sizes=(4,), epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="register_keras_serializable"):
        reg.save(tmp_path / "reg.skdeep")


# ---------------------------------------------------------------------- pickling


@pytest.mark.parametrize("dump", ["pickle", "joblib", "deepcopy"])
def test_round_trips_give_identical_predictions(california, dump):
    X, y, X_test, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(16,), epochs=2, random_state=0).fit(X, y)
    if dump == "pickle":
        restored = pickle.loads(pickle.dumps(reg))
    elif dump == "joblib":
        buffer = io.BytesIO()
        joblib.dump(reg, buffer)
        buffer.seek(0)
        restored = joblib.load(buffer)
    else:
        restored = copy.deepcopy(reg)
    np.testing.assert_array_equal(reg.predict(X_test), restored.predict(X_test))
    assert restored.history_ == reg.history_


def test_a_wrapped_loss_keeps_training_after_pickle(california):
    X, y, _, _ = california
    reg = DeepRegressor(loss=scaled_mae, loss__scale=2.0, hidden_layer_sizes=(4,), epochs=1,
                        warm_start=True, random_state=0).fit(X, y)
    loaded = pickle.loads(pickle.dumps(reg)).fit(X, y)
    assert loaded.n_iter_ == 2 and np.isfinite(loaded.predict(X)).all()
