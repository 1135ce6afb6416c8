"""Model builders written as a user writes them, shared by the tests of routing, model
assembly, Keras objects, parameters, searches and scikeras's ways."""

import keras


def build_model(hidden_layers=1, layer_size=30, learning_rate=3e-3, meta=None):
    """The reference notes' builder (compiles itself with SGD)."""
    model = keras.Sequential([keras.Input((meta["n_features_in_"],))])
    for _ in range(hidden_layers):
        model.add(keras.layers.Dense(layer_size, activation="relu"))
    model.add(keras.layers.Dense(1))
    model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=learning_rate))
    return model


class Recorder:
    """A builder (uncompiled Sequential MLP) that records the arguments of every call."""

    def __init__(self):
        self.calls = []

    def __call__(self, hidden_layers=1, layer_size=4, meta=None):
        self.calls.append({"hidden_layers": hidden_layers, "layer_size": layer_size,
                           "meta": meta})
        model = keras.Sequential([keras.Input((meta["n_features_in_"],))])
        for _ in range(hidden_layers):
            model.add(keras.layers.Dense(layer_size, activation="relu"))
        model.add(keras.layers.Dense(meta["n_outputs_"]))
        return model


def n_dense(model):
    return sum(isinstance(layer, keras.layers.Dense) for layer in model.layers)


def small(**kwargs):
    """Fast settings for plumbing tests: few epochs, seeded."""
    return {"epochs": 2, "batch_size": 32, "random_state": 0, **kwargs}


def dense_regressor(meta):
    """scikeras's style: an uncompiled MLP sized from ``meta["X_shape_"]``."""
    return keras.Sequential([keras.Input(meta["X_shape_"][1:]),
                             keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])


def dense_classifier(meta):
    """The same for binary labels (sigmoid output)."""
    return keras.Sequential([keras.Input(meta["X_shape_"][1:]),
                             keras.layers.Dense(8, activation="relu"),
                             keras.layers.Dense(1, activation="sigmoid")])


def quick(**kwargs):
    """Fast settings for the scikeras tests: two epochs, no early stopping, seeded."""
    return {"epochs": 2, "early_stopping": False, "random_state": 0, **kwargs}
