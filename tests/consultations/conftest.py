"""A consultation world: the ward's routing table and online services, staff around the
池尻 centre and the 世田谷 branch office, and residents with and without consent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.consultations import services
from madoguchi.consultations.setup import load_consultation_setup
from madoguchi.core import dates
from madoguchi.people import services as people_services
from madoguchi.people.models import ConsentPurpose
from madoguchi.scheduling.selectors import find_slots

IKEJIRI = "setagaya/ikejiri/machizukuri-center"
TAISHIDO = "setagaya/taishido/machizukuri-center"
MATSUBARA = "kitazawa/matsubara/machizukuri-center"
HOKEN = "setagaya/hoken-fukushi"


@pytest.fixture(autouse=True)
def consultation_setup(setagaya):
    load_consultation_setup()


@pytest.fixture
def staff(make_staff):
    return {
        "centre": make_staff(Role.DISTRICT_STAFF, IKEJIRI, "ikejiri-centre"),
        "taishido": make_staff(Role.DISTRICT_STAFF, TAISHIDO, "taishido-centre"),
        "matsubara": make_staff(Role.DISTRICT_STAFF, MATSUBARA, "matsubara-centre"),
        "hoken": make_staff(Role.SECTION_STAFF, HOKEN, "hoken-1"),
        "hoken2": make_staff(Role.SECTION_STAFF, HOKEN, "hoken-2"),
        "manager": make_staff(Role.SECTION_MANAGER, HOKEN, "hoken-kacho"),
        "kitazawa_hoken": make_staff(Role.SECTION_STAFF, "kitazawa/hoken-fukushi",
                                     "kitazawa-hoken"),
        "seikatsu": make_staff(Role.SECTION_STAFF, "setagaya/seikatsu-shien", "seikatsu-1"),
        "kazei": make_staff(Role.SECTION_STAFF, "kazei", "kazei-1"),
        "anshin": make_staff(Role.PARTNER_STAFF, "setagaya/ikejiri/anshin", "anshin-1"),
        "jidokan": make_staff(Role.PARTNER_STAFF, "setagaya/ikejiri/jidokan", "jidokan-1"),
        "port": make_staff(Role.PARTNER_STAFF, "port", "port-1"),
        "admin": make_staff(Role.WARD_ADMIN, None, "admin-1"),
        "auditor": make_staff(Role.AUDITOR, None, "auditor-1"),
    }


def resident_data(**overrides):
    data = {"family_name": "山田", "given_name": "太郎", "family_name_kana": "ヤマダ",
            "given_name_kana": "タロウ", "birth_date": "1948-04-12",
            "address": "世田谷区池尻二丁目1番（テスト）", "region": "setagaya",
            "district": "ikejiri"}
    data.update(overrides)
    return data


@pytest.fixture
def make_resident(staff):
    counter = iter(range(1, 1000))

    def make(*, consent: bool = True, by=None, **overrides):
        n = next(counter)
        overrides.setdefault("given_name_kana", f"タロウ{'ア' * n}")
        resident = people_services.resident_create(by=by or staff["centre"], source="tests",
                                                   data=resident_data(**overrides))
        if consent:
            for purpose in (ConsentPurpose.ONLINE_CONSULTATION,
                            ConsentPurpose.SHARE_WITH_SECTION):
                people_services.consent_give(by=by or staff["centre"], resident=resident,
                                             purpose=purpose, method="oral", source="tests")
        return resident

    return make


@pytest.fixture
def resident(make_resident):
    return make_resident(needs_wheelchair=True)


INTAKE = {"worry": "母の介護のことで相談したい。", "category": "elderly", "urgency": "soon",
          "documents": "介護保険の通知"}


@pytest.fixture
def intake(staff):
    def make(resident, *, by=None, **data):
        payload = {**INTAKE, **data}
        return services.consultation_intake(by=by or staff["centre"], resident=resident,
                                            data=payload, source="tests")

    return make


@pytest.fixture
def routed(intake, resident, staff):
    """A consultation for a 池尻 resident, routed to 世田谷 保健福祉課 as proposed."""
    consultation = intake(resident)
    return services.consultation_route(by=staff["centre"], consultation=consultation,
                                       section=consultation.proposed_section, reason="",
                                       source="tests")


def first_slot(consultation, **kwargs):
    slots = find_slots(section=consultation.section, centre=consultation.centre, limit=1,
                       **kwargs)
    assert slots, "no free slot in the test world"
    return slots[0]


@pytest.fixture
def booked(routed, staff):
    slot = first_slot(routed)
    return services.consultation_book(by=staff["centre"], consultation=routed,
                                      start=slot.start, source="tests")


def next_closed_weekday() -> tuple[dt.datetime, str]:
    day = timezone.localdate() + dt.timedelta(days=2)
    for _ in range(400):
        reason = dates.closed_reason(day)
        if reason and day.weekday() < 5:
            return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0))), reason
        day += dt.timedelta(days=1)
    raise AssertionError("no closed weekday within a year")


def next_open_day(after_days: int = 3) -> dt.date:
    return dates.next_open_day(timezone.localdate() + dt.timedelta(days=after_days))
