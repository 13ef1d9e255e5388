"""A form definition as a Django form, rendered with the shared field look.

``ProcedureForm(spec, data)`` has one Django field per input: ``birth_date``, compound
parts ``applicant-family``, group rows ``children-0-birth_date`` and a hidden
``children-rows`` per group. Django only carries the raw input; ``clean()`` hands it to the
engine (``clean_answers``), puts each message on its input and leaves the stored answers in
``form.answers`` — so a page and the API say exactly the same thing.

Rows are added and removed without JavaScript by submit buttons (``_add=children``,
``_remove=children-1``): ``row_action(spec, data)`` returns the raw answers with the row
added or removed, to show again unvalidated (``ProcedureForm(spec, answers=...)``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madoguchi.core.dates import wareki
from madoguchi.procedures.formschema.engine import clean_answers
from madoguchi.procedures.formschema.spec import Condition, FieldSpec, FormSpec
from madoguchi.procedures.formschema.summary import describe
from madoguchi.procedures.formschema.types import type_hint
from madoguchi.procedures.formschema.values import PART_LABELS, REQUIRED_PARTS

YES_NO = [("yes", gettext_lazy("はい")), ("no", gettext_lazy("いいえ"))]
AUTOCOMPLETE = {"family": "family-name", "given": "given-name", "postal_code": "postal-code",
                "address": "street-address", "email": "email", "phone": "tel"}


class RawField(forms.Field):
    """Carries the raw input to the engine untouched (the engine validates)."""

    def to_python(self, value: Any) -> Any:
        return value

    def validate(self, value: Any) -> None:
        return None


def flat_name(path: str) -> str:
    """Engine path ``children.1.birth_date`` → input name ``children-1-birth_date``."""
    return path.replace(".", "-")


def _choices(spec: FieldSpec) -> list[tuple[str, str]]:
    return [(c.value, c.text) for c in spec.choices]


def widget_for(spec: FieldSpec, *, shared_device: bool) -> forms.Widget:
    attrs: dict[str, Any] = {}
    if shared_device:
        attrs["autocomplete"] = "off"
    elif spec.type in AUTOCOMPLETE:
        attrs["autocomplete"] = AUTOCOMPLETE[spec.type]
    kind = spec.type
    if kind == "textarea":
        return forms.Textarea(attrs={**attrs, "rows": spec.opt("rows", 4)})
    if kind in ("integer", "money", "digits", "postal_code"):
        return forms.TextInput(attrs={**attrs, "inputmode": "numeric"})
    if kind == "phone":
        return forms.TextInput(attrs={**attrs, "type": "tel", "inputmode": "tel"})
    if kind == "email":
        return forms.EmailInput(attrs=attrs)
    if kind == "select":
        return forms.Select(choices=[("", _("選んでください")), *_choices(spec)])
    if kind == "radio":
        return forms.RadioSelect(choices=_choices(spec))
    if kind == "multiselect":
        return forms.CheckboxSelectMultiple(choices=_choices(spec))
    if kind == "yesno":
        return forms.RadioSelect(choices=YES_NO)
    if kind == "checkbox":
        return forms.CheckboxInput()
    return forms.TextInput(attrs=attrs)


def _part_widget(part: str, *, shared_device: bool) -> forms.Widget:
    attrs: dict[str, Any] = {"autocomplete": "off" if shared_device
                             else AUTOCOMPLETE.get(part, "on")}
    if part == "postal_code":
        attrs["inputmode"] = "numeric"
    return forms.TextInput(attrs=attrs)


def _client_value(target: FieldSpec | None, value: Any) -> str:
    """A condition value as the browser sees the input (for the show/hide script)."""
    if target is not None and target.type == "yesno":
        return "yes" if value else "no"
    if target is not None and target.type == "checkbox":
        return "true" if value else ""
    return str(value)


@dataclass
class Item:
    """One thing the template draws: a field, a compound field or a repeating group."""

    kind: str  # "field" | "compound" | "group"
    spec: FieldSpec
    anchor: str
    required: bool
    label: str
    hint: str = ""
    bound: Any = None
    parts: list[Any] = field(default_factory=list)
    rows: list[tuple[str, int, list[Item]]] = field(default_factory=list)
    rows_field: Any = None
    show_when: str = ""  # JSON for the show/hide script
    can_add: bool = False

    @property
    def errors(self) -> list[str]:
        if self.kind == "group" and self.rows_field is not None:
            return list(self.rows_field.errors)
        return []


class ProcedureForm(forms.Form):
    def __init__(self, spec: FormSpec, data: Mapping[str, Any] | None = None, *,
                 answers: Mapping[str, Any] | None = None, shared_device: bool = True,
                 **kwargs: Any) -> None:
        self.spec = spec
        self.shared_device = shared_device
        self.answers: dict[str, Any] | None = None
        answers = answers or {}
        self.row_counts = {g.name: _row_count(g, data, answers) for g in spec.top_fields()
                           if g.is_group}
        super().__init__(data, initial=_flatten(spec, answers), **kwargs)
        for spec_field in spec.top_fields():
            if spec_field.is_group:
                self.fields[f"{spec_field.name}-rows"] = RawField(
                    required=False, widget=forms.HiddenInput,
                    initial=self.row_counts[spec_field.name])
                for index in range(self.row_counts[spec_field.name]):
                    for sub in spec_field.fields:
                        self._add_inputs(sub, f"{spec_field.name}-{index}-")
            else:
                self._add_inputs(spec_field, "")

    # ── building ───────────────────────────────────────────────────────────────────────

    def _add_inputs(self, spec: FieldSpec, prefix: str) -> None:
        if spec.parts:
            for part in spec.parts:
                self.fields[f"{prefix}{spec.name}-{part}"] = RawField(
                    required=False, label=PART_LABELS[part],
                    widget=_part_widget(part, shared_device=self.shared_device))
            return
        help_text = self._hint(spec)
        self.fields[f"{prefix}{spec.name}"] = RawField(
            required=False, label=spec.text, help_text=help_text,
            widget=widget_for(spec, shared_device=self.shared_device))

    def _hint(self, spec: FieldSpec) -> str:
        pieces = []
        for key, text in (("show_when", _("%(when)sに記入してください。")),
                          ("required_when", _("%(when)sは必ず記入してください。"))):
            condition = getattr(spec, key)
            if condition is not None:
                pieces.append(text % {"when": describe(condition, self._target(condition))})
        pieces += [spec.help_text, type_hint(spec)]
        return " ".join(p for p in pieces if p)

    def _target(self, condition: Condition) -> FieldSpec | None:
        return self.spec.field(condition.field)

    # ── reading and checking ───────────────────────────────────────────────────────────

    def structured(self, get: Callable[[str], Any] | None = None) -> dict[str, Any]:
        """The raw answers in the engine's shape (from cleaned_data, or ``get``)."""
        get = get or (lambda name: self.cleaned_data.get(name))

        def leaf(spec: FieldSpec, prefix: str) -> Any:
            if spec.parts:
                return {part: get(f"{prefix}{spec.name}-{part}") for part in spec.parts}
            return get(f"{prefix}{spec.name}")

        data: dict[str, Any] = {}
        for spec in self.spec.top_fields():
            if spec.is_group:
                data[spec.name] = [{sub.name: leaf(sub, f"{spec.name}-{index}-")
                                    for sub in spec.fields}
                                   for index in range(self.row_counts[spec.name])]
            else:
                data[spec.name] = leaf(spec, "")
        return data

    def raw_input(self) -> dict[str, Any]:
        """The raw answers of a bound form without validating them."""
        return self.structured(lambda name: self[name].data)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        outcome = clean_answers(self.spec, self.structured())
        for path, messages in outcome.errors.items():
            name = flat_name(path)
            if name not in self.fields:
                name = f"{name}-rows"  # the number of rows of a group
            for message in messages:
                self.add_error(name, message)
        self.answers = outcome.answers if outcome.ok else None
        return cleaned

    # ── drawing ────────────────────────────────────────────────────────────────────────

    def layout(self) -> list[tuple[Any, list[Item]]]:
        """(section, items) for the template."""
        return [(section, [self._item(spec, "") for spec in section.fields])
                for section in self.spec.sections]

    def _item(self, spec: FieldSpec, prefix: str) -> Item:
        anchor = f"id_{prefix}{spec.name}"
        item = Item(kind="field", spec=spec, anchor=anchor, label=spec.text,
                    required=spec.required, show_when=self._show_when(spec, prefix))
        if spec.is_group:
            item.kind = "group"
            item.anchor = f"group-{spec.name}"
            item.rows_field = self[f"{spec.name}-rows"]
            item.hint = self._hint(spec)
            count = self.row_counts[spec.name]
            item.rows = [(f"{spec.name}-{i}", i + 1,
                          [self._item(sub, f"{spec.name}-{i}-") for sub in spec.fields])
                         for i in range(count)]
            item.can_add = count < spec.opt("max", 10)
        elif spec.parts:
            item.kind = "compound"
            item.anchor = f"id_{prefix}{spec.name}-{spec.parts[0]}"
            needed = REQUIRED_PARTS[spec.type] if spec.required else ()
            item.parts = [(self[f"{prefix}{spec.name}-{part}"], part in needed)
                          for part in spec.parts]
            item.hint = self._hint(spec)
        else:
            item.bound = self[f"{prefix}{spec.name}"]
        return item

    def _show_when(self, spec: FieldSpec, prefix: str) -> str:
        condition = spec.show_when
        if condition is None:
            return ""
        target = self._target(condition)
        group = self.spec.field(prefix.split("-", 1)[0]) if prefix else None
        in_row = group is not None and any(sub.name == condition.field for sub in group.fields)
        values = condition.value if condition.op == "in" else [condition.value]
        return json.dumps({
            "field": f"{prefix}{condition.field}" if in_row else condition.field,
            "op": condition.op,
            "values": [_client_value(target, v) for v in values] if condition.op != "filled"
            else [],
        }, ensure_ascii=False)

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor, label, message) of every error, in the form's order."""
        rows: list[tuple[str, str, str]] = []

        def walk(item: Item, context: str) -> None:
            label = f"{context}{item.label}"
            if item.kind == "field":
                rows.extend((item.anchor, label, e) for e in item.bound.errors)
            elif item.kind == "compound":
                for bound, _required in item.parts:
                    part = _("%(label)s（%(part)s）") % {"label": label, "part": bound.label}
                    rows.extend((bound.id_for_label, part, e) for e in bound.errors)
            else:
                rows.extend((item.anchor, label, e) for e in item.errors)
                unit = item.spec.item_text
                for _name, number, row in item.rows:
                    for child in row:
                        walk(child, _("%(unit)s%(number)s") % {"unit": unit,
                                                                 "number": number} + " › ")

        for _section, items in self.layout():
            for item in items:
                walk(item, "")
        rows.extend(("", "", e) for e in self.non_field_errors())
        return rows


