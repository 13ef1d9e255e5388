"""A procedure's workflow as data: statuses and the allowed transitions between them.

Each procedure version carries its own workflow (``ProcedureVersion.workflow``), in the
house pattern of ``consultations/workflow.py``: services ask ``require(status, name)``
before they write; pages and the API ask ``available(status, actor=...)`` which actions to
offer, so the UI never repeats the rules. A typical workflow::

    received ─▶ checking ─▶ accepted ─▶ decided ─▶ notified
                  │  ▲          └────▶ rejected ─┘
        correction_requested ─▶ resubmitted (by the resident)
    withdrawn (by the resident, from any open status)

``parse_workflow`` refuses a workflow that cannot work: unknown statuses, duplicate names,
transitions out of a final status, statuses that cannot be reached from the first one, or
from which no final status can be reached.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from madoguchi.procedures.formschema.parse import parse_form
from madoguchi.procedures.formschema.spec import (
    NAME_PATTERN,
    FieldSpec,
    FormSpec,
    SectionSpec,
    localised,
)
from madoguchi.procedures.problems import (
    Problems,
    bool_value,
    check_keys,
    list_value,
    text_value,
)

ACTORS = ("staff", "resident")
NOTE_RULES = ("none", "optional", "required")
# A decision field's label is printed as a row of the notice's 記 and may be named in the
# notice text, so it must be one word (as documents.templating.NAME): no spaces or symbols.
DECISION_LABEL = re.compile(r"[^\W\d][\w・]*")
DECISION_TYPES = frozenset({"text", "textarea", "date", "integer", "money", "digits",
                            "select", "radio", "yesno"})


@dataclass(frozen=True)
class Status:
    code: str
    label: str
    resident_label: str
    label_en: str = ""
    resident_label_en: str = ""
    final: bool = False
    pauses_clock: bool = False
    # The decision's data (要介護度, 有効期間…): form fields asked when a staff member moves
    # an application into this status, stored with the decision and printed on its notice.
    fields: tuple[FieldSpec, ...] = ()

    @property
    def text(self) -> str:
        return localised(self, "label")

    @property
    def decision_form(self) -> FormSpec | None:
        """The decision's fields as a form for the form engine (None without fields)."""
        if not self.fields:
            return None
        return FormSpec((SectionSpec(title=self.label, title_en=self.label_en,
                                     fields=self.fields),))

    @property
    def resident_text(self) -> str:
        """How the resident sees it, in plain words."""
        return localised(self, "resident_label")

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "label": self.label,
                                "resident_label": self.resident_label}
        for key in ("label_en", "resident_label_en"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.final:
            data["final"] = True
        if self.pauses_clock:
            data["pauses_clock"] = True
        if self.fields:
            data["fields"] = [f.as_data() for f in self.fields]
        return data


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    actor: str = "staff"
    note: str = "optional"
    label_en: str = ""
    note_public: bool | None = None

    @property
    def text(self) -> str:
        return localised(self, "label")

    @property
    def note_to_resident(self) -> bool:
        """Whether the note is shown to the resident: as written (``note_public``), else
        when the note is required (a correction request, a reason for a refusal) or the
        resident wrote it."""
        if self.note_public is not None:
            return self.note_public
        return self.note == "required" or self.actor == "resident"

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "label": self.label,
                                "from": list(self.sources), "to": self.target}
        if self.label_en:
            data["label_en"] = self.label_en
        if self.actor != "staff":
            data["actor"] = self.actor
        if self.note != "optional":
            data["note"] = self.note
        if self.note_public is not None:
            data["note_public"] = self.note_public
        return data


