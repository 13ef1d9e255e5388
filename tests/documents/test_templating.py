"""Administrators' template text: placeholders only, plain-text values, Japanese errors."""

from __future__ import annotations

import pytest

from madoguchi.documents.errors import TemplateTextError
from madoguchi.documents.notice import check_notice_template
from madoguchi.documents.templating import check_template, fill_template

VALUES = {"氏名": "世田谷 花子", "受付番号": "R8-000001"}


def test_placeholders_are_filled_with_or_without_spaces():
    text = "{{ 氏名 }}様（受付番号 {{受付番号}}）"
    assert fill_template(text, VALUES) == "世田谷 花子様（受付番号 R8-000001）"


def test_values_are_inserted_once_as_plain_text():
    values = {"氏名": "{{ 受付番号 }}{% debug %}", "受付番号": "R8-000001"}
    assert fill_template("{{ 氏名 }}", values) == "{{ 受付番号 }}{% debug %}"


def test_an_unknown_placeholder_is_named_with_its_line_and_the_allowed_names():
    with pytest.raises(TemplateTextError) as caught:
        fill_template("第1行\n{{ 支給額 }}を支給します。", VALUES)
    assert caught.value.problems == [
        "2行目: 「{{ 支給額 }}」は使えない差し込み項目です。使える項目: 氏名、受付番号"]


@pytest.mark.parametrize("text", [
    "{{ settings.SECRET_KEY }}",
    "{{ 氏名.__class__.__mro__ }}",
    "{{ 氏名|upper }}",
    "{{ request }}",
    "{{ __import__('os').system('id') }}",
])
def test_expressions_cannot_read_settings_or_run_code(text, settings):
    with pytest.raises(TemplateTextError) as caught:
        fill_template(text, VALUES)
    message = str(caught.value)
    assert message.startswith("1行目: ")
    assert settings.SECRET_KEY not in message


@pytest.mark.parametrize("text", [
    "{% debug %}", "{% load static %}{% include '/etc/passwd' %}", "{# note #}"])
def test_django_tags_are_refused(text):
    problems = check_template(text, allowed=VALUES)
    assert problems
    assert "は使えません。差し込めるのは「{{ 氏名 }}」のような項目名だけです。" in problems[0]


def test_unbalanced_and_full_width_braces_are_reported():
    assert check_template("{{ 氏名 }} }}", allowed=VALUES) == [
        "1行目: 「{{」と「}}」の組が合っていません。"]
    assert check_template("｛｛氏名｝｝", allowed=VALUES)[0].endswith(
        "半角の「{{」「}}」で書いてください。")
    assert check_template("{{  }}", allowed=VALUES) == ["1行目: 「{{  }}」に項目名がありません。"]


def test_notice_templates_know_the_standard_names_aliases_and_detail_rows():
    text = "{{ 氏名 }} {{ name }} {{ 申請日 }} {{ reference_number }} {{ 支給月額 }}"
    assert check_notice_template(text, detail_labels=["支給月額"]) == []
    assert check_notice_template(text) != []
