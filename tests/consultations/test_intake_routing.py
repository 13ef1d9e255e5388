"""Intake at the centre, the routing proposal, overrides with a reason, online sections."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from madoguchi.accounts.policy import Action, can
from madoguchi.audit.models import AuditEntry
from madoguchi.consultations import routing, services
from madoguchi.consultations.models import (
    Category,
    ConsultationEvent,
    OnlineService,
    RoutingRule,
    StatEvent,
    Status,
)
from madoguchi.consultations.setup import DEFAULT_RULES
from madoguchi.organisation.models import Section, SectionKind
from madoguchi.people.models import Consent, ConsentPurpose

pytestmark = pytest.mark.django_db


def test_intake_records_the_worry_needs_and_proposal(intake, resident, staff):
    consultation = intake(resident)
    assert consultation.status == Status.RECEIVED
    assert consultation.centre.district.key == "setagaya/ikejiri"
    assert consultation.needs_wheelchair and consultation.needs == ["車いすを使用"]
    assert consultation.proposed_section.code == "setagaya/hoken-fukushi"
    assert "高齢者の介護・福祉" in consultation.proposal_basis
    assert consultation.section is None  # proposed, not yet chosen
    event = ConsultationEvent.objects.get(consultation=consultation)
    assert (event.kind, event.to_status, event.actor) == ("intake", "received", staff["centre"])
    stat = StatEvent.objects.get(kind="intake")
    assert (stat.category, stat.centre_id, stat.stage) == ("elderly", consultation.centre_id,
                                                           None)
    entry = AuditEntry.objects.get(record_type="consultation", action="create")
    assert entry.resident_ref == str(resident.public_id)
    assert "worry" in entry.fields and "needs_wheelchair" in entry.fields
    assert "介護" not in str(entry.fields)  # names only, never values


def test_needs_snapshot_can_differ_from_the_resident(intake, resident):
    consultation = intake(resident, needs_wheelchair=False, needs_interpreter="on")
    assert consultation.needs_interpreter and not consultation.needs_wheelchair
    resident.refresh_from_db()
    assert resident.needs_wheelchair and not resident.needs_interpreter


def test_intake_without_consent_is_saved_and_consent_can_be_given_in_the_same_step(
        intake, make_resident):
    without = make_resident(consent=False)
    consultation = intake(without)
    assert consultation.pk and services.missing_consents(without) == [
        ConsentPurpose.ONLINE_CONSULTATION, ConsentPurpose.SHARE_WITH_SECTION]
    other = make_resident(consent=False)
    intake(other, consent_online=True, consent_share="on", consent_method="written")
    consents = Consent.objects.filter(resident=other, withdrawn_at__isnull=True)
    assert {c.purpose for c in consents} == {"online_consultation", "share_with_section"}
    assert {c.method for c in consents} == {"written"}
    assert services.missing_consents(other) == []


def test_intake_validates_in_japanese_and_saves_nothing(intake, resident):
    with pytest.raises(ValidationError) as caught:
        intake(resident, worry="  ", category="astrology", urgency="now")
    errors = caught.value.message_dict
    assert errors["worry"] == ["相談の内容を入力してください。"]
    assert errors["category"] == ["相談の分類を一覧から選んでください。"]
    assert errors["urgency"] == ["緊急度を一覧から選んでください。"]
    assert not ConsultationEvent.objects.exists() and not StatEvent.objects.exists()


def test_who_may_take_a_consultation(intake, resident, staff, make_resident):
    # あんしんすこやかセンター in the same building: for residents they can see.
    with pytest.raises(PermissionDenied):
        intake(resident, by=staff["anshin"])  # not (yet) involved with this resident
    with pytest.raises(PermissionDenied):
        intake(resident, by=staff["jidokan"])  # 児童館 is not the welfare counter
    with pytest.raises(PermissionDenied):
        intake(resident, by=staff["hoken"])  # sections do not take intake
    with pytest.raises(PermissionDenied):
        intake(resident, by=staff["matsubara"])  # another centre, another district


@pytest.mark.parametrize(("category", "region", "district", "expected"), [
    ("elderly", "setagaya", "ikejiri", "setagaya/hoken-fukushi"),
    ("elderly", "kitazawa", "matsubara", "kitazawa/hoken-fukushi"),
    ("children", "tamagawa", "yoga", "tamagawa/kodomo-katei"),
    ("health", "kinuta", "funabashi", "kinuta/kenko-zukuri"),
    ("hardship", "karasuyama", "kamikitazawa", "karasuyama/seikatsu-shien"),
    ("resident-tax", "kitazawa", "matsubara", "kazei"),
    ("nhi-pension", "setagaya", "ikejiri", "kokuho-nenkin"),
    ("housing", "setagaya", "ikejiri", "setagaya-trust"),
    ("guardianship", "tamagawa", "yoga", "seinen-koken"),
])
def test_proposal_per_category_and_region(category, region, district, expected, staff,
                                          make_resident, make_staff):
    from madoguchi.accounts.models import Role

    centre_staff = make_staff(Role.DISTRICT_STAFF,
                              f"{region}/{district}/machizukuri-center")
    resident = make_resident(by=centre_staff, region=region, district=district)
    consultation = services.consultation_intake(
        by=centre_staff, resident=resident, source="tests",
        data={"worry": "相談です。", "category": category})
    assert consultation.proposed_section.code == expected


def test_keyword_rules_win_over_the_category_default(intake, resident):
    assert intake(resident, category="disability",
                  worry="ひとり暮らしを始めたい。").proposed_section.code == "hands"
    assert intake(resident, category="disability",
                  worry="手帳の更新").proposed_section.code == "setagaya/hoken-fukushi"
    assert intake(resident, category="nursery",
                  worry="保育園の入園の申込について").proposed_section.code == "hoiku"


def test_every_category_has_a_default_rule():
    assert {rule[0] for rule in DEFAULT_RULES} == set(Category.values)
    for category in Category.values:
        assert RoutingRule.objects.filter(category=category, keywords="",
                                          active=True).exists()


def test_a_registered_proposer_comes_before_the_table(intake, resident):
    kazei = Section.objects.get(code="kazei")

    def guidance(consultation):
        return routing.Proposal(kazei, "案内エンジンによる提案")

    routing.register_proposer(guidance)
    try:
        consultation = intake(resident)
    finally:
        routing.unregister_proposer(guidance)
    assert consultation.proposed_section == kazei
    assert consultation.proposal_basis == "案内エンジンによる提案"


def test_route_as_proposed_needs_no_reason(intake, resident, staff):
    consultation = intake(resident)
    routed = services.consultation_route(by=staff["centre"], consultation=consultation,
                                         section=consultation.proposed_section, source="t")
    assert routed.status == Status.ROUTED and routed.stage == 1
    assert routed.section.code == "setagaya/hoken-fukushi"
    event = ConsultationEvent.objects.filter(consultation=routed).last()
    assert (event.kind, event.from_status, event.to_status) == ("route", "received",
                                                                 "routed")
    assert StatEvent.objects.get(kind="routed").section == routed.section


def test_override_requires_a_reason_and_keeps_proposal_and_choice(intake, resident, staff):
    consultation = intake(resident)
    seikatsu = Section.objects.get(code="setagaya/seikatsu-shien")
    with pytest.raises(ValidationError) as caught:
        services.consultation_route(by=staff["centre"], consultation=consultation,
                                    section=seikatsu, reason=" ", source="t")
    assert "理由を入力してください" in caught.value.message_dict["reason"][0]
    consultation.refresh_from_db()
    assert consultation.status == Status.RECEIVED and consultation.section is None
    routed = services.consultation_route(by=staff["centre"], consultation=consultation,
                                         section=seikatsu, reason="収入の相談が中心のため",
                                         source="t")
    assert routed.proposed_section.code == "setagaya/hoken-fukushi"
    assert routed.section == seikatsu and routed.routing_reason == "収入の相談が中心のため"
    assert ConsultationEvent.objects.filter(consultation=routed).last().note == \
        "収入の相談が中心のため"


def test_head_office_is_stage_3(intake, resident, staff):
    consultation = intake(resident, category="resident-tax", worry="住民税の通知について")
    routed = services.consultation_route(by=staff["centre"], consultation=consultation,
                                         section=consultation.proposed_section, source="t")
    assert routed.section.code == "kazei" and routed.stage == 3


def test_section_not_online_at_the_centre_is_refused_by_name(intake, resident, staff):
    consultation = intake(resident, category="housing", worry="住まいを探している")
    with pytest.raises(ValidationError) as caught:
        services.consultation_route(by=staff["centre"], consultation=consultation,
                                    section=consultation.proposed_section, source="t")
    assert caught.value.message_dict["section"] == [
        "世田谷トラストまちづくりは、池尻まちづくりセンターではまだオンライン相談を実施して"
        "いません。実施している課・機関を選ぶか、区の管理者に設定を依頼してください。"]
    # Switched off later: refused too.
    OnlineService.objects.filter(centre=consultation.centre,
                                 section_kind__code="hoken-fukushi").update(enabled=False)
    with pytest.raises(ValidationError, match="保健福祉課は、池尻まちづくりセンターでは"):
        services.consultation_route(by=staff["centre"], consultation=consultation,
                                    section=Section.objects.get(code="setagaya/hoken-fukushi"),
                                    reason="高齢の母の介護", source="t")


def test_a_centre_that_is_not_a_model_centre_has_no_online_sections(make_resident, staff):
    resident = make_resident(by=staff["taishido"], district="taishido")
    consultation = services.consultation_intake(
        by=staff["taishido"], resident=resident, source="t",
        data={"worry": "相談", "category": "elderly"})
    with pytest.raises(ValidationError, match="太子堂まちづくりセンターではまだ"):
        services.consultation_route(by=staff["taishido"], consultation=consultation,
                                    section=consultation.proposed_section, source="t")


def test_the_section_may_forward_with_a_reason(routed, staff):
    seikatsu = Section.objects.get(code="setagaya/seikatsu-shien")
    with pytest.raises(ValidationError):
        services.consultation_route(by=staff["hoken"], consultation=routed, section=seikatsu,
                                    source="t")
    forwarded = services.consultation_route(by=staff["hoken"], consultation=routed,
                                            section=seikatsu, reason="生活費の相談のため",
                                            source="t")
    assert forwarded.section == seikatsu
    # The first section no longer handles it.
    with pytest.raises(PermissionDenied):
        services.consultation_route(by=staff["hoken"], consultation=forwarded,
                                    section=routed.section, reason="戻す", source="t")


def test_other_sections_cannot_route(intake, resident, staff):
    consultation = intake(resident)
    with pytest.raises(PermissionDenied):
        services.consultation_route(by=staff["kazei"], consultation=consultation,
                                    section=consultation.proposed_section, source="t")


def test_section_staff_see_the_resident_only_after_routing_to_them(intake, resident, staff):
    consultation = intake(resident)
    hoken, kitazawa = staff["hoken"], staff["kitazawa_hoken"]
    assert not can(hoken, Action.RESIDENT_VIEW, resident)  # proposed is not enough
    services.consultation_route(by=staff["centre"], consultation=consultation,
                                section=consultation.proposed_section, source="t")
    for user in (hoken, staff["manager"]):
        user._current_memberships = None
        assert can(user, Action.RESIDENT_VIEW, resident)
    assert not can(kitazawa, Action.RESIDENT_VIEW, resident)
    assert not can(staff["kazei"], Action.RESIDENT_VIEW, resident)


def test_partner_intake_after_involvement(booked, staff):
    """あんしん staff invited to a meeting see the resident, and may then take their next
    consultation at the same centre."""
    from madoguchi.scheduling.models import Participant

    anshin = staff["anshin"]
    assert not can(anshin, Action.RESIDENT_VIEW, booked.resident)
    Participant.objects.create(booking=booked.booking, kind="staff", user=anshin)
    assert can(anshin, Action.RESIDENT_VIEW, booked.resident)
    consultation = services.consultation_intake(
        by=anshin, resident=booked.resident, source="t",
        data={"worry": "物忘れが増えた", "category": "elderly"})
    assert consultation.centre.district.code == "ikejiri"
    assert consultation.received_by == anshin


def test_online_service_admin(staff):
    centre = Section.objects.get(code="setagaya/taishido/machizukuri-center").district.centre
    kind = SectionKind.objects.get(code="hoken-fukushi")
    assert not routing.is_online(centre=centre, kind=kind)
    with pytest.raises(PermissionDenied):
        services.online_service_set(by=staff["centre"], centre=centre, kind=kind, enabled=True)
    services.online_service_set(by=staff["admin"], centre=centre, kind=kind, enabled=True)
    assert routing.is_online(centre=centre, kind=kind)
    services.online_service_set(by=staff["admin"], centre=centre, kind=kind, enabled=False)
    assert not routing.is_online(centre=centre, kind=kind)


def test_setup_is_idempotent_and_keeps_admin_edits():
    from madoguchi.consultations.setup import load_consultation_setup

    rule = RoutingRule.objects.get(category="elderly", keywords="")
    rule.active = False
    rule.save()
    before = (RoutingRule.objects.count(), OnlineService.objects.count())
    report = load_consultation_setup()
    assert (report.rules_created, report.services_created) == (0, 0)
    assert (RoutingRule.objects.count(), OnlineService.objects.count()) == before
    assert not RoutingRule.objects.get(pk=rule.pk).active
    assert OnlineService.objects.filter(enabled=True).count() == 30  # 5 centres × 6
