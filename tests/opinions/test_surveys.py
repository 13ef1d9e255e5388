"""Plain surveys on the form engine: a YAML definition checked by its parser, answers
without login (idempotent), refused outside the period, results as SVG charts and CSV."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from madoguchi.opinions import services
from madoguchi.opinions.models import Response, Survey
from tests.helpers import login

pytestmark = pytest.mark.django_db

FORM = """
sections:
  - title: スマートフォン教室について
    fields:
      - name: satisfied
        type: radio
        label: 満足度
        required: true
        choices:
          - {value: "5", label: とても満足}
          - {value: "4", label: 満足}
          - {value: "3", label: ふつう}
          - {value: "2", label: 不満}
          - {value: "1", label: とても不満}
      - name: topics
        type: multiselect
        label: 次に学びたいこと
        choices: [{value: line, label: LINE}, {value: photo, label: 写真}]
      - name: comment
        type: textarea
        label: ご感想
"""


def make(client, clerk, **overrides) -> Survey:
    today = timezone.localdate()
    data = {"title": "スマホ教室アンケート", "description": "", "district": "",
            "starts_on": (today - dt.timedelta(days=1)).isoformat(),
            "ends_on": (today + dt.timedelta(days=10)).isoformat(), "form": FORM, **overrides}
    response = client.post(reverse("opinions:survey_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Survey.objects.get()


def answer(client, survey, key=None, **values):
    data = {"q-satisfied": "5", "q-comment": "楽しかった", "submission_key": key or
            str(uuid.uuid4()), **values}
    return client.post(reverse("pubcom:survey", kwargs={"survey": survey.public_id}), data)


def test_a_survey_is_answered_without_login_and_shown_as_charts_and_csv(clerk, client):
    login(client, clerk)
    survey = make(client, clerk)
    resident = client.__class__()
    page = resident.get(reverse("pubcom:survey", kwargs={"survey": survey.public_id}))
    assert "満足度" in page.content.decode()
    key = str(uuid.uuid4())
    assert answer(resident, survey, key=key, **{"q-topics": ["line", "photo"]}
                  ).status_code == 200
    assert answer(resident, survey, key=key).status_code == 200  # the same form again
    assert answer(resident, survey, **{"q-satisfied": "3", "q-comment": ""}).status_code == 200
    assert Response.objects.count() == 2
    missing = answer(resident, survey, **{"q-satisfied": ""})
    assert missing.status_code == 400 and Response.objects.count() == 2
    results = client.get(reverse("opinions:survey", kwargs={"survey": survey.public_id}))
    shown = results.content.decode()
    assert shown.count("<svg") == 2 and "とても満足 1" in shown and "楽しかった" in shown
    csv_text = client.get(reverse("opinions:survey_csv", kwargs={"survey": survey.public_id})
                          ).content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("回答番号,回答日時,満足度,次に学びたいこと,ご感想")
    assert "とても満足,LINE・写真,楽しかった" in lines[1] and len(lines) == 3


def test_a_survey_outside_its_period_takes_no_answers(clerk, client):
    login(client, clerk)
    today = timezone.localdate()
    survey = make(client, clerk, starts_on=(today - dt.timedelta(days=9)).isoformat(),
                  ends_on=(today - dt.timedelta(days=1)).isoformat())
    assert "受け付けていません" in client.get(
        reverse("pubcom:survey", kwargs={"survey": survey.public_id})).content.decode()
    with pytest.raises(services.OpinionsError, match="受付期間は令和"):
        services.survey_answer(survey=survey, submission_key=uuid.uuid4(),
                               data={"satisfied": "5"})
    assert answer(client, survey).status_code == 400 and not Response.objects.exists()


def test_a_broken_definition_is_refused_with_its_problems(clerk, client):
    login(client, clerk)
    today = timezone.localdate().isoformat()
    response = client.post(reverse("opinions:survey_create"), {
        "title": "x", "starts_on": today, "ends_on": today,
        "form": "sections:\n  - title: a\n    fields:\n      - {name: q, type: nosuch, label: b}"})
    assert response.status_code == 400 and not Survey.objects.exists()
    assert "nosuch" in response.content.decode()
