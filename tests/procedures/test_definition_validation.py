"""A definition is checked completely before it is saved, with messages an administrator
can act on; the seeded catalogue is the contract of issues 4-6."""

from __future__ import annotations

import copy

import pytest
import yaml

from madoguchi.procedures.definition import digest, validate_definition
from madoguchi.procedures.loader import DATA_DIR, read_definition
from madoguchi.procedures.problems import DefinitionInvalid
from madoguchi.procedures.workflow import STANDARD_WORKFLOW

pytestmark = pytest.mark.django_db

# docs/contracts/issues-4-5-6-interfaces.md, "Procedure codes".
CONTRACT = {
    "jido-teate-nintei": ("児童手当の認定請求", "kodomo-katei"),
    "kokuho-kanyu": ("国民健康保険の加入届", "kokuho-nenkin"),
    "kaigo-nintei": ("要介護・要支援認定の申請", "hoken-fukushi"),
    "shintai-techo": ("身体障害者手帳の交付申請", "hoken-fukushi"),
    "kazei-shomei": ("課税（非課税）証明書の交付申請", "kazei"),
    "ninshin-todoke": ("妊娠の届出", "kenko-zukuri"),
    "nenkin-menjo": ("国民年金保険料の免除・納付猶予の申請", "kokuho-nenkin"),
    "hoiku-riyo": ("保育施設の利用申込", "hoiku"),
    "jumin-hyo": ("住民票の写しの交付請求", "kumin-madoguchi"),
    "tennyu-todoke": ("転入届", "kumin-madoguchi"),
    "seikatsu-hogo": ("生活保護の申請", "seikatsu-shien"),
    "kogaku-ryoyohi": ("国民健康保険の高額療養費の支給申請", "kokuho-nenkin"),
}


def seed(code: str) -> dict:
    return read_definition(DATA_DIR / f"{code}.yaml")


def minimal(**changes) -> dict:
    definition = {
        "code": "test-procedure", "name": "試験の手続き", "section": "kazei",
        "channels": ["counter"],
        "form": {"sections": [{"title": "申請者", "fields": [
            {"name": "applicant", "type": "name", "label": "氏名", "required": True}]}]},
        "workflow": copy.deepcopy(STANDARD_WORKFLOW),
    }
    definition.update(changes)
    return definition


def problems_of(definition: dict) -> dict[str, list[str]]:
    with pytest.raises(DefinitionInvalid) as caught:
        validate_definition(definition)
    return caught.value.message_dict


def all_messages(definition: dict) -> str:
    return "\n".join(m for messages in problems_of(definition).values() for m in messages)


def with_fields(*fields) -> dict:
    return minimal(form={"sections": [{"title": "申請者", "fields": list(fields)}]})


# ── the seed ───────────────────────────────────────────────────────────────────────────


def test_the_seed_is_the_contract(setagaya):
    files = {path.stem for path in DATA_DIR.glob("*.yaml")}
    assert files == set(CONTRACT)
    for code, (name, section) in CONTRACT.items():
        clean = validate_definition(seed(code))
        assert (clean["code"], clean["name"], clean["section"]) == (code, name, section)


@pytest.mark.parametrize("code", list(CONTRACT)[:8])
def test_the_first_eight_have_complete_forms(setagaya, code):
    clean = validate_definition(seed(code))
    fields = [f for s in clean["form"]["sections"] for f in s["fields"]]
    assert len(fields) >= 10, "a realistic form asks more than a handful of questions"
    assert any(f.get("required") for f in fields)
    assert clean["attachments"], "every real procedure needs at least a proof of identity"
    assert clean["workflow"]["transitions"]
    assert clean["summary"] and clean["who_may_apply"]


def test_channels_as_the_ward_offers_them(setagaya):
    assert validate_definition(seed("tennyu-todoke"))["channels"] == ["counter"]
    jumin = validate_definition(seed("jumin-hyo"))
    assert jumin["channels"] == ["counter", "assisted", "online"]
    assert jumin["identity"] == "strong"
    assert validate_definition(seed("shintai-techo"))["channels"] == ["counter", "assisted"]


