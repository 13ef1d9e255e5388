"""The sweep command (lotteries due, erasure after the retention period) and the ward's
list of kinds of event."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.participation.models import Event, EventKind, Mode, RegStatus
from tests.helpers import login

from .conftest import enrol, published

pytestmark = pytest.mark.django_db


def test_the_sweep_draws_a_lottery_whose_time_has_come(setagaya, author, head, settings):
    settings.PARTICIPATION_CANCEL_BASE = "https://madoguchi.example.jp/events/cancel/"
    deadline = timezone.now() + dt.timedelta(days=1)
    event = published(author, head, mode=Mode.LOTTERY, capacity=2,
                      registration_deadline=deadline, draw_at=deadline)
    enrol(event, 4)
    out = io.StringIO()
    call_command("participation_sweep", stdout=out)
    assert "drawn=0" in out.getvalue()  # not yet
    Event.objects.filter(pk=event.pk).update(
        registration_deadline=timezone.now() - dt.timedelta(hours=2),
        draw_at=timezone.now() - dt.timedelta(hours=1))
    out = io.StringIO()
    call_command("participation_sweep", stdout=out)
    assert "drawn=1" in out.getvalue()
    statuses = list(event.registrations.values_list("status", flat=True))
    assert statuses.count(RegStatus.CONFIRMED) == 2


def test_ward_administrators_add_a_kind_of_event(setagaya, make_staff, client, author):
    admin = make_staff(Role.WARD_ADMIN)
    login(client, admin)
    response = client.post(reverse("participation:kinds"), {
        "code": "kodomo", "name": "子ども会議", "name_en": "Children's assembly",
        "sort_order": "90", "active": "on"})
    assert response.status_code == 302
    assert EventKind.objects.get(code="kodomo").name == "子ども会議"
    login(client, author)
    form = client.get(reverse("participation:create")).content.decode()
    assert "子ども会議" in form
    assert client.get(reverse("participation:kinds")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_sweep_runs_in_the_task_worker_and_queues_its_next_run(setagaya):
    from django_tasks_db.models import DBTaskResult

    from madoguchi.participation.tasks import sweep

    from .conftest import run_worker

    sweep.enqueue(chain=True)
    run_worker()
    runs = DBTaskResult.objects.filter(task_path=sweep.module_path).order_by("enqueued_at")
    assert runs.count() == 2  # the run, and the next one queued for later
    assert runs[0].status == "SUCCESSFUL" and runs[0].return_value == "drawn=0 erased=0"
    assert runs[1].status == "READY" and runs[1].run_after > timezone.now()
