"""Digital circulars (回覧板, issue 16 item 2): a group or the centre posts a circular with
files to households; each household with an address gets its own link whose first opening
is the read receipt; paper households are signed off on the printed PDF and recorded;
refusals (empty, no recipients, a file of the wrong type, a group that is not the
sender's) save nothing; the public selector shows only what the sender agreed to."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from madoguchi.audit.models import AuditEntry
from madoguchi.community import selectors
from madoguchi.community.errors import CommunityError
from madoguchi.community.models import (
    Circular,
    CircularAttachment,
    CircularReceipt,
    GroupStatus,
    Household,
)
from madoguchi.community.services import circulars as svc
from madoguchi.core.tokens import digest
from madoguchi.documents.circular import render_circular
from madoguchi.files.models import StoredFile
from tests.community.conftest import make_group
from tests.files.conftest import files_dir_fixture, on_disk  # noqa: F401 - fixture
from tests.files.samples import pdf, png, windows_exe
from tests.helpers import login
from tests.notifications.conftest import run_worker

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver/"


def households(group) -> tuple[Household, Household]:
    contact = group.contacts.get()
    online = svc.household_add(group=group, name="山田家", email="yamada@example.jp",
                               contact=contact, source="community:household_add")
    paper = svc.household_add(group=group, name="佐藤家", email="", contact=contact,
                              source="community:household_add")
    return online, paper


def post(group, **kwargs) -> Circular:
    values = {"title": "防災訓練のお知らせ", "body": "10月1日に池尻小学校で防災訓練を行います。",
              "audience": "group", "district": group.centre.district, "to_group": group,
              "origin": ORIGIN, "source": "community:group_circulars",
              "contact": group.contacts.get()}
    return svc.circular_post(**{**values, **kwargs})


def nothing_saved() -> bool:
    return not Circular.objects.exists() and not CircularReceipt.objects.exists() \
        and not StoredFile.objects.exists()


def refused(code: str, group, **kwargs) -> str:
    with pytest.raises(CommunityError) as caught:
        post(group, **kwargs)
    assert caught.value.code == code
    assert nothing_saved()
    return caught.value.message


@pytest.mark.django_db(transaction=True)
def test_a_group_posts_a_household_reads_online_and_another_on_paper(group, files_dir, smtp):
    online, paper = households(group)
    circular = post(group, uploads=[svc.Upload(pdf("map"), "地図.pdf"),
                                    svc.Upload(png(), "会場.png")], is_public=True)
    assert CircularAttachment.objects.filter(circular=circular).count() == 2
    assert set(StoredFile.objects.values_list("content_type", flat=True)) == {
        "application/pdf", "image/png"}
    run_worker()  # the mail goes to the household with an address only
    [message] = smtp.to("yamada@example.jp")
    assert "防災訓練のお知らせ" in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    token = text.split("/community/circulars/read/")[1].split("/")[0]
    assert smtp.rcpt == [["yamada@example.jp"]]  # the paper household is not mailed

    receipt = svc.circular_open(token=token)
    assert receipt.household == online and receipt.read_at is not None
    first = receipt.read_at
    assert svc.circular_open(token=token).read_at == first  # the first opening counts
    with pytest.raises(CommunityError) as caught:
        svc.circular_open(token="not-a-token")
    assert caught.value.code == "link"

    paper_receipt = CircularReceipt.objects.get(household=paper)
    assert paper_receipt.read_at is None
    svc.receipt_confirm_paper(receipt=paper_receipt, contact=group.contacts.get())
    paper_receipt.refresh_from_db()
    assert paper_receipt.on_paper and paper_receipt.read_at is not None
    with pytest.raises(CommunityError) as caught:
        svc.receipt_confirm_paper(receipt=paper_receipt, contact=group.contacts.get())
    assert caught.value.code == "already_read"


def test_the_printed_circular_names_the_paper_households(group, clerk):
    online, paper = households(group)
    circular = post(group)
    sheet = selectors.printable(circular=circular, source="community:centre_circular_pdf",
                                user=clerk)
    assert sheet.households == ("佐藤家",)  # the household reading on paper only
    text = "".join(page.extract_text() for page in PdfReader(
        io.BytesIO(render_circular(sheet))).pages)
    assert "防災訓練のお知らせ" in text and "佐藤家" in text and "山田家" not in text
    assert AuditEntry.objects.filter(record_type="community.household", action="export",
                                     record_id=str(paper.public_id)).exists()


def test_empty_circulars_and_no_recipients_are_refused(group):
    assert "本文を入力してください" in refused("body", group, body="  \n ")
    assert "件名を入力してください" in refused("title", group, title="")
    assert "回覧先の世帯がありません" in refused("no_recipients", group)


def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_kept(group, files_dir):
    households(group)
    message = refused("file", group, uploads=[svc.Upload(pdf(), "案内.pdf"),
                                               svc.Upload(windows_exe(), "案内.pdf")])
    assert "PDF・JPEG・PNG" in message and "案内.pdf" in message
    assert on_disk(files_dir) == []  # the first, checked file was discarded too
    assert "ファイルが空です" in refused("file", group, uploads=[svc.Upload(b"", "空.pdf")])


def test_a_group_may_not_post_to_another_group_or_another_district(group, ikejiri, centre):
    households(group)
    other = make_group(ikejiri, centre, name="池尻二丁目町会", email="ni@example.jp")
    households(other)
    message = refused("not_member", group, to_group=other)
    assert "自分の団体の会員にだけ" in message and "池尻二丁目町会" in message
    from madoguchi.organisation.models import District
    taishido = District.objects.get(region__code="setagaya", code="taishido")
    assert "活動地区ではありません" in refused("not_member", group, audience="district",
                                               district=taishido, to_group=None)


def test_the_centre_posts_to_every_registered_group_of_its_district(
        group, pending_group, ikejiri, centre, clerk, other_clerk):
    households(group)
    other = make_group(ikejiri, centre, name="池尻二丁目町会", email="ni@example.jp")
    households(other)
    Household.objects.create(group=pending_group, name="未承認の世帯")
    assert pending_group.status == GroupStatus.PENDING
    circular = svc.circular_post(title="地区の清掃", body="日曜の朝に清掃をします。",
                                 audience="district", district=ikejiri, origin=ORIGIN,
                                 source="community:centre_circulars", by=clerk)
    assert circular.sender_group is None and circular.sent_by == clerk
    assert CircularReceipt.objects.filter(circular=circular).count() == 4
    assert selectors.group_circulars(other) == [circular]
    with pytest.raises(PermissionDenied):
        svc.circular_post(title="x", body="y", audience="district", district=ikejiri,
                          origin=ORIGIN, source="community:centre_circulars",
                          by=other_clerk)
    assert Circular.objects.count() == 1


def test_only_circulars_marked_public_are_published(group, ikejiri):
    households(group)
    post(group, title="公開してよいお知らせ", is_public=True)
    post(group, title="会員だけのお知らせ")
    published = selectors.published_circulars(ikejiri)
    assert [p.title for p in published] == ["公開してよいお知らせ"]
    assert published[0].sender == "池尻町会"
    assert not hasattr(published[0], "receipts")


def test_the_group_pages_post_show_who_read_and_print(client, group, files_dir):
    contact = group.contacts.get()
    session = client.session
    session["community_group_contact"] = contact.pk
    session.save()
    response = client.post("/community/group/households/", {"name": "佐藤家", "email": ""})
    assert response.status_code == 302 and Household.objects.filter(name="佐藤家").exists()
    response = client.post("/community/group/circulars/", {
        "title": "", "body": "", "audience": "group"})
    assert response.status_code == 200 and not Circular.objects.exists()
    response = client.post("/community/group/circulars/", {
        "title": "回覧", "body": "本文", "audience": "group",
        "files": [io.BytesIO(windows_exe())]})
    assert "受け付けられません" in response.content.decode() and nothing_saved()
    attachment = io.BytesIO(pdf())
    attachment.name = "案内.pdf"
    response = client.post("/community/group/circulars/", {
        "title": "回覧", "body": "本文", "audience": "group", "files": [attachment]})
    assert response.status_code == 302
    circular = Circular.objects.get()
    page = client.get(f"/community/group/circulars/{circular.public_id}/").content.decode()
    assert "佐藤家" in page and "未読" in page
    response = client.get(f"/community/group/circulars/{circular.public_id}/print/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    receipt = CircularReceipt.objects.get()
    for bad in ("abc", "", "-1"):
        response = client.post(f"/community/group/circulars/{circular.public_id}/",
                               {"receipt": bad})
        assert response.status_code == 404
    receipt.refresh_from_db()
    assert not receipt.on_paper
    client.post(f"/community/group/circulars/{circular.public_id}/", {"receipt": receipt.pk})
    receipt.refresh_from_db()
    assert receipt.on_paper


def test_a_household_reads_by_its_link_and_the_staff_see_it(client, group, clerk,
                                                            files_dir):
    online, _paper = households(group)
    circular = post(group, uploads=[svc.Upload(pdf("agenda"), "議題.pdf")])
    receipt = CircularReceipt.objects.get(household=online)
    CircularReceipt.objects.filter(pk=receipt.pk).update(digest=digest("household-token"))
    page = client.get("/community/circulars/read/household-token/").content.decode()
    assert "防災訓練のお知らせ" in page and "議題.pdf" in page
    stored = StoredFile.objects.get()
    response = client.get(f"/community/circulars/read/household-token/files/"
                          f"{stored.public_id}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == \
        pdf("agenda")
    assert client.get(f"/community/circulars/read/other/files/{stored.public_id}/"
                      ).status_code == 404
    login(client, clerk)
    page = client.get(f"/community/staff/circulars/{circular.public_id}/").content.decode()
    assert "既読 1 / 2世帯" in page
