"""A search on 2 workers (Dask, joblib's processes, joblib's threads) against the same search
run serially.

The search of issue 12: 8 candidates x 3 folds + refit, the search space of
``examples/dask_search.py`` (hidden layers of 10-90 units, 1-3 deep; learning rate
1e-4-1e-2), 20 epochs, 4,000 California rows (``--rows``, ``--epochs`` to change them).  It
runs serially in this process first; then on a fresh LocalCluster (two single-threaded worker
processes; its start counted, its shutdown printed apart), with ``n_jobs=2`` on joblib's
default loky processes (their start counted: the first loky use of this process), and with
``n_jobs=2`` on joblib's threading backend.  Prints times, the ratio to serial and whether
the best parameters agree.

Run: python benchmarks/dask_search.py      (about 2 minutes on 2 CPU cores)
"""

import argparse
import time

import skdeep  # noqa: F401  (first: keeps TensorFlow's C++ start-up logs quiet)
import joblib
import numpy as np
from distributed import Client, LocalCluster
from scipy.stats import reciprocal
from sklearn.model_selection import RandomizedSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import QuantileTransformer

from skdeep.datasets import load_california_housing


def search(epochs):
    return RandomizedSearchCV(
        # Quantiles, not standard scores: a 4,000-row sample's folds hold districts whose
        # rooms per household lie far outside the others', and wreck a fold's R².
        make_pipeline(QuantileTransformer(output_distribution="normal"),
                      skdeep.DeepRegressor(epochs=epochs, random_state=42)),
        {"deepregressor__hidden_layer_sizes": [(int(n),) * k for n in np.arange(10, 100, 10)
                                               for k in (1, 2, 3)],
         "deepregressor__learning_rate": reciprocal(1e-4, 1e-2)},
        n_iter=8, cv=3, random_state=42,
    )


def timed(run):
    start = time.perf_counter()
    fitted = run()
    return fitted, time.perf_counter() - start


def on_cluster(X, y, epochs):
    """Start a cluster and search on it; the clock stops when the search returns."""
    start = time.perf_counter()
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None)
    client = Client(cluster)
    with joblib.parallel_config(backend="dask"):
        fitted = search(epochs).fit(X, y)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    client.close()
    cluster.close()
    print(f"(cluster shutdown: {time.perf_counter() - start:.1f} s)")
    return fitted, seconds


def with_backend(X, y, epochs, backend):
    with joblib.parallel_config(backend=backend, n_jobs=2):
        return timed(lambda: search(epochs).set_params(n_jobs=2).fit(X, y))


def main(rows, epochs):
    X, y = load_california_housing(return_X_y=True)
    sample = np.random.RandomState(0).permutation(len(X))[:rows]
    X, y = X[sample], y[sample]
    serial, serial_s = timed(lambda: search(epochs).fit(X, y))
    print(f"{rows} rows, {epochs} epochs, 8 candidates x 3 folds + refit\n")
    print("| run | seconds | / serial | best params equal | best CV R² |\n|---|---|---|---|---|")
    print(f"| serial | {serial_s:.1f} | 1.00 | - | {serial.best_score_:.4f} |")
    runs = (("Dask LocalCluster, 2 workers (start included)", lambda: on_cluster(X, y, epochs)),
            ("joblib n_jobs=2, loky processes (start included)",
             lambda: with_backend(X, y, epochs, "loky")),
            ("joblib n_jobs=2, threads", lambda: with_backend(X, y, epochs, "threading")))
    for name, run in runs:
        fitted, seconds = run()
        print(f"| {name} | {seconds:.1f} | {seconds / serial_s:.2f} | "
              f"{fitted.best_params_ == serial.best_params_} | {fitted.best_score_:.4f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=4000)
    parser.add_argument("--epochs", type=int, default=20)
    main(**vars(parser.parse_args()))
