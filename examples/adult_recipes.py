"""Tabular recipes on raw Adult: accuracy against fit time, beside gradient boosting.

The raw census DataFrame (strings and integers) goes to each model as loaded, stratified
80/20.  ``WideDeepClassifier()`` at its defaults (periodic numeric embeddings, PLR, and an
efficient ensemble of 4 members sharing one network, TabM-mini), then without them (the
defaults before), with a piecewise-linear embedding instead, and with 8 members.  Beside them
scikit-learn's MLP on a one-hot encoding and ``HistGradientBoostingClassifier`` with native
categories.  Prints each recipe's accuracy, ROC AUC and fit time, and plots them.

Run: python examples/adult_recipes.py
"""

import time

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import _gallery
from skdeep.datasets import load_adult


def recipes(X):
    common = dict(random_state=0, epochs=_gallery.epochs(100))
    numeric = X.select_dtypes("number").columns
    one_hot = make_column_transformer(
        (StandardScaler(), numeric),
        (OneHotEncoder(handle_unknown="ignore", min_frequency=10, sparse_output=False),
         X.columns.difference(numeric)))
    return {
        "W&D defaults (PLR, 4 members)": skdeep.WideDeepClassifier(**common),
        "W&D, no embedding, 1 member": skdeep.WideDeepClassifier(
            numeric_embedding=None, ensemble_size=1, **common),
        "W&D, piecewise-linear": skdeep.WideDeepClassifier(
            numeric_embedding="piecewise_linear", **common),
        "W&D, 8 members": skdeep.WideDeepClassifier(ensemble_size=8, **common),
        "sklearn MLP, one-hot": make_pipeline(
            one_hot, MLPClassifier(early_stopping=True, random_state=0)),
        "HistGradientBoosting": HistGradientBoostingClassifier(
            categorical_features="from_dtype", random_state=0),
    }


def main():
    X, y = load_adult(return_X_y=True, as_frame=True)
    n = _gallery.rows(len(X), 2000)
    # HistGradientBoosting's native categories read the category dtype; skdeep takes either.
    X = X[:n].astype({c: "category" for c in X.select_dtypes(exclude="number").columns})
    X_train, X_test, y_train, y_test = train_test_split(X, y[:n], test_size=0.2,
                                                        stratify=y[:n], random_state=0)
    results = {}
    for name, model in recipes(X).items():
        start = time.perf_counter()
        model.fit(X_train, y_train)
        seconds = time.perf_counter() - start
        proba = model.predict_proba(X_test)[:, list(model.classes_).index(">50K")]
        results[name] = (seconds, accuracy_score(y_test, model.predict(X_test)),
                         roc_auc_score(y_test == ">50K", proba))
        print(f"{name:<24} accuracy {results[name][1]:.4f}  ROC AUC {results[name][2]:.4f}  "
              f"fit {seconds:.1f} s")
    plot(results)


def plot(results):
    plt = _gallery.pyplot()
    figure, axes = plt.subplots(1, 2, figsize=(13, 4.8), layout="constrained")
    slowest = max(values[0] for values in results.values())
    for ax, column, label in [(axes[0], 1, "test accuracy"), (axes[1], 2, "test ROC AUC")]:
        for name, values in results.items():
            boosting = name == "HistGradientBoosting"
            ax.scatter(values[0], values[column], marker="*" if boosting else "o",
                       s=160 if boosting else 50, color="tab:red" if boosting else "tab:blue")
            ax.annotate(name, (values[0], values[column]), fontsize=8,
                        xytext=(4, 4), textcoords="offset points")
        ax.set_xscale("log")
        ax.set_xlim(right=slowest * 12)  # room for the labels of the slowest recipes
        ax.set_xlabel("fit time (s, 2 CPU cores)")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    figure.suptitle("Adult, raw DataFrame, stratified 80/20")
    _gallery.save(figure, "adult_recipes")


if __name__ == "__main__":
    main()
