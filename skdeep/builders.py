"""Built-in architectures: pure functions from sizes and hyper-parameters to a ``keras.Model``.

They return uncompiled models; the estimators compile them.  Any of them can also be passed as
``model=`` to an estimator, like a user's own builder.
"""

import keras


def _initializer(activation, seed):
    # SELU only self-normalises with LeCun-normal weights (Klambauer et al. 2017).
    name = "lecun_normal" if activation == "selu" else "glorot_uniform"
    return keras.initializers.get({"class_name": name, "config": {"seed": seed}})


def _seed(seed, offset):
    return None if seed is None else seed + offset


def dense_stack(x, hidden_layer_sizes, *, activation="relu", dropout=0.0, batch_norm=False,
                l1=0.0, l2=0.0, seed=None, name="hidden"):
    """Apply the hidden layers of an MLP to the tensor ``x`` and return the last one."""
    regularizer = keras.regularizers.L1L2(l1=l1, l2=l2) if (l1 or l2) else None
    # AlphaDropout keeps SELU's mean and variance; plain dropout would break self-normalisation.
    dropout_layer = keras.layers.AlphaDropout if activation == "selu" else keras.layers.Dropout
    for i, units in enumerate(hidden_layer_sizes):
        x = keras.layers.Dense(
            units,
            kernel_initializer=_initializer(activation, _seed(seed, i)),
            kernel_regularizer=regularizer,
            name=f"{name}_{i}",
        )(x)
        if batch_norm:
            x = keras.layers.BatchNormalization(name=f"{name}_{i}_batch_norm")(x)
        x = keras.layers.Activation(activation, name=f"{name}_{i}_{_label(activation)}")(x)
        if dropout:
            x = dropout_layer(dropout, seed=_seed(seed, 1000 + i), name=f"{name}_{i}_dropout")(x)
    return x


def _label(activation):
    return activation if isinstance(activation, str) else "activation"


def build_mlp(n_features, n_outputs, *, hidden_layer_sizes=(100, 100), activation="relu",
              dropout=0.0, batch_norm=False, l1=0.0, l2=0.0, output_activation=None,
              seed=None):
    """A multi-layer perceptron: ``n_features`` inputs, dense hidden layers, ``n_outputs`` units.

    Parameters
    ----------
    n_features, n_outputs : int
        Input width and number of output units.
    hidden_layer_sizes : sequence of int, default=(100, 100)
        Units of each hidden layer; empty gives a linear (or logistic) model.
    activation : str or callable, default="relu"
        Hidden-layer activation.  ``"selu"`` also switches to LeCun-normal weights and
        AlphaDropout.
    dropout : float, default=0.0
        Dropout rate after each hidden layer.
    batch_norm : bool, default=False
        Batch normalisation between each dense layer and its activation.
    l1, l2 : float, default=0.0
        Weight penalties on the hidden layers' kernels.
    output_activation : str or None, default=None
        Activation of the output layer (None is linear).
    seed : int or None, default=None
        Seed for initialisers and dropout.

    Returns
    -------
    model : keras.Model
        Uncompiled.

    Examples
    --------
    >>> from skdeep.builders import build_mlp
    >>> model = build_mlp(8, 1, hidden_layer_sizes=(30, 30))
    >>> [layer.units for layer in model.layers if hasattr(layer, "units")]
    [30, 30, 1]
    """
    inputs = keras.Input((n_features,), name="features")
    x = dense_stack(inputs, hidden_layer_sizes, activation=activation, dropout=dropout,
                    batch_norm=batch_norm, l1=l1, l2=l2, seed=seed)
    outputs = keras.layers.Dense(n_outputs, activation=output_activation,
                                 kernel_initializer=_initializer(None, seed), name="output")(x)
    return keras.Model(inputs, outputs, name="mlp")


def build_wide_deep(n_wide, n_deep, n_outputs, *, hidden_layer_sizes=(30, 30),
                    activation="relu", dropout=0.0, batch_norm=False, l1=0.0, l2=0.0,
                    output_activation=None, aux_output=False, seed=None):
    """Wide & Deep (Cheng et al. 2016): a linear wide input beside a deep MLP, joined at the output.

    The wide input is concatenated with the last hidden layer of the deep part, then one dense
    layer gives the output, as in the reference notes' ``concatenate([input_A, hidden2])``.
    With ``aux_output``, a second head on the deep part alone is added (the notes'
    regularising auxiliary output); the main head comes first.

    Parameters
    ----------
    n_wide, n_deep : int
        Widths of the wide and deep inputs (``n_wide`` may be 0: deep only).
    n_outputs : int
        Units of each head.
    hidden_layer_sizes, activation, dropout, batch_norm, l1, l2, seed
        As in :func:`build_mlp`, for the deep part.
    output_activation : str or None, default=None
        Activation of the heads.
    aux_output : bool, default=False
        Add the auxiliary head.

    Returns
    -------
    model : keras.Model
        Uncompiled, with inputs ``[wide, deep]`` and outputs ``main`` (and ``aux``).

    Examples
    --------
    >>> from skdeep.builders import build_wide_deep
    >>> model = build_wide_deep(5, 6, 1, aux_output=True)
    >>> [t.name for t in model.inputs], model.output_names
    (['wide', 'deep'], ['main', 'aux'])
    """
    wide = keras.Input((n_wide,), name="wide")
    deep = keras.Input((n_deep,), name="deep")
    hidden = dense_stack(deep, hidden_layer_sizes, activation=activation, dropout=dropout,
                         batch_norm=batch_norm, l1=l1, l2=l2, seed=seed, name="deep")
    joined = keras.layers.Concatenate(name="wide_and_deep")([wide, hidden]) if n_wide else hidden
    head = dict(activation=output_activation, kernel_initializer=_initializer(None, seed))
    outputs = [keras.layers.Dense(n_outputs, name="main", **head)(joined)]
    if aux_output:
        outputs.append(keras.layers.Dense(n_outputs, name="aux", **head)(hidden))
    return keras.Model([wide, deep], outputs, name="wide_deep")
