"""Who sees which resident: district staff their district; others only when involved."""

from __future__ import annotations

import re

import pytest
from django.db.models import Q
from django.urls import reverse

from madoguchi.accounts import policy
from madoguchi.audit.models import AuditEntry
from madoguchi.people import selectors

pytestmark = pytest.mark.django_db


def names(user, query="タカハシ"):
    result = selectors.resident_search(user=user, query=query, source="tests")
    return {str(r) for r in result.residents}


def test_district_staff_see_their_own_district_only(residents, ikejiri_staff, matsubara_staff):
    assert names(ikejiri_staff) == {"髙橋　一郎"}
    assert names(matsubara_staff) == {"高橋　直子"}
    assert names(ikejiri_staff, "ヤマダ") == {"山田　太郎", "山田　花子"}
    assert names(matsubara_staff, "ヤマダ") == {"山田　次郎"}


def test_section_and_partner_staff_see_nobody_until_involved(residents, staff_by_role):
    section = staff_by_role["section_staff"]
    partner = staff_by_role["partner_staff"]
    assert names(section) == set() and names(partner) == set()

    involved = residents["matsubara_takahashi"].pk

    def rule(user):
        if user.pk == section.pk:
            return Q(pk=involved)
        return Q(pk__in=[])

    policy.register_involvement(rule)
    try:
        for attr in ("_current_memberships",):
            section.__dict__.pop(attr, None)
        assert names(section) == {"高橋　直子"}
        assert names(partner) == set()
    finally:
        policy.unregister_involvement(rule)
    assert names(section) == set()


def test_detail_of_another_districts_resident_is_404_and_not_audited(residents, client_for,
                                                                     ikejiri_staff):
    client = client_for(ikejiri_staff)
    before = AuditEntry.objects.count()
    other = residents["matsubara_yamada"]
    for name in ("people:detail", "people:edit"):
        url = reverse(name, kwargs={"public_id": other.public_id})
        assert client.get(url).status_code == 404
    consent_url = reverse("people:consent_give", kwargs={"public_id": other.public_id})
    assert client.post(consent_url, {"purpose": "data_processing",
                                     "method": "oral"}).status_code == 404
    # Nothing was shown or changed: one denied entry for the record (one a minute).
    refused = AuditEntry.objects.order_by("id")[before:]
    assert [(e.action, e.record_id, e.resident_ref) for e in refused] == [
        ("denied", str(other.public_id), "")]


def test_unknown_and_invisible_residents_look_the_same(residents, client_for, ikejiri_staff):
    import uuid

    client = client_for(ikejiri_staff)
    unknown = client.get(reverse("people:detail", kwargs={"public_id": uuid.uuid4()}))
    hidden = client.get(reverse("people:detail",
                                kwargs={"public_id": residents["matsubara_yamada"].public_id}))
    assert unknown.status_code == hidden.status_code == 404
    def page(response):  # the CSRF token and the language switch's "next" differ
        html = re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "",
                      response.content.decode())
        return re.sub(r'name="next" type="hidden" value="[^"]+"', "", html)

    assert page(unknown) == page(hidden)


@pytest.mark.parametrize("role, status", [
    ("district_staff", 200), ("section_staff", 404), ("section_manager", 404),
    ("partner_staff", 404), ("ward_admin", 403), ("auditor", 403),
])
def test_detail_matrix(residents, staff_by_role, client_for, role, status):
    client = client_for(staff_by_role[role])
    url = reverse("people:detail", kwargs={"public_id": residents["taro"].public_id})
    assert client.get(url).status_code == status


@pytest.mark.parametrize("role, status", [
    ("district_staff", 200), ("section_staff", 403), ("section_manager", 403),
    ("partner_staff", 403), ("ward_admin", 403), ("auditor", 403),
])
def test_create_page_matrix(staff_by_role, client_for, role, status):
    assert client_for(staff_by_role[role]).get(reverse("people:create")).status_code == status
