"""Guidance slips: large type, where and how each procedure is done, QR codes, many pages."""

from __future__ import annotations

import dataclasses
import subprocess

import pytest

from madoguchi.documents.content import Channel, SlipProcedure
from madoguchi.documents.errors import DocumentContentError
from madoguchi.documents.samples import PORTAL, sample_slip
from madoguchi.documents.slip import render_guidance_slip as render
from tests.documents.conftest import Pdf
from tests.tools import needs


def test_the_slip_lists_each_procedure_with_ways_things_to_bring_and_offices(slip_pdf):
    text, flat = slip_pdf.text, slip_pdf.flat
    for expected in ("受付案内票", "令和8年11月30日（月） 発行", "池尻まちづくりセンター",
                     "世田谷 花子　様", "ライフイベント：転入（世田谷区に引っ越してきた）",
                     "1. 転入届", "2. 国民健康保険の加入届", "3. 児童手当の認定請求",
                     "4. 保育施設の利用申込", "● 担当の窓口",
                     "窓口のご案内", "● 世田谷総合支所 くみん窓口"):
        assert expected in text
    assert "● まちづくりセンター（お手伝いします）" in flat
    assert "● オンライン（ご自宅から）" in flat
    assert "・前の住所地の転出証明書（マイナンバーカードで転出届をした方は不要）" in flat
    assert "期限など：住み始めた日から14日以内" in flat
    assert "受付時間：平日 8時30分〜17時15分（土日祝日・年末年始を除く）" in flat


def test_every_letter_on_the_slip_is_at_least_12_point(slip_pdf):
    sizes = {run.size for page in range(len(slip_pdf.pages)) for run in slip_pdf.runs(page)}
    assert min(sizes) >= 12
    assert max(sizes) >= 20, "the title stands out"


def test_the_font_is_embedded(slip_pdf):
    for font in slip_pdf.fonts():
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


def links(pdf: Pdf) -> list[str]:
    return [annotation.get_object()["/A"]["/URI"]
            for page in pdf.reader.pages for annotation in page.get("/Annots", [])]


def test_online_procedures_get_a_qr_code_that_links_to_their_page(slip_pdf):
    assert links(slip_pdf) == [PORTAL + "jido-teate-nintei/", PORTAL + "hoiku-riyo/"]
    assert slip_pdf.flat.count("下のQRコードから申請できます。") == 2


def test_an_address_without_the_online_channel_gets_no_qr_code():
    slip = sample_slip()
    offline = dataclasses.replace(slip.procedures[2], channels=(Channel.COUNTER,))
    pdf = Pdf(render(dataclasses.replace(slip, procedures=(offline,))))
    assert links(pdf) == []
    assert "QRコードから申請" not in pdf.flat


@pytest.mark.needs("pdftoppm", "zbarimg")
def test_the_printed_qr_codes_scan(slip_pdf, tmp_path):
    source = tmp_path / "slip.pdf"
    source.write_bytes(slip_pdf.data)
    subprocess.run([needs("pdftoppm"), "-r", "150", "-png", source, tmp_path / "page"],
                   check=True)
    found = []
    for image in sorted(tmp_path.glob("page-*.png")):
        result = subprocess.run([needs("zbarimg"), "-q", "--raw", image], capture_output=True,
                                text=True)
        found += result.stdout.split()
    assert found == [PORTAL + "jido-teate-nintei/", PORTAL + "hoiku-riyo/"]


def test_many_procedures_run_over_pages_with_the_table_head_and_page_numbers():
    slip = sample_slip()
    procedures = tuple(dataclasses.replace(slip.procedures[index % 4], name=f"手続{index}")
                       for index in range(12))
    pdf = Pdf(render(dataclasses.replace(slip, procedures=procedures)))
    pages = len(pdf.pages)
    assert pages >= 3
    for number, page in enumerate(pdf.pages, 1):
        assert "確認 手続き できる方法・場所 持ち物" in page
        assert f"{number} / {pages} ページ" in page
    for page in pdf.pages[1:]:
        assert page.startswith("受付案内票：転入（世田谷区に引っ越してきた）（つづき）")
    for index in range(12):
        assert f"{index + 1}. 手続{index}" in pdf.text


def test_the_resident_name_is_optional():
    text = Pdf(render(dataclasses.replace(sample_slip(), resident_name=""))).text
    assert "様" not in text


def test_unusable_slips_are_refused_in_japanese():
    bad = SlipProcedure(name="転入届", section="", channels=(),
                        online_url="javascript:alert(1)")
    with pytest.raises(DocumentContentError) as caught:
        render(dataclasses.replace(sample_slip(), life_event=" ", procedures=(bad,)))
    assert caught.value.problems == [
        "ライフイベントが空です。",
        "担当が空です。",
        "「転入届」にできる方法（オンライン・センター・窓口）がありません。",
        "「転入届」のオンライン申請のアドレスは https:// で始まる300文字以内のURLにしてください。",
    ]
    with pytest.raises(DocumentContentError, match="案内する手続きがありません。"):
        render(dataclasses.replace(sample_slip(), procedures=()))
