"""What a model learns: several outputs, one-hot targets, categorical losses, mixed heads."""

import keras
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_digits
from sklearn.model_selection import cross_val_score, train_test_split

import skdeep
from skdeep import DeepClassifier, DeepRegressor
from skdeep.datasets import load_adult


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return train_test_split((X / 16).astype(np.float32), y, random_state=0)


def two_heads(meta):
    inputs = keras.Input((meta["n_features_in_"],))
    hidden = keras.layers.Dense(32, activation="relu")(inputs)
    return keras.Model(inputs, [keras.layers.Dense(1, name="value")(hidden),
                                keras.layers.Dense(1, name="rooms")(hidden)])


def test_two_regression_heads_each_learn_their_column(california):
    X, y, X_test, y_test = california
    Y = np.column_stack([y, X[:, 2]])  # house value, and the (scaled) rooms column
    reg = DeepRegressor(model=two_heads, epochs=30, random_state=0).fit(X, Y)
    predicted = reg.predict(X_test)
    assert predicted.shape == (len(X_test), 2)
    assert reg.score(X_test, np.column_stack([y_test, X_test[:, 2]])) > 0.6
    # Each head learned its own column: the rooms head predicts rooms, not values.
    assert np.corrcoef(predicted[:, 1], X_test[:, 2])[0, 1] > 0.9


def test_y_keyed_by_output_names(california):
    X, y, X_test, y_test = california
    by_name = pd.DataFrame({"rooms": X[:, 2], "value": y})  # not in output order
    reg = DeepRegressor(model=two_heads, epochs=20, random_state=0).fit(X, by_name)
    assert [h.name for h in reg.heads_] == ["value", "rooms"]
    np.testing.assert_array_equal(reg.heads_[0].columns, [1])
    predicted = reg.predict(X_test)  # in y's column order: rooms, value
    assert np.corrcoef(predicted[:, 0], X_test[:, 2])[0, 1] > 0.9
    with pytest.raises(ValueError, match=r"missing \['rooms'\], unknown \['size'\]"):
        DeepRegressor(model=two_heads, epochs=1).fit(X, {"value": y, "size": X[:, 2]})


def test_y_that_fits_no_output_layout_is_refused(california):
    X, y, _, _ = california
    with pytest.raises(ValueError, match=r"2 outputs \['value', 'rooms'\] of \[1, 1\] units, but "
                                         r"y has 3 columns"):
        DeepRegressor(model=two_heads, epochs=1).fit(X, np.column_stack([y, y, y]))


def test_one_y_shared_by_an_auxiliary_head(california):
    X, y, X_test, _ = california
    reg = DeepRegressor(model=two_heads, epochs=5, random_state=0).fit(X, y)
    assert all(head.columns is None for head in reg.heads_)
    assert reg.predict(X_test).shape == (len(X_test),)


def test_multiclass_multioutput_like_a_forest(digits):
    X_train, X_test, y_train, y_test = digits
    Y_train = np.column_stack([y_train, np.where(y_train % 2, "odd", "even")])
    Y_test = np.column_stack([y_test, np.where(y_test % 2, "odd", "even")])
    clf = DeepClassifier(hidden_layer_sizes=(64,), epochs=20, random_state=0).fit(X_train, Y_train)
    assert clf.target_type_ == "multiclass-multioutput" and clf.n_classes_ == [10, 2]
    predicted = clf.predict(X_test)
    assert predicted.shape == (len(X_test), 2)
    assert set(predicted[:, 1]) <= {"odd", "even"}
    proba = clf.predict_proba(X_test)
    assert [p.shape for p in proba] == [(len(X_test), 10), (len(X_test), 2)]
    assert (predicted[:, 0] == Y_test[:, 0]).mean() > 0.9
    # score: the share of rows whose every output is right (MultiOutputClassifier's).
    assert clf.score(X_test, Y_test) == pytest.approx(np.all(predicted == Y_test, axis=1).mean())


def softmax_net(meta):
    return keras.Sequential([keras.Input((meta["n_features_in_"],)),
                             keras.layers.Dense(32, activation="relu"),
                             keras.layers.Dense(10, activation="softmax")])


def test_one_hot_y_with_a_softmax_is_multiclass(digits):
    X_train, X_test, y_train, y_test = digits
    one_hot = keras.utils.to_categorical(y_train)
    clf = DeepClassifier(model=softmax_net, loss="categorical_crossentropy", epochs=20,
                         random_state=0).fit(X_train, one_hot)
    assert clf.target_type_ == "multiclass" and clf.target_encoding_ == "onehot"
    predicted = clf.predict(X_test)
    assert predicted.shape == (len(X_test), 10)
    assert (predicted.sum(axis=1) == 1).all()  # one class a row, never all zeros
    assert clf.score(X_test, keras.utils.to_categorical(y_test)) > 0.9


