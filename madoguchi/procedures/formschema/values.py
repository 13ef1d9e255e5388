"""What every field type's cleaner is made of: the error it raises (``FieldError``), when an
answer is blank, the parts of a name or address, width, length and the My Number refusal."""

from __future__ import annotations

from typing import Any

import jaconv
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madoguchi.core.text import (
    contains_my_number,
)
from madoguchi.procedures.formschema.spec import DEFAULT_MAX_LENGTH, FieldSpec

PART_LABELS = {
    "family": gettext_lazy("氏"),
    "given": gettext_lazy("名"),
    "family_kana": gettext_lazy("氏（フリガナ）"),
    "given_kana": gettext_lazy("名（フリガナ）"),
    "postal_code": gettext_lazy("郵便番号"),
    "address": gettext_lazy("住所"),
    "building": gettext_lazy("建物名・部屋番号"),
}
REQUIRED_PARTS = {"name": ("family", "given", "family_kana", "given_kana"),
                  "address": ("postal_code", "address")}


class FieldError(Exception):
    """``messages``: {"": message} for the field, {part: message} for compound parts;
    ``value``: what could be read of a compound field (so that only parts really left
    empty are reported as missing)."""

    def __init__(self, messages: dict[str, str], value: Any = None) -> None:
        super().__init__(messages)
        self.messages = messages
        self.value = value


def fail(message: str, part: str = "") -> FieldError:
    return FieldError({part: message})


def is_blank(value: Any) -> bool:
    """Nothing written: None, spaces, an empty list, an unticked box (False). A 「いいえ」
    answer is also False: use ``is_answered`` for stored answers."""
    if value is None or value is False:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return all(is_blank(item) for item in value)
    if isinstance(value, dict):
        return all(is_blank(item) for item in value.values())
    return False


def is_answered(spec: FieldSpec, value: Any) -> bool:
    """Whether a stored answer says something: 「いいえ」 does, an unticked box does not."""
    if spec.type == "yesno":
        return value is not None
    return not is_blank(value)


def as_text(raw: Any) -> str:
    if isinstance(raw, (list, tuple)):
        raw = raw[-1] if raw else ""
    return "" if raw is None else str(raw)


def width(text: str) -> str:
    """Full-width letters and digits to half width, half-width kana to full width; the
    kanji are left as written (a person's 髙 stays 髙)."""
    text = jaconv.z2h(text, kana=False, ascii=True, digit=True)
    return jaconv.h2z(text, kana=True, ascii=False, digit=False)


def no_my_number(value: str, part: str = "") -> str:
    if contains_my_number(value):
        raise fail(_("マイナンバー（個人番号）は書かないでください。"
                     "この申請では使いません。"), part)
    return value


def check_max_length(spec: FieldSpec, value: str, label: str, part: str = "") -> str:
    limit = spec.opt("max_length", DEFAULT_MAX_LENGTH.get(spec.type, 200))
    if len(value) > limit:
        raise fail(_("%(label)sは%(max)d文字以内で入力してください（今は%(length)d文字です）。")
                   % {"label": label, "max": limit, "length": len(value)}, part)
    return value
