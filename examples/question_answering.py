"""The tutorials' two-input question-answering model, searched two ways: SliceDict and ``inputs=``.

A Keras functional model with two named inputs of token ids, ``text`` and ``question``; each
goes through its own Embedding and LSTM, the two encodings are concatenated and a softmax
picks the answer word.  No question-answering corpus ships offline, so the data are
synthetic, as in the notes (which train the model on random arrays), but made learnable:
each text is 12 random words out of 10, each question 4 words of which one asks for the
text's *first*, *last*, *smallest* or *largest* word, and the answer is that word.  A
guess from the question alone (the commonest answer to each kind of question: 1 for
"smallest", 10 for "largest") is right about 40 % of the time; the rest needs the text.

The same search (RandomizedSearchCV, cv=3, over the embedding size, the LSTM units and the
learning rate) runs twice: with X as ``skdeep.SliceDict(text=..., question=...)``, which
scikit-learn splits by rows like an array, and with X one 2-D array of 16 columns plus
``inputs={"text": slice(0, 12), "question": slice(12, 16)}``, which sends each group of
columns to the model input of that name.  Both routes feed the model the same numbers, so
with the same seeds they find the same candidates with the same scores.  Prints each
search's best parameters, best CV accuracy and time, and the best model's accuracy per kind
of question (the LSTM soon forgets a text's first word); draws every candidate's CV accuracy
for both routes.

Run: python examples/question_answering.py
"""

import time

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
import keras
import numpy as np
from scipy.stats import reciprocal
from sklearn.model_selection import RandomizedSearchCV, train_test_split

import _gallery

TEXT_VOCABULARY = 10      # text words are 1..10 (0 is kept for padding)
TEXT_LENGTH = 12
QUESTION_WORDS = ["what", "is", "the", "word", "first", "last", "smallest", "largest"]
QUESTION_LENGTH = 4


def make_data(n, random_state=0):
    """Random texts, questions asking for one of four words of the text, and the answers."""
    rng = np.random.RandomState(random_state)
    text = rng.randint(1, TEXT_VOCABULARY + 1, size=(n, TEXT_LENGTH))
    kind = rng.randint(4, size=n)  # first, last, smallest, largest
    # Question ids are 1..8: three filler words and the asking word at a random position.
    question = rng.randint(1, 5, size=(n, QUESTION_LENGTH))
    question[np.arange(n), rng.randint(QUESTION_LENGTH, size=n)] = kind + 5
    answers = np.select([kind == 0, kind == 1, kind == 2],
                        [text[:, 0], text[:, -1], text.min(axis=1)], text.max(axis=1))
    return text, question, answers


def question_answering(meta=None, embedding_size=64, units=32, learning_rate=1e-3):
    """The tutorials' model: Embedding + LSTM per input, concatenated, softmax over the answers."""
    text_input = keras.Input(shape=(None,), dtype="int32", name="text")
    encoded_text = keras.layers.Embedding(TEXT_VOCABULARY + 1, embedding_size)(text_input)
    encoded_text = keras.layers.LSTM(units)(encoded_text)
    question_input = keras.Input(shape=(None,), dtype="int32", name="question")
    encoded_question = keras.layers.Embedding(len(QUESTION_WORDS) + 1,
                                              embedding_size // 2)(question_input)
    encoded_question = keras.layers.LSTM(units // 2)(encoded_question)
    concatenated = keras.layers.concatenate([encoded_text, encoded_question])
    answer = keras.layers.Dense(meta["n_classes_"], activation="softmax")(concatenated)
    model = keras.Model([text_input, question_input], answer)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def main():
    text, question, answers = make_data(_gallery.rows(2400, 600))
    print(f"text {text.shape}, question {question.shape}, answers {answers.shape}; "
          f"e.g. text {text[0].tolist()}, question "
          f"{[QUESTION_WORDS[i - 1] for i in question[0]]} -> answer {answers[0]}")
    (text_train, text_test, question_train, question_test,
     y_train, y_test) = train_test_split(text, question, answers, random_state=42)
    kinds = question_train.max(axis=1), question_test.max(axis=1)  # the asking word's id
    guess = {k: np.bincount(y_train[kinds[0] == k]).argmax() for k in np.unique(kinds[0])}
    guess_accuracy = np.mean(np.array([guess[k] for k in kinds[1]]) == y_test)
    print(f"guess from the question alone: test accuracy {guess_accuracy:.4f}")
    param_distribs = {
        "embedding_size": [8, 16, 32, 64],
        "units": [8, 16, 32, 64],
        "learning_rate": reciprocal(1e-3, 2e-2),
    }
    common = dict(model=question_answering, epochs=_gallery.epochs(10), random_state=42)
    columns = {"text": slice(0, TEXT_LENGTH),
               "question": slice(TEXT_LENGTH, TEXT_LENGTH + QUESTION_LENGTH)}
    routes = {  # name: (estimator, X_train, X_test)
        "SliceDict": (skdeep.DeepClassifier(**common),
                      skdeep.SliceDict(text=text_train, question=question_train),
                      skdeep.SliceDict(text=text_test, question=question_test)),
        "2-D array + inputs=": (skdeep.DeepClassifier(inputs=columns, **common),
                                np.hstack([text_train, question_train]),
                                np.hstack([text_test, question_test])),
    }
    results = {}
    for route, (model, X_train, X_test) in routes.items():
        search = RandomizedSearchCV(model, param_distribs, n_iter=1 if _gallery.FAST else 6,
                                    cv=3, random_state=42)
        start = time.perf_counter()
        search.fit(X_train, y_train)
        elapsed = time.perf_counter() - start
        results[route] = search
        print(f"{route}: X {type(X_train).__name__} {X_train.shape}")
        best = {k: round(float(v), 4) if k == "learning_rate" else v
                for k, v in search.best_params_.items()}
        print(f"  best params {best}")
        print(f"  best CV accuracy {search.best_score_:.4f}, test accuracy "
              f"{search.score(X_test, y_test):.4f}, search {elapsed:.1f} s "
              f"({search.n_iter * 3 + 1} fits)")

    right = results["SliceDict"].predict(routes["SliceDict"][2]) == y_test
    print("best model's test accuracy per kind of question: " + ", ".join(
        f"{QUESTION_WORDS[k - 1]} {right[kinds[1] == k].mean():.3f}" for k in np.unique(kinds[1])))

    plt = _gallery.pyplot()
    figure, ax = plt.subplots(figsize=(9, 4))
    width = 0.38
    for k, (route, search) in enumerate(results.items()):
        cv = search.cv_results_
        positions = np.arange(len(cv["mean_test_score"])) + (k - 0.5) * width
        ax.bar(positions, cv["mean_test_score"], width, yerr=cv["std_test_score"], capsize=3,
               label=f"{route} (best {search.best_score_:.3f})")
    labels = [f"emb {p['embedding_size']}, units {p['units']}\nlr {p['learning_rate']:.4f}"
              for p in results["SliceDict"].cv_results_["params"]]
    ax.axhline(guess_accuracy, color="grey", linestyle="--", linewidth=1,
               label=f"guess from the question alone ({guess_accuracy:.3f})")
    ax.set_xticks(np.arange(len(labels)), labels, fontsize=8)
    ax.set(ylabel="3-fold CV accuracy", ylim=(0, 1.05),
           title="two-input QA model: RandomizedSearchCV candidates, two ways to feed X")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(loc="upper left")
    _gallery.save(figure, "question_answering")


if __name__ == "__main__":
    main()
