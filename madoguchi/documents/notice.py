"""決定通知書: the decision notice sent to a resident, as a PDF.

Page 1 follows the usual layout of a ward notice: document number and date top right, the
addressee where the window of a 長3 envelope shows it once the A4 sheet is folded in three
(fold marks at 99 and 198 mm), the mayor as issuer, the title, the body from the procedure's
template, 記 with the reference number, decision, details and reasons, the appeal
instructions (教示) and the section to ask.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from madoguchi.core.dates import wareki
from madoguchi.documents.appeal import appeal_text
from madoguchi.documents.checking import Problems, clean, postal_code
from madoguchi.documents.content import DecisionNotice
from madoguchi.documents.errors import DocumentContentError, TemplateTextError
from madoguchi.documents.layout import Cell, Sheet
from madoguchi.documents.templating import NAME, check_template, fill_template

# Placeholders every notice template may use: (name, ASCII alias, what it prints).
PLACEHOLDERS: tuple[tuple[str, str, str], ...] = (
    ("氏名", "name", "宛名の氏名"),
    ("受付番号", "reference_number", "申請の受付番号"),
    ("手続名", "procedure_name", "手続の名称"),
    ("申請日", "applied_on", "申請日（和暦）"),
    ("通知日", "issued_on", "この通知の日付（和暦）"),
    ("決定", "decision", "決定の内容（認定、却下など）"),
    ("区名", "ward", "区の名称"),
)

# The window of a 長3 envelope over an A4 sheet folded in three (mm from the top left).
WINDOW_X, WINDOW_Y, WINDOW_WIDTH, WINDOW_HEIGHT = 22.0, 22.0, 86.0, 40.0
FOLDS = (99.0, 198.0)


def placeholder_names(detail_labels: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Every name a notice template may use, given the labels of its detail rows."""
    names = [name for name, _alias, _help in PLACEHOLDERS]
    names += [alias for _name, alias, _help in PLACEHOLDERS]
    return names + [label for label in detail_labels
                    if label not in names and NAME.fullmatch(label)]


def check_notice_template(text: str, *, detail_labels: tuple[str, ...] | list[str] = ()
                          ) -> list[str]:
    """Problems of a procedure's notice template, for the form that saves it."""
    return check_template(text, allowed=placeholder_names(detail_labels))


def _values(notice: DecisionNotice) -> dict[str, str]:
    standard = {
        "氏名": notice.addressee.name,
        "受付番号": notice.reference_number,
        "手続名": notice.procedure_name,
        "申請日": wareki(notice.applied_on) if notice.applied_on else "",
        "通知日": wareki(notice.issued_on),
        "決定": notice.decision,
        "区名": settings.DOCUMENTS_WARD_NAME,
    }
    values = dict(standard)
    values.update({alias: standard[name] for name, alias, _help in PLACEHOLDERS})
    for label, value in notice.details:
        values.setdefault(label, value)
    return values


def _check(notice: DecisionNotice) -> tuple[str, str]:
    """The filled body and appeal text; raises before anything is drawn."""
    labels = [label for label, _value in notice.details]
    problems = Problems()
    for label in labels:
        if not NAME.fullmatch(label):
            problems.append(_("記の項目名「%(label)s」は差し込み項目名にできません"
                              "（記号や空白を除いてください）。") % {"label": label})
    if len(set(labels)) != len(labels):
        problems.append(_("記の項目名が重複しています。"))
    template_problems = check_notice_template(notice.body_template, detail_labels=labels)
    if template_problems:
        raise TemplateTextError(template_problems)
    body = clean(fill_template(notice.body_template, _values(notice)))
    appeal = ""
    if notice.with_appeal:
        appeal = clean(notice.appeal) or appeal_text(authority=notice.appeal_authority)

    required = [
        (notice.title, _("表題")), (notice.document_number, _("文書番号")),
        (notice.reference_number, _("受付番号")), (notice.addressee.name, _("宛名の氏名")),
        (notice.addressee.address, _("宛名の住所")), (notice.issuer.section, _("担当課")),
        (notice.procedure_name, _("手続名")), (notice.decision, _("決定の内容")),
        (notice.body_template, _("本文")),
    ]
    for value, label in required:
        problems.require(value, label)
    if notice.addressee.postal_code and not postal_code(notice.addressee.postal_code):
        problems.append(_("郵便番号「%(value)s」は7桁の数字（例: 154-8504）で書いてください。")
                        % {"value": notice.addressee.postal_code})
    texts = [value for value, _label in required] + [
        notice.reasons, notice.appeal_authority, notice.addressee.honorific,
        notice.issuer.office, notice.issuer.address, notice.issuer.phone, notice.issuer.hours,
        *[part for row in notice.details for part in row]]
    for text in texts:
        problems.text(text, _("通知書の内容"))
    problems.glyphs([*texts, body, appeal, settings.DOCUMENTS_WARD_NAME,
                     settings.DOCUMENTS_MAYOR_TITLE, settings.DOCUMENTS_MAYOR_NAME])
    if problems:
        raise DocumentContentError(list(dict.fromkeys(problems)))
    return body, appeal


