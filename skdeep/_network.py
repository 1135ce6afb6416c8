"""Model assembly: the ``model`` parameter made into a compiled Keras model for one fit.

Three sources, one result: a prebuilt ``keras.Model`` (cloned: fits never train the user's
object), a builder function (called with the arguments it names: parameters, ``meta``,
``compile_kwargs``, ``params``, ``X``, ``y``), or the built-in network of the estimator's
input strategy.  A model that is not compiled yet compiles with the estimator's optimizer,
loss and metrics, one loss for each head unless given per head.
"""

import inspect

import keras

from .compat import fresh_keras_names
from .keras_objects import call_builder, clone_prebuilt, instantiate, make_loss, make_optimizer
from .routing import LazyValues, builder_arguments, routed, to_python
from .runtime import dtype_policy, keras_jit_compile


def assemble(estimator, call, meta, seed, train, inputs, targets, fitted):
    """The compiled model of one fit from scratch.

    Parameters
    ----------
    estimator : BaseDeepEstimator
        Whose ``model`` parameter (and builder) to use.
    call : skdeep._settings.FitCall
        The fit's settings.
    meta : dict
        What the builder's ``meta`` holds.
    seed : int
        The fit's seed, for the built-in network's initial weights.
    train : tuple
        The training rows ``(X, y, sample_weight)``, validated.
    inputs, targets : input and target strategies
        What builds the built-in network, and the default loss and output layer.
    fitted : mapping
        The target's fitted state (for the one-hot y a ``fn(X, y)`` builder is given).
    """
    params = call.params
    with dtype_policy(params["mixed_precision"]), fresh_keras_names():
        # Made when asked for: a builder that compiles its own model needs no optimizer
        # from the estimator's parameters (each costs a fit a few milliseconds).
        special = LazyValues(
            meta=lambda: meta,
            compile_kwargs=lambda: compile_kwargs(estimator, params, meta, inputs, targets),
            params=lambda: dict(params), X=lambda: train[0],
            y=lambda: targets.builder_y(train[1], fitted))
        builder = estimator._builder()
        if isinstance(params["model"], keras.Model):
            model = clone_prebuilt(params["model"])
        elif builder is None:
            model = inputs.default_network(meta, targets.output_spec(meta, params), seed,
                                           train[0], special["y"], train[2], params)
        else:
            defaults = {name: p.default for name, p in
                        inspect.signature(type(estimator).__init__).parameters.items()}
            arguments = builder_arguments(builder, params, defaults,
                                          estimator._extra_param_names(), special)
            model = call_builder(builder, arguments)
        if not getattr(model, "compiled", False):
            model.compile(**per_head(model, targets.compile_for(
                model, special["compile_kwargs"], params, estimator._extra_params, fitted),
                inputs, params))
        elif params["run_eagerly"]:  # a model the builder compiled
            model.jit_compile, model.run_eagerly = False, True
    return model


def compile_kwargs(estimator, params, meta, inputs, targets):
    """``model.compile``'s arguments from the estimator's parameters (what a builder's
    ``compile_kwargs`` is)."""
    extra = estimator._extra_params
    metrics = instantiate(params["metrics"], routed(extra, "metrics"), "metrics") \
        if params["metrics"] is not None else []
    # Keras takes a list of metrics, or a dict of lists by output name.
    if isinstance(metrics, dict):
        metrics = {k: list(v) if isinstance(v, (list, tuple)) else [v]
                   for k, v in metrics.items()}
    elif not isinstance(metrics, (list, tuple)):
        metrics = [metrics]
    # Keras runs eagerly only without XLA (it would turn jit_compile off, warning).
    jit_compile = False if params["run_eagerly"] else keras_jit_compile(params["jit_compile"])
    optimizer_kwargs = routed(extra, "optimizer")
    if params["learning_rate"] is not None:
        optimizer_kwargs["learning_rate"] = to_python(params["learning_rate"])
    optimizer = inputs.optimizer(make_optimizer(params["optimizer"], optimizer_kwargs),
                                 params, extra)
    loss = params["loss"] if params["loss"] is not None else targets.default_loss(meta, params)
    kwargs = {"optimizer": optimizer, "loss": make_loss(loss, routed(extra, "loss")),
              "metrics": metrics, "jit_compile": jit_compile}
    if params["run_eagerly"]:
        kwargs["run_eagerly"] = True
    if params["loss_weights"] is not None:
        kwargs["loss_weights"] = to_python(params["loss_weights"])
    return kwargs


def per_head(model, kwargs, inputs, params):
    """Compile arguments fitted to the model's heads: the same loss for each head, unless
    the loss is given per head; then what the inputs built asks (Wide & Deep's auxiliary
    head's weight)."""
    n_heads = len(model.outputs)
    if n_heads > 1 and not isinstance(kwargs["loss"], (dict, list)):
        metrics = kwargs["metrics"]
        kwargs = {**kwargs, "loss": [kwargs["loss"]] * n_heads,
                  "metrics": metrics if isinstance(metrics, dict)
                  else [metrics] + [[]] * (n_heads - 1)}
    return inputs.compile_for(model, kwargs, params)
