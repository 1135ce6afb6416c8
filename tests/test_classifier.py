"""DeepClassifier on real data: binary, multiclass, multilabel, label types, weights."""

import numpy as np
import pytest
from sklearn.base import is_classifier
from sklearn.datasets import load_iris
from sklearn.dummy import DummyClassifier
from sklearn.model_selection import StratifiedKFold, check_cv, cross_val_score
from sklearn.preprocessing import StandardScaler

from skdeep import DeepClassifier


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def test_binary_adult_with_string_labels(adult):
    X, y, X_test, y_test = adult
    clf = DeepClassifier(hidden_layer_sizes=(32, 16), epochs=20, batch_size=64,
                         random_state=0).fit(X, y)
    assert is_classifier(clf) and clf.target_type_ == "binary"
    assert clf.classes_.tolist() == ["<=50K", ">50K"]
    assert clf.model_.layers[-1].units == 1  # one sigmoid unit
    baseline = DummyClassifier().fit(X, y).score(X_test, y_test)
    assert clf.score(X_test, y_test) > baseline + 0.03
    proba = clf.predict_proba(X_test)
    assert proba.shape == (len(X_test), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-6)
    assert set(clf.predict(X_test)) <= set(clf.classes_)


def test_one_row_predict_proba_is_two_dimensional(adult):
    X, y, X_test, _ = adult
    clf = DeepClassifier(hidden_layer_sizes=(8,), epochs=2, random_state=0).fit(X, y)
    assert clf.predict_proba(X_test[:1]).shape == (1, 2)


def test_roc_auc_scorer_and_stratified_cv(adult):
    X, y, _, _ = adult
    clf = DeepClassifier(hidden_layer_sizes=(16,), epochs=10, random_state=0)
    # Recognised as a classifier: an integer cv is stratified, and roc_auc works.
    assert isinstance(check_cv(3, y, classifier=is_classifier(clf)), StratifiedKFold)
    scores = cross_val_score(clf, X, y, cv=3, scoring="roc_auc")
    assert scores.min() > 0.75


def test_multiclass_iris_softmax(iris):
    X, y = iris
    clf = DeepClassifier(hidden_layer_sizes=(16,), learning_rate=0.01, epochs=60,
                         random_state=0).fit(X, y)
    assert clf.target_type_ == "multiclass" and clf.model_.loss == "sparse_categorical_crossentropy"
    assert clf.model_.layers[-1].units == 3
    assert clf.score(X, y) > 0.9
    assert clf.predict_proba(X[:1]).shape == (1, 3)


@pytest.mark.parametrize("labels", [np.array([True, False, False]), np.array([7, -1, 3])])
def test_any_label_type(iris, labels):
    X, y = iris
    clf = DeepClassifier(hidden_layer_sizes=(8,), learning_rate=0.01, epochs=20, random_state=0)
    predicted = clf.fit(X, labels[y]).predict(X)
    assert predicted.dtype == labels.dtype
    assert (predicted == labels[y]).mean() > 0.7


def test_multilabel_indicator(iris):
    X, y = iris
    Y = np.c_[y == 0, y == 2, X[:, 0] > 0].astype(int)
    clf = DeepClassifier(hidden_layer_sizes=(16,), learning_rate=0.01, epochs=60,
                         random_state=0).fit(X, Y)
    assert clf.target_type_ == "multilabel-indicator" and clf.classes_.tolist() == [0, 1, 2]
    assert clf.predict_proba(X).shape == (150, 3)
    assert clf.predict(X).shape == (150, 3)
    assert (clf.predict(X) == Y).mean() > 0.9


def test_balanced_class_weight_raises_minority_recall(adult):
    X, y, X_test, y_test = adult
    params = dict(hidden_layer_sizes=(16,), epochs=10, batch_size=64, random_state=0)
    plain = DeepClassifier(**params).fit(X, y)
    balanced = DeepClassifier(class_weight="balanced", **params).fit(X, y)

    def recall(clf):
        return (clf.predict(X_test)[y_test == ">50K"] == ">50K").mean()

    assert recall(balanced) > recall(plain) + 0.1


def test_balanced_class_weight_counts_weighted_rows_as_repeated(adult):
    # "balanced" weighs each class by its rows' total sample weight, so integer weights
    # train as repeated rows (one batch of every row: only float32 rounding differs).
    X, y, X_test, _ = adult
    X, y = X[:300], y[:300]
    weights = np.random.RandomState(0).randint(0, 4, len(y))
    params = dict(class_weight="balanced", hidden_layer_sizes=(16,), optimizer="sgd",
                  learning_rate=0.1, epochs=20, batch_size=1024, random_state=0)
    weighted = DeepClassifier(**params).fit(X, y, sample_weight=weights)
    repeated = DeepClassifier(**params).fit(X.repeat(weights, axis=0), y.repeat(weights))
    np.testing.assert_allclose(weighted.history_["loss"], repeated.history_["loss"], rtol=1e-5)
    np.testing.assert_allclose(weighted.predict_proba(X_test), repeated.predict_proba(X_test),
                               rtol=1e-5, atol=1e-6)


def test_one_class_is_an_error(iris):
    X, _ = iris
    with pytest.raises(ValueError, match="at least 2 classes.*one class: 'a'"):
        DeepClassifier(epochs=1).fit(X, np.array(["a"] * len(X)))


def test_continuous_target_is_an_error(iris):
    X, _ = iris
    with pytest.raises(ValueError, match="Unknown label type"):
        DeepClassifier(epochs=1).fit(X, X[:, 0])


def test_validation_labels_must_be_known(iris):
    X, y = iris
    with pytest.raises(ValueError, match=r"labels \[5\] not among the classes"):
        DeepClassifier(epochs=1).fit(X, y, validation_data=(X[:3], np.array([0, 1, 5])))


def test_stratified_validation_split_keeps_every_class(iris):
    X, y = iris
    clf = DeepClassifier(hidden_layer_sizes=(8,), epochs=3, early_stopping=True,
                         validation_fraction=0.1, random_state=0).fit(X, y)
    assert len(clf.history_["val_loss"]) == 3
