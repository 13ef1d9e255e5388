"""Events of the 池尻 centre, their staff (an author and the centre's head), and the real
SMTP server and worker of the notification tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.core.dates import closed_reason
from madoguchi.organisation.models import District
from madoguchi.participation import services
from madoguchi.participation.models import EventKind
from tests.notifications.conftest import TOKYO, run_worker, smtp  # noqa: F401 (fixture)

IKEJIRI = "setagaya/ikejiri/machizukuri-center"
LINK = "http://testserver/events/cancel/"


@pytest.fixture
def author(make_staff):
    user = make_staff(Role.DISTRICT_STAFF, IKEJIRI, "ikejiri-author")
    return user


@pytest.fixture
def head(make_staff):
    """池尻's centre head (所長), who approves its events (ADR 0058)."""
    return make_staff(Role.CENTRE_HEAD, IKEJIRI, "ikejiri-head")


def ikejiri() -> District:
    return District.objects.get(code="ikejiri", region__code="setagaya")


KIND_NAMES = {"smartphone": "スマートフォン教室", "exercise": "体操講座", "bosai-juku": "防災塾",
              "workshop": "ワークショップ"}


def kind(code: str) -> EventKind:
    """A kind of the migration's list (a transactional test's flush removes the rows the
    migration seeded)."""
    return EventKind.objects.get_or_create(code=code, defaults={"name": KIND_NAMES[code]})[0]


def open_weeks_ahead(days: int = 14, weeks: int = 8) -> dt.date:
    """The first day ``days`` or more ahead from which a weekly series of ``weeks`` meets no
    holiday and no 年末年始: a test's series does not depend on the day it runs."""
    day = timezone.localdate() + dt.timedelta(days=days)
    while any(closed_reason(day + dt.timedelta(weeks=n)) for n in range(weeks)):
        day += dt.timedelta(days=1)
    return day


def event_data(**overrides) -> dict:
    soon = open_weeks_ahead()
    data = {
        "kind": kind("smartphone"),
        "title": "はじめてのスマートフォン教室", "description": "電話のかけ方から写真まで。",
        "description_easy": "スマホの つかいかたを ならいます。",
        "district": ikejiri(), "place": "池尻まちづくりセンター 2階 会議室",
        "first_date": soon, "starts_at": dt.time(10), "ends_at": dt.time(12),
        "capacity": 10, "registration_deadline": timezone.now() + dt.timedelta(days=7),
        "sign_language": True,
    }
    data.update(overrides)
    return data


def published(author, head, **overrides):
    event = services.event_create(by=author, data=event_data(**overrides))
    services.event_move(by=author, event=event, step="submit")
    return services.event_move(by=head, event=event, step="approve")


def enrol(event, n: int, *, people: int = 1, prefix: str = "p", **extra):
    return [services.register(event=event, name=f"参加者{i}", email=f"{prefix}{i}@mail.example.jp",
                              phone="", people=people, needs="", link_base=LINK, **extra)
            for i in range(n)]


__all__ = ["TOKYO", "run_worker", "smtp"]
