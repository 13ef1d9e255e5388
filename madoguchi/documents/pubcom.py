"""意見の概要と区の考え方: the published result of a public comment as an A4 PDF.

The draft's name, the period and the day of publication in 和暦, the number of people and
items with the people by channel, then per category a table of the summaries of the
opinions (意見の概要, with the number of items of the same purport) and the ward's answer
(区の考え方). A public document: it prints only what ``PublicCommentResult`` holds, which
the calling context (opinions) fills with personal data already removed.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from madoguchi.core.dates import wareki
from madoguchi.documents.checking import Problems, clean
from madoguchi.documents.content import PublicCommentResult
from madoguchi.documents.errors import DocumentContentError
from madoguchi.documents.layout import Cell, Sheet

SIZE = 10.5
MARGIN = 18.0
WIDTHS = (12.0, 70.0, 92.0)  # 番号, 意見の概要, 区の考え方 (174 mm between the margins)
FACT_WIDTHS = (40.0, 134.0)
HEADING = "意見の概要と区の考え方"


def _texts(result: PublicCommentResult) -> list[str]:
    texts = [result.title, result.intro, result.publisher,
             *[label for label, _n in result.channels]]
    for section in result.sections:
        texts.append(section.category)
        for answer in section.answers:
            texts += [answer.summary, answer.answer]
    return texts


def result_problems(result: PublicCommentResult) -> list[str]:
    """Why the result cannot be printed (empty: it can), in Japanese."""
    problems = Problems()
    problems.require(result.title, _("案の名称"))
    for section in result.sections:
        for answer in section.answers:
            problems.require(answer.summary, _("意見の概要"))
            problems.require(answer.answer, _("区の考え方"))
    texts = _texts(result)
    for text in texts:
        problems.text(text, _("意見の概要と区の考え方"))
    problems.glyphs(texts)
    return list(dict.fromkeys(problems))


def _summary(text: str, count: int) -> str:
    text = clean(text)
    return f"{text}\n（同趣旨 {count}件）" if count > 1 else text


def render_pubcom_result(result: PublicCommentResult) -> bytes:
    """The result as an A4 PDF with the font embedded; ``DocumentContentError`` first if
    the content cannot be printed."""
    problems = result_problems(result)
    if problems:
        raise DocumentContentError(problems)
    title = clean(result.title)
    publisher = clean(result.publisher) or settings.DOCUMENTS_WARD_NAME
    sheet = Sheet(title=f"{title} {HEADING}", author=publisher, size=SIZE, top=MARGIN,
                  bottom=MARGIN + 2, left=MARGIN, right=MARGIN)
    sheet.draw_line(f"{wareki(result.published_on)} 公表　{publisher}",
                    x=sheet.left, top=sheet.y, size=SIZE, width=sheet.width, align="R")
    sheet.y += sheet.line_height(SIZE) + 1
    sheet.paragraph(title, size=16, bold=True, leading=1.4)
    sheet.paragraph(HEADING, size=14, bold=True, leading=1.5)
    sheet.space(3)
    if result.intro.strip():
        sheet.paragraph(clean(result.intro), size=SIZE, leading=1.7)
        sheet.space(3)
    facts = [
        ("意見の募集期間", f"{wareki(result.starts_on, weekday=True)}から"
                    f"{wareki(result.ends_on, weekday=True)}まで"),
        ("意見提出人数", f"{result.people}人（提出方法別は下の表）"),
        ("意見件数", f"{result.items}件"),
    ]
    sheet.table(FACT_WIDTHS, [[Cell(label, bold=True, shaded=True), Cell(value)]
                              for label, value in facts], size=SIZE)
    sheet.space(4)
    sheet.paragraph("提出方法別の人数", size=12, bold=True)
    sheet.table((80.0, 30.0), [[Cell(clean(label)), Cell(f"{n}人")]
                               for label, n in result.channels],
                header=[Cell("提出方法", bold=True), Cell("人数", bold=True)], size=SIZE)
    for section in result.sections:
        sheet.space(5)
        sheet.ensure(40)
        sheet.paragraph(f"{clean(section.category)}（{section.count}件）", size=12.5,
                        bold=True)
        sheet.table(WIDTHS, [[Cell(str(n)), Cell(_summary(a.summary, a.count)),
                              Cell(clean(a.answer))]
                             for n, a in enumerate(section.answers, 1)],
                    header=[Cell("番号", bold=True), Cell("意見の概要", bold=True),
                            Cell("区の考え方", bold=True)], size=SIZE)

    def footer(page_sheet: Sheet, page: int, pages: int) -> None:
        text = f"{title}　{HEADING}　{page} / {pages}"
        if page_sheet.measure(text, 8.5) > page_sheet.width:  # a long name: the heading
            text = f"{HEADING}　{page} / {pages}"
        page_sheet.draw_line(text, x=page_sheet.left,
                             top=page_sheet.PAGE_HEIGHT - 12, size=8.5,
                             width=page_sheet.width, align="C")

    return sheet.finish(footer=footer)
