"""Built-in architectures: pure functions from sizes and hyper-parameters to a ``keras.Model``.

They return uncompiled models; the estimators compile them.  Any of them can also be passed as
``model=`` to an estimator, like a user's own builder.
"""

import keras

from .ensembles import EnsembleAdapter, EnsembleDense, EnsembleNetwork


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


def build_mlp(input_shape, n_outputs, *, hidden_layer_sizes=(100, 100), activation="relu",
              dropout=0.0, batch_norm=False, l1=0.0, l2=0.0, output_activation=None,
              numeric_embedding=None, ensemble_size=1, seed=None):
    """A multi-layer perceptron: ``n_features`` inputs, dense hidden layers, ``n_outputs`` units.

    Parameters
    ----------
    input_shape : int or tuple of int
        Input width, or the shape of one sample (images, sequences: flattened first).
    n_outputs : int or list of (int, str or None)
        Number of output units; or one ``(units, activation)`` pair per output head.
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
        Activation of the output layer (None is linear), when ``n_outputs`` is an int.
    numeric_embedding : keras.layers.Layer or None, default=None
        A layer embedding each input feature before the hidden layers, such as
        :class:`skdeep.layers.PeriodicEmbedding` (for a table: ``input_shape`` is an int).
    ensemble_size : int, default=1
        Members of an efficient ensemble (TabM-mini, :mod:`skdeep.ensembles`): above 1, the
        hidden layers are shared by ``ensemble_size`` members, each with its own input
        adapter and output layer, and the model is an
        :class:`~skdeep.ensembles.EnsembleNetwork`.
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
    shape = (input_shape,) if isinstance(input_shape, int) else tuple(input_shape)
    inputs = keras.Input(shape, name="features")
    x = keras.layers.Flatten(name="flatten")(inputs) if len(shape) > 1 else inputs
    if numeric_embedding is not None:
        x = numeric_embedding(x)
    x = _ensemble_adapter(x, ensemble_size, seed, "ensemble_adapter")
    x = dense_stack(x, hidden_layer_sizes, activation=activation, dropout=dropout,
                    batch_norm=batch_norm, l1=l1, l2=l2, seed=seed)
    heads = [(n_outputs, output_activation)] if isinstance(n_outputs, int) else n_outputs
    outputs = [
        _output_layer(units, ensemble_size, seed, activation=activation_,
                      name="output" if len(heads) == 1 else f"output_{j}")(x)
        for j, (units, activation_) in enumerate(heads)
    ]
    return _network(ensemble_size)(inputs, outputs[0] if len(heads) == 1 else outputs,
                                   name="mlp")


def _ensemble_adapter(x, ensemble_size, seed, name):
    if ensemble_size == 1:
        return x
    return EnsembleAdapter(ensemble_size, seed=_seed(seed, 4000), name=name)(x)


def _output_dtype():
    """float32 outputs under a mixed-precision policy (a float16 softmax or loss is
    unstable); under any other, the policy's own (None: a float64 model stays float64)."""
    return "float32" if keras.config.dtype_policy().name.startswith("mixed") else None


def _output_layer(units, ensemble_size, seed, dtype="output", **kwargs):
    """A network's output layer; ``dtype="output"``: :func:`_output_dtype`'s."""
    dtype = _output_dtype() if dtype == "output" else dtype
    if ensemble_size == 1:
        return keras.layers.Dense(units, dtype=dtype, kernel_initializer=_initializer(None, seed),
                                  **kwargs)
    return EnsembleDense(units, dtype=dtype, seed=_seed(seed, 5000), **kwargs)


def _network(ensemble_size):
    return keras.Model if ensemble_size == 1 else EnsembleNetwork


