"""Recording in video rooms (ADR 0012): nothing is recorded unless the section allows it, a
host starts it and everyone in the call said yes; pieces are stored encrypted; someone
without a yes entering (or a yes withdrawn) stops it; staff with access play, download and
delete; the retention sweep deletes."""

from __future__ import annotations

import datetime as dt

import pytest
from asgiref.sync import sync_to_async
from cryptography.fernet import Fernet
from django.utils import timezone

from madoguchi.audit.models import AuditEntry
from madoguchi.consultations.models import ConsultationEvent
from madoguchi.meetings import recording as storage
from madoguchi.meetings.models import (
    Recording,
    RecordingConsent,
    RecordingStatus,
    RecordingStopReason,
    SectionRecording,
)
from madoguchi.meetings.services import recording as recordings
from tests.meetings.conftest import session_cookie
from tests.meetings.test_signaling import admit, expect, guest_in_lobby, host_in_call, run

pytestmark = pytest.mark.django_db(transaction=True)

WEBM = b"\x1a\x45\xdf\xa3" + b"PLAINTEXT-CALL-PIECE-" * 200


@pytest.fixture
def keyed(settings, tmp_path):
    settings.MEETINGS_RECORDING_KEY = [Fernet.generate_key().decode()]
    settings.MEETINGS_RECORDING_DIR = tmp_path / "recordings"
    settings.MEETINGS_RECORDING_RETENTION_DAYS = 30
    return settings.MEETINGS_RECORDING_DIR


def allow(world) -> None:
    SectionRecording.objects.update_or_create(
        section=world.booking.section, defaults={"allowed": True, "changed_by": world.staff.host})


def url(name: str, public_id) -> str:
    from django.urls import reverse

    return reverse(f"meetings:{name}", kwargs={"public_id": public_id})


async def post(client, name: str, public_id, data=None, **extra):
    return await sync_to_async(client.post)(url(name, public_id), data or {}, **extra)


async def put_piece(client, piece_url: str, index: int, data: bytes):
    return await sync_to_async(client.post)(f"{piece_url}?index={index}", data,
                                            content_type="application/octet-stream")


async def call_with_guest(world):
    """The host in the call with the resident (link holder) admitted; both HTTP clients."""
    host_client, _ = await sync_to_async(session_cookie)(world.staff.host)
    host, host_peer = await host_in_call(world)
    guest, guest_peer, guest_session = await guest_in_lobby(world, host)
    await admit(host, guest, guest_peer)
    guest_client = await sync_to_async(_client_for)(guest_session)
    return host_client, host, host_peer, guest_client, guest, guest_peer


async def consented_call(world):
    """``call_with_guest``, and both have answered yes."""
    host_client, host, _, guest_client, guest, _ = await call_with_guest(world)
    for client in (host_client, guest_client):
        await post(client, "recording_consent", world.room.public_id, {"agree": "yes"})
    return host_client, host, guest_client, guest


def _client_for(session_id: str):
    from django.test import Client

    client = Client()
    client.cookies["sessionid"] = session_id
    return client


def test_without_the_sections_permission_nothing_is_recorded(world, keyed):
    async def scenario():
        host_client, host, _, guest_client, guest, _ = await call_with_guest(world)
        for client in (host_client, guest_client):
            answer = await post(client, "recording_consent", world.room.public_id,
                                {"agree": "yes"})
            assert answer.status_code == 200 and answer.json()["allowed"] is False
        refused = await post(host_client, "recording_start", world.room.public_id)
        assert refused.status_code == 409 and refused.json()["error"] == "not_allowed"
        assert "認められていません" in refused.json()["message"]
        await host.disconnect()
        await guest.disconnect()

    run(scenario)
    assert not Recording.objects.exists()
    assert not keyed.exists() or not any(keyed.iterdir())


def test_without_everyones_consent_nothing_is_recorded(world, keyed):
    allow(world)

    async def scenario():
        host_client, host, _, guest_client, guest, _ = await call_with_guest(world)
        # Nobody answered yet; the lobby question defaults to no.
        refused = await post(host_client, "recording_start", world.room.public_id)
        assert refused.status_code == 409 and refused.json()["error"] == "consent_missing"
        assert "hoken-host" in refused.json()["message"]
        await post(host_client, "recording_consent", world.room.public_id, {"agree": "yes"})
        await post(guest_client, "recording_consent", world.room.public_id, {"agree": "no"})
        refused = await post(host_client, "recording_start", world.room.public_id)
        assert refused.status_code == 409
        assert "山田\u3000花子" in refused.json()["message"]
        assert "hoken-host" not in refused.json()["message"]
        # A participant cannot start a recording; an unknown answer is refused.
        assert (await post(guest_client, "recording_start",
                           world.room.public_id)).status_code == 403
        bad = await post(guest_client, "recording_consent", world.room.public_id,
                         {"agree": "maybe"})
        assert bad.status_code == 400 and "同意" in bad.json()["message"]
        await host.disconnect()
        await guest.disconnect()

    run(scenario)
    assert not Recording.objects.exists()


