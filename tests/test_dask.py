"""Searches in parallel: a Dask LocalCluster of two worker processes, and joblib's own workers.

Both must find what the serial search finds, and leave no process behind.
"""

import multiprocessing
import time
import warnings

import joblib
import numpy as np
import pytest
from scipy.stats import reciprocal
from sklearn.base import clone
from sklearn.model_selection import RandomizedSearchCV

import skdeep

pytestmark = pytest.mark.slow  # Dask clusters of real worker processes

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def serial_search(california):
    X, y, _, _ = california
    search = RandomizedSearchCV(
        skdeep.DeepRegressor(epochs=8, batch_size=64, random_state=0),
        {"hidden_layer_sizes": [(8,), (32,), (16, 16)],
         "learning_rate": reciprocal(1e-3, 3e-2)},
        n_iter=4, cv=3, random_state=0,
    )
    start = time.perf_counter()
    fitted = clone(search).fit(X, y)
    return search, fitted, time.perf_counter() - start


def same_search(parallel, serial):
    assert parallel.best_params_ == serial.best_params_
    # Workers run TensorFlow on one thread, the serial search on all cores: float rounding
    # differs, the scores barely.
    np.testing.assert_allclose(parallel.cv_results_["mean_test_score"],
                               serial.cv_results_["mean_test_score"], atol=2e-3)


def test_dask_cluster_search_matches_the_serial_one(serial_search, california):
    X, y, X_test, y_test = california
    search, serial, _ = serial_search
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "Worker process still alive" or other noise
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      host="127.0.0.1", dashboard_address=None) as cluster, \
                distributed.Client(cluster), joblib.parallel_config(backend="dask"):
            parallel = clone(search).fit(X, y)
    same_search(parallel, serial)
    assert parallel.best_estimator_.score(X_test, y_test) > 0.5
    assert multiprocessing.active_children() == []


def test_joblib_workers_with_n_jobs(serial_search, california):
    X, y, _, _ = california
    search, serial, _ = serial_search
    parallel = clone(search).set_params(n_jobs=2).fit(X, y)
    same_search(parallel, serial)
