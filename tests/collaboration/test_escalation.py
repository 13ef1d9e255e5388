"""Escalation to a branch or head-office section, answered in the same thread; the branch
sees every escalation from its districts with age and status."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from madoguchi.collaboration import selectors, services
from madoguchi.collaboration.models import (
    Escalation,
    EscalationStatus,
    MeetingStatus,
    Status,
)
from madoguchi.core import opendays
from madoguchi.organisation.models import Section
from tests.collaboration.conftest import IKEJIRI, meeting_in, unit
from tests.helpers import login

pytestmark = pytest.mark.django_db


def hoken():
    return Section.objects.get(code="setagaya/hoken-fukushi")


def test_a_record_is_escalated_and_answered_in_the_same_thread(four, make_record):
    record = make_record(share=True)
    escalation = services.escalation_open(subject=record, to_section=hoken(),
                                          title="支援の相談", body="区の支援につなげたい",
                                          by=four["jidokan"])
    record.refresh_from_db()
    assert record.status == Status.ESCALATED
    assert escalation.due_date == opendays.add_open_days(
        timezone.localdate(), services.ESCALATION_OPEN_DAYS)
    services.escalation_reply(escalation=escalation, body="保健福祉課で対応します",
                              by=four["branch"])
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.ANSWERED
    services.escalation_reply(escalation=escalation, body="ありがとうございました", close=True,
                              by=four["jidokan"])
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.CLOSED
    shown = selectors.visible_escalation(user=four["branch"], public_id=escalation.public_id)
    assert [m.body for m in shown.thread] == ["区の支援につなげたい", "保健福祉課で対応します",
                                              "ありがとうございました"]
    assert not shown.record_view.full  # the section reads the anonymised record
    with pytest.raises(ValidationError):
        services.escalation_reply(escalation=escalation, body="追記", by=four["branch"])


def test_an_action_item_can_be_escalated_to_the_head_office(four):
    meeting = meeting_in(days=-3, status=MeetingStatus.HELD)
    item = services.action_create(meeting=meeting, task="空き家の管理", by=four["centre"],
                                  party=unit(f"{IKEJIRI}/machizukuri-center"),
                                  person=four["centre"],
                                  due_date=timezone.localdate() + dt.timedelta(days=10))
    escalation = services.escalation_open(subject=item, to_section=Section.objects.get(
        code="kazei"), title="税の相談", body="本庁の判断が必要", by=four["centre"])
    assert escalation.action == item and escalation.record is None
    assert selectors.escalation_list(user=four["kazei"]) == [escalation]


def test_bad_escalations_are_refused_and_nothing_saved(four, make_record):
    record = make_record()
    with pytest.raises(ValidationError) as refused:
        services.escalation_open(subject=record, to_section=None, title="", body="",
                                 by=four["jidokan"])
    assert set(refused.value.message_dict) == {"to_section", "title", "body"}
    # Another region's branch is not a target of 池尻.
    with pytest.raises(ValidationError):
        services.escalation_open(subject=record, by=four["jidokan"], title="x", body="y",
                                 to_section=Section.objects.get(code="kitazawa/hoken-fukushi"))
    with pytest.raises(PermissionDenied):  # not a party of the record
        services.escalation_open(subject=record, to_section=hoken(), title="x", body="y",
                                 by=four["other"])
    assert not Escalation.objects.exists()
    record.refresh_from_db()
    assert record.status == Status.NEW


def test_the_branch_sees_every_escalation_of_its_districts_with_age_and_status(
        four, make_record):
    ikejiri = services.escalation_open(subject=make_record(), to_section=Section.objects.get(
        code="kazei"), title="本庁へ", body="内容", by=four["jidokan"])
    Escalation.objects.filter(pk=ikejiri.pk).update(
        opened_at=timezone.now() - dt.timedelta(days=30),
        due_date=timezone.localdate() - dt.timedelta(days=10))
    # Another branch section of the region (地域振興課) sees it too, though not asked.
    rows = selectors.escalation_list(user=four["branch2"])
    assert [r.pk for r in rows] == [ikejiri.pk]
    row = rows[0]
    assert row.age_days == opendays.open_days_between(
        timezone.localdate() - dt.timedelta(days=30), timezone.localdate())
    assert row.late and row.status == EscalationStatus.OPEN
    # 北沢's branch and other districts' partners do not.
    assert selectors.escalation_list(user=four["kitazawa"]) == []
    assert selectors.escalation_list(user=four["other"]) == []
    with pytest.raises(Http404):
        selectors.visible_escalation(user=four["kitazawa"], public_id=ikejiri.public_id)
    # Only the section asked answers; the region's other section may only read.
    with pytest.raises(PermissionDenied):
        services.escalation_reply(escalation=ikejiri, body="x", by=four["branch2"])


def test_the_branch_answers_on_the_page(four, make_record, client):
    escalation = services.escalation_open(subject=make_record(), to_section=hoken(),
                                          title="支援", body="内容", by=four["jidokan"])
    login(client, four["branch"])
    listing = client.get(reverse("collaboration:escalations")).content.decode()
    assert "支援" in listing and "回答待ち" in listing
    url = reverse("collaboration:escalation", args=[escalation.public_id])
    assert client.post(url, {"body": ""}).status_code == 200  # 「内容を入力してください。」
    assert "内容を入力してください" in client.post(url, {"body": ""}).content.decode()
    assert client.post(url, {"body": "対応します"}).status_code == 302
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.ANSWERED


def test_an_action_item_is_escalated_from_the_task_list(four, client):
    meeting = meeting_in(days=-3, status=MeetingStatus.HELD)
    item = services.action_create(meeting=meeting, task="通学路の危険箇所", by=four["centre"],
                                  party=unit(f"{IKEJIRI}/shakyo"), person=four["shakyo"],
                                  due_date=timezone.localdate() + dt.timedelta(days=10))
    login(client, four["shakyo"])
    assert "上申する" in client.get(reverse("collaboration:tasks")).content.decode()
    url = reverse("collaboration:action_escalate", args=[item.pk])
    refused = client.post(url, {"to_section": "", "title": "", "body": ""})
    assert "上申先を" in refused.content.decode() and not Escalation.objects.exists()
    done = client.post(url, {"to_section": hoken().pk, "title": "通学路", "body": "支所へ"})
    assert done.status_code == 302
    assert Escalation.objects.get().action == item
    login(client, four["other"])
    assert client.get(url).status_code == 404
