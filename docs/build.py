"""Write the reference pages in docs/ from the code: one page per estimator and function,
mirrored from their numpydoc docstrings, and the bad-input table from the test-suite's rows.

Run: python docs/build.py            (rewrites the pages)
     python docs/build.py --check    (exits 1 if a page is out of date; the tests run this)
"""

import argparse
import inspect
import sys
import textwrap
import warnings
from pathlib import Path

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
from skdeep import builders, ensembles, layers

DOCS = Path(__file__).parent
METHODS = ("fit", "partial_fit", "predict", "predict_proba", "score", "save")


def _docstring(obj):
    return textwrap.dedent(inspect.getdoc(obj) or "").strip()


def estimator_page(cls):
    # One parameter a line; a parameter's own commas (a tuple default) stay on its line.
    parameters, keyword_only = [], False
    for parameter in inspect.signature(cls).parameters.values():
        if parameter.kind is parameter.KEYWORD_ONLY and not keyword_only:
            parameters.append("*")
            keyword_only = True
        parameters.append(str(parameter))
    parameters = ",\n    ".join(parameters)
    parts = [f"# {cls.__name__}", "", f"`skdeep.{cls.__name__}`", "",
             "```python", f"{cls.__name__}(\n    {parameters},\n)",
             "```", "", "```text", _docstring(cls), "```"]
    for name in METHODS:
        method = getattr(cls, name, None)
        if method is not None:
            parts += ["", f"## {cls.__name__}.{name}{inspect.signature(method)}", "", "```text",
                      _docstring(method), "```"]
    return "\n".join(parts) + "\n"


def functions_page():
    parts = ["# Functions and layers", ""]
    for obj in (skdeep.load, skdeep.plot_history, builders.build_mlp, builders.build_wide_deep,
                layers.PeriodicEmbedding, layers.PiecewiseLinearEmbedding, layers.quantile_bins,
                layers.target_bins, ensembles.EnsembleAdapter, ensembles.EnsembleDense,
                ensembles.EnsembleNetwork):
        parts += [f"## {obj.__module__}.{obj.__name__}{inspect.signature(obj)}", "", "```text",
                  _docstring(obj), "```", ""]
    return "\n".join(parts)


def bad_input_page():
    """Run every row of tests/test_bad_input.py on the first estimator it applies to."""
    import copy

    sys.path.insert(0, str(DOCS.parent / "tests"))
    import test_bad_input as rows

    fitted = {cls: cls(hidden_layer_sizes=(4,), epochs=2, random_state=0).fit(*rows.data(cls))
              for cls in rows.ESTIMATORS}
    lines = ["# Bad input", "",
             "What each estimator does with bad input: the error, raised before anything "
             "changes (a fitted estimator predicts exactly as before), and its message. Every "
             "row is a test in `tests/test_bad_input.py`, run on every estimator it applies "
             "to; the message shown is the first such estimator's. This page is written by "
             "`python docs/build.py`.", "",
             "| bad input | estimators | error | message |", "|---|---|---|---|"]
    for name, kind, call, exception, _ in rows.ROWS:
        applicable = [c for c in rows.ESTIMATORS if rows.applies(kind, c)]
        estimator = copy.deepcopy(fitted[applicable[0]])
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                call(estimator, *rows.data(applicable[0]))
        except exception as error:
            message = str(error).replace("\n", " ").replace("|", "\\|")
        else:
            raise AssertionError(f"the row {name!r} raised nothing")
        who = "all" if len(applicable) == len(rows.ESTIMATORS) else \
            ", ".join(c.__name__ for c in applicable)
        lines.append(f"| {name} | {who} | `{exception.__name__}` | {message} |")
    lines += ["", "Not errors: a regressor fits one sample; categorical values unseen in "
              "training, missing or rare go to Wide & Deep's \"other\" bucket. n-D X (images, "
              "sequences) is refused by every estimator, the built-in networks' and user "
              "builders' alike: flatten it, or use Keras directly. Training that diverges "
              "raises `DivergenceError` (a `ValueError`) with the epoch and a hint; a network "
              "whose output is NaN or infinite for some rows raises `ValueError` at predict."]
    return "\n".join(lines) + "\n"


def pages(with_bad_input):
    result = {f"{name}.md": estimator_page(getattr(skdeep, name))
              for name in skdeep.__all__ if name[0].isupper()}
    result["functions.md"] = functions_page()
    if with_bad_input:
        result["bad_input.md"] = bad_input_page()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    check = parser.parse_args().check
    stale = []
    for name, text in pages(with_bad_input=not check).items():
        path = DOCS / name
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
        else:
            path.write_text(text)
    if stale:
        sys.exit(f"out of date: {stale}; run python docs/build.py")


if __name__ == "__main__":
    main()
