"""Reading a workflow definition into a ``Workflow``, every problem reported at once:
unknown statuses, duplicate names, transitions out of a final status, statuses that cannot
be reached from the first one, or from which no final status can be reached."""

from __future__ import annotations

import re
from collections import deque
from typing import Any

from django.utils.translation import gettext as _

from madoguchi.procedures.formschema.parse import parse_form
from madoguchi.procedures.formschema.spec import (
    NAME_PATTERN,
    FieldSpec,
)
from madoguchi.procedures.problems import (
    Problems,
    bool_value,
    check_keys,
    list_value,
    text_value,
)
from madoguchi.procedures.workflow.model import (
                    Status,
    Transition,
    Workflow,
)

ACTORS = ("staff", "resident")
NOTE_RULES = ("none", "optional", "required")
# A decision field's label is printed as a row of the notice's 記 and may be named in the
# notice text, so it must be one word (as documents.templating.NAME): no spaces or symbols.
DECISION_LABEL = re.compile(r"[^\W\d][\w・]*")
DECISION_TYPES = frozenset({"text", "textarea", "date", "integer", "money", "digits",
                            "select", "radio", "yesno"})


def parse_workflow(data: Any, problems: Problems | None = None) -> Workflow:
    own = problems is None
    problems = problems if problems is not None else Problems()
    if not isinstance(data, dict):
        problems.add(_("処理の流れは「initial:」「statuses:」「transitions:」で書いてください。"))
        data = {}
    check_keys(problems, data, {"initial", "statuses", "transitions"})
    statuses = _statuses(list_value(problems, data, "statuses"), problems)
    codes = [s.code for s in statuses]
    initial = data.get("initial")
    if statuses and initial not in codes:
        problems.add(_("最初の状態（initial）「%(code)s」が状態の一覧にありません。")
                     % {"code": initial})
    transitions = _transitions(list_value(problems, data, "transitions"), codes, problems)
    workflow = Workflow(str(initial or ""), tuple(statuses), tuple(transitions))
    for transition in transitions:
        target = next((s for s in statuses if s.code == transition.target), None)
        if transition.actor == "resident" and target is not None and target.fields:
            problems.add(_("状態「%(label)s」には決定の内容（fields）があるため、申請者の移り方"
                           "「%(name)s」では移れません。")
                         % {"label": target.label, "name": transition.name})
    if statuses and initial in codes:
        _check_graph(workflow, problems)
    if own:
        problems.raise_if_any()
    return workflow


def _statuses(items: list, problems: Problems) -> list[Status]:
    if not items:
        problems.add(_("状態（statuses:）を書いてください。"))
    statuses: list[Status] = []
    for index, raw in enumerate(items, start=1):
        with problems.at(_("%(n)d番目の状態") % {"n": index}):
            if not isinstance(raw, dict):
                problems.add(_("状態は「code:」「label:」「resident_label:」で書いてください。"))
                continue
            check_keys(problems, raw, {"code", "label", "label_en", "resident_label",
                                       "resident_label_en", "final", "pauses_clock", "fields"})
            code = raw.get("code")
            if not isinstance(code, str) or not NAME_PATTERN.match(code):
                problems.add(_("状態のコード（code）は半角英小文字・数字・_ にしてください"
                               "（例：checking）。"))
                continue
            if any(s.code == code for s in statuses):
                problems.add(_("状態「%(code)s」が重複しています。") % {"code": code})
                continue
            statuses.append(Status(
                code=code,
                label=text_value(problems, raw, "label", required=True, max_length=40,
                                 label=_("職員に見える名前")),
                resident_label=text_value(problems, raw, "resident_label", required=True,
                                          max_length=100, label=_("申請者に見える説明")),
                label_en=text_value(problems, raw, "label_en", max_length=80),
                resident_label_en=text_value(problems, raw, "resident_label_en",
                                             max_length=200),
                final=bool_value(problems, raw, "final"),
                pauses_clock=bool_value(problems, raw, "pauses_clock"),
                fields=_decision_fields(raw.get("fields"), problems),
            ))
    if statuses and not any(s.final for s in statuses):
        problems.add(_("終わりの状態（final: true）が1つもありません。"))
    return statuses


