"""The shape of a procedure's form, as data: sections of fields, checked before saving.

A form definition (YAML or JSON) looks like this::

    sections:
      - title: 請求者
        help: 児童を養育している方のうち、所得の高い方が請求者です。
        fields:
          - {name: applicant, type: name, label: 請求者の氏名, required: true}
          - {name: birth_date, type: date, label: 生年月日, required: true, past: true}
          - name: reason
            type: radio
            label: 届出の理由
            choices: [{value: move, label: 転入}, {value: other, label: その他}]
          - name: reason_other
            type: textarea
            label: その他の理由
            show_when: {field: reason, equals: other}
            required: true             # required when shown
          - name: children
            type: group                # repeating rows, e.g. household members
            label: 児童
            item_label: 児童
            min: 1
            max: 10
            fields: [...]

``formschema.parse.parse_form`` checks everything (unknown types and settings, duplicate
names, conditions on unknown fields or impossible values, cycles, My Number) and reports
every problem; it returns the canonical ``FormSpec``, whose ``as_data()`` is what the
database stores.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_FIELDS = 300

# Field types and the settings each accepts besides the common ones.
TYPE_OPTIONS: dict[str, frozenset[str]] = {
    "text": frozenset({"max_length"}),
    "textarea": frozenset({"max_length", "rows"}),
    "kana": frozenset({"max_length"}),
    "name": frozenset({"with_kana"}),
    "date": frozenset({"past", "future", "after"}),
    "integer": frozenset({"min", "max", "unit"}),
    "money": frozenset({"min", "max"}),
    "digits": frozenset({"length", "min_length", "max_length"}),
    "postal_code": frozenset(),
    "phone": frozenset(),
    "email": frozenset(),
    "select": frozenset({"choices"}),
    "radio": frozenset({"choices"}),
    "multiselect": frozenset({"choices", "min", "max"}),
    "checkbox": frozenset(),
    "yesno": frozenset(),
    "address": frozenset({"within"}),
    "group": frozenset({"fields", "min", "max", "item_label", "item_label_en"}),
}
COMMON_KEYS = frozenset({"name", "type", "label", "label_en", "help", "help_en", "required",
                         "show_when", "required_when", "staff_note", "prefill"})
CHOICE_TYPES = frozenset({"select", "radio", "multiselect"})
COMPOUND_PARTS: dict[str, tuple[str, ...]] = {
    "name": ("family", "given", "family_kana", "given_kana"),
    "address": ("postal_code", "address", "building"),
}
OPERATORS = ("equals", "not_equals", "in", "filled")

# Where a field's first value may come from when staff start a draft for a resident of the
# ward's records (applications.prefill): source -> the field types it fits.
RESIDENT_SOURCES: dict[str, frozenset[str]] = {
    "resident.name": frozenset({"name"}),
    "resident.kana": frozenset({"kana", "text"}),
    "resident.birth_date": frozenset({"date"}),
    "resident.address": frozenset({"address"}),
    "resident.postal_code": frozenset({"postal_code"}),
    "resident.phone": frozenset({"phone"}),
    "resident.email": frozenset({"email"}),
}
HOUSEHOLD_SOURCES: dict[str, frozenset[str]] = {
    "household.children": frozenset({"group"}),
    "household.members": frozenset({"group"}),
}
MEMBER_SOURCES: dict[str, frozenset[str]] = {
    "member.name": frozenset({"name"}),
    "member.kana": frozenset({"kana", "text"}),
    "member.birth_date": frozenset({"date"}),
    "member.relationship": frozenset({"select", "radio"}),
}
DEFAULT_MAX_LENGTH = {"text": 100, "textarea": 1000, "kana": 50}

# Names and labels that would collect a My Number. "マイナンバーカード" (the card) is fine.
MY_NUMBER_NAMES = frozenset({"my_number", "mynumber", "kojin_bango", "kojin_bangou",
                             "individual_number", "personal_number"})
MY_NUMBER_LABEL = re.compile(r"個人番号|マイナンバー(?!カード)|my\s*number(?!\s*card)", re.I)


def localised(obj: Any, attribute: str) -> str:
    """``obj.<attribute>_en`` in English when it is set, else ``obj.<attribute>``."""
    if translation.get_language() == "en":
        english = getattr(obj, f"{attribute}_en", "")
        if english:
            return english
    return getattr(obj, attribute)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    label_en: str = ""

    @property
    def text(self) -> str:
        return localised(self, "label")


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Any = None

    def as_data(self) -> dict[str, Any]:
        return {"field": self.field, self.op: True if self.op == "filled" else self.value}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Condition:
        """The condition of canonical (already validated) data."""
        op = next(op for op in OPERATORS if op in data)
        return cls(data["field"], op, data[op])


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    label: str
    label_en: str = ""
    help: str = ""
    help_en: str = ""
    required: bool = False
    show_when: Condition | None = None
    required_when: Condition | None = None
    options: dict[str, Any] = field(default_factory=dict, hash=False)
    choices: tuple[Choice, ...] = ()
    fields: tuple[FieldSpec, ...] = ()
    staff_note: str = ""
    prefill: str = ""

    @property
    def text(self) -> str:
        """The label in the active language."""
        return localised(self, "label")

    @property
    def help_text(self) -> str:
        return localised(self, "help")

    def opt(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)

    @property
    def item_text(self) -> str:
        """What one row of a group is called (児童, 加入する方), in the active language."""
        if translation.get_language() == "en" and self.opt("item_label_en"):
            return self.opt("item_label_en")
        return self.opt("item_label") or self.text

    @property
    def parts(self) -> tuple[str, ...]:
        """Sub-inputs of a compound field (name, address); () otherwise."""
        if self.type == "name" and not self.opt("with_kana", True):
            return ("family", "given")
        return COMPOUND_PARTS.get(self.type, ())

    @property
    def is_group(self) -> bool:
        return self.type == "group"

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)

    def as_data(self, *, public: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "type": self.type, "label": self.label}
        for key in ("label_en", "help", "help_en"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.required:
            data["required"] = True
        for key in ("show_when", "required_when"):
            if getattr(self, key):
                data[key] = getattr(self, key).as_data()
        data.update(self.options)
        if self.choices:
            data["choices"] = [{"value": c.value, "label": c.label,
                                **({"label_en": c.label_en} if c.label_en else {})}
                               for c in self.choices]
        if self.fields:
            data["fields"] = [f.as_data(public=public) for f in self.fields]
        if self.staff_note and not public:
            data["staff_note"] = self.staff_note
        if self.prefill:
            data["prefill"] = self.prefill
        return data


@dataclass(frozen=True)
class SectionSpec:
    title: str
    fields: tuple[FieldSpec, ...]
    title_en: str = ""
    help: str = ""
    help_en: str = ""

    @property
    def text(self) -> str:
        return localised(self, "title")

    @property
    def help_text(self) -> str:
        return localised(self, "help")

    def as_data(self, *, public: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"title": self.title}
        for key in ("title_en", "help", "help_en"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        data["fields"] = [f.as_data(public=public) for f in self.fields]
        return data


@dataclass(frozen=True)
class FormSpec:
    sections: tuple[SectionSpec, ...]

    def top_fields(self) -> Iterator[FieldSpec]:
        for section in self.sections:
            yield from section.fields

    def all_fields(self) -> Iterator[FieldSpec]:
        """Every field, group fields after their group."""
        for spec in self.top_fields():
            yield spec
            yield from spec.fields

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.all_fields() if f.name == name), None)

    def as_data(self, *, public: bool = False) -> dict[str, Any]:
        return {"sections": [s.as_data(public=public) for s in self.sections]}
