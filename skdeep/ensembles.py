"""Efficient ensembles: k members sharing one network, trained together (TabM-mini).

Averaging a few independently trained networks is the surest way to a better tabular model,
but costs k fits.  TabM (Gorishniy, Kotelnikov and Babenko, "TabM: Advancing Tabular Deep
Learning with Parameter-Efficient Ensembling", ICLR 2025) gets most of the gain from one
network: each row is copied k times, each copy scaled by its member's own vector (the
adapter, started at random signs so the members differ from the first step), the copies run
through the *shared* hidden layers, and each member has its own output layer.  Training
minimises the mean of the k members' losses, not the loss of their mean (which would let them
collapse into one model); predictions are the members' mean.  The "mini" variant adapts the
input only, the one this module builds: k members cost k times the hidden layers' arithmetic
but one set of weights, and one pass over the data.

:class:`EnsembleNetwork` is a functional ``keras.Model`` whose outputs hold the members,
``(batch, k, units)``: in training it returns them, and its loss and metrics see each member;
called for inference (``predict``, validation, ``model(x)``) it returns their mean,
``(batch, units)``.  It saves, reloads and clones as any functional model.
"""

import keras
import numpy as np
from keras import ops, tree


@keras.saving.register_keras_serializable(package="skdeep")
class EnsembleAdapter(keras.layers.Layer):
    """``(batch, d)`` to ``(batch, k, d)``: ``k`` copies of each row, copy ``i`` scaled
    elementwise by member ``i``'s learned vector, which starts at random signs (TabM-mini)."""

    def __init__(self, k, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.k = int(k)
        self.seed = seed

    def build(self, input_shape):
        signs = np.random.default_rng(self.seed).choice([-1.0, 1.0], (self.k, input_shape[-1]))
        self.scale = self.add_weight(shape=signs.shape, name="scale",
                                     initializer=keras.initializers.Constant(signs))

    def call(self, x):
        return ops.expand_dims(x, 1) * ops.cast(self.scale, x.dtype)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.k, input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "k": self.k, "seed": self.seed}


@keras.saving.register_keras_serializable(package="skdeep")
class EnsembleDense(keras.layers.Layer):
    """A dense layer per member: ``(batch, k, d)`` to ``(batch, k, units)``, member ``i``
    through its own kernel and bias (PyTorch's default initialisation, as TabM's heads)."""

    def __init__(self, units, activation=None, use_bias=True, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.units = int(units)
        self.activation = keras.activations.get(activation)
        self.use_bias = bool(use_bias)
        self.seed = seed

    def build(self, input_shape):
        k, d = input_shape[-2], input_shape[-1]
        bound = 1 / np.sqrt(d)
        init = keras.initializers.RandomUniform(-bound, bound, seed=self.seed)
        self.kernel = self.add_weight(shape=(k, d, self.units), initializer=init, name="kernel")
        self.bias = self.add_weight(shape=(k, self.units), initializer=init, name="bias") \
            if self.use_bias else None

    def call(self, x):
        out = ops.einsum("bkd,kdu->bku", x, ops.cast(self.kernel, x.dtype))
        if self.bias is not None:
            out = out + ops.cast(self.bias, x.dtype)
        return self.activation(out)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "use_bias": self.use_bias,
                "activation": keras.activations.serialize(self.activation), "seed": self.seed}


@keras.saving.register_keras_serializable(package="skdeep")
class EnsembleNetwork(keras.Model):
    """A functional model whose outputs are ``(batch, k, ...)``, one slice per member.

    Trained on the mean of the members' losses and metrics computed on their mean; for
    inference it returns the members' mean.  Build it as a functional model,
    ``EnsembleNetwork(inputs, outputs)``, with every output carrying the member axis second.

    Examples
    --------
    >>> import keras, numpy as np
    >>> from skdeep.ensembles import EnsembleAdapter, EnsembleDense, EnsembleNetwork
    >>> inputs = keras.Input((8,))
    >>> hidden = keras.layers.Dense(16, activation="relu")(EnsembleAdapter(4, seed=0)(inputs))
    >>> model = EnsembleNetwork(inputs, EnsembleDense(1, seed=0)(hidden))
    >>> tuple(model.output.shape), tuple(model(np.zeros((2, 8))).shape)
    ((None, 4, 1), (2, 1))
    """

    def call(self, inputs, training=None, mask=None, **kwargs):
        members = super().call(inputs, training=training, mask=mask, **kwargs)
        return members if training else tree.map_structure(_mean, members)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        if self._per_member(y_pred):
            y = self._per_head(y, y_pred, _as_columns)
            sample_weight = self._per_head(sample_weight, y_pred)
        return super().compute_loss(x, y, y_pred, sample_weight, training=training)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        if self._per_member(y_pred):
            y_pred = tree.map_structure(_mean, y_pred)
        return super().compute_metrics(x, y, y_pred, sample_weight)

    def _per_member(self, y_pred):
        return len(tree.flatten(y_pred)[0].shape) == len(self.outputs[0].shape)

    def _per_head(self, values, y_pred, shaped=lambda v: v):
        """Each head's ``values`` (targets or weights, one per row) repeated per member, in
        the structure Keras's compiled loss takes: one array, a list by head, or a dict by
        output name."""
        if values is None:
            return None
        outputs = dict(zip(self.output_names, tree.flatten(y_pred)))
        if isinstance(values, dict):
            return {name: _repeat(shaped(v), outputs[name]) for name, v in values.items()}
        if isinstance(values, (list, tuple)):
            return [_repeat(shaped(v), out) for v, out in zip(values, outputs.values())]
        return _repeat(shaped(values), tree.flatten(y_pred)[0])


def _mean(members):
    return ops.mean(members, axis=1)


def _as_columns(y):
    # Labels of shape (batch,) are one column: repeated, (batch, k, 1) beside the members'
    # (batch, k, units), as Keras's losses read a (batch,) target beside (batch, units).
    return y if y is None or len(y.shape) != 1 else ops.expand_dims(y, -1)


def _repeat(values, members):
    """``values`` (one per row) repeated for each member of ``members``, ``(batch, k, ...)``."""
    if values is None:
        return None
    values = ops.expand_dims(values, 1)
    return ops.broadcast_to(values, (ops.shape(values)[0], members.shape[1],
                                     *ops.shape(values)[2:]))

