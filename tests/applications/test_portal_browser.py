"""A resident applies online in headless Chromium: from the procedure's page to the start,
the form with a mistake, the fix, a file, the confirmation (submitted by keyboard only) and
「わたしの申請」; axe-core finds nothing on any page."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from madoguchi.applications.models import Application
from madoguchi.portal import session as portal_session
from madoguchi.portal.models import Level, Method, PortalIdentity
from tests.applications.conftest import PNG
from tests.browser.conftest import _database_url, run_asgi_server
from tests.browser.pages import axe_violations, focused, horizontal_overflow

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def apply_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """madoguchi's ASGI server storing files in a folder of its own."""
    with django_db_blocker.unblock():
        database_url = _database_url(connection.settings_dict)
    folder = tmp_path_factory.mktemp("apply")
    with run_asgi_server(database_url, folder / "server.log",
                         FILES_DIR=str(folder / "files")) as url:
        yield url


@pytest.fixture
def live(apply_server, transactional_db):
    call_command("load_setagaya", verbosity=0)
    call_command("load_procedures", verbosity=0)
    return apply_server


def logged_in(page, base: str, identity: PortalIdentity):
    """``page`` with its browser holding a portal login of ``identity`` (as after the card
    login)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[portal_session.IDENTITY] = identity.pk
    store[portal_session.LEVEL] = str(identity.level)
    store[portal_session.SINCE] = timezone.now().isoformat()
    store.set_expiry(portal_session.idle_seconds())
    store.save()
    page.context.add_cookies([{"name": portal_session.COOKIE, "value": store.session_key,
                               "url": base}])
    return page


def assert_axe_clean(page) -> None:
    page.wait_for_load_state("networkidle")
    count, report = axe_violations(page)
    assert count == 0, f"{page.url}\n{report}"


def tab_to(page, predicate, limit: int = 80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if predicate(now):
            assert now["outlineStyle"] != "none" and now["outlineWidth"] >= 2, now
            return now
    raise AssertionError("not reached by Tab")


def fill_form(page, phone: str) -> None:
    page.fill("#id_person-family", "池尻")
    page.fill("#id_person-given", "花子")
    page.fill("#id_person-family_kana", "いけじり")
    page.fill("#id_person-given_kana", "はなこ")
    page.fill("#id_person_birth_date", "平成2年5月1日")
    page.fill("#id_current_address-postal_code", "154-0001")
    page.fill("#id_current_address-address", "世田谷区池尻二丁目1番1号")
    page.fill("#id_phone", phone)
    page.select_option("#id_fiscal_year", "2026")
    page.fill("#id_copies", "1")
    page.select_option("#id_purpose", "nursery")
    page.check("#id_requester_0")
    page.check("#id_confirm")


def test_a_resident_applies_online_from_start_to_status(live, new_page):  # noqa: F811
    identity = PortalIdentity.objects.create(method=Method.OIDC, level=Level.STRONG,
                                             issuer="https://idp.example.jp", subject="sub-b",
                                             display_name="池尻 花子")
    page = logged_in(new_page(), live, identity)

    page.goto(live + "/procedures/kazei-shomei/")
    page.click("#apply-online")
    page.wait_for_url(live + "/portal/applications/new/kazei-shomei/")
    assert "本人確認書類" in page.inner_text("main")
    assert_axe_clean(page)

    page.select_option("#id_district", label="池尻")
    page.click("button.button--primary")
    page.wait_for_url("**/edit/")
    draft = Application.objects.get(identity=identity)
    assert_axe_clean(page)

    # A mistake: the phone number.
    fill_form(page, phone="でんわ")
    page.click("button[value=confirm]")
    page.wait_for_selector("#error-summary")
    assert page.is_visible("#id_phone_error")
    assert page.input_value("#id_person-family") == "池尻"  # the input is kept
    assert_axe_clean(page)

    # Fix it; Enter in a field keeps the input (the form's default button saves).
    page.fill("#id_phone", "03-1234-5678")
    page.press("#id_phone", "Enter")
    page.wait_for_selector(".messages >> text=一時保存しました")
    assert page.input_value("#id_phone") == "03-1234-5678"
    # Attach the proof of identity.
    page.set_input_files("#id_file-identity", files=[
        {"name": "card.png", "mimeType": "image/png", "buffer": PNG}])
    page.click("#attachment-identity button[value=upload]")
    page.wait_for_url("**/edit/#attachments")
    assert "card.png" in page.inner_text("#attachment-identity")
    assert page.input_value("#id_phone") == "03-1234-5678"
    assert_axe_clean(page)

    page.click("button.button--primary[value=confirm]")
    page.wait_for_url(lambda url: "/confirm/" in url)
    assert "card.png" in page.inner_text("main")
    assert_axe_clean(page)

    # Submit by keyboard only.
    tab_to(page, lambda el: el["id"] == "submit-application")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/done/" in url)
    draft.refresh_from_db()
    assert draft.reference and draft.reference in page.inner_text(".apply-reference")
    assert_axe_clean(page)

    page.click("a[href='/portal/applications/']")
    page.wait_for_url(live + "/portal/applications/")
    listing = page.inner_text("#submitted")
    assert draft.reference in listing and "受け付けました" in listing
    assert_axe_clean(page)
    assert Application.objects.filter(identity=identity).count() == 1


LOCALES = {"ja": "ja-JP", "en": "en-US"}


def test_the_other_pages_pass_axe_in_both_languages_and_reflow(live, new_page,  # noqa: F811
                                                               make_staff):
    from madoguchi.accounts.models import Role
    from madoguchi.applications import services
    from madoguchi.applications.transition_data import CorrectionItems
    from madoguchi.organisation.models import District
    from madoguchi.procedures.models import Channel
    from madoguchi.procedures.selectors import published_get
    from tests.applications.conftest import kazei_answers, resident_actor, staff_actor

    identity = PortalIdentity.objects.create(method=Method.OIDC, level=Level.STRONG,
                                             issuer="https://idp.example.jp", subject="sub-c")
    actor = resident_actor(identity)
    ikejiri = District.objects.get(code="ikejiri")
    application = services.draft_start(actor=actor, version=published_get("kazei-shomei"),
                                       channel=Channel.ONLINE, district=ikejiri)
    services.attachment_add(actor=actor, application=application, code="identity",
                            data=PNG, name="card.png")
    application = services.application_submit(
        actor=actor, application=application, raw=kazei_answers(),
        idempotency_key="browser-key-0001").application
    staff = staff_actor(make_staff(Role.SECTION_STAFF, "kazei", username="kazei-b"))
    services.application_transition(actor=staff, application=application, name="start_check")
    services.application_transition(
        actor=staff, application=application, name="request_correction",
        note="番地を確かめてください。",
        correction=CorrectionItems.of(fields=["current_address"], attachments=["identity"]))
    draft = services.draft_start(actor=actor, version=published_get("ninshin-todoke"),
                                 channel=Channel.ONLINE, district=ikejiri)
    base = f"{live}/portal/applications/"
    pages = [base, f"{base}{application.public_id}/",
             f"{base}{application.public_id}/action/withdraw/",
             f"{base}{draft.public_id}/edit/", f"{base}{draft.public_id}/discard/"]
    for lang, locale in LOCALES.items():
        page = logged_in(new_page(locale=locale), live, identity)
        for url in pages:
            page.goto(url)
            assert page.get_attribute("html", "lang") == lang
            assert_axe_clean(page)
        page.goto(pages[1])
        assert "番地を確かめてください。" in page.inner_text("#request-note")
    # The correction form shows the named address, prefilled; the resident corrects it by
    # keyboard and replaces the identity document.
    page = logged_in(new_page(locale="ja-JP"), live, identity)
    page.goto(pages[1])
    street = page.locator("#id_current_address-address")
    assert street.input_value() == "世田谷区池尻二丁目1番1号"
    assert page.locator("#id_phone").count() == 0  # not asked, not on the page
    street.fill("世田谷区池尻二丁目3番4号")
    page.set_input_files("#id_file-identity", files=[
        {"name": "card2.png", "mimeType": "image/png", "buffer": PNG}])
    page.locator("#id_note").fill("番地を直しました。")
    page.keyboard.press("Tab")
    page.get_by_role("button", name="直して出し直す").press("Enter")
    page.wait_for_url(pages[1])
    application.refresh_from_db()
    assert application.status == "resubmitted"
    assert application.answers["current_address"]["address"] == "世田谷区池尻二丁目3番4号"
    narrow = logged_in(new_page(viewport={"width": 640, "height": 800},
                                       device_scale_factor=2), live, identity)
    for url in pages[1], pages[3]:
        narrow.goto(url)
        narrow.evaluate("document.documentElement.style.zoom = '2'")
        narrow.wait_for_timeout(50)
        assert horizontal_overflow(narrow) <= 0, url


def test_the_draft_page_warns_before_the_login_times_out(live, new_page):  # noqa: F811
    from madoguchi.applications import services
    from madoguchi.organisation.models import District
    from madoguchi.procedures.models import Channel
    from madoguchi.procedures.selectors import published_get
    from tests.applications.conftest import resident_actor

    identity = PortalIdentity.objects.create(method=Method.EMAIL, level=Level.EMAIL,
                                             email="hanako@example.jp")
    draft = services.draft_start(actor=resident_actor(identity),
                                 version=published_get("ninshin-todoke"),
                                 channel=Channel.ONLINE,
                                 district=District.objects.get(code="ikejiri"))
    page = logged_in(new_page(), live, identity)
    page.clock.install()
    page.goto(f"{live}/portal/applications/{draft.public_id}/edit/")
    warning = page.locator("#idle-warning")
    assert warning.is_hidden()
    warn = int(warning.get_attribute("data-warn-seconds"))
    page.clock.fast_forward(warn * 1000 + 1000)
    assert warning.is_visible() and "一時保存" in warning.inner_text()
    assert_axe_clean(page)
