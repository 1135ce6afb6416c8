"""Every Python block of the README runs as written, top to bottom, and gets what it claims."""

import re
from pathlib import Path

import pytest

README = Path(__file__).parent.parent / "README.md"


def _quick_start(ns):
    assert ns["model"].score(ns["X_test"], ns["y_test"]) > 0.75  # "about 0.80"


def _builder_search(ns):
    search = ns["search"]
    assert search.best_estimator_.score(ns["scaler"].transform(ns["X_test"]), ns["y_test"]) > 0.65
    assert min(search.cv_results_["mean_test_score"]) > -5  # no candidate diverges unseen


def _halving(ns):
    assert ns["halving"].best_params_["epochs"] == 18  # the survivors trained longest


def _wide_deep(ns):
    assert ns["clf"].score(ns["X_test"], ns["y_test"]) > 0.85  # "about 0.87"
    assert ns["clf"].wide_coef_["education x occupation=Masters|Exec-managerial"] > 0.2


def _dask(ns):
    assert len(ns["grid"].cv_results_["mean_test_score"]) == 2


CLAIMS = [_quick_start, _builder_search, _halving, _wide_deep, _dask]


@pytest.mark.slow
def test_every_python_block_of_the_readme_runs_as_written():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert len(blocks) == len(CLAIMS), "a README block without its check here"
    namespace = {}
    for block, check in zip(blocks, CLAIMS):  # each continues the ones before, as read
        exec(compile(block, str(README), "exec"), namespace)
        check(namespace)
