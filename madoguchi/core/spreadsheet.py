"""CSV written for spreadsheets (Excel on the ward's PCs): UTF-8 with a BOM, so that Japanese
is read correctly, and cells that a spreadsheet would run as formulas neutralised."""

from __future__ import annotations

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection): ``=…`` is shown, not run."""
    return f"'{value}" if value[:1] in FORMULA_STARTS else value
