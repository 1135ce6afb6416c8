"""What the gallery's examples share: the fast mode the test-suite uses, and where figures go.

``SKDEEP_EXAMPLES_FAST=1`` cuts epochs and data so that every example runs in seconds (the
tests check that each exits 0 and writes its figure); ``SKDEEP_FIGURES`` chooses the folder
for the PNG files (default: ``examples/figures``).
"""

import os
from pathlib import Path

FAST = os.environ.get("SKDEEP_EXAMPLES_FAST") == "1"


def epochs(full, fast=2):
    return fast if FAST else full


def rows(n_full, n_fast=600):
    return n_fast if FAST else n_full


def digits():
    """scikit-learn's 8x8 digits, stratified 75/25, standardised on the training rows."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=42)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def save(figure, name):
    """Save a matplotlib figure as ``NAME.png`` and say where."""
    folder = Path(os.environ.get("SKDEEP_FIGURES", Path(__file__).parent / "figures"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    figure.savefig(path, dpi=100, bbox_inches="tight")
    print(f"figure: {path}")
    return path


def pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt
