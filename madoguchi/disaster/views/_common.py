"""Shared by the disaster views (private to the app)."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def messages_of(error: ValidationError) -> list[str]:
    """Every message of a service's ValidationError, for the page's error list."""
    if hasattr(error, "error_dict"):
        return [str(m) for errors in error.message_dict.values() for m in errors]
    return [str(m) for m in error.messages]
