"""the Keras tutorials' California search, run on a Dask cluster through joblib.

Without an argument it starts a LocalCluster of two single-threaded worker processes on this
machine; with a scheduler address (``python examples/dask_search.py tcp://host:8786``) it
runs on that cluster.  The scikit-learn code is unchanged: only the ``parallel_config``
block is new.  Each worker caps TensorFlow's threads (Dask's nanny sets OMP_NUM_THREADS=1,
which skdeep follows), so workers do not oversubscribe the cores.

GPU workers, one GPU each: start one worker per GPU with ``CUDA_VISIBLE_DEVICES`` set
(``dask_cuda.LocalCUDACluster`` does this) and ``resources={"GPU": 1}``, and fit with
``memory_growth=True`` so that TensorFlow does not take every GPU's memory.  With Ray instead
of Dask: ``from ray.util.joblib import register_ray; register_ray()`` and
``joblib.parallel_config(backend="ray", ray_remote_args={"num_gpus": 1})``.

Run: python examples/dask_search.py [SCHEDULER_ADDRESS]
"""

import sys
import time

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
import joblib
import numpy as np
from distributed import Client, LocalCluster
from scipy.stats import reciprocal
from sklearn.model_selection import RandomizedSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep.datasets import load_california_housing


def search():
    return RandomizedSearchCV(
        make_pipeline(StandardScaler(), skdeep.DeepRegressor(
            epochs=30, early_stopping=True, n_iter_no_change=5, random_state=42)),
        {"deepregressor__hidden_layer_sizes": [(int(n),) * k for n in np.arange(10, 100, 10)
                                               for k in (1, 2, 3)],
         "deepregressor__learning_rate": reciprocal(1e-4, 1e-2)},
        n_iter=8, cv=3, random_state=42,
    )


def main(address=None):
    X, y = load_california_housing(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=42)
    start = time.perf_counter()
    if address is None:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
    with (Client(address) if address else Client(cluster)) as client, \
            joblib.parallel_config(backend="dask"):
        print(f"cluster: {len(client.scheduler_info()['workers'])} workers")
        fitted = search().fit(X_train, y_train)
    if address is None:
        cluster.close()
    elapsed = time.perf_counter() - start
    print(f"best params: {fitted.best_params_}")
    print(f"best CV R^2 {fitted.best_score_:.4f}, test R^2 {fitted.score(X_test, y_test):.4f}, "
          f"{elapsed:.1f} s including the cluster's start")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
