"""The gallery never rots: every gallery example runs in its fast mode and writes its figure."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each runs a whole gallery script

EXAMPLES = Path(__file__).parent.parent / "examples"
GALLERY = {
    "california_search.py": "california_search",
    "wide_deep_three_ways.py": "wide_deep_three_ways",
    "deep_networks.py": "deep_networks",
    "regularization.py": "regularization",
    "adult_callbacks.py": "adult_roc",
    "kfold.py": "kfold",
    "save_and_serve.py": "save_and_serve",
    "images.py": "images",
    "question_answering.py": "question_answering",
    "three_heads.py": "three_heads",
    "adult_recipes.py": "adult_recipes",
}


@pytest.mark.parametrize("script, figure", GALLERY.items())
def test_example_runs_and_draws(script, figure, tmp_path):
    env = {**os.environ, "SKDEEP_EXAMPLES_FAST": "1", "SKDEEP_FIGURES": str(tmp_path)}
    done = subprocess.run([sys.executable, str(EXAMPLES / script)], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / f"{figure}.png").stat().st_size > 5000
    assert done.stderr.strip() == "", done.stderr[-2000:]  # no warnings, no TensorFlow logs


def test_the_gallery_page_shows_every_figure():
    page = (Path(__file__).parent.parent / "docs" / "gallery.md").read_text()
    for script, figure in GALLERY.items():
        assert f"examples/{script}" in page and f"figures/{figure}.png" in page
        assert (Path(__file__).parent.parent / "docs" / "figures" / f"{figure}.png").exists()