def test_with_everyones_consent_pieces_are_stored_encrypted_and_everyone_sees_it(world, keyed):
    allow(world)
    result = {}

    async def scenario():
        host_client, host, guest_client, guest = await consented_call(world)
        started = await post(host_client, "recording_start", world.room.public_id)
        assert started.status_code == 200, started.content
        assert started.json()["active"] is True
        piece_url = started.json()["piece"]
        for socket in (host, guest):
            message = await expect(socket, "recording")
            assert message["active"] is True
            assert message["message"] == "この通話は録画されています。"
        state = (await sync_to_async(guest_client.get)(url("recording_state",
                                                           world.room.public_id))).json()
        assert state["active"] is True and state["answer"] is True
        assert state["recording"] is None  # the link holder is not the recorder

        pieces = [WEBM[:1000], WEBM[1000:3000], WEBM[3000:]]
        for index, data in enumerate(pieces):
            answer = await put_piece(host_client, piece_url, index, data)
            assert answer.status_code == 200 and answer.json() == {"active": True}
        # Sent again after a lost answer: accepted once; out of order: refused.
        assert (await put_piece(host_client, piece_url, 2, pieces[2])).status_code == 200
        assert (await put_piece(host_client, piece_url, 7, b"x")).status_code == 409
        # Only the host who started it sends pieces.
        colleague, _ = await sync_to_async(session_cookie)(world.staff.colleague)
        assert (await put_piece(colleague, piece_url, 3, b"x")).status_code == 403
        assert (await put_piece(guest_client, piece_url, 3, b"x")).status_code == 403

        stopped = await post(host_client, "recording_stop", world.room.public_id)
        assert stopped.status_code == 200 and stopped.json()["active"] is False
        for socket in (host, guest):
            message = await expect(socket, "recording")
            assert message["active"] is False and message["message"] == "録画は停止しました。"
        late = await put_piece(host_client, piece_url, 3, b"after the stop")
        assert late.status_code == 409 and late.json()["active"] is False
        result["pieces"] = pieces
        await host.disconnect()
        await guest.disconnect()

    run(scenario)
    recording = Recording.objects.get()
    assert recording.status == RecordingStatus.STOPPED
    assert recording.stop_reason == RecordingStopReason.HOST
    assert recording.pieces == 3 and recording.size == len(WEBM)
    path = keyed / recording.file_name
    raw = path.read_bytes()
    assert raw.startswith(storage.MAGIC) and b"PLAINTEXT-CALL-PIECE" not in raw
    assert storage.read_recording(path) == b"".join(result["pieces"])
    # No name in the file name: the room's id and the time.
    assert recording.file_name.startswith(world.room.public_id.hex)
    kinds = list(ConsultationEvent.objects.filter(kind__startswith="meeting_rec")
                 .values_list("kind", "actor"))
    assert kinds == [("meeting_rec_on", world.staff.host.pk),
                     ("meeting_rec_off", world.staff.host.pk)]


def test_someone_without_consent_entering_stops_the_recording(world, keyed):
    allow(world)

    async def scenario():
        host_client, host, guest_client, guest = await consented_call(world)
        started = await post(host_client, "recording_start", world.room.public_id)
        piece_url = started.json()["piece"]
        await expect(host, "recording")
        await expect(guest, "recording")
        assert (await put_piece(host_client, piece_url, 0, WEBM)).status_code == 200

        # The outside participant waits in the lobby, told that the call is recorded.
        _, other_session = await sync_to_async(session_cookie)(join_token=world.guest_token)
        from tests.meetings.test_signaling import open_socket

        other = await open_socket(world.room, other_session)
        await other.send_json_to({"type": "join"})
        lobby = await expect(other, "lobby")
        assert lobby["recording"] is True
        await expect(host, "waiting")
        # Admitting them (no answer) stops the recording before they are in the call.
        await host.send_json_to({"type": "admit", "peer": lobby["peer"]})
        stop = await expect(other, "recording")
        assert stop["active"] is False
        admitted = await expect(other, "admitted")
        assert admitted["recording"] is False
        late = await put_piece(host_client, piece_url, 1, WEBM)
        assert late.status_code == 409 and late.json()["active"] is False
        for socket in (host, guest, other):
            await socket.disconnect()

    run(scenario)
    recording = Recording.objects.get()
    assert recording.status == RecordingStatus.STOPPED
    assert recording.stop_reason == RecordingStopReason.CONSENT
    assert recording.pieces == 1
    assert storage.read_recording(keyed / recording.file_name) == WEBM
    stop = ConsultationEvent.objects.get(kind="meeting_rec_off")
    assert stop.actor == world.staff.host  # the host admitted them


