"""Errors of the applications context that several modules raise."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class AnswersInvalid(ValidationError):
    """The answers do not pass the form: ``errors`` maps each path to its messages."""

    def __init__(self, errors: Mapping[str, list[str]]):
        self.errors = {path: list(messages) for path, messages in errors.items()}
        super().__init__(_("入力内容に直すところがあります。"), code="answers")
