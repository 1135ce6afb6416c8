"""Predictions of named configurations, saved on one commit and compared bit for bit on another.

Issue 26 asks that a redesign leave every fit the in-graph engine trains bit for bit as it
was, and that where a fixed defect changes results, the change be measured.  This script fits
a list of configurations on small slices of the bundled data (California housing: 800
training rows, Adult: 800; every configuration with ``random_state``) and predicts fixed
held-out rows (200): ``predict`` for regressors, ``predict_proba`` for classifiers.

- ``--save FILE.npz`` keeps the predictions, with each fit's path and the versions it ran on.
- ``--compare FILE.npz`` fits again and prints, per configuration: the path (``in-graph``, or
  ``keras fit`` when Keras's ``Model.fit`` ran during the fit), the largest absolute
  difference from the file, whether the predictions are equal bit for bit (same dtype, shape
  and bytes), and the change the configuration is expected to show.  Both flags together
  compare and then save.

Configurations marked ``expected_change`` are those a fixed defect of issue 26 changes:
"defect 1" (Wide & Deep's encoder learns from the validation rows: a validation split or
early stopping) and "defect 2" (fits through Keras's ``fit`` skip the seeded row order, so they
are not reproducible: ``TerminateOnNaN``, ``fit__*``, ``validation_batch_size``,
``run_eagerly``).  The exit status is 1 when a configuration expected to stay the same
differs, or when one marked ``in_graph=True`` ran through Keras's ``fit``.

Several configurations are fitted twice in one process (``#1``, ``#2``: the second fit of an
architecture trains the trace cache's twin); for those, both tables also show how far the
second fit's predictions are from the first's (0 unless the path is not reproducible).

Bit-for-bit equality holds on one machine with one set of libraries and thread settings: the
file is machine-specific, keep it out of git.  The script uses only skdeep's public API, so it
runs against any commit: ``PYTHONPATH=/path/to/checkout python benchmarks/bit_for_bit.py``
(run from outside the repository, so that the cwd's skdeep does not come first).

Run: python benchmarks/bit_for_bit.py --save ref.npz      (30-60 s on 2 CPU cores)
     python benchmarks/bit_for_bit.py --compare ref.npz
     python benchmarks/bit_for_bit.py --compare ref.npz --only defaults wide_deep
"""

import argparse
import functools
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass

import numpy as np

N_TRAIN, N_TEST = 800, 200
EPOCHS = 3
SMALL = dict(hidden_layer_sizes=(32, 32), epochs=EPOCHS, batch_size=64)
WIDE_DEEP = dict(epochs=EPOCHS, batch_size=64, random_state=0)
# Early stopping that stops (after 10-20 epochs) and restores the best epoch's weights.
STOPPING = dict(early_stopping=True, n_iter_no_change=2, learning_rate=0.01, epochs=40)


@dataclass
class Config:
    """A named fit: ``run(data)`` fits an estimator and returns its held-out predictions."""

    name: str
    run: callable
    in_graph: bool = True
    expected_change: str = None


# ---------------------------------------------------------------------------------------
# Data: fixed rows of the bundled sets.

def load_data():
    """Training and held-out slices: scaled California arrays, raw California and Adult frames."""
    from skdeep.datasets import load_adult, load_california_housing

    frame, target = load_california_housing(return_X_y=True, as_frame=True)
    rows = np.random.RandomState(0).permutation(len(frame))[:N_TRAIN + N_TEST]
    frame, target = frame.iloc[rows].reset_index(drop=True), target.to_numpy()[rows]
    X = frame.to_numpy(dtype=np.float64)
    X = (X - X[:N_TRAIN].mean(axis=0)) / X[:N_TRAIN].std(axis=0)
    adult, income = load_adult(return_X_y=True, as_frame=True)
    rows = np.random.RandomState(0).permutation(len(adult))[:N_TRAIN + N_TEST]
    adult, income = adult.iloc[rows].reset_index(drop=True), income.to_numpy()[rows]
    train, test = slice(0, N_TRAIN), slice(N_TRAIN, None)
    return {
        "X": X[train], "X_test": X[test], "y": target[train], "y_test": target[test],
        "frame": frame.iloc[train], "frame_test": frame.iloc[test],
        "adult": adult.iloc[train], "adult_test": adult.iloc[test], "income": income[train],
    }


