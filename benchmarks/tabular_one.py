"""One tabular recipe, one seed: the single fits of BENCHMARKS.md's sweeps.

Run: python benchmarks/tabular_one.py DATA SEED 'KWARGS' [LABEL]

DATA is ``adult`` (``WideDeepClassifier`` on the raw DataFrame), ``adult1h``
(``DeepClassifier`` after ``tabular.one_hot``), ``cal`` (``WideDeepRegressor`` with the
latitude x longitude cross) or ``cal_mlp`` (``DeepRegressor`` after ``StandardScaler``);
KWARGS a JSON object of the estimator's parameters, e.g. ``'{"ensemble_size": 8}'``.  The
splits and scores are those of ``wide_deep.py``.  Prints the scores, the fit and predict
times, the epochs trained and the best one.
"""

import json
import sys
import time

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep.datasets import load_adult, load_california_housing
from tabular import one_hot
from wide_deep import adult_scores, california_scores


def model_and_data(data, seed, kwargs):
    if data.startswith("adult"):
        X, y = load_adult(return_X_y=True, as_frame=True)
        X = X.astype({c: "category" for c in X.select_dtypes(exclude="number").columns})
        split = train_test_split(X, y, test_size=0.2, stratify=y, random_state=seed)
        model = skdeep.WideDeepClassifier(random_state=seed, **kwargs) if data == "adult" \
            else make_pipeline(one_hot(X), skdeep.DeepClassifier(random_state=seed, **kwargs))
        return model, split, adult_scores
    X, y = load_california_housing(return_X_y=True, as_frame=True)
    split = train_test_split(X, y, test_size=0.25, random_state=seed)
    model = skdeep.WideDeepRegressor(crossed_columns=[("Latitude", "Longitude")],
                                     random_state=seed, **kwargs) if data == "cal" \
        else make_pipeline(StandardScaler(), skdeep.DeepRegressor(random_state=seed, **kwargs))
    return model, split, california_scores


def main():
    data, seed, kwargs = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
    label = sys.argv[4] if len(sys.argv) > 4 else sys.argv[3]
    model, (X_train, X_test, y_train, y_test), scores = model_and_data(data, seed, kwargs)
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fit = time.perf_counter() - start
    start = time.perf_counter()
    model.predict(X_test)
    predict = time.perf_counter() - start
    estimator = model[-1] if hasattr(model, "steps") else model
    print(f"{data} seed {seed} {label}: " + " ".join(
        f"{k}={v:.4f}" for k, v in scores(model, X_test, y_test).items()) +
        f" fit={fit:.1f}s predict={predict:.2f}s epochs={estimator.n_iter_} "
        f"best={getattr(estimator, 'best_epoch_', None)}", flush=True)


if __name__ == "__main__":
    main()
