"""The tutorials' three-head model: age regression, a softmax head and a sigmoid head on one trunk.

A Keras tutorial predicts a person's age (regression), income group (softmax) and gender
(sigmoid) from one shared network, one loss per output.  Here on Adult, the real census
table bundled with skdeep: age in years, education in five levels (no diploma, high school,
some college, bachelor's, postgraduate; a softmax over 5 classes) and gender (a sigmoid
unit), from the other columns: work class, occupation, marital status, race, country,
income, capital gain and loss, hours per week (``relationship`` is left out: "Husband" and
"Wife" would give the gender away, and ``educational-num`` would give the education).

The builder returns an uncompiled model with outputs named ``age``, ``education`` and
``gender``; the estimator compiles it with ``loss`` and ``loss_weights`` dicts keyed by those
names (the age loss, in years squared, is weighted by 1/variance so the three losses have
similar sizes; the notes weight theirs 0.25, 1 and 10 for the same reason).  It is a
**DeepRegressor** in a Pipeline after a ColumnTransformer, fitted on one y, a DataFrame with
one column per head; ``predict`` returns one (n, 3) float array: ages in years and, for the
classification heads, the class values seen in y.  Prints that array, each head's score beside
a baseline that ignores X, and the estimator's ``score`` (the mean of R^2 and the two
accuracies); draws predicted against true age, the education confusion matrix and the scores.

Run: python examples/three_heads.py
"""

import time

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
import keras
import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.metrics import accuracy_score, confusion_matrix, r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import _gallery
from skdeep.datasets import load_adult

EDUCATION = ["no diploma", "high school", "some college", "bachelor's", "postgraduate"]
LEVEL = {"Preschool": 0, "1st-4th": 0, "5th-6th": 0, "7th-8th": 0, "9th": 0, "10th": 0,
         "11th": 0, "12th": 0, "HS-grad": 1, "Some-college": 2, "Assoc-voc": 2,
         "Assoc-acdm": 2, "Bachelors": 3, "Masters": 4, "Prof-school": 4, "Doctorate": 4}
CATEGORICAL = ["workclass", "occupation", "marital-status", "race", "native-country", "income"]
NUMERIC = ["capital-gain", "capital-loss", "hours-per-week"]


def three_heads(meta=None, units=64, age_mean=0.0, age_std=1.0):
    """A shared trunk of two ReLU layers and the tutorials' three heads, uncompiled."""
    features = keras.Input((meta["n_features_in_"],))
    trunk = keras.layers.Dense(units, activation="relu")(features)
    trunk = keras.layers.Dense(units, activation="relu")(trunk)
    age = keras.layers.Dense(1)(trunk)
    age = keras.layers.Rescaling(age_std, offset=age_mean, name="age")(age)  # in years
    education = keras.layers.Dense(len(EDUCATION), activation="softmax", name="education")(trunk)
    gender = keras.layers.Dense(1, activation="sigmoid", name="gender")(trunk)
    return keras.Model(features, [age, education, gender])


