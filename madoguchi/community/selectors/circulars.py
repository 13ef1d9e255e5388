"""Reads of circulars (回覧板): a group's and a centre's circulars, who has read one
(households' names: listed audited), and the public selector for the district's news and
signage (titles and text only, no personal data)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from madoguchi.accounts.models import User
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.community.models import (
    Circular,
    CircularAudience,
    CircularReceipt,
    Group,
    GroupContact,
    Household,
)
from madoguchi.core.tokens import digest
from madoguchi.documents.content import CircularSheet
from madoguchi.organisation.models import District


@dataclass(frozen=True)
class PublishedCircular:
    """A circular its sender agreed to show on the district's page or signage."""

    public_id: str
    title: str
    body: str
    sender: str
    posted_at: dt.datetime


def published_circulars(district: District, *, limit: int = 20) -> list[PublishedCircular]:
    """The district's circulars marked public, newest first (one query): what the
    district news or signage may show. No household, no read receipt."""
    rows = Circular.objects.filter(district=district, is_public=True).select_related(
        "sender_group", "district__centre")[:limit]
    return [PublishedCircular(public_id=str(c.public_id), title=c.title, body=c.body,
                              sender=c.sender_group.name if c.sender_group else
                              c.district.centre.label, posted_at=c.posted_at)
            for c in rows]


def _with_counts(rows):
    return rows.select_related("sender_group", "to_group", "district").annotate(
        recipients=Count("receipts"),
        read=Count("receipts", filter=Q(receipts__read_at__isnull=False)))


def group_circular_queryset(group: Group):
    """Circulars the group sent or its households received."""
    return Circular.objects.filter(
        Q(sender_group=group) | Q(to_group=group)
        | Q(audience=CircularAudience.DISTRICT, district__in=group.districts.all()))


def group_circulars(group: Group) -> list[Circular]:
    """The group's circulars (sent or received), newest first, with read counts."""
    return list(_with_counts(group_circular_queryset(group))[:100])


def centre_circulars(district: District) -> list[Circular]:
    """The district's circulars (the centre's and the groups'), with read counts."""
    return list(_with_counts(Circular.objects.filter(district=district))[:100])


def group_households(*, group: Group, contact: GroupContact, source: str) -> list[Household]:
    rows = list(group.households.all())
    if rows:
        audit.record_many(actor=None, portal_ref=f"group-contact:{contact.pk}",
                          action=AuditAction.LIST, record_type="community.household",
                          records=[(h.public_id, "") for h in rows], source=source,
                          fields=("name", "email"))
    return rows


def read_status(*, circular: Circular, source: str, user: User | None = None,
                contact: GroupContact | None = None,
                group: Group | None = None) -> list[CircularReceipt]:
    """Each household's receipt (read or not, online or on paper): the staff see all, a
    group its own households (and all, for a circular it sent). Audited as a list."""
    rows = CircularReceipt.objects.filter(circular=circular).select_related(
        "household__group")
    if group is not None and circular.sender_group_id != group.pk:
        rows = rows.filter(household__group=group)
    receipts = list(rows.order_by("household__group__name", "household__name", "pk"))
    if receipts:
        audit.record_many(actor=user, portal_ref=f"group-contact:{contact.pk}" if contact
                          else "", action=AuditAction.LIST,
                          record_type="community.household",
                          records=[(r.household.public_id, "") for r in receipts],
                          source=source, fields=("name",))
    return receipts


def printable(*, circular: Circular, source: str, user: User | None = None,
              contact: GroupContact | None = None,
              group: Group | None = None, unread_only: bool = False) -> CircularSheet:
    """The circular as printed for the households that read on paper (no e-mail address;
    a group prints for its own households): their names in the sign-off table, exported
    audited. ``unread_only``: instead, every household that has not read it yet, online
    or not (paper copies to deliver by hand)."""
    rows = CircularReceipt.objects.filter(circular=circular)
    rows = rows.filter(read_at__isnull=True) if unread_only else rows.filter(
        household__email="")
    if group is not None:
        rows = rows.filter(household__group=group)
    households = list(Household.objects.filter(
        pk__in=rows.values("household_id")).order_by("name", "pk"))
    if households:
        audit.record_many(actor=user, portal_ref=f"group-contact:{contact.pk}" if contact
                          else "", action=AuditAction.EXPORT,
                          record_type="community.household",
                          records=[(h.public_id, "") for h in households], source=source,
                          fields=("name",))
    sender = circular.sender_group.name if circular.sender_group else \
        circular.district.centre.name
    return CircularSheet(title=circular.title, body=circular.body, sender=sender,
                         posted_on=timezone.localtime(circular.posted_at).date(),
                         households=tuple(h.name for h in households),
                         attachments=tuple(a.file.original_name
                                           for a in circular.attachments.select_related(
                                               "file")))


def remind_on(circular: Circular) -> dt.date:
    """The day the households that have not read ``circular`` are reminded: the day after
    its due date, or ``COMMUNITY_CIRCULAR_REMIND_DAYS`` after it was posted."""
    if circular.due_on is not None:
        return circular.due_on + dt.timedelta(days=1)
    return timezone.localtime(circular.posted_at).date() + dt.timedelta(
        days=settings.COMMUNITY_CIRCULAR_REMIND_DAYS)


def receipt_by_token(token: str) -> CircularReceipt | None:
    """The household's receipt its mailed link names (the circular's mail or its
    reminder): for the circular's files and the household's API."""
    if not token:
        return None
    key = digest(token)
    return CircularReceipt.objects.select_related("circular").filter(
        Q(digest=key) | Q(reminder_digest=key)).first()
