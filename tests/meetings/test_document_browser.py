"""Showing a document in a real browser: a second camera and a shared screen.

Chromium runs with three fake cameras (``--use-fake-device-for-media-stream=device-count=3``:
``fake_device_0`` .. ``_2``). The second fake device is a depth camera (Y16 pixels, see
Chromium's fake_video_capture_device_factory.cc): a video element shows it but a WebRTC
encoder gets no frames from it, so the tests switch to the third (MJPEG, like most USB
document cameras). For the screen share it runs without
``--use-fake-ui-for-media-stream`` (camera and microphone are granted by the browser
context instead): with that flag and fake devices, getDisplayMedia returns a fake screen
that never ends; without it, ``--auto-select-tab-capture-source-by-title`` picks a real tab
(our "PDF" page) as the browser's picker would, and closing that tab ends the track exactly
as the browser's own "stop sharing" does. (``--auto-select-desktop-capture-source`` finds no
desktop in headless mode and hangs; ``--auto-accept-this-tab-capture`` only captures the
page that asks.)

The camera's frames are 4:3 (640x480), the shared tab's 2:1 (1200x600): the receiving side's
``inbound-rtp`` frame size shows which one it decodes, and the sender's ``media-source``
stats name the track it sends.
"""

from __future__ import annotations

import time

import pytest

from tests.browser.pages import axe_violations, horizontal_overflow
from tests.meetings.conftest import build_kiosk_world, build_world, session_cookie
from tests.meetings.test_call_browser import connected, watch_errors
from tests.meetings.test_kiosk_browser import KIOSK_CONNECTED, RELEASED, assert_no_resident

pytestmark = pytest.mark.browser

DOCUMENT_TITLE = "madoguchi-test-document"
BROWSER_MEDIA_ARGS = (
    "--use-fake-device-for-media-stream=device-count=3",
    f"--auto-select-tab-capture-source-by-title={DOCUMENT_TITLE}",
    "--allow-loopback-in-peer-connection",
)
# The "PDF": a page whose title the share picker selects; it keeps changing so that tab
# capture keeps producing frames.
DOCUMENT_PAGE = f"""<!DOCTYPE html><html lang="ja"><title>{DOCUMENT_TITLE}</title>
<style>@keyframes m {{ to {{ transform: translateX(200px); }} }}
p {{ font-size: 64px; animation: m 1s infinite alternate; }}</style>
<p>児童手当の認定請求書</p></html>"""
WAITING = "担当の職員が入室を許可するまで、お待ちください。"
IN_CALL = "通話に参加しました"

# Every browser call event (docs/meetings-protocol.md), and every track they carried.
RECORD_EVENTS = """
window.__callEvents = [];
window.__tracks = [];
for (const name of ["local-stream", "remote-stream", "peer-left", "call-ended"]) {
  document.addEventListener(`madoguchi:${name}`, (event) => {
    const detail = event.detail || {};
    const entry = { name };
    if (detail.peer) entry.peer = detail.peer;
    if (detail.stream) {
      entry.tracks = detail.stream.getTracks().map((t) => `${t.kind}:${t.label}`);
      for (const t of detail.stream.getTracks()) {
        if (!window.__tracks.includes(t)) window.__tracks.push(t);
      }
    }
    window.__callEvents.push(entry);
  });
}
"""
CALL = "(window.madoguchiMeeting || (window.madoguchiKiosk && window.madoguchiKiosk.call))"
# What each peer connection sends as video: the sender's track and the track the
# encoder's media source reports (they differ only while a replaceTrack is under way).
SENDING = f"""async () => {{
  const out = [];
  for (const [id, peer] of {CALL}.peers) {{
    const transceiver = peer.pc.getTransceivers().find((t) => t.receiver.track.kind === "video");
    const track = transceiver && transceiver.sender.track;
    const stats = await peer.pc.getStats();
    let source = null;
    stats.forEach((r) => {{
      if (r.type === "outbound-rtp" && r.kind === "video" && r.mediaSourceId) {{
        source = stats.get(r.mediaSourceId).trackIdentifier || null;
      }}
    }});
    out.push({{ peer: id, label: track ? track.label : null, id: track ? track.id : null,
               state: track ? track.readyState : null, source,
               transceivers: peer.pc.getTransceivers().length }});
  }}
  return out;
}}"""
# The video a page receives from one peer: frames decoded and their size.
INBOUND = f"""async (id) => {{
  const peer = {CALL}.peers.get(id);
  if (!peer) return null;
  const stats = await peer.pc.getStats();
  let video = null;
  stats.forEach((r) => {{
    if (r.type === "inbound-rtp" && r.kind === "video") {{
      video = {{ frames: r.framesDecoded || 0, width: r.frameWidth || 0, height: r.frameHeight || 0,
                track: peer.pc.getReceivers().find((x) => x.track.kind === "video").track.id }};
    }}
  }});
  return video;
}}"""


