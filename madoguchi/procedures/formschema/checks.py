"""Whole-form checks of a definition read by ``formschema.parse``: unique field names, the
number of fields, and conditions (what they may refer to, their values, cycles)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from madoguchi.procedures.formschema.spec import (
    CHOICE_TYPES,
    MAX_FIELDS,
    Condition,
    FieldSpec,
    FormSpec,
)
from madoguchi.procedures.problems import (
    Problems,
)


def check_names(spec: FormSpec, problems: Problems) -> None:
    seen: set[str] = set()
    count = 0
    for field_spec in spec.all_fields():
        count += 1
        if field_spec.name and field_spec.name in seen:
            problems.add(_("項目名「%(name)s」が重複しています。項目名は申請書の中で1つずつに"
                           "してください。") % {"name": field_spec.name})
        seen.add(field_spec.name)
    if count > MAX_FIELDS:
        problems.add(_("項目が多すぎます（%(count)d個）。%(max)d個までにしてください。")
                     % {"count": count, "max": MAX_FIELDS})


def condition_scope(spec: FormSpec, group: FieldSpec | None) -> dict[str, FieldSpec]:
    """The fields a condition of a field may refer to: top-level, and the group's own."""
    scope = {f.name: f for f in spec.top_fields()}
    if group is not None:
        scope.update({f.name: f for f in group.fields})
    return scope


def check_conditions(spec: FormSpec, problems: Problems) -> None:
    depends: dict[str, set[str]] = {}
    for top in spec.top_fields():
        for field_spec, group in [(top, None), *((f, top) for f in top.fields)]:
            scope = condition_scope(spec, group)
            for key in ("show_when", "required_when"):
                condition = getattr(field_spec, key)
                if condition is None:
                    continue
                with problems.at(_("項目「%(name)s」の%(key)s") % {"name": field_spec.name,
                                                                "key": key}):
                    _check_condition(condition, field_spec, scope, spec, problems)
                depends.setdefault(field_spec.name, set()).add(condition.field)
    _check_after(spec, problems)
    cycle = _find_cycle(depends)
    if cycle:
        problems.add(_("条件が循環しています：%(cycle)s。どれかの条件を外してください。")
                     % {"cycle": " → ".join(cycle)})


def _check_after(spec: FormSpec, problems: Problems) -> None:
    """``after: <field>`` names another date field the field can see (same scope)."""
    for top in spec.top_fields():
        for field_spec, group in [(top, None), *((f, top) for f in top.fields)]:
            after = field_spec.opt("after")
            if not after:
                continue
            target = condition_scope(spec, group).get(after)
            if target is None or target.type != "date" or target.name == field_spec.name:
                problems.add(_("項目「%(name)s」の「after: %(after)s」は、同じ申請書"
                               "（同じ繰り返し）にある別の日付の項目にしてください。")
                             % {"name": field_spec.name, "after": after})


def _check_condition(condition: Condition, owner: FieldSpec, scope: dict[str, FieldSpec],
                     spec: FormSpec, problems: Problems) -> None:
    if condition.field == owner.name:
        problems.add(_("自分自身を条件にはできません。"))
        return
    target = scope.get(condition.field)
    if target is None:
        elsewhere = spec.field(condition.field)
        if elsewhere is not None:
            problems.add(_("項目「%(name)s」は別の繰り返しの中にあるため、条件に使えません。")
                         % {"name": condition.field})
        else:
            problems.add(_("条件の項目「%(name)s」はこの申請書にありません。")
                         % {"name": condition.field})
        return
    if target.is_group or target.parts:
        problems.add(_("項目「%(name)s」（%(type)s）は条件に使えません。選択肢・はい/いいえ・"
                       "文字・数の項目を使ってください。")
                     % {"name": target.name, "type": target.type})
        return
    if condition.op == "filled":
        return
    values = condition.value if condition.op == "in" else [condition.value]
    for value in values:
        problem = value_problem(target, value)
        if problem:
            problems.add(problem)


def value_problem(target: FieldSpec, value: Any) -> str | None:
    if target.type in ("yesno", "checkbox"):
        if not isinstance(value, bool):
            return _("項目「%(name)s」ははい/いいえの項目なので、条件の値は true か false にして"
                     "ください。") % {"name": target.name}
    elif target.type in CHOICE_TYPES:
        if not isinstance(value, str) or target.choice(value) is None:
            return _("「%(value)s」は項目「%(name)s」の選択肢にありません"
                     "（選択肢の値：%(values)s）。"
                     ) % {"value": value, "name": target.name,
                          "values": ", ".join(c.value for c in target.choices)}
    elif target.type in ("integer", "money"):
        if isinstance(value, bool) or not isinstance(value, int):
            return _("項目「%(name)s」は数の項目なので、条件の値は整数にしてください。") \
                % {"name": target.name}
    elif not isinstance(value, str):
        return _("項目「%(name)s」の条件の値は文字で書いてください。") % {"name": target.name}
    return None


def _find_cycle(depends: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(depends.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(depends):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None
