"""Real browsers: headless Chromium (fake camera and microphone) against the ASGI server.

The section's staff member opens the call page, the resident opens their one-time link in
another browser context, waits in the lobby and is admitted; both peer connections reach
``connected`` and decode the other's video. An expired link and a link another device
already holds are refused with a Japanese message.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone

from madoguchi.meetings.models import RoomAccess
from tests.meetings.conftest import build_world, session_cookie

pytestmark = pytest.mark.browser

CONNECTED = """(count) => {
  const m = window.madoguchiMeeting;
  return !!m && m.peers.size === count
    && [...m.peers.values()].every((p) => p.pc.connectionState === "connected");
}"""

FRAMES_DECODED = """async () => {
  let frames = 0;
  for (const peer of window.madoguchiMeeting.peers.values()) {
    const stats = await peer.pc.getStats();
    stats.forEach((report) => {
      if (report.type === "inbound-rtp" && report.kind === "video") {
        frames += report.framesDecoded || 0;
      }
    });
  }
  return frames;
}"""


def connected(page, count: int = 1) -> None:
    page.wait_for_function(CONNECTED, arg=count, timeout=15_000)


def watch_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def frames_decoded(page, *, at_least: int = 1, timeout: float = 15) -> int:
    deadline = time.monotonic() + timeout
    frames = 0
    while time.monotonic() < deadline:
        frames = page.evaluate(FRAMES_DECODED)
        if frames >= at_least:
            return frames
        time.sleep(0.25)
    return frames


@pytest.fixture
def live_world(live_setagaya, make_staff):
    return build_world(make_staff)


def test_staff_admits_the_resident_and_both_see_each_other(live_world, live_setagaya,
                                                            media_page):
    world, base = live_world, live_setagaya
    _, staff_session = session_cookie(world.staff.host)
    staff = media_page(base, staff_session)
    errors = watch_errors(staff)
    staff.goto(f"{base}/meet/{world.room.public_id}/")
    staff.get_by_text("通話に参加しました").wait_for()
    # Alone in the call: not 「良好」 until a peer is connected.
    assert staff.locator("#meeting-connection").get_attribute("data-state") == "alone"
    assert staff.locator("#meeting-connection-text").inner_text() == "相手の参加を待っています"

    resident = media_page(base)
    errors += watch_errors(resident)
    response = resident.goto(f"{base}/meet/join/{world.resident_token}/")
    assert response.status == 200
    resident.get_by_text("担当の職員が入室を許可するまで、お待ちください。").wait_for()

    staff.get_by_role("button", name="山田\u3000花子さん: 入室を許可").click()
    resident.get_by_text("通話に参加しました").wait_for()
    connected(staff)
    connected(resident)
    assert frames_decoded(staff) > 0
    assert frames_decoded(resident) > 0
    assert staff.locator("#meeting-connection").get_attribute("data-state") == "connected"
    assert staff.locator("#meeting-connection-text").inner_text() == "良好"
    # One camera: no camera choice; the screen share is offered (Chromium has it).
    assert staff.locator("#meeting-camera-choice").is_hidden()
    assert staff.get_by_role("button", name="画面を共有する").is_enabled()

    # Mute and camera toggles say what they do.
    mic = resident.get_by_role("button", name="マイクを消音")
    mic.click()
    assert resident.get_by_role("button", name="消音を解除").get_attribute("aria-pressed") == "true"
    assert resident.evaluate(
        "() => window.madoguchiMeeting.local.getAudioTracks().every((t) => !t.enabled)")

    # Chat reaches the other side.
    resident.get_by_label("メッセージ").fill("聞こえています")
    resident.get_by_role("button", name="送信").click()
    staff.locator("#chat-log li", has_text="聞こえています").wait_for()

    # A forced WebSocket drop: the page reconnects, is let back in without the lobby, and
    # the peer connections are negotiated again.
    resident.evaluate("() => window.madoguchiMeeting.ws.close()")
    resident.get_by_text("接続が切れました。再接続しています…").wait_for()
    connected(resident)
    connected(staff)
    assert frames_decoded(resident) > 0

    # A third participant (the outside participant) makes a mesh of three.
    guest = media_page(base)
    errors += watch_errors(guest)
    guest.goto(f"{base}/meet/join/{world.guest_token}/")
    guest.get_by_text("担当の職員が入室を許可するまで、お待ちください。").wait_for()
    staff.get_by_role("button", name="専門 相談員さん: 入室を許可").click()
    for page in (staff, resident, guest):
        connected(page, 2)
    assert frames_decoded(guest) > 0

    # Leaving ends the resident's connection; the staff page shows it.
    resident.get_by_role("button", name="退室する").click()
    resident.get_by_text("退室しました。").wait_for()
    staff.get_by_text("山田\u3000花子さんが退室しました。").wait_for()
    connected(staff, 1)
    assert errors == []


def test_expired_and_someone_elses_links_are_refused(live_world, live_setagaya, media_page):
    world, base = live_world, live_setagaya
    # The guest's link is already open on the guest's own device.
    _, guest_session = session_cookie(join_token=world.guest_token)
    other = media_page(base)
    response = other.goto(f"{base}/meet/join/{world.guest_token}/")
    assert response.status == 409
    assert "別の端末で使われています" in other.locator("[data-refused]").inner_text()

    RoomAccess.objects.filter(pk=world.resident_link.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1))
    late = media_page(base)
    response = late.goto(f"{base}/meet/join/{world.resident_token}/")
    assert response.status == 410
    assert "有効期限が切れています" in late.locator("[data-refused]").inner_text()
    assert late.locator("video").count() == 0


def test_guest_and_staff_pages_pass_axe(live_world, live_setagaya, media_page):
    from tests.browser.pages import axe_violations

    world, base = live_world, live_setagaya
    _, staff_session = session_cookie(world.staff.host)
    staff = media_page(base, staff_session)
    staff.goto(f"{base}/meet/{world.room.public_id}/")
    staff.get_by_text("通話に参加しました").wait_for()
    guest = media_page(base)
    guest.goto(f"{base}/meet/join/{world.guest_token}/")
    guest.get_by_text("担当の職員が入室を許可するまで、お待ちください。").wait_for()
    staff.get_by_role("button", name="専門 相談員さん: 入室を許可").wait_for()
    for page in (guest, staff):
        count, report = axe_violations(page)
        assert count == 0, report
    refused = media_page(base)
    refused.goto(f"{base}/meet/join/not-a-token/")
    count, report = axe_violations(refused)
    assert count == 0, report
