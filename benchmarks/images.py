"""Images through skdeep's in-graph epoch loop against Keras ``model.fit`` (issue 11).

scikit-learn's digits (8x8) upsampled to 28x28 (bilinear ``scipy.ndimage.zoom``), shape
(n, 28, 28, 1), pixels scaled to [0, 1], a stratified 75/25 split (fixed).  Four user-built
networks, each trained by ``skdeep.DeepClassifier(model=builder, epochs=E, batch_size=32)``
and by the same builder's model, compiled identically (Adam 1e-3, sparse categorical
cross-entropy, no extra metrics), with ``model.fit(..., epochs=E, batch_size=32, verbose=0)``:

- cnn:   Conv2D 16 - MaxPool - Conv2D 32 - MaxPool - Flatten - Dense 64 - Dense 10
- mlp:   Flatten - Dense 128 - Dense 10 (on the 28x28x1 array: the model flattens it)
- dict:  two named inputs, "image" (28, 28, 1) through the CNN trunk and "flat" (784,) through
         Dense 64, concatenated - Dense 10; X is a ``skdeep.SliceDict`` (Keras: a plain dict)
- multi: the CNN trunk with two heads, "digit" (10-way) and "parity" (2-way); y has one column
         per head (Keras: a dict keyed by output name)

Every fit runs in its own subprocess (seeds 0-2 by default).  Times: the skdeep side is the
whole ``fit`` (checks, building the model through the builder, training, the predictor's
trace); the Keras side is the builder call (build + compile) plus ``model.fit``, the same
work.  "epoch ms" is the median of epochs 2..E, timed by an epoch-level callback (which keeps
skdeep on its in-graph path), so it leaves out tracing and set-up.  In the skdeep processes
``keras.Model.fit``, ``skdeep.engine.train_with_keras_fit`` and
``skdeep.engine.tensorflow.train_compiled`` are wrapped to count their calls: the "engine"
column says which path trained.  Accuracy is on the test split (multi: the digit head's).

A second table is a diagnostic: the same skdeep fits with
``skdeep.engine.tensorflow._executor_for`` replaced in that process so that the compiled
epochs run on TensorFlow's default (multi-threaded) executor instead of the single-threaded one the engine picks on CPUs.

Run: python benchmarks/images.py [--epochs 10] [--seeds 3] [--only cnn mlp dict multi]
                                 [--no-executors]   (about 6.5 minutes on 2 CPU cores)
"""

import argparse
import json
import statistics
import subprocess
import sys
import time

import numpy as np

BATCH = 32
SPLIT_SEED = 0
VARIANTS = ("cnn", "mlp", "dict", "multi")
TITLES = {
    "cnn": "small CNN (Conv 16/32 + pooling + Dense 64)",
    "mlp": "MLP on flattened pixels (Flatten + Dense 128)",
    "dict": "two inputs, dict X (image CNN + flat Dense 64)",
    "multi": "two outputs, digit + parity heads",
}

# ------------------------------------------------------------------ data


def digits_28():
    """load_digits upsampled to (n, 28, 28, 1) float32 in [0, 1], and a stratified split."""
    from scipy.ndimage import zoom
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    images = zoom(digits.images, (1, 3.5, 3.5), order=1)  # 8x8 -> 28x28, bilinear
    X = (np.clip(images, 0, 16) / 16.0).astype("float32")[..., None]
    y = digits.target.astype("int64")
    train, test = train_test_split(np.arange(len(y)), test_size=0.25, stratify=y,
                                   random_state=SPLIT_SEED)
    return X[train], y[train], X[test], y[test]


# ------------------------------------------------------------------ builders


def _compiled(model, loss):
    import keras

    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss)
    return model


def _cnn_trunk(image):
    from keras import layers

    h = layers.Conv2D(16, 3, activation="relu")(image)
    h = layers.MaxPooling2D()(h)
    h = layers.Conv2D(32, 3, activation="relu")(h)
    h = layers.MaxPooling2D()(h)
    h = layers.Flatten()(h)
    return layers.Dense(64, activation="relu")(h)


def build_cnn(meta=None, compile_kwargs=None):
    import keras

    image = keras.Input((28, 28, 1), name="image")
    out = keras.layers.Dense(10, activation="softmax")(_cnn_trunk(image))
    return _compiled(keras.Model(image, out), "sparse_categorical_crossentropy")


def build_mlp(meta=None, compile_kwargs=None):
    import keras
    from keras import layers

    image = keras.Input((28, 28, 1), name="image")
    h = layers.Dense(128, activation="relu")(layers.Flatten()(image))
    out = layers.Dense(10, activation="softmax")(h)
    return _compiled(keras.Model(image, out), "sparse_categorical_crossentropy")


