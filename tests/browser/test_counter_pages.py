"""The walk-in queue in a real browser: the ticket page and the call display pass axe-core;
a clerk's call reaches the display live (WebSocket); a display that lost its connection
comes back with the current list, not a stale one."""

from __future__ import annotations

import pytest

from madoguchi.accounts.models import Role
from madoguchi.counter import services
from madoguchi.counter.catalogue import load_defaults
from madoguchi.counter.models import Office, TicketSource
from tests.browser.pages import axe_violations
from tests.helpers import login

pytestmark = pytest.mark.browser


@pytest.fixture
def ikejiri(live_setagaya):
    load_defaults()
    return Office.objects.get(code="setagaya-ikejiri")


def _clerk_page(new_page, base: str, make_staff):
    from django.test import Client

    clerk = make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center")
    client = login(Client(), clerk)
    page = new_page()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": base}])
    return page


def test_ticket_page_and_reception_tablet_are_axe_clean(live_setagaya, ikejiri, new_page,
                                                        make_staff):
    ticket = services.ticket_issue(office=ikejiri, service=ikejiri.services.first(),
                                   source=TicketSource.RECEPTION)
    page = new_page()
    page.goto(f"{live_setagaya}/counter/t/{ticket.token}/")
    assert page.locator(".queue__digits").inner_text() == "A001"
    assert "約0分" in page.locator("[role=status]").inner_text()
    count, report = axe_violations(page)
    assert count == 0, report
    clerk = make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center")
    _kiosk, key = services.kiosk_key_issue(office=ikejiri, by=clerk)
    tablet = new_page()
    tablet.goto(f"{live_setagaya}/counter/reception/{key}/")
    count, report = axe_violations(tablet)
    assert count == 0, report
    tablet.get_by_role("button", name="証明書の取次ぎ").click()
    assert tablet.locator(".queue__digits").inner_text() == "A002"


def test_a_call_reaches_the_display_and_a_reconnect_shows_the_current_list(
        live_setagaya, ikejiri, new_page, make_staff):
    for _ in range(3):
        services.ticket_issue(office=ikejiri, service=ikejiri.services.first(),
                              source=TicketSource.RECEPTION)
    display = new_page()
    display.goto(f"{live_setagaya}/counter/display/{ikejiri.code}/")
    display.wait_for_function("() => document.body.dataset.connected === '1'")
    assert display.locator("#display-waiting").inner_text() == "3"
    count, report = axe_violations(display)
    assert count == 0, report

    clerk = _clerk_page(new_page, live_setagaya, make_staff)
    clerk.goto(f"{live_setagaya}/counter/o/{ikejiri.code}/counters/2/")
    clerk.get_by_role("button", name="次の方を呼ぶ").click()
    display.wait_for_function("() => document.body.dataset.lastCall === 'A001:2'")
    assert display.locator("#display-calls tr").first.inner_text().split() == ["A001", "2番窓口"]

    # The display loses its connection; calls go on meanwhile; it comes back current.
    display.context.set_offline(True)
    display.wait_for_function("() => document.body.dataset.connected === '0'", timeout=60_000)
    clerk.get_by_role("button", name="次の方を呼ぶ").click()
    clerk.get_by_text("A002 を呼び出しました。").wait_for()
    display.context.set_offline(False)
    display.wait_for_function("() => document.body.dataset.connected === '1'", timeout=20_000)
    display.wait_for_function(
        "() => document.querySelector('#display-calls tr td').textContent === 'A002'")
    assert display.locator("#display-waiting").inner_text() == "1"