def classes(y, n):
    """``y`` cut at its training quantiles into ``n`` integer classes."""
    return np.searchsorted(np.quantile(y, np.linspace(0, 1, n + 1)[1:-1]), y)


# ---------------------------------------------------------------------------------------
# Builders (module level, as a user's).

def compiled_mlp(meta):
    """A builder that compiles its own Sequential model, sized from ``meta``."""
    import keras

    model = keras.Sequential([keras.Input((meta["n_features_in_"],)),
                              keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3), loss="mse")
    return model


def two_inputs(meta):
    """A functional model of two named inputs, for X given as a dict."""
    import keras

    a, b = keras.Input((4,), name="a"), keras.Input((4,), name="b")
    hidden = keras.layers.Dense(16, activation="relu")(keras.layers.Concatenate()([a, b]))
    return keras.Model([a, b], keras.layers.Dense(1)(hidden))


def softmax_net(meta):
    """A softmax over three classes, for one-hot y."""
    import keras

    return keras.Sequential([keras.Input((meta["n_features_in_"],)),
                             keras.layers.Dense(32, activation="relu"),
                             keras.layers.Dense(3, activation="softmax")])


# ---------------------------------------------------------------------------------------
# Fits.

def regressor(**params):
    """A DeepRegressor fitted on the California slice, predicting the held-out rows."""
    def run(d):
        from skdeep import DeepRegressor

        return DeepRegressor(**{**SMALL, "random_state": 0, **params}).fit(
            d["X"], d["y"]).predict(d["X_test"])
    return run


def classifier(target, **params):
    """A DeepClassifier fitted on ``target(data)``, its held-out ``predict_proba``."""
    def run(d):
        from skdeep import DeepClassifier

        return DeepClassifier(**{**SMALL, "random_state": 0, **params}).fit(
            d["X"], target(d)).predict_proba(d["X_test"])
    return run


def wide_deep_regressor(**params):
    """A WideDeepRegressor on the raw California frame."""
    def run(d):
        from skdeep import WideDeepRegressor

        return WideDeepRegressor(**{**WIDE_DEEP, **params}).fit(
            d["frame"], d["y"]).predict(d["frame_test"])
    return run


def wide_deep_classifier(**params):
    """A WideDeepClassifier on the raw Adult frame (strings, missing values)."""
    def run(d):
        from skdeep import WideDeepClassifier

        return WideDeepClassifier(**{**WIDE_DEEP, **params}).fit(
            d["adult"], d["income"]).predict_proba(d["adult_test"])
    return run


def defaults(d):
    from skdeep import DeepRegressor

    return DeepRegressor(epochs=EPOCHS, random_state=0).fit(d["X"], d["y"]).predict(
        d["X_test"])


def warm_start(d):
    from skdeep import DeepRegressor

    reg = DeepRegressor(**{**SMALL, "epochs": 2}, warm_start=True, random_state=0)
    return reg.fit(d["X"], d["y"]).fit(d["X"], d["y"]).predict(d["X_test"])


def partial_fit_3(d):
    from skdeep import DeepRegressor

    reg = DeepRegressor(**SMALL, random_state=0)
    for part in np.array_split(np.arange(N_TRAIN), 3):
        reg.partial_fit(d["X"][part], d["y"][part])
    return reg.predict(d["X_test"])


def dict_inputs(d):
    from skdeep import DeepRegressor

    def split(X):
        return {"a": X[:, :4], "b": X[:, 4:]}

    reg = DeepRegressor(model=two_inputs, epochs=EPOCHS, batch_size=64, random_state=0)
    return reg.fit(split(d["X"]), d["y"]).predict(split(d["X_test"]))


def sample_weight(d):
    from skdeep import DeepRegressor

    weights = np.linspace(0.25, 2.0, N_TRAIN)
    return DeepRegressor(**SMALL, random_state=0).fit(
        d["X"], d["y"], sample_weight=weights).predict(d["X_test"])


def validation_data(d):
    from skdeep import DeepRegressor

    reg = DeepRegressor(**{**SMALL, **STOPPING}, random_state=0)
    return reg.fit(d["X"], d["y"], validation_data=(d["X_test"], d["y_test"])).predict(
        d["X_test"])


def terminate_on_nan(d):
    import keras

    return regressor(callbacks=[keras.callbacks.TerminateOnNaN()])(d)


