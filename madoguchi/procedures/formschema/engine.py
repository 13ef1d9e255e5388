"""Checking a resident's answers against a form: one function for pages and API alike.

``clean_answers(form, data)`` takes the answers as structured data — ``{name: value}``,
compound fields (name, address) as ``{part: value}``, repeating groups as a list of row
dicts, multi-selects as lists — and returns an ``Outcome``: the stored answers (JSON-ready,
hidden fields left out) and the errors keyed by path (``birth_date``, ``applicant.family``,
``children.1.birth_date``, ``children`` for the number of rows).

Order of work: every field is normalised on its own; then conditions decide which fields
are shown (a field is shown when its ``show_when`` holds and the field it looks at is shown
itself); answers and errors of hidden fields are dropped, so nothing stale is kept; last,
shown fields that are required (``required`` or ``required_when``) and empty get a message.
Rows of a group in which nothing was written are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from madoguchi.procedures.formschema.spec import Condition, FieldSpec, FormSpec
from madoguchi.procedures.formschema.types import clean_value, required_messages
from madoguchi.procedures.formschema.values import FieldError, is_answered, is_blank

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Outcome:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)


def matches(condition: Condition, value: Any, target: FieldSpec | None = None) -> bool:
    """Whether a (cleaned) value of ``target`` satisfies a condition; an empty value never
    equals anything."""
    if condition.op == "filled":
        return is_answered(target, value) if target is not None else not is_blank(value)

    def equals(expected: Any) -> bool:
        if isinstance(value, list):
            return expected in value
        return value is not None and value == expected

    if condition.op == "equals":
        return equals(condition.value)
    if condition.op == "not_equals":
        return not equals(condition.value)
    return any(equals(expected) for expected in condition.value)


class _Scope:
    """The cleaned values and specs conditions can see: a group row over the top level."""

    def __init__(self, specs: dict[str, FieldSpec], values: dict[str, Any],
                 parent: _Scope | None = None) -> None:
        self.specs, self.values, self.parent = specs, values, parent
        self._visible: dict[str, bool] = {}

    def spec(self, name: str) -> tuple[FieldSpec | None, _Scope]:
        if name in self.specs:
            return self.specs[name], self
        if self.parent is not None:
            return self.parent.spec(name)
        return None, self

    def visible(self, spec: FieldSpec) -> bool:
        if spec.name not in self._visible:
            self._visible[spec.name] = True  # guards against a cycle (refused on save)
            self._visible[spec.name] = self._holds(spec.show_when, default=True)
        return self._visible[spec.name]

    def value(self, name: str) -> tuple[FieldSpec | None, Any]:
        target, owner = self.spec(name)
        if target is None or not owner.visible(target):
            return target, None
        return target, owner.values.get(name)

    def _holds(self, condition: Condition | None, *, default: bool) -> bool:
        if condition is None:
            return default
        target, value = self.value(condition.field)
        return matches(condition, value, target)

    def required(self, spec: FieldSpec) -> bool:
        return spec.required or self._holds(spec.required_when, default=False)


def _clean_leaves(specs: list[FieldSpec], data: Mapping[str, Any]
                  ) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    values: dict[str, Any] = {}
    errors: dict[str, dict[str, str]] = {}
    for spec in specs:
        if spec.is_group:
            continue
        try:
            values[spec.name] = clean_value(spec, data.get(spec.name))
        except FieldError as error:
            values[spec.name] = error.value
            errors[spec.name] = error.messages
    return values, errors


def _finish(specs: list[FieldSpec], scope: _Scope, errors: dict[str, dict[str, str]],
            prefix: str, outcome: Outcome, answers: dict[str, Any]) -> None:
    """Drop hidden fields, report format errors of shown ones and missing required ones."""
    for spec in specs:
        if spec.is_group or not scope.visible(spec):
            continue
        value = scope.values.get(spec.name)
        messages = dict(errors.get(spec.name, {}))
        if scope.required(spec) or (spec.parts and is_answered(spec, value)):
            for part, message in required_messages(spec, value).items():
                messages.setdefault(part, message)
        if not messages:
            message = _after_problem(spec, scope, value)
            if message:
                messages[""] = message
        for part, message in messages.items():
            outcome.add(f"{prefix}{spec.name}" + (f".{part}" if part else ""), message)
        answers[spec.name] = value


def _iso_day(value: Any) -> bool:
    return isinstance(value, str) and bool(ISO_DAY.fullmatch(value))


def _after_problem(spec: FieldSpec, scope: _Scope, value: Any) -> str:
    """A date that must come after another date of the form (``after: valid_from``)."""
    other = spec.opt("after") if spec.type == "date" else None
    if not other or not _iso_day(value):
        return ""
    target, earlier = scope.value(other)
    if target is None or not _iso_day(earlier) or value > earlier:
        return ""
    return _("%(label)sは「%(other)s」より後の日にしてください。") % {
        "label": spec.text, "other": target.text}


def _rows(raw: Any) -> list[Mapping[str, Any]]:
    if not isinstance(raw, (list, tuple)):
        return []
    return [row if isinstance(row, Mapping) else {} for row in raw]


def _clean_group(group: FieldSpec, raw: Any, top: _Scope, outcome: Outcome) -> list[dict]:
    specs = list(group.fields)
    kept: list[dict[str, Any]] = []
    for index, row in enumerate(_rows(raw)):
        prefix = f"{group.name}.{index}."
        values, errors = _clean_leaves(specs, row)
        if all(is_blank(row.get(spec.name)) for spec in specs):
            continue  # an empty row: added and left blank
        scope = _Scope({s.name: s for s in specs}, values, parent=top)
        answers: dict[str, Any] = {}
        _finish(specs, scope, errors, prefix, outcome, answers)
        kept.append(answers)
    low = group.opt("min", 1 if group.required else 0)
    high = group.opt("max", 10)
    item = group.item_text
    if len(kept) < low:
        outcome.add(group.name, _("%(item)sを%(min)d件以上入力してください。")
                    % {"item": item, "min": low})
    elif len(kept) > high:
        outcome.add(group.name, _("%(item)sは%(max)d件までです。")
                    % {"item": item, "max": high})
    return kept


def clean_answers(form: FormSpec, data: Mapping[str, Any]) -> Outcome:
    """The stored answers and the errors of ``data`` against ``form``."""
    outcome = Outcome()
    specs = list(form.top_fields())
    values, errors = _clean_leaves(specs, data)
    top = _Scope({s.name: s for s in specs}, values)
    answers: dict[str, Any] = {}
    _finish(specs, top, errors, "", outcome, answers)
    for spec in specs:
        if spec.is_group and top.visible(spec):
            answers[spec.name] = _clean_group(spec, data.get(spec.name), top, outcome)
    # Keep the form's order in the stored answers.
    outcome.answers = {s.name: answers[s.name] for s in specs if s.name in answers}
    return outcome
