"""Rendered documents read back with pypdf: text per page, positioned runs, fonts."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from pypdf import PdfReader

from madoguchi.documents.notice import render_decision_notice
from madoguchi.documents.samples import sample_notice, sample_slip
from madoguchi.documents.slip import render_guidance_slip

MM = 72 / 25.4  # points per millimetre
A4_HEIGHT_PT = 297 * MM


@dataclass(frozen=True)
class Run:
    """A piece of text as drawn: its left edge and baseline from the page's top (mm)."""

    text: str
    x: float
    y: float
    size: float


class Pdf:
    def __init__(self, data: bytes):
        assert data.startswith(b"%PDF-")
        self.data = data
        self.reader = PdfReader(io.BytesIO(data))
        self.pages = [page.extract_text() for page in self.reader.pages]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    @property
    def flat(self) -> str:
        """All text without line breaks, for phrases that wrap."""
        return self.text.replace("\n", "")

    def lines(self) -> list[str]:
        return [line for page in self.pages for line in page.split("\n")]

    def runs(self, page: int = 0) -> list[Run]:
        runs: list[Run] = []

        def visit(text, cm, tm, font, size):
            if text.strip():
                runs.append(Run(text, tm[4] / MM, (A4_HEIGHT_PT - tm[5]) / MM, size))

        self.reader.pages[page].extract_text(visitor_text=visit)
        return runs

    def fonts(self) -> list[dict]:
        """Every font dictionary used on any page, resolved."""
        found = {}
        for page in self.reader.pages:
            for ref in page["/Resources"]["/Font"].values():
                found[ref.indirect_reference or id(ref)] = ref.get_object()
        return list(found.values())


@pytest.fixture(scope="session")
def notice_pdf() -> Pdf:
    return Pdf(render_decision_notice(sample_notice()))


@pytest.fixture(scope="session")
def slip_pdf() -> Pdf:
    return Pdf(render_guidance_slip(sample_slip()))
