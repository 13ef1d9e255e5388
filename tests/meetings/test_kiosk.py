"""Booth kiosk mode: keys (issue, revoke, who may), the waiting screen's data (no resident),
consent on 「同意して はじめる」 (and none on 「やめる」), and entering the call over
WebSocket as the booking's resident."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.core.exceptions import PermissionDenied
from django.test import Client

from madoguchi.consultations.models import ConsultationEvent
from madoguchi.meetings import kiosk
from madoguchi.meetings.models import Attendance, AttendanceState, BoothKiosk, KioskConsent
from madoguchi.people.models import Consent, ConsentMethod, ConsentPurpose
from madoguchi.scheduling.models import ParticipantKind
from tests.helpers import login
from tests.meetings.conftest import kiosk_cookie
from tests.meetings.test_signaling import expect, host_in_call, open_socket, run

pytestmark = pytest.mark.django_db(transaction=True)


def online_consents(resident):
    return Consent.objects.filter(resident=resident, purpose=ConsentPurpose.ONLINE_CONSULTATION)


def test_kiosk_key_issue_revoke_and_refusal(kiosk_world, make_staff):
    w = kiosk_world
    assert BoothKiosk.objects.get(pk=w.kiosk.pk).key_hash != w.key  # only the hash is kept
    client, _ = kiosk_cookie(w.key)
    assert client.get("/meet/kiosk/state/").status_code == 200
    # A new key revokes the old one: the tablet holding it is refused from then on.
    _new, new_key = kiosk.kiosk_issue(booth=w.booking.booth, by=w.staff.centre)
    w.kiosk.refresh_from_db()
    assert w.kiosk.revoked_at is not None
    assert client.get("/meet/kiosk/state/").status_code == 403
    refused = Client().get(f"/meet/kiosk/{w.key}/")
    assert refused.status_code == 403
    assert "この端末は使えません" in refused.content.decode()
    assert Client().get("/meet/kiosk/not-a-key/").status_code == 403
    kiosk.kiosk_revoke(kiosk=_new, by=w.staff.centre)
    assert Client().get(f"/meet/kiosk/{new_key}/").status_code == 403
    # Only the centre's district staff and ward administrators manage the booth's key.
    for user in (w.staff.other_centre, w.staff.host, w.staff.other_section):
        with pytest.raises(PermissionDenied):
            kiosk.kiosk_issue(booth=w.booking.booth, by=user)
    admin = make_staff("ward_admin", None, "admin-1")
    kiosk.kiosk_issue(booth=w.booking.booth, by=admin)
    assert BoothKiosk.objects.filter(booth=w.booking.booth, revoked_at__isnull=True).count() == 1


def test_kiosk_page_issues_and_revokes_through_the_form(kiosk_world):
    w = kiosk_world
    client = login(Client(), w.staff.centre)
    page = client.get("/meet/kiosks/")
    assert page.status_code == 200 and str(w.booking.booth) in page.content.decode()
    issued = client.post("/meet/kiosks/", {"booth": w.booking.booth.pk, "action": "issue"})
    assert issued.status_code == 200
    url = issued.context["issued"]["url"]
    assert "/meet/kiosk/" in url and url in issued.content.decode()
    assert Client().get(url).status_code == 200
    assert client.post("/meet/kiosks/", {"booth": w.booking.booth.pk,
                                         "action": "revoke"}).status_code == 302
    assert Client().get(url).status_code == 403
    assert not BoothKiosk.objects.filter(booth=w.booking.booth,
                                         revoked_at__isnull=True).exists()
    # Another centre's staff see no booth of 池尻 and cannot issue for it.
    other = login(Client(), w.staff.other_centre)
    assert other.post("/meet/kiosks/", {"booth": w.booking.booth.pk,
                                        "action": "issue"}).status_code == 400


def test_waiting_screen_shows_time_and_section_but_never_the_resident(kiosk_world):
    w = kiosk_world
    client, _ = kiosk_cookie(w.key)
    page = client.get(f"/meet/kiosk/{w.key}/").content.decode()
    state = client.get("/meet/kiosk/state/").json()
    assert state["booking"]["section"] == w.booking.section.name
    assert state["live"] is False and state["room"] is None
    for text in (page, str(state)):
        for part in ("山田", "花子", "ヤマダ", str(w.resident.public_id), w.booking.title):
            assert part not in text
    # Before the staff member has started the call, consent is refused.
    refused = client.post("/meet/kiosk/consent/", {"room": str(w.room.public_id)})
    assert refused.status_code == 403
    assert not KioskConsent.objects.exists()


def test_consent_is_recorded_on_agree_and_not_on_decline(kiosk_world):
    w = kiosk_world

    async def scenario():
        host, _peer = await host_in_call(w)
        client, session = await sync_to_async(kiosk_cookie)(w.key)
        state = await sync_to_async(lambda: client.get("/meet/kiosk/state/").json())()
        assert state["live"] is True and state["room"] == str(w.room.public_id)
        # 「やめる」 sends nothing: nothing is recorded and the tablet may not enter.
        assert await sync_to_async(online_consents(w.resident).filter(
            withdrawn_at__isnull=True).exists)() is False
        socket = await open_socket(w.room, session)
        refused = await expect(socket, "error")
        assert refused["code"] == "not_participant"
        await socket.disconnect()
        # 「同意して はじめる」: the consent is recorded, then the tablet enters the lobby.
        answer = await sync_to_async(client.post)("/meet/kiosk/consent/",
                                                  {"room": str(w.room.public_id)})
        assert answer.status_code == 200, answer.content
        assert answer.json()["ws"] == f"/ws/meet/{w.room.public_id}/"
        socket = await open_socket(w.room, session)
        await socket.send_json_to({"type": "join"})
        lobby = await expect(socket, "lobby")
        waiting = await expect(host, "waiting")
        assert [row["peer"] for row in waiting["waiting"]] == [lobby["peer"]]
        await host.send_json_to({"type": "admit", "peer": lobby["peer"]})
        admitted = await expect(socket, "admitted")
        assert admitted["host"] is False and len(admitted["peers"]) == 1
        await host.send_json_to({"type": "end"})
        await expect(socket, "ended")
        await socket.disconnect()
        await host.disconnect()

    run(scenario)
    active = online_consents(w.resident).get(withdrawn_at__isnull=True)
    assert active.method == ConsentMethod.SCREEN
    organiser = w.booking.participants.get(kind=ParticipantKind.STAFF, is_organiser=True)
    assert active.recorded_by == organiser.user == w.staff.host
    given = KioskConsent.objects.get()
    assert given.consent == active and given.kiosk == w.kiosk and given.room == w.room
    attendance = Attendance.objects.get(participant__kind=ParticipantKind.RESIDENT)
    assert attendance.user is None and attendance.state == AttendanceState.LEFT
    kinds = list(ConsultationEvent.objects.filter(consultation=w.consultation)
                 .values_list("kind", "actor", "participant_kind"))
    assert ("meeting_consent", None, "resident") in kinds
    assert ("meeting_join", None, "resident") in kinds
    assert ("meeting_admit", w.staff.host.pk, "resident") in kinds
    # After the call the waiting screen moves on: the ended call is not shown again.
    client, _ = kiosk_cookie(w.key)
    assert client.get("/meet/kiosk/state/").json() == {"booking": None, "live": False,
                                                       "room": None}


def test_consent_keeps_an_active_consent_and_is_once_per_call(kiosk_world):
    w = kiosk_world

    async def scenario():
        host, _peer = await host_in_call(w)
        await sync_to_async(lambda: Consent.objects.create(
            resident=w.resident, purpose=ConsentPurpose.ONLINE_CONSULTATION, method="oral",
            given_at=w.booking.start, recorded_by=w.staff.centre))()
        client, _ = await sync_to_async(kiosk_cookie)(w.key)
        for _ in range(2):
            answer = await sync_to_async(client.post)("/meet/kiosk/consent/",
                                                      {"room": str(w.room.public_id)})
            assert answer.status_code == 200
        await host.disconnect()

    run(scenario)
    assert online_consents(w.resident).filter(withdrawn_at__isnull=True).count() == 1
    assert KioskConsent.objects.get().consent.method == "oral"
    assert ConsultationEvent.objects.filter(consultation=w.consultation,
                                            kind="meeting_consent").count() == 1


def test_kiosk_of_another_booth_cannot_consent_or_enter(kiosk_world, make_staff):
    from madoguchi.organisation.models import Booth

    w = kiosk_world
    other_booth = Booth.objects.exclude(pk=w.booking.booth_id).first()
    admin = make_staff("ward_admin", None, "admin-1")
    _other, other_key = kiosk.kiosk_issue(booth=other_booth, by=admin)

    async def scenario():
        host, _peer = await host_in_call(w)
        client, session = await sync_to_async(kiosk_cookie)(other_key)
        answer = await sync_to_async(client.post)("/meet/kiosk/consent/",
                                                  {"room": str(w.room.public_id)})
        assert answer.status_code == 403
        socket = await open_socket(w.room, session)
        assert (await expect(socket, "error"))["code"] == "not_participant"
        await socket.disconnect()
        await host.disconnect()

    run(scenario)
    assert not KioskConsent.objects.exists()
    bad = Client()
    kiosk_cookie_client = kiosk_cookie(w.key)[0]
    assert kiosk_cookie_client.post("/meet/kiosk/consent/", {"room": "x"}).status_code == 400
    assert bad.post("/meet/kiosk/consent/", {"room": str(w.room.public_id)}).status_code == 403

