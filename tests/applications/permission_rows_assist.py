"""Assisted applications' rows of the permission matrix (tests/test_permission_matrix.py).

Centre staff (D) and section staff and managers (S, M: 世田谷 保健福祉課, at their counter)
may assist; partner staff, administrators and auditors may not (403). The world's
resident lives in 池尻, so only D sees them (S, M: 404, no hint it exists). The draft
belongs to D: its pages are D's alone (others 404, 池尻's centre head H too: another
person of the same centre); it is not complete yet, so its
attachments, confirmation and receipt pages send D back to the form (302). Empty POSTs
redirect with a message and change nothing.
"""

from __future__ import annotations

ANON, D, S, M, P, A, U = ("anonymous", "district_staff", "section_staff", "section_manager",
                          "partner_staff", "ward_admin", "auditor")
H = "centre_head"
EVERYONE = (ANON, D, S, M, P, A, U)


def only(allowed: dict[str, int]) -> dict[str, int]:
    table = dict.fromkeys(EVERYONE, 403)
    table[ANON] = 302
    table.update(allowed)
    return table


ASSISTING = {D: 200, S: 200, M: 200}
OWN_DRAFT = {D: 200, S: 404, M: 404}
OWN_DRAFT_REDIRECT = {D: 302, S: 404, M: 404}
NOT_THE_HEADS = {H: 404}

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "assist:index": ("get", only(ASSISTING)),
    "assist:choose": ("get", only(OWN_DRAFT)),
    # No procedure chosen: back to the choice with a message.
    "assist:start": ("post", only(OWN_DRAFT_REDIRECT)),
    "assist:life_event": ("get", only(ASSISTING)),
    "assist:chain_start": ("post", only({D: 302, S: 302, M: 302})),
    "assist:chain_next": ("post", only({D: 302, S: 302, M: 302})),
    "assist:form": ("get", only({**OWN_DRAFT, **NOT_THE_HEADS})),
    "assist:attachments": ("get", only({**OWN_DRAFT_REDIRECT, **NOT_THE_HEADS})),
    "assist:confirm": ("get", only({**OWN_DRAFT_REDIRECT, **NOT_THE_HEADS})),
    "assist:receipt": ("get", only({**OWN_DRAFT_REDIRECT, **NOT_THE_HEADS})),
    "assist:discard": ("post", only({**OWN_DRAFT_REDIRECT, **NOT_THE_HEADS})),
    # Answering a correction at the centre: D sees the application (their district), the
    # section does not see a draft; a draft waits for no answer (the page says so).
    "assist:correction": ("get", only(OWN_DRAFT)),
    # Linking to a portal identity (code entry): the same visibility as the application.
    "assist:link": ("get", only(OWN_DRAFT)),
}


# Pages that show the resident or their application: audited (ADR 0022).
RESIDENT_DATA = {"assist:index", "assist:choose", "assist:form", "assist:attachments",
                 "assist:confirm", "assist:receipt", "assist:correction", "assist:link"}


def objects(staff) -> dict[str, dict]:
    from django.core.management import call_command

    from madoguchi.applications.prefill import prefill_answers
    from madoguchi.applications.services import Actor, draft_start
    from madoguchi.organisation.models import DistrictCentre
    from madoguchi.people import services as people_services
    from madoguchi.procedures.selectors import published_get

    if published_get("jido-teate-nintei") is None:
        call_command("load_procedures", verbosity=0)
    version = published_get("jido-teate-nintei")
    resident = people_services.resident_create(by=staff[D], source="test", data={
        "family_name": "池尻", "given_name": "次郎", "family_name_kana": "イケジリ",
        "given_name_kana": "ジロウ", "birth_date": "1980-01-01", "address": "世田谷区池尻",
        "region": "setagaya", "district": "ikejiri"})
    centre = DistrictCentre.objects.get(district=resident.district)

    def draft():
        return draft_start(actor=Actor(source="test", user=staff[D]), version=version,
                           channel="assisted", district=resident.district,
                           resident=resident, centre=centre,
                           answers=prefill_answers(version, resident))

    kept, discarded = draft(), draft()
    by_id = {"public_id": kept.public_id}
    return {
        "assist:life_event": {"code": "shussei"},
        "assist:chain_start": {"code": "shussei"},
        "assist:form": by_id, "assist:attachments": by_id, "assist:confirm": by_id,
        "assist:receipt": by_id, "assist:discard": {"public_id": discarded.public_id},
        "assist:correction": by_id, "assist:link": by_id,
    }