def test_a_withdrawn_consent_stops_the_recording_and_so_does_the_end(world, keyed):
    allow(world)

    async def scenario():
        host_client, host, guest_client, guest = await consented_call(world)
        await post(host_client, "recording_start", world.room.public_id)
        await expect(guest, "recording")
        withdrawn = await post(guest_client, "recording_consent", world.room.public_id,
                               {"agree": "no"})
        assert withdrawn.json()["active"] is False
        assert (await expect(guest, "recording"))["active"] is False
        # Yes again, recording again; the end of the call stops it.
        await post(guest_client, "recording_consent", world.room.public_id, {"agree": "yes"})
        assert (await post(host_client, "recording_start",
                           world.room.public_id)).status_code == 200
        assert (await expect(guest, "recording"))["active"] is True
        await host.send_json_to({"type": "end"})
        await expect(guest, "recording")
        await expect(guest, "ended")
        for socket in (host, guest):
            await socket.disconnect()

    run(scenario)
    reasons = list(Recording.objects.order_by("pk").values_list("stop_reason", flat=True))
    assert reasons == [RecordingStopReason.CONSENT, RecordingStopReason.ENDED]
    # The resident's withdrawal is on the timeline with the kind only (no staff actor).
    stops = list(ConsultationEvent.objects.filter(kind="meeting_rec_off").order_by("pk")
                 .values_list("actor", "participant_kind"))
    assert stops == [(None, "resident"), (world.staff.host.pk, "")]
    answers = list(RecordingConsent.objects.order_by("pk").values_list("agreed", "method"))
    assert answers == [(True, "screen"), (True, "screen"), (False, "screen"), (True, "screen")]


def test_the_recorder_leaving_stops_the_recording(world, keyed):
    allow(world)

    async def scenario():
        host_client, host, guest_client, guest = await consented_call(world)
        await post(host_client, "recording_start", world.room.public_id)
        await expect(guest, "recording")
        await host.disconnect()  # the host's browser is gone
        assert (await expect(guest, "recording"))["active"] is False
        await guest.disconnect()

    run(scenario)
    assert Recording.objects.get().stop_reason == RecordingStopReason.RECORDER_LEFT


def test_the_host_records_a_kiosk_residents_spoken_consent(kiosk_world, keyed, settings):
    from tests.meetings.conftest import kiosk_cookie
    from tests.meetings.test_signaling import open_socket

    world = kiosk_world
    SectionRecording.objects.create(section=world.booking.section, allowed=True,
                                    changed_by=world.staff.host)

    async def scenario():
        host_client, _ = await sync_to_async(session_cookie)(world.staff.host)
        host, _ = await host_in_call(world)
        tablet_client, tablet_session = await sync_to_async(kiosk_cookie)(world.key)
        consent = await sync_to_async(tablet_client.post)("/meet/kiosk/consent/",
                                                          {"room": str(world.room.public_id)})
        assert consent.status_code == 200
        tablet = await open_socket(world.room, tablet_session)
        await tablet.send_json_to({"type": "join"})
        lobby = await expect(tablet, "lobby")
        await expect(host, "waiting")
        await admit(host, tablet, lobby["peer"])
        await post(host_client, "recording_consent", world.room.public_id, {"agree": "yes"})
        refused = await post(host_client, "recording_start", world.room.public_id)
        assert refused.status_code == 409
        state = (await sync_to_async(host_client.get)(url("recording_state",
                                                          world.room.public_id))).json()
        resident = next(p for p in state["people"] if p["kind"] == "resident")
        assert resident["verbal"] is True and resident["answer"] is None
        # Only a host records a spoken answer.
        centre, _ = await sync_to_async(session_cookie)(world.staff.centre)
        assert (await post(centre, "recording_verbal", world.room.public_id,
                           {"peer": lobby["peer"], "agree": "yes"})).status_code == 403
        verbal = await post(host_client, "recording_verbal", world.room.public_id,
                            {"peer": lobby["peer"], "agree": "yes"})
        resident = next(p for p in verbal.json()["people"] if p["kind"] == "resident")
        assert resident["answer"] is True and resident["method"] == "verbal"
        started = await post(host_client, "recording_start", world.room.public_id)
        assert started.status_code == 200, started.content
        assert (await expect(tablet, "recording"))["active"] is True
        for socket in (host, tablet):
            await socket.disconnect()

    run(scenario)
    row = RecordingConsent.objects.get(method="verbal")
    assert row.recorded_by == world.staff.host and row.agreed and row.given_at
    entry = AuditEntry.objects.get(record_type=recordings.RECORD_TYPE_CONSENT)
    assert entry.actor == world.staff.host and entry.action == "consent_give"
    assert entry.resident_ref == str(world.resident.public_id)