def wait_until(probe, check, *, timeout: float = 15, what: str = ""):
    """Poll ``probe()`` until ``check(value)``; fail with the last value."""
    deadline = time.monotonic() + timeout
    value = probe()
    while not check(value):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}: {value!r}")
        time.sleep(0.25)
        value = probe()
    return value


def sending(page):
    return page.evaluate(SENDING)


def receives(page, from_peer: str, *, shape: str, new_frames: int = 10) -> dict:
    """Wait until ``page`` has decoded ``new_frames`` more frames from ``from_peer`` (from
    now) and they have the ``shape`` ("camera" 4:3 or "screen" 2:1); return the figures."""
    start = (page.evaluate(INBOUND, from_peer) or {"frames": 0})["frames"]

    def right(video):
        if not video or not video["height"] or video["frames"] < start + new_frames:
            return False
        ratio = video["width"] / video["height"]
        return ratio > 1.8 if shape == "screen" else ratio < 1.4
    return wait_until(lambda: page.evaluate(INBOUND, from_peer), right,
                      what=f"{shape} frames from {from_peer}")


def sends(page, *, label_prefix: str) -> list[dict]:
    """Wait until every peer connection of ``page`` sends (and encodes) a live track whose
    label starts with ``label_prefix``; return what each sends."""
    def right(rows):
        return rows and all(r["label"] and r["label"].startswith(label_prefix)
                            and r["state"] == "live" and r["source"] == r["id"]
                            and r["transceivers"] == 2 for r in rows)
    return wait_until(lambda: sending(page), right, what=f"sending {label_prefix}")


def me(page) -> str:
    return page.evaluate(f"() => {CALL}.me")


@pytest.fixture
def live_world(live_setagaya, make_staff):
    return build_world(make_staff)


def enter(base, world, media_page, *, init_script: str = RECORD_EVENTS):
    """Staff in the call, the resident admitted; both connected."""
    _, staff_session = session_cookie(world.staff.host)
    staff = media_page(base, staff_session, init_script=init_script)
    staff.goto(f"{base}/meet/{world.room.public_id}/")
    staff.get_by_text(IN_CALL).wait_for()
    resident = media_page(base, init_script=init_script)
    resident.goto(f"{base}/meet/join/{world.resident_token}/")
    resident.get_by_text(WAITING).wait_for()
    staff.get_by_role("button", name="山田\u3000花子さん: 入室を許可").click()
    resident.get_by_text(IN_CALL).wait_for()
    connected(staff)
    connected(resident)
    return staff, resident