def test_fees_are_only_stated_where_known(setagaya):
    assert validate_definition(seed("kazei-shomei"))["fees"][0]["amount"] == 300
    assert validate_definition(seed("jumin-hyo"))["fees"][0]["amount"] == 300
    assert validate_definition(seed("jido-teate-nintei"))["fees"] == []


def test_child_allowance_asks_for_the_bank_account_and_children(setagaya):
    fields = {f["name"]: f for s in validate_definition(seed("jido-teate-nintei"))["form"][
        "sections"] for f in s["fields"]}
    assert fields["account_number"]["type"] == "digits"
    assert fields["account_number"]["length"] == 7
    assert fields["children"]["type"] == "group"
    assert fields["children"]["min"] == 1


def test_canonical_digest_ignores_order_and_layout(setagaya):
    definition = seed("kazei-shomei")
    reordered = dict(reversed(list(definition.items())))
    reparsed = yaml.safe_load(yaml.safe_dump(definition, default_flow_style=True))
    first = digest(validate_definition(definition))
    assert digest(validate_definition(reordered)) == first
    assert digest(validate_definition(reparsed)) == first
    changed = {**definition, "processing_days": 1}
    assert digest(validate_definition(changed)) != first


# ── the form ───────────────────────────────────────────────────────────────────────────


def test_unknown_field_type(setagaya):
    messages = all_messages(with_fields({"name": "birth", "type": "dat", "label": "生年月日"}))
    assert "種類「dat」は使えません" in messages
    assert "date" in messages  # lists what can be used


def test_duplicate_names_even_inside_groups(setagaya):
    messages = all_messages(with_fields(
        {"name": "phone", "type": "phone", "label": "電話"},
        {"name": "members", "type": "group", "label": "世帯員", "fields": [
            {"name": "phone", "type": "phone", "label": "電話"}]}))
    assert "項目名「phone」が重複しています" in messages


def test_bad_field_names_and_misspelt_settings(setagaya):
    messages = all_messages(with_fields(
        {"name": "Birth Date", "type": "date", "label": "生年月日"},
        {"name": "phone", "type": "phone", "label": "電話", "requried": True}))
    assert "項目名（name）は半角英小文字で始まり" in messages
    assert "「requried」という設定はありません" in messages


def test_condition_on_unknown_field(setagaya):
    messages = all_messages(with_fields(
        {"name": "other", "type": "text", "label": "その他",
         "show_when": {"field": "reason", "equals": "x"}}))
    assert "条件の項目「reason」はこの申請書にありません" in messages


def test_condition_value_must_be_a_choice(setagaya):
    messages = all_messages(with_fields(
        {"name": "reason", "type": "radio", "label": "理由",
         "choices": [{"value": "move", "label": "転入"}]},
        {"name": "other", "type": "text", "label": "その他",
         "required_when": {"field": "reason", "equals": "others"}}))
    assert "「others」は項目「reason」の選択肢にありません（選択肢の値：move）" in messages


def test_condition_on_yes_no_needs_true_or_false(setagaya):
    messages = all_messages(with_fields(
        {"name": "has_spouse", "type": "yesno", "label": "配偶者"},
        {"name": "spouse", "type": "name", "label": "配偶者の氏名",
         "show_when": {"field": "has_spouse", "equals": "yes"}}))
    assert "true か false" in messages


def test_condition_cycles_are_refused(setagaya):
    messages = all_messages(with_fields(
        {"name": "a", "type": "text", "label": "A", "show_when": {"field": "b", "filled": True}},
        {"name": "b", "type": "text", "label": "B", "show_when": {"field": "a", "filled": True}}))
    assert "条件が循環しています" in messages


