"""Prefill as procedure data: the ``prefill:`` key is checked where the form is defined,
and a staff-started draft gets its first answers from the resident's record and household
(児童手当: one row per child of the household)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from madoguchi.applications.prefill import carry_over, prefill_answers, relationship_to
from madoguchi.applications.services import check_answers
from madoguchi.procedures.formschema.parse import parse_form
from madoguchi.procedures.loader import DATA_DIR
from madoguchi.procedures.models import Procedure
from madoguchi.procedures.problems import DefinitionInvalid
from tests.applications.conftest import version
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(catalogue, centre_staff):
    """A couple with two young children in 池尻 (世帯番号 IKJ-1), and a neighbour."""
    common = {"by": centre_staff, "family_name": "田中", "family_name_kana": "タナカ",
              "address": "世田谷区池尻三丁目7番", "postal_code": "154-0001",
              "household_code": "IKJ-1"}
    head = ResidentFactory(**common, given_name="一郎", given_name_kana="イチロウ",
                           birth_date="1987-09-14", relationship="head",
                           phone="03-1111-2222", email="ichiro@example.jp")
    spouse = ResidentFactory(**common, given_name="由美", given_name_kana="ユミ",
                             birth_date="1989-02-03", relationship="spouse")
    older = ResidentFactory(**common, given_name="陽太", given_name_kana="ヨウタ",
                            birth_date="2020-06-18", relationship="child")
    younger = ResidentFactory(**common, given_name="葵", given_name_kana="アオイ",
                              birth_date="2023-11-02", relationship="child")
    ResidentFactory(by=centre_staff, family_name="鈴木", family_name_kana="スズキ",
                    given_name="一", given_name_kana="ハジメ", birth_date="1960-01-01")
    return {"head": head, "spouse": spouse, "children": [older, younger]}


def test_the_claimant_and_the_households_children_fill_the_child_allowance(family):
    answers = prefill_answers(version("jido-teate-nintei"), family["head"])
    assert answers["applicant"] == {"family": "田中", "given": "一郎",
                                    "family_kana": "タナカ", "given_kana": "イチロウ"}
    assert answers["applicant_birth_date"] == "1987-09-14"
    assert answers["address"] == {"postal_code": "154-0001",
                                  "address": "世田谷区池尻三丁目7番", "building": ""}
    assert answers["phone"] == "03-1111-2222" and answers["email"] == "ichiro@example.jp"
    # Only the children (続柄 子), not the spouse; the relationship as the claimant's.
    assert answers["children"] == [
        {"child": {"family": "田中", "given": "陽太", "family_kana": "タナカ",
                   "given_kana": "ヨウタ"},
         "child_birth_date": "2020-06-18", "child_relationship": "child"},
        {"child": {"family": "田中", "given": "葵", "family_kana": "タナカ",
                   "given_kana": "アオイ"},
         "child_birth_date": "2023-11-02", "child_relationship": "child"},
    ]
    assert "pension" not in answers and "bank_name" not in answers  # not from the record


def test_prefilled_answers_pass_the_form_once_the_rest_is_answered(family):
    jido = version("jido-teate-nintei")
    answers = prefill_answers(jido, family["head"])
    for row in answers["children"]:
        row["child_lives_with_applicant"] = "yes"
    answers.update({"pension": "kokumin", "reason": "move_in",
                    "reason_date": "2026-11-01", "has_spouse": "no",
                    "has_separate_child": "no", "has_older_child": "no",
                    "bank_name": "世田谷銀行", "branch_name": "池尻支店", "account_type": "futsu",
                    "account_number": "1234567", "account_holder_kana": "タナカ イチロウ",
                    "confirm": "on"})
    checked = check_answers(jido, answers)
    assert checked["applicant_birth_date"] == "1987-09-14"
    assert len(checked["children"]) == 2


def test_household_members_and_a_resident_without_a_household(family, resident):
    seikatsu = version("seikatsu-hogo")
    rows = prefill_answers(seikatsu, family["spouse"])["members"]
    # Everyone else in the household; a name without kana takes family and given only.
    assert [r["member"] for r in rows] == [
        {"family": "田中", "given": "一郎"}, {"family": "田中", "given": "陽太"},
        {"family": "田中", "given": "葵"}]
    alone = prefill_answers(version("jido-teate-nintei"), resident)
    assert "children" not in alone and alone["applicant"]["given"] == "花子"
    assert "phone" not in alone  # blank in the record: nothing is made up


def test_relationship_is_seen_from_the_applicant(family):
    head, spouse = family["head"], family["spouse"]
    child = family["children"][0]
    assert relationship_to(head, child) == "child"
    assert relationship_to(spouse, head) == "spouse"
    assert relationship_to(child, head) == "parent"
    assert relationship_to(child, family["children"][1]) == "sibling"


def _form(fields):
    return {"sections": [{"title": "申請者", "fields": fields}]}


@pytest.mark.parametrize("field, place, message", [
    ({"name": "who", "type": "name", "label": "氏名", "prefill": "resident.nickname"},
     "who", "「prefill: resident.nickname」は使えません"),
    ({"name": "born", "type": "text", "label": "生年月日", "prefill": "resident.birth_date"},
     "born", "種類「text」の項目には使えません"),
    ({"name": "kids", "type": "group", "label": "子", "prefill": "household.children",
      "fields": [{"name": "kid", "type": "name", "label": "氏名",
                  "prefill": "resident.name"}]},
     "kid", "「prefill: resident.name」は使えません"),
    ({"name": "kids", "type": "group", "label": "子",
      "fields": [{"name": "kid", "type": "name", "label": "氏名", "prefill": "member.name"}]},
     "kid", "繰り返し「kids」に「prefill: household.children」"),
    ({"name": "who", "type": "name", "label": "氏名", "prefill": "household.children"},
     "who", "種類「name」の項目には使えません"),
])
def test_a_wrong_prefill_is_a_japanese_problem_next_to_the_field(field, place, message):
    with pytest.raises(DefinitionInvalid) as error:
        parse_form(_form([field]))
    problems = [p for messages in error.value.message_dict.values() for p in messages]
    assert any(f"項目「{place}」" in p and message in p for p in problems), problems


def test_a_good_prefill_round_trips_through_the_stored_form():
    spec = parse_form(_form([
        {"name": "who", "type": "name", "label": "氏名", "prefill": "resident.name"},
        {"name": "kids", "type": "group", "label": "子", "prefill": "household.children",
         "fields": [{"name": "kid", "type": "name", "label": "氏名",
                     "prefill": "member.name"},
                    {"name": "rel", "type": "select", "label": "続柄",
                     "prefill": "member.relationship",
                     "choices": [{"value": "child", "label": "子"}]}]}]))
    again = parse_form(spec.as_data())
    assert again.field("who").prefill == "resident.name"
    assert again.field("kids").prefill == "household.children"
    assert again.field("rel").prefill == "member.relationship"


def test_every_seeded_procedure_still_loads_with_its_prefill(setagaya):
    call_command("load_procedures", verbosity=0)
    files = sorted(p.stem for p in DATA_DIR.glob("*.yaml"))
    loaded = {p.code: p for p in Procedure.objects.select_related("current")}
    assert set(files) <= set(loaded)
    annotated = 0
    for code in files:
        current = loaded[code].current
        assert current is not None, code
        if any(f.prefill for f in current.form_spec.all_fields()):
            annotated += 1
    assert annotated >= 8
    children = version("jido-teate-nintei").form_spec.field("children")
    assert children.prefill == "household.children"


def test_a_chain_carries_typed_answers_by_name_and_type(catalogue):
    jido = version("jido-teate-nintei").form_spec
    hoiku = version("hoiku-riyo").form_spec
    typed = {"phone": "090-1234-5678", "email": "new@example.jp", "confirm": True,
             "address": {"postal_code": "154-0001", "address": "世田谷区池尻1-1",
                         "building": "池尻ハイツ101"},
             "pension": "kokumin"}
    merged = carry_over(hoiku, {"phone": "03-0000-0000", "email": ""}, [(jido, typed)])
    assert merged["phone"] == "090-1234-5678"  # a later answer wins over the record
    assert merged["email"] == "new@example.jp"
    assert merged["address"]["building"] == "池尻ハイツ101"
    assert "confirm" not in merged  # a confirmation is never carried
    assert "pension" not in merged  # no such field in 保育


def test_load_demo_households_prefill_the_child_allowance(setagaya):
    import io

    from madoguchi.people.models import Resident

    call_command("load_demo", stdout=io.StringIO())
    call_command("load_procedures", verbosity=0)
    head = Resident.objects.get(family_name="田中", given_name="一郎")
    assert head.household_code and head.relationship == "head"
    rows = prefill_answers(version("jido-teate-nintei"), head)["children"]
    assert [r["child"]["given"] for r in rows] == ["陽太", "葵"]
    elderly = Resident.objects.filter(household_code="MTB-0001")
    assert {r.relationship for r in elderly} == {"head", "spouse"}
    call_command("load_demo", stdout=io.StringIO())  # idempotent with households
    assert Resident.objects.filter(household_code="IKJ-0001").count() == 4
