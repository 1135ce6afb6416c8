"""What a model is fed: images and sequences, several named inputs, ``inputs=`` column groups."""

import pickle

import keras
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.model_selection import (
    RandomizedSearchCV,
    cross_val_score,
    train_test_split,
)

import skdeep
from skdeep import DeepClassifier, DeepRegressor, SliceDict


@pytest.fixture(scope="module")
def digits():
    """scikit-learn's 8x8 digits as images (n, 8, 8, 1) in [0, 1]."""
    X, y = load_digits(return_X_y=True)
    return (X / 16).reshape(-1, 8, 8, 1).astype(np.float32), y


def cnn(meta):
    return keras.Sequential([
        keras.Input(meta["X_shape_"][1:]),
        keras.layers.Conv2D(8, 3, activation="relu"),
        keras.layers.Flatten(),
        keras.layers.Dense(meta["n_classes_"], activation="softmax"),
    ])


@pytest.mark.slow
def test_a_cnn_on_images_in_cross_validation(digits):
    X, y = digits
    scores = cross_val_score(DeepClassifier(model=cnn, epochs=8, random_state=0), X, y, cv=3)
    assert scores.mean() > 0.85


def test_the_built_in_network_flattens_images(digits):
    X, y = digits
    X_train, X_test, y_train, y_test = train_test_split(X[:, :, :, 0], y, random_state=0)
    clf = DeepClassifier(hidden_layer_sizes=(32,), epochs=15, random_state=0).fit(X_train, y_train)
    assert clf.n_features_in_ == 8 and clf.input_layout_.shapes == [(8, 8)]
    assert clf.score(X_test, y_test) > 0.85
    assert clf.predict_proba(X_test[:1]).shape == (1, 10)
    with pytest.raises(ValueError, match=r"shape \(None, 8, 7\).*fitted on shape \(None, 8, 8\)"):
        clf.predict(X_test[:, :, :7])


def test_builders_see_the_shape_and_keep_integer_token_ids():
    seen = {}

    def embed(meta):
        seen.update(meta)
        return keras.Sequential([keras.Input(meta["X_shape_"][1:], dtype="int32"),
                                 keras.layers.Embedding(20, 4),
                                 keras.layers.GlobalAveragePooling1D(),
                                 keras.layers.Dense(1)])

    rng = np.random.RandomState(0)
    tokens = rng.randint(0, 20, size=(200, 7))
    y = (tokens == 3).sum(axis=1).astype(float)
    reg = DeepRegressor(model=embed, epochs=30, learning_rate=0.03, random_state=0).fit(tokens, y)
    assert seen["X_shape_"] == (200, 7) and seen["X_dtype_"].kind == "i"
    assert seen["n_outputs_expected_"] == 1
    assert reg.score(tokens, y) > 0.5
    # A float copy of the ids at predict is cast to the fitted integer dtype.
    np.testing.assert_array_equal(reg.predict(tokens.astype(float)), reg.predict(tokens))


@pytest.mark.slow
def test_sequences_through_an_lstm():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 6, 2)).astype(np.float32)
    y = X[:, :, 0].sum(axis=1)

    def lstm(meta):
        return keras.Sequential([keras.Input(meta["X_shape_"][1:]), keras.layers.LSTM(8),
                                 keras.layers.Dense(1)])

    reg = DeepRegressor(model=lstm, epochs=30, learning_rate=0.01, random_state=0).fit(X, y)
    assert reg.predict(X).shape == (300,) and reg.score(X, y) > 0.8


# ---------------------------------------------------------------------- several inputs


def qa_data(n=450, seed=0):
    """The notes' question answering, synthetic (no text corpus ships offline): is the
    question's word larger than the text's average word?  It needs both inputs."""
    rng = np.random.RandomState(seed)
    text = rng.randint(1, 10, size=(n, 10))
    question = rng.randint(1, 10, size=(n, 1))
    return text, question, (question[:, 0] > text.mean(axis=1)).astype(int)


