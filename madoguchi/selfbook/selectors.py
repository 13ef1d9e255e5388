"""Reads of the residents' booking pages (ADR 0049): what a district and a topic lead to,
the free slots, a resident's own bookings. Every read of a booking that shows the resident's
data is audited under the portal identity."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.consultations import routing
from madoguchi.consultations import selectors as consultations
from madoguchi.consultations.models import Category, RoutingRule
from madoguchi.core.tokens import digest
from madoguchi.organisation.models import District, DistrictCentre, Section
from madoguchi.portal.models import PortalIdentity
from madoguchi.scheduling.errors import BookingRejected, SlotUnavailable
from madoguchi.scheduling.selectors import Slot, find_slots
from madoguchi.selfbook.models import SectionSetting, SelfBooking

RECORD = "self_booking"
SLOTS_SHOWN = 12


@dataclass(frozen=True)
class Offer:
    """Where a resident of ``district`` is sent for ``topic``, when they may book it."""

    district: District
    topic: str
    section: Section
    centre: DistrictCentre
    level: str

    @property
    def topic_label(self) -> str:
        return str(Category(self.topic).label)


def districts() -> list[District]:
    return list(District.objects.select_related("region").order_by("region__sort_order",
                                                                  "sort_order", "pk"))


def topics() -> list[tuple[str, str]]:
    """The topics (consultation categories) some section takes self-bookings for."""
    kinds = (SectionSetting.objects.filter(enabled=True, section__is_active=True)
             .values("section__kind_id"))
    wanted = set(RoutingRule.objects.filter(active=True, keywords="", section_kind_id__in=kinds)
                 .values_list("category", flat=True))
    return [(value, str(label)) for value, label in Category.choices if value in wanted]


def offer(*, district: District, topic: str) -> Offer | None:
    """The offer for a resident of ``district`` and ``topic``, or None when the section
    that would take it does not take self-bookings or does not consult online at the
    district's centre."""
    if topic not in Category.values:
        return None
    section = consultations.topic_section(category=topic, district=district)
    if section is None:
        return None
    setting = SectionSetting.objects.filter(section=section, enabled=True).first()
    centre = DistrictCentre.objects.select_related("district__region").filter(
        district=district).first()
    if setting is None or centre is None or not routing.is_online(centre=centre,
                                                                  kind=section.kind):
        return None
    return Offer(district=district, topic=topic, section=section, centre=centre,
                 level=setting.level)


def district_by_id(value: str | None) -> District | None:
    if not value or not str(value).isdigit():
        return None
    return District.objects.select_related("region").filter(pk=int(value)).first()


def slots(offer: Offer, *, remote: bool, start_from: dt.date | None = None) -> list[Slot]:
    """The first free slots (the section's staff, and a booth of the centre unless from
    home), from ``start_from`` and never within the section's minimum notice."""
    try:
        return find_slots(section=offer.section, centre=offer.centre,
                          booth_required=not remote, start_from=start_from,
                          limit=SLOTS_SHOWN)
    except (BookingRejected, SlotUnavailable):
        return []


def _base():
    return SelfBooking.objects.select_related(
        "consultation__section__kind", "consultation__centre__district",
        "consultation__booking__booth", "consultation__resident", "identity")


def own_bookings(*, identity: PortalIdentity, source: str) -> list[SelfBooking]:
    rows = list(_base().filter(identity=identity))
    if rows:
        audit.record_many(actor=None, portal_ref=str(identity.public_id),
                          action=AuditAction.LIST, record_type=RECORD,
                          records=[(row.public_id, row.consultation.resident.public_id)
                                   for row in rows], source=source)
    return rows


def own_booking(*, identity: PortalIdentity, public_id: str, source: str) -> SelfBooking:
    """The login's own booking, else 404 (another resident's looks the same as none)."""
    try:
        wanted = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    row = _base().filter(identity=identity, public_id=wanted).first()
    if row is None:
        raise Http404
    shown(row, source=source)
    return row


def booking_by_token(*, token: str, source: str) -> SelfBooking:
    """The booking a manage link opens, else 404."""
    row = _base().filter(~Q(manage_digest=""), manage_digest=digest(token or "")).first()
    if row is None:
        raise Http404
    shown(row, source=source)
    return row


def shown(row: SelfBooking, *, source: str) -> None:
    audit.record(actor=None, portal_ref=str(row.identity.public_id), action=AuditAction.VIEW,
                 record_type=RECORD, record_id=row.public_id,
                 resident_ref=str(row.consultation.resident.public_id), source=source,
                 fields=["consultation", "email"])


def setting_rows() -> list[tuple[Section, SectionSetting | None]]:
    """Every active section a consultation can be routed to, with its self-booking setting
    (two queries)."""
    tiers = sorted(routing.ROUTABLE_TIERS)
    sections = list(Section.objects.select_related("kind", "region", "district")
                    .filter(is_active=True, kind__tier__in=tiers))
    settings = {s.section_id: s for s in SectionSetting.objects.all()}
    return [(section, settings.get(section.pk)) for section in sections]
