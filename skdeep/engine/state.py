"""The trained model's state, as the estimator handles it: the one door to it.

A fit that trains through the trace cache leaves its optimizer's slots (moments,
accumulators) pending, outside the model's own variables (see
:mod:`skdeep.engine.trace_cache`).  Code outside the engine reads and writes a model's state
through these functions only, which know where it lives.
"""

from typing import NamedTuple

# settle(model): write a pending optimizer state into the model's own variables, before
# it is saved, pickled or handed to the user.
from .trace_cache import optimizer_state, set_optimizer_state, settle

__all__ = ["Snapshot", "restore", "settle", "snapshot"]


class Snapshot(NamedTuple):
    """A model's weights and optimizer state, as arrays (see :func:`snapshot`)."""

    weights: list
    optimizer: list  # or None: an optimizer with no state yet


def snapshot(model):
    """A copy of ``model``'s weights and optimizer state, pending slots included.

    Parameters
    ----------
    model : keras.Model
        A compiled model.

    Returns
    -------
    snapshot : Snapshot
        What :func:`restore` puts back.
    """
    return Snapshot([v.numpy() for v in model.variables], optimizer_state(model))


def restore(model, snapshot):
    """Put ``model``'s weights and optimizer state back as they were in ``snapshot`` (a
    warm fit that failed leaves the model as it was)."""
    for variable, value in zip(model.variables, snapshot.weights):
        variable.assign(value)
    set_optimizer_state(model, snapshot.optimizer)

