"""The resident pages: create, detail, edit, consents; accessible forms, no-store, audit."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from madoguchi.audit.models import AuditEntry
from madoguchi.people.models import Consent, Resident
from tests.people.conftest import resident_data

pytestmark = pytest.mark.django_db


def form_post(**overrides):
    data = resident_data(**overrides)
    return {k: v for k, v in data.items() if v is not False}


def test_create_page_preselects_the_staff_members_district(client_for, ikejiri_staff):
    response = client_for(ikejiri_staff).get(reverse("people:create"))
    html = response.content.decode()
    assert re.search(r'<option value="setagaya/ikejiri" selected>', html)
    assert "kitazawa/matsubara" not in html  # only districts they may register in
    assert "no-store" in response["Cache-Control"]


def test_every_input_is_labelled(client_for, ikejiri_staff):
    html = client_for(ikejiri_staff).get(reverse("people:create")).content.decode()
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
    assert len(ids) >= 16
    for field_id in ids:
        assert f'for="{field_id}"' in html, field_id


def test_create_via_page_redirects_to_detail_and_audits(client_for, ikejiri_staff):
    client = client_for(ikejiri_staff)
    response = client.post(reverse("people:create"), form_post(needs_wheelchair="on"))
    resident = Resident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail",
                                           kwargs={"public_id": resident.public_id})
    assert resident.needs_wheelchair
    entry = AuditEntry.objects.get(action="create")
    assert entry.source == "people:create"


def test_errors_are_shown_in_japanese_and_linked_to_inputs(client_for, ikejiri_staff):
    client = client_for(ikejiri_staff)
    response = client.post(reverse("people:create"),
                           form_post(family_name_kana="Yamada", birth_date="2999-01-01"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "フリガナはカタカナかひらがなで入力してください。" in html
    assert "生年月日に未来の日付は入力できません。" in html
    assert 'id="id_family_name_kana_error"' in html
    assert re.search(r'id="id_family_name_kana"[^>]*aria-describedby="[^"]*'
                     r'id_family_name_kana_error', html) or re.search(
        r'aria-describedby="[^"]*id_family_name_kana_error"[^>]*id="id_family_name_kana"', html)
    assert 'aria-invalid="true"' in html
    assert not Resident.objects.exists() and not AuditEntry.objects.exists()


def test_duplicate_on_the_page(client_for, ikejiri_staff, make_resident):
    make_resident(ikejiri_staff)
    response = client_for(ikejiri_staff).post(reverse("people:create"), form_post())
    assert "同じフリガナと生年月日の区民がすでに登録されています。" in response.content.decode()
    assert Resident.objects.count() == 1


def test_detail_shows_contact_needs_consents_and_is_audited(client_for, ikejiri_staff,
                                                           make_resident):
    from madoguchi.people import services

    resident = make_resident(ikejiri_staff, needs_hearing_support=True)
    consent = services.consent_give(by=ikejiri_staff, resident=resident,
                                    purpose="data_processing", method="written", note="",
                                    source="tests")
    services.consent_withdraw(by=ikejiri_staff, consent=consent, source="tests")
    before = AuditEntry.objects.count()
    response = client_for(ikejiri_staff).get(
        reverse("people:detail", kwargs={"public_id": resident.public_id}))
    html = response.content.decode()
    assert "昭和23年（1948年）4月12日" in html and "03-0000-1234" in html
    assert "聞こえの配慮が必要" in html and "相談記録の作成・保管" in html
    assert "撤回" in html and str(ikejiri_staff) in html
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() == before + 1
    assert (entry.action, entry.source, entry.resident_ref) == (
        "view", "people:detail", str(resident.public_id))


def test_edit_page_is_audited_as_a_view_and_saves_changes(client_for, ikejiri_staff,
                                                         make_resident):
    resident = make_resident(ikejiri_staff)
    client = client_for(ikejiri_staff)
    url = reverse("people:edit", kwargs={"public_id": resident.public_id})
    page = client.get(url)
    assert 'value="ヤマダ"' in page.content.decode()
    assert AuditEntry.objects.order_by("-id").first().source == "people:edit"
    response = client.post(url, form_post(phone="03-0000-5555", needs_interpreter="on"))
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.phone == "03-0000-5555" and resident.needs_interpreter
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.action == "update" and sorted(entry.fields) == ["needs_interpreter", "phone"]


def test_consent_pages_are_post_only(client_for, ikejiri_staff, make_resident):
    resident = make_resident(ikejiri_staff)
    client = client_for(ikejiri_staff)
    url = reverse("people:consent_give", kwargs={"public_id": resident.public_id})
    assert client.get(url).status_code == 405
    response = client.post(url, {"purpose": "online_consultation", "method": "screen"})
    assert response.status_code == 302 and response["Location"].endswith("#consents")
    consent = Consent.objects.get()
    withdraw = reverse("people:consent_withdraw",
                       kwargs={"public_id": resident.public_id, "consent_id": consent.pk})
    assert client.get(withdraw).status_code == 405
    assert client.post(withdraw).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_by == ikejiri_staff
    assert list(AuditEntry.objects.filter(record_type="consent").values_list(
        "action", "source").order_by("id")) == [
        ("consent_give", "people:consent_give"), ("consent_withdraw", "people:consent_withdraw")]


def test_consent_of_another_resident_cannot_be_withdrawn_through_this_one(
        client_for, ikejiri_staff, make_resident):
    from madoguchi.people import services

    one = make_resident(ikejiri_staff)
    two = make_resident(ikejiri_staff, given_name="花子", given_name_kana="ハナコ")
    consent = services.consent_give(by=ikejiri_staff, resident=two, purpose="data_processing",
                                    method="oral", note="", source="tests")
    url = reverse("people:consent_withdraw",
                  kwargs={"public_id": one.public_id, "consent_id": consent.pk})
    assert client_for(ikejiri_staff).post(url).status_code == 404


def test_moving_a_resident_out_of_the_district_says_so(client_for, ikejiri_staff,
                                                        make_resident):
    resident = make_resident(ikejiri_staff)
    client = client_for(ikejiri_staff)
    url = reverse("people:edit", kwargs={"public_id": resident.public_id})
    response = client.post(url, form_post(district="kitazawa/matsubara"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("people:search")
    assert "担当外の地区に変わった" in response.content.decode()
    resident.refresh_from_db()
    assert resident.district.code == "matsubara"
