"""Community in the JSON API (issue 16 item 6), one module per feature (ADR 0034): rooms,
equipment and room requests (``rooms``), circulars (``circulars``), on one router that
the API root mounts."""

from madoguchi.community.api import circulars, rooms  # noqa: F401 - their operations
from madoguchi.community.api._router import router

__all__ = ["router"]