def test_second_camera_and_shared_document_reach_everyone(live_world, live_setagaya,
                                                          media_page):
    world, base = live_world, live_setagaya
    staff, resident = enter(base, world, media_page)
    errors = watch_errors(staff) + watch_errors(resident)
    staff_id = me(staff)
    receives(resident, staff_id, shape="camera")
    first = sends(staff, label_prefix="fake_device_0")[0]

    # Two cameras: the choice is offered; switching replaces the track on the connection.
    camera = staff.get_by_label("使うカメラ")
    assert camera.is_visible()
    assert camera.locator("option").all_inner_texts() == [
        "fake_device_0", "fake_device_1", "fake_device_2"]
    remote_track = resident.evaluate(INBOUND, staff_id)["track"]
    camera.select_option(label="fake_device_2")
    staff.get_by_text("カメラを「fake_device_2」に切り替えました。").wait_for()
    now = sends(staff, label_prefix="fake_device_2")[0]
    assert now["id"] != first["id"]
    after = receives(resident, staff_id, shape="camera")
    assert after["track"] == remote_track  # the same receiver: no renegotiation
    assert staff.evaluate("""() => ({
        preview: document.getElementById("meeting-local").srcObject.getVideoTracks()[0].label,
        released: window.__tracks.filter((t) => t.label === "fake_device_0"
                                           && t.readyState === "live").length })""") == {
        "preview": "fake_device_2", "released": 0}

    # Share a document (a tab): the resident sees it instead of the camera.
    share = staff.get_by_role("button", name="画面を共有する")
    assert share.is_enabled()
    document = staff.context.new_page()
    document.set_viewport_size({"width": 1200, "height": 600})  # 2:1, unlike a camera
    document.set_content(DOCUMENT_PAGE)
    staff.bring_to_front()
    share.click()
    staff.get_by_text("画面を共有しています。").wait_for()
    stop = staff.get_by_role("button", name="共有をやめる")
    assert stop.is_visible()
    count, report = axe_violations(staff)
    assert count == 0, report
    sends(staff, label_prefix="web-contents-media-stream")
    shared = receives(resident, staff_id, shape="screen")
    assert shared["track"] == remote_track

    # A participant who joins while the document is shown gets the document.
    guest = media_page(base, init_script=RECORD_EVENTS)
    errors += watch_errors(guest)
    guest.goto(f"{base}/meet/join/{world.guest_token}/")
    guest.get_by_text(WAITING).wait_for()
    staff.get_by_role("button", name="専門 相談員さん: 入室を許可").click()
    for page in (staff, resident, guest):
        connected(page, 2)
    receives(guest, staff_id, shape="screen")

    # A dropped connection: the staff page comes back still showing the document.
    staff.evaluate("() => window.madoguchiMeeting.ws.close()")
    staff.get_by_text("接続が切れました。再接続しています…").wait_for()
    assert stop.is_enabled()  # sharing can be stopped even while reconnecting
    connected(staff, 2)
    connected(resident, 2)
    connected(guest, 2)
    staff_id = me(staff)
    for page in (resident, guest):
        receives(page, staff_id, shape="screen")
    sends(staff, label_prefix="web-contents-media-stream")

    # 「共有をやめる」: back to the chosen camera, for everyone.
    stop.click()
    staff.get_by_text("画面の共有をやめました。カメラの映像に戻しました。").wait_for()
    sends(staff, label_prefix="fake_device_2")
    for page in (resident, guest):
        receives(page, staff_id, shape="camera")
    assert staff.evaluate("""() => window.__tracks.filter((t) => t.kind === "video"
        && t.label.startsWith("web-contents") && t.readyState === "live").length""") == 0

    # The browser ends the share (here: the shared tab is closed): back to the camera.
    share.click()
    sends(staff, label_prefix="web-contents-media-stream")
    receives(resident, staff_id, shape="screen")
    document.close()
    staff.get_by_text("画面の共有をやめました。カメラの映像に戻しました。").wait_for()
    assert share.is_visible()
    sends(staff, label_prefix="fake_device_2")
    receives(resident, staff_id, shape="camera")
    assert errors == []


def test_browser_call_events(live_world, live_setagaya, media_page):
    world, base = live_world, live_setagaya
    staff, resident = enter(base, world, media_page)
    resident_id = me(resident)
    contract = staff.evaluate("""() => ({ role: window.madoguchiCall.role,
        roomId: window.madoguchiCall.roomId, send: typeof window.madoguchiCall.send })""")
    assert contract == {"role": "host", "roomId": str(world.room.public_id), "send": "function"}
    assert resident.evaluate("() => window.madoguchiCall.role") == "guest"
    # window.madoguchiCall.send reaches the server like the page's own messages.
    resident.evaluate("() => window.madoguchiCall.send({type: 'chat', text: '書類が見えます'})")
    staff.locator("#chat-log li", has_text="書類が見えます").wait_for()

    staff.get_by_label("使うカメラ").select_option(label="fake_device_2")
    sends(staff, label_prefix="fake_device_2")
    resident.get_by_role("button", name="退室する").click()
    resident.get_by_text("退室しました。").wait_for()
    staff.get_by_text("山田\u3000花子さんが退室しました。").wait_for()

    events = staff.evaluate("() => window.__callEvents")
    names = [e["name"] for e in events]
    local = [e["tracks"] for e in events if e["name"] == "local-stream"]
    assert local[0] == ["audio:Fake Default Audio Input", "video:fake_device_0"]
    assert local[-1] == ["audio:Fake Default Audio Input", "video:fake_device_2"]
    remote = [e for e in events if e["name"] == "remote-stream"]
    assert [e["peer"] for e in remote] == [resident_id]  # once per connection, both tracks
    assert sorted(t.split(":")[0] for t in remote[0]["tracks"]) == ["audio", "video"]
    assert {"name": "peer-left", "peer": resident_id} in events
    assert "call-ended" not in names
    theirs = resident.evaluate("() => ({ names: window.__callEvents.map((e) => e.name),"
                               " call: 'madoguchiCall' in window })")
    assert theirs["names"][-1] == "call-ended" and theirs["call"] is False
    assert theirs["names"].count("call-ended") == 1

    # Leaving the page counts as the end of the call for the page's other modules.
    staff.evaluate("""() => document.addEventListener("madoguchi:call-ended", () => {
        sessionStorage.setItem("ended", String(Number(sessionStorage.getItem("ended")) + 1)); })""")
    staff.goto(f"{base}/healthz")
    assert staff.evaluate("() => sessionStorage.getItem('ended')") == "1"