def one_hot(d):
    import keras

    return keras.utils.to_categorical(classes(d["y"], 3))


def twice(name, run, **marks):
    """The same fit twice in one process: the second trains the trace cache's twin."""
    return [Config(f"{name}#{i}", run, **marks) for i in (1, 2)]


CONFIGS = [
    # The trace-cache check's configurations (BENCHMARKS.md), each fitted twice.
    *twice("defaults", defaults),
    *twice("early_stopping", regressor(**STOPPING)),
    *twice("nadam", regressor(optimizer="nadam")),
    *twice("adagrad", regressor(optimizer="adagrad", learning_rate=0.05)),
    *twice("ftrl", regressor(optimizer="ftrl", learning_rate=0.05)),
    *twice("classifier", classifier(lambda d: classes(d["y"], 2))),
    *twice("warm_start", warm_start),
    *twice("wide_deep", wide_deep_regressor()),
    *twice("mixed_float16", regressor(mixed_precision="mixed_float16")),
    # What else trains in-graph.
    Config("builder", regressor(model=compiled_mlp)),
    Config("dict_inputs", dict_inputs),
    Config("multi_output_regressor",
           lambda d: regressor()({**d, "y": np.c_[d["y"], np.log1p(d["y"])]})),
    Config("multiclass", classifier(lambda d: classes(d["y"], 3))),
    Config("multilabel", classifier(lambda d: np.c_[classes(d["y"], 2),
                                                     classes(d["X"][:, 0], 2)])),
    Config("one_hot_softmax", classifier(one_hot, model=softmax_net)),
    Config("sample_weight", sample_weight),
    Config("class_weight_balanced",
           classifier(lambda d: classes(d["y"], 4) == 3, class_weight="balanced")),
    Config("partial_fit_x3", partial_fit_3),
    Config("validation_data", validation_data),
    Config("validation_fraction", regressor(**STOPPING, validation_fraction=0.25)),
    Config("periodic_embedding", regressor(numeric_embedding="periodic")),
    Config("piecewise_linear_embedding", regressor(numeric_embedding="piecewise_linear")),
    Config("ensemble_size_1", regressor(ensemble_size=1)),
    Config("wide_deep_crossed",
           wide_deep_regressor(crossed_columns=[("Latitude", "Longitude")])),
    Config("wide_deep_adult", wide_deep_classifier()),
    # Expected to change: Keras fit's row order (defect 2), fitted twice to show it.
    *twice("terminate_on_nan", terminate_on_nan, in_graph=False, expected_change="defect 2"),
    *twice("fit__validation_freq", regressor(fit__validation_freq=1), in_graph=False,
           expected_change="defect 2"),
    *twice("validation_batch_size",
           regressor(**STOPPING, validation_batch_size=32),
           in_graph=False, expected_change="defect 2"),
    *twice("run_eagerly", regressor(run_eagerly=True, hidden_layer_sizes=(16,)),
           in_graph=False, expected_change="defect 2"),
    # Expected to change: the encoder learns from the training rows only (defect 1).
    Config("wide_deep_validation_split", wide_deep_regressor(validation_split=0.5),
           expected_change="defect 1"),
    Config("wide_deep_adult_validation_split", wide_deep_classifier(validation_split=0.5),
           expected_change="defect 1"),
    Config("wide_deep_early_stopping",
           wide_deep_regressor(**STOPPING, validation_fraction=0.25),
           expected_change="defect 1"),
]


# ---------------------------------------------------------------------------------------
# Running and comparing.

KERAS_FIT_CALLS = [0]


def count_keras_fit_calls():
    """Count calls of Keras's ``Model.fit``: replaced where it is defined, so that every
    model class and ``keras.Model`` itself still see one and the same ``fit``."""
    import keras

    owner = next(cls for cls in keras.Model.__mro__ if "fit" in vars(cls))
    fit = vars(owner)["fit"]

    @functools.wraps(fit)
    def counted(*args, **kwargs):
        KERAS_FIT_CALLS[0] += 1
        return fit(*args, **kwargs)

    owner.fit = counted


def run_all(configs):
    """``{name: predictions}``, ``{name: path}`` and ``{name: seconds}``, in order."""
    data = load_data()
    predictions, paths, seconds = {}, {}, {}
    for config in configs:
        calls, start = KERAS_FIT_CALLS[0], time.perf_counter()
        predictions[config.name] = np.asarray(config.run(data))
        seconds[config.name] = time.perf_counter() - start
        paths[config.name] = "keras fit" if KERAS_FIT_CALLS[0] > calls else "in-graph"
    return predictions, paths, seconds


