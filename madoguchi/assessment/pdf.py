"""The assessment as a print PDF: A4, the document font embedded (documents.layout), the
sections' text, and each chart as vector SVG with its figures in words beneath."""

from __future__ import annotations

import io
import re
import statistics
import time

from madoguchi.assessment import charts
from madoguchi.assessment.models import Assessment
from madoguchi.assessment.selectors import change_text
from madoguchi.documents.layout import Cell, Sheet

SECTION_TITLES = (("situation", "地区の状況"), ("issues", "地区の課題"),
                  ("resources", "地域資源"), ("actions", "今年度の取組"),
                  ("easy_summary", "やさしい日本語のまとめ"))
SIZE = re.compile(rb'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', re.S)
METADATA = re.compile(rb"<metadata>.*?</metadata>", re.S)


def chart_svgs(data: dict) -> list[tuple[dict, bytes]]:
    return [(chart, charts.bar_svg(title=chart["title"], rows=chart["rows"],
                                   this_label=data["this_label"],
                                   last_label=data["last_label"]))
            for chart in data.get("charts", [])]


def render(assessment: Assessment, *, title: str, svgs: list[tuple[dict, bytes]] | None = None
           ) -> bytes:
    data = assessment.figures or {}
    sheet = Sheet(title=title, author="世田谷区")
    sheet.paragraph(title, size=16, bold=True)
    seed = data.get("seed", {})
    if seed:
        sheet.paragraph(f"人口 {seed['population']:,}人　世帯数 {seed['households']:,}世帯　"
                        f"面積 {seed['area_km2']} km²", size=10)
    sheet.space(3)
    for name, heading in SECTION_TITLES:
        text = getattr(assessment, name).strip()
        if not text:
            continue
        sheet.paragraph(heading, size=13, bold=True)
        sheet.paragraph(text)
        sheet.space(3)
    for chart, svg in svgs if svgs is not None else chart_svgs(data):
        width = sheet.width
        found = SIZE.search(svg)
        height = width * float(found.group(2)) / float(found.group(1)) if found else width / 2
        sheet.ensure(height + 12)
        sheet.pdf.image(io.BytesIO(METADATA.sub(b"", svg)), x=sheet.left, y=sheet.y, w=width,
                        h=height)
        sheet.y += height + 1
        now, before = chart["total"]
        sheet.paragraph(f"{chart['title']}: {data.get('this_label', '')} "
                        f"{change_text(now, before)}", size=9)
        sheet.space(3)
    entered = [row for row in data.get("entered", []) if row[1] is not None]
    if entered:
        sheet.ensure(30)
        sheet.paragraph("センターが把握した数値", size=13, bold=True)
        sheet.table([90, 40, 40],
                    [[Cell(label), Cell(now or "―"), Cell(before or "―")]
                     for label, now, before in entered],
                    header=[Cell("項目", bold=True), Cell(data["this_label"], bold=True),
                            Cell(data["last_label"], bold=True)], size=10)

    def footer(page_sheet: Sheet, page: int, pages: int) -> None:
        page_sheet.draw_line(f"{page} / {pages}", x=page_sheet.left,
                             top=page_sheet.PAGE_HEIGHT - 12, size=9,
                             width=page_sheet.width, align="C")

    return sheet.finish(footer=footer)


def bench_figures(services, *, repeat: int = 10) -> dict:
    """The bench's PDF figure: one district with six charts, made ``repeat`` times."""
    from madoguchi.assessment import selectors
    from madoguchi.organisation.models import District

    district = District.objects.get(code="ikejiri")
    assessment = Assessment(district=district, fiscal_year=2025, situation="地区の状況。" * 80,
                            issues="課題。" * 80, resources="資源。" * 60, actions="取組。" * 60)
    assessment.figures = selectors.assessment_figures(district=district, fiscal_year=2025)
    samples, from_stored, size = [], [], 0
    for _ in range(repeat):
        begin = time.perf_counter()
        svgs = chart_svgs(assessment.figures)
        content = render(assessment, title="池尻地区 地区アセスメント（令和7年度）", svgs=svgs)
        samples.append((time.perf_counter() - begin) * 1000)
        begin = time.perf_counter()
        render(assessment, title="池尻地区 地区アセスメント（令和7年度）", svgs=svgs)
        from_stored.append((time.perf_counter() - begin) * 1000)
        size = len(content)
    return {"charts": len(assessment.figures["charts"]), "runs": repeat,
            "median_ms": round(statistics.median(samples), 1),
            "median_ms_with_stored_charts": round(statistics.median(from_stored), 1),
            "bytes": size}
