"""Binary classification on Adult watched by callbacks: ModelCheckpoint, TensorBoard, ROC AUC.

the Keras tutorials' binary workflow: a sigmoid output with binary cross-entropy and Keras's
AUC metric, ``ModelCheckpoint`` keeping the epoch with the best validation AUC, a TensorBoard
log directory, and a hand-written callback that computes scikit-learn's ROC AUC on the
validation data after every epoch.  All three are epoch callbacks, so the fit stays on
skdeep's fast in-graph path.  Then precision, recall and F1 at the threshold that maximises
F1 on the validation data, and the ROC curve as a figure.

Run: python examples/adult_callbacks.py
"""

import tempfile
from pathlib import Path

import skdeep  # first: keeps TensorFlow's C++ start-up logs quiet
import keras
import numpy as np
from sklearn.compose import make_column_transformer
from sklearn.metrics import (
    precision_recall_curve,
    precision_recall_fscore_support,
    roc_auc_score,
    roc_curve,
)
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import _gallery
from skdeep.datasets import load_adult


class RocAuc(keras.callbacks.Callback):
    """The tutorials' hand-written callback: scikit-learn's ROC AUC on validation data, logged."""

    def __init__(self, X_valid, y_valid):
        super().__init__()
        self.X_valid, self.y_valid = X_valid, y_valid

    def on_epoch_end(self, epoch, logs=None):
        scores = self.model.predict_on_batch(self.X_valid)[:, 0]
        logs["val_roc_auc"] = roc_auc_score(self.y_valid, scores)


def main():
    X, y = load_adult(return_X_y=True, as_frame=True)
    y = (y == ">50K").to_numpy().astype(int)
    n = _gallery.rows(len(X), 3000)
    X_rest, X_test, y_rest, y_test = train_test_split(X[:n], y[:n], test_size=0.2,
                                                      stratify=y[:n], random_state=42)
    X_train, X_valid, y_train, y_valid = train_test_split(X_rest, y_rest, test_size=0.15,
                                                          stratify=y_rest, random_state=42)
    numeric = X.select_dtypes("number").columns
    features = make_column_transformer(
        (StandardScaler(), numeric),
        (OneHotEncoder(handle_unknown="ignore", min_frequency=10, sparse_output=False),
         X.columns.difference(numeric)),
    ).fit(X_train)
    X_train, X_valid, X_test = (features.transform(a).astype("float32")
                                for a in (X_train, X_valid, X_test))
    logs = Path(tempfile.mkdtemp(prefix="skdeep_adult_"))
    checkpoint = logs / "best.keras"
    clf = skdeep.DeepClassifier(hidden_layer_sizes=(64, 32), dropout=0.2, batch_size=128,
                                epochs=_gallery.epochs(20), random_state=42,
                                metrics=[keras.metrics.AUC(name="auc")])
    clf.fit(X_train, y_train, validation_data=(X_valid, y_valid), callbacks=[
        RocAuc(X_valid, y_valid),
        keras.callbacks.ModelCheckpoint(checkpoint, monitor="val_auc", mode="max",
                                        save_best_only=True),
        keras.callbacks.TensorBoard(log_dir=logs / "tensorboard"),
    ])
    best = int(np.argmax(clf.history_["val_auc"]))
    print(f"best epoch by val_auc: {best + 1}, Keras AUC {clf.history_['val_auc'][best]:.4f}, "
          f"scikit-learn ROC AUC {clf.history_['val_roc_auc'][best]:.4f}")
    print(f"checkpoint: {checkpoint} ({checkpoint.stat().st_size // 1024} KiB); TensorBoard: "
          f"tensorboard --logdir {logs / 'tensorboard'}")
    # The operating point: the threshold with the best F1 on validation, applied to test.
    precision, recall, thresholds = precision_recall_curve(y_valid,
                                                           clf.predict_proba(X_valid)[:, 1])
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    threshold = thresholds[np.argmax(f1[:-1])]
    proba = clf.predict_proba(X_test)[:, 1]
    p, r, f, _ = precision_recall_fscore_support(y_test, proba >= threshold, average="binary")
    print(f"test at threshold {threshold:.3f}: precision {p:.3f}, recall {r:.3f}, F1 {f:.3f}; "
          f"ROC AUC {roc_auc_score(y_test, proba):.4f}")
    plt = _gallery.pyplot()
    figure, ax = plt.subplots(figsize=(5, 5))
    false_positive, true_positive, _ = roc_curve(y_test, proba)
    ax.plot(false_positive, true_positive,
            label=f"DeepClassifier (AUC {roc_auc_score(y_test, proba):.3f})")
    ax.plot([0, 1], [0, 1], "k:", label="chance")
    ax.set(xlabel="false positive rate", ylabel="true positive rate", title="Adult: ROC curve")
    ax.legend(loc="lower right")
    _gallery.save(figure, "adult_roc")


if __name__ == "__main__":
    main()
