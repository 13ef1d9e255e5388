"""Consultation rows of the permission matrix (tests/test_permission_matrix.py).

The world: a 池尻 resident's consultation received by 池尻's centre staff (D) and routed to
世田谷 保健福祉課 (S, M); a second one booked. あんしん池尻 (P) is not involved, so it is not
told that the records exist (404); ward administrators (A) and auditors (U) have no
consultation roles (403) but A edits the routing table.
"""

from __future__ import annotations

import datetime as dt

from madoguchi.accounts.models import Role

D, S, M, P, A, U = (Role.DISTRICT_STAFF, Role.SECTION_STAFF, Role.SECTION_MANAGER,
                    Role.PARTNER_STAFF, Role.WARD_ADMIN, Role.AUDITOR)
ANON = "anonymous"
EVERYONE = (ANON, D, S, M, P, A, U)


def only(allowed: dict[str, int], *, denied: int = 403, anon: int = 302) -> dict[str, int]:
    table = dict.fromkeys(EVERYONE, denied)
    table[ANON] = anon
    table.update(allowed)
    return table


CASEWORK_200 = {D: 200, S: 200, M: 200, P: 200}
HANDLERS = {D: 200, S: 200, M: 200, P: 404}

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "consultations:inbox": ("get", only(CASEWORK_200)),
    "consultations:intake": ("get", only({D: 200, P: 200})),
    "consultations:detail": ("get", only(HANDLERS)),
    # An empty body: back to the record with the message (302); nothing is added/removed.
    "consultations:reference_add": ("post", only({D: 302, S: 302, M: 302, P: 404})),
    "consultations:reference_remove": ("post", only({D: 302, S: 302, M: 302, P: 404})),
    "consultations:route": ("get", only(HANDLERS)),
    "consultations:book": ("get", only(HANDLERS)),
    "consultations:reschedule": ("get", only(HANDLERS)),
    "consultations:cancel": ("get", only(HANDLERS)),
    "consultations:outcome": ("get", only({S: 200, M: 200})),
    # An empty form: the section gets its record page back with a message.
    "consultations:followup_create": ("post", only({S: 302, M: 302})),
    # Owned by S: the centre may not complete it; S completes it; M is told it is done.
    "consultations:followup_complete": ("post", only({D: 403, S: 302, M: 302, P: 404})),
    "consultations:routing_rules": ("get", only({A: 200})),
    "consultations:routing_rule_create": ("post", only({A: 200})),
    "consultations:routing_rule_edit": ("get", only({A: 200})),
    "consultations:online_services": ("get", only({A: 200})),
    "api:consultations_list": ("get", only({D: 200, S: 200, M: 200, P: 200}, anon=401)),
    "api:consultation_create": ("post", only({D: 422, P: 422}, anon=401)),
    "api:consultation_detail": ("get", only(HANDLERS, anon=401)),
    "api:consultation_route": ("post", only({D: 422, S: 422, M: 422, P: 422}, anon=401)),
    "api:consultation_book": ("post", only({D: 422, S: 422, M: 422, P: 422}, anon=401)),
    "api:consultation_outcome": ("post", only({S: 422, M: 422}, anon=401)),
}


# Pages and answers that show the resident (name, worry, history): audited (ADR 0022).
RESIDENT_DATA = {"consultations:inbox", "consultations:detail", "consultations:route",
                 "consultations:book", "consultations:reschedule", "consultations:cancel",
                 "consultations:outcome", "api:consultations_list",
                 "api:consultation_detail"}


def objects(staff) -> dict[str, dict]:
    from django.utils import timezone

    from madoguchi.consultations import services
    from madoguchi.consultations.models import RoutingRule
    from madoguchi.consultations.setup import load_consultation_setup
    from madoguchi.people import services as people_services
    from madoguchi.scheduling.selectors import find_slots

    load_consultation_setup()
    resident = people_services.resident_create(by=staff[D], source="test", data={
        "family_name": "池尻", "given_name": "一郎", "family_name_kana": "イケジリ",
        "given_name_kana": "イチロウ", "birth_date": "1945-01-01", "address": "世田谷区池尻",
        "region": "setagaya", "district": "ikejiri"})

    def consultation():
        c = services.consultation_intake(
            by=staff[D], resident=resident, source="test",
            data={"worry": "介護の相談", "category": "elderly", "consent_online": True,
                  "consent_share": True})
        return services.consultation_route(by=staff[D], consultation=c,
                                           section=c.proposed_section, source="test")

    routed = consultation()
    booked = consultation()
    slot = find_slots(section=booked.section, centre=booked.centre, limit=1)[0]
    booked = services.consultation_book(by=staff[D], consultation=booked, start=slot.start,
                                        source="test")
    followup = services.followup_create(
        by=staff[S], consultation=routed, source="test",
        data={"task": "確認の電話", "owner": staff[S].pk,
              "due_date": (timezone.localdate() + dt.timedelta(days=7)).isoformat()})
    ref = {"public_id": str(routed.public_id)}
    return {
        "consultations:detail": ref,
        "consultations:reference_add": ref,
        "consultations:reference_remove": ref,
        "consultations:route": ref,
        "consultations:book": ref,
        "consultations:reschedule": {"public_id": str(booked.public_id)},
        "consultations:cancel": ref,
        "consultations:outcome": ref,
        "consultations:followup_create": ref,
        "consultations:followup_complete": {"public_id": str(routed.public_id),
                                            "followup_id": followup.pk},
        "consultations:routing_rule_edit": {"pk": RoutingRule.objects.first().pk},
        "api:consultation_detail": ref,
        "api:consultation_route": ref,
        "api:consultation_book": ref,
        "api:consultation_outcome": ref,
    }
