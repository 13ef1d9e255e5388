"""Signaling over WebSocket through the real ASGI stack (origin check, session, user):
lobby, admit, refuse, remove, end, relay, chat, malformed messages and who may not enter."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from config.asgi import application
from madoguchi.consultations.models import ConsultationEvent
from madoguchi.meetings import protocol
from madoguchi.meetings.models import Attendance, AttendanceState, RoomAccess, RoomStatus
from tests.meetings.conftest import session_cookie

async_cookie = sync_to_async(session_cookie)

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1")
SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n"


def run(scenario, *args):
    """Run an async scenario from this synchronous test."""
    return async_to_sync(scenario)(*args)


async def open_socket(room, session_id: str | None = None, origin=ORIGIN):
    headers = [origin]
    if session_id:
        headers.append((b"cookie", f"sessionid={session_id}".encode()))
    socket = WebsocketCommunicator(application, f"/ws/meet/{room.public_id}/", headers=headers)
    connected, _ = await socket.connect()
    assert connected
    return socket


async def expect(socket, kind: str, timeout: float = 3):
    message = await socket.receive_json_from(timeout=timeout)
    assert message["type"] == kind, message
    return message


async def expect_all(socket, *kinds: str, timeout: float = 3) -> dict:
    """The next messages, in any order (events from different senders may interleave)."""
    got = {}
    for _ in kinds:
        message = await socket.receive_json_from(timeout=timeout)
        got[message["type"]] = message
    assert sorted(got) == sorted(kinds), got
    return got


async def admit(host, guest, guest_peer) -> dict:
    await host.send_json_to({"type": "admit", "peer": guest_peer})
    admitted = await expect(guest, "admitted")
    seen = await expect_all(host, "peer-joined", "waiting")
    assert seen["peer-joined"]["peer"] == guest_peer and seen["waiting"]["waiting"] == []
    return {"admitted": admitted, **seen}


async def host_in_call(world):
    _, session = await async_cookie(world.staff.host)
    host = await open_socket(world.room, session)
    await host.send_json_to({"type": "join"})
    admitted = await expect(host, "admitted")
    assert admitted["host"] is True and admitted["peers"] == []
    assert (await expect(host, "waiting"))["waiting"] == []
    return host, admitted["peer"]


async def guest_in_lobby(world, host, token=None):
    _, session = await async_cookie(join_token=token or world.resident_token)
    guest = await open_socket(world.room, session)
    await guest.send_json_to({"type": "join"})
    lobby = await expect(guest, "lobby")
    assert "お待ちください" in lobby["message"]
    waiting = await expect(host, "waiting")
    assert lobby["peer"] in [row["peer"] for row in waiting["waiting"]]
    return guest, lobby["peer"], session


def timeline_rows(client, world) -> list[list[str]]:
    """(event, who acted) of the video call rows on the consultation's record page."""
    import re

    from django.urls import reverse

    html = client.get(reverse("consultations:detail",
                              kwargs={"public_id": world.consultation.public_id})).content.decode()
    table = html[html.index('id="timeline"'):]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row,
                                                                        flags=re.S)]
        if cells and ("ビデオ通話" in cells[0] or "入室" in cells[0] or "退出" in cells[0]
                      or "通話" in cells[0]):
            rows.append([cells[0], cells[2]])
    return rows


def kinds(world) -> list[str]:
    return list(ConsultationEvent.objects.filter(consultation=world.consultation)
                .exclude(kind__in=["intake", "route", "book"]).values_list("kind", flat=True))


