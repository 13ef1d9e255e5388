"""Filling administrators' template text: ``{{ 氏名 }}`` placeholders and nothing else.

Template text (the body of a decision notice, the standard appeal text) is written by ward
administrators, not programmers. It may only name placeholders from a fixed vocabulary;
values are inserted as plain text in a single pass, so a value that itself looks like
``{{ … }}`` stays as it is. There are no attribute look-ups, filters, tags, includes or
loops, hence nothing in a template can run code, read settings or files (ADR 0016).

``check_template`` returns every problem (in Japanese, with the line) so that a form can show
them when the text is saved; ``fill_template`` raises ``TemplateTextError`` with the same
messages before anything is drawn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _

from madoguchi.documents.errors import TemplateTextError

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
# A name is one word: letters (any script), digits, _ and ・, not starting with a digit.
NAME = re.compile(r"[^\W\d][\w・]*")
TAGS = ("{%", "%}", "{#", "#}")
FULL_WIDTH_BRACES = ("｛｛", "｝｝")


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def check_template(text: str, *, allowed: Iterable[str]) -> list[str]:
    """Every problem of ``text`` given the placeholder names in ``allowed`` (empty if none)."""
    names = list(dict.fromkeys(allowed))
    problems: list[str] = []

    def report(index: int, message: str) -> None:
        problems.append(_("%(line)d行目: %(message)s") % {
            "line": _line_of(text, index), "message": message})

    for marker in TAGS:
        index = text.find(marker)
        if index >= 0:
            report(index, _("「%(marker)s」は使えません。差し込めるのは「{{ 氏名 }}」のような"
                            "項目名だけです。") % {"marker": marker})
    for marker in FULL_WIDTH_BRACES:
        index = text.find(marker)
        if index >= 0:
            report(index, _("全角の「%(marker)s」ではなく、半角の「{{」「}}」で書いてください。")
                   % {"marker": marker})
    for match in PLACEHOLDER.finditer(text):
        raw = match.group(0)
        name = match.group(1).strip()
        if not name:
            report(match.start(), _("「%(raw)s」に項目名がありません。") % {"raw": raw})
        elif not NAME.fullmatch(name):
            report(match.start(), _("「%(raw)s」は差し込み項目として使えません。"
                                    "「{{ 氏名 }}」のように項目名だけを書いてください。")
                   % {"raw": raw})
        elif name not in names:
            report(match.start(), _("「%(raw)s」は使えない差し込み項目です。使える項目: "
                                    "%(names)s") % {"raw": raw, "names": "、".join(names)
                                                    or _("（なし）")})
    rest = PLACEHOLDER.sub("", text)
    for marker in ("{{", "}}"):
        if marker in rest:
            index = text.find(marker) if marker == "{{" else text.rfind(marker)
            report(index, _("「{{」と「}}」の組が合っていません。"))
            break
    return problems


def fill_template(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each ``{{ name }}`` replaced by ``values[name]`` as plain text."""
    problems = check_template(text, allowed=values)
    if problems:
        raise TemplateTextError(problems)
    return PLACEHOLDER.sub(lambda match: str(values[match.group(1).strip()]), text)
