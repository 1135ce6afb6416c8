"""Where one skdeep fit spends its time, against sklearn's MLP on the same data.

Splits a fit into: setup (validation, building and compiling the Keras model, placing the
data), the first epoch's trace, steady epochs (per training step), what follows training,
and the first predict (the predictor's trace); and counts the TensorFlow ops one training
step runs.  Each network is fitted once as the first fit of the process, then five more
times with new seeds, as a search's folds and refit would: the "fixed cost per fit" of
issue 12 is everything but the training steps.

Run: python benchmarks/profile_fit.py     (about 1.5 minutes on 2 CPU cores)
"""

import time

import numpy as np


TIMES = {}


def _clock():
    """An epoch callback that timestamps the start of training and the end of each epoch.

    It writes to a module global: the estimator trains with a copy of the callbacks it is given.
    """
    import keras

    class Clock(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            TIMES.update(begin=time.perf_counter(), epoch_ends=[])

        def on_epoch_end(self, epoch, logs=None):
            TIMES["epoch_ends"].append(time.perf_counter())

    return Clock()


def _phases(estimator, X, y):
    """One fit and its first predict, split into phases (seconds)."""
    start = time.perf_counter()
    estimator.fit(X, y, callbacks=[_clock()])
    end = time.perf_counter()
    estimator.predict(X[:1])
    predict = time.perf_counter() - end
    ends = np.array(TIMES["epoch_ends"])
    epochs = np.diff(np.concatenate([[TIMES["begin"]], ends]))
    steady = np.median(epochs[1:])
    return {"setup": TIMES["begin"] - start, "trace": epochs[0] - steady,
            "steps": steady * len(epochs), "steady": steady, "after": end - ends[-1],
            "predict": predict, "total": end - start, "epochs": len(epochs)}


def profile(name, make, X, y, sklearn_mlp, repeats=5):
    """The first fit of a process, then the median of ``repeats`` more of the same network
    (new seeds, as a search's folds): what a fit costs beyond its training steps."""
    first = _phases(make(0), X, y)
    later = [_phases(make(seed), X, y) for seed in range(1, repeats + 1)]
    median = {k: float(np.median([p[k] for p in later])) for k in first}
    batch = make(0).batch_size
    steps = int(np.ceil(len(X) / batch))
    start = time.perf_counter()
    sklearn_mlp.fit(X, y)
    sk_total = time.perf_counter() - start
    print(f"## {name}: {len(X)} rows, batch {batch}, {first['epochs']} epochs, "
          f"{steps} steps an epoch\n")
    print("| phase | first fit s | later fits s (median of "
          f"{repeats}) |")
    print("|---|---|---|")
    rows = [("setup: checks, build, compile, data to device", "setup"),
            ("first epoch's trace (first epoch - steady epoch)", "trace"),
            ("training steps", "steps"),
            ("after training: state, history", "after"),
            ("first predict (its trace)", "predict")]
    for label, key in rows:
        print(f"| {label} | {first[key]:.3f} | {median[key]:.3f} |")
    fixed = {p: d["setup"] + d["trace"] + d["after"] + d["predict"]
             for p, d in (("first", first), ("later", median))}
    print(f"| **fixed cost per fit** (all but the steps) | **{fixed['first']:.3f}** | "
          f"**{fixed['later']:.3f}** |")
    print(f"| time per step | {1e6 * first['steady'] / steps:.0f} us | "
          f"{1e6 * median['steady'] / steps:.0f} us |")
    print(f"| **skdeep fit** | {first['total']:.3f} | {median['total']:.3f} |")
    print(f"| sklearn MLP fit, same epochs | {sk_total:.3f} "
          f"({1e6 * sk_total / (sklearn_mlp.n_iter_ * steps):.0f} us a step) | |\n")


def ops_per_step(hidden):
    """Count the ops TensorFlow runs in one training step of the in-graph epoch."""
    import tensorflow as tf

    from skdeep.engine import tensorflow as engine
    from skdeep.builders import build_mlp
    from skdeep.compat import build_for_training

    model = build_mlp(8, 1, hidden_layer_sizes=hidden)
    model.compile(optimizer="adam", loss="mse")
    data = (tf.zeros((256, 8)), tf.zeros((256, 1)))
    build_for_training(model, data)
    with engine._single_replica_updates(model.optimizer):
        graph = tf.function(engine._EpochRunner(model, 32, training=True)) \
            .get_concrete_function(data, tf.range(256)).graph
    bodies = [f for f in graph.as_graph_def().library.function if "body" in f.signature.name]
    return max(len(f.node_def) for f in bodies)


def main():
    import warnings

    from sklearn.datasets import make_friedman1
    from sklearn.neural_network import MLPRegressor
    from sklearn.preprocessing import StandardScaler

    import skdeep
    from skdeep.datasets import load_california_housing

    X, y = make_friedman1(n_samples=20000, n_features=10, noise=1.0, random_state=0)
    common = dict(hidden_layer_sizes=(30, 30), batch_size=32, random_state=0)
    warnings.simplefilter("ignore")  # sklearn's "did not converge" at a fixed epoch count
    profile("Friedman #1, (30, 30), 20 epochs",
            lambda seed: skdeep.DeepRegressor(epochs=20, **{**common, "random_state": seed}),
            X, y, MLPRegressor(max_iter=20, learning_rate_init=1e-3, **common))
    X, y = load_california_housing(return_X_y=True)
    X = StandardScaler().fit_transform(X[:7740])
    profile("California search fit: 7,740 rows, (50, 50), 30 epochs",
            lambda seed: skdeep.DeepRegressor(epochs=30, hidden_layer_sizes=(50, 50),
                                              batch_size=32, random_state=seed), X, y[:7740],
            MLPRegressor(max_iter=30, hidden_layer_sizes=(50, 50), batch_size=32,
                         random_state=0))
    for hidden in [(30,), (30, 30), (30, 30, 30)]:
        print(f"ops in one training step, hidden {hidden}: {ops_per_step(hidden)}")


if __name__ == "__main__":
    main()