def test_host_admits_a_resident_and_offers_answers_candidates_and_chat_are_relayed(world):
    async def scenario():
        host, host_peer = await host_in_call(world)
        guest, guest_peer, _ = await guest_in_lobby(world, host)
        seen = await admit(host, guest, guest_peer)
        assert seen["admitted"]["peers"] == [{"peer": host_peer, "label": "hoken-host",
                                              "host": True}]
        assert seen["peer-joined"]["label"] == "山田\u3000花子"

        await guest.send_json_to({"type": "offer", "to": host_peer, "sdp": SDP})
        offer = await expect(host, "offer")
        assert offer == {"type": "offer", "from": guest_peer, "sdp": SDP}
        await host.send_json_to({"type": "answer", "to": guest_peer, "sdp": SDP})
        assert (await expect(guest, "answer"))["from"] == host_peer
        candidate = {"candidate": "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host",
                     "sdpMid": "0", "sdpMLineIndex": 0, "usernameFragment": "abcd"}
        await host.send_json_to({"type": "candidate", "to": guest_peer, "candidate": candidate})
        assert (await expect(guest, "candidate"))["candidate"] == candidate

        await guest.send_json_to({"type": "chat", "text": "  聞こえますか？ "})
        for socket in (guest, host):
            chat = await expect(socket, "chat")
            assert chat["text"] == "聞こえますか？" and chat["from"] == guest_peer

        await guest.send_json_to({"type": "leave"})
        assert (await expect(guest, "left"))["message"] == "退室しました。"
        assert (await expect(host, "peer-left"))["peer"] == guest_peer
        await host.disconnect()
        await guest.disconnect()

    run(scenario)
    world.room.refresh_from_db()
    assert world.room.status == RoomStatus.LIVE and world.room.started_at is not None
    assert kinds(world) == ["meeting_join", "meeting_join", "meeting_admit", "meeting_leave"]
    events = list(ConsultationEvent.objects.filter(kind__startswith="meeting"))
    # The host acted with a staff login; the resident joined and left through the link.
    assert [(e.actor, e.participant_kind) for e in events] == [
        (world.staff.host, ""), (None, "resident"), (world.staff.host, "resident"),
        (None, "resident")]
    assert {e.note for e in events} == {""}
    assert {e.to_status for e in events} == {"booked"}
    # The record page names the events and who acted, without the resident's name.
    client, _ = session_cookie(world.staff.host)
    timeline = timeline_rows(client, world)
    assert timeline == [["ビデオ通話に参加", "hoken-host"], ["ビデオ通話に参加", "区民"],
                        ["入室を許可（区民）", "hoken-host"], ["退出", "区民"]]
    # Leaving on purpose frees the link for another device.
    world.resident_link.refresh_from_db()
    assert world.resident_link.device_hash == ""


def test_host_refuses_and_removes(world):
    async def scenario():
        host, _ = await host_in_call(world)
        resident, resident_peer, _ = await guest_in_lobby(world, host)
        await host.send_json_to({"type": "refuse", "peer": resident_peer})
        refused = await expect(resident, "refused")
        assert refused["message"] == "担当の職員が入室をお断りしました。"
        assert (await resident.receive_output(timeout=2))["type"] == "websocket.close"
        assert (await expect(host, "waiting"))["waiting"] == []

        guest, guest_peer, _ = await guest_in_lobby(world, host, world.guest_token)
        await admit(host, guest, guest_peer)
        await host.send_json_to({"type": "remove", "peer": guest_peer})
        assert (await expect(guest, "removed"))["message"] == "担当の職員により退室となりました。"
        assert (await expect_all(host, "peer-left", "waiting"))["peer-left"]["peer"] == guest_peer
        # Removing someone already gone is refused without breaking anything.
        await host.send_json_to({"type": "remove", "peer": guest_peer})
        assert (await expect(host, "error"))["code"] == "unknown_peer"
        await host.send_json_to({"type": "ping"})
        await expect(host, "pong")
        await host.disconnect()

    run(scenario)
    assert kinds(world) == ["meeting_join", "meeting_join", "meeting_refuse", "meeting_join",
                            "meeting_admit", "meeting_remove"]
    client, _ = session_cookie(world.staff.host)
    assert timeline_rows(client, world) == [
        ["ビデオ通話に参加", "hoken-host"], ["ビデオ通話に参加", "区民"],
        ["入室を断った（区民）", "hoken-host"], ["ビデオ通話に参加", "外部の参加者"],
        ["入室を許可（外部の参加者）", "hoken-host"], ["退出させた（外部の参加者）", "hoken-host"]]
    states = set(Attendance.objects.filter(room=world.room, is_host=False)
                 .values_list("state", flat=True))
    assert states == {AttendanceState.REFUSED, AttendanceState.REMOVED}


