"""A decision's data is procedure data: a status's ``fields`` (要介護度, 有効期間…) are
checked like the form's, with the ``after`` rule for a period's end; what cannot work is
refused with a message next to the status."""

from __future__ import annotations

import copy

import pytest

from madoguchi.procedures.definition import validate_definition
from madoguchi.procedures.formschema.engine import clean_answers
from madoguchi.procedures.formschema.parse import parse_form
from madoguchi.procedures.workflow import STANDARD_WORKFLOW, parse_workflow
from tests.procedures.test_definition_validation import all_messages, minimal, seed

pytestmark = pytest.mark.django_db

PERIOD = [{"name": "valid_from", "type": "date", "label": "有効期間の開始日", "required": True},
          {"name": "valid_to", "type": "date", "label": "有効期間の終了日", "required": True,
           "after": "valid_from"}]


def with_fields(fields, status="decided") -> dict:
    workflow = copy.deepcopy(STANDARD_WORKFLOW)
    for item in workflow["statuses"]:
        if item["code"] == status:
            item["fields"] = fields
    return minimal(workflow=workflow)


def test_the_seeded_care_decision_has_its_level_and_period(catalogue):
    workflow = parse_workflow(seed("kaigo-nintei")["workflow"])
    fields = workflow.status("decided").fields
    assert [f.name for f in fields] == ["care_level", "valid_from", "valid_to"]
    assert [c.label for c in fields[0].choices] == [
        "要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5"]
    assert fields[2].opt("after") == "valid_from"
    assert workflow.status("rejected").label == "非該当"


def test_fields_round_trip_through_the_canonical_definition(catalogue):
    clean = validate_definition(with_fields(PERIOD))
    decided = next(s for s in clean["workflow"]["statuses"] if s["code"] == "decided")
    assert decided["fields"][1] == {"name": "valid_to", "type": "date",
                                    "label": "有効期間の終了日", "required": True,
                                    "after": "valid_from"}


@pytest.mark.parametrize("fields, expected", [
    ([{"name": "kids", "type": "group", "label": "児童",
       "fields": [{"name": "n", "type": "text", "label": "名前"}]}], "使える種類"),
    ([{"name": "level", "type": "text", "label": "要介護度（区分）"}], "空白や記号"),
    ([{"name": "valid_to", "type": "date", "label": "終了日", "after": "nothing"}],
     "別の日付の項目"),
    ([{"name": "valid_to", "type": "date", "label": "終了日", "after": "valid_to"}],
     "別の日付の項目"),
    ([], "1つ以上"),
])
def test_decision_fields_that_cannot_work_are_refused(catalogue, fields, expected):
    assert expected in all_messages(with_fields(fields))


def test_a_resident_cannot_move_into_a_status_with_decision_fields(catalogue):
    definition = with_fields(PERIOD, status="resubmitted")
    assert "申請者の移り方「resubmit」では移れません" in all_messages(definition)


def test_after_wants_a_later_date():
    form = parse_form({"sections": [{"title": "期間", "fields": PERIOD}]})
    same = clean_answers(form, {"valid_from": "2026-12-01", "valid_to": "令和8年12月1日"})
    assert same.errors == {"valid_to": ["有効期間の終了日は「有効期間の開始日」より後の日に"
                                        "してください。"]}
    later = clean_answers(form, {"valid_from": "2026-12-01", "valid_to": "2027-11-30"})
    assert later.ok and later.answers["valid_to"] == "2027-11-30"
    # A start that is not a date yet gets its own message, not a comparison.
    broken = clean_answers(form, {"valid_from": "あした", "valid_to": "2027-11-30"})
    assert list(broken.errors) == ["valid_from"]
