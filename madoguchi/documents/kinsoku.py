"""Line breaking for Japanese text with 禁則処理 (after JIS X 4051, simplified).

Any two Japanese characters may be separated, except that a line may not start with closing
brackets, 、。 and other punctuation, small kana or the long-vowel mark (行頭禁則), nor end
with an opening bracket (行末禁則). A run of Latin letters and digits (``15,000``,
``R8-000123``, a URL) is kept whole unless it is wider than the line. When the natural break
is forbidden, characters are pushed to the next line (追い出し) rather than hung into the
margin, so that text never leaves its box, table cells included.
"""

from __future__ import annotations

import re
from collections.abc import Callable

NO_LINE_START = frozenset(
    "、。，．,.:;?!？！：；・･…‥ー―〜～゛゜ヽヾゝゞ々〻"
    ")）]］}｝」』】〕〉》〙〗〟’”»｣"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "%％℃°′″"
)
NO_LINE_END = frozenset("(（[［{｛「『【〔〈《〘〖〝‘“«｢〒$＄¥￥#＃")

# Latin words, numbers, codes and URLs: one unbreakable unit each.
_UNIT = re.compile(r"[A-Za-z0-9][A-Za-z0-9,.:/\-_@%&?=#+~]*| +|.", re.DOTALL)

Measure = Callable[[str], float]


def _units(paragraph: str) -> list[str]:
    return _UNIT.findall(paragraph)


def _can_break(before: str, after: str) -> bool:
    if before.isspace() or after.isspace():
        return True
    return after[0] not in NO_LINE_START and before[-1] not in NO_LINE_END


def wrap(text: str, width: float, measure: Measure) -> list[str]:
    """The lines of ``text`` (``\\n`` starts a new paragraph), each at most ``width`` wide.

    ``measure`` gives the width of a string in the same unit as ``width``. A single
    character wider than ``width`` is put on a line of its own.
    """
    cache: dict[str, float] = {}

    def size(unit: str) -> float:
        if unit not in cache:
            cache[unit] = measure(unit)
        return cache[unit]

    lines: list[str] = []
    for paragraph in text.split("\n"):
        units = _units(paragraph)
        if not units:
            lines.append("")
            continue
        start = 0
        while start < len(units):
            end, used = start, 0.0
            while end < len(units) and used + size(units[end]) <= width:
                used += size(units[end])
                end += 1
            if end == len(units):
                lines.append("".join(units[start:end]).rstrip(" "))
                break
            if end == start:
                if len(units[start]) > 1:  # a word wider than the line: split it
                    units[start:start + 1] = list(units[start])
                    continue
                end = start + 1  # one character wider than the line
            else:
                cut = end
                while cut > start + 1 and not _can_break(units[cut - 1], units[cut]):
                    cut -= 1
                if _can_break(units[cut - 1], units[cut]):
                    end = cut
            lines.append("".join(units[start:end]).rstrip(" "))
            start = end
            while start < len(units) and units[start].isspace():
                start += 1
    return lines
