"""Default DeepRegressor vs scikit-learn's MLPRegressor on California housing.

Both after a StandardScaler, 75/25 split (random_state=42), early stopping on, every other
parameter at its default; five seeds each, in one run.  Prints test R^2 and fit time per
seed, and the time ratio.

Run: python benchmarks/california_default.py
"""

import time

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep.datasets import load_california_housing

SEEDS = range(5)


def measure(make_model, X_train, X_test, y_train, y_test):
    scores, times = [], []
    for seed in SEEDS:
        pipeline = make_pipeline(StandardScaler(), make_model(seed))
        start = time.perf_counter()
        pipeline.fit(X_train, y_train)
        times.append(time.perf_counter() - start)
        scores.append(pipeline.score(X_test, y_test))
    return np.array(scores), np.array(times)


def main():
    X, y = load_california_housing(return_X_y=True)
    split = train_test_split(X, y, test_size=0.25, random_state=42)
    peers = {
        "skdeep.DeepRegressor": lambda s: skdeep.DeepRegressor(early_stopping=True, random_state=s),
        "sklearn MLPRegressor": lambda s: MLPRegressor(early_stopping=True, random_state=s),
    }
    results = {name: measure(make, *split) for name, make in peers.items()}
    for name, (scores, times) in results.items():
        print(f"{name:<22} test R^2 min {scores.min():.4f} mean {scores.mean():.4f} "
              f"max {scores.max():.4f} | fit s mean {times.mean():.1f}  "
              f"(per seed: {', '.join(f'{s:.3f}' for s in scores)})")
    ratio = results["skdeep.DeepRegressor"][1].mean() / results["sklearn MLPRegressor"][1].mean()
    print(f"fit time ratio skdeep / sklearn: {ratio:.2f}")


if __name__ == "__main__":
    main()
