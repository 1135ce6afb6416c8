"""The regressors' target strategy (skdeep/numeric_targets.py)."""

import keras
import numpy as np
import pytest

from skdeep.numeric_targets import NumericTargets


def _three_heads():
    inputs = keras.Input((4,))
    hidden = keras.layers.Dense(8, activation="relu")(inputs)
    heads = [keras.layers.Dense(1, name="age")(hidden),
             keras.layers.Dense(3, activation="softmax", name="income")(hidden),
             keras.layers.Dense(1, activation="sigmoid", name="gender")(hidden)]
    model = keras.Model(inputs, heads)
    model.compile(optimizer="adam", loss=["mse", "sparse_categorical_crossentropy",
                                          "binary_crossentropy"])
    return model


def test_numbers_are_learned_and_checked_against_the_fit():
    targets = NumericTargets("DeepRegressor")
    y, learned = targets.validate(np.array([[1, 2], [3, 4]]))
    assert y.dtype == np.float32 and learned == {"n_outputs_": 2, "y_ndim_": 2}
    assert targets.validate(np.ones((3, 2)), fitted=learned)[1] == {}
    with pytest.raises(ValueError, match="y has 1 outputs, but DeepRegressor was fitted with 2"):
        targets.validate(np.ones(3), fitted=learned)
    with pytest.raises(ValueError, match="needs numeric y .* use DeepClassifier"):
        targets.validate(np.array(["a", "b"]))


def test_heads_with_a_classification_loss_learn_whole_number_labels():
    targets = NumericTargets("DeepRegressor")
    y = np.column_stack([np.linspace(20, 60, 6), [0, 1, 2, 0, 1, 2], [0, 1, 0, 1, 0, 1]])
    y, learned = targets.validate(y)
    heads = targets.plan_heads(_three_heads(), y, None, learned)["heads_"]
    assert [h.classifies for h in heads] == [False, True, True]
    assert heads[1].classes.tolist() == [0, 1, 2] and heads[1].encoding == "indices"
    age, income, gender = targets.head_targets(y, {**learned, "heads_": heads})
    assert age.shape == (6, 1) and income.tolist() == [0, 1, 2, 0, 1, 2]
    with pytest.raises(ValueError, match="labels \\[5.0\\] for the output 'income'"):
        targets.head_targets(np.column_stack([y[:, 0], [5] * 6, y[:, 2]]),
                             {**learned, "heads_": heads})


def test_one_output_learns_numbers_whatever_its_loss():
    # An autoencoder, or soft targets under binary cross-entropy: regression all the same.
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(inputs))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    targets = NumericTargets("DeepRegressor")
    y, learned = targets.validate(np.array([0.0, 1.0, 1.0]))
    (head,) = targets.plan_heads(model, y, None, learned)["heads_"]
    assert not head.classifies and head.encoding == "numbers"
