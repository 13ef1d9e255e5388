"""The guidance engine proposes the section at consultation intake when it is confident,
and leaves the routing table to answer otherwise. Nothing of the worry is logged."""

from __future__ import annotations

import pytest

from madoguchi.accounts.models import Role
from madoguchi.consultations import routing, services
from madoguchi.guidance.models import QueryLog
from madoguchi.guidance.proposer import guidance_proposal
from madoguchi.people import services as people_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(small_kb, make_staff):
    centre = make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center", "ikejiri")
    resident = people_services.resident_create(by=centre, source="tests", data={
        "family_name": "山田", "given_name": "花子", "family_name_kana": "ヤマダ",
        "given_name_kana": "ハナコ", "birth_date": "1960-01-20",
        "address": "世田谷区池尻二丁目1番（テスト）", "region": "setagaya",
        "district": "ikejiri"})
    resident.staff = centre
    return resident


def intake(resident, worry: str, category: str = "other"):
    return services.consultation_intake(by=resident.staff, resident=resident, source="tests",
                                        data={"worry": worry, "category": category,
                                              "urgency": "normal", "documents": ""})


def test_the_engine_is_registered_as_a_proposer():
    assert guidance_proposal in routing._proposers


def test_a_clear_worry_is_routed_by_the_engine_with_its_reason(resident):
    consultation = intake(resident, "会社を辞めたので国民健康保険に加入したい", category="other")
    assert consultation.proposed_section.code == "kokuho-nenkin"
    assert consultation.proposal_basis.startswith("案内の知識ベースによる提案")
    assert "国民健康保険" in consultation.proposal_basis


def test_branch_kinds_resolve_to_the_residents_region(resident):
    consultation = intake(resident, "親の介護保険のサービスを使うための要介護認定を申請したい")
    assert consultation.proposed_section.code == "setagaya/hoken-fukushi"


def test_a_vague_worry_falls_back_to_the_routing_table(resident):
    consultation = intake(resident, "いろいろ困っていて話を聞いてほしい", category="elderly")
    assert not consultation.proposal_basis.startswith("案内の知識ベース")
    assert "回付の規則" in consultation.proposal_basis


def test_the_worry_is_never_logged(resident):
    intake(resident, "山田花子 090-1111-2222 量子コンピュータのこと")
    assert not QueryLog.objects.exists()
