"""Errors raised before a document is drawn; their messages are Japanese and safe to show."""

from __future__ import annotations


class DocumentError(ValueError):
    """Content that cannot be printed; ``problems`` lists every reason found."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class TemplateTextError(DocumentError):
    """An administrator's template text that cannot be filled in."""


class DocumentContentError(DocumentError):
    """Data given for a document that cannot be printed as it is."""