def test_malformed_messages_get_an_error_and_the_call_goes_on(world):
    async def scenario():
        host, host_peer = await host_in_call(world)
        guest, guest_peer, _ = await guest_in_lobby(world, host)
        await admit(host, guest, guest_peer)
        bad = [
            ("not json", "bad_json"),
            (json.dumps([1, 2]), "bad_json"),
            (json.dumps({"type": "shout"}), "bad_type"),
            (json.dumps({"kind": "offer"}), "bad_type"),
            (json.dumps({"type": "offer", "to": "nobody", "sdp": SDP}), "bad_field"),
            (json.dumps({"type": "offer", "to": host_peer, "sdp": 5}), "bad_field"),
            (json.dumps({"type": "offer", "to": "0" * 16, "sdp": SDP}), "unknown_peer"),
            (json.dumps({"type": "candidate", "to": host_peer,
                         "candidate": {"candidate": "x", "evil": 1}}), "bad_field"),
            (json.dumps({"type": "chat", "text": "   "}), "chat_empty"),
            (json.dumps({"type": "chat", "text": "あ" * 1001}), "bad_field"),
            (json.dumps({"type": "chat", "text": "x" * (70 * 1024)}), "too_large"),
            (json.dumps({"type": "join"}), "already_joined"),
            (json.dumps({"type": "admit", "peer": host_peer}), "not_host"),
            (json.dumps({"type": "end"}), "not_host"),
        ]
        for text, code in bad:
            await guest.send_to(text_data=text)
            error = await expect(guest, "error")
            assert error["code"] == code, (text[:40], error)
            assert error["message"] == protocol.MESSAGES[code]
        await guest.send_to(bytes_data=b"\x00\x01")
        assert (await expect(guest, "error"))["code"] == "bad_json"
        assert await host.receive_nothing(timeout=0.2)
        # The room still works for both.
        await guest.send_json_to({"type": "chat", "text": "まだつながっています"})
        assert (await expect(host, "chat"))["text"] == "まだつながっています"
        await expect(guest, "chat")
        await host.disconnect()
        await guest.disconnect()

    run(scenario)


def test_lobby_messages_before_admission_are_refused(world):
    async def scenario():
        host, host_peer = await host_in_call(world)
        guest, _, _ = await guest_in_lobby(world, host)
        await guest.send_json_to({"type": "offer", "to": host_peer, "sdp": SDP})
        assert (await expect(guest, "error"))["code"] == "not_in_call"
        await guest.send_json_to({"type": "chat", "text": "こんにちは"})
        assert (await expect(guest, "error"))["code"] == "not_in_call"
        assert await host.receive_nothing(timeout=0.2)
        await host.disconnect()
        await guest.disconnect()

    run(scenario)


def test_nobody_outside_the_booking_enters(world):
    async def refused(session_id):
        socket = await open_socket(world.room, session_id)
        error = await expect(socket, "error")
        assert (await socket.receive_output(timeout=2)) == {"type": "websocket.close",
                                                           "code": 4403}
        return error

    async def scenario():
        anonymous = await refused(None)
        assert anonymous["code"] == "not_participant"
        assert anonymous["message"] == "この相談の参加者ではないため、入室できません。"
        for user in (world.staff.partner, world.staff.other_section, world.staff.centre):
            _, session = await async_cookie(user)
            assert (await refused(session))["code"] == "not_participant"
        # A page of another site may not open the socket (origin check).
        _, session = await async_cookie(world.staff.host)
        socket = WebsocketCommunicator(application, f"/ws/meet/{world.room.public_id}/",
                                       headers=[(b"origin", b"https://evil.example"),
                                                (b"cookie", f"sessionid={session}".encode())])
        connected, _ = await socket.connect()
        assert not connected

    run(scenario)
    assert not Attendance.objects.filter(room=world.room).exists()


