"""Decision notices: what a resident reads, where the envelope window shows it, the font."""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from madoguchi.documents import fonts, layout
from madoguchi.documents.content import Addressee
from madoguchi.documents.errors import DocumentContentError, TemplateTextError
from madoguchi.documents.notice import WINDOW_HEIGHT, WINDOW_WIDTH, WINDOW_X, WINDOW_Y
from madoguchi.documents.notice import render_decision_notice as render
from madoguchi.documents.samples import sample_notice
from tests.documents.conftest import Pdf


def test_the_notice_says_who_what_when_and_how_to_appeal(notice_pdf):
    text, flat = notice_pdf.text, notice_pdf.flat
    assert len(notice_pdf.pages) == 1
    for expected in ("児童手当認定通知書", "世子家第1234号", "令和8年11月30日", "R8-JT-000123",
                     "〒154-0001", "東京都世田谷区池尻二丁目3番4号", "世田谷 花子　様",
                     "世田谷区長", "決定の内容 認定", "支給月額 15,000円"):
        assert expected in text
    # The body came from the procedure's template, with 和暦 dates filled in.
    assert "令和8年11月16日付けで請求のあった児童手当の認定請求について、次のとおり認定した" in flat
    assert "令和8年12月分から、月額15,000円を支給します。" in flat
    # 教示: 審査請求 to the mayor within 3 months, 取消訴訟 against the ward within 6 months.
    assert "（教示）" in text
    assert "起算して3か月以内に、世田谷区長に対して審査請求をすることができます" in flat
    assert "6か月以内に、世田谷区を被告として（訴訟において世田谷区を代表する者は世田谷区長" in flat
    assert "1年を経過した場合は、審査請求をすることや処分の取消しの訴えを提起することが" in flat
    assert "問い合わせ先 世田谷総合支所 保健福祉センター 子ども家庭支援課" in text
    assert " / " not in text, "a one-page notice has no page number"


def test_the_japanese_font_is_embedded_as_a_subset(notice_pdf):
    fonts_used = notice_pdf.fonts()
    assert fonts_used
    for font in fonts_used:
        assert font["/Subtype"] == "/Type0"
        assert re.fullmatch(r"/[A-Z]{6}\+NotoSansJP", font["/BaseFont"])
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
        program = (descriptor.get("/FontFile2") or descriptor["/FontFile3"]).get_object()
        assert len(program.get_data()) < 200_000, "only the glyphs used are embedded"
        assert "/ToUnicode" in font, "text can be searched and copied"
    assert len(notice_pdf.data) < 150_000


def test_the_title_is_bold_with_a_thin_outline(notice_pdf):
    """The font has one weight: bold is fill and stroke (2 Tr) of 0.035 pt per point."""
    content = notice_pdf.reader.pages[0].get_contents().get_data()
    assert b"2 Tr 0.56 w" in content  # the 16 pt title
    # title 16 pt, （教示） 10.5 pt, 問い合わせ先 10 pt
    assert re.findall(rb"2 Tr ([\d.]+) w", content) == [b"0.56", b"0.37", b"0.35"]


def test_the_address_block_sits_in_the_window_of_a_long_3_envelope(notice_pdf):
    runs = {run.text: run for run in notice_pdf.runs()}
    for text in ("〒154-0001", "東京都世田谷区池尻二丁目3番4号", "サンプルハイツ101号",
                 "世田谷 花子　様"):
        run = runs[text]
        assert WINDOW_X - 0.1 <= run.x <= WINDOW_X + WINDOW_WIDTH
        assert WINDOW_Y <= run.y <= WINDOW_Y + WINDOW_HEIGHT
    assert runs["世田谷 花子　様"].size == 14
    # Nothing else is inside the window.
    others = [run for text, run in runs.items() if "〒" not in text and run.x < 110
              and WINDOW_Y <= run.y <= WINDOW_Y + WINDOW_HEIGHT and text not in (
                  "東京都世田谷区池尻二丁目3番4号", "サンプルハイツ101号", "世田谷 花子　様")]
    assert others == []


def test_the_resident_is_not_named_in_the_file_metadata(notice_pdf):
    metadata = notice_pdf.reader.metadata
    assert metadata.title == "児童手当認定通知書"
    assert "花子" not in str(dict(metadata))


LONG_REASON = "申請書及び添付書類を確認し、請求者が児童を監護していると確認できました。" * 40


