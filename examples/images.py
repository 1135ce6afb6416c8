"""Images as images: a small CNN, a Flatten MLP and the built-in network on (n, 8, 8, 1) digits.

Keras tutorials feed pictures to Keras whole, as (n, height, width) or (n, height,
width, channels) arrays, and start the model with a ``Flatten`` or a convolution.  skdeep
takes such arrays as they are: here scikit-learn's 8x8 digits scaled to [0, 1] and shaped
(n, 8, 8, 1), scored by ``cross_val_score`` (3 folds) for

* a small CNN (Conv2D / MaxPool / Conv2D / MaxPool / Flatten / Dense) whose builder reads the
  image shape from ``meta["X_shape_"][1:]`` and the number of classes from
  ``meta["n_classes_"]``,
* the tutorials' Flatten MLP (``keras.Input`` + ``Flatten`` rather than the tutorials'
  ``Flatten(input_shape=[28, 28])``, which Keras 3 warns about), and
* the built-in network, ``DeepClassifier()``, which flattens n-D inputs itself.

Prints each model's fold accuracies; draws them as bars (mean +/- std over the folds) beside
a few test digits with the CNN's predictions.

Run: python examples/images.py
"""

import time

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
import keras
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split

import _gallery


def cnn(meta=None, filters=32, dense=64, learning_rate=1e-3):
    """A small CNN: two convolution + pooling blocks, then a dense layer and softmax."""
    model = keras.Sequential([
        keras.Input(meta["X_shape_"][1:]),
        keras.layers.Conv2D(filters, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(2 * filters, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(dense, activation="relu"),
        keras.layers.Dense(meta["n_classes_"], activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy",
                  optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  metrics=["accuracy"])
    return model


def flatten_mlp(meta=None, learning_rate=1e-3):
    """The tutorials' MLP on images: Flatten, 300 and 100 ReLU units, softmax."""
    model = keras.Sequential([
        keras.Input(meta["X_shape_"][1:]),
        keras.layers.Flatten(),
        keras.layers.Dense(300, activation="relu"),
        keras.layers.Dense(100, activation="relu"),
        keras.layers.Dense(meta["n_classes_"], activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy",
                  optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  metrics=["accuracy"])
    return model


def main():
    digits = load_digits()
    X = (digits.images / 16.0).astype("float32")[..., np.newaxis]  # (1797, 8, 8, 1) in [0, 1]
    y = digits.target
    n = _gallery.rows(len(X), 600)
    X, y = X[:n], y[:n]
    print(f"X: {X.shape} {X.dtype}, pixel values in [{X.min():.0f}, {X.max():.0f}]")
    common = dict(epochs=_gallery.epochs(30), batch_size=32, random_state=42)
    models = {
        "CNN": skdeep.DeepClassifier(model=cnn, **common),
        "Flatten MLP": skdeep.DeepClassifier(model=flatten_mlp, **common),
        "DeepClassifier()": skdeep.DeepClassifier(**common),
    }
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=42)
    scores = {}
    for name, model in models.items():
        start = time.perf_counter()
        scores[name] = cross_val_score(model, X, y, cv=folds)
        print(f"{name:<17} CV accuracy {scores[name].mean():.4f} +/- {scores[name].std():.4f}  "
              f"folds {np.round(scores[name], 4)}  {time.perf_counter() - start:.1f} s")

    # The CNN once more on a 75/25 split, to show some test digits with its predictions.
    X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=42)
    best = models["CNN"].fit(X_train, y_train)
    predicted = best.predict(X_test)
    wrong = np.flatnonzero(predicted != y_test)
    print(f"CNN on the 75/25 split: test accuracy {best.score(X_test, y_test):.4f} "
          f"({len(wrong)} of {len(y_test)} test digits wrong)")
    shown = np.concatenate([wrong[:4], np.setdiff1d(np.arange(len(y_test)), wrong)])[:8]

    plt = _gallery.pyplot()
    figure = plt.figure(figsize=(10, 4))
    grid = figure.add_gridspec(2, 6, width_ratios=[1.6, 1.6, 1, 1, 1, 1])
    ax = figure.add_subplot(grid[:, :2])
    means = [s.mean() for s in scores.values()]
    ax.bar(list(scores), means, yerr=[s.std() for s in scores.values()], capsize=6,
           color=["C0", "C1", "C2"])
    for i, value in enumerate(means):
        ax.text(i, value / 2, f"{value:.3f}", ha="center", color="white", fontweight="bold")
    ax.set(ylabel="3-fold CV accuracy", ylim=(0, 1.05),
           title="digits as (n, 8, 8, 1) images")
    ax.grid(True, axis="y", alpha=0.3)
    for k, i in enumerate(shown):
        image_ax = figure.add_subplot(grid[k // 4, 2 + k % 4])
        image_ax.imshow(X_test[i, :, :, 0], cmap="gray_r")
        ok = predicted[i] == y_test[i]
        image_ax.set_title(f"CNN: {predicted[i]}" + ("" if ok else f" (is {y_test[i]})"),
                           color="black" if ok else "red", fontsize=9)
        image_ax.axis("off")
    _gallery.save(figure, "images")


if __name__ == "__main__":
    main()
