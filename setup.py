"""Installs skdeep-tensorflow-logs.pth beside the package (metadata lives in setup.cfg).

Python runs the .pth file at start-up, so skdeep listens to TensorFlow's first import even
when ``import keras`` comes before ``import skdeep`` (see skdeep/tf_logs.py).
"""

import os

from setuptools import setup
from setuptools.command.build_py import build_py

PTH = "skdeep-tensorflow-logs.pth"


class BuildWithPth(build_py):
    """Wheels and regular installs: the .pth goes to the top of site-packages."""

    def run(self):
        super().run()
        self.copy_file(PTH, os.path.join(self.build_lib, PTH))

    def get_outputs(self, include_bytecode=True):
        return [*super().get_outputs(include_bytecode), os.path.join(self.build_lib, PTH)]


def _editable_wheel_with_pth():
    """Editable installs (``pip install -e``): the same file added to the editable wheel.

    It wraps setuptools's choice of editable strategy, an internal step; where a future
    setuptools renames it, editable installs go without the .pth (``import skdeep`` first
    still listens to TensorFlow's import).
    """
    from setuptools.command.editable_wheel import editable_wheel

    if not hasattr(editable_wheel, "_select_strategy"):
        return editable_wheel

    class EditableWithPth(editable_wheel):
        def _select_strategy(self, *args, **kwargs):
            return _AddPth(super()._select_strategy(*args, **kwargs))

    return EditableWithPth


class _AddPth:
    def __init__(self, strategy):
        self.strategy = strategy

    def __call__(self, wheel, files, mapping):
        self.strategy(wheel, files, mapping)
        with open(PTH, "rb") as pth:
            wheel.writestr(PTH, pth.read())

    def __enter__(self):
        self.strategy.__enter__()
        return self

    def __exit__(self, *exc):
        return self.strategy.__exit__(*exc)


setup(cmdclass={"build_py": BuildWithPth, "editable_wheel": _editable_wheel_with_pth()})
