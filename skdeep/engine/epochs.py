"""The epoch loop of the compiled engines: Keras ``fit``'s epoch-level callback contract.

The TensorFlow and JAX engines each compile a whole pass over the data into one call; this
loop runs those passes and gives callbacks the hooks and logs ``model.fit`` gives them
(``on_train_begin/end``, ``on_epoch_begin/end``, ``on_test_begin/end``, ``model.stop_training``
honoured, a ``History`` returned), so EarlyStopping, ModelCheckpoint, ReduceLROnPlateau,
TensorBoard, CSVLogger and users' epoch callbacks behave as under ``model.fit``, and Ctrl-C
stops it as it stops Keras's ``fit`` (:func:`~skdeep.engine.interruption.until_interrupted`).
"""

import keras

from .interruption import until_interrupted


def run_epochs(model, callbacks, *, epochs, steps, train_epoch, validate=None):
    """Train ``epochs`` passes; the history as a dict of per-epoch lists.

    Parameters
    ----------
    model : keras.Model
        The model the callbacks see (its metrics are reset before each pass).
    callbacks : list of keras.callbacks.Callback
        Epoch-level callbacks.
    epochs, steps : int
        Passes, and batches a pass (what ``model.fit`` tells the callbacks).
    train_epoch : callable
        ``train_epoch(epoch)`` runs one training pass and returns its logs, a dict of floats.
    validate : callable, default=None
        ``validate()`` runs one validation pass and returns its logs, or None for none.
    """
    callback_list = keras.callbacks.CallbackList(
        callbacks, add_history=True, model=model, epochs=epochs, steps=steps, verbose=0)

    def loop():
        model.stop_training = False
        callback_list.on_train_begin()
        logs = {}
        for epoch in range(epochs):
            model.reset_metrics()
            callback_list.on_epoch_begin(epoch)
            logs = train_epoch(epoch)
            if validate is not None:
                model.reset_metrics()
                callback_list.on_test_begin()
                val_logs = validate()
                callback_list.on_test_end(val_logs)
                logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callback_list.on_epoch_end(epoch, logs)
            if model.stop_training:
                break
        callback_list.on_train_end(logs)
        return model.history.history

    return until_interrupted(model, callbacks, loop)
