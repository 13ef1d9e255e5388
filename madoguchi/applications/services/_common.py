"""Building blocks of the applications' writes, shared by the services' feature modules
(drafts, review, notices, corrections): who acts, the audit entry and history event of a
write, the owner-or-permission check and the row lock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.applications.models import (
    Application,
    ApplicationEvent,
)
from madoguchi.audit import services as audit

if TYPE_CHECKING:

    from madoguchi.accounts.models import User
    from madoguchi.portal.models import PortalIdentity

@dataclass(frozen=True)
class Actor:
    """Who acts: a staff ``user``, or a resident's portal ``identity``. ``source`` is the
    route name written to the audit trail (``applications:assist``, ``api:...``)."""

    source: str
    user: User | None = None
    identity: PortalIdentity | None = None

    def __post_init__(self) -> None:
        if (self.user is None) == (self.identity is None):
            raise ValueError("an Actor is a staff user or a portal identity")

    @property
    def is_resident(self) -> bool:
        return self.identity is not None


@dataclass(frozen=True)
class Submission:
    application: Application
    repeated: bool  # True when this was a retry of a submission already received


# ── building blocks (also used by notices.py, inside its own transaction) ──────────────


def audit_write(actor: Actor, application: Application, action: str, fields: list[str]) -> None:
    """The audit entry of a write to ``application`` (staff member or portal resident)."""
    audit.record(actor=actor.user, action=action, record_type="application",
                 record_id=str(application.public_id),
                 resident_ref=str(application.resident.public_id) if application.resident_id
                 else "",
                 source=actor.source, fields=fields,
                 portal_ref=str(actor.identity.public_id) if actor.identity else "")


def history_append(application: Application, actor: Actor, kind: str, *, note: str = "",
           public: bool = False, note_public: bool | None = None, transition: str = "",
           from_status: str = "", to_status: str = "") -> ApplicationEvent:
    """Append to the history. ``public`` events are shown to the resident, their note too
    unless ``note_public`` is False."""
    return ApplicationEvent.objects.create(
        application=application, kind=kind, actor=actor.user, by_resident=actor.is_resident,
        note=note, public=public,
        note_public=public if note_public is None else (public and note_public),
        transition=transition, from_status=from_status, to_status=to_status)


def _require_owner_or(actor: Actor, application: Application, action: Action) -> None:
    if actor.is_resident:
        if application.identity_id != actor.identity.pk:
            raise PermissionDenied
        return
    if not can(actor.user, action, application):
        raise PermissionDenied


def locked_for_update(application: Application) -> Application:
    """The application re-read with its row locked until the transaction ends."""
    return (Application.objects.select_for_update(of=("self",))
            .select_related("version__procedure", "version__section_kind", "resident",
                            "identity", "district__region")
            .get(pk=application.pk))


def _not_draft_error(application: Application) -> ValidationError:
    return ValidationError(_("この申請はすでに受け付けています（受付番号 %(ref)s）。")
                           % {"ref": application.reference}, code="submitted")


def today() -> dt.date:
    return timezone.localdate()
