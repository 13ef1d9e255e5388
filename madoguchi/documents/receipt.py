"""番号札: the walk-in ticket on a 58 mm or 80 mm receipt roll (counter context).

The number in very large type, the service in Japanese with English and やさしい日本語, the
people ahead and the estimated wait at issue, and a QR code of the ticket page to follow
the queue on a phone. No resident's name is ever on it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from madoguchi.core.dates import wareki
from madoguchi.documents.checking import Problems
from madoguchi.documents.content import QueueTicket
from madoguchi.documents.errors import DocumentContentError
from madoguchi.documents.layout import Sheet

WIDTHS = (58, 80)  # receipt rolls, mm
HEIGHT = 150.0
MARGIN = 4.0


def _check(ticket: QueueTicket, width: int) -> None:
    problems = Problems()
    if width not in WIDTHS:
        problems.append(_("用紙の幅は58mmか80mmにしてください。"))
    problems.require(ticket.number, _("番号"))
    problems.require(ticket.service, _("サービス"))
    parts = urlsplit(ticket.url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        problems.append(_("番号札のアドレスが正しくありません。"))
    texts = [ticket.office, ticket.number, ticket.service, ticket.service_en,
             ticket.service_easy]
    for text in texts:
        problems.text(text, _("番号札の内容"))
    problems.glyphs(texts)
    if problems:
        raise DocumentContentError(list(dict.fromkeys(problems)))


def render_queue_ticket(ticket: QueueTicket, *, width: int = 80) -> bytes:
    """The ticket as a one-page PDF ``width`` mm wide, the font embedded."""
    _check(ticket, width)
    small = 9.0 if width == 58 else 10.0
    sheet = Sheet(title=f"番号札 {ticket.number}", author=settings.DOCUMENTS_WARD_NAME,
                  size=small, top=MARGIN, bottom=MARGIN, left=MARGIN, right=MARGIN,
                  page=(float(width), HEIGHT))
    sheet.paragraph(ticket.office, size=small + 1, align="C", leading=1.4)
    sheet.paragraph("受付番号 Your number", size=small, align="C", leading=1.4)
    big = 40 if width == 58 else 52
    sheet.draw_line(ticket.number, x=sheet.left, top=sheet.y, size=big, width=sheet.width,
                    align="C", bold=True, leading=1.2)
    sheet.y += sheet.line_height(big, 1.2)
    sheet.paragraph(ticket.service, size=small + 1, align="C", bold=True, leading=1.4)
    for line in (ticket.service_easy, ticket.service_en):
        if line.strip():
            sheet.paragraph(line, size=small, align="C", leading=1.4)
    sheet.space(2)
    sheet.rule(sheet.left, sheet.y, sheet.left + sheet.width, sheet.y)
    sheet.space(2)
    sheet.paragraph(f"まえに まっている人 {ticket.ahead}人 / People ahead: {ticket.ahead}",
                    size=small, leading=1.5)
    sheet.paragraph(f"待ち時間の めやす 約{ticket.wait_minutes}分 / "
                    f"Estimated wait: about {ticket.wait_minutes} min", size=small, leading=1.5)
    sheet.paragraph(f"{wareki(ticket.issued_at)} {ticket.issued_at:%H:%M} 発行",
                    size=small, leading=1.5)
    sheet.space(2)
    side = 30.0 if width == 58 else 36.0
    sheet.qr(ticket.url, x=sheet.left + (sheet.width - side) / 2, y=sheet.y, side=side)
    sheet.y += side + 2
    sheet.paragraph("QRコードで 順番を スマートフォンで 見られます。"
                    "Scan to follow the queue on your phone.", size=small, align="C",
                    leading=1.4)
    sheet.paragraph("番号が よばれたら 窓口へ どうぞ。", size=small, align="C", leading=1.4)
    return bytes(sheet.pdf.output())
