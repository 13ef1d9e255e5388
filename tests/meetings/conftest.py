"""Video-room fixtures: a consultation booked for 保健福祉課 (世田谷) with a resident at home
and an outside participant, its room, one-time links, and Chromium with fake media devices.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client

from madoguchi.accounts.models import Role
from madoguchi.consultations import services as consultations
from madoguchi.consultations.setup import load_consultation_setup
from madoguchi.meetings import services
from madoguchi.people import services as people_services
from madoguchi.people.models import ConsentPurpose
from madoguchi.scheduling.models import ParticipantKind
from madoguchi.scheduling.selectors import find_slots
from madoguchi.scheduling.services import Guest
from tests.browser.conftest import (  # noqa: F401
    asgi_server,
    chromium,
    launched_chromium,
    live_setagaya,
    live_url,
    new_page,
)
from tests.helpers import login

HOKEN = "setagaya/hoken-fukushi"
IKEJIRI = "setagaya/ikejiri/machizukuri-center"
MEDIA_ARGS = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
]
RESIDENT = {"family_name": "山田", "given_name": "花子", "family_name_kana": "ヤマダ",
            "given_name_kana": "ハナコ", "birth_date": "1950-05-01",
            "address": "世田谷区池尻二丁目1番（テスト）", "region": "setagaya",
            "district": "ikejiri"}


def booked_consultation(staff, *, remote: bool, guests=()):
    """A resident of 池尻 with both consents, a consultation routed to 保健福祉課 and booked
    with ``staff.host`` at the first free slot (at the booth unless ``remote``)."""
    resident = people_services.resident_create(by=staff.centre, source="tests", data=RESIDENT)
    for purpose in (ConsentPurpose.ONLINE_CONSULTATION, ConsentPurpose.SHARE_WITH_SECTION):
        people_services.consent_give(by=staff.centre, resident=resident, purpose=purpose,
                                     method="oral", source="tests")
    consultation = consultations.consultation_intake(
        by=staff.centre, resident=resident, source="tests",
        data={"worry": "介護の相談", "category": "elderly", "urgency": "soon"})
    consultation = consultations.consultation_route(
        by=staff.centre, consultation=consultation, section=consultation.proposed_section,
        reason="", source="tests")
    slot = find_slots(section=consultation.section, centre=consultation.centre,
                      staff=staff.host, booth_required=not remote, limit=1)[0]
    consultation = consultations.consultation_book(
        by=staff.centre, consultation=consultation, start=slot.start, staff=staff.host,
        remote=remote, guests=list(guests), source="tests")
    return resident, consultation


def build_world(make_staff) -> SimpleNamespace:
    """Staff, a consultation booked with the resident at home and one outside participant,
    the booking's room and a one-time link each for the resident and the guest."""
    load_consultation_setup()
    staff = SimpleNamespace(
        host=make_staff(Role.SECTION_STAFF, HOKEN, "hoken-host"),
        colleague=make_staff(Role.SECTION_STAFF, HOKEN, "hoken-colleague"),
        centre=make_staff(Role.DISTRICT_STAFF, IKEJIRI, "ikejiri-centre"),
        partner=make_staff(Role.PARTNER_STAFF, "setagaya/ikejiri/anshin", "anshin-1"),
        other_section=make_staff(Role.SECTION_STAFF, "kazei", "kazei-1"),
    )
    resident, consultation = booked_consultation(
        staff, remote=True, guests=[Guest(name="専門 相談員", organisation="専門機関")])
    booking = consultation.booking
    room = services.room_for_booking(booking=booking)
    resident_participant = booking.participants.get(kind=ParticipantKind.RESIDENT)
    guest_participant = booking.participants.get(kind=ParticipantKind.GUEST)
    resident_link, resident_token = services.access_issue(
        room=room, participant=resident_participant, by=staff.host)
    guest_link, guest_token = services.access_issue(
        room=room, participant=guest_participant, by=staff.host)
    return SimpleNamespace(
        staff=staff, consultation=consultation, booking=booking, room=room,
        resident_link=resident_link, resident_token=resident_token,
        guest_link=guest_link, guest_token=guest_token)


