"""The exceptions skdeep raises.  Every one derives from :class:`SkdeepError`."""

from sklearn.exceptions import NotFittedError as _SklearnNotFittedError


class SkdeepError(Exception):
    """Root of all skdeep exceptions, so ``except SkdeepError`` catches any of them."""


class NotFittedError(SkdeepError, _SklearnNotFittedError):
    """A method that needs a fitted estimator was called before ``fit``.

    Also an :class:`sklearn.exceptions.NotFittedError` (hence a ``ValueError`` and an
    ``AttributeError``), so scikit-learn code that catches those keeps working.
    """


class DeviceError(SkdeepError, ValueError):
    """The ``device`` parameter names a device that this machine does not have."""


class BuilderError(SkdeepError, TypeError):
    """A model builder raised, or returned something other than a ``keras.Model``."""


class DivergenceError(SkdeepError, ValueError):
    """Training diverged: the loss (or a metric) became NaN or infinite."""


class FitInterruptedWarning(UserWarning):
    """``fit`` was interrupted with Ctrl-C and kept the weights trained so far."""


class CompatibilityWarning(RuntimeWarning):
    """A private Keras, TensorFlow or scikit-learn name that skdeep uses is missing from the
    installed version: the optimisation or check it served is off (see :mod:`skdeep.compat`).

    Fits still work.  Each missing name is reported once per process.
    """
