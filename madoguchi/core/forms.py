"""Small helpers shared by the HTML forms of every context."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ServiceErrorsMixin:
    """For forms whose services validate: ``add_service_errors(error)`` shows a service's
    ValidationError on the matching fields (others on the form as a whole)."""

    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)
