"""Documents in the consultation record: staff who may see the record add files on the
record page and download them (audited, as attachments, UUIDs in the URL); bad files are
refused next to the field and leave nothing behind."""

from __future__ import annotations

import pytest
from django.urls import reverse

from madoguchi.audit.models import AuditEntry
from madoguchi.consultations import documents, services
from madoguchi.consultations.models import ConsultationDocument, ConsultationEvent
from madoguchi.files.models import StoredFile
from tests.files.conftest import files_dir_fixture, on_disk  # noqa: F401 (fixture)
from tests.files.samples import pdf, png, windows_exe
from tests.helpers import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("files_dir")]


def add_url(consultation) -> str:
    return reverse("consultations:document_add", kwargs={"public_id": consultation.public_id})


def detail_url(consultation) -> str:
    return reverse("consultations:detail", kwargs={"public_id": consultation.public_id})


def upload(name: str, data: bytes, content_type: str = "application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def add(client, consultation, name="介護保険の通知.pdf", data=None, **extra):
    with_data = {"file": upload(name, pdf() if data is None else data)}
    return client.post(add_url(consultation), with_data, **extra)


def test_centre_staff_add_a_file_and_everyone_on_the_record_sees_it(
        client, routed, staff, files_dir, django_capture_on_commit_callbacks):
    login(client, staff["centre"])
    with django_capture_on_commit_callbacks(execute=True):
        response = add(client, routed)
    assert response.status_code == 302
    assert response.url == detail_url(routed) + "#documents"
    [document] = ConsultationDocument.objects.filter(consultation=routed)
    assert (document.added_by, document.place, document.booking) == (staff["centre"],
                                                                      "record", None)
    assert on_disk(files_dir) == [document.file.storage_key]

    event = ConsultationEvent.objects.filter(consultation=routed, kind="document_add").get()
    assert (event.actor, event.participant_kind, event.note) == (staff["centre"], "",
                                                                 "相談の記録に追加")
    assert "介護保険" not in event.note
    entry = AuditEntry.objects.filter(source="consultations:document_add").get()
    assert (entry.action, entry.record_id, entry.fields) == ("update", str(routed.pk),
                                                             ["document"])

    for who in ("centre", "hoken", "manager"):
        login(client, staff[who])
        page = client.get(detail_url(routed)).content.decode()
        assert "介護保険の通知.pdf" in page
        assert str(document.file.public_id) in page
        assert "資料を追加" in page  # the timeline entry


def test_the_download_is_an_audited_attachment_named_only_by_uuid(
        client, routed, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = documents.document_add(consultation=routed, data=png(), name="写真.png",
                                          by=staff["centre"], place="record", source="tests")
    url = reverse("consultations:document_download",
                  kwargs={"public_id": routed.public_id, "file_id": document.file.public_id})
    assert "写真" not in url
    login(client, staff["hoken"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E5%86%99%E7%9C%9F.png" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    entry = AuditEntry.objects.filter(source="consultations:document_download").get()
    assert (entry.actor, entry.action, entry.fields) == (staff["hoken"], "view", ["document"])
    assert entry.resident_ref == str(routed.resident.public_id)


@pytest.mark.parametrize(("data", "message"), [
    (windows_exe(), "このファイルの種類は受け付けられません。"
                    "PDF・JPEG・PNGのファイルを選んでください。"),
    (b"", "ファイルが空です。"),
    (b"just text pretending.pdf", "このファイルの種類は受け付けられません。"),
])
def test_bad_files_come_back_next_to_the_field_and_nothing_is_kept(
        client, routed, staff, files_dir, data, message):
    login(client, staff["centre"])
    response = add(client, routed, name="申請書.pdf", data=data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="field field--error"' in page
    assert message in page
    assert "相談の記録" in page and "経過" in page  # the record page, not an error page
    assert not ConsultationDocument.objects.exists() and not StoredFile.objects.exists()
    assert not ConsultationEvent.objects.filter(kind="document_add").exists()
    assert on_disk(files_dir) == []


def test_no_file_chosen(client, routed, staff):
    login(client, staff["centre"])
    response = client.post(add_url(routed), {})
    assert response.status_code == 400
    assert "ファイルを選んでください。" in response.content.decode()


def test_too_large_whether_announced_or_not(client, routed, staff, settings, files_dir):
    settings.FILES_MAX_MB = 1
    login(client, staff["centre"])
    for extra in (1, 200 * 1024):  # just over the limit; over it by more than a form's worth
        response = add(client, routed, data=pdf() + b"\0" * (1024 * 1024 - len(pdf()) + extra))
        assert response.status_code == 400
        assert ("ファイルが大きすぎます。1MBまでのファイルにしてください。"
                in response.content.decode())
    assert on_disk(files_dir) == [] and not StoredFile.objects.exists()


def test_the_form_says_what_is_accepted(client, routed, staff):
    login(client, staff["centre"])
    page = client.get(detail_url(routed)).content.decode()
    assert "PDF・JPEG・PNGのファイル（1ファイル10MBまで）" in page
    assert 'accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"' in page
    assert 'enctype="multipart/form-data"' in page


def test_who_may_add(client, routed, staff):
    expected = {"centre": 302, "hoken": 302, "manager": 302, "kazei": 404, "jidokan": 404,
                "anshin": 404, "admin": 403, "auditor": 403}
    got = {}
    for who in expected:
        login(client, staff[who])
        got[who] = add(client, routed).status_code
    assert got == expected


def test_a_cancelled_consultation_takes_no_more_files(client, routed, staff):
    services.consultation_cancel(by=staff["centre"], consultation=routed,
                                 reason="区民の都合", source="tests")
    login(client, staff["centre"])
    assert "資料を追加する" not in client.get(detail_url(routed)).content.decode()
    assert add(client, routed).status_code == 403


def test_a_file_of_another_record_is_not_found_here(client, intake, routed, resident, staff,
                                                    django_capture_on_commit_callbacks):
    other = intake(resident)
    with django_capture_on_commit_callbacks(execute=True):
        document = documents.document_add(consultation=other, data=pdf(), name="a.pdf",
                                          by=staff["centre"], place="record", source="tests")
    login(client, staff["centre"])
    response = client.get(reverse("consultations:document_download", kwargs={
        "public_id": routed.public_id, "file_id": document.file.public_id}))
    assert response.status_code == 404


def test_missing_bytes_are_a_message_on_the_record_page(client, routed, staff, files_dir,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = documents.document_add(consultation=routed, data=pdf(), name="a.pdf",
                                          by=staff["centre"], place="record", source="tests")
    (files_dir / document.file.storage_key).unlink()
    login(client, staff["centre"])
    response = client.get(reverse("consultations:document_download", kwargs={
        "public_id": routed.public_id, "file_id": document.file.public_id}), follow=True)
    assert "ファイルが見つかりません。" in response.content.decode()
