"""Binary classification on the bundled Adult census data: a DeepClassifier in a Pipeline.

Numeric columns are scaled and categorical ones one-hot encoded by a ColumnTransformer; the
network has a sigmoid output trained with binary cross-entropy and early stopping on a
stratified validation split.  Prints accuracy and ROC AUC on a stratified 20% test split,
beside a logistic regression on the same features.

Run: python examples/adult_classification.py
"""

import time

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skdeep.datasets import load_adult


def main():
    X, y = load_adult(return_X_y=True, as_frame=True)
    numeric = X.select_dtypes("number").columns
    categorical = X.columns.difference(numeric)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=42
    )

    def pipeline(model):
        features = make_column_transformer(
            (StandardScaler(), numeric),
            (OneHotEncoder(handle_unknown="ignore", min_frequency=10, sparse_output=False),
             categorical),
        )
        return make_pipeline(features, model)

    models = {
        "DeepClassifier": skdeep.DeepClassifier(
            hidden_layer_sizes=(64, 32), dropout=0.2, batch_size=256, early_stopping=True,
            n_iter_no_change=5, random_state=42,
        ),
        "LogisticRegression": LogisticRegression(max_iter=1000),
    }
    for name, model in models.items():
        start = time.perf_counter()
        fitted = pipeline(model).fit(X_train, y_train)
        elapsed = time.perf_counter() - start
        proba = fitted.predict_proba(X_test)[:, list(fitted.classes_).index(">50K")]
        accuracy = accuracy_score(y_test, fitted.predict(X_test))
        auc = roc_auc_score(y_test == ">50K", proba)
        print(f"{name:<19} accuracy {accuracy:.4f}  ROC AUC {auc:.4f}  fit {elapsed:.1f} s")


if __name__ == "__main__":
    main()
