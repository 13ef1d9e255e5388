"""`make run`'s demo consultations: a week of them through the real services, so that the
section's inbox, the centre's board and the staff agenda are not empty; loaded once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from madoguchi.accounts.models import User
from madoguchi.consultations.models import Consultation, Status
from madoguchi.scheduling.models import Booking, BookingStatus
from tests.helpers import login

pytestmark = pytest.mark.django_db


def test_demo_consultations_fill_the_inbox_board_and_agenda(setagaya):
    call_command("load_consultation_setup", verbosity=0)
    call_command("load_guidance", stdout=io.StringIO())  # as make run: proposals from it
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    call_command("load_demo_consultations", stdout=io.StringIO())
    again = io.StringIO()
    call_command("load_demo_consultations", stdout=again)
    assert "already loaded" in again.getvalue()

    consultations = Consultation.objects.all()
    statuses = [c.status for c in consultations]
    assert len(statuses) == 12
    assert statuses.count(Status.BOOKED) >= 4  # where the demo has section staff
    assert {Status.RECEIVED, Status.ROUTED, Status.COMPLETED} <= set(statuses)
    booked = Booking.objects.filter(status=BookingStatus.BOOKED)
    days = {timezone.localtime(b.start).date() for b in booked}
    assert len(days) >= 3 and min(days) > timezone.localdate()
    assert all(b.booth_id for b in booked)

    client = Client()
    login(client, User.objects.get(username="hokenfukushi"))
    inbox = client.get(reverse("consultations:inbox")).content.decode()
    assert "ヤマダ" in inbox or "山田" in inbox
    agenda = client.get(reverse("scheduling:agenda")).content.decode()
    assert "ビデオ通話に入る" in agenda
    client.logout()
    login(client, User.objects.get(username="ikejiri"))
    first = min(booked.filter(centre__district__code="ikejiri"), key=lambda b: b.start)
    board = client.get(reverse("scheduling:day_board", args=["setagaya", "ikejiri"])
                       + f"?date={timezone.localtime(first.start).date().isoformat()}")
    assert "予約済み" in board.content.decode()
