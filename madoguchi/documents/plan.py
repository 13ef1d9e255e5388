"""個別避難計画: one A4 page for the person and their supporters, in large type."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from madoguchi.core.dates import wareki
from madoguchi.documents.checking import Problems, clean
from madoguchi.documents.content import EvacuationPlanSheet
from madoguchi.documents.errors import DocumentContentError
from madoguchi.documents.layout import Cell, Sheet

SIZE = 13.0
WIDTHS = (45.0, 135.0)


def _check(plan: EvacuationPlanSheet) -> None:
    problems = Problems()
    problems.require(plan.person_name, _("氏名"))
    problems.require(plan.destination, _("避難先"))
    if not plan.supporters:
        problems.append(_("支援者がいません。"))
    texts = [plan.person_name, plan.address, plan.phone, plan.destination, plan.means,
             plan.medical, plan.issuer]
    for supporter in plan.supporters:
        texts += [supporter.name, supporter.phone, supporter.relation]
    for text in texts:
        problems.text(text, _("個別避難計画の内容"))
    problems.glyphs(texts)
    if problems:
        raise DocumentContentError(list(dict.fromkeys(problems)))


def render_evacuation_plan(plan: EvacuationPlanSheet) -> bytes:
    """The plan as an A4 PDF with the font embedded; ``DocumentContentError`` first if the
    content cannot be printed."""
    _check(plan)
    sheet = Sheet(title="個別避難計画", author=settings.DOCUMENTS_WARD_NAME, size=SIZE,
                  top=15, bottom=18, left=15, right=15)
    sheet.draw_line("個別避難計画", x=sheet.left, top=sheet.y, size=22, bold=True, leading=1.4)
    sheet.draw_line(f"{wareki(plan.printed_on)} 作成", x=sheet.left + sheet.width - 95,
                    top=sheet.y, size=SIZE, width=95, align="R", leading=1.4)
    sheet.y += sheet.line_height(22, 1.4) + 3
    supporters = "\n".join(
        f"{n}. {clean(s.name)}（{clean(s.relation) or '支援者'}）　電話 {clean(s.phone)}"
        for n, s in enumerate(plan.supporters, 1))
    rows = [
        ("氏名", f"{clean(plan.person_name)}　様"),
        ("生年月日", wareki(plan.birth_date)),
        ("住所", clean(plan.address)),
        ("電話", clean(plan.phone) or "—"),
        ("避難先", clean(plan.destination)),
        ("避難の方法", clean(plan.means)),
        ("支援者", supporters),
    ]
    if plan.medical.strip():
        rows.append(("医療的な配慮", clean(plan.medical)))
    rows.append(("次回の見直し", wareki(plan.review_due)))
    sheet.table(WIDTHS, [[Cell(label, bold=True), Cell(value)] for label, value in rows],
                size=SIZE, padding=2.0, leading=1.5)
    sheet.space(4)
    sheet.paragraph("災害のときは、この計画に沿って避難してください。内容が変わったときは、"
                    + (f"{clean(plan.issuer)}に" if plan.issuer.strip() else "")
                    + "お知らせください。", size=SIZE, leading=1.6)
    return sheet.finish()
