"""Conditional fields, repeating groups, and the Django form that carries them."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.utils import translation

from madoguchi.procedures.formschema.django_forms import ProcedureForm, row_action
from madoguchi.procedures.formschema.engine import clean_answers
from madoguchi.procedures.formschema.parse import parse_form
from madoguchi.procedures.formschema.summary import summarise


@pytest.fixture(autouse=True)
def _japanese():
    with translation.override("ja"):
        yield


FORM = parse_form({"sections": [
    {"title": "申請者", "fields": [
        {"name": "reason", "type": "radio", "label": "理由", "required": True,
         "choices": [{"value": "move", "label": "転入"}, {"value": "other", "label": "その他"}]},
        {"name": "reason_other", "type": "textarea", "label": "その他の理由", "required": True,
         "show_when": {"field": "reason", "equals": "other"}},
        {"name": "detail", "type": "text", "label": "詳しく",
         "show_when": {"field": "reason_other", "filled": True}},
        {"name": "phone", "type": "phone", "label": "電話番号",
         "required_when": {"field": "reason", "equals": "move"}},
        {"name": "has_spouse", "type": "yesno", "label": "配偶者はいますか", "required": True},
        {"name": "spouse", "type": "name", "label": "配偶者の氏名", "required": True,
         "show_when": {"field": "has_spouse", "equals": True}},
    ]},
    {"title": "児童", "fields": [
        {"name": "children", "type": "group", "label": "児童", "item_label": "児童",
         "required": True, "min": 1, "max": 3, "fields": [
             {"name": "child_birth_date", "type": "date", "label": "生年月日", "required": True},
             {"name": "lives_with", "type": "yesno", "label": "同居していますか",
              "required": True},
             {"name": "child_address", "type": "address", "label": "児童の住所",
              "required": True, "show_when": {"field": "lives_with", "equals": False}},
             {"name": "note", "type": "text", "label": "メモ",
              "show_when": {"field": "reason", "equals": "other"}},
         ]},
    ]},
]})

SPOUSE = {"family": "山田", "given": "花子", "family_kana": "ヤマダ", "given_kana": "ハナコ"}
CHILD = {"child_birth_date": "令和2年5月1日", "lives_with": "yes"}


def answers(**data):
    base = {"reason": "move", "phone": "03-5432-1111", "has_spouse": "no",
            "children": [CHILD]}
    base.update(data)
    return clean_answers(FORM, base)


def test_a_hidden_field_is_neither_required_nor_kept():
    outcome = answers(reason_other="古い値", spouse=SPOUSE)
    assert outcome.ok, outcome.errors
    assert "reason_other" not in outcome.answers  # shown only for "other": dropped
    assert "spouse" not in outcome.answers  # has_spouse is no: dropped
    assert outcome.answers["children"] == [{"child_birth_date": "2020-05-01",
                                            "lives_with": True}]


def test_a_shown_field_is_required_when_it_says_so():
    outcome = answers(reason="other", has_spouse="yes")
    assert outcome.errors["reason_other"] == ["その他の理由を入力してください。"]
    # Nothing written in a name: one message at its first box, not one per box.
    assert outcome.errors["spouse.family"] == ["配偶者の氏名を入力してください。"]
    assert "spouse.given" not in outcome.errors
    assert "phone" not in outcome.errors  # required only when reason is move


def test_required_when():
    assert answers(phone="").errors == {"phone": ["電話番号を入力してください。"]}
    assert answers(reason="other", reason_other="その他", phone="").ok


def test_conditions_chain_through_hidden_fields():
    # detail is shown when reason_other is filled, and reason_other only when reason is
    # other: with reason move, detail is hidden even though reason_other has text.
    outcome = answers(reason_other="理由", detail="詳細")
    assert "detail" not in outcome.answers
    outcome = answers(reason="other", reason_other="理由", detail="詳細")
    assert outcome.answers["detail"] == "詳細"


def test_errors_of_hidden_fields_are_not_shown():
    outcome = answers(has_spouse="no", spouse={"family": "山田1"})
    assert outcome.ok


def test_group_rows_have_their_own_conditions_and_paths():
    outcome = answers(reason="other", reason_other="x", children=[
        CHILD,
        {"child_birth_date": "平成32年1月1日", "lives_with": "no", "note": "n"},
    ])
    assert outcome.errors["children.1.child_birth_date"][0].startswith("平成は31年4月30日まで")
    assert outcome.errors["children.1.child_address.postal_code"] == [
        "児童の住所を入力してください。"]
    assert "children.0.child_address.postal_code" not in outcome.errors  # lives with them


def test_a_group_row_sees_top_level_fields():
    moved = answers(children=[{**CHILD, "note": "メモ"}])
    assert "note" not in moved.answers["children"][0]
    other = answers(reason="other", reason_other="x", children=[{**CHILD, "note": "メモ"}])
    assert other.answers["children"][0]["note"] == "メモ"


def test_group_minimum_and_maximum_and_blank_rows():
    assert answers(children=[]).errors == {"children": ["児童を1件以上入力してください。"]}
    blank = {"child_birth_date": "", "lives_with": ""}
    assert answers(children=[blank, blank]).errors == {
        "children": ["児童を1件以上入力してください。"]}
    assert answers(children=[blank, CHILD]).answers["children"] == [
        {"child_birth_date": "2020-05-01", "lives_with": True}]
    assert answers(children=[CHILD] * 4).errors == {"children": ["児童は3件までです。"]}


# ── the Django form ────────────────────────────────────────────────────────────────────


def post(**data) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key.replace("__", "-"), value if isinstance(value, list) else [value])
    return query


VALID = {"reason": "move", "phone": "０３－５４３２－１１１１", "has_spouse": "no",
         "children__rows": "1", "children__0__child_birth_date": "R2.5.1",
         "children__0__lives_with": "yes"}


def test_the_django_form_gives_the_engine_its_input_and_keeps_its_answers():
    form = ProcedureForm(FORM, post(**VALID))
    assert form.is_valid(), form.errors
    assert form.answers["phone"] == "03-5432-1111"
    assert form.answers["children"][0]["child_birth_date"] == "2020-05-01"


def test_errors_sit_next_to_their_inputs_and_in_the_summary():
    form = ProcedureForm(FORM, post(**{**VALID, "has_spouse": "yes", "spouse__family": "山田",
                                       "children__0__child_birth_date": "平成32年1月1日"}))
    assert not form.is_valid()
    assert form.answers is None
    assert form.errors["spouse-given"] == ["名を入力してください。"]
    assert form.errors["children-0-child_birth_date"][0].startswith("平成は31年4月30日まで")
    summary = form.error_summary()
    assert ("id_spouse-given", "配偶者の氏名（名）", "名を入力してください。") in summary
    assert any(anchor == "id_children-0-child_birth_date" and label == "児童1 › 生年月日"
               for anchor, label, _message in summary)
    html = str(form["spouse-given"])
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_spouse-given_error"' in html


def test_the_number_of_rows_error_goes_to_the_group():
    form = ProcedureForm(FORM, post(**{**VALID, "children__rows": "0"}))
    assert not form.is_valid()
    assert form.errors["children-rows"] == ["児童を1件以上入力してください。"]
    assert ("group-children", "児童", "児童を1件以上入力してください。") in form.error_summary()


def test_rows_are_added_and_removed_without_javascript():
    data = post(**{**VALID, "children__rows": "2", "children__1__child_birth_date": "R3.1.1",
                   "_add": "children"})
    raw = row_action(FORM, data)
    assert len(raw["children"]) == 3
    form = ProcedureForm(FORM, answers=raw)
    assert form.row_counts["children"] == 3
    assert form["children-1-child_birth_date"].value() == "R3.1.1"
    assert not form.is_bound  # shown again without error messages
    removed = row_action(FORM, post(**{**VALID, "children__rows": "2",
                                       "children__1__child_birth_date": "R3.1.1",
                                       "_remove": "children-0"}))
    assert [row["child_birth_date"] for row in removed["children"]] == ["R3.1.1"]
    assert row_action(FORM, post(**VALID)) is None


def test_rows_cannot_exceed_the_maximum():
    data = post(**{**VALID, "children__rows": "99", "_add": "children"})
    assert ProcedureForm(FORM, data).row_counts["children"] == 3
    assert len(row_action(FORM, data)["children"]) == 3


def test_stored_answers_prefill_the_form_in_wareki():
    outcome = answers(has_spouse="yes", spouse=SPOUSE)
    form = ProcedureForm(FORM, answers=outcome.answers)
    assert form["children-0-child_birth_date"].value() == "令和2年5月1日"
    assert form["has_spouse"].value() == "yes"
    assert form["spouse-given_kana"].value() == "ハナコ"


def test_conditions_are_described_for_residents_and_the_script():
    form = ProcedureForm(FORM)
    assert "「理由」で「その他」を選んだ場合に記入してください。" in form["reason_other"].help_text
    assert "「理由」で「転入」を選んだ場合は必ず記入してください。" in form["phone"].help_text
    items = {item.spec.name: item for _section, items in form.layout() for item in items}
    assert '"field": "has_spouse"' in items["spouse"].show_when
    assert '"values": ["yes"]' in items["spouse"].show_when
    row = items["children"].rows[0][2]
    address = next(i for i in row if i.spec.name == "child_address")
    assert '"field": "children-0-lives_with"' in address.show_when
    note = next(i for i in row if i.spec.name == "note")
    assert '"field": "reason"' in note.show_when  # a top-level field


def test_the_date_hint_shows_both_calendars():
    assert "昭和50年4月1日" in ProcedureForm(FORM)["children-0-child_birth_date"].help_text


def test_summary_for_the_confirmation_page():
    outcome = answers(has_spouse="yes", spouse=SPOUSE)
    sections = summarise(FORM, outcome.answers)
    rows = {row.label: row for _title, items in sections for row in items}
    assert rows["配偶者の氏名"].value == "山田 花子（ヤマダ　ハナコ）"
    assert rows["配偶者はいますか"].value == "はい"
    assert rows["理由"].value == "転入"
    child = rows["児童"].rows[0]
    assert child[0].value == "令和2年（2020年）5月1日"
