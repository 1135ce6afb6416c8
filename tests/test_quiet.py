"""Nothing printed: import, a 31-fit search with verbose=0, and predictions stay silent."""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import numpy as np
    import skdeep
    from scipy.stats import reciprocal
    from sklearn.model_selection import RandomizedSearchCV
    from skdeep.datasets import load_california_housing

    X, y = load_california_housing(return_X_y=True)
    X = (X[:600] - X[:600].mean(0)) / X[:600].std(0)
    y = y[:600]
    search = RandomizedSearchCV(
        skdeep.DeepRegressor(epochs=3, early_stopping=True, random_state=0),
        {"hidden_layer_sizes": [(8,), (16, 8)], "learning_rate": reciprocal(1e-4, 1e-2),
         "batch_size": np.arange(16, 64)},
        n_iter=10, cv=3, random_state=0,
    ).fit(X, y)
    for rows in (1, 7, 600):
        search.predict(X[:rows])
    search.best_estimator_.predict(X[:3])
    """
)


def test_import_fit_and_predict_print_nothing():
    env = {"PATH": "/usr/bin:/bin"}  # no TF_CPP_MIN_LOG_LEVEL from the caller
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr == ""
