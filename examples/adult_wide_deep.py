"""Wide & Deep on the raw Adult census table: categories, crosses and two optimizers, no preprocessing.

The DataFrame goes in as loaded: strings and integers.  WideDeepClassifier finds the string
columns, learns their vocabularies in ``fit`` (rare and unseen values share an "other"
bucket), embeds them in the deep part, one-hot encodes them and the education x occupation
cross in the wide part, and trains the wide part with FTRL and the deep part with Adam.
Stratified 80/20 split.  Baselines on the same split: a DeepClassifier MLP after a one-hot
ColumnTransformer, and the tutorials' kind of Wide & Deep, which sees numeric columns
only.  The wide part's largest weights are printed by name.

Run: python examples/adult_wide_deep.py
"""

import time

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
from sklearn.compose import make_column_transformer
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skdeep.datasets import load_adult


def main():
    X, y = load_adult(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=42
    )
    numeric = X.select_dtypes("number").columns
    one_hot = make_column_transformer(
        (StandardScaler(), numeric),
        (OneHotEncoder(handle_unknown="ignore", min_frequency=10, sparse_output=False),
         X.columns.difference(numeric)),
    )
    training = dict(batch_size=64, early_stopping=True, n_iter_no_change=5, random_state=42)
    models = {
        "WideDeepClassifier": skdeep.WideDeepClassifier(
            crossed_columns=[("education", "occupation"), ("age", "gender")], **training),
        "MLP on one-hot": make_pipeline(one_hot, skdeep.DeepClassifier(
            hidden_layer_sizes=(64, 32), **training)),
        "W&D, numeric only": skdeep.WideDeepClassifier(categorical_columns=None, **training),
    }
    for name, model in models.items():
        X_fit, X_eval = X_train, X_test
        if name == "W&D, numeric only":  # the tutorials' Wide & Deep takes numbers only
            X_fit, X_eval = X_train[numeric], X_test[numeric]
        start = time.perf_counter()
        model.fit(X_fit, y_train)
        elapsed = time.perf_counter() - start
        proba = model.predict_proba(X_eval)[:, list(model.classes_).index(">50K")]
        print(f"{name:<19} accuracy {accuracy_score(y_test, model.predict(X_eval)):.4f}  "
              f"ROC AUC {roc_auc_score(y_test == '>50K', proba):.4f}  fit {elapsed:.1f} s")
    coef = models["WideDeepClassifier"].wide_coef_
    print("largest wide weights (log-odds):")
    for feature in sorted(coef, key=lambda f: -abs(coef[f]))[:8]:
        print(f"  {coef[feature]:+.3f}  {feature}")


if __name__ == "__main__":
    main()
