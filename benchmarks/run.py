"""skdeep against raw Keras fit, scikeras and scikit-learn's MLP: speed, accuracy, memory.

Every measurement runs in a fresh subprocess (so peak RSS is its own, and scikeras's
monkeypatching of Keras touches only its own runs), with the same data, architecture, epochs
and batch size for every peer.  Prints markdown tables with ratios to skdeep.

Run: python benchmarks/run.py            (about 25 minutes on 2 CPU cores; scikeras's search
                                           alone takes most of it)
     python benchmarks/run.py --quick    (skips scikeras's California search)
     python benchmarks/run.py --only search memory   (some sections only)
"""

import argparse
import json
import subprocess
import sys
import time

# ------------------------------------------------------------------ shared settings

HIDDEN = (30, 30)
BATCH = 32
EPOCHS = 20
SEED = 0  # data split and search seed


def friedman():
    from sklearn.datasets import make_friedman1

    X, y = make_friedman1(n_samples=25000, n_features=10, noise=1.0, random_state=SEED)
    return X[:20000], y[:20000], X[20000:], y[20000:]


def adult():
    from sklearn.compose import make_column_transformer
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    from skdeep.datasets import load_adult

    X, y = load_adult(return_X_y=True, as_frame=True)
    numeric = X.select_dtypes("number").columns
    features = make_column_transformer(
        (StandardScaler(), numeric),
        (OneHotEncoder(handle_unknown="ignore", sparse_output=False, min_frequency=10),
         X.columns.difference(numeric)),
    )
    X_train, X_test, y_train, y_test = train_test_split(X, y == ">50K", test_size=0.2,
                                                        stratify=y, random_state=SEED)
    features.fit(X_train)
    return (features.transform(X_train).astype("float32"), y_train.to_numpy().astype(int),
            features.transform(X_test).astype("float32"), y_test.to_numpy().astype(int))


def keras_mlp(n_features, n_outputs=1, activation=None, loss="mse"):
    import keras

    model = keras.Sequential([keras.Input((n_features,))])
    for units in HIDDEN:
        model.add(keras.layers.Dense(units, activation="relu"))
    model.add(keras.layers.Dense(n_outputs, activation=activation))
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss)
    return model


# ------------------------------------------------------------------ workers (subprocesses)


def _peak_rss_mib():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fit):
    start = time.perf_counter()
    model = fit()
    return model, time.perf_counter() - start


def worker_fit(peer, task, seed):
    import skdeep  # noqa: F401  (no TensorFlow import; quiets its logs for the TF peers)
    seed = int(seed)
    X, y, X_test, y_test = friedman() if task == "regression" else adult()
    regression = task == "regression"
    if peer == "skdeep":
        import skdeep

        cls = skdeep.DeepRegressor if regression else skdeep.DeepClassifier
        est = cls(hidden_layer_sizes=HIDDEN, batch_size=BATCH, epochs=EPOCHS, random_state=seed)
        est, seconds = _timed(lambda: est.fit(X, y))
        score = est.score(X_test, y_test)
    elif peer == "sklearn":
        from sklearn.neural_network import MLPClassifier, MLPRegressor

        cls = MLPRegressor if regression else MLPClassifier
        # tol=0 and n_iter_no_change=EPOCHS: exactly EPOCHS epochs, like the others.
        est = cls(hidden_layer_sizes=HIDDEN, batch_size=BATCH, max_iter=EPOCHS, tol=0,
                  n_iter_no_change=EPOCHS, random_state=seed)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning at max_iter
            est, seconds = _timed(lambda: est.fit(X, y))
        score = est.score(X_test, y_test)
    elif peer == "keras":
        import keras

        keras.utils.set_random_seed(seed)
        model = keras_mlp(X.shape[1], 1, None if regression else "sigmoid",
                          "mse" if regression else "binary_crossentropy")
        model, seconds = _timed(lambda: (model.fit(X, y, batch_size=BATCH, epochs=EPOCHS,
                                                   verbose=0), model)[1])
        pred = model.predict(X_test, verbose=0)[:, 0]
        score = _score(regression, y_test, pred)
    else:  # scikeras
        from scikeras.wrappers import KerasClassifier, KerasRegressor

        cls = KerasRegressor if regression else KerasClassifier
        est = cls(model=keras_mlp, model__n_features=X.shape[1],
                  model__activation=None if regression else "sigmoid",
                  model__loss="mse" if regression else "binary_crossentropy",
                  batch_size=BATCH, epochs=EPOCHS, verbose=0, random_state=seed)
        est, seconds = _timed(lambda: est.fit(X, y))
        score = est.score(X_test, y_test)
    return {"seconds": seconds, "score": float(score), "peak_rss_mib": _peak_rss_mib()}


def _score(regression, y_true, pred):
    from sklearn.metrics import accuracy_score, r2_score

    return r2_score(y_true, pred) if regression else accuracy_score(y_true, pred > 0.5)


