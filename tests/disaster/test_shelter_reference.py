"""The ward's real 指定避難所 (GSI list): loading, unknown district and capacity, staff edits."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from madoguchi.accounts.models import Role
from madoguchi.disaster import services
from madoguchi.disaster.models import Shelter, ShelterLog, ShelterStatus
from madoguchi.disaster.selectors.shelters import shelters_for
from madoguchi.disaster.services.shelter_reference import read_rows
from madoguchi.organisation.models import District
from tests.helpers import login

pytestmark = pytest.mark.django_db

IKEJIRI = "setagaya/ikejiri/machizukuri-center"
NO_DISTRICT = "E1311200005111"  # 九品仏小学校: no source decides its district


@pytest.fixture
def rows(setagaya):
    return read_rows()


@pytest.fixture
def admin(make_staff):
    return make_staff(Role.WARD_ADMIN)


@pytest.fixture
def centre(make_staff):
    return make_staff(Role.DISTRICT_STAFF, IKEJIRI)


def _ikejiri_shelter() -> Shelter:
    return Shelter.objects.filter(district__code="ikejiri", gsi_id__gt="").order_by("pk")[0]


def test_loading_twice_changes_nothing_and_keeps_what_staff_set(rows, admin):
    first = services.shelters_load_reference(rows=rows)
    assert (first.created, first.updated) == (95, 0)
    assert Shelter.objects.filter(district__isnull=False).count() == 51
    assert not Shelter.objects.filter(capacity__isnull=False).exists()
    kuhonbutsu = Shelter.objects.get(gsi_id=NO_DISTRICT)
    assert kuhonbutsu.code == NO_DISTRICT.lower() and kuhonbutsu.district is None
    assert str(kuhonbutsu.lat) == "35.603246" and "国土地理院" in kuhonbutsu.source
    assert "ward_okusawa_page" in Shelter.objects.get(gsi_id="E1311200002111").source

    ikejiri = _ikejiri_shelter()
    other = District.objects.get(code="shimouma")
    services.shelter_edit(by=admin, shelter=kuhonbutsu,
                          values={"district": str(other.pk), "capacity": "450"})
    services.shelter_edit(by=admin, shelter=ikejiri, values={"district": str(other.pk)})
    services.shelter_set_status(by=admin, shelter=ikejiri, status=ShelterStatus.OPENING)
    # The file gives 池尻 for this one; staff's correction stays, and the load says so.
    again = services.shelters_load_reference(rows=rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 95)
    assert again.kept == [f"{ikejiri.gsi_id} district"]
    kuhonbutsu.refresh_from_db()
    ikejiri.refresh_from_db()
    assert (kuhonbutsu.district, kuhonbutsu.capacity) == (other, 450)
    assert ikejiri.district == other and ikejiri.status == ShelterStatus.OPENING


@pytest.mark.parametrize("column, value, message", [
    ("lat", "139.68", "line 3: lat 139.68 is outside Setagaya"),
    ("lon", "東経", "line 3: lon '東経' is not a number"),
    ("district", "atlantis", "line 3: unknown district tamagawa/atlantis"),
])
def test_a_bad_row_loads_nothing(rows, column, value, message):
    rows[1][column] = value
    with pytest.raises(ValidationError) as caught:
        services.shelters_load_reference(rows=rows)
    assert caught.value.messages[0].startswith(message)
    assert not Shelter.objects.exists()


def test_the_command_loads_the_package_file(setagaya, capsys):
    call_command("load_shelters")
    assert "95 created" in capsys.readouterr().out
    assert Shelter.objects.count() == 95


def test_unknown_capacity_on_the_public_page_and_feed(rows, admin):
    services.shelters_load_reference(rows=rows)
    unknown = Shelter.objects.get(gsi_id=NO_DISTRICT)
    known = _ikejiri_shelter()
    services.shelter_edit(by=admin, shelter=known, values={"capacity": "300"})
    full = Shelter.objects.filter(district=known.district).exclude(pk=known.pk)[0]
    no_capacity = Shelter.objects.filter(district=known.district).exclude(
        pk__in=[known.pk, full.pk])[0]
    for shelter in (unknown, known, full, no_capacity):
        for status in (ShelterStatus.OPENING, ShelterStatus.OPEN):
            shelter = services.shelter_set_status(by=admin, shelter=shelter, status=status)
    services.shelter_set_status(by=admin, shelter=full, status=ShelterStatus.FULL)
    assert services.shelter_report(by=admin, shelter=unknown, counts={"general": "900"}) == []

    text = Client().get(reverse("disaster:open_shelters")).content.decode()
    assert "収容人数：未登録" in text and "空き約300人/300人" in text
    assert text.index("<h2>地区未確認</h2>") > text.index("<h2>池尻</h2>")
    client = Client()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("disaster:open_shelters")).content.decode()
    assert "Capacity not yet registered" in english

    data = Client().get(reverse("disaster:open_shelters_json")).json()["shelters"]
    assert [s["code"] for s in data] == [known.code, no_capacity.code, full.code, unknown.code]
    last = data[-1]
    assert (last["capacity"], last["left"], last["occupied"], last["district"]) == (
        None, None, 900, None)
    assert last["lat"] == pytest.approx(35.603246)


def test_staff_edit_permissions_and_validation(rows, admin, centre, make_staff):
    services.shelters_load_reference(rows=rows)
    shelter = _ikejiri_shelter()
    url = reverse("disaster:shelter_edit", args=[shelter.code])
    page = login(Client(), centre).get(url).content.decode()
    assert 'name="capacity"' in page and 'name="district"' not in page
    assert services.shelter_edit(by=centre, shelter=shelter, values={"capacity": "250"}) == [
        "capacity"]
    with pytest.raises(PermissionDenied):
        services.shelter_edit(by=centre, shelter=shelter, values={"district": ""})
    other = make_staff(Role.DISTRICT_STAFF, "setagaya/shimouma/machizukuri-center")
    assert login(Client(), other).post(url, {"capacity": "1"}).status_code == 404

    client = login(Client(), admin)
    bad = client.post(url, {"capacity": "-5", "pets": "no"})
    assert bad.status_code == 422
    assert "収容人数は0以上の半角数字で入力してください" in bad.content.decode()
    response = client.post(url, {"capacity": "", "district": "", "pets": "separate",
                                 "step_free": ["0", "1"], "accessible_toilet": "0"})
    assert response.status_code == 302
    shelter.refresh_from_db()
    assert (shelter.capacity, shelter.district, shelter.pets, shelter.step_free) == (
        None, None, "separate", True)
    logs = list(ShelterLog.objects.filter(shelter=shelter, kind=ShelterLog.Kind.EDIT)
                .order_by("pk").values_list("by", "data"))
    assert logs[0] == (centre.pk, {"changed": {"capacity": [None, 250]}})
    assert logs[1][0] == admin.pk and logs[1][1]["changed"]["capacity"] == [250, None]


def test_a_shelter_without_district_is_run_by_ward_administrators_only(rows, admin, centre):
    services.shelters_load_reference(rows=rows)
    shelter = Shelter.objects.get(gsi_id=NO_DISTRICT)
    assert shelter not in shelters_for(user=centre) and shelter in shelters_for(user=admin)
    with pytest.raises(PermissionDenied):
        services.shelter_set_status(by=centre, shelter=shelter, status=ShelterStatus.OPENING)
    assert login(Client(), centre).get(
        reverse("disaster:shelter_operate", args=[shelter.code])).status_code == 404
    page = login(Client(), admin).get(reverse("disaster:shelter_operate", args=[shelter.code]))
    assert "地区未確認" in page.content.decode() and "収容人数：未登録" in page.content.decode()
