"""Django's ``{# … #}`` comments end on their line: one left open is printed on the page
(it was, in every staff page's header). Multi-line comments use {% comment %}."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "madoguchi"


def test_no_template_comment_spans_lines():
    open_comments = []
    for path in ROOT.rglob("templates/**/*"):
        if path.suffix not in {".html", ".txt", ".xml", ".ics"} or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            rest = line
            while "{#" in rest:
                rest = rest[rest.index("{#") + 2:]
                if "#}" not in rest:
                    open_comments.append(f"{path.relative_to(ROOT)}:{number}")
                    break
                rest = rest[rest.index("#}") + 2:]
    assert not open_comments
