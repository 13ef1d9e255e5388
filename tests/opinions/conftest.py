"""A ward-wide public comment run by the 池尻 centre's staff, open from a week ago to a
week ahead (or closed yesterday), files in a temporary folder."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.opinions import services
from madoguchi.opinions.models import Channel
from madoguchi.organisation.models import District

IKEJIRI = "setagaya/ikejiri/machizukuri-center"


@pytest.fixture
def clerk(make_staff):
    return make_staff(Role.DISTRICT_STAFF, IKEJIRI, "ikejiri-clerk")


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.FILES_DIR = tmp_path / "files"
    settings.CLAMD_ADDRESS = ""


def ikejiri() -> District:
    return District.objects.get(code="ikejiri", region__code="setagaya")


def consultation_data(**overrides) -> dict:
    today = timezone.localdate()
    data = {"title": "地域行政推進計画（素案）", "summary": "地区の行政のこれからについて。",
            "send_to": "〒154-8504 世田谷区世田谷4-21-27 地域行政課\nFAX 03-5432-3001",
            "district": None, "starts_on": today - dt.timedelta(days=7),
            "ends_on": today + dt.timedelta(days=7)}
    data.update(overrides)
    return data


def open_consultation(by, **overrides):
    consultation = services.consultation_create(by=by, data=consultation_data(**overrides))
    return services.consultation_open(by=by, consultation=consultation)


def send(consultation, text="意見です。", **kwargs):
    kwargs.setdefault("channel", Channel.WEB)
    return services.opinion_submit(consultation=consultation, submission_key=uuid.uuid4(),
                                   text=text, **kwargs)


def close(consultation, days_ago: int = 1) -> None:
    """Move the period so that it ended ``days_ago`` days ago."""
    today = timezone.localdate()
    type(consultation).objects.filter(pk=consultation.pk).update(
        starts_on=today - dt.timedelta(days=30), ends_on=today - dt.timedelta(days=days_ago))
    consultation.refresh_from_db()
