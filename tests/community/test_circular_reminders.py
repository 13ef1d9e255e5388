"""Reminders of circulars (issue 16): a household that has not read a circular by its due
date (or COMMUNITY_CIRCULAR_REMIND_DAYS after it was posted without one) is mailed once,
by real SMTP, with a link of its own; a second run, or the same reminder queued twice,
sends nothing more; households without an address are not mailed and the sender's page
shows them for the printed circular; the page shows who was reminded."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from madoguchi.community import messages
from madoguchi.community.errors import CommunityError
from madoguchi.community.models import Circular, CircularReceipt
from madoguchi.community.services import circulars as svc
from tests.community.test_api import as_group
from tests.community.test_circulars import households, post
from tests.helpers import login

pytestmark = pytest.mark.django_db

READ_LINK = "/community/circulars/read/"


def link_in(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return text.split(READ_LINK)[1].split("/")[0]


@pytest.fixture
def immediate_tasks(settings):
    """The notifier's delivery task runs as it is queued (after the commit the test's
    ``sent`` stands in for), in this test's transaction: the database worker closes the
    connection and so needs a transactional test, which is slow."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default"]}}


def sent(capture, action):
    """Run ``action`` and its after-commit work (the notifier's delivery, at once);
    returns what ``action`` returned."""
    with capture(execute=True):
        return action()


def test_unread_households_are_reminded_once_after_the_due_date(
        client, group, clerk, smtp, immediate_tasks, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    today = timezone.localdate()
    online, paper = households(group)
    svc.household_add(group=group, name="鈴木家", email="suzuki@example.jp",
                      contact=group.contacts.get(), source="test")
    circular = sent(capture, lambda: post(group, due_on=today))
    [first_mail] = smtp.to("yamada@example.jp")
    svc.circular_open(token=link_in(smtp.to("suzuki@example.jp")[0]))  # 鈴木家 reads

    assert svc.circulars_remind(today=today) == 0  # not before the due date has passed
    assert sent(capture, lambda: svc.circulars_remind(today=today + dt.timedelta(days=1))
                ) == 1
    reminders = smtp.to("yamada@example.jp")[1:]
    assert len(reminders) == 1 and not smtp.to("suzuki@example.jp")[1:]
    assert "まだお読みでないよう" in str(reminders[0]["Subject"])
    receipt = CircularReceipt.objects.get(circular=circular, household=online)
    assert receipt.reminded_at is not None and receipt.reminder_digest is not None

    # a second run (the next day too) and the same reminder queued again send nothing
    assert sent(capture, lambda: svc.circulars_remind(today=today + dt.timedelta(days=2))
                ) == 0
    sent(capture, lambda: messages.circular_reminder_notice(receipt_id=receipt.pk,
                                                             origin="http://x/"))
    assert len(smtp.to("yamada@example.jp")) == 2
    assert smtp.rcpt.count([paper.email]) == 0 and all(
        "佐藤家" not in str(m["To"]) for m in smtp.messages)

    login(client, clerk)  # the sender's page: who was reminded, who reads on paper
    Circular.objects.filter(pk=circular.pk).update(due_on=today - dt.timedelta(days=1))
    page = client.get(f"/community/staff/circulars/{circular.public_id}/").content.decode()
    assert "メールで催促" in page and "メールなし: 印刷用のPDFで回覧" in page

    # the reminder's own link reads the circular; the first mail's link still works
    assert svc.circular_open(token=link_in(reminders[0])).household == online
    assert svc.circular_open(token=link_in(first_mail)).household == online


def test_without_a_due_date_the_setting_days_after_posting(group, settings):
    settings.COMMUNITY_CIRCULAR_REMIND_DAYS = 3
    households(group)
    today = timezone.localdate()
    old, new = post(group, title="古い回覧"), post(group, title="新しい回覧")
    Circular.objects.filter(pk=old.pk).update(
        posted_at=timezone.now() - dt.timedelta(days=3))
    assert svc.circulars_remind(today=today) == 1  # 山田家 of the old one; 佐藤家 on paper
    assert list(CircularReceipt.objects.filter(reminder_queued_at__isnull=False)
                .values_list("circular__title", "household__name")) == [("古い回覧", "山田家")]
    assert svc.circulars_remind(today=today) == 0
    assert CircularReceipt.objects.get(circular=new, household__name="山田家"
                                       ).reminder_queued_at is None


def test_a_past_due_date_is_refused_and_the_command_runs_and_schedules(group):
    households(group)
    with pytest.raises(CommunityError) as caught:
        post(group, due_on=timezone.localdate() - dt.timedelta(days=1))
    assert caught.value.code == "due_on" and not Circular.objects.exists()
    out = StringIO()
    call_command("remind_circulars", stdout=out)
    call_command("remind_circulars", "--schedule", stdout=out)
    call_command("remind_circulars", "--schedule", stdout=out)
    assert out.getvalue().split("\n")[:3] == ["reminders 0", "scheduled", "already scheduled"]


def test_the_group_page_posts_with_a_due_date(group):
    households(group)
    client = as_group(group)
    page = client.get("/community/group/circulars/").content.decode()
    assert 'name="due_on"' in page and "発信の7日後" in page
    day = timezone.localdate() + dt.timedelta(days=5)
    past = {"title": "回覧", "body": "本文", "audience": "group",
            "due_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat()}
    response = client.post("/community/group/circulars/", past)
    assert "過去の日は指定できません" in response.content.decode()
    assert not Circular.objects.exists()
    response = client.post("/community/group/circulars/", {**past, "due_on": day.isoformat()})
    assert response.status_code == 302 and Circular.objects.get().due_on == day
