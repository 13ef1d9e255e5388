"""Every field type: what it accepts, how it stores it, and what it says instead."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from madoguchi.procedures.formschema.engine import clean_answers
from madoguchi.procedures.formschema.parse import parse_form


@pytest.fixture(autouse=True)
def _japanese():
    with translation.override("ja"):
        yield


def check(field: dict, raw):
    """(stored value, errors) of one field answered with ``raw``."""
    form = parse_form({"sections": [{"title": "T", "fields": [{"label": "項目", **field}]}]})
    outcome = clean_answers(form, {field["name"]: raw})
    return outcome.answers.get(field["name"]), outcome.errors


def ok(field: dict, raw):
    value, errors = check(field, raw)
    assert not errors, errors
    return value


def error(field: dict, raw, path: str | None = None) -> str:
    _value, errors = check(field, raw)
    assert errors, f"{raw!r} should be refused"
    return " ".join(errors[path or field["name"]])


TEXT = {"name": "note", "type": "text", "label": "備考", "max_length": 10}
TEXTAREA = {"name": "reason", "type": "textarea", "label": "理由", "max_length": 20}
KANA = {"name": "kana", "type": "kana", "label": "フリガナ"}
DATE = {"name": "birth_date", "type": "date", "label": "生年月日"}
INTEGER = {"name": "copies", "type": "integer", "label": "通数", "min": 1, "max": 10,
           "unit": "通"}
MONEY = {"name": "income", "type": "money", "label": "所得"}
DIGITS = {"name": "account", "type": "digits", "label": "口座番号", "length": 7}
POSTAL = {"name": "postal", "type": "postal_code", "label": "郵便番号"}
PHONE = {"name": "phone", "type": "phone", "label": "電話番号"}
EMAIL = {"name": "email", "type": "email", "label": "メールアドレス"}
CHOICES = [{"value": "a", "label": "あ"}, {"value": "b", "label": "い"},
           {"value": "c", "label": "う"}]
SELECT = {"name": "pick", "type": "select", "label": "種類", "choices": CHOICES}
RADIO = {"name": "pick", "type": "radio", "label": "種類", "choices": CHOICES}
MULTI = {"name": "picks", "type": "multiselect", "label": "心配なこと", "choices": CHOICES,
         "max": 2}
CHECKBOX = {"name": "agree", "type": "checkbox", "label": "同意します", "required": True}
YESNO = {"name": "spouse", "type": "yesno", "label": "配偶者はいますか"}
NAME = {"name": "applicant", "type": "name", "label": "氏名", "required": True}
ADDRESS = {"name": "address", "type": "address", "label": "住所", "required": True,
           "within": "世田谷区"}


def test_text_is_trimmed_width_normalised_and_limited():
    assert ok(TEXT, "  ＡＢＣ　ｶﾀｶﾅ  ") == "ABC カタカナ"
    assert ok(TEXT, "") is None
    assert ok(TEXT, "髙橋") == "髙橋"  # a person's kanji is kept as written
    assert error(TEXT, "あいうえおかきくけこさ") == \
        "備考は10文字以内で入力してください（今は11文字です）。"


def test_textarea_keeps_lines_and_drops_control_characters():
    assert ok(TEXTAREA, "一行目\r\n二行目\x07") == "一行目\n二行目"


def test_kana_in_hiragana_katakana_or_half_width_is_stored_as_katakana():
    assert ok(KANA, "せたがや　たろう") == "セタガヤ\u3000タロウ"
    assert ok(KANA, "ｾﾀｶﾞﾔ ﾀﾛｳ") == "セタガヤ\u3000タロウ"
    assert error(KANA, "世田谷") == \
        "フリガナはカタカナかひらがなで入力してください（例：セタガヤ　タロウ）。"


@pytest.mark.parametrize("text", ["令和6年4月1日", "R6.4.1", "２０２４／４／１", "2024-04-01",
                                  "令和６年４月１日", "r6/4/1"])
def test_dates_in_wareki_or_seireki_are_stored_as_iso(text):
    assert ok(DATE, text) == "2024-04-01"


def test_date_messages_say_what_to_write():
    assert error(DATE, "きのう") == ("生年月日は令和・平成・昭和などの和暦または西暦で入力して"
                                   "ください（例：昭和50年4月1日、1975-04-01）。")
    assert error(DATE, "平成32年4月1日") == (
        "平成は31年4月30日までです。令和2年4月1日のことでしたら、「令和2年4月1日」と入力して"
        "ください。")
    assert error(DATE, "令和元年4月30日") == (
        "令和は元年5月1日からです。平成31年4月30日のことでしたら、「平成31年4月30日」と入力して"
        "ください。")
    assert error(DATE, "昭和64年1月8日").startswith("昭和は64年1月7日までです。平成元年1月8日")
    assert "月と日を確かめてください" in error(DATE, "令和5年2月29日")


def test_dates_in_the_past_or_future_only():
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert "未来の日付は入力できません" in error({**DATE, "past": True}, tomorrow)
    assert "過ぎた日付は入力できません" in error({**DATE, "future": True}, yesterday)
    assert ok({**DATE, "past": True}, yesterday) == yesterday


def test_integers_in_any_width_and_their_bounds():
    assert ok(INTEGER, "３") == 3
    assert ok(INTEGER, "10通") == 10  # the unit may be written
    assert ok(MONEY, "500円") == 500
    assert error(INTEGER, "三通") == "通数は数字で入力してください（例：3）。"
    assert error(INTEGER, "11") == "通数は1通から10通までの数で入力してください。"
    assert error({**INTEGER, "max": None, "min": 2}, "1") == "通数は2通以上の数で入力してください。"


def test_money_with_commas_yen_and_man():
    assert ok(MONEY, "1,200,000") == 1_200_000
    assert ok(MONEY, "１２０万円") == 1_200_000
    assert ok(MONEY, "¥980") == 980
    assert error(MONEY, "たくさん") == \
        "所得は金額を円単位の数字で入力してください（例：1,200,000）。"
    assert error(MONEY, "-1") == "所得は0円以上の数で入力してください。"


def test_digits_keep_leading_zeros_and_check_the_length():
    assert ok(DIGITS, "０１２３４５６") == "0123456"
    assert ok(DIGITS, "012-3456") == "0123456"
    assert error(DIGITS, "12345") == "口座番号は7桁の数字で入力してください。（今は5桁です）"
    assert error(DIGITS, "12a4567") == "口座番号は7桁の数字で入力してください。"


def test_postal_codes_become_nnn_nnnn():
    for text in ("〒154-0017", "1540017", "１５４－００１７", "154 0017"):
        assert ok(POSTAL, text) == "154-0017"
    assert error(POSTAL, "154-001") == "郵便番号は7桁の数字で入力してください（例：154-0017）。"


def test_phone_numbers_are_normalised():
    assert ok(PHONE, "０３（５４３２）１１１１") == "03-5432-1111"
    assert ok(PHONE, "09012345678") == "090-1234-5678"
    assert error(PHONE, "5432-1111") == (
        "電話番号は市外局番から数字で入力してください（例：03-5432-1111、090-1234-5678）。")


def test_email():
    assert ok(EMAIL, " ｔａｒｏ@example.jp ") == "taro@example.jp"
    assert error(EMAIL, "taro@") == \
        "メールアドレスは「name@example.jp」のような形で入力してください。"


def test_select_and_radio_accept_only_their_choices():
    assert ok(SELECT, "b") == "b"
    assert ok(RADIO, "c") == "c"
    assert error(SELECT, "z") == "種類は一覧から選んでください。"
    assert error({**RADIO, "required": True}, "") == "種類を選んでください。"


def test_multiselect_keeps_the_choice_order_and_its_bounds():
    assert ok(MULTI, ["b", "a", "b"]) == ["a", "b"]
    assert error(MULTI, ["a", "b", "c"]) == "心配なことは2つまで選んでください。"
    assert error(MULTI, ["a", "zz"]) == "心配なことは一覧から選んでください。"


def test_checkbox_must_be_ticked_when_required():
    assert ok(CHECKBOX, "on") is True
    assert error(CHECKBOX, None) == "内容を確かめて、「同意します」にチェックを入れてください。"


def test_yes_no():
    assert ok(YESNO, "yes") is True
    assert ok(YESNO, "no") is False
    assert ok(YESNO, "") is None
    message = "「配偶者はいますか」に、「はい」か「いいえ」で答えてください。"
    assert error({**YESNO, "required": True}, "") == message
    assert error(YESNO, "maybe") == message


def test_name_parts_and_their_furigana():
    value = ok(NAME, {"family": " 髙橋 ", "given": "ﾀﾛｳ", "family_kana": "たかはし",
                      "given_kana": "ﾀﾛｳ"})
    assert value == {"family": "髙橋", "given": "タロウ", "family_kana": "タカハシ",
                     "given_kana": "タロウ"}
    _value, errors = check(NAME, {"family": "高橋", "given": "", "family_kana": "高橋",
                                  "given_kana": ""})
    assert errors == {
        "applicant.given": ["名を入力してください。"],
        "applicant.family_kana": [
            "フリガナはカタカナかひらがなで入力してください（例：セタガヤ）。"],
        "applicant.given_kana": ["名（フリガナ）を入力してください。"],
    }
    assert "数字は入力できません" in error(NAME, {"family": "高橋2", "given": "太郎",
                                              "family_kana": "タカハシ", "given_kana": "タロウ"},
                                     "applicant.family")


def test_name_without_furigana():
    assert ok({**NAME, "with_kana": False}, {"family": "山田", "given": "花子"}) == {
        "family": "山田", "given": "花子"}


def test_address_parts_and_the_ward_it_must_be_in():
    value = ok(ADDRESS, {"postal_code": "〒１５４００１７",
                         "address": "世田谷区世田谷４－２１－２７", "building": ""})
    assert value == {"postal_code": "154-0017", "address": "世田谷区世田谷4-21-27",
                     "building": ""}
    assert error(ADDRESS, {"postal_code": "154-0017", "address": "目黒区中目黒1-1"},
                 "address.address").startswith("世田谷区内の住所を、「世田谷区」から入力してください")
    _value, errors = check(ADDRESS, {})
    assert errors == {"address.postal_code": ["住所を入力してください。"]}
    _value, errors = check(ADDRESS, {"building": "世田谷ハイツ101"})
    assert errors == {"address.postal_code": ["郵便番号を入力してください。"],
                      "address.address": ["住所を入力してください。"]}


def test_an_optional_compound_field_once_started_must_be_complete():
    optional = {**NAME, "required": False}
    assert ok(optional, {}) is None
    _value, errors = check(optional, {"family": "山田"})
    assert "applicant.given" in errors


@pytest.mark.parametrize("field", [TEXT | {"max_length": 100}, TEXTAREA | {"max_length": 100},
                                   DIGITS | {"length": 12}])
def test_a_my_number_is_refused_wherever_it_is_written(field):
    message = error(field, "1234 5678 9018")
    assert message == "マイナンバー（個人番号）は書かないでください。この申請では使いません。"
    assert ok(field, "1234 5678 9010") is not None  # twelve digits but no valid check digit


def test_a_my_number_in_an_address_is_refused():
    assert "マイナンバー" in error(ADDRESS, {"postal_code": "154-0017",
                                        "address": "世田谷区 123456789018"}, "address.address")


def test_required_text_field():
    assert error({**TEXT, "required": True}, "  ") == "備考を入力してください。"


def test_english_messages_use_the_english_label():
    with translation.override("en"):
        message = error({**TEXT, "label_en": "Note", "required": True}, "")
    assert "Note" in message and "備考" not in message