def test_conditions_inside_a_group_see_their_row_and_the_top_level(setagaya):
    validate_definition(with_fields(
        {"name": "has_children", "type": "yesno", "label": "子"},
        {"name": "children", "type": "group", "label": "子", "fields": [
            {"name": "lives_with", "type": "yesno", "label": "同居"},
            {"name": "child_address", "type": "address", "label": "住所",
             "show_when": {"field": "lives_with", "equals": False}},
            {"name": "school", "type": "text", "label": "学校",
             "show_when": {"field": "has_children", "equals": True}}]}))
    messages = all_messages(with_fields(
        {"name": "g1", "type": "group", "label": "G1", "fields": [
            {"name": "x", "type": "text", "label": "X"}]},
        {"name": "g2", "type": "group", "label": "G2", "fields": [
            {"name": "y", "type": "text", "label": "Y",
             "show_when": {"field": "x", "filled": True}}]}))
    assert "別の繰り返しの中にある" in messages


def test_unquoted_yes_and_no_as_choice_values_are_refused(setagaya):
    parsed = yaml.safe_load("choices: [yes, no]")  # YAML 1.1 reads these as booleans
    messages = all_messages(with_fields(
        {"name": "answer", "type": "radio", "label": "回答", **parsed}))
    assert "引用符で囲んでください" in messages


def test_my_number_is_never_collected(setagaya):
    for field in ({"name": "my_number", "type": "digits", "label": "番号"},
                  {"name": "number", "type": "digits", "label": "個人番号"},
                  {"name": "number", "type": "text", "label": "マイナンバー（12桁）"}):
        assert "マイナンバー（個人番号）を書いてもらう項目は作れません" in all_messages(
            with_fields(field))
    validate_definition(with_fields(
        {"name": "has_card", "type": "yesno", "label": "マイナンバーカードをお持ちですか"}))


def test_option_bounds(setagaya):
    messages = all_messages(with_fields(
        {"name": "count", "type": "integer", "label": "数", "min": 5, "max": 1},
        {"name": "when", "type": "date", "label": "日", "past": True, "future": True},
        {"name": "rows", "type": "group", "label": "行", "max": 99,
         "fields": [{"name": "x", "type": "text", "label": "X"}]}))
    assert "「min」が「max」より大きくなっています" in messages
    assert "「past」と「future」を両方 true にはできません" in messages
    assert "繰り返しの「max」は50までにしてください" in messages


def test_groups_cannot_nest(setagaya):
    messages = all_messages(with_fields(
        {"name": "outer", "type": "group", "label": "外", "fields": [
            {"name": "inner", "type": "group", "label": "内", "fields": [
                {"name": "x", "type": "text", "label": "X"}]}]}))
    assert "繰り返しの中に、さらに繰り返し（group）は作れません" in messages


# ── the workflow ───────────────────────────────────────────────────────────────────────


def workflow(statuses, transitions, initial="received"):
    return minimal(workflow={"initial": initial, "statuses": statuses,
                             "transitions": transitions})


S = {"code": "received", "label": "受付", "resident_label": "受け付けました"}
DONE = {"code": "done", "label": "完了", "resident_label": "終わりました", "final": True}


def test_transition_to_unknown_status(setagaya):
    messages = all_messages(workflow(
        [S, DONE], [{"name": "finish", "label": "終える", "from": ["received"],
                     "to": "finished"}]))
    assert "「to」の状態「finished」は状態の一覧にありません" in messages


def test_unreachable_final_state(setagaya):
    orphan = {"code": "archived", "label": "保存", "resident_label": "保存しました",
              "final": True}
    messages = all_messages(workflow(
        [S, DONE, orphan],
        [{"name": "finish", "label": "終える", "from": ["received"], "to": "done"}]))
    assert "終わりの状態「保存」には、最初の状態「received」からたどり着けません" in messages


