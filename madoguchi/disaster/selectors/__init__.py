"""Reads of the disaster context (re-exported for other contexts)."""

from madoguchi.disaster.selectors.declarations import declared_scope, in_disaster
from madoguchi.disaster.selectors.shelters import open_shelters

__all__ = ["declared_scope", "in_disaster", "open_shelters"]