def build_wide_deep(n_wide, n_deep, n_outputs, *, wide_id_sizes=(), deep_vocabulary_sizes=(),
                    embedding_dims=(), hidden_layer_sizes=(30, 30), activation="relu",
                    dropout=0.0, batch_norm=False, l1=0.0, l2=0.0, output_activation=None,
                    aux_output=False, numeric_embedding=None, ensemble_size=1, seed=None):
    """Wide & Deep (Cheng et al. 2016): a linear model beside an MLP, summed at the output.

    The wide part is linear: a weight per wide numeric column and, for categorical columns
    and crosses given as indices into one table (``wide_ids``), a weight per category, which
    is a linear model over their one-hot encoding.  The deep part embeds each categorical
    column, concatenates the embeddings with the deep numeric columns and runs the MLP.  The
    output is the sum of both parts' logits through ``output_activation``, the paper's
    ``sigmoid(w_wide . [x, cross(x)] + w_deep . a + b)``.  Layers of the wide part are named
    ``wide_*`` and of the deep part ``deep_*``, so each part can have its own optimizer.
    With no hidden layers there is no deep part (wide only); with no wide columns, no wide
    part (deep only).  With ``aux_output``, a second head on the deep part alone is added
    (an auxiliary output that regularises the deep part); the main head comes first.

    Parameters
    ----------
    n_wide, n_deep : int
        Numeric columns of the ``wide`` and ``deep`` float inputs (either may be 0).
    n_outputs : int
        Units of each head.
    wide_id_sizes : sequence of int, default=()
        Categories of each column of the ``wide_ids`` input, whose indices are already
        offset into one table of ``sum(wide_id_sizes)`` rows.
    deep_vocabulary_sizes, embedding_dims : sequences of int, default=()
        Categories and embedding width of each column of the ``deep_ids`` input.
    hidden_layer_sizes, activation, dropout, batch_norm, l1, l2, seed
        As in :func:`build_mlp`, for the deep part.
    output_activation : str or None, default=None
        Activation of the heads.
    aux_output : bool, default=False
        Add the auxiliary head (needs a deep part).
    numeric_embedding : keras.layers.Layer or None, default=None
        A layer embedding each deep numeric column (see :func:`build_mlp`); name it
        ``deep_*`` to train it with the deep part's optimizer.
    ensemble_size : int, default=1
        Members of an efficient ensemble of the deep part (see :func:`build_mlp`); the wide
        part is shared by every member.  A model with no deep part has one member.

    Returns
    -------
    model : keras.Model
        Uncompiled, with inputs ``[wide, deep]``, followed by ``[wide_ids, deep_ids]`` when
        there are categorical columns or crosses, and outputs ``main`` (and ``aux``).

    Examples
    --------
    >>> from skdeep.builders import build_wide_deep
    >>> model = build_wide_deep(5, 6, 1, aux_output=True)
    >>> [t.name for t in model.inputs], model.output_names
    (['wide', 'deep'], ['main', 'aux'])
    >>> model = build_wide_deep(2, 3, 1, wide_id_sizes=[4, 9], deep_vocabulary_sizes=[4],
    ...                         embedding_dims=[3])
    >>> [t.name for t in model.inputs]
    ['wide', 'deep', 'wide_ids', 'deep_ids']
    """
    with_ids = bool(len(wide_id_sizes) or len(deep_vocabulary_sizes))
    inputs = [keras.Input((n_wide,), name="wide"), keras.Input((n_deep,), name="deep")]
    if with_ids:
        inputs += [keras.Input((len(wide_id_sizes),), dtype="int32", name="wide_ids"),
                   keras.Input((len(deep_vocabulary_sizes),), dtype="int32", name="deep_ids")]
    init = _initializer(None, seed)
    logits = []
    wide_part = bool(n_wide or len(wide_id_sizes))
    if wide_part:
        # Also with no numeric columns (a zero-width input): its bias is the wide part's b.
        logits.append(keras.layers.Dense(n_outputs, kernel_initializer=init,
                                         name="wide_linear")(inputs[0]))
    if len(wide_id_sizes):
        # A one-hot linear model as a lookup: one weight row per category, summed per sample.
        table = keras.layers.Embedding(sum(wide_id_sizes), n_outputs,
                                       embeddings_initializer="zeros", name="wide_categories")
        logits.append(keras.ops.sum(table(inputs[2]), axis=1))
    hidden = None
    if len(hidden_layer_sizes) and (n_deep or len(deep_vocabulary_sizes)):
        numeric = inputs[1] if numeric_embedding is None else numeric_embedding(inputs[1])
        parts = [numeric] if n_deep else []
        for i, (size, dim) in enumerate(zip(deep_vocabulary_sizes, embedding_dims)):
            embedding = keras.layers.Embedding(
                size, dim, embeddings_initializer=keras.initializers.RandomUniform(
                    -0.05, 0.05, seed=_seed(seed, 2000 + i)), name=f"deep_embedding_{i}")
            parts.append(keras.layers.Flatten(name=f"deep_embedding_{i}_flat")(
                embedding(inputs[3][:, i : i + 1])))
        joined = keras.layers.Concatenate(name="deep_inputs")(parts) if len(parts) > 1 \
            else parts[0]
        joined = _ensemble_adapter(joined, ensemble_size, seed, "deep_ensemble_adapter")
        hidden = dense_stack(joined, hidden_layer_sizes, activation=activation, dropout=dropout,
                             batch_norm=batch_norm, l1=l1, l2=l2, seed=seed, name="deep")
        logits.append(_output_layer(n_outputs, ensemble_size, seed, use_bias=not wide_part,
                                    dtype=None, name="deep_logits")(hidden))
        if ensemble_size > 1 and wide_part:
            # (batch, n_outputs) -> (batch, 1, n_outputs): every member adds the same wide part.
            logits[:-1] = [keras.layers.Reshape((1, n_outputs), name=f"wide_logits_{i}")(t)
                           for i, t in enumerate(logits[:-1])]
    else:
        ensemble_size = 1  # a linear model alone: its members would all train alike
    if not logits:
        raise ValueError("build_wide_deep needs a wide part (wide columns or ids) or a deep "
                         "part (hidden layers and deep columns); got neither.")
    total = keras.layers.Add(name="wide_plus_deep")(logits) if len(logits) > 1 else logits[0]
    outputs = [keras.layers.Activation(output_activation or "linear", dtype=_output_dtype(),
                                       name="main")(total)]
    if aux_output:
        if hidden is None:
            raise ValueError("aux_output needs a deep part: hidden layers and deep columns.")
        outputs.append(_output_layer(n_outputs, ensemble_size, seed,
                                     activation=output_activation, name="aux")(hidden))
    return _network(ensemble_size)(inputs, outputs, name="wide_deep")
