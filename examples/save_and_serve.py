"""Save, reload and serve: one file without pickle, then single-row predictions, timed.

Fits a DeepRegressor on California housing, saves it with ``est.save`` (the Keras model and
the scikit-learn side in one file, loaded with Keras's safe mode), loads it back as a server
would, checks the predictions are identical, and times 1,000 single-row predictions (a
traced function with a fixed signature: no retracing, no per-call data pipeline).  A pickle
round trip is shown beside it.  Draws the latency distribution.

Run: python examples/save_and_serve.py
"""

import pickle
import tempfile
import time
from pathlib import Path

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
import numpy as np
from sklearn.model_selection import train_test_split

import _gallery
from skdeep.datasets import load_california_housing


def main():
    X, y = load_california_housing(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=42)
    model = skdeep.DeepRegressor(hidden_layer_sizes=(64, 32), epochs=_gallery.epochs(30),
                                 random_state=42).fit(X_train, y_train)
    path = Path(tempfile.mkdtemp()) / "california.skdeep"
    model.save(path)
    served = skdeep.load(path)
    same = np.array_equal(served.predict(X_test), model.predict(X_test))
    pickled = pickle.loads(pickle.dumps(model))
    print(f"saved {path.stat().st_size // 1024} KiB; loaded predictions identical: {same}; "
          f"pickle identical: {np.array_equal(pickled.predict(X_test), model.predict(X_test))}")
    print(f"test R^2 of the served model: {served.score(X_test, y_test):.4f}")
    latencies = []
    for i in range(_gallery.rows(1000, 50)):
        row = X_test[i % len(X_test)][None, :]
        start = time.perf_counter()
        served.predict(row)
        latencies.append((time.perf_counter() - start) * 1e3)
    latencies = np.array(latencies)
    print(f"single-row predict: median {np.median(latencies):.3f} ms, "
          f"p99 {np.percentile(latencies, 99):.3f} ms over {len(latencies)} calls")
    plt = _gallery.pyplot()
    figure, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(latencies, bins=50, range=(0, np.percentile(latencies, 99.5)))
    ax.axvline(np.median(latencies), color="k", linestyle="--",
               label=f"median {np.median(latencies):.2f} ms")
    ax.set(xlabel="milliseconds", ylabel="calls", title="Loaded DeepRegressor: one row a call")
    ax.legend()
    _gallery.save(figure, "save_and_serve")


if __name__ == "__main__":
    main()
