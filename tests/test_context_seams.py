"""Seams between contexts that used to import each other both ways (issue 13, ADR 0031).

The source is read (AST; imports inside functions and under ``TYPE_CHECKING`` count): the
dependency between each pair runs one way, through the public modules named here.

- consultations ↔ meetings: meetings uses consultations' documents, selectors and the
  registration of a booking link; consultations imports nothing of meetings (the video
  call's events reach its timeline through madoguchi/core/events.py).
- guidance ↔ procedures: procedures' life events use guidance's offices and selectors and
  register the catalogue's names; guidance imports nothing of procedures.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "madoguchi"

# (importer, imported): the imported app's modules the importer may use; None: none at all.
SEAMS = {
    ("consultations", "meetings"): None,
    ("meetings", "consultations"): {"documents", "selectors", "bookings"},
    ("guidance", "procedures"): None,
    ("procedures", "guidance"): {"offices", "selectors", "procedures"},
}


def imported_modules(path: Path) -> set[str]:
    """Every ``madoguchi.*`` module the file imports (``from pkg import module`` resolved
    to ``pkg.module``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("madoguchi.")}


def app_imports(app: str, other: str) -> dict[str, set[str]]:
    """``{file: {module of other imported}}`` for the non-migration source of ``app``; a
    module is named by its first component under the other app (``documents``)."""
    rows: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        prefix = f"madoguchi.{other}."
        used = {name[len(prefix):].split(".")[0] for name in imported_modules(path)
                if name.startswith(prefix)}
        # ``from madoguchi.other import x`` adds "madoguchi.other.x" for names too: keep
        # only the names that are modules of the other app.
        used = {name for name in used if (PACKAGE / other / f"{name}.py").exists()
                or (PACKAGE / other / name).is_dir()}
        if used or f"madoguchi.{other}" in imported_modules(path):
            rows[str(path.relative_to(PACKAGE.parent))] = used
    return rows


@pytest.mark.parametrize(("app", "other"), list(SEAMS))
def test_one_way_through_public_modules(app, other):
    allowed = SEAMS[(app, other)]
    rows = app_imports(app, other)
    if allowed is None:
        assert rows == {}, f"{app} must not import {other}"
    else:
        wrong = {path: used - allowed for path, used in rows.items() if used - allowed}
        assert wrong == {}, f"{app} uses {other} only through {sorted(allowed)}"


def test_the_consultation_pages_name_no_meetings_url():
    templates = PACKAGE / "consultations" / "templates"
    named = [str(path) for path in templates.rglob("*.html")
             if "meetings:" in path.read_text(encoding="utf-8")]
    assert named == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from madoguchi.meetings import access\n")
    assert "madoguchi.meetings.access" in imported_modules(module)
