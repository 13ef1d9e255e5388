"""After the call: outcome, follow-ups, what the centre sees, statistics, timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from madoguchi.consultations import access, services
from madoguchi.consultations.models import (
    AppendOnlyError,
    ConsultationEvent,
    StatEvent,
    Status,
)

pytestmark = pytest.mark.django_db

OUTCOME = {"result": "procedure", "summary": "要介護認定の申請方法を説明。",
           "satisfied": "satisfied", "duration_minutes": "35"}


def test_section_records_the_outcome(booked, staff):
    outcome = services.outcome_record(by=staff["hoken"], consultation=booked, data=OUTCOME,
                                      source="t")
    booked.refresh_from_db()
    assert booked.status == Status.COMPLETED
    assert (outcome.result, outcome.duration_minutes, outcome.satisfied) == (
        "procedure", 35, "satisfied")
    stat = StatEvent.objects.get(kind="completed")
    assert stat.duration_minutes == 35 and stat.waiting_days is not None
    assert stat.stage == 1 and stat.category == "elderly"


def test_only_the_section_records_outcomes(booked, staff):
    for user in (staff["centre"], staff["kitazawa_hoken"], staff["kazei"]):
        with pytest.raises(PermissionDenied):
            services.outcome_record(by=user, consultation=booked, data=OUTCOME, source="t")


def test_outcome_validation(booked, staff):
    with pytest.raises(ValidationError) as caught:
        services.outcome_record(by=staff["hoken"], consultation=booked, source="t",
                                data={"result": "referred", "duration_minutes": "0"})
    errors = caught.value.message_dict
    assert errors["referred_to"] == ["紹介した課・機関を選んでください。"]
    assert errors["duration_minutes"] == ["相談時間は1～480分の整数で入力してください。"]
    outcome = services.outcome_record(by=staff["hoken"], consultation=booked, source="t",
                                      data={"result": "referred", "referred_to": "port",
                                            "duration_minutes": 20})
    assert outcome.referred_to.code == "port"
    with pytest.raises(ValidationError, match="「対応済み」のため"):
        services.outcome_record(by=staff["hoken"], consultation=booked, data=OUTCOME,
                                source="t")


def test_centre_sees_result_and_followups_not_the_summary(booked, staff):
    services.outcome_record(by=staff["hoken"], consultation=booked, data=OUTCOME, source="t")
    assert access.sees_summary(staff["hoken"], booked)
    assert not access.sees_summary(staff["centre"], booked)
    assert access.can_view(staff["centre"], booked)


def test_followups(booked, staff):
    services.outcome_record(by=staff["hoken"], consultation=booked, data=OUTCOME, source="t")
    due = timezone.localdate() + dt.timedelta(days=14)
    with pytest.raises(ValidationError) as caught:
        services.followup_create(by=staff["hoken"], consultation=booked, source="t",
                                 data={"task": "", "due_date": "2000-01-01",
                                       "owner": staff["kazei"].pk})
    assert set(caught.value.message_dict) == {"task", "due_date", "owner"}
    followup = services.followup_create(by=staff["hoken"], consultation=booked, source="t",
                                        data={"task": "申請書の受理を確認する",
                                              "due_date": due.isoformat(),
                                              "owner": staff["centre"].pk})
    assert followup.owner == staff["centre"]
    with pytest.raises(PermissionDenied):
        services.followup_complete(by=staff["kazei"], followup=followup, source="t")
    done = services.followup_complete(by=staff["centre"], followup=followup, source="t")
    assert done.done_at and done.done_by == staff["centre"]
    with pytest.raises(ValidationError):
        services.followup_complete(by=staff["hoken"], followup=followup, source="t")
    kinds = list(ConsultationEvent.objects.filter(consultation=booked)
                 .values_list("kind", flat=True))
    assert kinds[-2:] == ["followup", "followup_done"]


def test_timeline_and_statistics_are_append_only(booked):
    event = ConsultationEvent.objects.filter(consultation=booked).first()
    event.note = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        ConsultationEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(AppendOnlyError):
        StatEvent.objects.all().delete()
    # The database refuses too, whatever the ORM is asked.
    from django.db import connection

    with pytest.raises((IntegrityError, Exception)), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("UPDATE consultations_consultationevent SET note = 'x' WHERE id = %s",
                       [event.pk])
    event.refresh_from_db()
    assert event.note == ""


def test_statistics_hold_no_personal_data():
    fields = {f.name for f in StatEvent._meta.get_fields()}
    assert not fields & {"resident", "consultation", "worry", "actor"}