def test_a_colleague_of_the_section_hosts_and_a_staff_participant_waits(world, make_staff):
    from madoguchi.scheduling.models import Participant, ParticipantKind

    Participant.objects.create(booking=world.booking, kind=ParticipantKind.STAFF,
                               user=world.staff.partner, remote=True)

    async def scenario():
        _, session = await async_cookie(world.staff.colleague)
        colleague = await open_socket(world.room, session)
        await colleague.send_json_to({"type": "join"})
        assert (await expect(colleague, "admitted"))["host"] is True
        await expect(colleague, "waiting")
        _, session = await async_cookie(world.staff.partner)
        partner = await open_socket(world.room, session)
        await partner.send_json_to({"type": "join"})
        await expect(partner, "lobby")
        waiting = await expect(colleague, "waiting")
        assert [row["label"] for row in waiting["waiting"]] == ["anshin-1"]
        await colleague.disconnect()
        await partner.disconnect()

    run(scenario)


def test_expired_revoked_and_second_device_links_are_refused(world, client):
    first, first_session = session_cookie(join_token=world.resident_token)
    # The same device may open its link again.
    assert first.get(f"/meet/join/{world.resident_token}/").status_code == 200
    # A second device is refused while the first holds the link …
    second = client
    response = second.get(f"/meet/join/{world.resident_token}/")
    assert response.status_code == 409
    assert "別の端末で使われています" in response.content.decode()
    second_session = second.cookies["sessionid"].value if "sessionid" in second.cookies else None

    async def socket_refused(session_id, code):
        socket = await open_socket(world.room, session_id)
        assert (await expect(socket, "error"))["code"] == code
        await socket.disconnect()

    run(socket_refused, second_session, "not_participant")

    # … and may use it once the first left on purpose.
    async def leave():
        host, _ = await host_in_call(world)
        socket = await open_socket(world.room, first_session)
        await socket.send_json_to({"type": "join"})
        await expect(socket, "lobby")
        await socket.send_json_to({"type": "leave"})
        await expect(socket, "left")
        await host.disconnect()

    run(leave)
    assert second.get(f"/meet/join/{world.resident_token}/").status_code == 200
    second_session = second.cookies["sessionid"].value
    assert first.get(f"/meet/join/{world.resident_token}/").status_code == 409

    # Expired: the page and the socket refuse it.
    RoomAccess.objects.filter(pk=world.resident_link.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = second.get(f"/meet/join/{world.resident_token}/")
    assert response.status_code == 410
    assert "有効期限が切れています" in response.content.decode()
    run(socket_refused, second_session, "link_expired")

    # Revoked by the host (through the page), and issuing anew revokes the old link.
    _, guest_session = session_cookie(join_token=world.guest_token)
    host_client, _ = session_cookie(world.staff.host)
    response = host_client.post(f"/meet/{world.room.public_id}/links/{world.guest_link.pk}/revoke/")
    assert response.status_code == 302
    response = Client_get(f"/meet/join/{world.guest_token}/")
    assert response.status_code == 410 and "取り消されました" in response.content.decode()
    run(socket_refused, guest_session, "link_revoked")

    # Malformed and unknown tokens.
    assert Client_get("/meet/join/not-a-real-token/").status_code == 404
    assert Client_get(f"/meet/join/{'x' * 300}/").status_code == 404


def Client_get(path):  # noqa: N802
    from django.test import Client

    return Client().get(path)


def test_issuing_a_link_shows_it_once_and_revokes_the_previous_one(world):
    host_client, _ = session_cookie(world.staff.host)
    response = host_client.post(f"/meet/{world.room.public_id}/links/",
                                {"participant": world.resident_link.participant_id})
    assert response.status_code == 200
    page = response.content.decode()
    assert "このリンクは今だけ表示されます" in page
    token = page.split("/meet/join/")[1].split("/")[0]
    assert token not in str(list(RoomAccess.objects.values_list("token_hash", flat=True)))
    world.resident_link.refresh_from_db()
    assert world.resident_link.revoked_at is not None
    assert Client_get(f"/meet/join/{world.resident_token}/").status_code == 410
    assert Client_get(f"/meet/join/{token}/").status_code == 200
    # Staff participants use their login, not a link.
    staff_participant = world.booking.participants.get(kind="staff")
    response = host_client.post(f"/meet/{world.room.public_id}/links/",
                                {"participant": staff_participant.pk})
    assert response.status_code == 400


def test_a_dropped_connection_comes_back_without_the_lobby(world):
    async def scenario():
        host, host_peer = await host_in_call(world)
        guest, guest_peer, session = await guest_in_lobby(world, host)
        await admit(host, guest, guest_peer)
        await guest.disconnect()  # the network drops
        assert (await expect_all(host, "peer-left", "waiting"))["peer-left"]["peer"] == guest_peer
        again = await open_socket(world.room, session)
        await again.send_json_to({"type": "join"})
        admitted = await expect(again, "admitted")
        assert admitted["peers"][0]["peer"] == host_peer and admitted["peer"] != guest_peer
        assert (await expect(host, "peer-joined"))["peer"] == admitted["peer"]
        await host.disconnect()
        await again.disconnect()

    run(scenario)
    assert kinds(world) == ["meeting_join", "meeting_join", "meeting_admit"]


def test_the_host_ends_the_call_for_everyone(world):
    async def scenario():
        host, _ = await host_in_call(world)
        guest, guest_peer, session = await guest_in_lobby(world, host)
        waiting, _, _ = await guest_in_lobby(world, host, world.guest_token)
        await host.send_json_to({"type": "admit", "peer": guest_peer})
        await expect(guest, "admitted")
        await host.send_json_to({"type": "end"})
        for socket in (guest, waiting):
            assert (await expect(socket, "ended"))["message"].startswith("相談は終了しました")
        again = await open_socket(world.room, session)
        assert (await expect(again, "error"))["code"] == "room_ended"
        await host.disconnect()

    run(scenario)
    world.room.refresh_from_db()
    assert world.room.status == RoomStatus.ENDED and world.room.ended_by == world.staff.host
    assert kinds(world)[-1] == "meeting_end"
    client, _ = session_cookie(world.staff.host)
    assert timeline_rows(client, world)[-1] == ["通話を終了", "hoken-host"]
    assert not Attendance.objects.filter(
        room=world.room, state__in=[AttendanceState.WAITING, AttendanceState.ADMITTED]).exists()


def test_joining_keeps_the_link_holders_session_alive(world):
    from django.contrib.sessions.models import Session

    _, session_id = session_cookie(join_token=world.resident_token)
    soon = timezone.now() + dt.timedelta(minutes=1)
    Session.objects.filter(session_key=session_id).update(expire_date=soon)

    async def scenario():
        guest = await open_socket(world.room, session_id)
        await guest.send_json_to({"type": "join"})
        await expect(guest, "lobby")
        await guest.send_json_to({"type": "ping"})
        await expect(guest, "pong")
        await guest.disconnect()

    run(scenario)
    assert Session.objects.get(session_key=session_id).expire_date > soon + dt.timedelta(
        minutes=10)


def test_messages_follow_the_language_of_the_connection(world):
    """The language cookie (or else Accept-Language) chooses the language of the replies."""
    async def scenario():
        host, _ = await host_in_call(world)
        _, session = await async_cookie(join_token=world.resident_token)
        headers = [ORIGIN, (b"cookie", f"sessionid={session}; django_language=en".encode())]
        guest = WebsocketCommunicator(application, f"/ws/meet/{world.room.public_id}/",
                                      headers=headers)
        assert (await guest.connect())[0]
        await guest.send_to(text_data="{not json")
        assert (await expect(guest, "error"))["message"] == \
            "The message is not in the right format."
        await guest.send_json_to({"type": "join"})
        assert (await expect(guest, "lobby"))["message"] == \
            "Please wait until the staff member lets you in."
        await expect(host, "waiting")
        # Accept-Language alone, for a browser that never chose a language here.
        stranger = WebsocketCommunicator(
            application, f"/ws/meet/{world.room.public_id}/",
            headers=[ORIGIN, (b"accept-language", b"en-GB,en;q=0.8,ja;q=0.5")])
        assert (await stranger.connect())[0]
        refused = await expect(stranger, "error")
        assert refused["code"] == "not_participant"
        assert refused["message"].startswith("You cannot enter")
        for socket in (guest, host, stranger):
            await socket.disconnect()

    run(scenario)
