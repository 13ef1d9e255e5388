"""A worry about caring for a living parent goes to the elderly-care counters first, not to
an answer about a deceased parent's premium; a proposed unit that does not consult online
at the centre comes with the best one that does; related procedures link to their pages."""

from __future__ import annotations

import pytest
from django.test import Client

from madoguchi.accounts.models import Role
from madoguchi.consultations import services
from madoguchi.guidance import conditions
from madoguchi.guidance.selectors import guide
from madoguchi.organisation.models import District
from madoguchi.people import services as people_services
from madoguchi.procedures.models import Procedure

pytestmark = pytest.mark.django_db

CARE = ("anshin", "hoken-fukushi")


def ikejiri() -> District:
    return District.objects.get(region__code="setagaya", code="ikejiri")


def test_living_care_worries_go_to_the_care_counters_first(seed_kb):
    for worry in ("母の介護が心配", "父の介護が心配です", "親の介護について相談したい"):
        result = guide(worry, district=ikejiri())
        assert result.sections[0].kind.code in CARE, [h.kind.code for h in result.sections]
        assert not any(c.named_in(result.faqs[0].entry.question)
                       for c in conditions.conditions()), result.faqs[0].entry.question
    # A question about a death still finds the answers about it.
    result = guide("亡くなった母の介護保険料はどうなりますか", district=ikejiri())
    assert result.faqs[0].entry.code == "kaigo-hokenryo-shibo"
    assert result.sections[0].kind.code == "kaigo-hoken"


def test_a_partner_not_online_here_comes_with_the_best_unit_that_is(seed_kb, make_staff):
    centre = make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center", "ikejiri")
    resident = people_services.resident_create(by=centre, source="tests", data={
        "family_name": "山田", "given_name": "花子", "family_name_kana": "ヤマダ",
        "given_name_kana": "ハナコ", "birth_date": "1950-01-20",
        "address": "世田谷区池尻二丁目1番（テスト）", "region": "setagaya",
        "district": "ikejiri"})
    consultation = services.consultation_intake(
        by=centre, resident=resident, source="tests",
        data={"worry": "母が認知症かもしれない", "category": "elderly", "urgency": "normal"})
    assert consultation.proposed_section.code == "setagaya/ikejiri/anshin"
    assert consultation.proposed_online_section.code == "setagaya/hoken-fukushi"

    client = Client()
    client.force_login(centre)
    page = client.get(f"/consultations/{consultation.public_id}/route/").content.decode()
    assert "オンライン相談ができる提案先：世田谷総合支所 保健福祉課" in page
    assert 'value="setagaya/hoken-fukushi" selected' in page

    # A proposal that consults online here needs no second one.
    online = services.consultation_intake(
        by=centre, resident=resident, source="tests",
        data={"worry": "親の介護保険のサービスを使うための要介護認定を申請したい",
              "category": "elderly", "urgency": "normal"})
    assert online.proposed_section.code == "setagaya/hoken-fukushi"
    assert online.proposed_online_section is None


def test_related_procedures_link_to_their_pages(seed_kb):
    from django.core.management import call_command

    call_command("load_procedures", verbosity=0)
    assert Procedure.objects.filter(code="kaigo-nintei", current__isnull=False).exists()
    page = Client().post("/guide/", {"q": "親の介護が必要になってきました",
                                     "district": "setagaya/ikejiri"}).content.decode()
    assert '<a href="/procedures/kaigo-nintei/">' in page
