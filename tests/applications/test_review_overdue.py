"""The managers' overdue list: standard processing days counted in open days (weekends and
holidays skipped), days waiting for the resident's correction not counted, most overdue
first; section staff (not managers) do not get it."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.accounts.policy import memberships
from madoguchi.applications import selectors, services
from tests.applications.conftest import resident_actor
from tests.applications.review_support import at, move, receive_jido

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(catalogue, strong_identity, ikejiri, files_dir, kodomo_staff):
    memberships(kodomo_staff)  # loaded now: the staff member joined today, not in the past
    # Friday 20 November 2026; Monday 23 November is 勤労感謝の日.
    with at(2026, 11, 20):
        paused = receive_jido(strong_identity, ikejiri, key="jido-key-0001")
        plain = receive_jido(strong_identity, ikejiri, key="jido-key-0002")
    with at(2026, 11, 24):
        later = receive_jido(strong_identity, ikejiri, key="jido-key-0003")
        move(paused, kodomo_staff, "start_check")
    with at(2026, 11, 25):
        move(paused, kodomo_staff, "request_correction", note="通帳の写しをお願いします。")
    with at(2026, 11, 30):
        services.application_transition(actor=resident_actor(strong_identity),
                                        application=paused, name="resubmit")
    return {"paused": paused, "plain": plain, "later": later}


def test_open_days_skip_the_weekend_the_holiday_and_the_pause(claims):
    today = dt.date(2026, 12, 9)
    # 11/24-27, 11/30, 12/1-4, 12/7-9: 12 open days (21-23 November not counted).
    assert selectors.elapsed_open_days(claims["plain"], today) == 12
    # Waiting for the correction from 11/25 to 11/30: 26, 27 and 30 November not counted.
    assert selectors.elapsed_open_days(claims["paused"], today) == 9
    assert selectors.elapsed_open_days(claims["later"], today) == 11


def test_overdue_lists_most_overdue_first(claims, kodomo_manager):
    rows = selectors.overdue(user=kodomo_manager, today=dt.date(2026, 12, 9),
                             source="tests").rows
    assert [(r.application.pk, r.over) for r in rows] == [
        (claims["plain"].pk, 2), (claims["later"].pk, 1)]


def test_overdue_page_for_managers_only(claims, kodomo_manager, kodomo_client, client,
                                        monkeypatch):
    from tests.helpers import login

    monkeypatch.setattr(services, "today", lambda: dt.date(2026, 12, 9))
    manager = login(client, kodomo_manager)
    html = manager.get("/review/overdue/").content.decode()
    assert html.index(claims["plain"].reference) < html.index(claims["later"].reference)
    assert claims["paused"].reference not in html
    assert kodomo_client.get("/review/overdue/").status_code == 403
    # The inbox marks them as overdue too.
    inbox = manager.get("/review/").content.decode()
    assert inbox.count("badge--alert") == 2
