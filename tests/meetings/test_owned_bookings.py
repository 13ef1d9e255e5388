"""Rooms of bookings without a section, made by another context through scheduling's
``resource_book`` (an event's session, ADR 0064): hosted by whom the owner's registered
rule names, with guest links the owner issues and withdraws; a consultation's room keeps
its own rules (its section hosts, its staff issue the links)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from madoguchi.accounts.policy import Action, can
from madoguchi.meetings import services
from madoguchi.meetings.access import register_host_rule, unregister_host_rule
from madoguchi.meetings.models import RoomAccess
from madoguchi.scheduling import kinds
from madoguchi.scheduling import services as scheduling
from madoguchi.scheduling.models import ParticipantKind

pytestmark = pytest.mark.django_db

SESSION = kinds.BookableKind(code="test-session", label=_("会"),
                             owner="organisation.DistrictCentre", hours=kinds.WHOLE_DAY)


@pytest.fixture
def owned(world):
    kinds.register(SESSION)
    centre = world.staff.centre

    def rule(user, booking):
        return user == centre

    register_host_rule(rule)
    booking = scheduling.resource_book(
        kind=SESSION.code, owner=world.booking.centre, start=world.booking.start,
        end=world.booking.end, title="地区のワークショップ", by=centre)
    yield booking
    unregister_host_rule(rule)
    kinds._KINDS.pop(SESSION.code, None)


def test_the_owner_names_the_hosts_and_issues_and_withdraws_guest_links(world, owned):
    staff = world.staff
    assert can(staff.centre, Action.MEETING_HOST, owned)  # named by the owner's rule
    assert not can(staff.host, Action.MEETING_HOST, owned)  # a section's staff: not theirs
    assert not can(staff.centre, Action.MEETING_HOST, world.booking)  # nor the reverse
    guest = scheduling.guest_add(booking=owned, guest=scheduling.Guest(name="申込番号 1"))
    link, token = services.access_issue_for_guest(participant=guest, by=staff.centre)
    assert link.room.booking == owned and link.expires_at == owned.end
    again, _token = services.access_issue_for_guest(participant=guest, by=staff.centre)
    link.refresh_from_db()
    assert link.revoked_at is not None and again.revoked_at is None  # one live link
    assert services.access_withdraw(participant=guest) == 1
    assert not RoomAccess.objects.filter(participant=guest, revoked_at__isnull=True).exists()
    # A consultation's guest gets links from its section's staff only.
    consultation_guest = world.booking.participants.get(kind=ParticipantKind.GUEST)
    with pytest.raises(ValidationError):
        services.access_issue_for_guest(participant=consultation_guest, by=staff.centre)