def _decision_fields(raw: Any, problems: Problems) -> tuple[FieldSpec, ...]:
    """The fields of a decision (``fields:`` of a status), checked by the form engine's own
    parser; no repeating groups, no prefill, labels usable as rows of the notice."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        problems.add(_("「fields」には決定の内容の項目を1つ以上並べてください。"))
        return ()
    form = parse_form({"sections": [{"title": "fields", "fields": raw}]}, problems)
    fields = tuple(form.top_fields())
    for spec in fields:
        with problems.at(_("項目「%(name)s」") % {"name": spec.name}):
            if spec.type not in DECISION_TYPES:
                problems.add(_("決定の内容には種類「%(type)s」は使えません。使える種類：%(types)s")
                             % {"type": spec.type, "types": ", ".join(sorted(DECISION_TYPES))})
            if spec.prefill:
                problems.add(_("決定の内容の項目には「prefill」は使えません。"))
            if not DECISION_LABEL.fullmatch(spec.label):
                problems.add(_("見出し「%(label)s」は通知書の記の項目名になるため、空白や記号"
                               "（括弧など）を使わずに書いてください（例：有効期間の開始日）。")
                             % {"label": spec.label})
    return fields


def _transitions(items: list, codes: list[str], problems: Problems) -> list[Transition]:
    if not items:
        problems.add(_("状態の移り方（transitions:）を書いてください。"))
    transitions: list[Transition] = []
    for index, raw in enumerate(items, start=1):
        name = raw.get("name") if isinstance(raw, dict) else None
        place = (_("移り方「%(name)s」") % {"name": name} if isinstance(name, str)
                 else _("%(n)d番目の移り方") % {"n": index})
        with problems.at(place):
            transition = _transition(raw, codes, problems)
            if transition is None:
                continue
            if any(t.name == transition.name for t in transitions):
                problems.add(_("移り方の名前「%(name)s」が重複しています。")
                             % {"name": transition.name})
                continue
            transitions.append(transition)
    return transitions


def _transition(raw: Any, codes: list[str], problems: Problems) -> Transition | None:
    if not isinstance(raw, dict):
        problems.add(_("移り方は「name:」「label:」「from:」「to:」で書いてください。"))
        return None
    check_keys(problems, raw, {"name", "label", "label_en", "from", "to", "actor", "note",
                               "note_public"})
    name = raw.get("name")
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        problems.add(_("移り方の名前（name）は半角英小文字・数字・_ にしてください"
                       "（例：accept）。"))
        return None
    sources = raw.get("from")
    sources = [sources] if isinstance(sources, str) else sources
    ok = True
    if not isinstance(sources, list) or not sources:
        problems.add(_("「from」に、どの状態から移れるかを書いてください。"))
        ok = False
    else:
        for source in sources:
            if source not in codes:
                problems.add(_("「from」の状態「%(code)s」は状態の一覧にありません。")
                             % {"code": source})
                ok = False
    target = raw.get("to")
    if target not in codes:
        problems.add(_("「to」の状態「%(code)s」は状態の一覧にありません。") % {"code": target})
        ok = False
    actor = raw.get("actor", "staff")
    if actor not in ACTORS:
        problems.add(_("「actor」は staff（職員）か resident（申請者）にしてください。"))
        ok = False
    note = raw.get("note", "optional")
    if note not in NOTE_RULES:
        problems.add(_("「note」は none・optional・required のどれかにしてください。"))
        ok = False
    label = text_value(problems, raw, "label", required=True, max_length=40,
                       label=_("ボタンの名前"))
    note_public = raw.get("note_public")
    if note_public is not None and not isinstance(note_public, bool):
        problems.add(_("「note_public」は true（申請者に見せる）か false にしてください。"))
        ok = False
    if not ok:
        return None
    return Transition(name=name, label=label, sources=tuple(sources), target=target,
                      actor=actor, note=note, note_public=note_public,
                      label_en=text_value(problems, raw, "label_en", max_length=80))


def _reachable(start: list[str], edges: dict[str, set[str]]) -> set[str]:
    seen, queue = set(start), deque(start)
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _check_graph(workflow: Workflow, problems: Problems) -> None:
    forward: dict[str, set[str]] = {}
    backward: dict[str, set[str]] = {}
    for t in workflow.transitions:
        for source in t.sources:
            forward.setdefault(source, set()).add(t.target)
            backward.setdefault(t.target, set()).add(source)
    for status in workflow.statuses:
        if status.final and forward.get(status.code):
            problems.add(_("終わりの状態「%(label)s」から先へ移る移り方があります。終わりの状態"
                           "からは移れません。") % {"label": status.label})
    reached = _reachable([workflow.initial], forward)
    finishing = _reachable(workflow.final_codes, backward)
    for status in workflow.statuses:
        if status.code not in reached:
            if status.final:
                problems.add(_("終わりの状態「%(label)s」には、最初の状態「%(initial)s」から"
                               "たどり着けません。") % {"label": status.label,
                                                     "initial": workflow.initial})
            else:
                problems.add(_("状態「%(label)s」には、最初の状態「%(initial)s」からたどり着け"
                               "ません。") % {"label": status.label,
                                            "initial": workflow.initial})
        elif not status.final and status.code not in finishing:
            problems.add(_("状態「%(label)s」からは、終わりの状態にたどり着けません。")
                         % {"label": status.label})
