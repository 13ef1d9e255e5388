"""Life events at the counter: pick a resident among those the staff member may see, tick
procedures, and the drafts are made at once (prefilled from the record once) and filled in
one after another; 「次の手続きへ」 carries what was typed to the next draft."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from madoguchi.applications.models import DRAFT, Application
from madoguchi.applications.views.assist.steps import CHAIN
from madoguchi.audit.models import AuditEntry
from tests.applications.assist_helpers import complete_jido
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(catalogue, files_dir, centre_staff):
    common = {"by": centre_staff, "family_name": "田中", "family_name_kana": "タナカ",
              "address": "世田谷区池尻三丁目7番", "postal_code": "154-0001",
              "household_code": "IKJ-1"}
    head = ResidentFactory(**common, given_name="一郎", given_name_kana="イチロウ",
                           birth_date="1987-09-14", relationship="head",
                           phone="03-1111-2222")
    ResidentFactory(**common, given_name="陽太", given_name_kana="ヨウタ",
                    birth_date="2020-06-18", relationship="child")
    return head


def test_the_staff_life_event_page_links_to_the_assisted_chain(family, centre_client):
    page = centre_client.get(reverse("procedures:life_events_staff")).content.decode()
    assert reverse("assist:life_event", kwargs={"code": "shussei"}) in page


def test_a_chain_of_two_procedures(family, centre_client):
    event_url = reverse("assist:life_event", kwargs={"code": "shussei"})
    page = centre_client.get(event_url).content.decode()
    assert "児童手当の認定請求" in page and "保育" in page
    found = centre_client.post(event_url, {"step": "search", "q": "タナカ"}).content.decode()
    assert str(family.public_id) in found and "田中　一郎" in found

    response = centre_client.post(
        reverse("assist:chain_start", kwargs={"code": "shussei"}),
        {"resident": str(family.public_id),
         "procedure": ["jido-teate-nintei", "hoiku-riyo"]})
    jido, hoiku = Application.objects.filter(resident=family).order_by("pk")
    assert (jido.version.code, hoiku.version.code) == ("jido-teate-nintei", "hoiku-riyo")
    assert response.url == reverse("assist:form", kwargs={"public_id": jido.public_id})
    # Both prefilled from the record; the household read once for the chain.
    assert jido.answers["applicant"]["given"] == "一郎"
    assert [r["child"]["given"] for r in jido.answers["children"]] == ["陽太"]
    assert hoiku.answers["parent1"]["given"] == "一郎"
    assert hoiku.answers["phone"] == "03-1111-2222"
    assert AuditEntry.objects.filter(source="assist:chain_start", record_type="resident",
                                     action="list").count() == 1
    # The chain in the session: the drafts' public ids only.
    chain = centre_client.session[CHAIN]
    assert chain == [str(jido.public_id), str(hoiku.public_id)]
    assert all(uuid.UUID(item) for item in chain)

    jido = complete_jido(centre_client, jido, phone="090-5555-6666")
    assert jido.reference
    receipt = centre_client.get(reverse("assist:receipt", kwargs={"public_id": jido.public_id}))
    assert "次の手続きへ" in receipt.content.decode()

    response = centre_client.post(reverse("assist:chain_next"))
    assert response.url == reverse("assist:form", kwargs={"public_id": hoiku.public_id})
    hoiku.refresh_from_db()
    assert hoiku.status == DRAFT
    assert hoiku.answers["phone"] == "090-5555-6666"  # typed in the earlier draft
    assert hoiku.answers["parent1"]["given"] == "一郎"  # the record's, unchanged
    assert "confirm" not in hoiku.answers

    # When nothing is left, the chain ends.
    hoiku.delete()
    done = centre_client.post(reverse("assist:chain_next"))
    assert done.url == reverse("assist:index")
    assert CHAIN not in centre_client.session


def test_a_chain_needs_a_resident_and_a_procedure(family, centre_client):
    start = reverse("assist:chain_start", kwargs={"code": "shussei"})
    assert centre_client.post(start, {"procedure": "hoiku-riyo"}).status_code == 302
    assert centre_client.post(start, {"resident": str(family.public_id)}).status_code == 302
    assert not Application.objects.exists()


def test_a_chain_for_a_resident_out_of_sight_is_refused(family, centre_client, make_staff):
    from madoguchi.accounts.models import Role

    matsubara = make_staff(Role.DISTRICT_STAFF, "kitazawa/matsubara/machizukuri-center")
    neighbour = ResidentFactory(by=matsubara, matsubara=True)
    response = centre_client.post(
        reverse("assist:chain_start", kwargs={"code": "shussei"}),
        {"resident": str(neighbour.public_id), "procedure": ["hoiku-riyo"]})
    assert response.status_code == 404
    found = centre_client.post(reverse("assist:life_event", kwargs={"code": "shussei"}),
                               {"step": "search", "q": neighbour.family_name_kana})
    assert str(neighbour.public_id) not in found.content.decode()
    assert not Application.objects.exists()