@pytest.fixture
def world(make_staff):
    return build_world(make_staff)


def session_cookie(user=None, *, join_token: str | None = None) -> tuple[Client, str]:
    """A Django test client (logged in as ``user``, or having opened ``join_token``) and
    its session id, for WebSocket connections and browser contexts."""
    client = Client()
    if user is not None:
        login(client, user)
    if join_token is not None:
        response = client.get(f"/meet/join/{join_token}/")
        assert response.status_code == 200, response.status_code
    return client, client.cookies["sessionid"].value


@pytest.fixture(scope="module")
def media_chromium(request):
    """Chromium with fake camera and microphone, for the tests of one module (its event loop
    ends with the module, so later async tests are not affected). A module may launch it
    with other flags by defining ``BROWSER_MEDIA_ARGS`` (e.g. two fake cameras)."""
    args = getattr(request.module, "BROWSER_MEDIA_ARGS", MEDIA_ARGS)
    with launched_chromium(tuple(args)) as browser:
        yield browser


@pytest.fixture
def media_page(media_chromium):
    """media_page(base_url, session_id=None, init_script="") -> a Page in its own context
    (fake media; ``init_script`` runs before the page's scripts)."""
    contexts = []

    def make(base_url: str, session_id: str | None = None, *, init_script: str = ""):
        # Camera and microphone are granted by the context too, so that a module may drop
        # --use-fake-ui-for-media-stream (which also answers the screen-share picker).
        context = media_chromium.new_context(locale="ja-JP",
                                             viewport={"width": 1280, "height": 900},
                                             permissions=["camera", "microphone"])
        if init_script:
            context.add_init_script(init_script)
        context.set_default_timeout(15_000)
        if session_id:
            context.add_cookies([{"name": "sessionid", "value": session_id, "url": base_url}])
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def build_kiosk_world(make_staff) -> SimpleNamespace:
    """A consultation booked at a booth of 池尻's centre, moved to now (so that it is the
    booth's next consultation today), the resident's earlier consent to online consultation
    withdrawn (the kiosk records a new one), and a kiosk key for the booth."""
    import datetime as dt

    from django.utils import timezone

    from madoguchi.meetings import kiosk
    from madoguchi.people.models import Consent
    from madoguchi.scheduling.models import Booking

    load_consultation_setup()
    staff = SimpleNamespace(
        host=make_staff(Role.SECTION_STAFF, HOKEN, "hoken-host"),
        centre=make_staff(Role.DISTRICT_STAFF, IKEJIRI, "ikejiri-centre"),
        other_centre=make_staff(Role.DISTRICT_STAFF, "setagaya/taishido/machizukuri-center",
                                "taishido-centre"),
        other_section=make_staff(Role.SECTION_STAFF, "kazei", "kazei-1"),
    )
    resident, consultation = booked_consultation(staff, remote=False)
    booking = consultation.booking
    assert booking.booth_id is not None
    now = timezone.now()
    Booking.objects.filter(pk=booking.pk).update(start=now - dt.timedelta(minutes=5),
                                                 end=now + dt.timedelta(minutes=55))
    booking.refresh_from_db()
    people_services.consent_withdraw(
        by=staff.centre, source="tests",
        consent=Consent.objects.get(resident=resident,
                                    purpose=ConsentPurpose.ONLINE_CONSULTATION))
    room = services.room_for_booking(booking=booking)
    booth_kiosk, key = kiosk.kiosk_issue(booth=booking.booth, by=staff.centre)
    return SimpleNamespace(staff=staff, resident=resident, consultation=consultation,
                           booking=booking, room=room, kiosk=booth_kiosk, key=key)


@pytest.fixture
def kiosk_world(make_staff):
    return build_kiosk_world(make_staff)


def kiosk_cookie(key: str) -> tuple[Client, str]:
    """A test client that opened the kiosk page with ``key``, and its session id."""
    client = Client()
    response = client.get(f"/meet/kiosk/{key}/")
    assert response.status_code == 200, response.status_code
    return client, client.cookies["sessionid"].value
