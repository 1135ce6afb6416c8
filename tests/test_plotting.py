"""Learning curves (skdeep/plotting.py)."""

import numpy as np
import pytest

import skdeep


def test_plot_history_draws_train_and_validation_curves(california, tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    X, y, _, _ = california
    reg = skdeep.DeepRegressor(hidden_layer_sizes=(8,), epochs=4, early_stopping=True,
                               metrics=["mae"], random_state=0).fit(X, y)
    ax = skdeep.plot_history(reg)
    assert ax.get_legend_handles_labels()[1] == ["loss", "val_loss", "mae", "val_mae",
                                                 f"best epoch ({reg.best_epoch_})"]
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), reg.history_["loss"])
    ax.figure.savefig(tmp_path / "curves.png")
    assert (tmp_path / "curves.png").stat().st_size > 1000
    with pytest.raises(ValueError, match=r"The history has no \['accuracy'\]"):
        skdeep.plot_history(reg, metrics=["accuracy"])
