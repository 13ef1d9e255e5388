"""転入された方へ: the QR flyer of a district for newcomers, A4 or A5 (ADR 0045).

The district's name in large type, its まちづくりセンター with address, telephone and
opening hours, directions when the data has them, what the centre does and its window
services, and a row of QR codes (the district's page, the guidance page, the ward's LINE
account when there is one), each with its caption and address printed under it so that a
reader without a phone can type it. Every part the data leaves empty is left out.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from madoguchi.core.dates import wareki
from madoguchi.documents.checking import Problems
from madoguchi.documents.content import DistrictFlyer
from madoguchi.documents.errors import DocumentContentError
from madoguchi.documents.layout import Sheet

# paper: (width, height) mm, margin mm, body size pt, title size pt, QR side mm
PAPERS = {
    "a4": ((210.0, 297.0), 18.0, 12.0, 30.0, 44.0),
    "a5": ((148.0, 210.0), 12.0, 9.5, 22.0, 30.0),
}
MAX_CODES = 3
QUIET = 0.13  # white kept around a code, as a share of its side (4 modules and more)


def _check(flyer: DistrictFlyer, paper: str) -> None:
    problems = Problems()
    if paper not in PAPERS:
        problems.append(_("用紙はA4かA5にしてください。"))
    problems.require(flyer.district, _("地区名"))
    problems.require(flyer.centre, _("まちづくりセンターの名称"))
    problems.require(flyer.phone, _("電話番号"))
    if not flyer.codes or len(flyer.codes) > MAX_CODES:
        problems.append(_("QRコードは1つから%(n)dつまでです。") % {"n": MAX_CODES})
    for code in flyer.codes:
        parts = urlsplit(code.url)
        if parts.scheme not in ("https", "http") or not parts.netloc:
            problems.append(_("「%(caption)s」のアドレスが正しくありません。")
                            % {"caption": code.caption})
    texts = [flyer.ward, flyer.district, flyer.district_kana, flyer.centre, flyer.phone,
             flyer.phone_label, flyer.address, flyer.hours, flyer.directions, flyer.about,
             *flyer.services, *(c.caption for c in flyer.codes), *(c.url for c in flyer.codes)]
    for text in texts:
        problems.text(text, _("チラシの内容"))
    problems.glyphs(texts)
    if problems:
        raise DocumentContentError(list(dict.fromkeys(problems)))


def render_district_flyer(flyer: DistrictFlyer, *, paper: str = "a4") -> bytes:
    """The flyer as a one-page PDF on A4 or A5 portrait, the font embedded."""
    _check(flyer, paper)
    page, margin, size, title, side = PAPERS[paper]
    sheet = Sheet(title=f"{flyer.district}地区のご案内", author=flyer.ward or
                  settings.DOCUMENTS_WARD_NAME, size=size, top=margin, bottom=margin,
                  left=margin, right=margin, page=page)
    small = size * 0.85
    sheet.paragraph(f"{flyer.ward}に転入された方へ", size=size, leading=1.5)
    heading = f"{flyer.district}地区へ ようこそ"
    sheet.paragraph(heading, size=title, bold=True, leading=1.3)
    if flyer.district_kana:
        sheet.paragraph(f"（{flyer.district_kana}）", size=small, leading=1.4)
    sheet.paragraph(f"お住まいの地区の身近な窓口は、{flyer.centre}です。",
                    size=size, leading=1.6)
    sheet.space(size * 0.25)
    _centre_box(sheet, flyer, size)
    if flyer.about or flyer.services:
        sheet.space(size * 0.3)
        sheet.paragraph("まちづくりセンターでできること", size=size * 1.15, bold=True,
                        leading=1.6)
        if flyer.about:
            sheet.paragraph(flyer.about, size=size, leading=1.6)
        for service in flyer.services:
            sheet.paragraph(f"・{service}", size=small, leading=1.5)
    _codes(sheet, flyer, side, small)
    sheet.paragraph(f"{wareki(flyer.printed_on)}現在の情報です。{flyer.ward}",
                    size=small * 0.9, leading=1.4)
    return bytes(sheet.pdf.output())


def _centre_box(sheet: Sheet, flyer: DistrictFlyer, size: float) -> None:
    lines = [(flyer.centre, size * 1.25, True)]
    if flyer.address:
        lines.append((f"所在地　{flyer.address}", size, False))
    lines.append((f"{flyer.phone_label}　{flyer.phone}", size, False))
    if flyer.hours:
        lines.append((f"開所時間　{flyer.hours}", size, False))
    if flyer.directions:
        lines.append((f"行き方　{flyer.directions}", size, False))
    padding = 3.0
    inner = sheet.width - 2 * padding
    laid = [(part, s, bold) for text, s, bold in lines for part, _i in sheet.lines(text, s, inner)]
    height = sum(sheet.line_height(s, 1.6) for _t, s, _b in laid) + 2 * padding
    sheet.ensure(height)
    top = sheet.y
    sheet.box(sheet.left, top, sheet.width, height, width=0.5)
    y = top + padding
    for text, s, bold in laid:
        sheet.draw_line(text, x=sheet.left + padding, top=y, size=s, width=inner, bold=bold)
        y += sheet.line_height(s, 1.6)
    sheet.y = top + height


def _codes(sheet: Sheet, flyer: DistrictFlyer, side: float, small: float) -> None:
    """The QR codes side by side, each with its caption above and its address below."""
    count = len(flyer.codes)
    column = sheet.width / count
    side = min(side, column / (1 + 2 * QUIET))
    caption_lines = max(len(sheet.lines(c.caption, small, column - 2)) for c in flyer.codes)
    url_size = small * 0.75
    url_lines = max(len(sheet.lines(c.url, url_size, column - 2)) for c in flyer.codes)
    quiet = side * QUIET
    height = (caption_lines * sheet.line_height(small, 1.4) + side + 2 * quiet
              + url_lines * sheet.line_height(url_size, 1.3) + 4)
    sheet.space(small * 0.4)
    sheet.ensure(height)
    top = sheet.y
    for index, code in enumerate(flyer.codes):
        x = sheet.left + index * column
        y = top
        for line, _indent in sheet.lines(code.caption, small, column - 2):
            sheet.draw_line(line, x=x + 1, top=y, size=small, width=column - 2, align="C",
                            bold=True, leading=1.4)
            y += sheet.line_height(small, 1.4)
        y = top + caption_lines * sheet.line_height(small, 1.4) + quiet
        sheet.qr(code.url, x=x + (column - side) / 2, y=y, side=side)
        y += side + quiet
        for line, _indent in sheet.lines(code.url, url_size, column - 2):
            sheet.draw_line(line, x=x + 1, top=y, size=url_size, width=column - 2,
                            align="C", leading=1.3)
            y += sheet.line_height(url_size, 1.3)
    sheet.y = top + height
