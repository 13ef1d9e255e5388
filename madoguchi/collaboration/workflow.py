"""The trouble record's workflow as data: the one table of allowed status changes.

    新規 ──share(会議)──▶ 共有済み ──start──▶ 対応中 ──escalate──▶ 上申中
      │                    │                  │  ▲──── back ────────┘
      └──── resolve / close (理由) from any open status ────────────┘

``share`` is taken by the meeting (``services.meeting_hold``) and ``escalate`` by
``services.escalation_open``; pages ask ``available`` which ones a person may take by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madoguchi.collaboration.models import Status


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    by_hand: bool = True  # offered on the record's page
    needs_reason: bool = False


OPEN = frozenset({Status.NEW, Status.SHARED, Status.IN_PROGRESS, Status.ESCALATED})

TRANSITIONS: tuple[Transition, ...] = (
    Transition("share", gettext_lazy("会議で共有する"), frozenset({Status.NEW}), Status.SHARED,
               by_hand=False),
    Transition("start", gettext_lazy("対応を始める"), frozenset({Status.NEW, Status.SHARED}),
               Status.IN_PROGRESS),
    Transition("escalate", gettext_lazy("上申する"),
               frozenset({Status.NEW, Status.SHARED, Status.IN_PROGRESS}), Status.ESCALATED,
               by_hand=False),
    Transition("back", gettext_lazy("地区での対応に戻す"), frozenset({Status.ESCALATED}),
               Status.IN_PROGRESS),
    Transition("resolve", gettext_lazy("解決した"), OPEN, Status.RESOLVED),
    Transition("close", gettext_lazy("理由を付けて終了する"), OPEN, Status.CLOSED,
               needs_reason=True),
)

BY_NAME: dict[str, Transition] = {t.name: t for t in TRANSITIONS}


def available(status: str) -> list[Transition]:
    """Transitions a person may take by hand from ``status``."""
    return [t for t in TRANSITIONS if t.by_hand and status in t.sources]


def require(record, name: str) -> Transition:
    """The transition ``name`` if the record's status allows it, else a Japanese error."""
    transition = BY_NAME.get(name)
    if transition is None:
        raise ValidationError(_("その操作はありません。"), code="transition")
    if record.status not in transition.sources:
        raise ValidationError(
            _("この記録は「%(status)s」のため、「%(action)s」はできません。")
            % {"status": record.get_status_display(), "action": transition.label},
            code="transition")
    return transition
