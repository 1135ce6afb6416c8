"""Tabular recipes at their defaults and with numeric embeddings, against scikit-learn.

Adult (raw DataFrame, stratified 80/20) and California (75/25), the splits and scores of
``benchmarks/wide_deep.py``: skdeep's estimators as a user leaves them, each default
ingredient changed alone (the ablation), the best recipe found, scikit-learn's MLP on the same
one-hot or scaled input, and HistGradientBoosting.  Each seed changes the split and the
models' seeds.

Run: python benchmarks/tabular.py [--seeds 3] [--only adult|california] [--quick]
"""

import argparse
import functools

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skdeep.datasets import load_adult, load_california_housing
from wide_deep import adult_scores, california_scores, run

def one_hot(X):
    numeric = X.select_dtypes("number").columns
    return make_column_transformer(
        (StandardScaler(), numeric),
        (OneHotEncoder(handle_unknown="ignore", min_frequency=10, sparse_output=False),
         X.columns.difference(numeric)))


# What each ingredient of the defaults adds: the defaults, then each changed alone.
ABLATIONS = {
    "": {},
    ", no numeric embedding": dict(numeric_embedding=None),
    ", no ensemble": dict(ensemble_size=1),
    ", no early stopping": dict(early_stopping=False),
    ", piecewise-linear embedding": dict(numeric_embedding="piecewise_linear"),
}


# --quick leaves these out (on Adult without early stopping a fit takes minutes).
SLOW_ABLATIONS = (", no early stopping", ", piecewise-linear embedding")


def adult_models(X, seed, quick=False):
    models = {f"WideDeepClassifier(){name}": skdeep.WideDeepClassifier(
        random_state=seed, **kwargs) for name, kwargs in ABLATIONS.items()
        if not (quick and name in SLOW_ABLATIONS)}
    models["DeepClassifier() on one-hot"] = make_pipeline(
        one_hot(X), skdeep.DeepClassifier(random_state=seed))
    models["DeepClassifier() on one-hot, no numeric embedding"] = make_pipeline(
        one_hot(X), skdeep.DeepClassifier(random_state=seed, numeric_embedding=None))
    models["sklearn MLPClassifier on one-hot"] = make_pipeline(
        one_hot(X), MLPClassifier(early_stopping=True, random_state=seed))
    models["HistGradientBoosting"] = HistGradientBoostingClassifier(
        categorical_features="from_dtype", random_state=seed)
    return models


def california_models(X, seed, quick=False):
    cross = dict(crossed_columns=[("Latitude", "Longitude")], random_state=seed)
    models = {f"WideDeepRegressor(lat x lon){name}": skdeep.WideDeepRegressor(
        **cross, **kwargs) for name, kwargs in ABLATIONS.items()
        if not (quick and name in SLOW_ABLATIONS)}
    models["WideDeepRegressor(lat x lon), piecewise-linear, 8 members"] = \
        skdeep.WideDeepRegressor(**cross, numeric_embedding="piecewise_linear", ensemble_size=8)
    models["DeepRegressor() after StandardScaler"] = make_pipeline(
        StandardScaler(), skdeep.DeepRegressor(random_state=seed))
    models["DeepRegressor() after StandardScaler, no numeric embedding"] = make_pipeline(
        StandardScaler(), skdeep.DeepRegressor(random_state=seed, numeric_embedding=None))
    models["sklearn MLPRegressor after StandardScaler"] = make_pipeline(
        StandardScaler(), MLPRegressor(early_stopping=True, random_state=seed))
    models["HistGradientBoosting"] = HistGradientBoostingRegressor(random_state=seed)
    return models


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--only", choices=["adult", "california"])
    parser.add_argument("--quick", action="store_true",
                        help="leave out the ablations without early stopping and with the "
                             "piecewise-linear embedding")
    args = parser.parse_args()
    if args.only != "california":
        run("Adult, raw DataFrame, stratified 80/20", load_adult,
            functools.partial(adult_models, quick=args.quick), adult_scores, args.seeds,
            stratify=True)
    if args.only != "adult":
        run("California housing, 75/25", load_california_housing,
            functools.partial(california_models, quick=args.quick), california_scores,
            args.seeds, stratify=False)


if __name__ == "__main__":
    main()
