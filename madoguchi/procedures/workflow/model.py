"""A workflow's statuses and transitions, what an actor may do from a status, and the
standard workflow a new procedure starts with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from madoguchi.procedures.formschema.spec import (
    FieldSpec,
    FormSpec,
    SectionSpec,
    localised,
)


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