@dataclass(frozen=True)
class Workflow:
    initial: str
    statuses: tuple[Status, ...]
    transitions: tuple[Transition, ...]

    def status(self, code: str) -> Status:
        return next(s for s in self.statuses if s.code == code)

    def available(self, status: str, *, actor: str = "staff") -> list[Transition]:
        """Transitions ``actor`` may take from ``status``."""
        return [t for t in self.transitions if status in t.sources and t.actor == actor]

    def require(self, status: str, name: str, *, actor: str = "staff") -> Transition:
        """The transition ``name`` if allowed from ``status``, else a Japanese
        ValidationError naming the current status."""
        transition = next((t for t in self.transitions if t.name == name), None)
        if transition is None or status not in transition.sources or transition.actor != actor:
            current = self.status(status).text if status in self.codes else status
            label = transition.text if transition else name
            raise ValidationError(
                _("この申請は「%(status)s」のため、「%(action)s」はできません。")
                % {"status": current, "action": label}, code="transition")
        return transition

    @property
    def codes(self) -> list[str]:
        return [s.code for s in self.statuses]

    @property
    def final_codes(self) -> list[str]:
        return [s.code for s in self.statuses if s.final]

    def as_data(self) -> dict[str, Any]:
        return {"initial": self.initial,
                "statuses": [s.as_data() for s in self.statuses],
                "transitions": [t.as_data() for t in self.transitions]}


STANDARD_WORKFLOW: dict[str, Any] = {
    "initial": "received",
    "statuses": [
        {"code": "received", "label": "受付", "label_en": "Received",
         "resident_label": "受け付けました", "resident_label_en": "Received"},
        {"code": "checking", "label": "審査中", "label_en": "Under review",
         "resident_label": "内容を確認しています",
         "resident_label_en": "We are checking your application"},
        {"code": "correction_requested", "label": "補正依頼中",
         "label_en": "Correction requested",
         "resident_label": "書類の直し（補正）をお願いしています",
         "resident_label_en": "Please correct your documents", "pauses_clock": True},
        {"code": "resubmitted", "label": "補正提出済み", "label_en": "Resubmitted",
         "resident_label": "直した書類を受け付けました",
         "resident_label_en": "We received your corrected documents"},
        {"code": "accepted", "label": "受理", "label_en": "Accepted",
         "resident_label": "申請を受理しました",
         "resident_label_en": "Your application was accepted"},
        {"code": "decided", "label": "決定", "label_en": "Decided",
         "resident_label": "決定しました", "resident_label_en": "Decided"},
        {"code": "rejected", "label": "却下", "label_en": "Rejected",
         "resident_label": "申請を認められませんでした",
         "resident_label_en": "Your application was not approved"},
        {"code": "notified", "label": "通知済み", "label_en": "Notified",
         "resident_label": "結果をお知らせしました",
         "resident_label_en": "We sent you the result", "final": True},
        {"code": "withdrawn", "label": "取下げ", "label_en": "Withdrawn",
         "resident_label": "申請を取り下げました",
         "resident_label_en": "You withdrew the application", "final": True},
    ],
    "transitions": [
        {"name": "start_check", "label": "審査を始める", "label_en": "Start the review",
         "from": ["received", "resubmitted"], "to": "checking"},
        {"name": "request_correction", "label": "補正を依頼する",
         "label_en": "Ask for a correction", "from": ["checking"],
         "to": "correction_requested", "note": "required"},
        {"name": "resubmit", "label": "補正して出し直す", "label_en": "Correct and resubmit",
         "from": ["correction_requested"], "to": "resubmitted", "actor": "resident"},
        {"name": "accept", "label": "受理する", "label_en": "Accept", "from": ["checking"],
         "to": "accepted"},
        {"name": "decide", "label": "決定する", "label_en": "Decide", "from": ["accepted"],
         "to": "decided"},
        {"name": "reject", "label": "却下する", "label_en": "Reject",
         "from": ["checking", "accepted"], "to": "rejected", "note": "required"},
        {"name": "notify", "label": "通知する", "label_en": "Notify",
         "from": ["decided", "rejected"], "to": "notified"},
        {"name": "withdraw", "label": "申請を取り下げる", "label_en": "Withdraw the application",
         "from": ["received", "checking", "correction_requested", "resubmitted", "accepted"],
         "to": "withdrawn", "actor": "resident"},
    ],
}


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
