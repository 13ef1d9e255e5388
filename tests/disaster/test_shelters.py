"""Shelters: the opening workflow, occupancy reports with bad input, the public page and feed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from madoguchi.accounts.models import Role
from madoguchi.disaster import services
from madoguchi.disaster.demo import SOURCE, load_demo_shelters
from madoguchi.disaster.models import Occupancy, Shelter, ShelterLog, ShelterStatus
from madoguchi.organisation.models import District
from tests.helpers import login

pytestmark = pytest.mark.django_db

IKEJIRI = "setagaya/ikejiri/machizukuri-center"


@pytest.fixture
def shelter(setagaya):
    return load_demo_shelters(districts=District.objects.filter(code="ikejiri"))[0]


@pytest.fixture
def centre(make_staff):
    return make_staff(Role.DISTRICT_STAFF, IKEJIRI)


def _open(shelter, by):
    for status in (ShelterStatus.OPENING, ShelterStatus.OPEN):
        shelter = services.shelter_set_status(by=by, shelter=shelter, status=status)
    return shelter


def test_demo_shelters_are_labelled_as_demo(shelter):
    assert shelter.source == SOURCE
    assert "デモ" in shelter.name and "実在しない" in shelter.address


def test_the_whole_opening_cycle_is_logged(shelter, centre):
    steps = [ShelterStatus.OPENING, ShelterStatus.OPEN, ShelterStatus.FULL,
             ShelterStatus.OPEN, ShelterStatus.RECLOSED, ShelterStatus.OPENING]
    for status in steps:
        shelter = services.shelter_set_status(by=centre, shelter=shelter, status=status)
    assert shelter.status == ShelterStatus.OPENING
    log = list(ShelterLog.objects.filter(shelter=shelter).order_by("pk")
               .values_list("from_status", "to_status", "by"))
    assert [row[1] for row in log] == [str(s) for s in steps]
    assert log[0][0] == ShelterStatus.CLOSED and {row[2] for row in log} == {centre.pk}


def test_a_transition_the_workflow_does_not_allow_is_refused_in_japanese(shelter, centre):
    with pytest.raises(ValidationError) as caught:
        services.shelter_set_status(by=centre, shelter=shelter, status=ShelterStatus.FULL)
    assert "「未開設」から「満員」には変更できません" in caught.value.message_dict["status"][0]
    with pytest.raises(ValidationError):
        services.shelter_set_status(by=centre, shelter=shelter, status="burning")
    shelter.refresh_from_db()
    assert shelter.status == ShelterStatus.CLOSED and not ShelterLog.objects.exists()


def test_staff_of_another_district_may_not_operate(shelter, make_staff):
    other = make_staff(Role.DISTRICT_STAFF, "setagaya/shimouma/machizukuri-center")
    with pytest.raises(PermissionDenied):
        services.shelter_set_status(by=other, shelter=shelter, status=ShelterStatus.OPENING)
    client = login(Client(), other)
    assert client.get(reverse("disaster:shelter_operate", args=[shelter.code])).status_code == 404
    assert not ShelterLog.objects.exists()


def test_occupancy_above_capacity_is_saved_with_a_warning(shelter, centre):
    shelter = _open(shelter, centre)
    warnings = services.shelter_report(by=centre, shelter=shelter,
                                       counts={"general": "590", "elderly": "30"},
                                       needs=["water", "blankets"], needs_note="補聴器の電池")
    assert len(warnings) == 1 and "620人" in warnings[0] and "600人" in warnings[0]
    assert dict(Occupancy.objects.values_list("category", "count")) == {
        "general": 590, "elderly": 30}
    shelter.refresh_from_db()
    assert shelter.needs == ["water", "blankets"] and shelter.needs_note == "補聴器の電池"


@pytest.mark.parametrize("counts, needs, field, message", [
    ({"general": "十"}, [], "count_general", "一般の人数は半角数字で入力してください。"),
    ({"elderly": "-3"}, [], "count_elderly", "高齢者の人数は0から10,000までで入力してください。"),
    ({"general": "5", "cats": "2"}, [], "counts", "区分を一覧から選んでください。"),
    ({"general": "5"}, ["gold"], "needs", "不足している物資を一覧から選んでください。"),
])
def test_bad_report_saves_nothing(shelter, centre, counts, needs, field, message):
    shelter = _open(shelter, centre)
    services.shelter_report(by=centre, shelter=shelter, counts={"general": "10"})
    before = ShelterLog.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.shelter_report(by=centre, shelter=shelter, counts=counts, needs=needs)
    assert caught.value.message_dict[field] == [message]
    assert dict(Occupancy.objects.values_list("category", "count")) == {"general": 10}
    assert ShelterLog.objects.count() == before


def test_a_closed_shelter_takes_no_report(shelter, centre):
    with pytest.raises(ValidationError) as caught:
        services.shelter_report(by=centre, shelter=shelter, counts={"general": "3"})
    assert "開設していない避難所" in caught.value.messages[0]
    assert not Occupancy.objects.exists()


def test_phone_page_changes_status_and_reports(shelter, centre):
    client = login(Client(), centre)
    url = reverse("disaster:shelter_operate", args=[shelter.code])
    page = client.get(url)
    assert "「開設準備中」にする" in page.content.decode()
    client.post(url, {"status": "opening"})
    client.post(url, {"status": "open"})
    response = client.post(url, {"count_general": "700", "needs": ["water"]}, follow=True)
    text = response.content.decode()
    assert "人数と不足物資を報告しました。" in text and "収容人数（600人）を超えています" in text
    bad = client.post(url, {"count_general": "abc"})
    assert bad.status_code == 422
    assert "一般の人数は半角数字で入力してください。" in bad.content.decode()
    assert Occupancy.objects.get(category="general").count == 700


def _ward_of_open_shelters(by) -> None:
    for s in load_demo_shelters():
        _open(s, by)
    # Up to the ward's 94 designated shelters and more: the page must stay small.
    district = District.objects.first()
    for n in range(40):
        s = Shelter.objects.create(code=f"extra-{n}", name=f"デモ追加避難所{n}（中学校）",
                                   address="（デモ：実在しない住所）", district=district,
                                   capacity=500, source=SOURCE)
        _open(s, by)
    assert Shelter.objects.count() >= 94


def test_public_page_is_small_has_no_script_and_lists_room_left(shelter, make_staff,
                                                                django_assert_max_num_queries):
    admin = make_staff(Role.WARD_ADMIN)
    _ward_of_open_shelters(admin)
    first = Shelter.objects.get(code=shelter.code)
    services.shelter_report(by=admin, shelter=first, counts={"general": "250"})
    services.shelter_set_status(by=admin, shelter=Shelter.objects.get(code="extra-0"),
                                status=ShelterStatus.RECLOSED)
    with django_assert_max_num_queries(3):
        response = Client().get(reverse("disaster:open_shelters"))
    body = response.content
    assert response.status_code == 200
    assert len(body) <= 30 * 1024, f"{len(body)} bytes"
    text = body.decode()
    assert "<script" not in text.lower()
    assert "空き約350人/600人" in text
    assert "デモ追加避難所0（" not in text  # closed again
    assert text.count("<li>") == Shelter.objects.filter(status="open").count()


def test_json_feed_lists_open_shelters_with_capacity_left(shelter, centre):
    _open(shelter, centre)
    services.shelter_report(by=centre, shelter=shelter, counts={"general": "100",
                                                                "infant": "5"},
                            needs=["milk"])
    data = Client().get(reverse("disaster:open_shelters_json")).json()
    assert [s["code"] for s in data["shelters"]] == [shelter.code]
    row = data["shelters"][0]
    assert (row["capacity"], row["occupied"], row["left"], row["needs"]) == (600, 105, 495,
                                                                            ["milk"])
    assert row["status"] == "open" and row["step_free"] is True
