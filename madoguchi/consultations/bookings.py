"""The consultation pages' side of scheduling: whom to offer as participants, the slot
search for the current choices, and the message (with the next free slot) when a booking
is refused. Reads only; writes go through ``consultations.services``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.models import Membership, User
from madoguchi.accounts.policy import SECTION_ROLES
from madoguchi.organisation.models import Section, Tier
from madoguchi.scheduling.errors import BookingRejected, SlotUnavailable
from madoguchi.scheduling.selectors import find_slots

if TYPE_CHECKING:
    from madoguchi.consultations.models import Consultation
    from madoguchi.scheduling.models import Booking

OTHER_PARTICIPANTS_LIMIT = 100
PARTNER_KINDS = ("anshin", "shakyo", "jidokan")


def scheduling_errors() -> tuple[type[Exception], ...]:
    """``(SlotUnavailable, BookingRejected)``, for ``except`` clauses."""
    return (SlotUnavailable, BookingRejected)


@dataclass
class BookingOptions:
    staff: User | None = None
    other_users: list[User] = field(default_factory=list)
    guests: list[dict[str, Any]] = field(default_factory=list)
    remote: bool = False
    start_from: dt.datetime | None = None


@dataclass
class Problem:
    message: str
    next_free: Any = None  # scheduling Slot


def start_from(day: dt.date | None) -> dt.datetime | None:
    if not day:
        return None
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)))
    return max(start, timezone.now())


def section_staff(section: Section | None) -> list[User]:
    """Current staff and managers of the section, for choosing a named staff member."""
    if section is None:
        return []
    ids = (Membership.objects.current()
           .filter(unit=section, role__in=sorted(SECTION_ROLES))
           .values("user_id"))
    return list(User.objects.filter(pk__in=ids, is_active=True)
                .order_by("display_name", "username"))


def other_participant_choices(consultation: Consultation) -> list[tuple[User, str]]:
    """Staff who may join a multi-party meeting (stage 2): the district's partners
    (あんしん, 社協, 児童館) and the specialist agencies; labelled with their unit."""
    district = consultation.centre.district
    memberships = (Membership.objects.current()
                   .filter(user__is_active=True)
                   .filter(unit__is_active=True)
                   .select_related("user", "unit")
                   .order_by("unit__kind__sort_order", "unit__code", "user__display_name"))
    partners = memberships.filter(unit__district=district, unit__kind__code__in=PARTNER_KINDS)
    specialists = memberships.filter(unit__kind__tier=Tier.SPECIALIST)
    seen: set[int] = set()
    rows: list[tuple[User, str]] = []
    for membership in [*partners[:OTHER_PARTICIPANTS_LIMIT],
                       *specialists[:OTHER_PARTICIPANTS_LIMIT]]:
        if membership.user_id in seen:
            continue
        seen.add(membership.user_id)
        rows.append((membership.user, f"{membership.user}（{membership.unit.label}）"))
    return rows[:OTHER_PARTICIPANTS_LIMIT]


def options_from(cleaned: dict[str, Any], *, staff_choices: list[User],
                 other_choices: list[tuple[User, str]]) -> BookingOptions:
    by_id = {str(u.pk): u for u in staff_choices}
    others = {str(u.pk): u for u, _label in other_choices}
    guests = []
    if cleaned.get("guest_name"):
        guests.append({"name": cleaned["guest_name"],
                       "organisation": cleaned.get("guest_organisation") or "",
                       "email": cleaned.get("guest_email") or "", "remote": True})
    return BookingOptions(
        staff=by_id.get(cleaned.get("staff") or ""),
        other_users=[others[pk] for pk in cleaned.get("other_users") or [] if pk in others],
        guests=guests, remote=bool(cleaned.get("remote")),
        start_from=start_from(cleaned.get("from_date")))


def options_of_current(consultation: Consultation) -> BookingOptions:
    """The participants of the current booking, to search slots for a reschedule."""
    booking = consultation.booking
    if booking is None:
        return BookingOptions()
    section_ids = {u.pk for u in section_staff(consultation.section)}
    staff, others = None, []
    for participant in booking.participants.select_related("user"):
        if participant.user_id is None:
            continue
        if staff is None and participant.user_id in section_ids:
            staff = participant.user
        elif participant.user_id != getattr(staff, "pk", None):
            others.append(participant.user)
    return BookingOptions(staff=staff, other_users=others,
                          remote=booking.booth_id is None)


def slots_for(consultation: Consultation, options: BookingOptions,
              limit: int = 10) -> tuple[list, str]:
    """The first free slots for the current choices, or a message why there are none."""
    if consultation.section is None:
        return [], ""
    try:
        slots = find_slots(section=consultation.section, centre=consultation.centre,
                           staff=options.staff, other_users=tuple(options.other_users),
                           booth_required=not options.remote, start_from=options.start_from,
                           limit=limit)
    except scheduling_errors() as error:
        return [], problem_from(error).message
    if not slots:
        return [], _("8週間以内に、選んだ参加者全員が空いている時間はありません。"
                     "参加者を減らすか、別の職員を選んでください。")
    return slots, ""


def problem_from(error: Exception) -> Problem:
    return Problem(message=str(getattr(error, "message", "") or error),
                   next_free=getattr(error, "next_free", None))


def booking_view(consultation: Consultation) -> dict[str, Any] | None:
    """The current booking with its participants (for the record page)."""
    booking = consultation.booking
    if booking is None:
        return None
    participants = list(booking.participants.select_related("user", "resident"))
    return {"booking": booking, "participants": participants,
            "booth": booking.booth if booking.booth_id else None}


def duration_initial(consultation: Consultation) -> dict[str, Any]:
    booking = consultation.booking
    if booking is None:
        return {}
    minutes = int((booking.end - booking.start).total_seconds() // 60)
    return {"duration_minutes": minutes}


# ── ways in offered by other contexts (the video call) ─────────────────────────────────

@dataclass(frozen=True)
class BookingLink:
    """A button on the record page of a booked consultation: ``label`` leads to ``url``."""

    label: str
    url: str


BookingLinkProvider = Callable[["User", "Booking"], "BookingLink | None"]
_link_providers: list[BookingLinkProvider] = []


def register_booking_link(provider: BookingLinkProvider) -> None:
    """Offer a way in on the record page of a booked consultation (from the provider's
    ``AppConfig.ready()``; meetings offers the video call). ``provider(user, booking)``
    returns the link when ``user`` may follow it, else None. Consultations imports no
    provider: the dependency runs from the provider to this function only."""
    if provider not in _link_providers:
        _link_providers.append(provider)


def booking_links(user: User, booking: Booking) -> list[BookingLink]:
    """The links offered to ``user`` for the consultation's current, booked booking."""
    return [link for provider in _link_providers
            if (link := provider(user, booking)) is not None]
