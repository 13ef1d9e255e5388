"""Why a news request is refused: a translated message for the user and a stable code."""

from __future__ import annotations


class NewsError(Exception):
    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
