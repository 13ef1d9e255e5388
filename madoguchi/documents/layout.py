"""A4 pages with the document font: wrapped Japanese text, tables, QR codes, page numbers.

A thin layer over fpdf2 that does its own line breaking (``kinsoku.wrap``) and keeps a
vertical cursor, so that paragraphs and table rows move to a new page when they do not fit.
All sizes are millimetres except font sizes, which are points.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import segno
from fpdf import FPDF
from fpdf.enums import TextMode

from madoguchi.documents import fonts, kinsoku

PT = 25.4 / 72  # one point in millimetres
ASCENT = 0.88  # Noto Sans JP: baseline below the top of the em box, in em
EPSILON = 0.05  # keeps wrapped lines clear of fpdf2's rounding
STROKE = 0.035  # outline width of the bold face, per point of type size (fpdf2 writes points)
MARKER = re.compile(r"(?:[・●○◎■□※]|\d{1,2}[　 .]|[(（]\d{1,2}[)）])[　 ]?")
INK = (26, 26, 28)
RULE = (118, 118, 118)
SHADE = (242, 242, 242)


@dataclass(frozen=True)
class Cell:
    """Text in a table cell, optionally followed by a QR code of ``qr`` (a URL)."""

    text: str
    size: float | None = None
    bold: bool = False
    qr: str = ""
    shaded: bool = False
    title: str = ""  # printed bold above ``text``


# A laid-out table cell: its lines (text, indent, bold), the cell, its font size.
Laid = tuple[list[tuple[str, float, bool]], Cell, float]


class Sheet:
    """One PDF being drawn, top to bottom."""

    PAGE_WIDTH = 210.0
    PAGE_HEIGHT = 297.0

    def __init__(self, *, title: str, author: str, left: float = 20, right: float = 20,
                 top: float = 18, bottom: float = 20, size: float = 11,
                 on_new_page: Callable[[Sheet], None] | None = None,
                 page: tuple[float, float] | None = None):
        """``page``: (width, height) in mm of another paper than A4 (a receipt roll)."""
        if page is not None:
            self.PAGE_WIDTH, self.PAGE_HEIGHT = page
        pdf = FPDF(orientation="P", unit="mm", format=page or "A4")
        pdf.set_auto_page_break(False)
        pdf.add_font(fonts.FONT_FAMILY, "", str(fonts.FONT_FILE))
        pdf.set_title(title)
        pdf.set_author(author)
        pdf.set_creator("madoguchi")
        pdf.set_lang("ja")
        pdf.set_text_color(*INK)
        pdf.set_draw_color(*RULE)
        self.pdf = pdf
        self.left, self.right, self.top, self.bottom = left, right, top, bottom
        self.size = size
        self.on_new_page = on_new_page
        self.y = top
        self.new_page()

    # -- geometry ------------------------------------------------------------------------
    @property
    def width(self) -> float:
        return self.PAGE_WIDTH - self.left - self.right

    @property
    def limit(self) -> float:
        return self.PAGE_HEIGHT - self.bottom

    def new_page(self) -> None:
        self.pdf.add_page()
        self.y = self.top
        if self.on_new_page and self.pdf.page > 1:
            self.on_new_page(self)

    def ensure(self, height: float) -> None:
        """Start a new page unless ``height`` fits below the cursor."""
        if self.y + height > self.limit + EPSILON:
            self.new_page()

    def space(self, height: float) -> None:
        self.y = min(self.y + height, self.limit)

    # -- text ----------------------------------------------------------------------------
    @staticmethod
    def line_height(size: float, leading: float = 1.6) -> float:
        return size * PT * leading

    def measure(self, text: str, size: float) -> float:
        self.pdf.set_font(fonts.FONT_FAMILY, size=size)
        return self.pdf.get_string_width(text)

    def wrap(self, text: str, size: float, width: float) -> list[str]:
        self.pdf.set_font(fonts.FONT_FAMILY, size=size)
        return kinsoku.wrap(text, width - EPSILON, self.pdf.get_string_width)

    def draw_line(self, text: str, *, x: float, top: float, size: float, width: float = 0,
                  align: str = "L", bold: bool = False, leading: float = 1.6) -> None:
        """One line of text in the box (x, top, width, line height)."""
        pdf = self.pdf
        pdf.set_font(fonts.FONT_FAMILY, size=size)
        if align != "L":
            free = width - pdf.get_string_width(text)
            x += free if align == "R" else free / 2
        em = size * PT
        baseline = top + (self.line_height(size, leading) - em) / 2 + ASCENT * em
        if bold:  # the font has one weight: stroke the outline for a bold face
            pdf.text_mode = TextMode.FILL_STROKE
            pdf.set_draw_color(*INK)
            pdf.set_line_width(size * STROKE)
        pdf.text(x, baseline, text)
        if bold:
            pdf.text_mode = TextMode.FILL
            pdf.set_draw_color(*RULE)

    def lines(self, text: str, size: float, width: float) -> list[tuple[str, float]]:
        """Wrapped lines with their indent: a paragraph that starts with a marker (``・``,
        ``●``, ``1　``, ``(2)`` …) continues under the text after the marker (ぶら下げ)."""
        out: list[tuple[str, float]] = []
        for part in text.split("\n"):
            marker = MARKER.match(part)
            indent = self.measure(marker.group(0), size) if marker else 0.0
            if not marker or indent > width / 3:
                out += [(line, 0.0) for line in self.wrap(part, size, width)]
                continue
            head, *_rest = self.wrap(part, size, width)
            out.append((head, 0.0))
            rest = part[len(head):].lstrip(" ")
            if rest:
                out += [(line, indent) for line in self.wrap(rest, size, width - indent)]
        return out

    def paragraph(self, text: str, *, size: float | None = None, x: float | None = None,
                  width: float | None = None, align: str = "L", bold: bool = False,
                  leading: float = 1.6) -> None:
        """Flow ``text`` from the cursor, moving to a new page line by line."""
        size = size or self.size
        x = self.left if x is None else x
        width = self.width - (x - self.left) if width is None else width
        step = self.line_height(size, leading)
        for line, indent in self.lines(text, size, width):
            self.ensure(step)
            self.draw_line(line, x=x + indent, top=self.y, size=size, width=width - indent,
                           align=align, bold=bold, leading=leading)
            self.y += step

    # -- figures -------------------------------------------------------------------------
    def rule(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.2) -> None:
        self.pdf.set_line_width(width)
        self.pdf.line(x1, y1, x2, y2)

    def box(self, x: float, y: float, w: float, h: float, *, fill: bool = False,
            width: float = 0.2) -> None:
        self.pdf.set_line_width(width)
        if fill:
            self.pdf.set_fill_color(*SHADE)
        self.pdf.rect(x, y, w, h, style="DF" if fill else "D")

    def qr(self, url: str, *, x: float, y: float, side: float) -> None:
        """A QR code of ``url`` drawn as vector squares, and a link over it."""
        code = segno.make(url, error="m", micro=False)
        rows = list(code.matrix_iter(scale=1, border=0))
        module = side / len(rows)
        self.pdf.set_fill_color(0, 0, 0)
        for row_number, row in enumerate(rows):
            start = None
            for column, dark in enumerate([*row, 0]):
                if dark and start is None:
                    start = column
                elif not dark and start is not None:
                    self.pdf.rect(x + start * module, y + row_number * module,
                                  (column - start) * module, module, style="F")
                    start = None
        self.pdf.link(x, y, side, side, url)

    # -- tables --------------------------------------------------------------------------
    def table(self, widths: Sequence[float], rows: Sequence[Sequence[Cell]], *,
              header: Sequence[Cell] = (), size: float | None = None, padding: float = 2.0,
              leading: float = 1.6, qr_side: float = 24.0) -> None:
        """Rows of wrapped cells; the header row is repeated on every page the table uses."""
        size = size or self.size
        x0 = self.left

        def layout(cells: Sequence[Cell]) -> list[Laid]:
            out = []
            for cell, width in zip(cells, widths, strict=True):
                cell_size = cell.size or size
                inner = width - 2 * padding
                lines = [(line, indent, True) for line, indent in
                         self.lines(cell.title, cell_size, inner)] if cell.title else []
                if cell.text:
                    lines += [(line, indent, cell.bold) for line, indent in
                              self.lines(cell.text, cell_size, inner)]
                out.append((lines, cell, cell_size))
            return out

        def height(cells: list[Laid]) -> float:
            tallest = 0.0
            for lines, cell, cell_size in cells:
                h = len(lines) * self.line_height(cell_size, leading)
                if cell.qr:
                    h += qr_side + (padding if lines else 0)
                tallest = max(tallest, h)
            return tallest + 2 * padding

        def draw(cells: list[Laid], top: float, row_height: float, shaded: bool = False
                 ) -> None:
            x = x0
            for (lines, cell, cell_size), width in zip(cells, widths, strict=True):
                self.box(x, top, width, row_height, fill=shaded or cell.shaded)
                y = top + padding
                for line, indent, bold in lines:
                    self.draw_line(line, x=x + padding + indent, top=y, size=cell_size,
                                   width=width - 2 * padding - indent, bold=bold,
                                   leading=leading)
                    y += self.line_height(cell_size, leading)
                if cell.qr:
                    self.qr(cell.qr, x=x + padding, y=y + (padding if lines else 0),
                            side=min(qr_side, width - 2 * padding))
                x += width

        head = layout(header) if header else None
        head_height = height(head) if head else 0.0

        def draw_header() -> None:
            if head:
                draw(head, self.y, head_height, shaded=True)
                self.y += head_height

        first = min(height(layout(rows[0])), 2 * padding + 3 * self.line_height(size, leading)
                    ) if rows else 0.0
        self.ensure(head_height + first)
        draw_header()
        for row in rows:
            cells = layout(row)
            row_height = height(cells)
            room = self.limit - self.y
            if row_height > room + EPSILON and not self._worth_splitting(
                    row_height, room, head_height, padding + 3 * self.line_height(size, leading)):
                self.new_page()
                draw_header()
            parts = self._split(cells, row_height, padding=padding, qr_side=qr_side,
                                leading=leading, head_height=head_height)
            for part, part_height in parts:
                if self.y + part_height > self.limit + EPSILON:
                    self.new_page()
                    draw_header()
                draw(part, self.y, part_height)
                self.y += part_height

    def _worth_splitting(self, row_height: float, room: float, head_height: float,
                         least: float) -> bool:
        """A long row (over half a page) starts where it is if a few lines fit there."""
        page = self.limit - self.top - head_height
        return row_height > page / 2 and room >= least

    def _split(self, cells: list[Laid], row_height: float, *, padding: float, qr_side: float,
               leading: float, head_height: float) -> list[tuple[list[Laid], float]]:
        """A row taller than a page, cut into parts of whole lines (QR codes stay first)."""
        room = self.limit - self.y
        if row_height <= room + EPSILON:
            return [(cells, row_height)]
        parts: list[tuple[list[Laid], float]] = []
        remaining = [(list(lines), cell, size) for lines, cell, size in cells]
        first = True
        while any(lines for lines, _cell, _size in remaining) or first:
            part: list[Laid] = []
            tallest = 0.0
            for lines, cell, size in remaining:
                step = self.line_height(size, leading)
                reserved = qr_side + padding if first and cell.qr else 0
                fit = max(1, int((room - 2 * padding - reserved) // step))
                taken, lines[:] = lines[:fit], lines[fit:]
                shown = Cell(text="", size=size, shaded=cell.shaded, qr=cell.qr if first else "")
                part.append((taken, shown, size))
                tallest = max(tallest, len(taken) * step + (qr_side + padding if shown.qr else 0))
            parts.append((part, tallest + 2 * padding))
            first = False
            room = self.limit - self.top - head_height
        return parts

    # -- output --------------------------------------------------------------------------
    def finish(self, *, footer: Callable[[Sheet, int, int], None] | None = None) -> bytes:
        """The PDF; ``footer(sheet, page, pages)`` is drawn on every page when given."""
        pages = self.pdf.pages_count
        if footer:
            for number in range(1, pages + 1):
                self.pdf.page = number
                footer(self, number, pages)
            self.pdf.page = pages
        return bytes(self.pdf.output())
