"""A fit's plan around the training itself: which rows validate, whether it stops early,
the callbacks it runs, the Keras ``fit`` arguments it passes on, how its history is
recorded, and how a failed fit is rolled back.

The validation rows are split off before anything is learned from the rows (Wide & Deep's
scaling and vocabularies, a numeric embedding's bins), so ``val_loss`` and early stopping
judge the model on rows it has not seen in any form.
"""

import math
from numbers import Integral

import keras
import numpy as np
from sklearn.model_selection import train_test_split

from .engine import state as model_state
from .inputs import n_rows, take_rows
from .keras_objects import instantiate
from .routing import routed, to_python
from .seeding import draw_seed
from ._settings import rows_per_batch

# early_stopping="auto" is on above this many rows, as in scikit-learn's
# HistGradientBoosting*: there a 10% validation split costs little, and a fixed number of
# epochs is most likely to overfit or stop short.
EARLY_STOPPING_MIN_ROWS = 10_000


def stops_early(early_stopping, n_samples):
    """Whether a fit on ``n_samples`` rows validates to stop early."""
    if isinstance(early_stopping, str):  # "auto"
        return n_samples > EARLY_STOPPING_MIN_ROWS
    return bool(early_stopping)


def split_validation(X, y, weights, call, stop_early, stratify):
    """``(train, validation)`` triples (X, y, sample_weight) of a fit's rows; validation is
    None when the fit validates on none of them (or on ``validation_data``).

    Keras's ``validation_split`` takes the last rows; early stopping a random
    ``validation_fraction`` (stratified by ``stratify``, the labels, where given).
    """
    index = np.arange(n_rows(X))
    if call.validation_split is not None:
        train, valid = _last_rows_split(index, call.validation_split)
    elif not stop_early:
        return (X, y, weights), None
    else:
        train, valid = train_test_split(index, test_size=call.validation_fraction,
                                        random_state=draw_seed(call.random_state),
                                        stratify=stratify)
    take = (lambda rows: None) if weights is None else (lambda rows: weights[rows])
    return ((take_rows(X, train), y[train], take(train)),
            (take_rows(X, valid), y[valid], take(valid)))


def unpacked_validation_data(validation_data):
    """``fit``'s ``validation_data`` as ``(X_val, y_val, sample_weight_val or None)``."""
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
        raise ValueError(
            "validation_data must be a tuple (X_val, y_val) or (X_val, y_val, "
            f"sample_weight_val); got {type(validation_data).__name__}.")
    X_val, y_val, *weights = validation_data
    return X_val, y_val, weights[0] if weights else None


def _last_rows_split(index, fraction):
    """Keras's ``validation_split``: the last ``fraction`` of the rows validate."""
    split_at = int(math.floor(len(index) * (1.0 - fraction)))
    if split_at in (0, len(index)):
        left = "no rows to train on" if split_at == 0 else "no rows to validate on"
        raise ValueError(f"validation_split={fraction} leaves {left} out of {len(index)}: "
                         "choose a fraction that splits them.")
    return index[:split_at], index[split_at:]


def make_callbacks(call, extra_params, fit_callbacks, stop_early):
    """Fresh callbacks for one fit: clones and search candidates never share state."""
    callbacks = []
    for given, routes, where in (
            (call.callbacks, routed(extra_params, "callbacks"), "callbacks"),
            (fit_callbacks, {}, "fit callbacks")):
        if given is not None:
            _flat_callbacks(given, where)  # checked as given, before anything is made
            callbacks += _flat_callbacks(instantiate(given, routes, where), where)
    if stop_early:
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=int(call.n_iter_no_change),
            min_delta=float(call.tol), restore_best_weights=True,
        ))
    return callbacks


