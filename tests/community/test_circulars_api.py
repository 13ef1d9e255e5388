"""Circulars in the JSON API with the pages' permissions: the centre's staff see their
district's circulars (another district's is 404), with files' metadata, read counts and
who read (audited); a group sees what it sent or received, counts only of what it sent;
a household, by its link, sees its circulars and marks one read, idempotently; a paper
household's receipt is recorded once however often it is sent."""

from __future__ import annotations

import pytest

from madoguchi.audit.models import AuditEntry
from madoguchi.community.models import CircularReceipt
from madoguchi.community.services import circulars as svc
from madoguchi.core.tokens import digest
from tests.community.conftest import make_group
from tests.community.test_api import as_group
from tests.community.test_circulars import ORIGIN, households, post
from tests.files.conftest import files_dir_fixture  # noqa: F401 - fixture
from tests.files.samples import pdf
from tests.helpers import login

pytestmark = pytest.mark.django_db

API = "/api/v1/community"


def test_the_centre_sees_its_districts_circulars_with_files_and_counts(
        client, group, clerk, other_clerk, files_dir):
    online, paper = households(group)
    circular = post(group, uploads=[svc.Upload(pdf("map"), "地図.pdf")])
    svc.receipt_mark_read(receipt=CircularReceipt.objects.get(household=online))

    assert client.get(f"{API}/circulars").status_code == 401
    login(client, clerk)
    [row] = client.get(f"{API}/circulars").json()
    assert row["id"] == str(circular.public_id) and row["sender"] == "池尻町会"
    assert row["counts"] == {"recipients": 2, "read": 1, "unread": 1}
    detail = client.get(f"{API}/circulars/{circular.public_id}").json()
    [attachment] = detail["attachments"]
    assert (attachment["name"], attachment["content_type"], attachment["size"]) == (
        "地図.pdf", "application/pdf", len(pdf("map")))
    assert detail["body"].startswith("10月1日に")

    before = AuditEntry.objects.count()
    receipts = client.get(f"{API}/circulars/{circular.public_id}/receipts").json()
    assert {(r["household_name"], r["read_at"] is not None, r["online"])
            for r in receipts["receipts"]} == {("山田家", True, True), ("佐藤家", False, False)}
    assert AuditEntry.objects.filter(pk__gt=before, actor=clerk, action="list",
                                     record_type="community.household").count() == 2

    url = f"{API}/circulars/{circular.public_id}/receipts/{paper.public_id}/paper"
    first = client.post(url, {}, content_type="application/json").json()
    again = client.post(url, {}, content_type="application/json").json()
    assert first["on_paper"] and first["read_at"] == again["read_at"] is not None

    login(client, other_clerk)  # 太子堂's centre: not its district
    assert client.get(f"{API}/circulars").json() == []
    response = client.get(f"{API}/circulars/{circular.public_id}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.post(url, {}, content_type="application/json").status_code == 404


def test_a_group_sees_counts_of_what_it_sent_and_only_its_households(
        group, clerk, ikejiri, centre):
    households(group)
    other = make_group(ikejiri, centre, name="池尻子ども会", email="kodomo@example.jp")
    svc.household_add(group=other, name="田中家", email="tanaka@example.jp",
                      contact=other.contacts.get(), source="test")
    sent = post(group)
    district = svc.circular_post(title="地区の清掃", body="日曜の朝に清掃をします。",
                                 audience="district", district=ikejiri, origin=ORIGIN,
                                 source="test", by=clerk)
    client = as_group(other)
    rows = {r["title"]: r for r in client.get(f"{API}/group/circulars").json()}
    assert set(rows) == {"地区の清掃"}  # 池尻町会's own circular is not 子ども会's
    assert rows["地区の清掃"]["counts"] is None  # the centre sent it, not the group
    assert client.get(f"{API}/group/circulars/{sent.public_id}").status_code == 404
    receipts = client.get(f"{API}/group/circulars/{district.public_id}/receipts").json()
    assert [r["household_name"] for r in receipts["receipts"]] == ["田中家"]

    mine = as_group(group)
    detail = mine.get(f"{API}/group/circulars/{sent.public_id}").json()
    assert detail["counts"] == {"recipients": 2, "read": 0, "unread": 2}
    strict = as_group(group, enforce_csrf_checks=True)
    paper = CircularReceipt.objects.get(circular=sent, household__name="佐藤家")
    url = (f"{API}/group/circulars/{sent.public_id}/receipts/"
           f"{paper.household.public_id}/paper")
    assert strict.post(url, {}, content_type="application/json").status_code == 403
    assert mine.post(url, {}, content_type="application/json").json()["on_paper"]


def test_a_household_reads_by_its_link_once(client, group, files_dir):
    online, paper = households(group)
    circular = post(group, uploads=[svc.Upload(pdf("agenda"), "議題.pdf")])
    other = post(group, title="別の回覧")
    CircularReceipt.objects.filter(circular=circular, household=online).update(
        digest=digest("household-token"))
    CircularReceipt.objects.filter(circular=other, household=paper).update(
        digest=digest("paper-token"))
    assert client.get(f"{API}/household/circulars").status_code == 401
    bad = client.get(f"{API}/household/circulars", HTTP_X_CIRCULAR_LINK="not-a-token")
    assert bad.status_code == 401 and "このリンクは使えません" in bad.json()["detail"]

    link = {"HTTP_X_CIRCULAR_LINK": "household-token"}
    rows = client.get(f"{API}/household/circulars", **link).json()
    assert {r["title"] for r in rows} == {"防災訓練のお知らせ", "別の回覧"}  # both of 山田家's
    assert all(r["read_at"] is None for r in rows)
    detail = client.get(f"{API}/household/circulars/{circular.public_id}", **link).json()
    assert [a["name"] for a in detail["attachments"]] == ["議題.pdf"]
    assert detail["read_at"] is None  # reading the API's detail is not the receipt

    read = f"{API}/household/circulars/{circular.public_id}/read"
    first = client.post(read, {}, content_type="application/json", **link)
    again = client.post(read, {}, content_type="application/json", **link)
    assert first.status_code == again.status_code == 200
    assert first.json()["read_at"] == again.json()["read_at"] is not None
    receipt = CircularReceipt.objects.get(circular=circular, household=online)
    assert receipt.read_at is not None and not receipt.on_paper
    assert CircularReceipt.objects.filter(read_at__isnull=False).count() == 1

    # 佐藤家's link does not read 山田家's copy: its own copy of that circular only
    assert client.post(read, {}, content_type="application/json",
                       HTTP_X_CIRCULAR_LINK="paper-token").status_code == 200
    assert CircularReceipt.objects.filter(read_at__isnull=False).count() == 2
    assert CircularReceipt.objects.get(circular=circular, household=online).read_at == \
        receipt.read_at