def build_dict(meta=None, compile_kwargs=None):
    import keras
    from keras import layers

    image = keras.Input((28, 28, 1), name="image")
    flat = keras.Input((28 * 28,), name="flat")
    h = layers.Concatenate()([_cnn_trunk(image), layers.Dense(64, activation="relu")(flat)])
    out = layers.Dense(10, activation="softmax")(h)
    return _compiled(keras.Model({"image": image, "flat": flat}, out),
                     "sparse_categorical_crossentropy")


def build_multi(meta=None, compile_kwargs=None):
    import keras
    from keras import layers

    image = keras.Input((28, 28, 1), name="image")
    h = _cnn_trunk(image)
    digit = layers.Dense(10, activation="softmax", name="digit")(h)
    parity = layers.Dense(2, activation="softmax", name="parity")(h)
    return _compiled(keras.Model(image, [digit, parity]),
                     {"digit": "sparse_categorical_crossentropy",
                      "parity": "sparse_categorical_crossentropy"})


BUILDERS = {"cnn": build_cnn, "mlp": build_mlp, "dict": build_dict, "multi": build_multi}


def inputs_for(variant, X, skdeep_side):
    """The X each side gets: the image array, or for "dict" the two named inputs."""
    if variant != "dict":
        return X
    parts = {"image": X, "flat": X.reshape(len(X), -1)}
    if skdeep_side:
        import skdeep

        return skdeep.SliceDict(**parts)
    return parts


def targets_for(variant, y, skdeep_side):
    if variant != "multi":
        return y
    if skdeep_side:
        return np.column_stack([y, y % 2])  # one column per head, in output order
    return {"digit": y, "parity": y % 2}


# ------------------------------------------------------------------ worker (subprocess)

EPOCH_ENDS = []


