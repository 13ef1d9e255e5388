"""The notifier is a seam, not a cycle (issue 13, ADR 0030): notifications imports none of
the contexts that send through it, and they reach it only through its public modules.
Every import counts, function-local ones included (they once hid the cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "madoguchi"
SENDERS = ("scheduling", "meetings", "applications", "portal")
PUBLIC = {"madoguchi.notifications.notify", "madoguchi.notifications.ical"}


def imports_of(app: str) -> dict[str, set[str]]:
    """module path -> the madoguchi modules it imports (anywhere in the file)."""
    found: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / app).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[str(path.relative_to(PACKAGE.parent))] = {
            n for n in names if n.startswith("madoguchi.")}
    return found


def test_notifications_imports_none_of_the_contexts_that_send_through_it():
    offending = {module: sorted(n for n in names
                                if n.split(".")[1] in SENDERS)
                 for module, names in imports_of("notifications").items()}
    assert {m: n for m, n in offending.items() if n} == {}


@pytest.mark.parametrize("app", SENDERS)
def test_senders_use_only_the_notifiers_public_modules(app):
    offending = {}
    for module, names in imports_of(app).items():
        used = {n for n in names if n.startswith("madoguchi.notifications")}
        private = {n for n in used if n not in PUBLIC and not any(
            n.startswith(p + ".") for p in PUBLIC) and n != "madoguchi.notifications"}
        if private:
            offending[module] = sorted(private)
    assert offending == {}
    assert any(n.startswith("madoguchi.notifications.notify")
               for names in imports_of(app).values() for n in names)
