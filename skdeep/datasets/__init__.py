"""Real tabular data sets shipped inside the package: nothing is downloaded."""

from ._loaders import load_adult, load_california_housing

__all__ = ["load_adult", "load_california_housing"]
