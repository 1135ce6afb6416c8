"""The docs stay true: reference pages match the docstrings, migration examples run."""

import importlib.util
import re
import sys

import pytest
from pathlib import Path

import keras
import numpy as np
from scipy.stats import reciprocal
from sklearn.model_selection import RandomizedSearchCV

DOCS = Path(__file__).parent.parent / "docs"


@pytest.mark.slow
def test_reference_pages_match_the_docstrings(monkeypatch):
    # ``python docs/build.py --check``, in this process: a subprocess would spend its time
    # importing TensorFlow again.
    spec = importlib.util.spec_from_file_location("docs_build", DOCS / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    monkeypatch.setattr(sys, "argv", ["build.py", "--check"])
    build.main()  # exits with the stale pages' names if any


@pytest.mark.slow
def test_migration_examples_run_as_written(california):
    X_train, y_train, X_valid, y_valid = california
    text = (DOCS / "migrating.md").read_text()
    blocks = re.findall(r"After[^\n]*:\n\n```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 3
    blocks, wrappers = blocks[:2], blocks[2]
    builder = re.search(r"```python\nfrom scikeras.*?\n(def build_model.*?return model\n)",
                        text, flags=re.S).group(1)
    for block in blocks:
        namespace = {"keras": keras, "np": np, "reciprocal": reciprocal,
                     "RandomizedSearchCV": RandomizedSearchCV, "X_train": X_train[:600],
                     "y_train": y_train[:600], "X_valid": X_valid, "y_valid": y_valid}
        exec(builder, namespace)
        exec(block, namespace)
        fitted = namespace.get("search") or namespace["keras_reg"]
        assert fitted.score(X_valid, y_valid) > 0.3


def test_keras_wrappers_migration_runs_as_written(adult):
    X_train, y_train, X_test, y_test = adult
    text = (DOCS / "migrating.md").read_text()
    section = text[text.index("## From Keras 3's `keras.wrappers`"):]
    builder = re.search(r"```python\nfrom keras.wrappers.*?\n(def dynamic_model.*?return model\n)",
                        section, flags=re.S).group(1)
    after = re.search(r"After[^\n]*:\n\n```python\n(.*?)```", section, flags=re.S).group(1)
    namespace = {"keras": keras, "np": np, "X_train": X_train[:1500], "y_train": y_train[:1500]}
    exec(builder, namespace)
    exec(after, namespace)
    assert namespace["clf"].score(X_test, y_test) > 0.75
