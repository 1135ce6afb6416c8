"""The README's quick start runs as written, and gets the scores it claims."""

import re
from pathlib import Path

README = Path(__file__).parent.parent / "README.md"


def test_the_quick_start_runs_as_written():
    text = README.read_text()
    quick_start = text[text.index("## Quick start"):text.index("## What is in the box")]
    blocks = re.findall(r"```python\n(.*?)```", quick_start, re.S)
    assert len(blocks) == 2
    namespace = {}
    for block in blocks:  # the second continues the first, as a reader would run them
        exec(compile(block, str(README), "exec"), namespace)
    X_test, y_test = namespace["X_test"], namespace["y_test"]
    assert namespace["model"].score(X_test, y_test) > 0.75  # "about 0.80"
    search = namespace["search"]
    assert search.best_estimator_.score(namespace["scaler"].transform(X_test), y_test) > 0.65
    assert min(search.cv_results_["mean_test_score"]) > -5  # no candidate diverges unseen
