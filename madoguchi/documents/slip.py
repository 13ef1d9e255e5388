"""受付案内票: the guidance slip printed for a resident after choosing a life event.

Large type throughout (12 pt and more) for elderly readers; one table row per procedure
with where and how it can be done, what to bring, and a QR code of the online procedure
where there is one; then the offices with their hours.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from madoguchi.core.dates import wareki
from madoguchi.documents.checking import Problems, clean
from madoguchi.documents.content import Channel, GuidanceSlip, SlipProcedure
from madoguchi.documents.errors import DocumentContentError
from madoguchi.documents.layout import Cell, Sheet

SIZE = 12.0  # the smallest type on the slip
CHANNEL_LABELS = {
    Channel.ONLINE: "オンライン（ご自宅から）",
    Channel.ASSISTED: "まちづくりセンター（お手伝いします）",
    Channel.COUNTER: "担当の窓口",
}
WIDTHS = (15.0, 56.0, 56.0, 53.0)  # 180 mm between 15 mm margins
MAX_URL = 300


def _check(slip: GuidanceSlip) -> None:
    problems = Problems()
    problems.require(slip.life_event, _("ライフイベント"))
    if not slip.procedures:
        problems.append(_("案内する手続きがありません。"))
    texts = [slip.life_event, slip.resident_name, slip.printed_by, slip.note]
    for office in slip.offices:
        problems.require(office.name, _("窓口の名称"))
        texts += [office.name, office.address, office.phone, office.hours]
    for procedure in slip.procedures:
        problems.require(procedure.name, _("手続名"))
        problems.require(procedure.section, _("担当"))
        if not procedure.channels:
            problems.append(_("「%(name)s」にできる方法（オンライン・センター・窓口）がありません。")
                            % {"name": procedure.name})
        if procedure.online_url:
            parts = urlsplit(procedure.online_url)
            if parts.scheme not in ("https", "http") or not parts.netloc or len(
                    procedure.online_url) > MAX_URL:
                problems.append(_("「%(name)s」のオンライン申請のアドレスは https:// で始まる"
                                  "%(max)d文字以内のURLにしてください。") % {
                    "name": procedure.name, "max": MAX_URL})
        texts += [procedure.name, procedure.section, procedure.note, *procedure.bring]
    for text in texts:
        problems.text(text, _("案内票の内容"))
    problems.glyphs(texts)
    if problems:
        raise DocumentContentError(list(dict.fromkeys(problems)))


def render_guidance_slip(slip: GuidanceSlip) -> bytes:
    """The slip as an A4 PDF with the font embedded; raises ``DocumentContentError`` first
    if the content cannot be printed."""
    _check(slip)

    def continuation(sheet: Sheet) -> None:
        sheet.draw_line(f"受付案内票：{slip.life_event}（つづき）", x=sheet.left, top=10,
                        size=SIZE, width=sheet.width, align="R")
        sheet.y = 20

    sheet = Sheet(title=f"受付案内票（{slip.life_event}）", author=settings.DOCUMENTS_WARD_NAME,
                  size=SIZE, top=15, bottom=18, left=15, right=15, on_new_page=continuation)
    _head(sheet, slip)
    header = [Cell("確認", bold=True), Cell("手続き", bold=True),
              Cell("できる方法・場所", bold=True), Cell("持ち物", bold=True)]
    rows = [_row(number, procedure) for number, procedure in enumerate(slip.procedures, 1)]
    sheet.table(WIDTHS, rows, header=header, size=SIZE, padding=2.0, leading=1.5, qr_side=24)
    _offices(sheet, slip)
    if slip.note.strip():
        sheet.space(4)
        sheet.paragraph(clean(slip.note), size=SIZE)
    return sheet.finish(footer=_page_numbers)


def _head(sheet: Sheet, slip: GuidanceSlip) -> None:
    right = sheet.left + sheet.width
    sheet.draw_line("受付案内票", x=sheet.left, top=sheet.y, size=22, bold=True, leading=1.4)
    meta = [f"{wareki(slip.printed_on, weekday=True)} 発行"]
    if slip.printed_by.strip():
        meta.append(slip.printed_by.strip())
    for offset, text in enumerate(meta):
        sheet.draw_line(text, x=right - 95, top=sheet.y + offset * 6.5, size=SIZE, width=95,
                        align="R", leading=1.4)
    sheet.y += max(sheet.line_height(22, 1.4), len(meta) * 6.5) + 3
    if slip.resident_name.strip():
        sheet.paragraph(f"{slip.resident_name.strip()}　様", size=16, leading=1.5)
        sheet.space(1)
    band = sheet.lines(clean(slip.life_event), 16, sheet.width - 8 - sheet.measure(
        "ライフイベント：", 16))
    height = len(band) * sheet.line_height(16, 1.5) + 4
    sheet.box(sheet.left, sheet.y, sheet.width, height, fill=True, width=0.4)
    y = sheet.y + 2
    sheet.draw_line("ライフイベント：", x=sheet.left + 4, top=y, size=16, bold=True, leading=1.5)
    label = sheet.measure("ライフイベント：", 16)
    for line, indent in band:
        sheet.draw_line(line, x=sheet.left + 4 + label + indent, top=y, size=16, bold=True,
                        leading=1.5)
        y += sheet.line_height(16, 1.5)
    sheet.y += height + 3
    sheet.paragraph("次の手続きが必要になることがあります。手続きごとに、できる方法と持ち物を"
                    "ご確認ください。QRコードを読み取ると、オンラインで申請できます。",
                    size=SIZE, leading=1.6)
    sheet.space(3)


def _row(number: int, procedure: SlipProcedure) -> list[Cell]:
    about = [f"担当：{procedure.section}"]
    if procedure.note.strip():
        about.append(f"期限など：{clean(procedure.note)}")
    ways = [f"● {CHANNEL_LABELS[channel]}" for channel in procedure.channels]
    qr = procedure.online_url if Channel.ONLINE in procedure.channels else ""
    if qr:
        ways.append("下のQRコードから申請できます。")
    bring = "\n".join(f"・{clean(item)}" for item in procedure.bring if item.strip())
    return [
        Cell("□", size=16),
        Cell("\n".join(about), title=f"{number}. {procedure.name}"),
        Cell("\n".join(ways), qr=qr),
        Cell(bring or "特にありません"),
    ]


def _offices(sheet: Sheet, slip: GuidanceSlip) -> None:
    if not slip.offices:
        return
    sheet.space(6)
    sheet.ensure(sheet.line_height(14, 1.5) + 3 * sheet.line_height(SIZE, 1.5))
    sheet.paragraph("窓口のご案内", size=14, bold=True, leading=1.5)
    for office in slip.offices:
        details = [f"住所：{office.address}" if office.address else "",
                   f"電話：{office.phone}" if office.phone else "",
                   f"受付時間：{office.hours}" if office.hours else ""]
        lines = [line for line in details if line]
        sheet.ensure((1 + len(lines)) * sheet.line_height(SIZE, 1.5))
        sheet.paragraph(f"● {clean(office.name)}", size=SIZE, bold=True, leading=1.5)
        for line in lines:
            sheet.paragraph(line, size=SIZE, leading=1.5, x=sheet.left + 6)
        sheet.space(1.5)


def _page_numbers(sheet: Sheet, page: int, pages: int) -> None:
    if pages > 1:
        sheet.draw_line(f"{page} / {pages} ページ", x=sheet.left, top=sheet.PAGE_HEIGHT - 13,
                        size=SIZE, width=sheet.width, align="C")
