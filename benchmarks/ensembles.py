"""What an efficient ensemble costs: fit and predict time against its number of members.

Adult (raw DataFrame, stratified 80/20, seed 0), the default ``WideDeepClassifier`` with
``ensemble_size`` k = 1, 2, 4, 8, 16: one fit of 5 epochs (early stopping off, so every k
trains the same number of steps), then predict on the 9,769 test rows and on one row
(medians of 7 calls).  Prints each time and its ratio to k = 1: k members share the hidden
layers' weights but each runs them, so the arithmetic grows with k while the per-call
overhead does not.

Run: python benchmarks/ensembles.py
"""

import time

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from skdeep.datasets import load_adult


def median_seconds(function, repeats=7):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main():
    X, y = load_adult(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y,
                                                        random_state=0)
    rows = []
    for k in (1, 2, 4, 8, 16):
        clf = skdeep.WideDeepClassifier(ensemble_size=k, epochs=5, early_stopping=False,
                                        random_state=0)
        start = time.perf_counter()
        clf.fit(X_train, y_train)
        fit = time.perf_counter() - start
        clf.predict_proba(X_test)  # traced once
        batch = median_seconds(lambda: clf.predict_proba(X_test))
        one = median_seconds(lambda: clf.predict_proba(X_test.iloc[:1]))
        auc = roc_auc_score(y_test == ">50K", clf.predict_proba(X_test)[:, 1])
        rows.append((k, fit, batch, one, auc))
    base = rows[0]
    print("| members k | fit s (5 epochs) | x k=1 | predict 9,769 rows ms | x k=1 | "
          "predict 1 row ms | x k=1 | ROC AUC after 5 epochs |")
    print("|---|---|---|---|---|---|---|---|")
    for k, fit, batch, one, auc in rows:
        print(f"| {k} | {fit:.1f} | {fit / base[1]:.2f} | {batch * 1e3:.1f} | "
              f"{batch / base[2]:.2f} | {one * 1e3:.2f} | {one / base[3]:.2f} | {auc:.4f} |")


if __name__ == "__main__":
    main()
