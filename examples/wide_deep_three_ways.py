"""Wide & Deep three ways, as in Keras tutorials, beside a plain MLP on California housing.

1. every column to both parts; 2. wide = the first 5 columns, deep = the last 6 (they
overlap); 3. the same with an auxiliary output on the deep part alone, trained alongside with
loss weight 0.1 (the tutorials' multi-output model; ``predict`` returns the main head).  Prints
each test RMSE beside a DeepRegressor with the same hidden layers and draws them as bars.

Run: python examples/wide_deep_three_ways.py
"""

import time

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import _gallery
from skdeep.datasets import load_california_housing


def main():
    X, y = load_california_housing(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=42)
    shared = dict(hidden_layer_sizes=(30, 30), epochs=_gallery.epochs(100), early_stopping=True,
                  n_iter_no_change=10, random_state=42)
    first5, last6 = list(X.columns[:5]), list(X.columns[2:])
    models = {
        "plain MLP": make_pipeline(StandardScaler(), skdeep.DeepRegressor(**shared)),
        "W&D, all columns": skdeep.WideDeepRegressor(**shared),
        "W&D, wide 5 / deep 6": skdeep.WideDeepRegressor(wide_columns=first5,
                                                         deep_columns=last6, **shared),
        "W&D + aux output": skdeep.WideDeepRegressor(wide_columns=first5, deep_columns=last6,
                                                     aux_loss_weight=0.1, **shared),
    }
    rmse = {}
    for name, model in models.items():
        start = time.perf_counter()
        model.fit(X_train, y_train)
        rmse[name] = mean_squared_error(y_test, model.predict(X_test)) ** 0.5
        print(f"{name:<22} test RMSE {rmse[name]:.4f}  fit {time.perf_counter() - start:.1f} s")
    print("history of the multi-output model:", sorted(models["W&D + aux output"].history_))
    plt = _gallery.pyplot()
    figure, ax = plt.subplots(figsize=(7, 3.5))
    ax.barh(list(rmse), list(rmse.values()))
    ax.invert_yaxis()
    ax.set(xlabel="test RMSE ($100,000)", title="California: Wide & Deep three ways")
    for i, value in enumerate(rmse.values()):
        ax.text(value, i, f" {value:.3f}", va="center")
    _gallery.save(figure, "wide_deep_three_ways")


if __name__ == "__main__":
    main()