def california_split():
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from skdeep.datasets import load_california_housing

    X, y = load_california_housing(return_X_y=True)
    X_full, X_test, y_full, y_test = train_test_split(X, y, random_state=42)
    X_train, X_valid, y_train, y_valid = train_test_split(X_full, y_full, random_state=42)
    scaler = StandardScaler().fit(X_train)
    return (scaler.transform(X_train), y_train, scaler.transform(X_valid), y_valid,
            scaler.transform(X_test), y_test)


def search_candidates():
    """The notes' search space, sampled once, so every library tries the same 10 candidates."""
    import numpy as np
    from scipy.stats import reciprocal
    from sklearn.model_selection import ParameterSampler

    space = {"hidden_layers": [1, 2, 3], "layer_size": np.arange(1, 100),
             "learning_rate": reciprocal(1e-4, 1e-2)}
    return list(ParameterSampler(space, n_iter=10, random_state=42))


def notes_builder(hidden_layers=1, layer_size=30, learning_rate=3e-3, meta=None,
                  n_features_in_=None):
    import keras

    n_features = meta["n_features_in_"] if meta else n_features_in_
    model = keras.Sequential([keras.Input((n_features,))])
    for _ in range(hidden_layers):
        model.add(keras.layers.Dense(layer_size, activation="relu"))
    model.add(keras.layers.Dense(1))
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=learning_rate))
    return model


def worker_search(peer):
    import skdeep  # noqa: F401  (no TensorFlow import; quiets its logs for the TF peers)
    from sklearn.model_selection import GridSearchCV

    X_train, y_train, X_valid, y_valid, X_test, y_test = california_split()
    candidates = search_candidates()
    if peer == "sklearn":
        from sklearn.neural_network import MLPRegressor

        grid = [{"hidden_layer_sizes": [(int(c["layer_size"]),) * c["hidden_layers"]],
                 "learning_rate_init": [c["learning_rate"]]} for c in candidates]
        # sklearn's MLP validates on its own 10% split (it cannot take validation_data).
        search = GridSearchCV(MLPRegressor(max_iter=30, early_stopping=True,
                                           n_iter_no_change=5, random_state=42), grid, cv=3)
        fit_params = {}
    else:
        import keras

        grid = [{k: [v] for k, v in c.items()} for c in candidates]
        if peer == "scikeras":
            # scikeras hands numpy ints to Keras, whose Dense rejects np.int64 units.
            grid = [{**g, "layer_size": [int(g["layer_size"][0])]} for g in grid]
        fit_params = {"epochs": 30, "validation_data": (X_valid, y_valid),
                      "callbacks": [keras.callbacks.EarlyStopping(patience=5,
                                                                  restore_best_weights=True)]}
        if peer.startswith("skdeep"):
            import skdeep

            # "skdeep-b200": sklearn's own default batch size, to show what the steps cost.
            estimator = skdeep.DeepRegressor(model=notes_builder, random_state=42,
                                             batch_size=200 if peer == "skdeep-b200" else 32)
        else:
            from scikeras.wrappers import KerasRegressor

            # scikeras only lets a search set builder arguments given to its constructor.
            estimator = KerasRegressor(model=notes_builder, hidden_layers=1, layer_size=30,
                                       learning_rate=3e-3, verbose=0, random_state=42)
        search = GridSearchCV(estimator, grid, cv=3)
    start = time.perf_counter()
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X_train, y_train, **fit_params)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "score": float(search.score(X_test, y_test)),
            "cv": float(search.best_score_), "peak_rss_mib": _peak_rss_mib()}


def _rss_mib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS"))


def worker_memory(peer, fits=100):
    import gc

    import skdeep
    from sklearn.datasets import make_friedman1

    X, y = make_friedman1(n_samples=2000, n_features=10, random_state=SEED)
    rss = []
    for i in range(fits):
        if peer == "skdeep":
            model = skdeep.DeepRegressor(hidden_layer_sizes=HIDDEN, epochs=2, random_state=i)
            model.fit(X, y).predict(X[:10])
        else:
            import keras

            model = keras_mlp(10)
            model.fit(X, y, epochs=2, batch_size=BATCH, verbose=0)
            model.predict(X[:10], verbose=0)
        del model
        gc.collect()
        rss.append(_rss_mib())
    return {"after_5": rss[4], "after_all": rss[-1], "fits": fits,
            "growth_mib": rss[-1] - rss[4]}


def worker_predict(peer):
    import numpy as np

    import skdeep
    X, y, X_test, _ = friedman()
    X_big = np.resize(X, (100_000, X.shape[1]))
    if peer == "skdeep":
        model = skdeep.DeepRegressor(hidden_layer_sizes=HIDDEN, epochs=1, random_state=SEED)
        predict = model.fit(X, y).predict
    elif peer == "sklearn":
        from sklearn.neural_network import MLPRegressor

        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            predict = MLPRegressor(hidden_layer_sizes=HIDDEN, max_iter=1).fit(X, y).predict
    elif peer == "keras":
        model = keras_mlp(10)
        model.fit(X, y, epochs=1, batch_size=BATCH, verbose=0)
        predict = lambda a: model.predict(a, verbose=0)  # noqa: E731
    else:
        from scikeras.wrappers import KerasRegressor

        predict = KerasRegressor(model=keras_mlp, model__n_features=10, epochs=1,
                                 verbose=0).fit(X, y).predict
    out = {}
    for rows, repeats in ((1, 300), (100, 200), (100_000, 5)):
        batch = X_big[:rows]
        predict(batch)  # warm up
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            predict(batch)
            times.append(time.perf_counter() - start)
        out[str(rows)] = float(np.median(times))
    return out


