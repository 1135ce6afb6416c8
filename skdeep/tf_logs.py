"""TensorFlow's start-up log: its INFO lines dropped, its warnings and errors kept.

Importing TensorFlow prints INFO lines from its C++ runtime (oneDNN, CPU instructions, CUDA
drivers not found), and its first look for GPUs prints an error on any CPU-only machine with
the CUDA build (``failed call to cuInit``).  ``TF_CPP_MIN_LOG_LEVEL`` hides them on
TensorFlow 2.20 but not on 2.21, which logs through absl before reading it; and setting it to
3, as skdeep once did, also hides the errors a user needs for the rest of the process.

So skdeep reads TensorFlow's stderr (file descriptor 2) while TensorFlow is imported and while
skdeep first lists the GPUs, drops the INFO lines (and the log's note about itself), keeps
the GPU lines for :mod:`skdeep.device` to explain a GPU that failed to start, and writes
every other line back.  A listened import makes ``TF_CPP_MIN_LOG_LEVEL=1`` the default for
the rest of the process: INFO hidden, warnings and errors shown.  A level the user sets is
obeyed; at 0 nothing is dropped.

``import skdeep`` calls :func:`install`, which catches TensorFlow's import if it comes later;
nothing of skdeep runs before that, and nothing when Python starts.  Where TensorFlow is
imported before skdeep (``import keras`` first), its start-up lines are TensorFlow's own: set
``TF_CPP_MIN_LOG_LEVEL=1`` before Python starts to hide its INFO lines (TensorFlow 2.21 still
writes the oneDNN and CUDA-driver ones, which come before it reads the variable), or import
skdeep first.  A listened import also makes TensorFlow's first look for GPUs (see
``_ListeningLoader``); skdeep's own first look is listened to whichever came first.
"""

import contextlib
import importlib.util
import os
import re
import sys
import tempfile

LEVEL_VARIABLE = "TF_CPP_MIN_LOG_LEVEL"
# An INFO record, as absl (TensorFlow 2.21: "I0000 00:00:...") or TensorFlow's own logger
# (2.20: "2026-11-26 23:14:01.860319: I ...") writes it.
_INFO = r"^(I\d{4} \d\d:\d\d:\d\d|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: I )"
_NOISE = (
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
    # The second line of cpu_feature_guard's INFO record.
    "To enable the following instructions:",
)
# Lines that say nothing a user can act on, whatever their level: the GPU probe on a machine
# without a driver (skdeep.device explains a GPU that failed), Keras's distributed datasets
# (not optimised; their prefetch cancelled when an epoch's iterator goes).
_NOTHING_TO_ACT_ON = (
    "failed call to cuInit",
    "does not implement the AsGraphDefInternal() method needed to apply optimizations",
    "Local rendezvous is aborting with status: CANCELLED",
    "[[{{node RemoteCall}}]]",
)
_GPU_WORDS = r"cuInit|cuda|CUDA|GPU|dlopen"

gpu_lines = []  # what TensorFlow said about GPUs while skdeep listened, for skdeep.device


def quiet():
    """Whether INFO lines are dropped: unless the user set ``TF_CPP_MIN_LOG_LEVEL`` to 0."""
    return os.environ.get(LEVEL_VARIABLE, "1").strip() not in ("0", "")


def kept_lines(lines):
    """The lines of ``lines`` to write back: those :func:`listening` does not drop."""
    if not quiet():
        return list(lines)
    return [line for line in lines if not re.match(_INFO, line) and not line.startswith(_NOISE)
            and not any(noise in line for noise in _NOTHING_TO_ACT_ON)]


@contextlib.contextmanager
def listening():
    """Read what is written to file descriptor 2 within the block, then write back the
    :func:`kept_lines` (all of it if the block raised, to show why); GPU lines go to
    :data:`gpu_lines` as well."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no usable stderr (a detached process)
        yield
        return
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        failed = True
        try:
            yield
            failed = False
        finally:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            lines = capture.read().decode(errors="replace").splitlines()
            gpu_lines.extend(line for line in lines if re.search(_GPU_WORDS, line))
            kept = lines if failed else kept_lines(lines)
            if kept:
                os.write(2, ("\n".join(kept) + "\n").encode())


class _ListeningLoader:
    """The module's own loader, run under :func:`listening`."""

    def __init__(self, loader):
        self.loader = loader

    def __getattr__(self, name):  # get_source, is_package, resource readers...
        return getattr(self.loader, name)

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        # The level must be in place before TensorFlow first reads it (2.20 reads it once).
        os.environ.setdefault(LEVEL_VARIABLE, "1")
        with listening():
            self.loader.exec_module(module)
            # TensorFlow's first look for GPUs, which logs "failed call to cuInit" on a
            # machine without a driver, comes with the first Keras object that holds a
            # variable (a metric given to an estimator, before any fit): made here, within
            # the import, it is listened to.  It costs under 1 ms and does not start the
            # runtime, so the threads can still be capped at the first fit.
            if module.__name__ == "tensorflow":
                module.config.list_physical_devices("GPU")
        module.__loader__ = module.__spec__.loader = self.loader  # no trace left


class _ImportHook:
    """Finds ``name``'s module as Python would, its loader run under :func:`listening`; it
    leaves ``sys.meta_path`` at once: it acts on the first import only."""

    def __init__(self, name):
        self.name = name

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is not None and spec.loader is not None:
            spec.loader = _ListeningLoader(spec.loader)
        return spec


def install(name="tensorflow"):
    """Listen to the first import of ``name`` (TensorFlow) in this process; no-op if it is
    already imported or listened for."""
    if name in sys.modules or any(isinstance(f, _ImportHook) and f.name == name
                                  for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _ImportHook(name))
