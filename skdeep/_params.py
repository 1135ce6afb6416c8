"""Parameters and the scikit-learn protocol: every skdeep estimator's ``get_params`` /
``set_params`` / clone, with a builder's own parameters and routed ones (``model__units``,
``optimizer__momentum``) beside those ``__init__`` declares.

:class:`ParamsBase` is the estimators' base class for that protocol alone: it reads the
parameters and never trains, predicts or checks them (:mod:`skdeep._settings` does).
"""

import copy
import functools
import inspect

import keras
from sklearn.base import BaseEstimator, clone

from .routing import ROUTES, builder_signature
from .scikeras_hooks import builder_hook

_MODEL_PARAMETER = object()  # _builder's default: the estimator's own model parameter


class ParamsBase(BaseEstimator):
    """scikit-learn's parameter protocol with a builder's and routed parameters.

    A subclass's ``__init__`` stores its declared parameters unchanged and passes
    ``**kwargs`` on: they are kept in ``_extra_params``, where ``get_params``, ``set_params``,
    clone and attribute reads (``est.units``) find them.
    """

    # Prefixes of routed parameters (``optimizer__momentum``); subclasses may add their own.
    _routes = ROUTES

    def __init_subclass__(cls, **kwargs):
        """Give each subclass an ``__init__`` signature holding every parameter it takes.

        scikit-learn reads an estimator's parameters from its ``__init__`` signature.  A
        subclass (or a mixin left of it) declares only the parameters it adds or re-defaults
        and passes the rest on through ``**kwargs``; this merges the declarations along the
        MRO, the most derived first, so none repeats the base's.  A class whose ``__init__``
        takes no ``**kwargs`` declares all its parameters itself, as in scikit-learn: the
        merge stops there (its parents' parameters are set by its own code, not by clone).
        """
        super().__init_subclass__(**kwargs)
        if "__init__" not in cls.__dict__:
            def __init__(self, *args, **kwargs):
                super(cls, self).__init__(*args, **kwargs)

            cls.__init__ = __init__
        else:
            _keep_declared_routes(cls)
        merged = {}
        for klass in cls.__mro__:
            init = klass.__dict__.get("__init__")
            if init is None or klass is object or klass is BaseEstimator:
                continue
            declared = getattr(init, "_declared_signature", None) or inspect.signature(init)
            init._declared_signature = declared
            for name, parameter in declared.parameters.items():
                merged.setdefault(name, parameter)
            if not any(p.kind is inspect.Parameter.VAR_KEYWORD
                       for p in declared.parameters.values()):
                break
        if "args" in merged and merged["args"].kind is inspect.Parameter.VAR_POSITIONAL:
            del merged["args"]
        # self, model, then keyword-only parameters, **kwargs last.
        cls.__init__.__signature__ = inspect.Signature(sorted(merged.values(),
                                                              key=lambda p: p.kind))

    def __getattr__(self, name):
        extra = self.__dict__.get("_extra_params", {})
        if name in extra:
            return extra[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _init_param_names(self):
        """The parameters ``__init__`` declares, sorted, read as scikit-learn reads them (its
        own reader, ``_get_param_names``, is private): without routed and builder ones."""
        declared = inspect.signature(type(self).__init__).parameters.values()
        return sorted(p.name for p in declared
                      if p.name != "self" and p.kind is not p.VAR_KEYWORD)

    def _extra_param_names(self):
        return sorted(self._extra_params)

    def get_params(self, deep=True):
        """Get parameters, including a builder's own and routed (``model__*``, ...) ones.

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of contained estimators, as scikit-learn's
            ``get_params`` does.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        params = super().get_params(deep=deep)
        params.update(self._extra_params)
        return params

    def set_params(self, **params):
        """Set parameters, including a builder's own and routed (``model__*``, ...) ones.

        Routed keys and the named arguments of the ``model`` builder are accepted even when
        they were not given to the constructor, so a search can tune them.

        Parameters
        ----------
        **params
            Parameter names and their new values: the constructor's parameters, routed
            ones (``optimizer__momentum=0.9``) and the ``model`` builder's arguments.

        Returns
        -------
        self : object
            The estimator.
        """
        # A search may set a builder and that builder's arguments in one call.
        builder = self._builder(params["model"]) if "model" in params else self._builder()
        builder_args = builder_signature(builder)[0] if callable(builder) else {}
        extra_ok = set(self._extra_param_names()) | set(builder_args)
        init = set(self._init_param_names())
        for key in list(params):
            routed_key = "__" in key and key.partition("__")[0] in self._routes
            if routed_key or (key not in init and key in extra_ok):
                # A new dict, not an update: a shallow copy of the estimator keeps its own.
                self._extra_params = {**self._extra_params, key: params.pop(key)}
        return super().set_params(**params)

    def __sklearn_clone__(self):
        # A prebuilt keras.Model parameter is shared, not deep-copied: fits never train it
        # (each trains a clone), and Keras's deepcopy of a model warns and is slow.  Built
        # as scikit-learn's clone builds, without touching this estimator's parameters.
        if not isinstance(self.model, keras.Model):
            return super().__sklearn_clone__()
        params = {name: value if name == "model" else clone(value, safe=False)
                  for name, value in self.get_params(deep=False).items()}
        new = type(self)(**params)
        for attribute in ("_metadata_request", "_sklearn_output_config"):
            if attribute in vars(self):
                setattr(new, attribute, copy.deepcopy(vars(self)[attribute]))
        return new

    def _builder(self, model=_MODEL_PARAMETER):
        """The model builder for ``model`` (default: the ``model`` parameter), or None (the
        built-in network, or a prebuilt keras.Model); with no model, the class's
        ``_keras_build_fn`` if it has one (scikeras's hook)."""
        model = self.model if model is _MODEL_PARAMETER else model
        if model is None:
            return builder_hook(self)
        return None if isinstance(model, keras.Model) else model


def _keep_declared_routes(cls):
    """Let ``cls.__init__`` declare routed parameters (``optimizer__learning_rate=0.001``,
    as scikeras's subclasses do) without storing them itself: they are kept with the
    builder's and routed ones, where routing, ``get_params`` and ``clone`` find them."""
    init = cls.__dict__["__init__"]
    declared = inspect.signature(init)
    routes = [name for name in declared.parameters if "__" in name]
    if not routes:
        return

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        bound = declared.bind(self, *args, **kwargs)
        bound.apply_defaults()
        init(self, *args, **kwargs)
        self._extra_params = {**self._extra_params,
                              **{name: bound.arguments[name] for name in routes}}

    __init__._declared_signature = declared
    cls.__init__ = __init__
