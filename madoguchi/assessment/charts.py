"""Charts of the assessment: matplotlib, drawn to SVG once for both the HTML page and the
PDF (fpdf2 embeds SVG as vectors). Text is drawn as outlines in the project's document font
(Noto Sans JP), so neither the browser nor the PDF needs the font installed; the page gives
each chart a text alternative and its data table.

A chart without data is not an error: it says 「データがありません」.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from madoguchi.documents import fonts  # noqa: E402

NO_DATA = "データがありません"
THIS_YEAR_COLOUR = "#0031d8"  # Digital Agency design system blue, contrast ≥ 4.5:1
LAST_YEAR_COLOUR = "#7f7f7f"


@functools.cache
def _font() -> str:
    font_manager.fontManager.addfont(str(fonts.FONT_FILE))
    return font_manager.FontProperties(fname=str(fonts.FONT_FILE)).get_name()


def bar_svg(*, title: str, rows: Sequence[tuple[str, int | None, int | None]],
            this_label: str, last_label: str) -> bytes:
    """Grouped horizontal bars (this year, last year) per row label; suppressed values
    (None) are left out of the bars. Returns SVG bytes."""
    family = _font()
    rc = {"font.family": family, "svg.fonttype": "path", "svg.hashsalt": "madoguchi",
          "font.size": 10}
    with matplotlib.rc_context(rc):
        height = max(2.2, 0.45 * len(rows) + 1.2)
        figure = Figure(figsize=(6.4, height), dpi=100)
        axes = figure.add_subplot()
        axes.set_title(title, loc="left", fontsize=12)
        shown = [(label, now, before) for label, now, before in rows
                 if (now or 0) > 0 or (before or 0) > 0]
        if not shown:
            axes.text(0.5, 0.5, NO_DATA, ha="center", va="center", fontsize=12,
                      transform=axes.transAxes)
            axes.set_axis_off()
        else:
            labels = [label for label, _now, _before in shown][::-1]
            now = [value or 0 for _label, value, _before in shown][::-1]
            before = [value or 0 for _label, _now, value in shown][::-1]
            positions = range(len(shown))
            axes.barh([p + 0.2 for p in positions], now, height=0.4, label=this_label,
                      color=THIS_YEAR_COLOUR)
            axes.barh([p - 0.2 for p in positions], before, height=0.4, label=last_label,
                      color=LAST_YEAR_COLOUR)
            axes.set_yticks(list(positions), labels)
            axes.legend(loc="lower right", frameon=False)
            axes.spines[["top", "right"]].set_visible(False)
            axes.xaxis.get_major_locator().set_params(integer=True)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def inline_svg(svg: bytes, *, label_id: str) -> str:
    """The SVG for inlining in HTML: without the XML prolog, as an image labelled by
    ``label_id`` (the chart's caption)."""
    text = re.sub(r"<metadata>.*?</metadata>", "", svg.decode("utf-8"), flags=re.S)
    text = text[text.find("<svg"):]
    return text.replace("<svg ", f'<svg role="img" aria-labelledby="{label_id}" '
                                 'focusable="false" ', 1)
