"""The epoch callbacks every fit gets: the divergence guard and, with ``verbose=1``, progress.

Both use epoch hooks only, so they keep a fit on the engine's in-graph fast path.
"""

import math
import time

import keras
import numpy as np

from .exceptions import DivergenceError


class DivergenceGuard(keras.callbacks.Callback):
    """Stop a fit whose loss or metrics become NaN or infinite, with the epoch and a hint.

    It runs first among the callbacks, so a checkpoint never saves the diverged weights.  The
    estimator's ``fit`` then leaves it as it was before the call (unfitted, or its previous
    fit), so predictions are never silently NaN.
    """

    def on_epoch_end(self, epoch, logs=None):
        bad = {k: v for k, v in (logs or {}).items() if np.ndim(v) == 0 and not math.isfinite(v)}
        if bad:
            raise DivergenceError(
                f"Training diverged in epoch {epoch + 1}: {_describe(bad)}. "
                f"{_hint(self.model)}"
            )


def _describe(bad):
    return ", ".join(f"{name} is {value}" for name, value in bad.items())


def _hint(model):
    try:
        rate = f" (this fit used {float(model.optimizer.learning_rate):.3g})"
    except (AttributeError, TypeError):  # a MultiOptimizer has no single learning rate
        rate = ""
    return (f"Try a lower learning_rate{rate}, scale X (e.g. StandardScaler) and, for "
            "regression, y, or add clipnorm through optimizer__clipnorm=1.0.")


class EpochLogger(keras.callbacks.Callback):
    """``verbose=1``: one line per epoch with every train and validation metric and the time."""

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        metrics = " - ".join(f"{k}: {v:.4g}" for k, v in (logs or {}).items() if np.ndim(v) == 0)
        elapsed = time.perf_counter() - self._start
        print(f"Epoch {epoch + 1}/{self.params['epochs']} - {elapsed:.1f}s - {metrics}", flush=True)
