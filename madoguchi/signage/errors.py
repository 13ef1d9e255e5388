"""Refusals of signage with a message safe to show."""

from __future__ import annotations


class SignageRefused(Exception):
    def __init__(self, code: str, message, status: int = 400):
        super().__init__(code)
        self.code = code
        self.message = str(message)
        self.status = status
