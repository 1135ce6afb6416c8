"""The reference notes' Wide & Deep network with an auxiliary output, on California housing.

The wide (linear) part reads the first 5 columns, the deep MLP the last 6 (they overlap);
both meet before the output layer.  An auxiliary head on the deep part alone is trained
alongside with loss weight 0.1, as in the notes' multi-output model; ``predict`` returns the
main head.  A plain DeepRegressor with the same hidden layers is the baseline.

Run: python examples/wide_deep_multi_output.py
"""

import time

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep.datasets import load_california_housing


def main():
    X, y = load_california_housing(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=42)
    shared = dict(hidden_layer_sizes=(30, 30), learning_rate=1e-3, early_stopping=True,
                  random_state=42)
    models = {
        "WideDeepRegressor": skdeep.WideDeepRegressor(
            wide_columns=list(X.columns[:5]), deep_columns=list(X.columns[2:]),
            aux_loss_weight=0.1, **shared,
        ),
        "DeepRegressor": skdeep.DeepRegressor(**shared),
    }
    for name, model in models.items():
        # set_output keeps column names through the scaler, so columns are chosen by name.
        pipeline = make_pipeline(StandardScaler().set_output(transform="pandas"), model)
        start = time.perf_counter()
        pipeline.fit(X_train, y_train)
        elapsed = time.perf_counter() - start
        fitted = pipeline[-1]
        print(f"{name:<18} test R^2 {pipeline.score(X_test, y_test):.4f}  "
              f"epochs {fitted.n_iter_} (best {fitted.best_epoch_})  fit {elapsed:.1f} s")
    print("history keys:", sorted(models["WideDeepRegressor"].history_))


if __name__ == "__main__":
    main()
