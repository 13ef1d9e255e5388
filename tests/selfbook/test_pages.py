"""The residents' booking pages: choose, log in at the section's level, book, get the
confirmation (room link, manage link, .ics) by real SMTP, move or cancel by the link;
codes and public ids only in URLs; English pages in English."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from madoguchi.consultations.models import Consultation
from madoguchi.guidance.links import links_for
from madoguchi.organisation.models import Section
from madoguchi.selfbook import selectors
from madoguchi.selfbook.models import SelfBooking
from tests.notifications.conftest import run_worker
from tests.selfbook.conftest import form_data, make_identity, portal_login


def book_url(offer, place: str = "home") -> str:
    return (f"/portal/consultation/book/?district={offer.district.pk}&topic={offer.topic}"
            f"&place={place}")


def test_the_start_page_leads_to_the_slots_with_codes_only(client, offer):
    page = client.get("/portal/consultation/")
    assert page.status_code == 200 and "高齢者の介護・福祉" in page.content.decode()
    answer = client.get("/portal/consultation/", {"district": offer.district.pk,
                                                   "topic": "elderly", "place": "home"})
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer["Location"]).query)
    assert query == {"district": [str(offer.district.pk)], "topic": ["elderly"],
                     "place": ["home"]}


def test_a_topic_not_offered_in_the_district_says_what_to_do(client, offer, setagaya):
    from madoguchi.organisation.models import District

    elsewhere = District.objects.get(region__code="kinuta", code="kinuta")  # not a model centre
    page = client.get("/portal/consultation/", {"district": elsewhere.pk, "topic": "elderly",
                                                 "place": "home"})
    assert page.status_code == 200
    assert "まだオンラインで予約できません" in page.content.decode()


def test_the_booking_page_asks_for_the_login_the_section_sets(client, offer):
    answer = client.get(book_url(offer))
    assert answer.status_code == 302 and answer["Location"].startswith("/portal/login/")
    assert "next=" in answer["Location"]


@pytest.mark.django_db(transaction=True)
def test_book_mail_manage_and_cancel_through_the_pages(client, offer, identity, smtp,
                                                       django_capture_on_commit_callbacks):
    portal_login(client, identity)
    page = client.get(book_url(offer))
    assert page.status_code == 200
    html = page.content.decode()
    start = re.search(r'name="start" value="([^"]+)"', html).group(1)
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', html).group(1)
    data = form_data(start, idempotency_key=key)
    data.pop("place")
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(book_url(offer), data)
    assert answer.status_code == 302
    row = SelfBooking.objects.get()
    assert answer["Location"] == f"/portal/consultation/mine/{row.public_id}/"
    # No personal data in any URL of the flow.
    for value in ("セタガヤ", "1946", "hanako", "花子"):
        assert value not in answer["Location"]
    # Sent again (a double click): the same booking, nothing new.
    again = client.post(book_url(offer), data)
    assert again.status_code == 302 and SelfBooking.objects.count() == 1
    detail = client.get(answer["Location"])
    assert "予約済み" in detail.content.decode()
    run_worker()
    [mail] = smtp.to("hanako@example.jp")
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "ご予約を承りました" in mail["Subject"]
    assert re.search(r"https://\S+/meet/join/\S+", body) or "/meet/" in body
    manage = re.search(r"https?://\S+/portal/consultation/manage/\S+/", body).group(0)
    ics = [part for part in mail.iter_attachments() if part.get_filename() == "invite.ics"]
    assert ics and "BEGIN:VEVENT" in ics[0].get_content()
    # The manage link works without a login, in another browser.
    other = Client()
    path = urlsplit(manage).path
    assert "予約を取り消す" in other.get(path).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert other.post(path, {"step": "cancel"}).status_code == 302
    assert Consultation.objects.get().status == "cancelled"
    run_worker()
    assert any("取り消しました" in m["Subject"] for m in smtp.to("hanako@example.jp"))


def test_a_taken_slot_is_reported_with_the_next_free_one(client, offer, identity, staff):
    from madoguchi.scheduling import services as scheduling

    portal_login(client, identity)
    slots = selectors.slots(offer, remote=True)
    for _attempt in range(10):  # take every caseworker at the first slot
        try:
            scheduling.booking_create(section=offer.section, start=slots[0].start,
                                      centre=offer.centre, booth_required=False,
                                      title="相談", by=staff["centre"])
        except Exception:  # noqa: BLE001 - until no caseworker is left
            break
    data = form_data(slots[0].start)
    data.pop("place")
    page = client.post(book_url(offer), data)
    assert page.status_code == 200
    assert "空いていません" in page.content.decode() or "埋まりました" in page.content.decode()
    assert not SelfBooking.objects.exists()


def test_another_residents_booking_is_not_found(client, offer, identity):
    from madoguchi.selfbook import services

    row = services.book(identity=identity, level="email", offer=offer,
                        data=form_data(selectors.slots(offer, remote=True)[0].start),
                        origin="http://testserver", source="tests").booking
    portal_login(client, make_identity("other@example.jp"))
    assert client.get(f"/portal/consultation/mine/{row.public_id}/").status_code == 404


def test_the_english_booking_page_is_in_english(client, offer, identity):
    client.cookies["django_language"] = "en"
    portal_login(client, identity)
    page = client.get(book_url(offer))
    html = page.content.decode()
    assert "Choose a time" in html or "Book" in html
    data = form_data("2000-01-01T10:00:00+09:00")
    data.pop("place")
    answer = client.post(book_url(offer), data)
    assert "cannot be booked" in answer.content.decode() or "past" in answer.content.decode()


@pytest.mark.parametrize("text, expected", [("母の介護のことで相談したい", 1),
                                            ("ごみの出し方", 0)])
def test_the_guidance_answer_links_to_the_booking_pages(offer, text, expected):
    found = [link for link in links_for(text, offer.district)
             if link.url.startswith("/portal/consultation/")]
    assert len(found) == expected


def test_the_ward_administrator_sets_which_sections_take_self_bookings(client, staff, ikejiri):
    from tests.helpers import login

    login(client, staff["admin"])
    page = client.get("/portal/consultation/settings/")
    assert page.status_code == 200 and "世田谷総合支所 保健福祉課" in page.content.decode()
    hoken = Section.objects.get(code="setagaya/hoken-fukushi")
    answer = client.post("/portal/consultation/settings/",
                         {"section": hoken.pk, "enabled": "1", "level": "email"})
    assert answer.status_code == 302
    assert selectors.offer(district=ikejiri, topic="elderly").level == "email"
    refused = client.post("/portal/consultation/settings/",
                          {"section": hoken.pk, "enabled": "1", "level": "anything"})
    assert "本人確認の方法を一覧から選んでください" in refused.content.decode()
    login(client, staff["hoken"])
    assert client.get("/portal/consultation/settings/").status_code == 403
