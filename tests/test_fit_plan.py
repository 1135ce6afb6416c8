"""A fit's plan (skdeep/_fit_plan.py): validation rows, early stopping, callbacks, history."""

import keras
import numpy as np
import pandas as pd
import pytest

from skdeep import DeepRegressor, WideDeepRegressor


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
