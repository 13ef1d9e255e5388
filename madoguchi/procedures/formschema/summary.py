"""Answers and conditions in words, for confirmation pages, previews and notices.

``summarise(form, answers)`` turns stored answers into (section, rows) with each value as a
resident reads it: dates in 和暦 (with 西暦), choices by their label, names with their
furigana, money with 円. ``describe(condition, target)`` says when a field applies:
「「届出の理由」で「その他」を選んだ場合」.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from madoguchi.core.dates import day_text
from madoguchi.procedures.formschema.spec import CHOICE_TYPES, Condition, FieldSpec, FormSpec


def _shown_value(target: FieldSpec | None, value: Any) -> str:
    if target is None:
        return str(value)
    if target.type == "yesno":
        return _("はい") if value else _("いいえ")
    if target.type in CHOICE_TYPES:
        choice = target.choice(value)
        return choice.text if choice else str(value)
    return str(value)


def describe(condition: Condition, target: FieldSpec | None) -> str:
    """「「届出の理由」で「その他」を選んだ場合」: a condition in words for residents."""
    label = target.text if target else condition.field
    if condition.op == "filled":
        return _("「%(label)s」を入力した場合") % {"label": label}
    if target is not None and target.type == "checkbox":
        return (_("「%(label)s」にチェックを入れた場合") if condition.value
                else _("「%(label)s」にチェックを入れない場合")) % {"label": label}
    values = condition.value if condition.op == "in" else [condition.value]
    shown = _("」か「").join(_shown_value(target, v) for v in values)
    if condition.op == "not_equals":
        return _("「%(label)s」が「%(value)s」以外の場合") % {"label": label, "value": shown}
    if target is not None and target.type in ("select", "radio", "multiselect"):
        return _("「%(label)s」で「%(value)s」を選んだ場合") % {"label": label, "value": shown}
    return _("「%(label)s」が「%(value)s」の場合") % {"label": label, "value": shown}


@dataclass
class Row:
    label: str
    value: str = ""
    rows: list[list[Row]] = field(default_factory=list)  # a group: one list per entry
    item_label: str = ""


def value_text(spec: FieldSpec, value: Any) -> str:
    """One stored answer as text for people ("" when empty)."""
    if value is None or value == "" or value == []:
        return ""
    kind = spec.type
    if kind == "date":
        return day_text(dt.date.fromisoformat(value), seireki=True)
    if kind in ("yesno", "checkbox"):
        return _("はい") if value else _("いいえ")
    if kind == "multiselect":
        return "、".join(_shown_value(spec, v) for v in value)
    if kind in CHOICE_TYPES:
        return _shown_value(spec, value)
    if kind == "money":
        return _("%(amount)s円") % {"amount": f"{value:,}"}
    if kind == "integer":
        return f"{value:,}{spec.opt('unit', '')}"
    if kind == "name":
        full = " ".join(p for p in (value.get("family"), value.get("given")) if p)
        kana = "　".join(p for p in (value.get("family_kana"), value.get("given_kana")) if p)
        return f"{full}（{kana}）" if kana else full
    if kind == "address":
        postal = f"〒{value['postal_code']} " if value.get("postal_code") else ""
        building = f" {value['building']}" if value.get("building") else ""
        return f"{postal}{value.get('address', '')}{building}"
    return str(value)


def summarise(form: FormSpec, answers: dict[str, Any]) -> list[tuple[str, list[Row]]]:
    """(section title, rows) of the answers that were given; hidden fields are absent."""
    sections = []
    for section in form.sections:
        rows = []
        for spec in section.fields:
            if spec.name not in answers:
                continue
            if spec.is_group:
                entries = [[Row(sub.text, value_text(sub, entry.get(sub.name)))
                            for sub in spec.fields if sub.name in entry]
                           for entry in answers[spec.name]]
                rows.append(Row(spec.text, rows=entries,
                                item_label=spec.item_text))
            else:
                rows.append(Row(spec.text, value_text(spec, answers[spec.name])))
        if rows:
            sections.append((section.text, rows))
    return sections