def test_one_hot_y_for_a_softmax_without_a_loss_gets_categorical_cross_entropy(digits):
    # Keras's recipe, to_categorical(y) for a softmax, with the loss left to skdeep.
    X_train, X_test, y_train, y_test = digits
    clf = DeepClassifier(model=softmax_net, epochs=20, random_state=0).fit(
        X_train, keras.utils.to_categorical(y_train))
    assert keras.losses.get(clf.model_.loss) is keras.losses.categorical_crossentropy
    # The type the builder's meta gave; the softmax reads each row as one class.
    assert clf.target_type_ == "multilabel-indicator" and clf.target_encoding_ == "onehot"
    assert clf.score(X_test, keras.utils.to_categorical(y_test)) > 0.9


def compiled_softmax(meta):
    model = softmax_net(meta)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


@pytest.mark.parametrize("make", [
    lambda: DeepClassifier(model=compiled_softmax),
    lambda: DeepClassifier(hidden_layer_sizes=(32,), loss="categorical_crossentropy"),
    lambda: DeepClassifier(model=softmax_net, loss="binary_crossentropy"),
], ids=["builder-compiled", "built-in", "binary-ce-on-softmax"])
def test_categorical_losses_get_one_hot_targets_from_labels(digits, make):
    X_train, X_test, y_train, y_test = digits
    clf = make().set_params(epochs=15, random_state=0).fit(X_train, y_train)
    assert clf.heads_[0].encoding == "onehot"
    assert clf.predict(X_test[:3]).shape == (3,)
    assert clf.score(X_test, y_test) > 0.9


def test_categorical_crossentropy_on_a_binary_target(adult):
    X, y, X_test, y_test = adult
    clf = DeepClassifier(hidden_layer_sizes=(16,), loss="categorical_crossentropy", epochs=5,
                         random_state=0).fit(X, y)
    assert clf.model_.layers[-1].units == 2 and clf.classes_.tolist() == ["<=50K", ">50K"]
    assert clf.score(X_test, y_test) > 0.78


def test_multilabel_stays_multilabel(digits):
    X_train, X_test, y_train, _ = digits
    labels = np.column_stack([y_train % 2, y_train > 4, y_train == 0]).astype(int)
    clf = DeepClassifier(hidden_layer_sizes=(32,), epochs=10, random_state=0).fit(X_train, labels)
    assert clf.target_type_ == "multilabel-indicator"
    assert clf.predict(X_test).shape == (len(X_test), 3)


# ---------------------------------------------------------------------- the notes' three heads


def three_heads(meta, n_income=4):
    """The reference notes' model: age (regression), income bracket (softmax), gender."""
    inputs = keras.Input((meta["n_features_in_"],))
    hidden = keras.layers.Dense(64, activation="relu")(inputs)
    hidden = keras.layers.Dense(32, activation="relu")(hidden)
    model = keras.Model(inputs, [
        keras.layers.Dense(1, name="age")(hidden),
        keras.layers.Dense(n_income, activation="softmax", name="income")(hidden),
        keras.layers.Dense(1, activation="sigmoid", name="gender")(hidden),
    ])
    model.compile(optimizer="adam",
                  loss={"age": "mse", "income": "sparse_categorical_crossentropy",
                        "gender": "binary_crossentropy"},
                  loss_weights={"age": 0.05, "income": 1.0, "gender": 1.0})
    return model


@pytest.fixture(scope="module")
def adult_three_targets():
    X, _ = load_adult(return_X_y=True, as_frame=True)
    X = X.sample(3000, random_state=0)
    features = pd.get_dummies(X[["education", "occupation", "relationship", "marital-status"]])
    features["hours"] = (X["hours-per-week"] - 40) / 12
    hours_bracket = np.digitize(X["capital-gain"] + X["capital-loss"], [1, 3000, 8000])
    y = np.column_stack([X["age"], hours_bracket, X["gender"] == "Male"]).astype(float)
    return train_test_split(features.to_numpy(np.float32), y, random_state=0)


