"""The household (世帯番号, 続柄) a prefill reads: checked like every resident field,
editable on the resident pages, and the other members listed (audited) on the record."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from madoguchi.audit.models import AuditEntry
from madoguchi.people.forms import ResidentForm
from madoguchi.people.validation import clean_resident
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

BASE = {"family_name": "田中", "family_name_kana": "タナカ", "birth_date": "1987-09-14",
        "address": "世田谷区池尻三丁目7番", "district": "setagaya/ikejiri"}


def test_household_fields_are_checked_with_japanese_messages(setagaya):
    cleaned = clean_resident({**BASE, "household_code": "ＩＫＪ－0001",
                              "relationship": "head"})
    assert cleaned["household_code"] == "IKJ-0001"  # full width folded
    with pytest.raises(ValidationError) as error:
        clean_resident({**BASE, "household_code": "池尻 1", "relationship": "uncle"})
    assert "半角英数字" in error.value.message_dict["household_code"][0]
    assert error.value.message_dict["relationship"] == ["続柄を一覧から選んでください。"]
    with pytest.raises(ValidationError) as error:
        clean_resident({**BASE, "relationship": "child"})
    assert "世帯番号も入力してください" in error.value.message_dict["household_code"][0]
    assert clean_resident(BASE)["relationship"] == ""  # both may stay blank


def test_the_household_is_edited_and_shown_on_the_resident_pages(centre_staff,
                                                                 centre_client):
    head = ResidentFactory(by=centre_staff, given_name="一郎", given_name_kana="イチロウ")
    child = ResidentFactory(by=centre_staff, given_name="陽太", given_name_kana="ヨウタ",
                            birth_date="2020-06-18", household_code="IKJ-7",
                            relationship="child")
    edit = reverse("people:edit", kwargs={"public_id": head.public_id})
    data = {**ResidentForm.initial_for(head), "household_code": "IKJ-7",
            "relationship": "nobody"}
    page = centre_client.post(edit, {k: v for k, v in data.items() if v not in (None, False)})
    assert page.status_code == 200 and "続柄を一覧から選んでください。" in page.content.decode()
    data["relationship"] = "head"
    response = centre_client.post(edit, {k: v for k, v in data.items()
                                         if v not in (None, False)})
    assert response.status_code == 302
    head.refresh_from_db()
    assert (head.household_code, head.relationship) == ("IKJ-7", "head")
    detail = centre_client.get(reverse("people:detail", kwargs={"public_id": head.public_id}))
    text = detail.content.decode()
    assert "世帯主" in text and "IKJ-7" in text and "陽太" in text and "子" in text
    assert AuditEntry.objects.filter(record_type="resident", action="list",
                                     resident_ref=str(child.public_id),
                                     source="people:detail").exists()
