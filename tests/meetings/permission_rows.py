"""Meetings' rows of the permission matrix (tests/test_permission_matrix.py).

The room probed is that of a 池尻 booking for 保健福祉課 (世田谷), made by 池尻's centre
staff with the section's representative caseworker: the section's staff and manager host it;
nobody else in the matrix is a participant. The guest page is opened with a one-time link:
the first browser (anonymous, probed first) binds it, every other browser is refused (409).
"""

from __future__ import annotations

ANON, D, S, M, P, A, U = ("anonymous", "district_staff", "section_staff", "section_manager",
                          "partner_staff", "ward_admin", "auditor")


def _hosts(ok: int) -> dict[str, int]:
    return {ANON: 302, D: 403, S: ok, M: ok, P: 403, A: 403, U: 403}


def _recording_host(ok: int) -> dict[str, int]:
    """JSON endpoints of the call: no login page, a refusal for anyone but a host."""
    return {ANON: 403, D: 403, S: ok, M: ok, P: 403, A: 403, U: 403}


ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "meetings:booking_room": ("get", _hosts(302)),  # to the room page
    "meetings:room": ("get", _hosts(200)),
    "meetings:link_create": ("post", _hosts(400)),  # no participant chosen
    "meetings:join": ("get", {ANON: 200, D: 409, S: 409, M: 409, P: 409, A: 409, U: 409}),
    "meetings:link_revoke": ("post", _hosts(302)),  # another participant's link
    # Booth kiosk keys: 池尻's centre staff (the booth's centre) and ward administrators.
    "meetings:kiosks": ("get", {ANON: 302, D: 200, S: 403, M: 403, P: 403, A: 200, U: 403}),
    # The tablet's page: the key is the credential (login or not). Probed before the two
    # below, so every browser then holds the kiosk key in its session.
    "meetings:kiosk": ("get", dict.fromkeys((ANON, D, S, M, P, A, U), 200)),
    "meetings:kiosk_state": ("get", dict.fromkeys((ANON, D, S, M, P, A, U), 200)),
    "meetings:kiosk_consent": ("post", dict.fromkeys((ANON, D, S, M, P, A, U), 400)),
    # Recording (ADR 0012). In the call: the hosts, and the anonymous browser that bound
    # the guest link above (a link holder answers for themself).
    "meetings:recording_state": ("get", {ANON: 200, D: 403, S: 200, M: 200, P: 403, A: 403,
                                         U: 403}),
    "meetings:recording_consent": ("post", {ANON: 400, D: 403, S: 400, M: 400, P: 403,
                                            A: 403, U: 403}),  # no answer chosen
    "meetings:recording_verbal": ("post", _recording_host(400)),  # no participant chosen
    "meetings:recording_start": ("post", _recording_host(409)),  # the section does not record
    # The recording probed was started by the section staff member: only they send pieces.
    "meetings:recording_piece": ("post", {ANON: 403, D: 403, S: 400, M: 403, P: 403, A: 403,
                                          U: 403}),  # no piece index
    "meetings:recording_file": ("get", _hosts(404)),  # still recording: nothing to play
    "meetings:recording_delete": ("post", _hosts(409)),  # still recording: not deleted
    "meetings:recordings": ("get", _hosts(200)),
    # Probed after the three above: the first host's probe stops the recording.
    "meetings:recording_stop": ("post", _recording_host(200)),
    "meetings:recording_sections": ("get", {ANON: 302, D: 403, S: 403, M: 200, P: 403, A: 200,
                                            U: 403}),
}


# The host's page names the resident taking part: audited (ADR 0022).
RESIDENT_DATA = {"meetings:room", "meetings:recordings", "meetings:recording_file"}


def objects(staff) -> dict[str, dict]:
    from django.utils import timezone

    from madoguchi.meetings import kiosk as kiosks
    from madoguchi.meetings import services as meetings
    from madoguchi.meetings.models import Recording
    from madoguchi.organisation.models import DistrictCentre, Section
    from madoguchi.scheduling import services
    from tests.factories import ResidentFactory
    from tests.scheduling.conftest import at, open_day

    booking = services.booking_create(
        section=Section.objects.get(code="setagaya/hoken-fukushi"),
        centre=DistrictCentre.objects.get(district__region__code="setagaya",
                                          district__code="ikejiri"),
        staff=staff[S], start=at(open_day(), 11), title="ビデオ相談の権限の確認", by=staff[D],
        resident=ResidentFactory(by=staff[D]), guests=[{"name": "外部 一"}, {"name": "外部 二"}])
    room = meetings.room_for_booking(booking=booking)
    first, second = booking.participants.filter(kind="guest").order_by("pk")
    _, token = meetings.access_issue(room=room, participant=first, by=staff[S])
    revoked, _ = meetings.access_issue(room=room, participant=second, by=staff[S])
    booth = booking.centre.booths.first()
    _kiosk, kiosk_key = kiosks.kiosk_issue(booth=booth, by=staff[D])
    # A recording in progress, started by the section staff member (the row only: no file).
    recording = Recording.objects.create(room=room, started_at=timezone.now(),
                                         started_by=staff[S], recorder_peer="0" * 16,
                                         file_name=f"{room.public_id.hex}--probe.rec")
    in_room = {"public_id": str(room.public_id)}
    recorded = {"public_id": str(recording.public_id)}
    return {
        "meetings:recording_state": in_room, "meetings:recording_consent": in_room,
        "meetings:recording_verbal": in_room, "meetings:recording_start": in_room,
        "meetings:recording_stop": in_room, "meetings:recordings": in_room,
        "meetings:recording_piece": recorded, "meetings:recording_file": recorded,
        "meetings:recording_delete": recorded,
        "meetings:booking_room": {"public_id": str(booking.public_id)},
        "meetings:room": {"public_id": str(room.public_id)},
        "meetings:link_create": {"public_id": str(room.public_id)},
        "meetings:join": {"token": token},
        "meetings:link_revoke": {"public_id": str(room.public_id), "pk": revoked.pk},
        "meetings:kiosk": {"token": kiosk_key},
    }