def test_dead_end_and_loop_without_exit(setagaya):
    looping = {"code": "checking", "label": "確認中", "resident_label": "確認しています"}
    messages = all_messages(workflow(
        [S, looping, DONE],
        [{"name": "check", "label": "確認", "from": ["received"], "to": "checking"},
         {"name": "again", "label": "もう一度", "from": ["checking"], "to": "received"},
         {"name": "finish", "label": "終える", "from": ["received"], "to": "checking"}]))
    assert "終わりの状態「完了」には" in messages
    assert "状態「受付」からは、終わりの状態にたどり着けません" in messages


def test_no_final_state_and_final_with_exit(setagaya):
    assert "終わりの状態（final: true）が1つもありません" in all_messages(workflow(
        [S], [{"name": "x", "label": "X", "from": ["received"], "to": "received"}]))
    messages = all_messages(workflow(
        [S, DONE], [{"name": "finish", "label": "終える", "from": ["received"], "to": "done"},
                    {"name": "reopen", "label": "再開", "from": ["done"], "to": "received"}]))
    assert "終わりの状態「完了」から先へ移る移り方があります" in messages


def test_duplicate_transition_names_and_bad_actor(setagaya):
    messages = all_messages(workflow(
        [S, DONE], [{"name": "finish", "label": "終える", "from": ["received"], "to": "done"},
                    {"name": "finish", "label": "終える", "from": ["received"], "to": "done",
                     "actor": "robot"}]))
    assert "「actor」は staff（職員）か resident（申請者）にしてください" in messages


# ── the rest of the definition ─────────────────────────────────────────────────────────


def test_metadata_problems_are_reported_by_part(setagaya):
    problems = problems_of(minimal(code="New Procedure", section="no-such-kind",
                                   channels=["post"], identity="strong", name=""))
    assert set(problems) >= {"code", "section", "channels", "name"}
    assert "担当の課・機関の種別「no-such-kind」はありません" in problems["section"][0]


def test_reserved_codes(setagaya):
    assert "画面のアドレスに使う言葉" in problems_of(minimal(code="new"))["code"][0]


def test_identity_needs_the_online_channel(setagaya):
    problems = problems_of(minimal(channels=["counter"], identity="email"))
    assert "オンラインで受け付けない手続き" in problems["identity"][0]


def test_attachment_conditions_refer_to_the_form(setagaya):
    problems = problems_of(minimal(attachments=[
        {"code": "poa", "name": "委任状", "explanation": "代理人の場合",
         "when": {"field": "requester", "equals": "proxy"}},
        {"code": "poa", "name": "委任状", "explanation": "重複"}]))
    text = "\n".join(problems["attachments"])
    assert "条件の項目「requester」は申請書（繰り返しの外）にありません" in text
    assert "添付書類のコード「poa」が重複しています" in text


def test_notice_placeholders(setagaya):
    ok = {"status": "decided", "title": "決定通知書",
          "body": "{{ applicant_name }} 様 {{ answers.applicant }} {{reference}}"}
    clean = validate_definition(minimal(notices=[ok]))
    assert "審査請求" in clean["notices"][0]["appeal"]  # the standard 教示 is filled in
    problems = problems_of(minimal(notices=[
        {**ok, "body": "{{ resident.address }}"}, {**ok, "status": "approved"}]))
    text = "\n".join(problems["notices"])
    assert "差し込み「{{ resident.address }}」は使えません" in text
    assert "状態「approved」は処理の流れにありません" in text


def test_every_problem_is_reported_at_once(setagaya):
    definition = minimal(name="", section="nope", form={"sections": [{"title": "A", "fields": [
        {"name": "x", "type": "nope", "label": "X"}]}]},
        workflow={"initial": "start", "statuses": [], "transitions": []})
    problems = problems_of(definition)
    assert {"name", "section", "form", "workflow"} <= set(problems)


def test_not_a_definition(setagaya):
    assert problems_of([1, 2, 3])
    assert problems_of({"code": "x"})
