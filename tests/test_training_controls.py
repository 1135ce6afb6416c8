"""Early stopping, validation data, callbacks, verbosity, device placement and bad parameters."""

import importlib.util

import keras
import numpy as np
import pytest
from sklearn.base import clone

from skdeep import DeepClassifier, DeepRegressor
from skdeep.device import array_device, visible_devices
from skdeep.exceptions import DeviceError, NotFittedError


def test_early_stopping_stops_and_restores_the_best_weights(california):
    X, y, _, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(32,), learning_rate=0.01, epochs=200,
                        early_stopping=True, n_iter_no_change=3, random_state=0).fit(X, y)
    val_loss = reg.history_["val_loss"]
    assert reg.n_iter_ < 200 and len(val_loss) == reg.n_iter_
    assert reg.best_epoch_ == int(np.argmin(val_loss)) + 1
    assert reg.n_iter_ == reg.best_epoch_ + 3  # stopped exactly after the patience ran out


def test_validation_data_is_used_and_best_weights_restored(california):
    X, y, X_val, y_val = california
    reg = DeepRegressor(hidden_layer_sizes=(32,), learning_rate=0.01, epochs=60,
                        early_stopping=True, n_iter_no_change=3, random_state=0)
    reg.fit(X, y, validation_data=(X_val, y_val))
    # The restored weights are the best epoch's: their loss on X_val is the best val_loss.
    val_mse = np.mean((reg.predict(X_val) - y_val) ** 2)
    assert val_mse == pytest.approx(min(reg.history_["val_loss"]), rel=1e-4)


def test_fit_overrides_apply_to_one_call_only(california):
    X, y, _, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=4, random_state=0)
    reg.fit(X, y, epochs=2, batch_size=500)
    assert reg.n_iter_ == 2 and reg.epochs == 4
    assert reg.fit(X, y).n_iter_ == 4