def render_decision_notice(notice: DecisionNotice) -> bytes:
    """The notice as an A4 PDF with the font embedded.

    Raises ``TemplateTextError`` or ``DocumentContentError`` (Japanese messages) first if
    the template or the content cannot be printed.
    """
    body, appeal = _check(notice)

    def continuation(sheet: Sheet) -> None:
        sheet.draw_line(f"{notice.title}（受付番号 {notice.reference_number}）",
                        x=sheet.left, top=10, size=9, width=sheet.width, align="R")

    sheet = Sheet(title=notice.title, author=settings.DOCUMENTS_WARD_NAME, size=11,
                  top=20, bottom=16, on_new_page=continuation)
    _head(sheet, notice)
    sheet.paragraph(body, size=11, leading=1.7)
    sheet.space(2)
    sheet.paragraph("記", size=11, align="C")
    sheet.space(1)
    _items(sheet, notice)
    if appeal:
        sheet.space(3)
        sheet.ensure(sheet.line_height(10.5) + 3 * sheet.line_height(9.5, 1.5))
        sheet.paragraph("（教示）", size=10.5, bold=True)
        sheet.paragraph(appeal, size=9.5, leading=1.5)
    _contact(sheet, notice)
    return sheet.finish(footer=_page_numbers)


def _head(sheet: Sheet, notice: DecisionNotice) -> None:
    right = sheet.left + sheet.width
    for offset, text in enumerate((notice.document_number, wareki(notice.issued_on))):
        sheet.draw_line(text, x=right - 70, top=16 + offset * 6.5, size=11, width=70,
                        align="R")
    for fold in FOLDS:  # fold marks for 三つ折り
        sheet.rule(0, fold, 5, fold, width=0.2)

    y = WINDOW_Y
    code = postal_code(notice.addressee.postal_code)
    if code:
        sheet.draw_line(f"〒{code}", x=WINDOW_X, top=y, size=11)
        y += sheet.line_height(11, 1.5)
    for line in sheet.wrap(clean(notice.addressee.address), 11, WINDOW_WIDTH):
        sheet.draw_line(line, x=WINDOW_X, top=y, size=11)
        y += sheet.line_height(11, 1.5)
    y += 2
    name = f"{notice.addressee.name}　{notice.addressee.honorific}".rstrip()
    for line in sheet.wrap(name, 14, WINDOW_WIDTH):
        sheet.draw_line(line, x=WINDOW_X + 4, top=y, size=14)
        y += sheet.line_height(14, 1.5)

    issuer = settings.DOCUMENTS_MAYOR_TITLE
    if settings.DOCUMENTS_MAYOR_NAME:
        issuer += f"　{settings.DOCUMENTS_MAYOR_NAME}"
    # The issuer stands right of the window, level with its last line.
    top = max(y, WINDOW_Y + WINDOW_HEIGHT) - sheet.line_height(12, 1.5)
    sheet.draw_line(issuer, x=right - 70, top=top, size=12, width=70, align="R", leading=1.5)
    sheet.y = top + 14
    sheet.paragraph(notice.title, size=16, align="C", bold=True)
    sheet.space(3)


def _items(sheet: Sheet, notice: DecisionNotice) -> None:
    rows = [("受付番号", notice.reference_number), ("手続名", notice.procedure_name)]
    if notice.applied_on:
        rows.append(("申請日", wareki(notice.applied_on)))
    rows.append(("決定の内容", notice.decision))
    rows += list(notice.details)
    if notice.reasons.strip():
        rows.append(("理由", clean(notice.reasons)))
    label_width = 34.0
    sheet.table([label_width, sheet.width - label_width],
                [[Cell(label, shaded=True), Cell(clean(value))] for label, value in rows],
                size=10.5, padding=1.2, leading=1.5)
    sheet.space(1)
    sheet.paragraph("以上", size=11, align="R")


def _contact(sheet: Sheet, notice: DecisionNotice) -> None:
    """問い合わせ先, in a box at the right, kept on one page."""
    issuer = notice.issuer
    code = postal_code(issuer.postal_code)
    lines = [
        " ".join(part for part in (issuer.office, issuer.section) if part),
        " ".join(part for part in (f"〒{code}" if code else "", issuer.address) if part),
        "　".join(part for part in (f"電話 {issuer.phone}" if issuer.phone else "",
                                   f"受付時間 {issuer.hours}" if issuer.hours else "") if part),
    ]
    size, padding, label_width = 10.0, 2.0, 27.0
    width = sheet.width * 0.8
    text_width = width - label_width - 2 * padding
    wrapped = [row for line in lines if line for row in sheet.wrap(line, size, text_width)]
    step = sheet.line_height(size, 1.5)
    height = len(wrapped) * step + 2 * padding
    sheet.space(2)
    sheet.ensure(height)
    x = sheet.left + sheet.width - width
    sheet.box(x, sheet.y, width, height)
    y = sheet.y + padding
    sheet.draw_line("問い合わせ先", x=x + padding, top=y, size=size, bold=True, leading=1.5)
    for row in wrapped:
        sheet.draw_line(row, x=x + label_width, top=y, size=size, leading=1.5)
        y += step
    sheet.y += height


def _page_numbers(sheet: Sheet, page: int, pages: int) -> None:
    if pages > 1:
        sheet.draw_line(f"{page} / {pages}", x=sheet.left, top=sheet.PAGE_HEIGHT - 14,
                        size=9, width=sheet.width, align="C")