def qa_model(units=16, meta=None):
    text = keras.Input((10,), dtype="int32", name="text")
    question = keras.Input((1,), dtype="int32", name="question")
    embed = keras.layers.Embedding(10, 4)
    joined = keras.layers.Concatenate()([keras.layers.GlobalAveragePooling1D()(embed(text)),
                                         keras.layers.Flatten()(embed(question))])
    hidden = keras.layers.Dense(units, activation="relu")(joined)
    return keras.Model([text, question], keras.layers.Dense(2, activation="softmax")(hidden))


def test_slice_dict_splits_like_an_array():
    text, question, answer = qa_data(n=20)
    X = SliceDict(text=text, question=question)
    X_train, X_test, y_train, y_test = train_test_split(X, answer, test_size=5, random_state=0)
    assert isinstance(X_train, SliceDict) and len(X_train) == 15 and X_test["text"].shape == (5, 10)
    with pytest.raises(ValueError, match="same number of rows"):
        SliceDict(text=text, question=question[:3])


@pytest.mark.slow
def test_a_two_input_model_searched_on_a_dict(tmp_path):
    text, question, answer = qa_data()
    X = SliceDict(question=question, text=text)  # order does not matter: names do
    search = RandomizedSearchCV(
        DeepClassifier(model=qa_model, epochs=15, random_state=0),
        {"units": [8, 16, 32], "learning_rate": [3e-3, 1e-2]}, n_iter=4, cv=3, random_state=0,
    ).fit(X, answer)
    best = search.best_estimator_
    assert search.best_score_ > 0.6
    assert best.input_layout_.names == ["question", "text"]
    plain = {"text": text[:7], "question": question[:7]}
    np.testing.assert_array_equal(best.predict(plain), best.predict(X[:7]))
    np.testing.assert_array_equal(best.predict([text[:7], question[:7]]), best.predict(plain))


def test_column_groups_feed_a_two_input_model_in_a_search():
    text, question, answer = qa_data()
    table = pd.DataFrame(np.hstack([question, text]),
                         columns=["q", *[f"w{i}" for i in range(10)]])
    clf = DeepClassifier(model=qa_model, inputs={"text": [f"w{i}" for i in range(10)],
                                                 "question": ["q"]},
                         epochs=15, random_state=0)
    search = RandomizedSearchCV(clf, {"units": [8, 16, 32]}, n_iter=3, cv=3,
                                random_state=0).fit(table, answer)
    assert search.best_score_ > 0.85
    assert clone(clf).get_params()["inputs"] == clf.inputs


@pytest.mark.parametrize("X, message", [
    (lambda t, q: {"text": t}, r"2 inputs \['text', 'question'\], but X gives 1"),
    (lambda t, q: {"text": t, "query": q}, r"missing \['question'\], unknown \['query'\]"),
    (lambda t, q: {"text": t, "question": q[:-1]}, "different numbers of rows"),
])
def test_bad_inputs_are_clear_and_change_nothing(X, message):
    text, question, answer = qa_data(n=60)
    clf = DeepClassifier(model=qa_model, epochs=1, random_state=0)
    clf.fit({"text": text, "question": question}, answer)
    before = clf.predict_proba({"text": text, "question": question})
    with pytest.raises(ValueError, match=message):
        DeepClassifier(model=qa_model, epochs=1).fit(X(text, question), answer)
    with pytest.raises(ValueError):
        clf.fit(X(text, question), answer)
    np.testing.assert_array_equal(clf.predict_proba({"text": text, "question": question}),
                                  before)


def test_predict_checks_the_fitted_inputs():
    text, question, answer = qa_data(n=60)
    clf = DeepClassifier(model=qa_model, epochs=1, random_state=0)
    clf.fit({"text": text, "question": question}, answer)
    with pytest.raises(ValueError, match=r"input 'text' has shape \(None, 9\)"):
        clf.predict({"text": text[:, :9], "question": question})
    with pytest.raises(ValueError, match=r"fitted on several inputs \['text', 'question'\]"):
        clf.predict(np.hstack([text, question]))


