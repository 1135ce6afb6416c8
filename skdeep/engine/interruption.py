"""Ctrl-C during training: the first stops it cleanly, a second aborts.

One contract for every path of the engine: :func:`until_interrupted` runs a training loop,
Keras's ``fit`` or the compiled engines' epoch loop alike."""

import signal
import threading
import warnings

from ..exceptions import FitInterruptedWarning


class Interruption:
    """A first Ctrl-C during training stops it cleanly, as in scikit-learn's MLP.

    The epochs finished so far stay in the history, the callbacks' ``on_train_end`` still
    runs (EarlyStopping restores the best weights there), the estimator sets its fitted
    attributes, and a :class:`~skdeep.exceptions.FitInterruptedWarning` says so.  A second
    Ctrl-C aborts: ``fit`` then leaves the estimator as it was.

    In the main thread the first Ctrl-C does not raise: it sets ``model.stop_training``,
    which the training loop reads after each epoch (Keras's ``fit`` after each batch).  A
    ``KeyboardInterrupt`` raised wherever Python happened to be could land inside TensorFlow's
    own Python code while it calls back from C++, which may clear it (training then ran on
    for ever, 100,000 epochs in a test) or leave its state half-changed.  A
    ``KeyboardInterrupt`` raised otherwise (by a callback, or in a thread, where Python
    delivers no signals) stops training the same way.
    """

    def __init__(self, model):
        self.model = model
        self.requested = False
        self._previous = None

    def __enter__(self):
        if threading.current_thread() is threading.main_thread() and \
                signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            self._previous = signal.signal(signal.SIGINT, self._first_ctrl_c)
        return self

    def _first_ctrl_c(self, signum, frame):
        self.requested = True
        self.model.stop_training = True
        signal.signal(signal.SIGINT, self._previous)  # the next one raises

    def __exit__(self, kind, value, traceback):
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
        interrupted = kind is not None and issubclass(kind, KeyboardInterrupt)
        if kind is not None and not interrupted:
            return False
        if interrupted and self.requested:
            return False  # the second Ctrl-C, during training: abort
        if interrupted or self.requested:
            warnings.warn(
                "Training interrupted by the user (Ctrl-C): the estimator keeps the weights "
                "trained so far (the best epoch's, when it validates with early stopping). "
                "Press Ctrl-C again to abort instead.",
                FitInterruptedWarning, stacklevel=2,
            )
        return interrupted


def until_interrupted(model, callbacks, train):
    """Run a training loop under the Ctrl-C contract of :class:`Interruption`.

    Parameters
    ----------
    model : keras.Model
        The model ``train`` trains: its ``stop_training`` ends the loop after the epoch (or
        batch) in progress, and its ``history`` (Keras's ``History`` callback, which sets it
        at each epoch's end) holds the epochs finished.
    callbacks : list of keras.callbacks.Callback
        The loop's callbacks: their ``on_train_end`` still runs when a ``KeyboardInterrupt``
        cut the loop short (EarlyStopping restores the best weights there).
    train : callable
        ``train()`` runs the loop, calling the callbacks' hooks as ``model.fit`` does, and
        returns the history as a dict of per-epoch lists.

    Returns
    -------
    history : dict
        ``train()``'s, or the epochs finished before the interruption.
    """
    model.history = None
    with Interruption(model):
        return train()
    # Interrupted: the loop skipped on_train_end.  A second Ctrl-C there aborts.
    for callback in callbacks:
        callback.on_train_end()
    return model.history.history if model.history is not None else {}
