"""Public comment from every channel: the public form (no login, consent, idempotent), the
clerk's entry of e-mail and paper opinions with the postmark rule and the scanned original,
bad input refused with nothing saved, and the audit of every read of a sender's data."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.audit.models import AuditEntry
from madoguchi.opinions import services
from madoguchi.opinions.models import DEFAULT_CATEGORIES, Channel, Opinion
from tests.files.samples import pdf
from tests.helpers import login

from .conftest import close, ikejiri, open_consultation, send

pytestmark = pytest.mark.django_db


def page(consultation) -> str:
    return reverse("pubcom:consultation", kwargs={"consultation": consultation.public_id})


def public_form(**overrides) -> dict:
    return {"text": "まちづくりセンターの開所時間を延ばしてください。", "name": "世田谷 花子",
            "district": ikejiri().pk, "age_band": "70s", "consent": "on",
            "submission_key": str(uuid.uuid4()), **overrides}


def test_a_resident_sends_an_opinion_on_the_public_page_without_login(clerk, client):
    consultation = open_consultation(clerk)
    shown = client.get(page(consultation)).content.decode()
    assert "令和" in shown and "個人情報の取扱い" in shown
    data = public_form()
    response = client.post(page(consultation), data)
    assert response.status_code == 302
    assert "受付番号は 1 です" in client.get(response["Location"]).content.decode()
    [opinion] = Opinion.objects.all()
    assert (opinion.channel, opinion.name, opinion.district, opinion.age_band) == (
        Channel.WEB, "世田谷 花子", ikejiri(), "70s")
    assert opinion.received_on == timezone.localdate() and opinion.entered_by is None
    entry = AuditEntry.objects.get(record_id=str(opinion.public_id))
    assert entry.action == "create" and entry.portal_ref == f"opinion:{opinion.public_id}"
    # The same form posted again (a double click, a reload): still one opinion.
    again = client.post(page(consultation), data)
    assert again["Location"] == response["Location"] and Opinion.objects.count() == 1


def test_name_district_and_age_are_optional_consent_is_not(clerk, client):
    consultation = open_consultation(clerk)
    refused = client.post(page(consultation), public_form(consent="", name=""))
    assert refused.status_code == 400
    assert "個人情報の取扱いを確認して" in refused.content.decode()
    assert not Opinion.objects.exists()
    ok = client.post(page(consultation), public_form(name="", district="", age_band=""))
    assert ok.status_code == 302 and Opinion.objects.get().name == ""


@pytest.mark.parametrize(("text", "message"), [
    ("   \n ", "ご意見を入れてください。"),
    ("あ" * 50_000, "ご意見は10,000文字以内にしてください（いまは50,000文字です）"),
])
def test_an_empty_or_overlong_opinion_is_refused_and_nothing_saved(clerk, client, text, message):
    consultation = open_consultation(clerk)
    response = client.post(page(consultation), public_form(text=text))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Opinion.objects.exists() and not AuditEntry.objects.exists()


def test_an_opinion_after_the_period_is_refused_with_the_period_in_wareki(clerk, client):
    consultation = open_consultation(clerk)
    close(consultation)
    with pytest.raises(services.OpinionsError) as refused:
        send(consultation)
    message = " ".join(refused.value.messages)
    end = consultation.ends_on
    assert "意見の募集は終わりました" in message and "令和" in message
    assert f"（{end.year}年）{end.month}月{end.day}日" in message
    # The public page no longer shows the form; a post is refused the same way.
    shown = client.get(page(consultation)).content.decode()
    assert "募集期間" in shown and 'name="text"' not in shown
    assert client.post(page(consultation), public_form()).status_code == 400
    assert not Opinion.objects.exists()


def test_an_opinion_before_the_period_is_refused(clerk):
    today = timezone.localdate()
    consultation = open_consultation(clerk, starts_on=today + dt.timedelta(days=1),
                                     ends_on=today + dt.timedelta(days=20))
    with pytest.raises(services.OpinionsError, match="まだ始まっていません"):
        send(consultation)


def test_a_draft_takes_no_opinions_and_has_no_public_page(clerk, client):
    from .conftest import consultation_data

    draft = services.consultation_create(by=clerk, data=consultation_data())
    assert client.get(page(draft)).status_code == 404
    with pytest.raises(services.OpinionsError, match="受け付けていません"):
        send(draft)


def enter(client, consultation, **overrides):
    data = {"channel": "postcard", "received_on": timezone.localdate().isoformat(),
            "postmark_on": "", "text": "はがきの意見です。", "name": "池尻 一郎",
            "district": "", "age_band": "80+", "submission_key": str(uuid.uuid4()),
            **overrides}
    return client.post(reverse("opinions:enter",
                               kwargs={"consultation": consultation.public_id}), data)


def test_a_late_postcard_with_a_postmark_in_the_period_is_accepted(clerk, client):
    consultation = open_consultation(clerk)
    close(consultation, days_ago=2)
    login(client, clerk)
    in_period = (consultation.ends_on).isoformat()
    response = enter(client, consultation, postmark_on=in_period)
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.channel == Channel.POSTCARD and opinion.postmark_on == consultation.ends_on
    assert opinion.entered_by == clerk
    late = enter(client, consultation,
                 postmark_on=(consultation.ends_on + dt.timedelta(days=1)).isoformat())
    assert late.status_code == 400 and "消印が募集期間外です" in late.content.decode()
    no_postmark = enter(client, consultation, channel="letter")
    assert "意見の募集は終わりました" in no_postmark.content.decode()
    fax = enter(client, consultation, channel="fax", postmark_on=in_period)
    assert "消印の日付は、はがき・手紙で" in fax.content.decode()
    assert Opinion.objects.count() == 1


def test_a_clerk_attaches_the_scanned_original_and_reading_it_is_audited(clerk, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    consultation = open_consultation(clerk)
    login(client, clerk)
    scan = SimpleUploadedFile("postcard.pdf", pdf("postcard"), content_type="application/pdf")
    assert enter(client, consultation, original=scan).status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.original.purpose == "opinion_original"
    kwargs = {"consultation": consultation.public_id, "opinion": opinion.public_id}
    body = b"".join(client.get(reverse("opinions:original", kwargs=kwargs)).streaming_content)
    assert body.startswith(b"%PDF")
    shown = client.get(reverse("opinions:opinion", kwargs=kwargs)).content.decode()
    assert "池尻 一郎" in shown and "はがき" in shown
    sources = set(AuditEntry.objects.filter(record_id=str(opinion.public_id))
                  .values_list("source", flat=True))
    assert {"opinions:enter", "opinions:original", "opinions:opinion"} <= sources
    client.get(reverse("opinions:detail", kwargs={"consultation": consultation.public_id}))
    assert AuditEntry.objects.filter(source="opinions:detail", action="list").exists()


def test_a_refused_scan_keeps_nothing(clerk, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    consultation = open_consultation(clerk)
    login(client, clerk)
    bad = SimpleUploadedFile("postcard.pdf", b"MZ not a pdf" * 10, content_type="application/pdf")
    response = enter(client, consultation, original=bad)
    assert response.status_code == 400 and not Opinion.objects.exists()


def test_email_and_line_keep_their_channel(clerk, client):
    consultation = open_consultation(clerk)
    login(client, clerk)
    assert enter(client, consultation, channel="email", text="メール本文").status_code == 302
    line = send(consultation, channel=Channel.LINE, text="LINEからの意見").opinion
    assert sorted(Opinion.objects.values_list("channel", flat=True)) == ["email", "line"]
    assert line.number == 2
    # Residents (no staff) cannot claim a paper channel.
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        send(consultation, channel=Channel.POSTCARD)


def test_a_future_received_day_is_refused(clerk, client):
    consultation = open_consultation(clerk)
    login(client, clerk)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = enter(client, consultation, received_on=tomorrow)
    assert "未来の日付" in response.content.decode() and not Opinion.objects.exists()


def test_a_consultation_starts_with_the_plans_categories(clerk):
    consultation = open_consultation(clerk)
    assert list(consultation.categories.values_list("name", flat=True)) == list(
        DEFAULT_CATEGORIES)
    assert DEFAULT_CATEGORIES[:8] == ("制度全般", "行政サービス", "区民参加", "活動支援",
                                      "DX推進", "区体制・職員", "施設・区域割", "その他")


def test_a_districts_consultation_is_managed_by_its_centre_only(clerk, make_staff, client):
    matsubara = make_staff(Role.DISTRICT_STAFF, "kitazawa/matsubara/machizukuri-center",
                           "matsubara-clerk")
    mine = open_consultation(clerk, district=ikejiri(), title="池尻地区の計画")
    ward_wide = open_consultation(clerk)
    login(client, matsubara)
    assert client.get(reverse("opinions:detail",
                              kwargs={"consultation": mine.public_id})).status_code == 404
    assert client.get(reverse("opinions:detail",
                              kwargs={"consultation": ward_wide.public_id})).status_code == 200
    listed = client.get(reverse("opinions:list")).content.decode()
    assert "池尻地区の計画" not in listed
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        send(mine, channel=Channel.EMAIL, by=matsubara)