def test_column_groups_that_name_no_column():
    text, question, answer = qa_data(n=30)
    clf = DeepClassifier(model=qa_model, inputs={"text": slice(0, 10), "question": []})
    with pytest.raises(ValueError, match="gives the input 'question' no column"):
        clf.fit(np.hstack([text, question]), answer)


def test_the_built_in_network_refuses_several_inputs():
    text, question, answer = qa_data(n=30)
    with pytest.raises(ValueError, match="built-in network.*takes one array"):
        DeepClassifier(epochs=1).fit({"text": text, "question": question}, answer)


def test_several_inputs_survive_save_and_pickle(tmp_path):
    text, question, answer = qa_data(n=90)
    X = {"text": text, "question": question}
    clf = DeepClassifier(model=qa_model, epochs=2, random_state=0).fit(X, answer)
    clf.save(tmp_path / "qa.skdeep")
    for loaded in (skdeep.load(tmp_path / "qa.skdeep"), pickle.loads(pickle.dumps(clf))):
        np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
        assert loaded.input_layout_.names == ["text", "question"]


def two_inputs(meta):
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    return keras.Model([a, b], keras.layers.Dense(1)(keras.layers.Concatenate()([a, b])))


def test_lists_of_inputs_and_of_column_groups(california):
    X, y, X_test, _ = california
    as_list = DeepRegressor(model=two_inputs, epochs=3, random_state=0).fit(
        [X[:, :3], X[:, 3:6]], y, validation_data=([X_test[:, :3], X_test[:, 3:6]], X_test[:, 0]))
    groups = DeepRegressor(model=two_inputs, inputs=[[0, 1, 2], slice(3, 6)], epochs=3,
                           random_state=0).fit(X[:, :6], y)
    np.testing.assert_allclose(groups.predict(X_test[:, :6]),
                               as_list.predict([X_test[:, :3], X_test[:, 3:6]]), rtol=1e-5)


def test_inputs_and_token_ids_refuse_what_they_cannot_mean():
    text, question, answer = qa_data(n=60)
    with pytest.raises(ValueError, match="'inputs' parameter .* X is already a dict"):
        DeepClassifier(model=qa_model, inputs={"text": [0]}).fit({"text": text}, answer)
    with pytest.raises(ValueError, match="'inputs' parameter of DeepClassifier names the "
                                         r"inputs \['txt', 'question'\]"):
        DeepClassifier(model=qa_model, inputs={"txt": slice(0, 10), "question": [10]},
                       epochs=1).fit(np.hstack([text, question]), answer)
    with pytest.raises(ValueError, match="WideDeepClassifier takes one table"):
        skdeep.WideDeepClassifier().fit({"text": text}, answer)
    clf = DeepClassifier(model=qa_model, epochs=1).fit({"text": text, "question": question},
                                                      answer)
    with pytest.raises(ValueError, match="non-integer values, but the model was fitted on "
                                         r"integer inputs \(int64"):
        clf.predict({"text": text + 0.5, "question": question})


def test_a_scikeras_build_fn_gets_integer_token_ids_as_integers():
    """A class's _keras_build_fn (scikeras's hook) is a builder like model=: integer ids
    above 2**24, which float32 cannot hold, reach the model unchanged."""
    import keras

    from skdeep import DeepRegressor

    class Tokens(DeepRegressor):
        def _keras_build_fn(self, meta):
            self.seen_dtype = meta["X_dtype_"]
            inputs = keras.Input((2,), dtype="int64")
            hidden = keras.layers.Embedding(10, 2)(keras.ops.mod(inputs, 10))
            output = keras.layers.Dense(1)(keras.layers.Flatten()(hidden))
            model = keras.Model(inputs, output)
            model.compile(loss="mse", optimizer="adam")
            return model

    ids = np.array([[2**24 + 1, 3], [2**24 + 3, 4]] * 20, dtype=np.int64)
    reg = Tokens(epochs=1).fit(ids, np.arange(40.0))
    assert np.dtype(reg.seen_dtype) == np.int64
    assert reg.predict(ids[:2]).shape == (2,)
