"""What the writes of district news share: a refusal with its message and code."""

from __future__ import annotations

from madoguchi.news.errors import NewsError


def _refuse(message: str, code: str) -> NewsError:
    return NewsError(message, code=code)
