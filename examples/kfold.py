"""K-fold cross-validation of a Pipeline with several metrics: cross_val_score, cross_validate.

A StandardScaler and a DeepRegressor in one Pipeline, so each fold scales with its own
training rows; 5 folds on California housing.  Prints each metric's mean and spread over the
folds and draws them as a box plot.

Run: python examples/kfold.py
"""

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
import numpy as np
from sklearn.model_selection import KFold, cross_val_score, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import _gallery
from skdeep.datasets import load_california_housing


def main():
    X, y = load_california_housing(return_X_y=True)
    n = _gallery.rows(len(X), 1500)
    X, y = X[:n], y[:n]
    pipeline = make_pipeline(StandardScaler(), skdeep.DeepRegressor(
        hidden_layer_sizes=(64, 32), epochs=_gallery.epochs(100), early_stopping=True,
        n_iter_no_change=10, random_state=42))
    folds = KFold(n_splits=5, shuffle=True, random_state=42)
    r2 = cross_val_score(pipeline, X, y, cv=folds)
    print(f"cross_val_score R^2: {np.round(r2, 4)}  mean {r2.mean():.4f}")
    scoring = {"R^2": "r2", "MAE": "neg_mean_absolute_error",
               "RMSE": "neg_root_mean_squared_error"}
    results = cross_validate(pipeline, X, y, cv=folds, scoring=scoring)
    for name in scoring:
        values = np.abs(results[f"test_{name}"])
        print(f"{name:<5} {values.mean():.4f} +/- {values.std():.4f}")
    print(f"fit time per fold: {results['fit_time'].mean():.1f} s")
    plt = _gallery.pyplot()
    figure, ax = plt.subplots(figsize=(6, 4))
    ax.boxplot([np.abs(results[f"test_{name}"]) for name in scoring], tick_labels=list(scoring))
    ax.set(title="DeepRegressor pipeline, 5-fold CV on California", ylabel="score over folds")
    ax.grid(True, alpha=0.3)
    _gallery.save(figure, "kfold")


if __name__ == "__main__":
    main()
