"""Four parties of 池尻 (centre staff and its head, あんしん, 社協, 児童館), a 太子堂 partner
and 太子堂's centre head, the 世田谷 branch's 保健福祉課 and the head office's 課税課."""

from __future__ import annotations

import pytest

from madoguchi.accounts.models import Role
from madoguchi.collaboration import services
from madoguchi.collaboration.models import Theme
from madoguchi.organisation.models import District, Section

IKEJIRI = "setagaya/ikejiri"


def ensure_defaults() -> None:
    """The themes and the first standard form that migration 0002 seeds: a transactional
    test before this one flushed them (the migration does not run again)."""
    import importlib

    from django.apps import apps

    importlib.import_module(
        "madoguchi.collaboration.migrations.0002_append_only_and_seed").seed(apps, None)


@pytest.fixture
def four(make_staff):
    ensure_defaults()
    centre = make_staff(Role.DISTRICT_STAFF, f"{IKEJIRI}/machizukuri-center", "centre")
    head = make_staff(Role.CENTRE_HEAD, f"{IKEJIRI}/machizukuri-center", "head")
    return {
        "centre": centre, "head": head,
        "taishido_head": make_staff(Role.CENTRE_HEAD, "setagaya/taishido/machizukuri-center",
                                    "taishido-head"),
        "anshin": make_staff(Role.PARTNER_STAFF, f"{IKEJIRI}/anshin", "anshin"),
        "shakyo": make_staff(Role.PARTNER_STAFF, f"{IKEJIRI}/shakyo", "shakyo"),
        "jidokan": make_staff(Role.PARTNER_STAFF, f"{IKEJIRI}/jidokan", "jidokan"),
        "other": make_staff(Role.PARTNER_STAFF, "setagaya/taishido/anshin", "taishido"),
        "branch": make_staff(Role.SECTION_STAFF, "setagaya/hoken-fukushi", "branch"),
        "branch2": make_staff(Role.SECTION_MANAGER, "setagaya/chiiki-shinko", "branch2"),
        "kitazawa": make_staff(Role.SECTION_STAFF, "kitazawa/hoken-fukushi", "kitazawa"),
        "kazei": make_staff(Role.SECTION_STAFF, "kazei", "kazei"),
    }


def unit(code: str) -> Section:
    return Section.objects.select_related("kind").get(code=code)


def record_input(**changes) -> services.RecordInput:
    data = {
        "party": unit(f"{IKEJIRI}/jidokan"), "theme": Theme.objects.get(code="children"),
        "title": "放課後に一人で過ごす子が増えている",
        "noticed": "夕方まで児童館の前で待っている小学生が数人いる。",
        "age_band": "child", "household": "family",
    }
    data.update(changes)
    return services.RecordInput(**data)


@pytest.fixture
def make_record(four):
    def make(by=None, **changes):
        return services.record_create(by=by or four["jidokan"], data=record_input(**changes),
                                      source="tests")
    return make


from tests.notifications.conftest import smtp  # noqa: E402,F401 (a real SMTP server)


def meeting_in(district_code: str = "ikejiri", *, days: int = 7, **extra):
    import datetime as dt

    from django.utils import timezone

    from madoguchi.collaboration.models import Meeting

    return Meeting.objects.create(district=District.objects.get(code=district_code),
                                  mode="in_person", place="池尻まちづくりセンター 会議室",
                                  starts_at=timezone.now() + dt.timedelta(days=days), **extra)
