"""Seeded fits (skdeep/seeding.py): reproducible in threads, the global streams untouched."""

import keras
import numpy as np
import pytest

from skdeep import DeepRegressor


@pytest.mark.slow
def test_seeded_fits_in_threads_match_serial_ones_and_keep_the_global_streams(california):
    """Builders drawing from NumPy's global stream, seeded fits in two threads at once."""
    import threading

    X, y, X_test, _ = california
    meeting = threading.Barrier(2)

    def builder(meta):
        try:  # both threads inside a builder at once, if seeding lets them
            meeting.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass
        start = keras.initializers.Constant(np.random.normal(size=(meta["n_features_in_"], 8)))
        return keras.Sequential([keras.Input((meta["n_features_in_"],)),
                                 keras.layers.Dense(8, kernel_initializer=start),
                                 keras.layers.Dense(1)])

    def fit(seed):
        return DeepRegressor(model=builder, epochs=2, random_state=seed).fit(X, y)

    serial = {seed: fit(seed).predict(X_test) for seed in (1, 2)}
    np.random.seed(123)
    expected_next = np.random.random_sample()
    np.random.seed(123)
    results = {}
    threads = [threading.Thread(target=lambda s=s: results.update({s: fit(s).predict(X_test)}))
               for s in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for seed in (1, 2):
        np.testing.assert_array_equal(results[seed], serial[seed])
    assert np.random.random_sample() == expected_next
