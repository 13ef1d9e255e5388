"""What comes with a workflow transition besides its note (ADR 0021):

- a **decision's data**: a status with ``fields`` (要介護認定: 要介護状態区分 and 有効期間)
  asks for them when staff move an application into it; they are checked by the form engine
  (choices in the list, the end after the start, required ones given) and stored with the
  decision's reasons (the transition's note when the resident reads it, e.g. a refusal's)
  as a ``Decision``. The notice prints them; the hand-off export carries them.
- a **correction request's items**: the answers (top-level answer paths) and attachments
  (codes) a correction may change, stored as a ``CorrectionRequest``.

Used by ``services.application_transition`` inside its transaction; nothing here commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from madoguchi.applications.errors import AnswersInvalid
from madoguchi.applications.models import (
    Application,
    ApplicationEvent,
    CorrectionRequest,
    Decision,
)
from madoguchi.applications.requirements import OTHER, attachment_names
from madoguchi.core.dates import wareki
from madoguchi.procedures.formschema.engine import clean_answers
from madoguchi.procedures.formschema.summary import value_text

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.procedures.models import ProcedureVersion
    from madoguchi.procedures.workflow import Status, Transition


@dataclass(frozen=True)
class CorrectionItems:
    """What a correction request names: answer paths (top-level fields) and attachment
    codes the resident is to change."""

    fields: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()

    @classmethod
    def of(cls, fields: Iterable[str] = (), attachments: Iterable[str] = ()) -> CorrectionItems:
        return cls(tuple(dict.fromkeys(str(f) for f in fields if f)),
                   tuple(dict.fromkeys(str(a) for a in attachments if a)))


# ── decisions ──────────────────────────────────────────────────────────────────────────


def records_decision(version: ProcedureVersion, status: Status) -> bool:
    """Whether moving into ``status`` is a decision to record: it has decision fields or
    a notice text."""
    return bool(status.fields) or any(n.get("status") == status.code
                                      for n in version.notices or [])


def check_decision(status: Status, raw: Mapping[str, Any] | None) -> dict[str, Any]:
    """The decision's checked data for ``status`` ({} when it has no fields), or
    AnswersInvalid keyed by field name."""
    form = status.decision_form
    if form is None:
        return {}
    outcome = clean_answers(form, dict(raw or {}))
    if not outcome.ok:
        raise AnswersInvalid(outcome.errors)
    return outcome.answers


def record_decision(*, application: Application, event: ApplicationEvent, user: User,
                    transition: Transition, data: Mapping[str, Any], note: str) -> Decision:
    reasons = note if transition.note_to_resident else ""
    return Decision.objects.create(application=application, event=event,
                                   status=transition.target, data=dict(data),
                                   reasons=reasons, actor=user)


def current_decision(application: Application) -> Decision | None:
    """The decision that brought the application to its decided status (the latest one);
    after ``notify`` it is still the one the notice was made of."""
    return application.decisions.order_by("-at", "-pk").first()


def decision_rows(application: Application, decision: Decision | None
                  ) -> list[tuple[str, str]]:
    """(label, value as people read it) of a decision's data, in the fields' order."""
    if decision is None:
        return []
    spec = application.version.workflow_spec
    if decision.status not in spec.codes:
        return []
    rows = []
    for field in spec.status(decision.status).fields:
        value = decision.data.get(field.name)
        # A notice gives dates in 和暦 alone (令和8年12月1日).
        text = (wareki(dt.date.fromisoformat(value)) if field.type == "date" and value
                else value_text(field, value))
        if text:
            rows.append((field.label, text))
    return rows


# ── correction requests ────────────────────────────────────────────────────────────────


def check_items(version: ProcedureVersion, items: CorrectionItems) -> CorrectionItems:
    """The items if every one is a field of the form and an attachment of the procedure;
    else a Japanese ValidationError naming the unknown ones."""
    names = {spec.name for spec in version.form_spec.top_fields()}
    codes = set(attachment_names(version))
    unknown = [f for f in items.fields if f not in names]
    unknown += [a for a in items.attachments if a not in codes or a == OTHER]
    if unknown:
        raise ValidationError(_("補正を求める項目・書類「%(items)s」はこの手続きにありません。")
                              % {"items": "、".join(unknown)}, code="correction_items")
    return items


def record_request(*, application: Application, event: ApplicationEvent,
                   items: CorrectionItems) -> CorrectionRequest:
    return CorrectionRequest.objects.create(application=application, event=event,
                                            fields=list(items.fields),
                                            attachments=list(items.attachments))


def open_request(application: Application) -> CorrectionRequest | None:
    """The correction request the application is waiting on (None when it is not waiting,
    or the request named nothing because it was made without items)."""
    if application.is_draft or not application.status_spec.pauses_clock:
        return None
    last = (application.events.filter(to_status=application.status)
            .order_by("-at", "-pk").select_related("correction_request").first())
    if last is None:
        return None
    try:
        return last.correction_request
    except CorrectionRequest.DoesNotExist:
        return None
