"""The booking pages speak English from the project's catalogue (madoguchi/locale/en)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.helpers import login

from .conftest import make_booking, tokyo


@pytest.mark.django_db
def test_agenda_and_board_in_english(client, people):
    make_booking(section=people["hoken"], start=tokyo(1, 10), by=people["centre_staff"],
                 staff=[people["section_staff"]], residents=[people["matsu"]])
    login(client, people["section_staff"])
    client.cookies["django_language"] = "en"
    html = client.get(reverse("scheduling:agenda")).content.decode()
    assert '<html lang="en">' in html and "My schedule" in html
    assert "区民（非表示）" not in html  # the hidden resident's label is translated too
    login(client, people["centre_staff"])
    html = client.get(reverse("scheduling:day_board", args=["setagaya", "ikejiri"])
                      ).content.decode()
    assert "予約済み" not in html and "Consultation booth 1" in html  # booth names: name_en
    assert "相談ブース1" not in html