def _clock():
    """Timestamps each epoch's end (module global: skdeep trains with copies of callbacks)."""
    import keras

    class Clock(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            EPOCH_ENDS[:] = [time.perf_counter()]

        def on_epoch_end(self, epoch, logs=None):
            EPOCH_ENDS.append(time.perf_counter())

    return Clock()


def _steady_epoch_s():
    epochs = np.diff(EPOCH_ENDS)
    return float(np.median(epochs[1:])) if len(epochs) > 1 else float("nan")


def _count_calls(owner, name, counts):
    """Wrap ``owner.name`` so that each call adds one to ``counts[name]``."""
    original = getattr(owner, name, None)
    if original is None:
        counts[name] = None  # not there (renamed?): reported as unknown
        return
    counts[name] = 0

    def counted(*args, **kwargs):
        counts[name] += 1
        return original(*args, **kwargs)

    setattr(owner, name, counted)


def worker(variant, peer, seed, epochs):
    import skdeep  # noqa: F401  (no TensorFlow import; quiets its logs for both peers)

    seed, epochs = int(seed), int(epochs)
    X, y, X_test, y_test = digits_28()
    builder = BUILDERS[variant]
    out = {}
    if peer.startswith("skdeep"):
        import keras

        import skdeep.engine
        from skdeep.engine import tensorflow as engine

        if peer == "skdeep-mt":
            # Diagnostic: TensorFlow's default (multi-threaded) executor for the compiled
            # epochs instead of the single-threaded one the engine picks on CPUs.
            import contextlib

            engine._executor_for = lambda data, model: contextlib.nullcontext

        counts = {}
        _count_calls(keras.Model, "fit", counts)
        _count_calls(skdeep.engine, "train_with_keras_fit", counts)
        _count_calls(engine, "train_compiled", counts)
        est = skdeep.DeepClassifier(model=builder, epochs=epochs, batch_size=BATCH,
                                    random_state=seed)
        Xs, ys = inputs_for(variant, X, True), targets_for(variant, y, True)
        start = time.perf_counter()
        est.fit(Xs, ys, callbacks=[_clock()])
        seconds = time.perf_counter() - start
        pred = np.asarray(est.predict(inputs_for(variant, X_test, True)))
        digit = pred[:, 0] if variant == "multi" else pred
        out["counts"] = counts
        out["n_iter"] = int(est.n_iter_)
    else:
        import keras

        keras.utils.set_random_seed(seed)
        start = time.perf_counter()
        model = builder()
        fit_start = time.perf_counter()
        history = model.fit(inputs_for(variant, X, False), targets_for(variant, y, False),
                            epochs=epochs, batch_size=BATCH, verbose=0, callbacks=[_clock()])
        seconds = time.perf_counter() - start
        out["fit_only_s"] = time.perf_counter() - fit_start
        out["n_iter"] = len(history.history["loss"])
        proba = model.predict(inputs_for(variant, X_test, False), verbose=0)
        digit = np.argmax(proba[0] if variant == "multi" else proba, axis=1)
    out.update(seconds=seconds, epoch_s=_steady_epoch_s(),
               accuracy=float(np.mean(digit == y_test)))
    return out


# ------------------------------------------------------------------ driver


def run(*args):
    done = subprocess.run([sys.executable, __file__, "--worker", *map(str, args)],
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"worker {args} failed:\n{done.stderr[-5000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _engine(runs):
    """"in-graph" only if every skdeep fit went through train_compiled and none through
    Keras's fit; otherwise the counts, so that a fallback shows."""
    counts = [r["counts"] for r in runs]
    if all(c.get("train_compiled") == 1 and c.get("fit") == 0
           and c.get("train_with_keras_fit") in (0, None) for c in counts):
        return "in-graph"
    return "; ".join(f"{k}={v}" for k, v in sorted(counts[0].items()))


def _mean(runs, key):
    return statistics.mean(r[key] for r in runs)


def _accuracy(runs):
    scores = [r["accuracy"] for r in runs]
    return f"{statistics.mean(scores):.4f} ({min(scores):.4f} / {max(scores):.4f})"


def main(epochs, seeds, only, executors):
    X, _, X_test, _ = digits_28()
    steps = -(-len(X) // BATCH)
    print(f"# Images: digits 28x28x1 ({len(X)} train / {len(X_test)} test), batch {BATCH} "
          f"({steps} steps an epoch), {epochs} epochs, mean of seeds 0-{seeds - 1}\n")
    print("| model | skdeep fit s | Keras fit s | skdeep / Keras | skdeep epoch ms | "
          "Keras epoch ms | skdeep accuracy (min / max) | Keras accuracy (min / max) | "
          "skdeep engine |")
    print("|---|---|---|---|---|---|---|---|---|")
    peers = ["skdeep", "keras"] + (["skdeep-mt"] if executors else [])
    everything = {}
    for variant in only:
        # Peers alternate seed by seed, so that load from other work falls on all alike.
        results = everything[variant] = {peer: [] for peer in peers}
        for seed in range(seeds):
            for peer in peers:
                results[peer].append(run(variant, peer, seed, epochs))
        for runs in results.values():
            assert all(r["n_iter"] == epochs for r in runs), runs
        sk, ke = results["skdeep"], results["keras"]
        print(f"| {TITLES[variant]} | {_mean(sk, 'seconds'):.2f} | {_mean(ke, 'seconds'):.2f} | "
              f"{_mean(sk, 'seconds') / _mean(ke, 'seconds'):.3f} | "
              f"{1e3 * _mean(sk, 'epoch_s'):.1f} | {1e3 * _mean(ke, 'epoch_s'):.1f} | "
              f"{_accuracy(sk)} | {_accuracy(ke)} | {_engine(sk)} |", flush=True)
    if not executors:
        return
    print("\n# skdeep's compiled epochs on TensorFlow's default executor (diagnostic)\n")
    print("| model | skdeep epoch ms (single-threaded executor, as shipped) | "
          "skdeep epoch ms (default executor) | Keras epoch ms | skdeep fit s (default "
          "executor) | / Keras | accuracy (min / max) | engine |")
    print("|---|---|---|---|---|---|---|---|")
    for variant, results in everything.items():
        sk, mt, ke = results["skdeep"], results["skdeep-mt"], results["keras"]
        print(f"| {TITLES[variant]} | {1e3 * _mean(sk, 'epoch_s'):.1f} | "
              f"{1e3 * _mean(mt, 'epoch_s'):.1f} | {1e3 * _mean(ke, 'epoch_s'):.1f} | "
              f"{_mean(mt, 'seconds'):.2f} | {_mean(mt, 'seconds') / _mean(ke, 'seconds'):.3f} | "
              f"{_accuracy(mt)} | {_engine(mt)} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10, help="epochs for every fit")
    parser.add_argument("--seeds", type=int, default=3, help="fits per peer and model")
    parser.add_argument("--only", nargs="+", choices=VARIANTS, default=VARIANTS,
                        help="run only these models")
    parser.add_argument("--no-executors", action="store_true",
                        help="skip the diagnostic skdeep fits on TensorFlow's default executor")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        print(json.dumps(worker(*options.worker)))
    else:
        main(options.epochs, options.seeds, options.only, not options.no_executors)
