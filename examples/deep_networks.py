"""Deep networks: 20 hidden layers of 100 units with ReLU, with ReLU + batch norm, with SELU.

the Keras tutorials' comparison on an offline image-like set, scikit-learn's 8x8 digits:
a plain deep ReLU stack with Glorot weights, the same with batch normalisation between each
dense layer and its activation, and SELU with LeCun-normal weights and AlphaDropout (what
``activation="selu"`` with ``dropout`` switches to).  Prints each test accuracy; draws the
three validation-accuracy curves on one figure.  On 1,347 training images the deep ReLU
stack trains well with Adam; SELU's curve is the noisiest, and AlphaDropout costs it
accuracy here (0.75 against 0.90 without it).

Run: python examples/deep_networks.py
"""

import time

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet

import _gallery


def main():
    X_train, X_test, y_train, y_test = _gallery.digits()
    deep = dict(hidden_layer_sizes=(100,) * 20, epochs=_gallery.epochs(40), learning_rate=1e-3,
                metrics=["accuracy"], early_stopping=True, n_iter_no_change=1000,
                random_state=42)
    models = {
        "ReLU": skdeep.DeepClassifier(activation="relu", **deep),
        "ReLU + batch norm": skdeep.DeepClassifier(activation="relu", batch_norm=True, **deep),
        "SELU + AlphaDropout": skdeep.DeepClassifier(activation="selu", dropout=0.1, **deep),
    }
    plt = _gallery.pyplot()
    figure, ax = plt.subplots(figsize=(7, 4))
    for name, model in models.items():
        start = time.perf_counter()
        model.fit(X_train, y_train)
        print(f"{name:<20} test accuracy {model.score(X_test, y_test):.4f}  "
              f"fit {time.perf_counter() - start:.1f} s")
        ax.plot(range(1, model.n_iter_ + 1), model.history_["val_accuracy"], label=name)
    ax.set(xlabel="epoch", ylabel="validation accuracy",
           title="20 hidden layers of 100 units on digits")
    ax.grid(True, alpha=0.3)
    ax.legend()
    _gallery.save(figure, "deep_networks")


if __name__ == "__main__":
    main()
