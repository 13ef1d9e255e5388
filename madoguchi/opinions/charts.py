"""Bar charts drawn as SVG on the server: no JavaScript, no font needed beyond the page's,
readable at 200% zoom (the SVG scales with the text). Each chart is an image with a text
alternative (``role="img"`` and its title); the page shows the same figures as a table."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR_COLOUR = "#0031d8"  # Digital Agency design system blue (contrast 8.6:1 on white)
ROW = 28
LABEL_WIDTH = 220
BAR_WIDTH = 360
NUMBER_WIDTH = 70


def bar_svg(*, title: str, rows: Sequence[tuple[str, int]], chart_id: str) -> SafeString:
    """Horizontal bars, one per (label, count), longest bar = the largest count."""
    top = max((n for _label, n in rows), default=0) or 1
    height = ROW * max(len(rows), 1) + 8
    width = LABEL_WIDTH + BAR_WIDTH + NUMBER_WIDTH
    alt = title + ": " + "、".join(f"{label} {n}" for label, n in rows)
    bars = format_html_join(
        "", '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
            '<text x="{}" y="{}" dominant-baseline="middle">{}</text>',
        ((LABEL_WIDTH - 8, 4 + i * ROW + ROW / 2, label,
          LABEL_WIDTH, 4 + i * ROW + 5, round(BAR_WIDTH * n / top, 1), ROW - 10, BAR_COLOUR,
          LABEL_WIDTH + round(BAR_WIDTH * n / top, 1) + 6, 4 + i * ROW + ROW / 2, n)
         for i, (label, n) in enumerate(rows)))
    return format_html(
        '<svg class="bar-chart" role="img" aria-labelledby="{}" viewBox="0 0 {} {}" '
        'xmlns="http://www.w3.org/2000/svg" font-size="14" fill="#1a1a1a">'
        '<title id="{}">{}</title>{}</svg>',
        chart_id, width, height, chart_id, alt, bars)
