"""A fit's plan (skdeep/_fit_plan.py): validation rows, early stopping, the user's callbacks,
history, and the rollback of a failed fit."""

import importlib.util

import keras
import numpy as np
import pandas as pd
import pytest

from skdeep import DeepRegressor, WideDeepRegressor
from skdeep.datasets import load_california_housing
from skdeep.exceptions import DivergenceError


def _two_halves(n=400, seed=0):
    """A table whose first half (the training rows of validation_split=0.5) differs from
    its second: the number column is N(0, 1) then N(10, 1), and the category "late"
    appears only in the second half."""
    rng = np.random.RandomState(seed)
    half = n // 2
    number = np.r_[rng.normal(0, 1, half), rng.normal(10, 1, half)]
    category = np.r_[rng.choice(["a", "b"], half), np.full(half, "late")]
    X = pd.DataFrame({"number": number, "category": category})
    y = number + (category == "a")
    return X, y


def test_validation_rows_are_not_learned_by_the_tabular_encoding():
    X, y = _two_halves()
    reg = WideDeepRegressor(validation_split=0.5, min_frequency=1, epochs=1,
                            hidden_layer_sizes=(4,), random_state=0).fit(X, y)
    encoder = reg.encoder_
    # Scaled with the training rows' centre (about 0), not all rows' (about 5).
    assert abs(encoder.center_[0]) < 0.5
    assert "late" not in list(encoder.vocabularies_[1])
    # The category seen only in validation rows goes to the "other" bucket.
    assert "category=late" not in reg.wide_coef_


def test_fit_validates_on_validation_data_and_records_the_best_epoch(california):
    X, y, X_val, y_val = california
    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=4, random_state=0)
    reg.fit(X, y, validation_data=(X_val, y_val))
    assert len(reg.history_["val_loss"]) == reg.n_iter_ == 4
    assert reg.best_epoch_ == int(np.argmin(reg.history_["val_loss"])) + 1


def test_a_refit_without_validation_has_no_best_epoch(california):
    X, y, X_val, y_val = california
    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=2, random_state=0)
    reg.fit(X, y, validation_data=(X_val, y_val))
    assert hasattr(reg, "best_epoch_")
    reg.fit(X, y)
    assert not hasattr(reg, "best_epoch_") and "val_loss" not in reg.history_


def test_a_validation_split_leaving_no_rows_to_train_on_is_refused(california):
    X, y, _, _ = california
    with pytest.raises(ValueError, match="validation_split=0.95 leaves no rows to train on"):
        DeepRegressor(validation_split=0.95, epochs=1).fit(X[:10], y[:10])


def test_callbacks_are_fresh_copies_for_every_fit(california):
    X, y, _, _ = california
    given = keras.callbacks.EarlyStopping(monitor="loss", patience=1)
    reg = DeepRegressor(hidden_layer_sizes=(4,), epochs=2, callbacks=[given], random_state=0)
    reg.fit(X, y)
    reg.fit(X, y)
    assert given.model is None  # the parameter's own object never trained


@pytest.mark.filterwarnings("ignore:invalid value encountered in cast:RuntimeWarning")
def test_a_failed_warm_fit_keeps_the_optimizer_state(california, fitted_regressor):
    X, y, X_test, _ = california
    reg = fitted_regressor.set_params(warm_start=True)
    state = [v.numpy() for v in reg.model_.optimizer.variables]
    with pytest.raises(DivergenceError):
        reg.fit(X, y * 1e30)
    for variable, before in zip(reg.model_.optimizer.variables, state):
        np.testing.assert_array_equal(variable.numpy(), before)
    assert np.isfinite(reg.fit(X, y).predict(X_test)).all()  # a later warm fit trains


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


def test_bad_data_leaves_a_fitted_estimator_unchanged(california, fitted_regressor):
    X, y, X_test, _ = california
    reg = fitted_regressor.set_params(warm_start=True)
    before = reg.predict(X_test)
    bad_y = y.copy()
    bad_y[3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        reg.fit(X, bad_y)
    with pytest.raises(ValueError, match="8 features"):
        reg.fit(X[:, :5], y)
    np.testing.assert_array_equal(reg.predict(X_test), before)
    assert reg.n_features_in_ == 8


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


def test_early_stopping_auto_validates_above_ten_thousand_rows():
    X, y = load_california_housing(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    big = DeepRegressor(hidden_layer_sizes=(8,), early_stopping="auto", epochs=2,
                        random_state=0).fit(X[:10_001], y[:10_001])
    small = DeepRegressor(hidden_layer_sizes=(8,), early_stopping="auto", epochs=2,
                          random_state=0).fit(X[:10_000], y[:10_000])
    assert "val_loss" in big.history_ and "val_loss" not in small.history_
