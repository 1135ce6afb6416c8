"""Memory growth of repeated fits in one process: RSS and TensorFlow-internal counters.

Each configuration runs in a fresh subprocess: 5 warm-up fits, then ``--fits`` more (200 by
default) of ``DeepRegressor(epochs=2, verbose=0, **config).fit(X, y)`` on make_friedman1's
256 rows x 10 features (classifiers: y thresholded at its median), each followed by
dropping the estimator and ``gc.collect()``.  Reports the growth of the resident set size
(VmRSS from /proc/self/status, MiB) after a quarter, half, three quarters and all of the fits,
relative to the RSS after the warm-up, and before -> after the fits: the size of TensorFlow's
gradient registry (``ops.gradient_registry._registry``, which grows when each fit registers
new gradient functions), the number of live ``FuncGraph`` objects (traced graphs kept
alive by something) and the number of functions registered in the eager context
(``context.context().list_function_names()``: function definitions the C++ runtime still
holds).  A fit that leaks nothing leaves all four flat.  Configurations: the
defaults, a (30, 30) network, early stopping, every built-in optimizer by name,
mixed_float16, a user builder that compiles its own model, Wide & Deep with its two
optimizers (FTRL for the wide part, Adam for the deep part), and the classifier.

Run: python benchmarks/memory.py                       (0.5-1 s a fit: about 45 minutes
                                                         on 2 CPU cores)
     python benchmarks/memory.py --fits 40             (shorter)
     python benchmarks/memory.py --only defaults wide_deep   (some configurations only)
     python benchmarks/memory.py --json results.json   (also keep the raw numbers)
"""

import argparse
import json
import subprocess
import sys
import time

WARMUP = 5
EPOCHS = 2


def build_model(meta):
    """The builder configuration's model: compiled here, so skdeep does not compile it."""
    import keras

    model = keras.Sequential([
        keras.Input((meta["n_features_in_"],)),
        keras.layers.Dense(30, activation="relu"),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer=keras.optimizers.Adam(), loss="mse")
    return model


OPTIMIZERS = ["adam", "adamw", "nadam", "sgd", "rmsprop", "adagrad", "adadelta", "adamax",
              "ftrl", "lion"]

# name -> (estimator class name in skdeep, keyword arguments besides epochs and verbose)
CONFIGS = {
    "defaults": ("DeepRegressor", {}),
    "hidden_30_30": ("DeepRegressor", {"hidden_layer_sizes": (30, 30)}),
    "early_stopping": ("DeepRegressor", {"early_stopping": True}),
    **{f"optimizer={name}": ("DeepRegressor", {"optimizer": name}) for name in OPTIMIZERS},
    "mixed_float16": ("DeepRegressor", {"mixed_precision": "mixed_float16"}),
    "builder": ("DeepRegressor", {"model": build_model}),
    "wide_deep": ("WideDeepRegressor", {}),  # wide_optimizer="ftrl" beside optimizer="adam"
    "classifier": ("DeepClassifier", {}),
}


# ------------------------------------------------------------------ worker (subprocess)


def rss_mib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def tf_counters():
    import gc

    from tensorflow.python.eager import context
    from tensorflow.python.framework import ops
    from tensorflow.python.framework.func_graph import FuncGraph

    gc.collect()
    return {"gradient_registry": len(ops.gradient_registry._registry),
            "func_graphs": sum(isinstance(o, FuncGraph) for o in gc.get_objects()),
            "context_functions": len(context.context().list_function_names())}


def worker(name, fits):
    import gc

    import numpy as np

    import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
    from sklearn.datasets import make_friedman1

    estimator, kwargs = CONFIGS[name]
    Estimator = getattr(skdeep, estimator)
    X, y = make_friedman1(n_samples=256, n_features=10, random_state=0)
    if "Classifier" in estimator:
        y = (y > np.median(y)).astype(int)

    def fit():
        model = Estimator(epochs=EPOCHS, verbose=0, **kwargs).fit(X, y)
        del model
        gc.collect()

    for _ in range(WARMUP):
        fit()
    counters_before = tf_counters()
    base = rss_mib()
    checkpoints = {fits * k // 4 for k in range(1, 5)}
    growth, seconds = {}, 0.0
    for i in range(1, fits + 1):
        start = time.perf_counter()
        fit()
        seconds += time.perf_counter() - start
        if i in checkpoints:
            growth[i] = rss_mib() - base
    return {"config": name, "skdeep": skdeep.__file__, "rss_after_warmup": base,
            "growth": growth, "before": counters_before, "after": tf_counters(),
            "s_per_fit": seconds / fits}


# ------------------------------------------------------------------ driver


def run(name, fits):
    done = subprocess.run([sys.executable, __file__, "--worker", name, str(fits)],
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"worker {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(fits, only, json_path):
    checkpoints = sorted({fits * k // 4 for k in range(1, 5)})
    print(f"# RSS growth of repeated fits in one process: make_friedman1 256 x 10, "
          f"epochs={EPOCHS}, {WARMUP} warm-up fits, then {fits}\n")
    print(f"| cfg | MB after {checkpoints[0]} | "
          + " | ".join(str(c) for c in checkpoints[1:])
          + " | gradient registry before -> after | FuncGraphs before -> after | s per fit "
            "| RSS after warm-up MB | context functions before -> after |")
    print("|---|" + "---|" * (len(checkpoints) + 5))
    results, source = [], None
    for name in only:
        try:
            r = run(name, fits)
        except Exception as error:  # one failing configuration leaves the others' rows
            print(f"| {name} | failed: {str(error).strip().splitlines()[-1][:200]} |",
                  flush=True)
            results.append({"config": name, "error": str(error)})
            continue
        results.append(r)
        source = r["skdeep"]
        b, a = r["before"], r["after"]
        print(f"| {name} | "
              + " | ".join(f"{r['growth'][str(c)]:+.1f}" for c in checkpoints)
              + f" | {b['gradient_registry']} -> {a['gradient_registry']} | "
                f"{b['func_graphs']} -> {a['func_graphs']} | {r['s_per_fit']:.2f} | "
                f"{r['rss_after_warmup']:.0f} | "
                f"{b.get('context_functions', '?')} -> {a.get('context_functions', '?')} |",
              flush=True)
    print(f"\nskdeep imported from {source}")
    if json_path:
        with open(json_path, "w") as out:
            json.dump(results, out, indent=1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fits", type=int, default=200, help="fits after the warm-up")
    parser.add_argument("--only", nargs="+", choices=list(CONFIGS), default=list(CONFIGS),
                        metavar="NAME", help=f"run only these: {', '.join(CONFIGS)}")
    parser.add_argument("--json", help="also write the raw results to this file")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        print(json.dumps(worker(options.worker[0], int(options.worker[1]))))
    else:
        main(options.fits, options.only, options.json)
