"""Where one skdeep fit spends its time, against sklearn's MLP on the same data.

Splits a fit into: setup (validation, building and compiling the Keras model, placing the
data), the first epoch's trace, steady epochs (per training step), and the predictor's trace;
and counts the TensorFlow ops one training step runs.  This is the profile behind the limits
that BENCHMARKS.md states for issue 3's fit and search targets.

Run: python benchmarks/profile_fit.py
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


def profile(name, estimator, X, y, sklearn_mlp):
    start = time.perf_counter()
    estimator.fit(X, y, callbacks=[_clock()])
    total = time.perf_counter() - start
    ends = np.array(TIMES['epoch_ends'])
    epochs = np.diff(np.concatenate([[TIMES['begin']], ends]))
    steady = np.median(epochs[1:])
    steps = int(np.ceil(len(X) / estimator.batch_size))
    setup = TIMES['begin'] - start
    after = start + total - ends[-1]
    start = time.perf_counter()
    sklearn_mlp.fit(X, y)
    sk_total = time.perf_counter() - start
    print(f"## {name}: {len(X)} rows, batch {estimator.batch_size}, {len(epochs)} epochs, "
          f"{steps} steps an epoch\n")
    print("| phase | seconds | share of fit |")
    print("|---|---|---|")
    rows = [("setup: checks, build, compile, data to device", setup),
            ("first epoch's trace (first epoch - steady epoch)", epochs[0] - steady),
            (f"training steps ({1e6 * steady / steps:.0f} us a step)", steady * len(epochs)),
            ("after training: predictor trace, state", after)]
    for label, seconds in rows:
        print(f"| {label} | {seconds:.3f} | {seconds / total:.0%} |")
    print(f"| **skdeep fit** | **{total:.3f}** | |")
    print(f"| sklearn MLP, same epochs | {sk_total:.3f} "
          f"({1e6 * sk_total / (sklearn_mlp.n_iter_ * steps):.0f} us a step) | |\n")


def ops_per_step(hidden):
    """Count the ops TensorFlow runs in one training step of the in-graph epoch."""
    import tensorflow as tf

    from skdeep import engine
    from skdeep.builders import build_mlp

    model = build_mlp(n_features=8, n_outputs=1, hidden_layer_sizes=hidden)
    model.compile(optimizer="adam", loss="mse")
    data = (tf.zeros((256, 8)), tf.zeros((256, 1)))
    model._symbolic_build(data_batch=data)
    with engine._single_replica_updates(model.optimizer):
        graph = tf.function(engine._EpochRunner(model, 256, 32, training=True)) \
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
            skdeep.DeepRegressor(epochs=20, **common), X, y,
            MLPRegressor(max_iter=20, learning_rate_init=1e-3, **common))
    X, y = load_california_housing(return_X_y=True)
    X = StandardScaler().fit_transform(X[:7740])
    profile("California search fit: 7,740 rows, (50, 50), 30 epochs",
            skdeep.DeepRegressor(epochs=30, hidden_layer_sizes=(50, 50), batch_size=32,
                                 random_state=0), X, y[:7740],
            MLPRegressor(max_iter=30, hidden_layer_sizes=(50, 50), batch_size=32,
                         random_state=0))
    for hidden in [(30,), (30, 30), (30, 30, 30)]:
        print(f"ops in one training step, hidden {hidden}: {ops_per_step(hidden)}")


if __name__ == "__main__":
    main()
