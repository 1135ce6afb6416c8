"""The built-in architectures (skdeep/builders.py): activations, dropout, batch normalization
and weight decay in the estimators' network."""

import pytest

from skdeep import DeepRegressor


@pytest.mark.parametrize("activation", ["selu", "tanh", "elu"])
@pytest.mark.slow
def test_architecture_options(california, activation):
    X, y, X_test, y_test = california
    reg = DeepRegressor(hidden_layer_sizes=(32, 32), activation=activation, dropout=0.1,
                        batch_norm=activation != "selu", l2=1e-4, epochs=15, random_state=0)
    reg.fit(X, y)
    kinds = {type(layer).__name__ for layer in reg.model_.layers}
    assert ("AlphaDropout" in kinds) == (activation == "selu")
    assert ("BatchNormalization" in kinds) == (activation != "selu")
    assert reg.history_["loss"][-1] < reg.history_["loss"][0]
    if activation != "selu":  # AlphaDropout's noise costs a 32-unit net much more accuracy
        assert reg.score(X_test, y_test) > 0.5