def _flat_callbacks(callbacks, where):
    """A list of callbacks from one, a list or a dict of them (a dict's values may be
    lists, as in scikeras); anything else is a TypeError naming it."""
    if isinstance(callbacks, dict):
        callbacks = list(callbacks.values())
    if not isinstance(callbacks, (list, tuple)):
        callbacks = [callbacks]
    flat = [c for item in callbacks
            for c in (item if isinstance(item, (list, tuple)) else [item])]
    wrong = [c for c in flat if not isinstance(c, keras.callbacks.Callback) and not (
        isinstance(c, type) and issubclass(c, keras.callbacks.Callback))]
    if wrong:
        raise TypeError(f"The {where} must be Keras callbacks (keras.callbacks.Callback "
                        f"instances or classes). Got {wrong[0]!r} instead.")
    return flat


def keras_fit_kwargs(call, extra_params, validation):
    """Arguments for Keras's ``fit`` (any makes it train): routed ``fit__*`` ones, this
    call's, and ``validation_batch_size`` where there is ``validation`` data."""
    kwargs = {**routed(extra_params, "fit"), **call.keras_fit_kwargs}
    if validation is not None and call.validation_batch_size is not None:
        kwargs.setdefault("validation_batch_size", rows_per_batch(
            call.validation_batch_size, n_rows(validation[0])))
    return kwargs


def recorded_history(history, callbacks, validation_freq, before=None):
    """The fitted ``history_``, ``n_iter_`` and ``best_epoch_`` (None: no best epoch) of a
    fit's Keras history; ``before``: the history a continued fit extends.

    The best epoch is the one whose weights an EarlyStopping restored (by its own rule:
    ``min_delta``, ``baseline``), else the lowest ``val_loss``.
    """
    history = {k: [to_python(v) for v in values]
               for k, values in _per_epoch(history, validation_freq).items()}
    n_before = 0
    if before is not None:
        # Epochs stay aligned: a metric missing from one part is NaN for its epochs.
        n_before, n_after = len(before.get("loss", [])), len(history.get("loss", []))
        history = {k: before.get(k, [math.nan] * n_before) + history.get(k, [math.nan] * n_after)
                   for k in {**before, **history}}
    restored = _restored_epoch(callbacks)
    if restored is not None:
        best = n_before + restored + 1
    elif "val_loss" in history:
        best = int(np.nanargmin(history["val_loss"])) + 1
    else:
        best = None
    return {"history_": history, "n_iter_": len(history.get("loss", [])), "best_epoch_": best}


def _per_epoch(history, validation_freq):
    """Keras's history with one entry per epoch in every list: with ``validation_freq``,
    Keras lists ``val_*`` for the validated epochs only; the others get NaN."""
    n = len(history.get("loss", []))
    validated = [e for e in range(1, n + 1) if (e % validation_freq == 0 if isinstance(
        validation_freq, Integral) else e in validation_freq)]
    aligned = {}
    for key, values in history.items():
        if len(values) == len(validated) < n:
            filled = dict(zip(validated, values))
            values = [filled.get(e, math.nan) for e in range(1, n + 1)]
        aligned[key] = values
    return aligned


def _restored_epoch(callbacks):
    """The epoch whose weights the fit ended with, if an EarlyStopping restored them (the
    last one to restore wins, as its ``on_train_end`` runs last); else None."""
    for callback in reversed(callbacks):
        if isinstance(callback, keras.callbacks.EarlyStopping) and \
                callback.restore_best_weights and callback.best_weights is not None:
            return int(callback.best_epoch)
    return None


class Rollback:
    """A failed fit leaves a fitted estimator exactly as it was.

    It keeps the fitted attributes (those ending in ``_``) and, for a fit that trains the
    fitted model on (``warm``), that model's weights and optimizer state; ``restore`` puts
    them back.
    """

    def __init__(self, estimator, warm):
        self.estimator = estimator
        self.fitted = {k: v for k, v in vars(estimator).items() if k.endswith("_")}
        self.model = model_state.snapshot(self.fitted["model_"]) if warm else None

    def restore(self):
        attributes = vars(self.estimator)
        for key in [k for k in attributes if k.endswith("_")]:
            del attributes[key]
        attributes.update(self.fitted)
        if self.model is not None:
            model_state.restore(self.fitted["model_"], self.model)
