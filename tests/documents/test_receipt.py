"""番号札 on a receipt roll: the width asked for, the number large, no bad content printed."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.documents.content import QueueTicket
from madoguchi.documents.errors import DocumentContentError
from madoguchi.documents.receipt import render_queue_ticket
from tests.documents.conftest import MM, Pdf

TICKET = QueueTicket(office="池尻まちづくりセンター", number="A007", service="証明書の取次ぎ",
                     service_en="Certificates", service_easy="しょうめいしょ を もらう",
                     issued_at=dt.datetime(2026, 12, 7, 9, 30), url="https://example.org/t/x/",
                     ahead=3, wait_minutes=12)


@pytest.mark.parametrize("width", [58, 80])
def test_the_ticket_is_one_page_as_wide_as_the_roll(width):
    pdf = Pdf(render_queue_ticket(TICKET, width=width))
    assert len(pdf.reader.pages) == 1
    assert round(float(pdf.reader.pages[0].mediabox.width) / MM) == width
    for text in ("A007", "約12分", "3人", "令和8年12月7日", "Certificates", "しょうめいしょ"):
        assert text in pdf.flat


def test_the_number_is_the_largest_type_on_the_ticket():
    pdf = Pdf(render_queue_ticket(TICKET, width=58))
    largest = max(pdf.runs(), key=lambda run: run.size)
    assert largest.text.strip() == "A007" and largest.size >= 40


def test_another_width_or_a_bad_address_is_refused_before_drawing():
    with pytest.raises(DocumentContentError) as refused:
        render_queue_ticket(TICKET, width=100)
    assert "58mmか80mm" in str(refused.value.args[0])
    with pytest.raises(DocumentContentError):
        render_queue_ticket(QueueTicket(**{**TICKET.__dict__, "url": "javascript:alert(1)"}))