def test_the_notes_three_head_model(adult_three_targets, tmp_path):
    X_train, X_test, y_train, y_test = adult_three_targets
    reg = DeepRegressor(model=three_heads, epochs=15, random_state=0).fit(X_train, y_train)
    assert [(h.name, h.classifies, h.encoding) for h in reg.heads_] == [
        ("age", False, "numbers"), ("income", True, "indices"), ("gender", True, "binary")]
    predicted = reg.predict(X_test)
    # Numbers for the regression head; labels seen in fit for the classification heads.
    assert predicted.shape == (len(X_test), 3) and predicted.dtype == np.float64
    assert set(np.unique(predicted[:, 1])) <= {0.0, 1.0, 2.0, 3.0}
    assert set(np.unique(predicted[:, 2])) <= {0.0, 1.0}
    assert len(np.unique(predicted[:, 0])) > 50
    gender_accuracy = (predicted[:, 2] == y_test[:, 2]).mean()
    assert gender_accuracy > 0.7  # relationship and marital status say a lot
    expected = np.mean([
        1 - ((predicted[:, 0] - y_test[:, 0]) ** 2).sum()
        / ((y_test[:, 0] - y_test[:, 0].mean()) ** 2).sum(),
        (predicted[:, 1] == y_test[:, 1]).mean(), gender_accuracy])
    assert reg.score(X_test, y_test) == pytest.approx(expected)
    reg.save(tmp_path / "three.skdeep")
    np.testing.assert_array_equal(skdeep.load(tmp_path / "three.skdeep").predict(X_test),
                                  predicted)


def test_per_output_losses_through_the_constructor(adult_three_targets):
    X_train, X_test, y_train, _ = adult_three_targets

    def uncompiled(meta):
        model = three_heads(meta)
        return keras.Model(model.inputs, model.outputs)  # drop the builder's compile

    reg = DeepRegressor(model=uncompiled, epochs=3, random_state=0,
                        loss={"age": "huber", "income": "sparse_categorical_crossentropy",
                              "gender": "binary_crossentropy"},
                        loss_weights={"age": 0.05, "income": 1.0, "gender": 1.0},
                        metrics={"gender": "accuracy"}).fit(X_train, y_train)
    assert [h.classifies for h in reg.heads_] == [False, True, True]
    assert "gender_accuracy" in reg.history_
    assert reg.predict(X_test).shape == (len(X_test), 3)


def test_cross_validation_of_a_multi_output_classifier(digits):
    X_train, _, y_train, _ = digits
    Y = np.column_stack([y_train, y_train % 3])
    scores = cross_val_score(DeepClassifier(hidden_layer_sizes=(32,), epochs=10, random_state=0),
                             X_train, Y, cv=3)
    assert scores.mean() > 0.7


def autoencoder(meta):
    inputs = keras.Input((meta["n_features_in_"],))
    code = keras.layers.Dense(3, activation="relu")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(meta["n_features_in_"],
                                                   activation="sigmoid")(code))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


def test_one_output_under_binary_cross_entropy_stays_regression(digits):
    X_train, X_test, _, _ = digits
    reg = DeepRegressor(model=autoencoder, epochs=3, random_state=0).fit(X_train, X_train)
    assert not reg.heads_[0].classifies
    reconstruction = reg.predict(X_test)
    assert reconstruction.shape == X_test.shape and 0 < reconstruction.min() < 1


def test_names_order_y_everywhere_after_fit(california):
    X, y, X_test, y_test = california
    reg = DeepRegressor(model=two_heads, epochs=5, random_state=0)
    reg.fit(X, {"value": y, "rooms": X[:, 2]}, validation_data=(X_test, {
        "rooms": X_test[:, 2], "value": y_test}))
    swapped = {"rooms": X_test[:, 2], "value": y_test}
    assert reg.score(X_test, swapped) == reg.score(X_test, {"value": y_test,
                                                            "rooms": X_test[:, 2]})
    with pytest.raises(ValueError, match=r"keyed by \['value', 'size'\], but DeepRegressor was "
                                         r"fitted on y keyed by \['value', 'rooms'\]"):
        reg.score(X_test, {"value": y_test, "size": X_test[:, 2]})


def test_wrong_output_layouts_for_classifiers(digits):
    X_train, _, y_train, _ = digits
    Y = np.column_stack([y_train, y_train % 2])
    with pytest.raises(ValueError, match="2 columns of labels .* one output per column"):
        DeepClassifier(model=softmax_net, epochs=1).fit(X_train, Y)
    with pytest.raises(ValueError, match="WideDeepClassifier supports binary, multiclass, "
                                         "multilabel-indicator targets; got multiclass-multioutput"):
        skdeep.WideDeepClassifier(epochs=1).fit(X_train, Y)


def test_one_hot_y_for_the_built_in_network_and_class_weights(digits):
    X_train, X_test, y_train, y_test = digits
    one_hot = keras.utils.to_categorical(y_train)
    for loss in (None, "categorical_crossentropy"):
        clf = DeepClassifier(hidden_layer_sizes=(32,), loss=loss, epochs=10,
                             class_weight={c: 1 + (c == 3) for c in range(10)},
                             random_state=0).fit(X_train, one_hot)
        assert clf.target_type_ == "multiclass" and clf.target_encoding_ == "onehot"
        np.testing.assert_allclose(clf.predict_proba(X_test).sum(axis=1), 1, rtol=1e-5)
        assert clf.score(X_test, keras.utils.to_categorical(y_test)) > 0.85
