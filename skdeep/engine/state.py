"""The one door to a trained model's state that the trace cache may hold elsewhere.

(Temporary stand-in over :mod:`skdeep.trace_cache` until the engine's own lands.)
"""

from .. import trace_cache


def settle(model):
    """Write the model's pending optimizer state into its variables."""
    trace_cache.settle(model)


def snapshot(model):
    """The model's weights and optimizer state, to :func:`restore` after a failed fit."""
    return [v.numpy() for v in model.variables], trace_cache.optimizer_state(model)


def restore(model, saved):
    weights, optimizer = saved
    for variable, value in zip(model.variables, weights):
        variable.assign(value)
    trace_cache.set_optimizer_state(model, optimizer)