def main():
    frame = load_adult(as_frame=True).frame
    frame = frame.sample(n=_gallery.rows(len(frame), 3000), random_state=42)
    X = frame[CATEGORICAL + NUMERIC]
    Y = pd.DataFrame({"age": frame["age"].astype(float),
                      "education": frame["education"].map(LEVEL),
                      "gender": (frame["gender"] == "Male").astype(int)})  # 1 = male
    X_train, X_test, Y_train, Y_test = train_test_split(X, Y, random_state=42)
    age_mean, age_std = float(Y_train["age"].mean()), float(Y_train["age"].std())
    regressor = skdeep.DeepRegressor(
        model=three_heads, age_mean=age_mean, age_std=age_std,
        loss={"age": "mse", "education": "sparse_categorical_crossentropy",
              "gender": "binary_crossentropy"},
        loss_weights={"age": 1 / age_std**2, "education": 1.0, "gender": 1.0},
        epochs=_gallery.epochs(40), early_stopping=True, n_iter_no_change=5, random_state=42)
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore", min_frequency=20, sparse_output=False),
         CATEGORICAL),
        (StandardScaler(), NUMERIC))
    pipeline = make_pipeline(encode, regressor)
    start = time.perf_counter()
    pipeline.fit(X_train, Y_train)
    fitted = pipeline[-1]
    print(f"fit on {len(X_train)} rows, y {Y_train.shape} with columns {list(Y_train)}: "
          f"{fitted.n_iter_} epochs (best {fitted.best_epoch_}), "
          f"{time.perf_counter() - start:.1f} s")
    print("losses of the last epoch:",
          {k: round(float(v[-1]), 3) for k, v in fitted.history_.items() if "val" not in k})

    predicted = pipeline.predict(X_test)
    print(f"predict returns {type(predicted).__name__} {predicted.shape} {predicted.dtype}; "
          "first rows (age, education, gender):")
    print(np.array2string(predicted[:5], precision=2, suppress_small=True))
    print("the same rows read back:")
    for row, truth in zip(predicted[:5], Y_test.to_numpy()[:5]):
        print(f"  age {row[0]:5.1f} (is {truth[0]:.0f}), {EDUCATION[int(row[1])]:<13}"
              f"(is {EDUCATION[int(truth[1])]}), {'male' if row[2] else 'female':<7}"
              f"(is {'male' if truth[2] else 'female'})")

    heads = {
        "age R^2": (r2_score(Y_test["age"], predicted[:, 0]), 0.0),
        "education accuracy": (accuracy_score(Y_test["education"], predicted[:, 1]),
                               Y_test["education"].eq(Y_train["education"].mode()[0]).mean()),
        "gender accuracy": (accuracy_score(Y_test["gender"], predicted[:, 2]),
                            Y_test["gender"].eq(Y_train["gender"].mode()[0]).mean()),
    }
    for name, (score, baseline) in heads.items():
        print(f"{name:<19} {score:.4f}  (ignoring X: {baseline:.4f})")
    print(f"pipeline.score (mean over the heads): {pipeline.score(X_test, Y_test):.4f}")

    plt = _gallery.pyplot()
    figure, (ax_age, ax_education, ax_scores) = plt.subplots(
        1, 3, figsize=(14, 4), gridspec_kw={"width_ratios": [1, 1, 1.1]})
    ax_age.hexbin(Y_test["age"], predicted[:, 0], gridsize=30, cmap="Blues", mincnt=1)
    ax_age.plot([17, 90], [17, 90], color="grey", linestyle="--", linewidth=1)
    ax_age.set(xlabel="true age", ylabel="predicted age",
               title=f"age head (regression): R$^2$ {heads['age R^2'][0]:.3f}")
    matrix = confusion_matrix(Y_test["education"], predicted[:, 1],
                              labels=range(len(EDUCATION)), normalize="true")
    ax_education.imshow(matrix, cmap="Blues", vmin=0, vmax=1)
    for (i, j), value in np.ndenumerate(matrix):
        ax_education.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=8,
                          color="white" if value > 0.5 else "black")
    ax_education.set_xticks(range(len(EDUCATION)), EDUCATION, rotation=30, ha="right")
    ax_education.set_yticks(range(len(EDUCATION)), EDUCATION)
    ax_education.set(xlabel="predicted", ylabel="true",
                     title="education head (softmax): row-normalised")
    names = list(heads)
    positions = np.arange(len(names))
    ax_scores.bar(positions - 0.2, [s for s, _ in heads.values()], 0.4, label="three-head model")
    ax_scores.bar(positions + 0.2, [b for _, b in heads.values()], 0.4, color="lightgrey",
                  label="ignoring X (mean / majority)")
    for i, (score, _) in enumerate(heads.values()):
        ax_scores.text(i - 0.2, score, f"{score:.3f}", ha="center", va="bottom", fontsize=8)
    ax_scores.set_xticks(positions, [n.replace("R^2", "R$^2$") for n in names], fontsize=8)
    ax_scores.set(ylim=(0, 1), title="test score per head")
    ax_scores.legend(loc="upper left", fontsize=8)
    ax_scores.grid(True, axis="y", alpha=0.3)
    figure.tight_layout()
    _gallery.save(figure, "three_heads")


if __name__ == "__main__":
    main()
