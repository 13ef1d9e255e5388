"""Reads of a resident's own applications (portal and API), each audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from madoguchi.applications.models import (
    Application,
    Delivery,
    Notice,
)
from madoguchi.applications.selectors._common import (
    RELATED,
    audit_list,
    audit_view,
)

if TYPE_CHECKING:
    from madoguchi.portal.models import PortalIdentity

def with_pending_post(rows: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate whether a notice waits to be printed and posted (``awaiting_post``)."""
    return rows.annotate(pending_post=Exists(Notice.objects.filter(
        application=OuterRef("pk"), delivery=Delivery.POST, printed_at__isnull=True)))


def for_identity(*, identity: PortalIdentity, source: str) -> list[Application]:
    """All of a resident's online applications and drafts, newest first."""
    rows = list(with_pending_post(Application.objects.filter(identity=identity))
                .select_related(*RELATED).order_by("-updated_at", "-pk"))
    audit_list(user=None, identity=identity, applications=rows, source=source)
    return rows


def identity_get(*, identity: PortalIdentity, public_id, source: str) -> Application:
    application = (Application.objects.select_related(*RELATED)
                   .filter(public_id=public_id, identity=identity).first())
    if application is None:
        raise Http404
    audit_view(user=None, identity=identity, application=application, source=source)
    return application
