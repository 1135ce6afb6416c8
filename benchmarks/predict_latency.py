"""One-row predict latency of skdeep's estimators against scikit-learn's (issue 12, point 5).

Each estimator is fitted once (a few epochs: the weights do not matter here), then
``predict(X[:1])`` (and ``predict_proba`` for classifiers) is called 50 times to warm up and
``--calls`` times (2000) more, each call timed with ``time.perf_counter`` (a peer slower
than 2.5 ms a call gets fewer, 5 seconds' worth); the table gives the median and 90th
percentile in milliseconds and skdeep's median over each peer's.

- numeric: a (2000, 10) standard-normal float64 array; ``DeepRegressor`` and
  ``DeepClassifier`` with ``hidden_layer_sizes=(30, 30)`` against ``MLPRegressor`` /
  ``MLPClassifier`` of the same layers and ``HistGradientBoosting*``.  Target: skdeep's
  regressor at most 0.25 ms.
- Adult: the raw DataFrame of ``skdeep.datasets.load_adult(as_frame=True)`` (first 5000
  rows; six integer and eight string columns); ``WideDeepClassifier`` on income and
  ``WideDeepRegressor`` on ``hours-per-week`` (the other 13 columns), with their defaults.
  The peers need the categories encoded, so they are pipelines over the same DataFrame: the
  MLP after a ColumnTransformer (StandardScaler, OneHotEncoder), HistGradientBoosting after
  an OrdinalEncoder of the string columns, which it treats as categorical.  Target: skdeep
  at most 1 ms.

numpy's and scikit-learn's BLAS and OpenMP pools get one thread (threadpoolctl): one row
gains nothing from more, and HistGradientBoosting's threads, one per core, wait on each other
at every tree, for milliseconds a call once another process keeps a core busy.  The machine
should still be otherwise idle: a second busy process on two cores doubles the medians.

Run: python benchmarks/predict_latency.py [--calls 2000]   (about a minute on 2 CPU cores)
"""

import argparse
import time
import warnings

import numpy as np

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from skdeep.datasets import load_adult

WARM_UP = 50
BUDGET_S = 5.0
HIDDEN = (30, 30)
TARGETS_MS = {"numeric": 0.25, "Adult": 1.0}


def timed(call, row, calls):
    """Median and 90th percentile, in ms, of ``calls`` timed calls after the warm-up (fewer,
    but at least 100, where they would take over BUDGET_S seconds)."""
    start = time.perf_counter()
    for _ in range(WARM_UP):
        call(row)
    per_call = (time.perf_counter() - start) / WARM_UP
    calls = min(calls, max(100, int(BUDGET_S / per_call)))
    times = np.empty(calls)
    for i in range(calls):
        start = time.perf_counter()
        call(row)
        times[i] = time.perf_counter() - start
    return 1e3 * np.median(times), 1e3 * np.percentile(times, 90)


def numeric_tasks():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(2000, 10))
    y = X @ rng.normal(size=10) + 0.1 * rng.normal(size=2000)
    labels = (y > 0).astype(int)
    regressors = {
        "skdeep": skdeep.DeepRegressor(hidden_layer_sizes=HIDDEN, epochs=3, random_state=0),
        "sklearn MLP": MLPRegressor(hidden_layer_sizes=HIDDEN, max_iter=3, random_state=0),
        "HistGB": HistGradientBoostingRegressor(max_iter=50, random_state=0),
    }
    classifiers = {
        "skdeep": skdeep.DeepClassifier(hidden_layer_sizes=HIDDEN, epochs=3, random_state=0),
        "sklearn MLP": MLPClassifier(hidden_layer_sizes=HIDDEN, max_iter=3, random_state=0),
        "HistGB": HistGradientBoostingClassifier(max_iter=50, random_state=0),
    }
    return [("numeric", "DeepRegressor", regressors, X, y),
            ("numeric", "DeepClassifier", classifiers, X, labels)]


def adult_tasks():
    X, income = load_adult(return_X_y=True, as_frame=True)
    X, income = X.iloc[:5000], income.iloc[:5000]
    text = list(X.columns[X.dtypes == "str"])
    numeric = [c for c in X.columns if c not in text]

    def peers(estimator, columns, mlp, boosting):
        present = [c for c in text if c in columns]
        one_hot = make_column_transformer(
            (StandardScaler(), [c for c in numeric if c in columns]),
            (OneHotEncoder(handle_unknown="ignore"), present))
        ordinal = make_column_transformer(
            (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1,
                            encoded_missing_value=-1), present),
            remainder="passthrough")
        return {
            "skdeep": estimator,
            "sklearn MLP": make_pipeline(one_hot, mlp),
            "HistGB": make_pipeline(ordinal, boosting(
                categorical_features=list(range(len(present))), max_iter=50, random_state=0)),
        }

    hours = X["hours-per-week"].astype(float)
    X_hours = X.drop(columns="hours-per-week")
    return [
        ("Adult", "WideDeepRegressor",
         peers(skdeep.WideDeepRegressor(epochs=2, random_state=0), X_hours.columns,
               MLPRegressor(hidden_layer_sizes=(64, 32), max_iter=3, random_state=0),
               HistGradientBoostingRegressor), X_hours, hours),
        ("Adult", "WideDeepClassifier",
         peers(skdeep.WideDeepClassifier(epochs=2, random_state=0), X.columns,
               MLPClassifier(hidden_layer_sizes=(64, 32), max_iter=3, random_state=0),
               HistGradientBoostingClassifier), X, income),
    ]


def measure(tasks, calls):
    rows = []
    for data, name, models, X, y in tasks:
        one = X.iloc[:1] if hasattr(X, "iloc") else X[:1]
        for model in models.values():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.fit(X, y)
        methods = ["predict", "predict_proba"] if hasattr(models["skdeep"], "predict_proba") \
            else ["predict"]
        for method in methods:
            times = {peer: timed(getattr(model, method), one, calls)
                     for peer, model in models.items()}
            rows.append((data, f"{name}.{method}", times))
    return rows


def print_table(rows):
    def cell(times):
        return f"{times[0]:.3f} ({times[1]:.3f})"

    print("| data | skdeep call | target ms | skdeep | sklearn MLP | HistGB | "
          "skdeep / MLP | skdeep / HistGB |")
    print("|---|---|---|---|---|---|---|---|")
    for data, call, times in rows:
        ours = times["skdeep"][0]
        print(f"| {data} | {call} | {TARGETS_MS[data]} | {cell(times['skdeep'])} | "
              f"{cell(times['sklearn MLP'])} | {cell(times['HistGB'])} | "
              f"{ours / times['sklearn MLP'][0]:.2f} | {ours / times['HistGB'][0]:.2f} |")
    print("\nOne-row calls, median (90th percentile) in ms.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    calls = parser.parse_args().calls
    with threadpool_limits(limits=1):
        print_table(measure(numeric_tasks() + adult_tasks(), calls))


if __name__ == "__main__":
    main()
