"""The consultation workflow as data: statuses and the one table of allowed transitions.

Services check ``require(consultation, name)`` before they write; pages and the API ask
``available(consultation)`` (and the record-level rules in ``access``) which actions to
offer, so the UI never repeats these rules.

    受付 ──route──▶ 回付 ──book──▶ 予約済み ──outcome──▶ 対応済み
      │            │ ▲ route         │ reschedule
      └── cancel ──┴─┴───── cancel ──┘          (取消 from any open status)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madoguchi.accounts.policy import Action
from madoguchi.consultations.models import Status


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    action: Action
    url_name: str  # the page that performs it (app "consultations")


OPEN = frozenset({Status.RECEIVED, Status.ROUTED, Status.BOOKED})

TRANSITIONS: tuple[Transition, ...] = (
    Transition("route", gettext_lazy("回付先を決める"),
               frozenset({Status.RECEIVED, Status.ROUTED}), Status.ROUTED,
               Action.CONSULTATION_ROUTE, "route"),
    Transition("book", gettext_lazy("日時を予約する"), frozenset({Status.ROUTED}),
               Status.BOOKED, Action.CONSULTATION_BOOK, "book"),
    Transition("reschedule", gettext_lazy("予約を変更する"), frozenset({Status.BOOKED}),
               Status.BOOKED, Action.CONSULTATION_RESCHEDULE, "reschedule"),
    Transition("outcome", gettext_lazy("対応結果を記録する"),
               frozenset({Status.ROUTED, Status.BOOKED}), Status.COMPLETED,
               Action.CONSULTATION_OUTCOME, "outcome"),
    Transition("cancel", gettext_lazy("相談を取り消す"), OPEN, Status.CANCELLED,
               Action.CONSULTATION_CANCEL, "cancel"),
)

BY_NAME: dict[str, Transition] = {t.name: t for t in TRANSITIONS}


def available(status: str) -> list[Transition]:
    """Transitions allowed from ``status`` (before asking who may take them)."""
    return [t for t in TRANSITIONS if status in t.sources]


def require(consultation, name: str) -> Transition:
    """The transition ``name`` if the consultation's status allows it, else a Japanese
    ValidationError naming the current status."""
    transition = BY_NAME[name]
    if consultation.status not in transition.sources:
        raise ValidationError(
            _("この相談は「%(status)s」のため、「%(action)s」はできません。")
            % {"status": consultation.get_status_display(), "action": transition.label},
            code="transition")
    return transition
