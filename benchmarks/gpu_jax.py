"""skdeep on a GPU under Keras's JAX backend (issue 15): placement, throughput, latency.

One process, on a machine with a CUDA build of JAX (no TensorFlow needed): it checks that
``device="gpu"`` puts the weights on the GPU, fits 1,000,000 rows x 50 features with a
(256, 256) network, batch 4096, 5 epochs, on the GPU and then on the machine's CPU
(``device="cpu"``), each through skdeep's compiled JAX epochs and through Keras's ``fit``
(each fit twice: the first with its compiles, rows per second from the second), and times
one-row predict.  It prints one JSON line per run and a Markdown table for
BENCHMARKS.md, naming the card.

Run: KERAS_BACKEND=jax python benchmarks/gpu_jax.py [--rows 1000000] [--epochs 5] [--skip-cpu]
Carry skdeep (and Keras, if the machine's is older than 3.15, and scikit-learn if it has
none) as wheels with no dependencies, as the ``device`` tool carries the working tree:

    pip wheel -q --no-deps -w gpu-wheels . keras==3.15.1 scikit-learn   # here
    pip install -q --no-deps gpu-wheels/*.whl && python benchmarks/gpu_jax.py   # there
"""

import argparse
import json
import os
import statistics
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
# JAX takes 75% of the GPU's memory when it starts unless told not to (memory_growth=True
# in an estimator does the same, but this script lists the devices first).
os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")

import numpy as np  # noqa: E402


def data(rows, features=50, seed=0):
    """A Friedman-style target on ``features`` columns (the first five matter)."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(size=(rows, features)).astype("float32")
    y = (10 * np.sin(np.pi * X[:, 0] * X[:, 1]) + 20 * (X[:, 2] - 0.5) ** 2 + 10 * X[:, 3]
         + 5 * X[:, 4] + rng.normal(size=rows)).astype("float32")
    return X, y


def run(device, engine, X, y, X_test, y_test, epochs):
    import skdeep
    import skdeep.engine.jax as jax_engine

    jax_engine.MIN_STEPS = 0 if engine == "compiled epochs" else 10**12
    reg = skdeep.DeepRegressor(hidden_layer_sizes=(256, 256), batch_size=4096, epochs=epochs,
                               numeric_embedding=None, ensemble_size=1, early_stopping=False,
                               device=device, random_state=0)
    start = time.perf_counter()
    reg.fit(X, y)
    fit_s = time.perf_counter() - start
    # Again, the same network on the same rows: without the first fit's compiles.
    start = time.perf_counter()
    reg.fit(X, y)
    refit_s = time.perf_counter() - start
    one = X_test[:1]
    reg.predict(one)  # compiled for one row
    latencies = []
    for _ in range(200):
        t = time.perf_counter()
        reg.predict(one)
        latencies.append(time.perf_counter() - t)
    return {"device": device, "engine": engine, "device_": reg.device_,
            "fit_s": round(fit_s, 2), "refit_s": round(refit_s, 2),
            "rows_per_s": round(len(X) * epochs / refit_s),
            "predict_1_row_ms": round(1000 * statistics.median(latencies), 3),
            "r2": round(reg.score(X_test, y_test), 4)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--skip-cpu", action="store_true")
    args = parser.parse_args()

    import jax
    import keras

    assert keras.backend.backend() == "jax", keras.backend.backend()
    gpus = [d for d in jax.devices() if d.platform == "gpu"]
    card = gpus[0].device_kind if gpus else "no GPU"
    print(json.dumps({"jax": jax.__version__, "keras": keras.__version__, "card": card,
                      "cpus": os.cpu_count()}), flush=True)
    X, y = data(args.rows)
    X_test, y_test = data(20_000, seed=1)
    results = []
    devices = (["gpu"] if gpus else []) + ([] if args.skip_cpu else ["cpu"])
    for device in devices:
        for engine in ("compiled epochs", "keras fit"):
            result = run(device, engine, X, y, X_test, y_test, args.epochs)
            print(json.dumps(result), flush=True)
            results.append(result)
    print(f"\n{card}, {args.rows:,} rows x 50, (256, 256), batch 4096, {args.epochs} epochs\n")
    print("| device | engine | weights on | first fit s | second fit s | rows/s (second) "
          "| 1-row predict ms | R^2 |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['device']} | {r['engine']} | {r['device_']} | {r['fit_s']} | "
              f"{r['refit_s']} | {r['rows_per_s']:,} | {r['predict_1_row_ms']} | {r['r2']} |")
    if gpus:
        assert all(r["device_"] == "/GPU:0" for r in results if r["device"] == "gpu"), results


if __name__ == "__main__":
    main()
