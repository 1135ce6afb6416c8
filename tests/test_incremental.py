"""Training a little more: partial_fit, warm_start, and epochs as a search's budget."""

import numpy as np
import pytest
from scipy.stats import reciprocal
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import HalvingRandomSearchCV

from skdeep import DeepClassifier, DeepRegressor
from skdeep.engine import state


def test_partial_fit_from_scratch_learns_over_chunks(california):
    X, y, X_test, y_test = california
    reg = DeepRegressor(hidden_layer_sizes=(30,), learning_rate=1e-2, random_state=0)
    scores = []
    for _ in range(4):
        for chunk in np.array_split(np.arange(len(X)), 3):
            reg.partial_fit(X[chunk], y[chunk])
        scores.append(reg.score(X_test, y_test))
    assert reg.n_iter_ == 12
    assert len(reg.history_["loss"]) == 12
    assert scores == sorted(scores) and scores[-1] > 0.55  # as well as fit(epochs=4) does


def test_partial_fit_keeps_the_optimizer_state(california):
    X, y, _, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(8,), batch_size=100, random_state=0)
    reg.partial_fit(X, y)
    first = state.snapshot(reg.model_).optimizer
    assert int(first[0]) == 15  # Adam's step count after one epoch of 15 batches
    moments = first[2:]
    reg.partial_fit(X, y)
    second = state.snapshot(reg.model_).optimizer
    assert int(second[0]) == 30
    assert any(not np.array_equal(a, b) for a, b in zip(moments, second[2:]))
    assert any(np.abs(m).sum() > 0 for m in moments)  # moments carried, not reset to zero


def test_partial_fit_after_fit_continues_and_extends_history(california):
    X, y, _, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=3, random_state=0).fit(X, y)
    weights = [w.copy() for w in reg.model_.get_weights()]
    model = reg.model_
    reg.partial_fit(X[:200], y[:200])
    assert reg.model_ is model
    assert reg.n_iter_ == 4 and len(reg.history_["loss"]) == 4
    assert any(not np.array_equal(a, b) for a, b in zip(weights, reg.model_.get_weights()))
    reg.fit(X, y)  # fit starts again (warm_start=False)
    assert reg.n_iter_ == 3 and reg.model_ is not model


def test_classifier_partial_fit_needs_classes_first(adult):
    X, y, X_test, y_test = adult
    clf = DeepClassifier(hidden_layer_sizes=(16,), random_state=0)
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        clf.partial_fit(X[:50], y[:50])
    assert not hasattr(clf, "model_")
    classes = np.unique(y)
    only_one = y == classes[0]
    clf.partial_fit(X[only_one][:100], y[only_one][:100], classes=classes)
    np.testing.assert_array_equal(clf.classes_, classes)
    assert clf.predict_proba(X_test[:3]).shape == (3, 2)
    for _ in range(3):
        clf.partial_fit(X, y)
    assert clf.score(X_test, y_test) > 0.75
    with pytest.raises(ValueError, match="is not the same as on the first call"):
        clf.partial_fit(X, y, classes=["a", "b", "c"])
    with pytest.raises(ValueError, match="not among the classes"):
        clf.partial_fit(X[:2], np.array(["x", "y"]))


def test_partial_fit_rejects_labels_outside_classes(adult):
    X, y, _, _ = adult
    with pytest.raises(ValueError, match=r"not among classes=\['<=50K'\]"):
        DeepClassifier().partial_fit(X[:20], y[:20], classes=["<=50K"])


def test_failed_partial_fit_leaves_the_estimator_as_it_was(california):
    X, y, _, _ = california
    reg = DeepRegressor(hidden_layer_sizes=(8,), random_state=0).partial_fit(X, y)
    before = reg.predict(X[:20])
    with pytest.raises(ValueError, match="features"):
        reg.partial_fit(X[:, :5], y)
    assert reg.n_iter_ == 1
    np.testing.assert_array_equal(reg.predict(X[:20]), before)


def test_warm_start_extends_history_and_best_epoch(california):
    X, y, X_test, y_test = california
    reg = DeepRegressor(hidden_layer_sizes=(8,), epochs=2, warm_start=True, random_state=0)
    reg.fit(X, y)
    reg.fit(X, y, validation_data=(X_test, y_test), epochs=3)
    assert reg.n_iter_ == 5
    assert len(reg.history_["loss"]) == len(reg.history_["val_loss"]) == 5
    # The first fit did not validate: its epochs are NaN, the best epoch counts from the start.
    assert np.isnan(reg.history_["val_loss"][:2]).all()
    assert reg.best_epoch_ == 3 + int(np.argmin(reg.history_["val_loss"][2:]))


@pytest.mark.slow
def test_halving_search_over_epochs_as_the_budget(california):
    X, y, _, _ = california
    search = HalvingRandomSearchCV(
        DeepRegressor(random_state=0),
        {"hidden_layer_sizes": [(4,), (16,), (32, 32)], "learning_rate": reciprocal(1e-3, 1e-2)},
        n_candidates=9, resource="epochs", min_resources=2, max_resources=18, factor=3, cv=2,
        random_state=0,
    ).fit(X, y)
    assert search.n_resources_ == [2, 6, 18]
    assert search.best_estimator_.n_iter_ == 18
    assert search.best_score_ > 0.4
