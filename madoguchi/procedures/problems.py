"""Collecting every problem of a definition before refusing it.

An administrator who saves a procedure sees all its mistakes at once, each with where it
is (「申請書の項目 › 区分1「請求者」 › 項目「birth_date」」) and what to do, next to the part of the
editor it belongs to. Parsers take a ``Problems`` and a ``where`` list and keep going.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class DefinitionInvalid(ValidationError):
    """A definition with problems; ``message_dict`` is keyed by part (form, workflow…)."""


class Problems:
    def __init__(self) -> None:
        self.by_part: dict[str, list[str]] = {}
        self._part = "__all__"
        self._where: list[str] = []

    @contextmanager
    def part(self, name: str) -> Iterator[None]:
        previous, where = self._part, self._where
        self._part, self._where = name, []
        try:
            yield
        finally:
            self._part, self._where = previous, where

    @contextmanager
    def at(self, place: str) -> Iterator[None]:
        self._where.append(place)
        try:
            yield
        finally:
            self._where.pop()

    def add(self, message: str) -> None:
        text = " › ".join([*self._where, message]) if self._where else message
        self.by_part.setdefault(self._part, []).append(text)

    def __bool__(self) -> bool:
        return bool(self.by_part)

    def raise_if_any(self) -> None:
        if self.by_part:
            raise DefinitionInvalid(self.by_part)


def check_keys(problems: Problems, data: dict, allowed: set[str] | frozenset[str]) -> None:
    """Report keys that are not settings of this thing (usually a typo)."""
    for key in data:
        if key not in allowed:
            problems.add(_("「%(key)s」という設定はありません（使えるもの：%(allowed)s）。")
                         % {"key": key, "allowed": ", ".join(sorted(allowed))})


def text_value(problems: Problems, data: dict, key: str, *, required: bool = False,
               max_length: int = 1000, label: str = "") -> str:
    """A string setting; reports missing, non-string or too long values."""
    value = data.get(key)
    if value is None or value == "":
        if required:
            problems.add(_("「%(key)s」（%(label)s）を書いてください。")
                         % {"key": key, "label": label or key})
        return ""
    if not isinstance(value, str):
        problems.add(_("「%(key)s」は文字で書いてください。") % {"key": key})
        return ""
    value = value.strip()
    if len(value) > max_length:
        problems.add(_("「%(key)s」は%(max)d文字以内にしてください（今は%(length)d文字）。")
                     % {"key": key, "max": max_length, "length": len(value)})
    return value


def int_value(problems: Problems, data: dict, key: str, *, minimum: int, maximum: int,
              default: int | None = None) -> int | None:
    value = data.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        problems.add(_("「%(key)s」は%(min)dから%(max)dまでの整数にしてください。")
                     % {"key": key, "min": minimum, "max": maximum})
        return default
    return value


def bool_value(problems: Problems, data: dict, key: str, *, default: bool = False) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        problems.add(_("「%(key)s」は true か false にしてください。") % {"key": key})
        return default
    return value


def list_value(problems: Problems, data: dict, key: str) -> list:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(_("「%(key)s」は一覧（- で始まる行）で書いてください。") % {"key": key})
        return []
    return value
