"""Every public class, function and method documents each of its parameters, and only those.

As scikit-learn's ``check_docstring_parameters``: for each object in ``skdeep.__all__`` and
each public method skdeep defines on a public class, the names in the signature (keyword-only
ones included; ``self`` left out; ``*args`` and ``**kwargs`` spelled with their stars) must
be the names the numpydoc "Parameters" section documents (``name : type`` lines, and
``a, b : type`` groups).  A failure lists, per object, the parameters it leaves undocumented
and the documented names it does not take.
"""

import ast
import inspect
import re

import pytest

import skdeep

# ------------------------------------------------------------------ numpydoc parsing


def section(doc, title):
    """The lines of a numpydoc section (``title`` underlined with dashes), dedented; [] if
    the docstring has none."""
    lines = inspect.cleandoc(doc or "").splitlines()
    for i in range(len(lines) - 1):
        if lines[i].strip() == title and re.fullmatch(r"-{3,}", lines[i + 1].strip()):
            start = i + 2
            break
    else:
        return []
    end = start
    while end < len(lines):
        # The next section: a title underlined with dashes.
        if end + 1 < len(lines) and lines[end].strip() and \
                re.fullmatch(r"-{3,}", lines[end + 1].strip()):
            break
        end += 1
    body = lines[start:end]
    indent = min((len(line) - len(line.lstrip()) for line in body if line.strip()), default=0)
    return [line[indent:] for line in body]


def documented_parameters(doc):
    """The names the Parameters section documents, in order (repeats kept)."""
    names = []
    for line in section(doc, "Parameters"):
        if not line.strip() or line[0].isspace():
            continue  # a description line
        head = line.split(" : ")[0]
        names += [name.strip() for name in head.split(",") if name.strip()]
    return names


def signature_parameters(function, *, bound):
    """The parameter names of ``function`` as numpydoc writes them (``*args``,
    ``**kwargs``); ``bound``: leave out the first parameter (``self`` or ``cls``)."""
    parameters = list(inspect.signature(function).parameters.values())
    if bound:
        parameters = parameters[1:]
    prefix = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}
    return [prefix.get(p.kind, "") + p.name for p in parameters]


def problems(documented, expected):
    """What is wrong with the documented names, or "" when they are the expected ones."""
    missing = [name for name in expected if name not in documented]
    extra = [name for name in documented if name not in expected]
    twice = sorted({name for name in documented if documented.count(name) > 1})
    found = [f"{what} {names}" for what, names in
             (("undocumented:", missing), ("documented but not a parameter:", extra),
              ("documented twice:", twice)) if names]
    return "; ".join(found)


# ------------------------------------------------------------------ what is checked


def public_objects():
    """(id, object, docstring owner, expected names) for everything checked."""
    cases = []
    for name in skdeep.__all__:
        obj = getattr(skdeep, name)
        if not callable(obj):
            continue  # __version__
        cases.append((name, obj, signature_parameters(obj, bound=False)))
        if inspect.isclass(obj):
            for method_name, method, bound in public_methods(obj):
                cases.append((f"{name}.{method_name}", method,
                              signature_parameters(method, bound=bound)))
    return cases


def public_methods(cls):
    """The public methods skdeep defines on ``cls`` or its bases: (name, function, bound).

    Methods inherited unchanged from scikit-learn or from ``dict`` (``get_metadata_routing``,
    ``keys``) are theirs to document; properties take no parameters."""
    seen = set()
    for klass in cls.__mro__:
        for name, raw in vars(klass).items():
            if name.startswith("_") or name in seen:
                continue
            seen.add(name)
            bound = not isinstance(raw, staticmethod)
            function = raw.__func__ if isinstance(raw, (staticmethod, classmethod)) else raw
            if inspect.isfunction(function) and function.__module__.startswith("skdeep"):
                yield name, function, bound


CASES = public_objects()


def test_the_public_api_is_all_checked():
    names = {case[0] for case in CASES}
    for expected in ("DeepRegressor", "DeepClassifier", "WideDeepRegressor",
                     "WideDeepClassifier", "SliceDict", "load", "plot_history",
                     "DeepRegressor.fit", "DeepRegressor.partial_fit", "DeepRegressor.predict",
                     "DeepRegressor.score", "DeepRegressor.save", "DeepRegressor.get_params",
                     "DeepRegressor.set_params", "DeepClassifier.predict_proba",
                     "DeepClassifier.partial_fit", "WideDeepClassifier.predict_proba"):
        assert expected in names


@pytest.mark.parametrize("obj, expected", [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_docstring_documents_every_parameter(obj, expected):
    documented = documented_parameters(obj.__doc__)
    found = problems(documented, expected)
    assert not found, found


@pytest.mark.parametrize("cls", [getattr(skdeep, name) for name in skdeep.__all__
                                 if name[0].isupper()])
def test_documented_defaults_are_the_signature_defaults(cls):
    defaults = {name: p.default for name, p in inspect.signature(cls).parameters.items()}
    wrong = []
    for line in section(cls.__doc__, "Parameters"):
        match = re.fullmatch(r"(\S[^:]*) : .*\bdefault=(.+)", line)
        if not match:
            continue
        for name in (n.strip() for n in match.group(1).split(",")):
            documented = ast.literal_eval(match.group(2))
            if defaults[name] != documented:
                wrong.append(f"{name}: documented {documented!r}, is {defaults[name]!r}")
    assert not wrong, f"{cls.__name__}: {wrong}"


@pytest.mark.parametrize("cls", [getattr(skdeep, name) for name in skdeep.__all__
                                 if name[0].isupper()])
def test_parameters_are_described_in_place(cls):
    """No parameter is left to another class's docstring, and no template is left unfilled."""
    parameters = "\n".join(section(cls.__doc__, "Parameters"))
    deferred = re.findall(r"(?i)\b(?:see|as in|every (?:other )?parameter of)\s+"
                          r"(?::class:`~?)?(?:skdeep\.)?(?:Wide)?Deep\w+", parameters)
    assert not deferred, f"{cls.__name__} defers parameters to another class: {deferred}"
    assert not re.search(r"^\s*\{\w+\}\s*$", cls.__doc__, flags=re.M), cls.__name__


# ------------------------------------------------------------------ the checker itself


def test_the_parser_reads_numpydoc_sections():
    def example(a, b, *args, c=1, **kwargs):
        """Summary.

        Parameters
        ----------
        a, b : int
            Two at once: ``x : y`` in a description is not a parameter.
        *args : float
            More.
        c : {"x", "y"}, default=1
            Keyword-only.

            A second paragraph.
        **kwargs
            The rest.

        Returns
        -------
        out : int
        """

    assert documented_parameters(example.__doc__) == ["a", "b", "*args", "c", "**kwargs"]
    assert signature_parameters(example, bound=False) == ["a", "b", "*args", "c", "**kwargs"]
    assert problems(["a", "b"], ["a", "c"]) == \
        "undocumented: ['c']; documented but not a parameter: ['b']"
    assert problems(["a", "a"], ["a"]) == "documented twice: ['a']"
    assert documented_parameters("No sections.") == []
