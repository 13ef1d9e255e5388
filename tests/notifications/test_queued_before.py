"""Mails queued before the one notifier (ADR 0030) are still sent after the deploy: the
migration rewrites the waiting tasks of the old task modules onto ``deliver``."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from madoguchi.notifications.tasks import deliver
from madoguchi.portal.models import EmailLoginLink

from .conftest import make_booking, run_worker, tokyo

pytestmark = pytest.mark.django_db(transaction=True)
migration = importlib.import_module(
    "madoguchi.notifications.migrations.0001_notifier_queued_tasks")


def queued_as_before(task_path: str, **kwargs) -> DBTaskResult:
    """A task row as the old code left it in the queue (the library's own row, renamed)."""
    result = deliver.enqueue(kind="unused", about={})
    DBTaskResult.objects.filter(id=result.id).update(
        task_path=task_path, args_kwargs={"args": [], "kwargs": kwargs})
    return DBTaskResult.objects.get(id=result.id)


def test_waiting_old_tasks_are_sent_by_the_notifier_and_finished_ones_left(smtp, people):
    booking = make_booking(section=people["hoken"], start=tokyo(3, 10),
                           by=people["centre_staff"], residents=[people["hanako"]])
    [participant] = booking.participants.all()
    invitation = queued_as_before("madoguchi.notifications.tasks.deliver_booking_mail",
                                  booking_id=booking.pk, participant_id=participant.pk,
                                  kind="invitation")
    reminder = queued_as_before("madoguchi.notifications.tasks.send_booking_reminder",
                                booking_id=booking.pk, start=booking.start.isoformat())
    link = EmailLoginLink.objects.create(email="login@example.jp",
                                         expires_at=timezone.now() + dt.timedelta(hours=1))
    login = queued_as_before("madoguchi.portal.tasks.send_login_link", link_id=link.pk,
                             origin="http://testserver", language="en")
    finished = queued_as_before("madoguchi.portal.tasks.send_login_link", link_id=link.pk,
                                origin="http://testserver", language="ja")
    DBTaskResult.objects.filter(id=finished.id).update(status="SUCCESSFUL")

    migration.rewrite(apps, None)
    DBTaskResult.objects.filter(id=reminder.id).update(
        run_after=timezone.now() - dt.timedelta(seconds=1))
    run_worker()

    results = {row.id: (row.task_path, row.status, row.return_value)
               for row in DBTaskResult.objects.all()}
    assert results[invitation.id] == (deliver.module_path, "SUCCESSFUL", "sent")
    assert results[reminder.id] == (deliver.module_path, "SUCCESSFUL", "sent")
    assert results[login.id] == (deliver.module_path, "SUCCESSFUL", "sent")
    assert results[finished.id][0] == "madoguchi.portal.tasks.send_login_link"
    subjects = sorted(str(m["Subject"]) for m in smtp.to("hanako@example.jp"))
    assert len(subjects) == 2 and any("明日" in s for s in subjects)
    [login_mail] = smtp.to("login@example.jp")
    assert str(login_mail["Subject"]) == "Setagaya City: your link to sign in to My Page"
