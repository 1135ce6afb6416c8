"""The PyTorch engine: under Keras's PyTorch backend every fit trains through Keras's ``fit``
(:mod:`skdeep.engine.keras_fit`); predict is the model's call without gradients."""

import contextlib

import torch
from keras import tree

from . import _common


def compiled_epochs_serve(data, epochs, batch_size):
    """Never: skdeep compiles no epochs for PyTorch."""
    return False


def keras_fit_context(model):
    """Nothing to set up around Keras's ``fit`` under PyTorch."""
    return contextlib.nullcontext()


class Predictor(_common.Predictor):
    """The fitted model's forward pass, in chunks (see :class:`skdeep.engine._common.Predictor`),
    without gradients."""

    def _trace(self):
        forward = _common.Forward(self._model, self._structure)

        def call(flat):
            with torch.no_grad():
                return tree.map_structure(_to_numpy, forward(*flat))

        return call


def _to_numpy(tensor):
    # Not through NumPy's __array__: torch's takes no copy argument (NumPy 2 warns).
    tensor = tensor.detach().cpu()
    return (tensor.float() if tensor.dtype == torch.bfloat16 else tensor).numpy()