def test_share_button_hidden_without_get_display_media(live_world, live_setagaya,
                                                       media_page):
    """A tablet's browser has no getDisplayMedia: no share button instead of a broken one."""
    world, base = live_world, live_setagaya
    no_share = "delete MediaDevices.prototype.getDisplayMedia;"
    staff, resident = enter(base, world, media_page, init_script=no_share)
    for page in (staff, resident):
        assert page.locator("[data-action='share']").is_hidden()
        assert page.get_by_label("使うカメラ").is_visible()
    count, report = axe_violations(resident)
    assert count == 0, report
    resident.set_viewport_size({"width": 640, "height": 800})  # 200% zoom of 1280 px
    assert horizontal_overflow(resident) <= 0


@pytest.fixture
def live_kiosk(live_setagaya, make_staff):
    return build_kiosk_world(make_staff)


def test_kiosk_shows_the_document_camera(live_kiosk, live_setagaya, media_page):
    w, base = live_kiosk, live_setagaya
    tablet = media_page(base, init_script=RECORD_EVENTS)
    errors = watch_errors(tablet)
    tablet.goto(f"{base}/meet/kiosk/{w.key}/")
    _, staff_session = session_cookie(w.staff.host)
    staff = media_page(base, staff_session)
    errors += watch_errors(staff)
    staff.goto(f"{base}/meet/{w.room.public_id}/")
    staff.get_by_text(IN_CALL).wait_for()
    agree = tablet.get_by_role("button", name="同意して はじめる")
    agree.wait_for()
    agree.focus()
    tablet.keyboard.press("Enter")
    staff.get_by_role("button", name="山田\u3000花子さん: 入室を許可").click()
    tablet.wait_for_function(KIOSK_CONNECTED)
    connected(staff)
    tablet_id = me(tablet)
    receives(staff, tablet_id, shape="camera")
    sends(tablet, label_prefix="fake_device_0")

    # Big, plainly worded, and the first thing the keyboard reaches after the title.
    show_document = tablet.get_by_role("button", name="書類を うつす")
    show_document.wait_for()
    assert show_document.bounding_box()["height"] >= 64
    tablet.locator("#kiosk-call-title").focus()
    tablet.keyboard.press("Tab")
    assert tablet.evaluate("() => document.activeElement.dataset.kiosk") == "document"
    tablet.keyboard.press("Enter")
    tablet.get_by_text("書類を うつしています。").wait_for()
    sends(tablet, label_prefix="fake_device_2")
    receives(staff, tablet_id, shape="camera")
    show_face = tablet.get_by_role("button", name="顔を うつす")
    assert show_face.is_visible()
    count, report = axe_violations(tablet)
    assert count == 0, report
    tablet.set_viewport_size({"width": 640, "height": 800})  # 200% zoom of 1280 px
    assert horizontal_overflow(tablet) <= 0
    tablet.set_viewport_size({"width": 1280, "height": 900})

    show_face.focus()
    tablet.keyboard.press("Enter")
    tablet.get_by_text("顔を うつしています。").wait_for()
    sends(tablet, label_prefix="fake_device_0")
    tablet.get_by_role("button", name="書類を うつす").click()
    sends(tablet, label_prefix="fake_device_2")

    # The end: every camera the call opened is released, nothing is left.
    staff.once("dialog", lambda dialog: dialog.accept())
    staff.get_by_role("button", name="相談を終了する").click()
    tablet.get_by_text("おわりました。ありがとうございました。").wait_for()
    assert tablet.evaluate(RELEASED) == {"peers": 0, "local": None, "tiles": 1, "call": False}
    assert tablet.evaluate("""() => window.__tracks.map((t) => `${t.label}:${t.readyState}`)
        .filter((t) => !t.endsWith(":ended"))""") == []
    assert tablet.locator("[data-kiosk='document']").is_hidden()
    tablet.wait_for_function("() => document.body.dataset.screen === 'waiting'"
                             " && !!window.madoguchiKiosk && !window.madoguchiKiosk.call",
                             timeout=20_000)
    trace = assert_no_resident(tablet)
    assert trace["local"] == 0 and trace["session"] == 0 and trace["videos"] == 0
    assert errors == []
