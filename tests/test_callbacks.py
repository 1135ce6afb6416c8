"""The callbacks every fit gets (skdeep/callbacks.py): the divergence guard and, with
``verbose=1``, one line per epoch."""

import numpy as np
import pytest

from skdeep import DeepRegressor
from skdeep.exceptions import DivergenceError


@pytest.mark.filterwarnings("ignore:invalid value encountered in cast:RuntimeWarning")
def test_divergence_raises_with_epoch_and_hint_and_keeps_the_previous_fit(california,
                                                                          fitted_regressor):
    X, y, X_test, _ = california
    reg = fitted_regressor
    before = reg.predict(X_test)
    reg.set_params(learning_rate=10.0, epochs=20)
    with pytest.raises(DivergenceError, match=r"Training diverged in epoch 1: loss is (nan|inf)"
                       r"\. Try a lower learning_rate \(this fit used 10\)"):
        reg.fit(X, y * 1e20)
    np.testing.assert_array_equal(reg.predict(X_test), before)
    assert isinstance(DivergenceError("x"), ValueError)


def test_verbose_zero_prints_nothing_and_one_prints_each_epoch_with_validation_and_time(
        california, capfd):
    X, y, _, _ = california
    DeepRegressor(hidden_layer_sizes=(8,), epochs=3).fit(X, y).predict(X)
    assert capfd.readouterr() == ("", "")
    DeepRegressor(hidden_layer_sizes=(8,), epochs=3, early_stopping=True, verbose=1,
                  random_state=0).fit(X, y)
    lines = capfd.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert all(line.startswith(f"Epoch {i}/3 - ") and "s - loss: " in line
               and "val_loss: " in line for i, line in enumerate(lines, start=1))
