"""Wide & Deep on raw tables against a plain MLP and gradient boosting, over several seeds.

Adult (raw DataFrame, stratified 80/20): WideDeepClassifier with crosses, DeepClassifier after
a one-hot ColumnTransformer, and scikit-learn's HistGradientBoostingClassifier with native
categories (the strongest simple reference).  California (75/25): WideDeepRegressor with the
latitude x longitude cross, a DeepRegressor after a StandardScaler, the reference notes' Wide &
Deep (wide = first 5, deep = last 6) and HistGradientBoostingRegressor.  Each seed changes
the split and the model's seed.  Prints mean, min and max of each score and the mean fit time.

Run: python benchmarks/wide_deep.py [--seeds 3]
"""

import argparse
import time

import numpy as np

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.metrics import accuracy_score, mean_squared_error, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skdeep.datasets import load_adult, load_california_housing


def training(seed):
    return dict(batch_size=64, early_stopping=True, random_state=seed)


def adult_models(X, seed):
    numeric = X.select_dtypes("number").columns
    one_hot = make_column_transformer(
        (StandardScaler(), numeric),
        (OneHotEncoder(handle_unknown="ignore", min_frequency=10, sparse_output=False),
         X.columns.difference(numeric)),
    )
    return {
        "WideDeepClassifier, 2 crosses": skdeep.WideDeepClassifier(
            crossed_columns=[("education", "occupation"), ("age", "gender")],
            n_iter_no_change=5, **training(seed)),
        "DeepClassifier on one-hot": make_pipeline(one_hot, skdeep.DeepClassifier(
            hidden_layer_sizes=(64, 32), n_iter_no_change=5, **training(seed))),
        "HistGradientBoosting": HistGradientBoostingClassifier(
            categorical_features="from_dtype", random_state=seed),
    }


def california_models(X, seed):
    return {
        "WideDeepRegressor, lat x lon": skdeep.WideDeepRegressor(
            crossed_columns=[("Latitude", "Longitude")], cross_bins=50, min_frequency=1,
            epochs=200, n_iter_no_change=10, **training(seed)),
        "DeepRegressor (plain MLP)": make_pipeline(StandardScaler(), skdeep.DeepRegressor(
            hidden_layer_sizes=(64, 32), epochs=200, n_iter_no_change=10, **training(seed))),
        "notes' Wide & Deep": skdeep.WideDeepRegressor(
            wide_columns=list(X.columns[:5]), deep_columns=list(X.columns[2:]), epochs=200,
            n_iter_no_change=10, **training(seed)),
        "HistGradientBoosting": HistGradientBoostingRegressor(random_state=seed),
    }


def adult_scores(model, X_test, y_test):
    proba = model.predict_proba(X_test)[:, list(model.classes_).index(">50K")]
    return {"accuracy": accuracy_score(y_test, model.predict(X_test)),
            "ROC AUC": roc_auc_score(y_test == ">50K", proba)}


def california_scores(model, X_test, y_test):
    return {"RMSE": mean_squared_error(y_test, model.predict(X_test)) ** 0.5}


def run(title, load, make_models, scores, seeds, stratify):
    X, y = load(return_X_y=True, as_frame=True)
    if stratify:  # HistGradientBoosting's native categories need the category dtype
        X = X.astype({c: "category" for c in X.select_dtypes(exclude="number").columns})
    results = {}
    for seed in range(seeds):
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.2 if stratify else 0.25, stratify=y if stratify else None,
            random_state=seed)
        for name, model in make_models(X, seed).items():
            start = time.perf_counter()
            model.fit(X_train, y_train)
            entry = results.setdefault(name, {"fit s": [], "predict s": []})
            entry["fit s"].append(time.perf_counter() - start)
            start = time.perf_counter()
            model.predict(X_test)
            entry["predict s"].append(time.perf_counter() - start)
            for metric, value in scores(model, X_test, y_test).items():
                entry.setdefault(metric, []).append(value)
            print(f"  {name}, seed {seed}: " + ", ".join(
                f"{k} {v[-1]:.4f}" for k, v in entry.items()), flush=True)
    timings = ("fit s", "predict s")
    metrics = [m for m in next(iter(results.values())) if m not in timings]
    print(f"\n## {title}, seeds 0-{seeds - 1}\n")
    print("| model | " + " | ".join(f"{m} mean (min / max)" for m in metrics) +
          " | fit s | predict s |")
    print("|---" * (len(metrics) + 3) + "|")
    for name, entry in results.items():
        cells = [f"{np.mean(entry[m]):.4f} ({min(entry[m]):.4f} / {max(entry[m]):.4f})"
                 for m in metrics]
        print(f"| {name} | " + " | ".join(cells) + f" | {np.mean(entry['fit s']):.1f} | "
              f"{np.mean(entry['predict s']):.2f} |")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    seeds = parser.parse_args().seeds
    run("Adult, raw DataFrame, stratified 80/20", load_adult, adult_models, adult_scores,
        seeds, stratify=True)
    run("California housing, 75/25", load_california_housing, california_models,
        california_scores, seeds, stratify=False)


if __name__ == "__main__":
    main()
