"""TensorFlow's start-up log: its INFO lines dropped, its warnings and errors kept.

Importing TensorFlow prints INFO lines from its C++ runtime (oneDNN, CPU instructions, CUDA
drivers not found), and its first look for GPUs prints an error on any CPU-only machine with
the CUDA build (``failed call to cuInit``).  ``TF_CPP_MIN_LOG_LEVEL`` hides them on
TensorFlow 2.20 but not on 2.21, which logs through absl before reading it; and setting it to
3, as skdeep once did, also hides the errors a user needs for the rest of the process.

So skdeep reads TensorFlow's stderr (file descriptor 2) while TensorFlow is imported and while
skdeep first lists the GPUs, drops the INFO lines (and the log's note about itself), keeps
the GPU lines for :mod:`skdeep.device` to explain a GPU that failed to start, and writes
every other line back.  ``TF_CPP_MIN_LOG_LEVEL=1`` becomes the default for the rest of the
process: INFO hidden, warnings and errors shown.  A level the user sets is obeyed; at 0
nothing is dropped.

The import of TensorFlow is caught by :func:`install`: ``import skdeep`` calls it, and so does
the ``skdeep-tensorflow-logs.pth`` file the package installs, which runs when Python starts,
so that ``import keras`` before ``import skdeep`` is quiet too.
"""

# Only modules Python has loaded at start-up anyway: the .pth file imports this one in every
# Python process of the environment.  The rest is imported when TensorFlow is.
import contextlib
import os
import sys

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
    """The lines of ``lines`` to write back; GPU lines go to :data:`gpu_lines` as well."""
    import re

    gpu_lines.extend(line for line in lines if re.search(_GPU_WORDS, line))
    if not quiet():
        return list(lines)
    return [line for line in lines if not re.match(_INFO, line) and not line.startswith(_NOISE)
            and not any(noise in line for noise in _NOTHING_TO_ACT_ON)]


@contextlib.contextmanager
def listening():
    """Read what is written to file descriptor 2 within the block, then write back the
    :func:`kept_lines` (all of it if the block raised, to show why)."""
    import tempfile  # here: the start-up hook imports this module in every Python process

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
            kept = lines if failed else kept_lines(lines)
            if kept:
                os.write(2, ("\n".join(kept) + "\n").encode())


class _ListeningLoader:
    """The module's own loader, run under :func:`listening`; then ``after(module)``, still
    listening."""

    def __init__(self, loader, after=None):
        self.loader, self.after = loader, after

    def __getattr__(self, name):  # get_source, is_package, resource readers...
        return getattr(self.loader, name)

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        # The level must be in place before TensorFlow first reads it (2.20 reads it once).
        os.environ.setdefault(LEVEL_VARIABLE, "1")
        with listening():
            self.loader.exec_module(module)
            if self.after is not None:
                self.after(module)
        module.__loader__ = module.__spec__.loader = self.loader  # no trace left


class _ImportHook:
    """Finds ``name``'s module as Python would, under :func:`listened_spec`; it acts once."""

    def __init__(self, name, after=None):
        self.name, self.after = name, after

    def find_spec(self, fullname, path=None, target=None):
        return listened_spec(fullname, self.after) if fullname == self.name else None


def list_gpus(tensorflow):
    """TensorFlow's physical GPUs.  Listed while listening, TensorFlow's first look for them
    is heard (``failed call to cuInit``); it does not start TensorFlow's runtime, so thread
    counts, visible devices and memory growth can still be set after it."""
    return tensorflow.config.list_physical_devices("GPU")


def listened_spec(name, after=None):
    """``name``'s module spec as Python finds it, its loader run under :func:`listening`
    (then ``after(module)``, still listening).

    Every hook waiting for ``name`` (skdeep's, and the .pth file's: Python runs a virtual
    environment's .pth files twice at start-up here) leaves ``sys.meta_path`` first: one
    listener is enough.
    """
    import importlib.util

    for hook in [f for f in sys.meta_path if _waits_for(f, name)]:
        sys.meta_path.remove(hook)
    spec = importlib.util.find_spec(name)
    if spec is not None and spec.loader is not None:
        spec.loader = _ListeningLoader(spec.loader, after)
    return spec


def _waits_for(finder, name):
    if isinstance(finder, _ImportHook):
        return finder.name == name
    return name == "tensorflow" and type(finder).__name__ == "_SkdeepListensToTensorFlow"


def install(name="tensorflow", after=list_gpus):
    """Listen to the first import of ``name`` (TensorFlow) in this process, and to ``after``
    (the first look for GPUs: a process that imported skdeep is one where skdeep will list
    them); no-op if it is already imported or listened for.

    The .pth file listens to the import alone: it runs in every Python process of the
    environment, and leaves the GPUs to whoever uses TensorFlow.
    """
    if name in sys.modules or any(isinstance(f, _ImportHook) and f.name == name
                                  for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _ImportHook(name, after))