def max_difference(a, b):
    if a.shape != b.shape:
        return float("inf")
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)), initial=0.0))


def bit_equal(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def environment():
    import keras
    import tensorflow as tf

    import skdeep

    checkout = os.path.dirname(os.path.dirname(skdeep.__file__))
    commit = subprocess.run(["git", "-C", checkout, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    return {"skdeep": f"{skdeep.__file__} ({commit or 'no git commit'})",
            "keras": keras.__version__,
            "tensorflow": tf.__version__, "numpy": np.__version__, "python": sys.version}


def repeat_difference(name, predictions):
    """For a second fit (``#2``), how far its predictions are from the first's."""
    if not name.endswith("#2") or name[:-1] + "1" not in predictions:
        return ""
    return f"{max_difference(predictions[name], predictions[name[:-1] + '1']):.3g}"


def save(path, predictions, paths, seconds):
    np.savez(path, **predictions, __meta__=np.array(json.dumps(
        {"paths": paths, "environment": environment()})))
    print("| configuration | path | seconds | fit #2 vs #1: max abs diff |\n|---|---|---|---|")
    for name in predictions:
        print(f"| {name} | {paths[name]} | {seconds[name]:.1f} | "
              f"{repeat_difference(name, predictions)} |")
    print(f"\nsaved {len(predictions)} configurations to {path}")


def compare(path, configs, predictions, paths):
    """Print the table against the file; return whether every configuration passed."""
    with np.load(path) as stored:
        meta = json.loads(str(stored["__meta__"]))
        reference = {name: stored[name] for name in stored.files if name != "__meta__"}
    now = environment()
    for key in ("keras", "tensorflow", "numpy", "python"):
        if meta["environment"][key] != now[key]:
            print(f"warning: {key} {meta['environment'][key]} in {path}, {now[key]} now")
    print(f"reference: {meta['environment']['skdeep']}\nnow:       {now['skdeep']}\n")
    print("| configuration | path | max abs diff | equal bit for bit | expected change | "
          "fit #2 vs #1 |\n|---|---|---|---|---|---|")
    failed = []
    for config in configs:
        name, values = config.name, predictions[config.name]
        if name not in reference:
            print(f"| {name} | {paths[name]} | not in the file | | | |")
            continue
        equal = bit_equal(values, reference[name])
        path_note = paths[name]
        if meta["paths"].get(name, path_note) != path_note:
            path_note += f" (was {meta['paths'][name]})"
        print(f"| {name} | {path_note} | {max_difference(values, reference[name]):.3g} | "
              f"{'yes' if equal else 'no'} | {config.expected_change or ''} | "
              f"{repeat_difference(name, predictions)} |")
        if (not equal and config.expected_change is None) or \
                (config.in_graph and paths[name] != "in-graph"):
            failed.append(name)
    if failed:
        print(f"\nFAILED: {', '.join(failed)}")
    else:
        print("\nevery configuration expected to stay the same is equal bit for bit")
    return not failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--save", metavar="FILE.npz", help="save the predictions here")
    parser.add_argument("--compare", metavar="FILE.npz", help="compare with a saved file")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="configurations to run (a name without #1/#2 takes both)")
    args = parser.parse_args()
    if not (args.save or args.compare):
        parser.error("give --save FILE.npz, --compare FILE.npz or both")
    configs = CONFIGS
    if args.only:
        configs = [c for c in CONFIGS if {c.name, c.name.split("#")[0]} & set(args.only)]
        unknown = set(args.only) - {n for c in configs for n in (c.name, c.name.split("#")[0])}
        if unknown:
            parser.error(f"unknown configurations {sorted(unknown)}; known: "
                         f"{', '.join(c.name for c in CONFIGS)}")
    count_keras_fit_calls()
    start = time.perf_counter()
    predictions, paths, seconds = run_all(configs)
    print(f"{len(configs)} configurations in {time.perf_counter() - start:.0f} s\n")
    passed = compare(args.compare, configs, predictions, paths) if args.compare else True
    if args.save:
        if args.compare:
            print()
        save(args.save, predictions, paths, seconds)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
