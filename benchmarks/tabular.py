"""Tabular recipes at their defaults and with numeric embeddings, against scikit-learn.

Adult (raw DataFrame, stratified 80/20) and California (75/25), the splits and scores of
``benchmarks/wide_deep.py``: skdeep's estimators as a user leaves them, the same with each
numeric embedding (periodic, piecewise-linear), scikit-learn's MLP on the same one-hot or
scaled input, and HistGradientBoosting.  Each seed changes the split and the models' seeds.

Run: python benchmarks/tabular.py [--seeds 3] [--only adult|california]
"""

import argparse

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skdeep.datasets import load_adult, load_california_housing
from wide_deep import adult_scores, california_scores, run

EMBEDDINGS = {"PLE": dict(numeric_embedding="piecewise_linear"),
              "PLR": dict(numeric_embedding="periodic", frequency_scale=0.1),
              "PLR-lite": dict(numeric_embedding="periodic_lite", frequency_scale=0.1)}


def one_hot(X):
    numeric = X.select_dtypes("number").columns
    return make_column_transformer(
        (StandardScaler(), numeric),
        (OneHotEncoder(handle_unknown="ignore", min_frequency=10, sparse_output=False),
         X.columns.difference(numeric)))


def adult_models(X, seed):
    models = {"WideDeepClassifier()": skdeep.WideDeepClassifier(random_state=seed)}
    models.update({f"WideDeepClassifier, {name}": skdeep.WideDeepClassifier(
        random_state=seed, **kwargs) for name, kwargs in EMBEDDINGS.items()})
    models["DeepClassifier() on one-hot"] = make_pipeline(
        one_hot(X), skdeep.DeepClassifier(random_state=seed))
    models["DeepClassifier on one-hot, PLE"] = make_pipeline(
        one_hot(X), skdeep.DeepClassifier(random_state=seed, **EMBEDDINGS["PLE"]))
    models["sklearn MLPClassifier on one-hot"] = make_pipeline(
        one_hot(X), MLPClassifier(early_stopping=True, random_state=seed))
    models["HistGradientBoosting"] = HistGradientBoostingClassifier(
        categorical_features="from_dtype", random_state=seed)
    return models


def california_models(X, seed):
    cross = dict(crossed_columns=[("Latitude", "Longitude")], random_state=seed)
    models = {"WideDeepRegressor(lat x lon)": skdeep.WideDeepRegressor(**cross)}
    models.update({f"WideDeepRegressor(lat x lon), {name}": skdeep.WideDeepRegressor(
        **cross, **kwargs) for name, kwargs in EMBEDDINGS.items()})
    models["DeepRegressor() after StandardScaler"] = make_pipeline(
        StandardScaler(), skdeep.DeepRegressor(random_state=seed))
    models["DeepRegressor after StandardScaler, PLE"] = make_pipeline(
        StandardScaler(), skdeep.DeepRegressor(random_state=seed, **EMBEDDINGS["PLE"]))
    models["sklearn MLPRegressor after StandardScaler"] = make_pipeline(
        StandardScaler(), MLPRegressor(early_stopping=True, random_state=seed))
    models["HistGradientBoosting"] = HistGradientBoostingRegressor(random_state=seed)
    return models


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--only", choices=["adult", "california"])
    args = parser.parse_args()
    if args.only != "california":
        run("Adult, raw DataFrame, stratified 80/20", load_adult, adult_models, adult_scores,
            args.seeds, stratify=True)
    if args.only != "adult":
        run("California housing, 75/25", load_california_housing, california_models,
            california_scores, args.seeds, stratify=False)


if __name__ == "__main__":
    main()
