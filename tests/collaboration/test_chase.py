"""Overdue action items are chased through the notifier and the real task worker."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.collaboration import services
from madoguchi.collaboration.models import ActionItem, MeetingStatus
from tests.collaboration.conftest import IKEJIRI, meeting_in, unit
from tests.notifications.conftest import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_overdue_action_items_are_chased_by_the_worker(four, smtp):
    four["anshin"].email = "anshin@example.jp"
    four["anshin"].save()
    meeting = meeting_in(days=-20, status=MeetingStatus.HELD)
    item = ActionItem.objects.create(meeting=meeting, task="独居高齢者を訪問する",
                                     party=unit(f"{IKEJIRI}/anshin"), person=four["anshin"],
                                     due_date=dt.date(2027, 1, 8), created_by=four["centre"])
    open_day = dt.date(2027, 1, 12)  # Tue
    assert services.chase_overdue(today=open_day) == 1
    assert services.chase_overdue(today=open_day) == 0  # once a day
    assert services.chase_overdue(today=dt.date(2027, 1, 11)) == 0  # 成人の日: closed
    run_worker()
    [mail] = smtp.to("anshin@example.jp")
    assert "期限を過ぎた対応項目" in str(mail["Subject"])
    assert "独居高齢者を訪問する" in mail.get_content()
    item.refresh_from_db()
    assert item.chased_on == open_day
