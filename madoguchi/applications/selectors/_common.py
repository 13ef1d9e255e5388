"""Reads of applications shared by the features' selectors: the audit of what is shown
(one entry per application, with the route name as source), a staff member's scope and an
application's history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from madoguchi.accounts.policy import Action
from madoguchi.applications.access import application_scope
from madoguchi.applications.models import (
    Application,
    ApplicationEvent,
)
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.portal.models import PortalIdentity

RELATED = ("version__procedure", "version__section_kind", "section", "district__region",
           "resident", "centre__district")


def _resident_ref(application: Application) -> str:
    resident = application.resident if application.resident_id else None
    return str(resident.public_id) if resident is not None else ""


def audit_list(*, user: User | None, applications: list[Application], source: str,
               identity: PortalIdentity | None = None) -> None:
    audit.record_many(actor=user, action=AuditAction.LIST, record_type="application",
                      records=[(str(a.public_id), _resident_ref(a)) for a in applications],
                      source=source,
                      portal_ref=str(identity.public_id) if identity else "")


def audit_view(*, user: User | None, application: Application, source: str,
               identity: PortalIdentity | None = None) -> None:
    audit.record(actor=user, action=AuditAction.VIEW, record_type="application",
                 record_id=str(application.public_id), resident_ref=_resident_ref(application),
                 source=source, portal_ref=str(identity.public_id) if identity else "")


# ── staff ──────────────────────────────────────────────────────────────────────────────


def staff_queryset(user: User, action: Action = Action.APPLICATION_VIEW
                   ) -> QuerySet[Application]:
    return Application.objects.filter(application_scope(user, action)).select_related(*RELATED)


def staff_get(*, user: User, public_id, source: str,
              action: Action = Action.APPLICATION_VIEW) -> Application:
    """One application ``user`` may take ``action`` on, audited as a view; 404 when it
    does not exist or is out of scope (no hint that it exists)."""
    application = staff_queryset(user, action).filter(public_id=public_id).first()
    if application is None:
        raise Http404
    audit_view(user=user, application=application, source=source)
    return application


def history(application: Application, *, public_only: bool) -> list[ApplicationEvent]:
    events = application.events.select_related("actor").order_by("at", "pk")
    if public_only:
        events = events.filter(public=True)
    return list(events)
