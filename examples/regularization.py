"""Multiclass regularisation: no penalty, dropout, or L2, compared on validation loss.

Keras tutorials add dropout and L2 to a multiclass network; here on scikit-learn's 8x8
digits with a (300, 100) MLP, softmax over 10 classes and sparse labels.  Draws the three
validation-loss curves on one figure and prints ``classification_report`` for the model with
the lowest validation loss.

Run: python examples/regularization.py
"""

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
import numpy as np
from sklearn.metrics import classification_report

import _gallery


def main():
    X_train, X_test, y_train, y_test = _gallery.digits()
    common = dict(hidden_layer_sizes=(300, 100), epochs=_gallery.epochs(60), early_stopping=True,
                  n_iter_no_change=1000, random_state=42)
    models = {
        "neither": skdeep.DeepClassifier(**common),
        "dropout 0.3": skdeep.DeepClassifier(dropout=0.3, **common),
        "L2 1e-3": skdeep.DeepClassifier(l2=1e-3, **common),
    }
    plt = _gallery.pyplot()
    figure, ax = plt.subplots(figsize=(7, 4))
    for name, model in models.items():
        model.fit(X_train, y_train)
        print(f"{name:<12} best val loss {min(model.history_['val_loss']):.4f} "
              f"(epoch {model.best_epoch_})  test accuracy {model.score(X_test, y_test):.4f}")
        ax.plot(range(1, model.n_iter_ + 1), model.history_["val_loss"], label=name)
    ax.set(xlabel="epoch", ylabel="validation loss", yscale="log",
           title="(300, 100) MLP on digits: regularisation")
    ax.grid(True, alpha=0.3)
    ax.legend()
    _gallery.save(figure, "regularization")
    best = min(models, key=lambda n: np.min(models[n].history_["val_loss"]))
    print(f"classification report of the best ({best}):")
    print(classification_report(y_test, models[best].predict(X_test), digits=3))


if __name__ == "__main__":
    main()
