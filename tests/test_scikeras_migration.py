"""Migrating from scikeras: the same builder and parameters work unchanged with skdeep.

Importing scikeras patches Keras for the whole process, so the scikeras side runs in a
subprocess (never imported here) and reports its R² as JSON.  Both sides train on the same
California housing rows and are scored on the same held-out rows.
"""

from skdeep import DeepRegressor  # noqa: I001  (before keras: quiet TF logs)
from skdeep.datasets import load_california_housing

import importlib.util
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from sklearn.metrics import r2_score
from sklearn.preprocessing import StandardScaler

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("scikeras") is None, reason="scikeras is not installed"
)

# The builder, as source: executed here for skdeep and in the subprocess for scikeras.
BUILDER_SOURCE = textwrap.dedent(
    '''
    import keras

    def build_model(hidden_layers=1, layer_size=30, learning_rate=3e-3, meta=None):
        model = keras.Sequential([keras.Input((meta["n_features_in_"],))])
        for _ in range(hidden_layers):
            model.add(keras.layers.Dense(layer_size, activation="relu"))
        model.add(keras.layers.Dense(1))
        model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=learning_rate))
        return model
    '''
)

COMMON = {"epochs": 15, "batch_size": 32, "verbose": 0, "random_state": 0}

# Parameters a scikeras user passes: plain builder arguments (sk_params style), routed
# builder arguments and routed fit/predict arguments.
CONFIGS = {
    "plain_and_routed": {"model__hidden_layers": 2, "layer_size": 20, "learning_rate": 0.01,
                         "predict__batch_size": 256},
    "fit_routed": {"hidden_layers": 1, "model__layer_size": 30, "learning_rate": 0.01,
                   "fit__validation_split": 0.1},
    # learning_rate not given: the builder's own default (3e-3) applies.
    "builder_defaults": {"model__hidden_layers": 2, "layer_size": 30},
}

SCIKERAS_SCRIPT = textwrap.dedent(
    '''
    import json, sys, traceback
    import numpy as np
    from scikeras.wrappers import KerasRegressor
    from sklearn.metrics import r2_score

    exec(sys.argv[1])  # defines build_model
    data = np.load(sys.argv[2])
    common, configs = json.loads(sys.argv[3]), json.loads(sys.argv[4])
    results = {}
    for name, params in configs.items():
        try:
            reg = KerasRegressor(build_model, **common, **params)
            reg.fit(data["X_train"], data["y_train"])
            pred = np.asarray(reg.predict(data["X_test"])).ravel()
            results[name] = {"r2": float(r2_score(data["y_test"], pred))}
        except Exception:
            results[name] = {"error": traceback.format_exc()}
    print(json.dumps(results))
    '''
)


@pytest.fixture(scope="module")
def data():
    X, y = load_california_housing(return_X_y=True)
    # The file is sorted by region: take random rows, or the test rows lie outside the
    # training rows' range (even a linear model scores R² < -20 on rows 1000-1500).  Leave
    # out the few districts with absurd averages (AveOccup up to 1243): one such test row
    # makes any ReLU network's R² hugely negative, whatever library trained it.
    typical = (np.abs(StandardScaler().fit_transform(X)) < 5).all(axis=1)
    X, y = X[typical], y[typical]
    rows = np.random.RandomState(0).permutation(len(X))[:1500]
    train, test = rows[:1000], rows[1000:]
    X_train, y_train, X_test, y_test = X[train], y[train], X[test], y[test]
    scaler = StandardScaler().fit(X_train)
    return {"X_train": scaler.transform(X_train), "y_train": y_train,
            "X_test": scaler.transform(X_test), "y_test": y_test}


@pytest.fixture(scope="module")
def scikeras_scores(data, tmp_path_factory):
    """R² of scikeras's KerasRegressor for every config, from one subprocess."""
    path = tmp_path_factory.mktemp("scikeras") / "data.npz"
    np.savez(path, **data)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    completed = subprocess.run(
        [sys.executable, "-c", SCIKERAS_SCRIPT, BUILDER_SOURCE, str(path),
         json.dumps(COMMON), json.dumps(CONFIGS)],
        capture_output=True, text=True, timeout=300, env=env,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no JSON from the scikeras subprocess:\n{completed.stdout[-2000:]}"
    return json.loads(lines[-1])


def _builder():
    namespace = {}
    exec(BUILDER_SOURCE, namespace)
    return namespace["build_model"]


@pytest.mark.parametrize("config", list(CONFIGS))
@pytest.mark.slow
def test_same_builder_and_params_fit_like_scikeras(config, data, scikeras_scores):
    result = scikeras_scores[config]
    assert "error" not in result, f"scikeras failed on {config}:\n{result.get('error')}"
    scikeras_r2 = result["r2"]
    # The scikeras baseline itself learned something: the comparison means something.
    assert scikeras_r2 > 0.3, scikeras_r2

    reg = DeepRegressor(model=_builder(), **COMMON, **CONFIGS[config])
    reg.fit(data["X_train"], data["y_train"])
    skdeep_r2 = r2_score(data["y_test"], reg.predict(data["X_test"]))

    assert skdeep_r2 > 0.3, skdeep_r2
    assert abs(skdeep_r2 - scikeras_r2) < 0.15, (skdeep_r2, scikeras_r2)


def test_scikeras_never_imported_in_this_process():
    assert "scikeras" not in sys.modules
