"""Template helpers of the guidance pages: furigana and answer paragraphs."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from madoguchi.accounts.policy import Action, can
from madoguchi.guidance.furigana import ruby_html

register = template.Library()

_LINES = re.compile(r"\n+")


@register.filter
def ruby(text: str, on: bool = True) -> SafeString:
    """One line of text, escaped; with furigana over its kanji when ``on``."""
    text = str(text or "")
    return ruby_html(text) if on else escape(text)


@register.filter
def paragraphs(text: str, furigana: bool = False) -> SafeString:
    """An answer as one ``<p>`` per line, escaped; with furigana over its kanji when
    ``furigana`` (the knowledge base writes one thought per line)."""
    lines = [line.strip() for line in _LINES.split(str(text or "").replace("\r", ""))]
    html = [f"<p>{ruby_html(line) if furigana else escape(line)}</p>" for line in lines if line]
    return mark_safe("".join(html))  # noqa: S308 - every line is escaped above


@register.simple_tag(takes_context=True)
def staff_guide_search(context) -> bool:
    """Whether the page shows the staff "who handles what" search in its header."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated
                and can(user, Action.GUIDANCE_SEARCH))
