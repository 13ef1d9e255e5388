"""回覧板: a circular as an A4 PDF for households that read it on paper, with the
attached files named and a table for each household to sign off (確認)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from madoguchi.core.dates import wareki
from madoguchi.documents.checking import Problems, clean
from madoguchi.documents.content import CircularSheet
from madoguchi.documents.errors import DocumentContentError
from madoguchi.documents.layout import Cell, Sheet

SIZE = 13.0
WIDTHS = (12.0, 98.0, 70.0)


def _check(sheet: CircularSheet) -> None:
    problems = Problems()
    problems.require(sheet.title, _("件名"))
    problems.require(sheet.body, _("本文"))
    texts = [sheet.title, sheet.body, sheet.sender, *sheet.households, *sheet.attachments]
    for text in texts:
        problems.text(text, _("回覧板の内容"))
    problems.glyphs(texts)
    if problems:
        raise DocumentContentError(list(dict.fromkeys(problems)))


def render_circular(circular: CircularSheet) -> bytes:
    """The circular as an A4 PDF with the font embedded; ``DocumentContentError`` first
    if the content cannot be printed."""
    _check(circular)
    sheet = Sheet(title=f"回覧板 {clean(circular.title)}", author=settings.DOCUMENTS_WARD_NAME,
                  size=SIZE, top=15, bottom=18, left=15, right=15)
    sheet.draw_line("回覧板", x=sheet.left, top=sheet.y, size=16, bold=True, leading=1.4)
    sheet.draw_line(f"{wareki(circular.posted_on)}　{clean(circular.sender)}",
                    x=sheet.left + sheet.width - 110, top=sheet.y, size=SIZE, width=110,
                    align="R", leading=1.4)
    sheet.y += sheet.line_height(16, 1.4) + 2
    sheet.paragraph(clean(circular.title), size=20, bold=True, leading=1.4)
    sheet.space(3)
    sheet.paragraph(clean(circular.body), size=SIZE, leading=1.7)
    if circular.attachments:
        sheet.space(3)
        sheet.paragraph("添付資料（別紙）: " + "、".join(clean(a) for a in circular.attachments),
                        size=SIZE, leading=1.6)
    if circular.households:
        sheet.space(5)
        sheet.paragraph("読んだら確認欄に印をつけて、次の世帯へ回してください。", size=SIZE,
                        bold=True)
        sheet.space(2)
        sheet.table(WIDTHS, [[Cell(str(n)), Cell(f"{clean(name)}　様"), Cell("")]
                             for n, name in enumerate(circular.households, 1)],
                    header=[Cell("", bold=True), Cell("世帯", bold=True),
                            Cell("確認", bold=True)], size=SIZE, padding=2.5, leading=1.6)
    return sheet.finish()
