"""Recording a real call (ADR 0012): two headless Chromium pages (fake camera and microphone)
against uvicorn with a recording key; both say yes, the host records a few seconds, everyone
sees 「録画中」, and the stored file decrypts to a WebM with video and audio that Chromium
plays from the recordings page.

js/recorder.js takes the call's media from the call script's events
(docs/contracts/issues-4-5-6-interfaces.md, "Browser call events"). Until the call script
dispatches them, BRIDGE (below) dispatches them from the page's own getUserMedia and
RTCPeerConnection; as soon as the call script dispatches ``madoguchi:local-stream`` itself,
the bridge stays silent.
"""

from __future__ import annotations

import time

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from madoguchi.meetings import recording as storage
from madoguchi.meetings.models import Recording, RecordingStatus, SectionRecording
from tests.browser.conftest import _database_url, run_asgi_server
from tests.meetings.conftest import build_world, session_cookie
from tests.meetings.test_call_browser import connected, watch_errors

pytestmark = pytest.mark.browser

WAITING = "担当の職員が入室を許可するまで、お待ちください。"
IN_CALL = "通話に参加しました"
KEY = Fernet.generate_key().decode()

BRIDGE = """(() => {
  let native = false;
  document.addEventListener("madoguchi:local-stream", (event) => {
    if (!event.detail || !event.detail.bridged) native = true;
  }, true);
  const later = (send) => setTimeout(() => { if (!native) send(); }, 1500);
  const fire = (name, detail) => document.dispatchEvent(
    new CustomEvent(name, { detail: { ...detail, bridged: true } }));
  const devices = navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    later(() => fire("madoguchi:local-stream", { stream }));
    return stream;
  };
  const Native = window.RTCPeerConnection;
  let count = 0;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      const peer = `bridge-${++count}`;
      const seen = new Set();
      this.addEventListener("track", (event) => {
        const stream = event.streams[0] || new MediaStream([event.track]);
        if (seen.has(stream.id)) return;
        seen.add(stream.id);
        later(() => fire("madoguchi:remote-stream", { peer, stream }));
      });
    }
  };
})();"""


@pytest.fixture(scope="module")
def recording_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """uvicorn on the test database with a recording key and folder of its own."""
    with django_db_blocker.unblock():
        database_url = _database_url(connection.settings_dict)
    folder = tmp_path_factory.mktemp("recordings")
    log = tmp_path_factory.mktemp("asgi-recording") / "server.log"
    with run_asgi_server(database_url, log, MEETINGS_RECORDING_KEY=KEY,
                         MEETINGS_RECORDING_DIR=str(folder)) as url:
        yield url, folder


@pytest.fixture
def live(recording_server, transactional_db):
    call_command("load_setagaya", verbosity=0)
    return recording_server


def answer_yes(page) -> None:
    page.get_by_label("同意する").check()
    page.get_by_role("button", name="回答を送る").click()
    page.get_by_text("録画に同意すると回答しました。").wait_for()