class RecordingCallback(keras.callbacks.Callback):
    """A user's epoch callback, like the reference notes' ROC AUC printer."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def on_epoch_end(self, epoch, logs=None):
        self.seen.append((epoch, sorted(logs)))


def test_epoch_callbacks_see_train_and_validation_logs(california):
    X, y, X_val, y_val = california
    callback = RecordingCallback()
    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=3, metrics=["mae"],
                        callbacks=[callback], random_state=0)
    reg.fit(X, y, validation_data=(X_val, y_val))
    # Each fit works on a fresh copy: the constructor's instance is untouched, so clones and
    # search candidates never share state.
    assert callback.seen == []
    assert reg.history_.keys() == {"loss", "mae", "val_loss", "val_mae"}


def test_model_stop_training_is_honoured(california):
    X, y, _, _ = california

    class StopAtTwo(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.model.stop_training = epoch == 1

    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=50, callbacks=[StopAtTwo()])
    assert reg.fit(X, y).n_iter_ == 2


def test_checkpoint_csv_and_tensorboard(california, tmp_path):
    X, y, X_val, y_val = california
    checkpoint = tmp_path / "best.keras"
    # Keras's TensorBoard writes through TensorFlow, on every backend.
    tensorboard = importlib.util.find_spec("tensorflow") is not None
    callbacks = [
        keras.callbacks.ModelCheckpoint(str(checkpoint), save_best_only=True),
        keras.callbacks.CSVLogger(str(tmp_path / "log.csv")),
        *([keras.callbacks.TensorBoard(str(tmp_path / "tb"))] if tensorboard else []),
    ]
    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=3, callbacks=callbacks, random_state=0)
    reg.fit(X, y, validation_data=(X_val, y_val))
    assert keras.models.load_model(checkpoint).count_params() == reg.model_.count_params()
    assert len((tmp_path / "log.csv").read_text().splitlines()) == 4  # header + 3 epochs
    assert not tensorboard or any((tmp_path / "tb").rglob("events.out.tfevents.*"))


def test_batch_callbacks_fall_back_to_keras_fit(california):
    X, y, _, _ = california
    batches = []

    class CountBatches(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            batches.append(batch)

    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=2, batch_size=500)
    reg.fit(X, y, callbacks=[CountBatches(), keras.callbacks.TerminateOnNaN()])
    assert batches == [0, 1, 2, 0, 1, 2]
    assert reg.n_iter_ == 2


def test_verbose_zero_prints_nothing_and_one_prints_each_epoch(california, capfd):
    X, y, _, _ = california
    DeepRegressor(hidden_layer_sizes=(8,), epochs=3).fit(X, y).predict(X)
    assert capfd.readouterr() == ("", "")
    DeepRegressor(hidden_layer_sizes=(8,), epochs=3, verbose=1, early_stopping=True).fit(X, y)
    lines = capfd.readouterr().out.splitlines()
    assert len(lines) == 3
    assert lines[2].startswith("Epoch 3/3 - ") and "loss: " in lines[2] and "val_loss: " in lines[2]


def test_device_placement(california):
    X, y, _, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=1, device="cpu").fit(X, y)
    assert reg.device_ == "/CPU:0"
    assert all(array_device(v.value) == "/CPU:0" for v in reg.model_.weights)
    auto = DeepRegressor(hidden_layer_sizes=(8,), epochs=1).fit(X, y)
    has_gpu = bool(visible_devices("gpu"))
    assert auto.device_ == ("/GPU:0" if has_gpu else "/CPU:0")
    assert all(array_device(v.value) == auto.device_ for v in auto.model_.weights)


@pytest.mark.skipif(bool(visible_devices("gpu")), reason="this machine has a GPU")
def test_asking_for_a_missing_gpu_raises(california):
    X, y, _, _ = california
    with pytest.raises(DeviceError, match="device='gpu:0'.*device='auto'"):
        DeepRegressor(device="gpu:0", epochs=1).fit(X, y)


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
    california, params, message
):
    X, y, X_test, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=2, random_state=0).fit(X, y)
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


def test_bad_data_leaves_a_fitted_estimator_unchanged(california):
    X, y, X_test, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=2, warm_start=True).fit(X, y)
    before = reg.predict(X_test)
    bad_y = y.copy()
    bad_y[3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        reg.fit(X, bad_y)
    with pytest.raises(ValueError, match="8 features"):
        reg.fit(X[:, :5], y)
    np.testing.assert_array_equal(reg.predict(X_test), before)
    assert reg.n_features_in_ == 8


def test_not_fitted_error_is_skdeep_and_sklearn():
    from sklearn.exceptions import NotFittedError as SklearnNotFittedError

    with pytest.raises(NotFittedError) as error:
        DeepClassifier().predict(np.zeros((2, 3)))
    assert isinstance(error.value, SklearnNotFittedError)


def test_clone_keeps_parameters_and_drops_fitted_state(california):
    X, y, _, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=1, optimizer__beta_1=0.8).fit(X, y)
    copy = clone(reg)
    assert copy.get_params() == reg.get_params()
    assert not hasattr(copy, "model_")
    assert reg.model_.optimizer.beta_1 == 0.8


def test_best_epoch_is_the_epoch_early_stopping_restored(california):
    X, y, _, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(16,), early_stopping=True, tol=0.5,
                        n_iter_no_change=5, epochs=40, random_state=0).fit(X, y)
    # EarlyStopping's rule: an epoch is better only when it beats the best by more than tol.
    best, restored = np.inf, None
    for epoch, loss in enumerate(reg.history_["val_loss"]):
        if loss < best - 0.5:
            best, restored = loss, epoch
    assert reg.best_epoch_ == restored + 1
    assert reg.best_epoch_ != int(np.nanargmin(reg.history_["val_loss"])) + 1


@pytest.mark.slow
def test_seeded_fits_in_threads_match_serial_ones_and_keep_the_global_streams(california):
    """Builders drawing from NumPy's global stream, seeded fits in two threads at once."""
    import threading

    X, y, X_test, _ = california
    meeting = threading.Barrier(2)

    def builder(meta):
        try:  # both threads inside a builder at once, if seeding lets them
            meeting.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass
        start = keras.initializers.Constant(np.random.normal(size=(meta["n_features_in_"], 8)))
        return keras.Sequential([keras.Input((meta["n_features_in_"],)),
                                 keras.layers.Dense(8, kernel_initializer=start),
                                 keras.layers.Dense(1)])

    def fit(seed):
        return DeepRegressor(model=builder, epochs=2, random_state=seed).fit(X, y)

    serial = {seed: fit(seed).predict(X_test) for seed in (1, 2)}
    np.random.seed(123)
    expected_next = np.random.random_sample()
    np.random.seed(123)
    results = {}
    threads = [threading.Thread(target=lambda s=s: results.update({s: fit(s).predict(X_test)}))
               for s in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for seed in (1, 2):
        np.testing.assert_array_equal(results[seed], serial[seed])
    assert np.random.random_sample() == expected_next
