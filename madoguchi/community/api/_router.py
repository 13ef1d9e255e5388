"""The community router, shared by the API's modules (rooms, circulars)."""

from ninja import Router

router = Router(tags=["community"])