WORKERS = {"fit": worker_fit, "search": worker_search, "memory": worker_memory,
           "predict": worker_predict}


# ------------------------------------------------------------------ driver


def run(*args):
    done = subprocess.run([sys.executable, __file__, "--worker", *args], capture_output=True,
                          text=True)
    if done.returncode:
        raise RuntimeError(f"worker {args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _ratio(value, base):
    return f"{value / base:.2f}x"


def _fit_over_seeds(peer, task, seeds):
    """Mean time and score over ``seeds`` fits (one subprocess each): one seed's init and
    shuffle move a score by more than the 0.005 that separates the peers' means."""
    runs = [run("fit", peer, task, str(seed)) for seed in range(seeds)]
    scores = [r["score"] for r in runs]
    return {"seconds": sum(r["seconds"] for r in runs) / seeds, "score": sum(scores) / seeds,
            "low": min(scores), "high": max(scores),
            "peak_rss_mib": max(r["peak_rss_mib"] for r in runs)}


SECTIONS = ("fit", "search", "memory", "predict")


def main(quick, seeds, only):
    peers = ["skdeep", "keras", "scikeras", "sklearn"]
    if "fit" in only:
        fit_section(peers, seeds)
    if "search" in only:
        search_section(quick)
    if "memory" in only:
        memory_section()
    if "predict" in only:
        predict_section(peers)


def fit_section(peers, seeds):
    print(f"# Fit: {HIDDEN} ReLU MLP, Adam, batch {BATCH}, {EPOCHS} epochs, "
          f"mean of seeds 0-{seeds - 1}\n")
    for task, data, metric in (("regression", "Friedman #1, 20,000 x 10 (test 5,000)", "R²"),
                               ("classification", "Adult, one-hot (test 20%)", "accuracy")):
        print(f"## {task}: {data}\n")
        print(f"| peer | fit s | time / skdeep | {metric} mean | min / max | peak RSS MiB |\n"
              "|---|---|---|---|---|---|")
        results = {p: _fit_over_seeds(p, task, seeds) for p in peers}
        base = results["skdeep"]["seconds"]
        for peer, r in results.items():
            print(f"| {peer} | {r['seconds']:.2f} | {_ratio(r['seconds'], base)} | "
                  f"{r['score']:.4f} | {r['low']:.4f} / {r['high']:.4f} | "
                  f"{r['peak_rss_mib']:.0f} |")
        sk = results["sklearn"]["seconds"]
        print(f"\nskdeep / sklearn: {base / sk:.2f}; skdeep / keras fit: "
              f"{base / results['keras']['seconds']:.3f}; skdeep / scikeras: "
              f"{base / results['scikeras']['seconds']:.3f}\n")


def search_section(quick):
    print("# The notes' California search: 10 candidates x cv=3, <= 30 epochs, early stopping\n")
    print("| peer | search s | time / skdeep | best CV R² | test R² | peak RSS MiB |")
    print("|---|---|---|---|---|---|")
    searchers = ["skdeep", "skdeep-b200", "sklearn"] + ([] if quick else ["scikeras"])
    results = {p: run("search", p) for p in searchers}
    base = results["skdeep"]["seconds"]
    for peer, r in results.items():
        print(f"| {peer} | {r['seconds']:.1f} | {_ratio(r['seconds'], base)} | {r['cv']:.4f} | "
              f"{r['score']:.4f} | {r['peak_rss_mib']:.0f} |")


def memory_section():
    print("\n# Memory: RSS over 100 sequential fits (Friedman 2,000 rows, 2 epochs)\n")
    print("| peer | RSS after 5 fits MiB | after 100 | growth over fits 6-100 |\n|---|---|---|---|")
    for peer in ("skdeep", "keras"):
        r = run("memory", peer)
        print(f"| {peer} | {r['after_5']:.0f} | {r['after_all']:.0f} | {r['growth_mib']:.1f} MiB |")


def predict_section(peers):
    print("\n# Predict latency (median), 30-30 MLP\n")
    print("| peer | 1 row ms | 100 rows ms | 100,000 rows ms |\n|---|---|---|---|")
    for peer in peers:
        r = run("predict", peer)
        print(f"| {peer} | {r['1'] * 1e3:.3f} | {r['100'] * 1e3:.3f} | "
              f"{r['100000'] * 1e3:.1f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip scikeras's search")
    parser.add_argument("--seeds", type=int, default=3, help="fits per peer and task")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=SECTIONS,
                        help="run only these sections")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        name, *rest = options.worker
        print(json.dumps(WORKERS[name](*rest)))
    else:
        main(options.quick, options.seeds, options.only)
