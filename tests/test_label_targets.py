"""The classifiers' target strategy (skdeep/label_targets.py)."""

import keras
import numpy as np

from skdeep import DeepClassifier


def test_meta_and_the_fitted_attributes_agree_for_one_hot_rows_and_a_softmax_builder(adult):
    X, y, X_test, _ = adult
    labels = np.searchsorted(np.unique(y), y) + (X[:, 0] > 1)  # three classes
    seen = {}

    def build(meta):
        seen.update(meta)
        model = keras.Sequential([keras.Input((meta["n_features_in_"],)),
                                  keras.layers.Dense(meta["n_classes_"], activation="softmax")])
        model.compile(loss="categorical_crossentropy", optimizer="adam")
        return model

    clf = DeepClassifier(build, epochs=2, random_state=0)
    clf.fit(X, keras.utils.to_categorical(labels))
    for key in ("target_type_", "n_outputs_", "n_classes_"):
        assert np.all(np.asarray(seen[key]) == np.asarray(getattr(clf, key))), key
    np.testing.assert_array_equal(seen["classes_"], clf.classes_)
    # Read as one class a row: predict answers one-hot rows, as fit was given.
    assert clf.target_encoding_ == "onehot"
    predicted = clf.predict(X_test[:50])
    assert predicted.shape == (50, 3) and (predicted.sum(axis=1) == 1).all()
    assert clf.predict_proba(X_test[:5]).shape == (5, 3)
