"""Fixtures of the guidance tests (the engine's are in engine_world.py)."""

from tests.guidance.engine_world import seed_kb, small_kb  # noqa: F401 - fixtures
