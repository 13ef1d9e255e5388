"""The queue's pages over HTTP: the reception tablet, the ticket page and its receipt,
the clerk's counter page, the log and its CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from madoguchi.accounts.models import Role
from madoguchi.counter import services
from madoguchi.counter.models import ServiceRecord, Ticket, TicketSource, TicketStatus
from tests.helpers import login

pytestmark = pytest.mark.django_db
MM = 72 / 25.4


@pytest.fixture
def tablet(ikejiri, clerk):
    _kiosk, key = services.kiosk_key_issue(office=ikejiri, by=clerk)
    client = Client()
    assert client.get(reverse("counter:reception_key", args=[key])).status_code == 302
    return client


def test_the_reception_tablet_issues_a_ticket_and_shows_its_page(tablet, ikejiri):
    page = tablet.get(reverse("counter:reception"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "ご用件を えらんで" in text and "約0分" in text
    cert = ikejiri.services.get(code="certificate")
    response = tablet.post(reverse("counter:reception"), {"service": cert.pk})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and ticket.token in response["Location"]
    shown = tablet.get(response["Location"]).content.decode()
    assert "A001" in shown and "<svg" in shown and "約0分" in shown
    assert "Your number" in shown and "しょうめいしょ" in shown  # English and やさしい日本語
    assert 'data-return="60"' in shown  # back to the services for the next person


def test_the_tablet_refuses_a_bad_choice_and_saves_nothing(tablet, ikejiri):
    response = tablet.post(reverse("counter:reception"), {"service": "9999999"})
    assert response.status_code == 400
    assert "サービスを えらんでください。" in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_revoked_or_unknown_key_opens_nothing(ikejiri, clerk):
    _kiosk, key = services.kiosk_key_issue(office=ikejiri, by=clerk)
    services.kiosk_key_issue(office=ikejiri, by=clerk)  # the first is revoked
    client = Client()
    response = client.get(reverse("counter:reception_key", args=[key]))
    assert response.status_code == 403 and "この端末は使えません" in response.content.decode()
    assert client.get(reverse("counter:reception")).status_code == 403


def test_the_ticket_page_shows_no_personal_data_and_follows_the_call(ikejiri, clerk):
    ticket = services.ticket_issue(office=ikejiri, service=ikejiri.services.first(),
                                   source=TicketSource.CLERK, by=clerk)
    page = Client().get(reverse("counter:ticket", args=[ticket.token])).content.decode()
    assert clerk.username not in page and "まえに まっている人" in page
    services.call_next(counter=ikejiri.counters.get(number=2), by=clerk)
    page = Client().get(reverse("counter:ticket", args=[ticket.token])).content.decode()
    assert "2番窓口へ どうぞ。" in page
    assert Client().get(reverse("counter:ticket", args=["not-a-token"])).status_code == 404


@pytest.mark.parametrize("width", [58, 80])
def test_the_receipt_is_a_pdf_as_wide_as_the_roll(ikejiri, width):
    ticket = services.ticket_issue(office=ikejiri, service=ikejiri.services.first(),
                                   source=TicketSource.RECEPTION)
    response = Client().get(reverse("counter:receipt", args=[ticket.token]),
                            {"width": str(width)})
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert round(float(reader.pages[0].mediabox.width) / MM) == width
    text = reader.pages[0].extract_text().replace("\n", "")
    assert "A001" in text and "池尻まちづくりセンター" in text and "約0分" in text


def test_a_receipt_of_another_width_is_refused(ikejiri):
    ticket = services.ticket_issue(office=ikejiri, service=ikejiri.services.first(),
                                   source=TicketSource.RECEPTION)
    response = Client().get(reverse("counter:receipt", args=[ticket.token]), {"width": "100"})
    assert response.status_code == 400 and "58mmか80mm" in response.content.decode()


def test_the_counter_page_calls_and_says_when_nobody_waits(ikejiri, clerk):
    client = login(Client(), clerk)
    act = reverse("counter:counter_act", args=[ikejiri.code, 1])
    page = reverse("counter:counter", args=[ikejiri.code, 1])
    response = client.post(act, {"action": "next"}, follow=True)
    assert "お待ちの方はいません。" in response.content.decode()
    client.post(reverse("counter:issue", args=[ikejiri.code]),
                {"service": ikejiri.services.get(code="certificate").pk})
    response = client.post(act, {"action": "next"}, follow=True)
    assert "A001 を呼び出しました。" in response.content.decode()
    ticket = Ticket.objects.get()
    assert "対応中：A001" in client.get(page).content.decode()
    client.post(act, {"action": "finish", "ticket": ticket.pk})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.SERVED and ServiceRecord.objects.count() == 1


def test_the_log_takes_manual_entries_and_exports_csv(ikejiri, clerk):
    client = login(Client(), clerk)
    url = reverse("counter:log", args=[ikejiri.code])
    lending = ikejiri.services.get(code="lending")
    today = timezone.localdate()
    bad = client.post(url, {"service": lending.pk, "day": today.isoformat(), "quantity": "0"})
    assert bad.status_code == 400 and not ServiceRecord.objects.exists()
    client.post(url, {"service": lending.pk, "day": today.isoformat(), "quantity": "4"})
    assert ServiceRecord.objects.get().quantity == 4
    response = client.get(reverse("counter:log_csv", args=[ikejiri.code]),
                          {"year": today.year, "month": today.month})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][3] == "区分（別表2）"
    assert rows[1][3] == "貸出し・助成・広報板" and rows[1][5] == "4"
    yearly = client.get(reverse("counter:log_csv", args=[ikejiri.code]), {"year": today.year})
    assert "貸出し" in yearly.content.decode("utf-8-sig")


def test_the_ward_csv_has_every_office_per_service(ikejiri, clerk, make_staff, offices):
    today = timezone.localdate()
    taishido = offices.get(code="setagaya-taishido")
    for office in (ikejiri, taishido):
        services.record_manual(office=office, service=office.services.get(code="lending"),
                               day=today, quantity=2,
                               by=make_staff(Role.DISTRICT_STAFF,
                                             f"setagaya/{office.centre.district.code}"
                                             "/machizukuri-center"))
    admin = login(Client(), make_staff(Role.WARD_ADMIN))
    response = admin.get(reverse("counter:ward_csv"), {"year": today.year})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    assert sorted(r[0] for r in rows) == ["太子堂まちづくりセンター", "池尻まちづくりセンター"]
    assert all(r[5] == "2" for r in rows)
    own = login(Client(), clerk).get(reverse("counter:ward_csv"), {"year": today.year})
    assert [r[0] for r in list(csv.reader(io.StringIO(own.content.decode("utf-8-sig"))))[1:]
            ] == ["池尻まちづくりセンター"]


def test_staff_set_expected_times_priorities_and_counters_all_or_nothing(ikejiri, clerk):
    client = login(Client(), clerk)
    url = reverse("counter:configure", args=[ikejiri.code])
    assert client.get(url).status_code == 200
    cert, lending = ikejiri.services.get(code="certificate"), ikejiri.services.get(code="lending")
    one, two = ikejiri.counters.get(number=1), ikejiri.counters.get(number=2)
    form = {}
    for s in ikejiri.services.all():
        form |= {f"minutes_{s.pk}": "7", f"priority_{s.pk}": "5", f"active_{s.pk}": "on",
                 f"serves_{one.pk}_{s.pk}": "on"}
    form[f"serves_{two.pk}_{lending.pk}"] = "on"
    bad = {**form, f"minutes_{cert.pk}": "0"}
    response = client.post(url, bad)
    assert response.status_code == 400 and "1分から240分" in response.content.decode()
    assert ikejiri.services.get(code="lending").expected_seconds == 300  # nothing saved
    assert client.post(url, form).status_code == 302
    assert ikejiri.services.get(code="lending").expected_seconds == 420
    assert list(two.services.all()) == [lending]