def stored_recording(world, keyed, *, days_ago: int = 0) -> Recording:
    """A finished recording of the room, made through the services."""
    allow(world)
    room = world.room
    at = timezone.now() - dt.timedelta(days=days_ago)
    begun = storage.recording_begin(call_ref=room.public_id.hex, enabled=True,
                                    participants=["user-1"], participant_consents={"user-1": True},
                                    recorded_at=at)
    length = storage.recording_append(begun.path, length=len(storage.MAGIC), index=0, data=WEBM)
    length = storage.recording_finish(begun.path, length=length, index=1)
    return Recording.objects.create(
        room=room, started_at=at, started_by=world.staff.host, recorder_peer="0" * 16,
        status=RecordingStatus.STOPPED, stopped_at=at, stop_reason=RecordingStopReason.HOST,
        file_name=begun.path.name, pieces=1, length=length, size=len(WEBM))


def test_staff_with_access_play_and_download_and_every_read_is_audited(world, keyed):
    recording = stored_recording(world, keyed)
    host, _ = session_cookie(world.staff.host)
    listing = host.get(url("recordings", world.room.public_id))
    assert listing.status_code == 200
    assert url("recording_file", recording.public_id) in listing.content.decode()
    played = host.get(url("recording_file", recording.public_id))
    assert played.status_code == 200 and played["Content-Type"] == "video/webm"
    assert b"".join(played.streaming_content) == WEBM
    downloaded = host.get(url("recording_file", recording.public_id) + "?download=1")
    assert downloaded["Content-Disposition"].startswith("attachment")
    assert b"".join(downloaded.streaming_content) == WEBM
    # The centre that received the consultation sees its record, and so its recordings.
    centre, _ = session_cookie(world.staff.centre)
    assert centre.get(url("recording_file", recording.public_id)).status_code == 200
    for other in (world.staff.other_section, world.staff.partner):
        client, _ = session_cookie(other)
        assert client.get(url("recording_file", recording.public_id)).status_code == 403
        assert client.get(url("recordings", world.room.public_id)).status_code == 403
    from django.test import Client

    assert Client().get(url("recording_file", recording.public_id)).status_code == 302
    actions = list(AuditEntry.objects.filter(record_type=recordings.RECORD_TYPE)
                   .order_by("pk").values_list("action", "actor", "resident_ref"))
    resident = str(world.consultation.resident.public_id)
    assert actions == [("list", world.staff.host.pk, resident),
                       ("view", world.staff.host.pk, resident),
                       ("export", world.staff.host.pk, resident),
                       ("view", world.staff.centre.pk, resident)]


def test_the_section_deletes_a_recording_the_centre_cannot(world, keyed):
    recording = stored_recording(world, keyed)
    path = keyed / recording.file_name
    centre, _ = session_cookie(world.staff.centre)
    assert centre.post(url("recording_delete", recording.public_id)).status_code == 403
    assert path.exists()
    host, _ = session_cookie(world.staff.host)
    response = host.post(url("recording_delete", recording.public_id))
    assert response.status_code == 302
    recording.refresh_from_db()
    assert recording.status == RecordingStatus.DELETED and recording.deleted_by == world.staff.host
    assert not path.exists()
    assert host.get(url("recording_file", recording.public_id)).status_code == 404
    assert AuditEntry.objects.filter(record_type=recordings.RECORD_TYPE, action="update",
                                     actor=world.staff.host).exists()
    assert ConsultationEvent.objects.filter(kind="meeting_rec_del",
                                            actor=world.staff.host).exists()
    listing = host.get(url("recordings", world.room.public_id)).content.decode()
    assert "削除済み" in listing


