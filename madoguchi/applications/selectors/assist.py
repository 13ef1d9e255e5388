"""Reads for the assisted pages (まちづくりセンター and section counters): the applications a
staff member received, those started from a consultation, and a chain's applications.
Each list is audited, one entry per application shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from madoguchi.accounts.policy import Action, own_district_ids
from madoguchi.applications.models import DRAFT, Application
from madoguchi.applications.selectors._common import audit_list, staff_queryset
from madoguchi.applications.selectors.review import waiting_for_resident

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.consultations.models import Consultation

RECENT = 20


def recently_received(*, user: User, source: str, limit: int = RECENT) -> list[Application]:
    """Applications the staff member filled in with residents and submitted, newest first."""
    rows = list(Application.objects.filter(created_by=user).exclude(status=DRAFT)
                .select_related("version__procedure", "section", "resident")
                .order_by("-submitted_at", "-pk")[:limit])
    audit_list(user=user, applications=rows, source=source)
    return rows


def for_consultation(*, user: User, consultation: Consultation,
                     source: str) -> list[Application]:
    """Applications started from ``consultation`` that ``user`` may see (of the drafts,
    only their own), oldest first."""
    rows = list(staff_queryset(user, Action.APPLICATION_VIEW)
                .filter(consultation=consultation)
                .filter(~Q(status=DRAFT) | Q(created_by=user))
                .order_by("created_at", "pk"))
    audit_list(user=user, applications=rows, source=source)
    return rows


def chain_applications(*, user: User, public_ids: list[str],
                       source: str) -> list[Application]:
    """The staff member's applications of a chain, in the chain's order."""
    found = {str(a.public_id): a for a in staff_queryset(user, Action.APPLICATION_VIEW)
             .filter(public_id__in=public_ids, created_by=user)}
    rows = [found[p] for p in public_ids if p in found]
    audit_list(user=user, applications=rows, source=source)
    return rows


def awaiting_resident(*, user: User, source: str, limit: int = 50) -> list[Application]:
    """Open applications of residents of the user's districts that wait for the resident
    (a correction asked for), oldest first: the resident may answer at the centre."""
    districts = own_district_ids(user)
    if not districts:
        return []
    rows = list(staff_queryset(user, Action.APPLICATION_VIEW).exclude(status=DRAFT)
                .filter(waiting_for_resident(), closed_at__isnull=True,
                        district_id__in=districts)
                .order_by("submitted_at", "pk")[:limit])
    audit_list(user=user, applications=rows, source=source)
    return rows
