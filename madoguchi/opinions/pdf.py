"""The PDFs of a public comment (A4, the document font embedded). The tally, drawn with
documents.layout in the order of the plan's own report: people by channel, items by
category, people by district and age band. The published result (意見の概要と区の考え方),
public, rendered by documents.pubcom from ``selectors.result_sheet`` (personal data
masked, nothing of a sender but the counts)."""

from __future__ import annotations

from django.conf import settings

from madoguchi.core.dates import wareki
from madoguchi.documents.checking import Problems
from madoguchi.documents.errors import DocumentContentError
from madoguchi.documents.layout import Cell, Sheet
from madoguchi.documents.pubcom import render_pubcom_result
from madoguchi.opinions import selectors
from madoguchi.opinions.models import Consultation
from madoguchi.opinions.services._common import period_text


def tally_pdf(consultation: Consultation) -> bytes:
    found = selectors.tally(consultation)
    titles = selectors.tally_titles()
    problems = Problems()
    problems.glyphs([consultation.title, *[label for rows in found.rows.values()
                                           for label, _n in rows]])
    if problems:
        raise DocumentContentError(list(problems))
    sheet = Sheet(title=f"{consultation.title} 意見の集計", author=settings.DOCUMENTS_WARD_NAME)
    sheet.paragraph(consultation.title, size=16, bold=True)
    sheet.paragraph(f"意見募集期間 {period_text(consultation.starts_on, consultation.ends_on)}",
                    size=10)
    sheet.paragraph(f"意見提出人数 {found.people}人　意見件数 {found.items}件", size=12)
    sheet.space(3)
    for kind in selectors.TALLY_KINDS:
        rows = [row for row in found.rows[kind] if row[1] or kind != "district"]
        sheet.ensure(30)
        sheet.paragraph(titles[kind], size=13, bold=True)
        sheet.table([120, 40], [[Cell(label), Cell(str(n))] for label, n in rows],
                    header=[Cell("区分", bold=True), Cell("数", bold=True)], size=10)
        sheet.space(4)

    def footer(page_sheet: Sheet, page: int, pages: int) -> None:
        page_sheet.draw_line(f"{wareki(consultation.ends_on)} 締切　{page} / {pages}",
                             x=page_sheet.left, top=page_sheet.PAGE_HEIGHT - 12, size=9,
                             width=page_sheet.width, align="C")

    return sheet.finish(footer=footer)


def result_pdf(consultation: Consultation) -> bytes:
    """意見の概要と区の考え方 as a PDF; ``DocumentContentError`` if it cannot be printed
    (``services.publish_problems`` refuses publication in that case)."""
    return render_pubcom_result(selectors.result_sheet(consultation))