def _row_count(group: FieldSpec, data: Mapping[str, Any] | None,
               answers: Mapping[str, Any]) -> int:
    high = group.opt("max", 10)
    if data is not None and f"{group.name}-rows" in data:
        try:
            count = int(data.get(f"{group.name}-rows"))
        except (TypeError, ValueError):
            count = 1
    elif isinstance(answers.get(group.name), list):
        count = len(answers[group.name])
    else:
        count = max(group.opt("min", 1 if group.required else 0), 1)
    return max(0, min(count, high))


def _initial_value(spec: FieldSpec, value: Any) -> Any:
    if value is None:
        return None
    if spec.type == "yesno" and isinstance(value, bool):
        return "yes" if value else "no"
    if spec.type == "date" and isinstance(value, str):
        try:
            return wareki(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if spec.type in ("integer", "money") and isinstance(value, int):
        return f"{value:,}" if spec.type == "money" else str(value)
    return value


def _flatten(spec: FormSpec, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Initial input values from stored (or raw) answers."""
    flat: dict[str, Any] = {}

    def put(field_spec: FieldSpec, value: Any, prefix: str) -> None:
        if field_spec.parts:
            for part in field_spec.parts:
                flat[f"{prefix}{field_spec.name}-{part}"] = (value or {}).get(part) \
                    if isinstance(value, Mapping) else None
        else:
            flat[f"{prefix}{field_spec.name}"] = _initial_value(field_spec, value)

    for field_spec in spec.top_fields():
        value = answers.get(field_spec.name)
        if field_spec.is_group:
            for index, row in enumerate(value if isinstance(value, list) else []):
                for sub in field_spec.fields:
                    put(sub, row.get(sub.name) if isinstance(row, Mapping) else None,
                        f"{field_spec.name}-{index}-")
        else:
            put(field_spec, value, "")
    return flat


def row_action(spec: FormSpec, data: Mapping[str, Any]) -> dict[str, Any] | None:
    """The raw answers with a row added (``_add``) or removed (``_remove``), or None when
    the request is no row action."""
    add, remove = data.get("_add"), data.get("_remove")
    if not add and not remove:
        return None
    form = ProcedureForm(spec, data)
    raw = form.raw_input()
    groups = {g.name: g for g in spec.top_fields() if g.is_group}
    if add in groups and len(raw[add]) < groups[add].opt("max", 10):
        raw[add].append({})
    elif remove:
        name, _sep, index = str(remove).rpartition("-")
        if name in groups and index.isdigit() and int(index) < len(raw[name]):
            del raw[name][int(index)]
    return raw