def wait_for(check, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError("timed out")


def test_the_host_records_a_two_page_call(live, make_staff, media_page, settings):
    from tests.browser.pages import axe_violations

    base, folder = live
    world = build_world(make_staff)
    SectionRecording.objects.create(section=world.booking.section, allowed=True,
                                    changed_by=world.staff.host)

    _, staff_session = session_cookie(world.staff.host)
    staff = media_page(base, staff_session)
    staff.context.add_init_script(BRIDGE)
    errors = watch_errors(staff)
    staff.goto(f"{base}/meet/{world.room.public_id}/")
    staff.get_by_text(IN_CALL).wait_for()

    resident = media_page(base)
    resident.context.add_init_script(BRIDGE)
    errors += watch_errors(resident)
    resident.goto(f"{base}/meet/join/{world.resident_token}/")
    resident.get_by_text(WAITING).wait_for()
    # The lobby page asks; the answer defaults to no.
    assert resident.get_by_label("同意しない").is_checked()
    answer_yes(resident)

    staff.get_by_role("button", name="山田\u3000花子さん: 入室を許可").click()
    resident.get_by_text(IN_CALL).wait_for()
    connected(staff)
    connected(resident)

    # Without the host's own yes, the start is refused with the reason.
    staff.get_by_role("button", name="録画を開始").click()
    staff.locator("#recording-error", has_text="hoken-host").wait_for()
    assert "同意していない参加者" in staff.locator("#recording-error").inner_text()
    # (Chromium logs the refusal's HTTP 409 on the console; nothing else may be logged.)
    assert [e for e in errors if "409" not in e] == []
    del errors[:]
    answer_yes(staff)
    # The recorder has the call's media (two streams: its own and the resident's).
    staff.wait_for_function("() => window.madoguchiRecording.streams.size === 2",
                            timeout=15_000)
    staff.get_by_role("button", name="録画を開始").click()
    staff.locator("#recording-live").wait_for(state="visible")
    resident.locator("#recording-live").wait_for(state="visible", timeout=10_000)
    assert resident.locator("#recording-live").inner_text().strip() == "録画中"
    for page in (staff, resident):
        count, report = axe_violations(page)
        assert count == 0, report

    wait_for(lambda: Recording.objects.filter(pieces__gte=4).exists())
    staff.get_by_role("button", name="録画を停止").click()
    staff.locator("#recording-live").wait_for(state="hidden")
    resident.locator("#recording-live").wait_for(state="hidden", timeout=10_000)

    recording = wait_for(lambda: Recording.objects.filter(
        status=RecordingStatus.STOPPED).first())
    settings.MEETINGS_RECORDING_KEY = [KEY]
    settings.MEETINGS_RECORDING_DIR = folder
    path = folder / recording.file_name
    raw = path.read_bytes()
    webm = storage.read_recording(path)
    assert len(webm) == recording.size > 10_000
    assert webm[:4] == b"\x1a\x45\xdf\xa3"  # EBML
    assert b"webm" in webm[:64] and b"V_VP8" in webm[:4096] and b"A_OPUS" in webm[:4096]
    assert webm[200:400] not in raw  # encrypted at rest

    # Chromium plays it back from the recordings page (decrypted on the fly).
    staff.goto(f"{base}/meet/{world.room.public_id}/recordings/")
    staff.get_by_text("再生").first.click()
    staff.wait_for_function(
        "() => { const v = document.querySelector('video'); if (!v) return false;"
        " v.muted = true; v.play(); return v.videoWidth > 0 && v.currentTime > 0.5; }",
        timeout=15_000)
    assert errors == []


def test_the_booth_resident_sees_when_the_call_is_recorded(live, make_staff, media_page):
    """The resident at the booth tablet answers aloud; the host records that answer, and the
    kiosk shows 「録画中」 for as long as the recording runs, and nothing after the call."""
    from tests.meetings.conftest import build_kiosk_world
    from tests.meetings.test_kiosk_browser import KIOSK_CONNECTED

    base, _folder = live
    world = build_kiosk_world(make_staff)
    SectionRecording.objects.create(section=world.booking.section, allowed=True,
                                    changed_by=world.staff.host)
    tablet = media_page(base)
    errors = watch_errors(tablet)
    tablet.goto(f"{base}/meet/kiosk/{world.key}/")
    tablet.get_by_text(world.booking.section.name).wait_for()

    _, staff_session = session_cookie(world.staff.host)
    staff = media_page(base, staff_session)
    staff.context.add_init_script(BRIDGE)
    errors += watch_errors(staff)
    staff.goto(f"{base}/meet/{world.room.public_id}/")
    staff.get_by_text(IN_CALL).wait_for()
    tablet.get_by_role("button", name="同意して はじめる").click()
    staff.get_by_role("button", name="山田\u3000花子さん: 入室を許可").click()
    connected(staff)
    tablet.wait_for_function(KIOSK_CONNECTED)
    assert tablet.locator("#kiosk-recording").is_hidden()

    answer_yes(staff)
    staff.get_by_role("button", name="口頭で同意を確認した").click()
    staff.wait_for_function("() => window.madoguchiRecording.streams.size === 2",
                            timeout=15_000)
    staff.get_by_role("button", name="録画を開始").click()
    staff.locator("#recording-live").wait_for(state="visible")
    tablet.locator("#kiosk-recording").wait_for(state="visible", timeout=10_000)
    assert tablet.locator("#kiosk-recording").inner_text().strip() == "録画中"

    staff.get_by_role("button", name="録画を停止").click()
    tablet.locator("#kiosk-recording").wait_for(state="hidden", timeout=10_000)
    assert [e for e in errors if "409" not in e] == []
