"""A search on a 2-worker Dask LocalCluster against the same search run serially.

The search of ``examples/dask_search.py`` (8 candidates x 3 folds + refit, California,
<= 30 epochs with early stopping), first serially in this process, then on a fresh
LocalCluster (two single-threaded worker processes, its start counted), then with joblib's
own workers (``n_jobs=2``).  Prints times, the ratio to serial and whether the best
parameters agree.

Run: python benchmarks/dask_search.py
"""

import sys
import time
from pathlib import Path

import skdeep  # noqa: F401  (first: keeps TensorFlow's C++ start-up logs quiet)
import joblib
from distributed import Client, LocalCluster
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(Path(__file__).parent.parent / "examples"))
from dask_search import search  # noqa: E402

from skdeep.datasets import load_california_housing  # noqa: E402


def timed(run):
    start = time.perf_counter()
    fitted = run()
    return fitted, time.perf_counter() - start


def on_cluster(X, y):
    """Start a cluster and search on it; the clock stops when the search returns (the
    cluster's shutdown, about 1.5 s here, is printed apart)."""
    start = time.perf_counter()
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None)
    client = Client(cluster)
    with joblib.parallel_config(backend="dask"):
        fitted = search().fit(X, y)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    client.close()
    cluster.close()
    print(f"(cluster shutdown: {time.perf_counter() - start:.1f} s)")
    return fitted, seconds


def main():
    X, y = load_california_housing(return_X_y=True)
    X, _, y, _ = train_test_split(X, y, random_state=42)
    serial, serial_s = timed(lambda: search().fit(X, y))
    print("| run | seconds | / serial | best params equal | best CV R² |\n|---|---|---|---|---|")
    print(f"| serial | {serial_s:.1f} | 1.00 | - | {serial.best_score_:.4f} |")
    runs = (("Dask LocalCluster, 2 workers (start included)", lambda: on_cluster(X, y)),
            ("joblib n_jobs=2 (loky)",
             lambda: timed(lambda: search().set_params(n_jobs=2).fit(X, y))))
    for name, run in runs:
        fitted, seconds = run()
        print(f"| {name} | {seconds:.1f} | {seconds / serial_s:.2f} | "
              f"{fitted.best_params_ == serial.best_params_} | {fitted.best_score_:.4f} |")


if __name__ == "__main__":
    main()
