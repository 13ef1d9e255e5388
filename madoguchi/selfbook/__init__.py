"""Residents book an online consultation themselves (ADR 0049)."""
