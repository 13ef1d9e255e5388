"""Reads of the video rooms, one module per feature (ADR 0034): ``recording``."""
