"""The Keras tutorials' hyper-parameter search, on the bundled California housing data.

A Keras builder with ``hidden_layers``, ``layer_size`` and ``learning_rate``; a
RandomizedSearchCV over ``np.arange(1, 100)`` layer sizes (numpy ints) and a reciprocal
learning-rate distribution, cv=3; up to 100 epochs with EarlyStopping(patience=10) on
validation data passed through ``search.fit``, as in the notes; then the best estimator on
the test set, and its learning curves saved to ``examples/figures/california_search.png``
(learning curves as the notes draw them with ``pd.DataFrame(history).plot()``).
About a minute on 2 CPU cores.

Run: python examples/california_search.py
"""

import time

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
import keras
import numpy as np
from scipy.stats import reciprocal
from sklearn.model_selection import RandomizedSearchCV, train_test_split
from sklearn.preprocessing import StandardScaler

import _gallery
from skdeep.datasets import load_california_housing


def build_model(hidden_layers=1, layer_size=30, learning_rate=3e-3, meta=None):
    """The tutorials' builder: ``meta`` gives the input width instead of a hard-coded [8]."""
    model = keras.Sequential([keras.Input((meta["n_features_in_"],))])
    for _ in range(hidden_layers):
        model.add(keras.layers.Dense(layer_size, activation="relu"))
    model.add(keras.layers.Dense(1))
    # The notes use SGD; Adam reaches a good fit in the few epochs a search can afford.
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=learning_rate))
    return model


def main():
    X, y = load_california_housing(return_X_y=True)
    X_train_full, X_test, y_train_full, y_test = train_test_split(X, y, random_state=42)
    X_train, X_valid, y_train, y_valid = train_test_split(
        X_train_full, y_train_full, random_state=42
    )
    scaler = StandardScaler().fit(X_train)
    X_train, X_valid, X_test = (scaler.transform(a) for a in (X_train, X_valid, X_test))

    param_distribs = {
        "hidden_layers": [1, 2, 3],
        "layer_size": np.arange(1, 100),
        "learning_rate": reciprocal(1e-4, 1e-2),
    }
    search = RandomizedSearchCV(
        skdeep.DeepRegressor(model=build_model, random_state=42),
        param_distribs,
        n_iter=2 if _gallery.FAST else 10,
        cv=3,
        random_state=42,
    )
    start = time.perf_counter()
    search.fit(
        X_train,
        y_train,
        epochs=_gallery.epochs(100),
        validation_data=(X_valid, y_valid),
        callbacks=[keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)],
    )
    elapsed = time.perf_counter() - start

    best = search.best_estimator_
    # Plain numbers: the search's draws are NumPy scalars, printed as np.int64(72).
    best_params = {k: v.item() if hasattr(v, "item") else v
                   for k, v in search.best_params_.items()}
    print(f"best params: {best_params}")
    print(f"best CV R^2: {search.best_score_:.4f}")
    print(f"test R^2:    {best.score(X_test, y_test):.4f}")
    print(f"search time: {elapsed:.1f} s for {search.n_iter * 3 + 1} fits "
          f"(best model trained {best.n_iter_} epochs)")
    _gallery.pyplot()
    _gallery.save(skdeep.plot_history(best).figure, "california_search")


if __name__ == "__main__":
    main()
