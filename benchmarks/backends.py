"""skdeep's fit time per Keras backend against scikit-learn's MLP, in one run (issue 15).

Friedman #1, 16,000 training rows x 10 features (4,000 test rows), a (30, 30) ReLU network,
Adam, batch 32, 20 epochs, no early stopping, one network (no ensemble, no numeric
embedding), seed 0.  Each backend runs in a fresh process (``KERAS_BACKEND`` is read once per
process) with the Python given for it; scikit-learn's ``MLPRegressor`` with the same
settings runs in this one.  Under JAX it also fits with the compiled epochs forced on and off
(``skdeep.engine.jax.MIN_STEPS``) and times the compile: the first fit of a process against a
second fit of the same network.

Run: python benchmarks/backends.py [--tensorflow-python PATH] [--jax-python PATH]
                                   [--torch-python PATH] [--epochs 20]
(a backend whose Python cannot import it is skipped)
"""

import argparse
import json
import os
import subprocess
import sys
import time
import warnings

WORKER = r'''
import json, sys, time
import numpy as np
from sklearn.datasets import make_friedman1
import keras
from skdeep import DeepRegressor

epochs, runs = int(sys.argv[1]), json.loads(sys.argv[2])
X, y = make_friedman1(n_samples=20000, n_features=10, random_state=0)
X, y = X.astype("float32"), y.astype("float32")
common = dict(hidden_layer_sizes=(30, 30), numeric_embedding=None, ensemble_size=1,
              batch_size=32, epochs=epochs, early_stopping=False, random_state=0)
for label, min_steps in runs:
    if min_steps is not None:
        import skdeep.engine.jax as jax_engine
        jax_engine.MIN_STEPS = min_steps
    for attempt in ("first", "second"):
        start = time.perf_counter()
        reg = DeepRegressor(**common).fit(X[:16000], y[:16000])
        fit_s = time.perf_counter() - start
        print(json.dumps({"backend": keras.backend.backend(), "engine": label,
                          "fit": attempt, "fit_s": round(fit_s, 2),
                          "us_per_step": round(1e6 * fit_s / (epochs * 500), 1),
                          "r2": round(reg.score(X[16000:], y[16000:]), 4)}), flush=True)
'''

RUNS = {
    "tensorflow": [["in-graph epochs", None]],
    "jax": [["compiled epochs", 0], ["Keras fit", 10**12]],
    "torch": [["Keras fit", None]],
}


def mlp(epochs):
    from sklearn.datasets import make_friedman1
    from sklearn.neural_network import MLPRegressor

    X, y = make_friedman1(n_samples=20000, n_features=10, random_state=0)
    reg = MLPRegressor(hidden_layer_sizes=(30, 30), batch_size=32, max_iter=epochs,
                       n_iter_no_change=epochs, tol=0, random_state=0)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # max_iter reached: as asked
        reg.fit(X[:16000], y[:16000])
    fit_s = time.perf_counter() - start
    return {"backend": "scikit-learn MLPRegressor", "engine": "", "fit": "first",
            "fit_s": round(fit_s, 2), "us_per_step": round(1e6 * fit_s / (epochs * 500), 1),
            "r2": round(reg.score(X[16000:], y[16000:]), 4)}


def main():
    parser = argparse.ArgumentParser()
    for name in RUNS:
        parser.add_argument(f"--{name}-python", default=sys.executable)
    parser.add_argument("--epochs", type=int, default=20)
    args = parser.parse_args()
    results = []
    for name, runs in RUNS.items():
        python = getattr(args, f"{name}_python")
        env = {"KERAS_BACKEND": name, "PATH": "/usr/bin:/bin"}
        for key in ("PYTHONPATH", "HOME", "OMP_NUM_THREADS", "SKDEEP_NUM_THREADS"):
            if key in os.environ:
                env[key] = os.environ[key]
        done = subprocess.run([python, "-c", WORKER, str(args.epochs), json.dumps(runs)],
                              capture_output=True, text=True, env=env)
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode != 0:
            print(f"{name}: skipped ({done.stderr.strip().splitlines()[-1:]})", flush=True)
        for line in lines:
            results.append(json.loads(line))
            print(line, flush=True)
    results.append(mlp(args.epochs))
    print(json.dumps(results[-1]))
    print(f"\nFriedman #1, 16,000 x 10, (30, 30), batch 32, {args.epochs} epochs\n")
    print("| backend | engine | fit | s | us/step | test R^2 |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['backend']} | {r['engine']} | {r['fit']} | {r['fit_s']} | "
              f"{r['us_per_step']} | {r['r2']} |")


if __name__ == "__main__":
    main()
