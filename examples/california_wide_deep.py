"""Wide & Deep on California housing with a latitude x longitude cross in the wide part.

House prices depend on *where* a district is, in a way no smooth function of latitude and
longitude captures.  Crossing the two, each cut into quantile bins learned in ``fit``, gives
the wide part one weight per cell of a map grid: it memorises local price levels, while the
deep part generalises over the other columns.  Raw DataFrame in, scaling inside.  Baselines on
the same 75/25 split: a plain DeepRegressor after a StandardScaler, and the Keras tutorials'
Wide & Deep (wide = first 5 columns, deep = last 6, no cross).

Run: python examples/california_wide_deep.py
"""

import time

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep.datasets import load_california_housing


def main():
    X, y = load_california_housing(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=42)
    training = dict(batch_size=64, epochs=200, early_stopping=True, n_iter_no_change=10,
                    random_state=42)
    models = {
        "W&D, lat x lon cross": skdeep.WideDeepRegressor(
            crossed_columns=[("Latitude", "Longitude")], cross_bins=50, min_frequency=1,
            **training),
        "plain MLP": make_pipeline(StandardScaler(), skdeep.DeepRegressor(
            hidden_layer_sizes=(64, 32), **training)),
        "notes' W&D": skdeep.WideDeepRegressor(
            wide_columns=list(X.columns[:5]), deep_columns=list(X.columns[2:]), **training),
    }
    for name, model in models.items():
        start = time.perf_counter()
        model.fit(X_train, y_train)
        elapsed = time.perf_counter() - start
        rmse = mean_squared_error(y_test, model.predict(X_test)) ** 0.5
        print(f"{name:<21} test RMSE {rmse:.4f}  fit {elapsed:.1f} s")
    coef = models["W&D, lat x lon cross"].wide_coef_
    cells = {k: v for k, v in coef.items() if k.startswith("Latitude x Longitude=[")}
    dearest = max(cells, key=cells.get)
    print(f"{len(cells)} map cells in the wide part; the dearest: {dearest} "
          f"(+{cells[dearest]:.2f} x $100,000)")


if __name__ == "__main__":
    main()