def test_the_retention_sweep_deletes_old_recordings_and_stops_abandoned_ones(world, keyed):
    old = stored_recording(world, keyed, days_ago=31)
    recent = stored_recording(world, keyed, days_ago=2)
    # A recording whose browser stopped sending ten minutes ago.
    begun = storage.recording_begin(call_ref=world.room.public_id.hex, enabled=True,
                                    participants=["a"], participant_consents={"a": True})
    abandoned = Recording.objects.create(
        room=world.room, started_at=timezone.now() - dt.timedelta(minutes=12),
        last_piece_at=timezone.now() - dt.timedelta(minutes=10), started_by=world.staff.host,
        recorder_peer="1" * 16, file_name=begun.path.name, length=len(storage.MAGIC))
    assert recordings.sweep_recordings.call() == "abandoned 1, deleted 1, files 0"
    for row in (old, recent, abandoned):
        row.refresh_from_db()
    assert old.status == RecordingStatus.DELETED and old.deleted_by is None
    assert not (keyed / old.file_name).exists()
    assert recent.status == RecordingStatus.STOPPED and (keyed / recent.file_name).exists()
    assert abandoned.status == RecordingStatus.STOPPED
    assert abandoned.stop_reason == RecordingStopReason.ABANDONED
    assert storage.read_recording(keyed / abandoned.file_name) == b""


def test_without_a_key_the_host_is_told_and_nothing_is_stored(world, keyed, settings):
    allow(world)
    settings.MEETINGS_RECORDING_KEY = []

    async def scenario():
        host_client, host, guest_client, guest = await consented_call(world)
        refused = await post(host_client, "recording_start", world.room.public_id)
        assert refused.status_code == 503 and "鍵" in refused.json()["message"]
        await host.disconnect()
        await guest.disconnect()

    run(scenario)
    assert not Recording.objects.exists()


def test_a_section_manager_or_ward_admin_allows_recording(world, make_staff):
    from madoguchi.accounts.models import Role

    manager = make_staff(Role.SECTION_MANAGER, "setagaya/hoken-fukushi", "hoken-manager")
    other_manager = make_staff(Role.SECTION_MANAGER, "kazei", "kazei-manager")
    client, _ = session_cookie(manager)
    page = client.get("/meet/recording/sections/")
    assert page.status_code == 200 and world.booking.section.name in page.content.decode()
    assert client.post("/meet/recording/sections/", {"section": world.booking.section.pk,
                                                      "allowed": "yes"}).status_code == 302
    assert SectionRecording.objects.get(section=world.booking.section).allowed is True
    other, _ = session_cookie(other_manager)
    answer = other.post("/meet/recording/sections/", {"section": world.booking.section.pk,
                                                      "allowed": "no"})
    assert answer.status_code == 400 and "選んでください" in answer.content.decode()
    assert SectionRecording.objects.get(section=world.booking.section).allowed is True
    host, _ = session_cookie(world.staff.host)
    assert host.get("/meet/recording/sections/").status_code == 403


def test_the_room_and_lobby_pages_ask_only_when_the_section_records(world):
    host, _ = session_cookie(world.staff.host)
    page = host.get(url("room", world.room.public_id)).content.decode()
    assert "認められていません" in page and 'name="agree"' not in page
    allow(world)
    page = host.get(url("room", world.room.public_id)).content.decode()
    assert 'name="agree"' in page and "録画を開始" in page
    # The question defaults to no.
    assert 'value="no" checked' in page
    guest, _ = session_cookie(join_token=world.guest_token)
    lobby = guest.get(f"/meet/join/{world.guest_token}/").content.decode()
    assert 'value="no" checked' in lobby and "録画を開始" not in lobby


def test_the_daily_sweep_command(world, keyed):
    from io import StringIO

    from django.core.management import call_command

    old = stored_recording(world, keyed, days_ago=40)
    out = StringIO()
    call_command("sweep_recordings", stdout=out)
    assert out.getvalue().strip() == "recording sweep: 0 abandoned, 1 deleted, 0 stray files"
    old.refresh_from_db()
    assert old.status == RecordingStatus.DELETED