def test_long_reasons_run_over_pages_with_numbers_and_a_running_head():
    pdf = Pdf(render(sample_notice(reasons=LONG_REASON)))
    pages = len(pdf.pages)
    assert pages >= 2
    for number, page in enumerate(pdf.pages, 1):
        assert f"{number} / {pages}" in page
    for page in pdf.pages[1:]:
        assert page.startswith("児童手当認定通知書（受付番号 R8-JT-000123）")
    assert pdf.pages[0].count("監護している") >= 3, "the reasons start on page 1"
    body = [line.removeprefix("理由 ") for line in pdf.lines()
            if not re.fullmatch(r"\d+ / \d+", line) and not line.startswith("児童手当認定通知書（")]
    assert LONG_REASON in "".join(body)
    assert "（教示）" in pdf.text and "問い合わせ先" in pdf.text
    # 禁則: no drawn line starts with 。、 or 」.
    assert [line for line in body if line[:1] in ("。", "、", "」")] == []


def test_a_procedure_may_name_another_appeal_authority():
    notice = dataclasses.replace(sample_notice(), appeal_authority="東京都知事")
    flat = Pdf(render(notice)).flat
    assert "3か月以内に、東京都知事に対して審査請求" in flat
    assert "世田谷区を被告として" in flat


def test_a_notice_that_is_not_a_decision_can_leave_the_appeal_out():
    text = Pdf(render(dataclasses.replace(sample_notice(), with_appeal=False))).text
    assert "（教示）" not in text
    assert "審査請求" not in text


def test_the_mayors_name_and_the_appeal_text_come_from_settings(settings, tmp_path):
    appeal = tmp_path / "appeal.txt"
    appeal.write_text("この処分について{{ 審査庁 }}に審査請求ができます（{{ 被告 }}）。\n",
                      encoding="utf-8")
    settings.DOCUMENTS_MAYOR_NAME = "窓口 一郎"
    settings.DOCUMENTS_APPEAL_TEXT_FILE = str(appeal)
    text = Pdf(render(sample_notice())).text
    assert "世田谷区長　窓口 一郎" in text
    assert "この処分について世田谷区長に審査請求ができます（世田谷区）。" in text


def test_a_broken_appeal_text_file_fails_the_system_check_and_the_render(settings, tmp_path):
    appeal = tmp_path / "appeal.txt"
    appeal.write_text("{{ 裁判所 }}に訴えることができます。", encoding="utf-8")
    settings.DOCUMENTS_APPEAL_TEXT_FILE = str(appeal)
    with pytest.raises(SystemCheckError, match="裁判所"):
        call_command("check")
    with pytest.raises(TemplateTextError, match="「{{ 裁判所 }}」は使えない差し込み項目です"):
        render(sample_notice())


@pytest.fixture
def pdfs_started(monkeypatch):
    """How many PDFs the renderer began to draw (fpdf2's class, wrapped)."""
    started = []

    class Counting(layout.FPDF):
        def __init__(self, *args, **kwargs):
            started.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(layout, "FPDF", Counting)
    return started


def test_an_unknown_placeholder_stops_the_notice_before_drawing(pdfs_started):
    notice = dataclasses.replace(sample_notice(), body_template="{{ 氏名 }}様\n{{ 支給額 }}円")
    with pytest.raises(TemplateTextError) as caught:
        render(notice)
    assert caught.value.problems[0].startswith("2行目: 「{{ 支給額 }}」は使えない差し込み項目")
    assert "支給月額" in caught.value.problems[0], "the allowed names are listed"
    assert pdfs_started == []


def test_placeholders_cannot_reach_settings(pdfs_started, settings):
    notice = dataclasses.replace(sample_notice(), body_template="{{ settings.SECRET_KEY }}")
    with pytest.raises(TemplateTextError) as caught:
        render(notice)
    assert settings.SECRET_KEY not in str(caught.value)
    assert pdfs_started == []


def first_character_missing_from_the_font() -> str:
    covered = fonts.covered()
    return next(chr(code) for code in range(0x20000, 0x2A6DF) if code not in covered)


def test_unprintable_content_is_refused_with_every_reason(pdfs_started):
    missing = first_character_missing_from_the_font()
    notice = dataclasses.replace(
        sample_notice(),
        addressee=Addressee(name=f"{missing}田 花子", address="世田谷区池尻\x07",
                            postal_code="15400"),
        details=(*sample_notice().details, ("支給 月額", "1円")), decision="")
    with pytest.raises(DocumentContentError) as caught:
        render(notice)
    problems = "\n".join(caught.value.problems)
    assert f"{missing}（U+{ord(missing):04X}）" in problems
    assert "印刷できない制御文字（U+0007）" in problems
    assert "郵便番号「15400」は7桁の数字" in problems
    assert "決定の内容が空です。" in problems
    assert "記の項目名「支給 月額」は差し込み項目名にできません" in problems
    assert pdfs_started == []


def test_postal_codes_are_printed_in_one_form():
    notice = dataclasses.replace(sample_notice(), addressee=dataclasses.replace(
        sample_notice().addressee, postal_code="〒１５４ー０００１"))
    assert "〒154-0001" in Pdf(render(notice)).text
