"""The booth tablet in a real browser (Chromium, fake camera and microphone): the waiting
screen names no resident; when the staff member starts the call the tablet asks for consent
(keyboard only); after consenting and being admitted both peers connect; after the end the
tablet is back on the waiting screen with no trace of the resident. axe-core finds nothing
on the waiting and consent screens, and they reflow at 200% zoom."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from madoguchi.meetings.models import KioskConsent
from tests.browser.pages import axe_violations, horizontal_overflow
from tests.meetings.conftest import build_kiosk_world, session_cookie
from tests.meetings.test_call_browser import connected, frames_decoded, watch_errors

pytestmark = pytest.mark.browser

RESIDENT_PARTS = ("山田", "花子", "ヤマダ", "ハナコ")
NO_TRACE = """() => ({
  local: localStorage.length, session: sessionStorage.length, cookies: document.cookie,
  text: document.body.innerText, html: document.body.innerHTML,
  videos: [...document.querySelectorAll("video")].filter((v) => v.srcObject).length,
})"""
KIOSK_CONNECTED = """() => { const call = window.madoguchiKiosk && window.madoguchiKiosk.call;
  return !!call && call.peers.size === 1
    && [...call.peers.values()].every((p) => p.pc.connectionState === "connected"); }"""
# After the end: connections closed, camera and microphone released, no tiles but "you",
# and no call object left for other page modules (window.madoguchiCall).
RELEASED = """() => ({
  peers: window.madoguchiKiosk.call.peers.size, local: window.madoguchiKiosk.call.local,
  tiles: document.querySelectorAll("#kiosk-videos figure").length,
  call: "madoguchiCall" in window })"""


@pytest.fixture
def live_kiosk(live_setagaya, make_staff):
    return build_kiosk_world(make_staff)


def assert_no_resident(page):
    trace = page.evaluate(NO_TRACE)
    for part in RESIDENT_PARTS:
        assert part not in trace["text"] and part not in trace["html"], part
    return trace


def test_kiosk_consent_call_and_no_trace(live_kiosk, live_setagaya, media_page):
    w, base = live_kiosk, live_setagaya
    tablet = media_page(base)
    errors = watch_errors(tablet)
    tablet.goto(f"{base}/meet/kiosk/{w.key}/")
    tablet.get_by_text(w.booking.section.name).wait_for()
    assert_no_resident(tablet)
    count, report = axe_violations(tablet)
    assert count == 0, report
    tablet.set_viewport_size({"width": 640, "height": 800})  # 200% zoom of 1280 px
    assert horizontal_overflow(tablet) <= 0
    tablet.set_viewport_size({"width": 1280, "height": 900})

    _, staff_session = session_cookie(w.staff.host)
    staff = media_page(base, staff_session)
    errors += watch_errors(staff)
    staff.goto(f"{base}/meet/{w.room.public_id}/")
    staff.get_by_text("通話に参加しました").wait_for()

    agree = tablet.get_by_role("button", name="同意して はじめる")
    agree.wait_for()
    decline = tablet.get_by_role("button", name="やめる")
    for button in (agree, decline):
        assert button.bounding_box()["height"] >= 64
    count, report = axe_violations(tablet)
    assert count == 0, report
    tablet.set_viewport_size({"width": 640, "height": 800})
    assert horizontal_overflow(tablet) <= 0
    tablet.set_viewport_size({"width": 1280, "height": 900})

    # Keyboard only: 「やめる」 first (nothing recorded), back, then 「同意して はじめる」.
    tablet.keyboard.press("Tab")
    assert tablet.evaluate("() => document.activeElement.textContent.trim()") == "同意して はじめる"
    tablet.keyboard.press("Tab")
    assert tablet.evaluate("() => document.activeElement.textContent.trim()") == "やめる"
    tablet.keyboard.press("Enter")
    tablet.get_by_text("ビデオ相談を やめました。").wait_for()
    assert not KioskConsent.objects.exists()
    tablet.get_by_role("button", name="もどる").focus()
    tablet.keyboard.press("Enter")
    agree.wait_for()
    agree.focus()
    tablet.keyboard.press("Enter")

    staff.get_by_role("button", name="山田\u3000花子さん: 入室を許可").click()
    connected(staff)
    tablet.wait_for_function(KIOSK_CONNECTED)
    assert frames_decoded(staff) > 0
    assert KioskConsent.objects.count() == 1
    # One camera: no 「書類を うつす」 (tests/meetings/test_document_browser.py has two).
    assert tablet.locator("[data-kiosk='document']").is_hidden()
    assert_no_resident(tablet)

    staff.once("dialog", lambda dialog: dialog.accept())
    staff.get_by_role("button", name="相談を終了する").click()
    tablet.get_by_text("おわりました。ありがとうございました。").wait_for()
    assert tablet.evaluate(RELEASED) == {"peers": 0, "local": None, "tiles": 1, "call": False}
    # Back on the waiting screen (a fresh page): no resident, nothing stored.
    tablet.wait_for_function("() => document.body.dataset.screen === 'waiting'"
                             " && !!window.madoguchiKiosk && !window.madoguchiKiosk.call",
                             timeout=20_000)
    tablet.get_by_text("きょうの ビデオ相談は もう ありません。").wait_for()
    trace = assert_no_resident(tablet)
    assert trace["local"] == 0 and trace["session"] == 0 and trace["videos"] == 0
    assert trace["cookies"] in ("", ) or "sessionid" not in trace["cookies"]
    cookies = {c["name"] for c in tablet.context.cookies()}
    assert cookies <= {"sessionid", "csrftoken", "django_language"}, cookies
    assert errors == []


def test_kiosk_in_english(live_kiosk, live_setagaya, media_page):
    w, base = live_kiosk, live_setagaya
    tablet = media_page(base)
    tablet.goto(f"{base}/meet/kiosk/{w.key}/")
    tablet.get_by_role("button", name="English").click()
    tablet.locator("#kiosk-next", has_text="Next video consultation").wait_for()
    assert tablet.locator("html").get_attribute("lang") == "en"
    count, report = axe_violations(tablet)
    assert count == 0, report


# Both sides decode the other's video: frames decoded (getStats) and a remote <video> with
# a picture (videoWidth), on the staff page and on the tablet.
TABLET_DECODES = """async () => {
  const call = window.madoguchiKiosk && window.madoguchiKiosk.call;
  if (!call) return {frames: 0, width: 0};
  let frames = 0;
  for (const peer of call.peers.values()) {
    (await peer.pc.getStats()).forEach((r) => {
      if (r.type === "inbound-rtp" && r.kind === "video") frames += r.framesDecoded || 0;
    });
  }
  const widths = [...call.peers.values()].map((p) => p.tile.querySelector("video").videoWidth);
  return {frames, width: Math.max(0, ...widths)};
}"""
STAFF_VIDEO_WIDTH = """() => Math.max(0, ...[...window.madoguchiMeeting.peers.values()]
  .map((p) => p.tile.querySelector("video").videoWidth))"""


@pytest.fixture
def booked_in_minutes(live_setagaya, make_staff):
    """A consultation booked through the booking service for the first slot from now.

    The clock is the test's: today is made a working day from 0:00 to 23:59 for 池尻's
    centre and the host (a ward calendar exception, the centre's hours, the host's working
    hours), and 保健福祉課's consultations last 10 minutes with no notice needed, so the
    first free slot starts within 10 minutes of now whatever the hour."""
    import datetime as dt

    from django.utils import timezone

    from madoguchi.accounts.models import Role
    from madoguchi.consultations.setup import load_consultation_setup
    from madoguchi.core.models import CalendarException
    from madoguchi.meetings import kiosk, services
    from madoguchi.organisation.models import DistrictCentre, Section
    from madoguchi.people import services as people_services
    from madoguchi.people.models import Consent, ConsentPurpose
    from madoguchi.scheduling.models import SectionSchedule, WorkingHours
    from madoguchi.scheduling.services import resource_for_user
    from tests.meetings.conftest import HOKEN, IKEJIRI, booked_consultation

    load_consultation_setup()
    today = timezone.localdate()
    CalendarException.objects.update_or_create(
        date=today, defaults={"kind": "open", "reason": "テストのための臨時開庁"})
    DistrictCentre.objects.filter(district__code="ikejiri").update(
        opens_at=dt.time(0, 0), closes_at=dt.time(23, 59))
    SectionSchedule.objects.update_or_create(
        section=Section.objects.get(code=HOKEN),
        defaults={"duration_minutes": 10, "buffer_minutes": 0, "min_notice_minutes": 0})
    staff = SimpleNamespace(host=make_staff(Role.SECTION_STAFF, HOKEN, "hoken-host"),
                            centre=make_staff(Role.DISTRICT_STAFF, IKEJIRI, "ikejiri-centre"))
    WorkingHours.objects.create(resource=resource_for_user(staff.host),
                                weekday=today.weekday(), start=dt.time(0, 0),
                                end=dt.time(23, 59))
    resident, consultation = booked_consultation(staff, remote=False)
    booking = consultation.booking
    now = timezone.now()
    assert booking.booth_id is not None
    assert now <= booking.start <= now + dt.timedelta(minutes=10), (now, booking.start)
    people_services.consent_withdraw(  # the tablet records the consent on screen
        by=staff.centre, source="tests",
        consent=Consent.objects.get(resident=resident,
                                    purpose=ConsentPurpose.ONLINE_CONSULTATION))
    room = services.room_for_booking(booking=booking)
    _kiosk, key = kiosk.kiosk_issue(booth=booking.booth, by=staff.centre)
    return SimpleNamespace(staff=staff, booking=booking, room=room, key=key)


def test_a_slot_booked_minutes_ahead_reaches_a_call_at_the_booth(booked_in_minutes,
                                                                 live_setagaya, media_page):
    w, base = booked_in_minutes, live_setagaya
    tablet = media_page(base)
    errors = watch_errors(tablet)
    tablet.goto(f"{base}/meet/kiosk/{w.key}/")
    tablet.get_by_text(w.booking.section.name).wait_for()

    _, staff_session = session_cookie(w.staff.host)
    staff = media_page(base, staff_session)
    errors += watch_errors(staff)
    staff.goto(f"{base}/meet/{w.room.public_id}/")  # the section starts the call
    staff.get_by_text("通話に参加しました").wait_for()

    tablet.get_by_role("button", name="同意して はじめる").click()  # consent on screen
    staff.get_by_role("button", name="山田\u3000花子さん: 入室を許可").click()
    connected(staff)
    tablet.wait_for_function(KIOSK_CONNECTED)
    assert frames_decoded(staff) > 0
    staff.wait_for_function(f"() => ({STAFF_VIDEO_WIDTH})() > 0")
    tablet.wait_for_function(f"async () => {{ const d = await ({TABLET_DECODES})();"
                             " return d.frames > 0 && d.width > 0; }")
    assert KioskConsent.objects.filter(room=w.room).count() == 1
    assert errors == []
