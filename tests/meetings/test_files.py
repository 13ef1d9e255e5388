"""Files shared in the call: anyone admitted (staff, people with a one-time link) shares
into the consultation record from the room; participants with a link see and download only
the files of this call; bad files are refused in the panel and nothing is stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from madoguchi.audit.models import AuditEntry
from madoguchi.consultations import documents
from madoguchi.consultations.models import ConsultationDocument, ConsultationEvent
from madoguchi.files.models import StoredFile
from madoguchi.meetings import services
from tests.files.conftest import (  # noqa: F401 (fixtures)
    clamd_fixture,
    files_dir_fixture,
    on_disk,
)
from tests.files.samples import EICAR, pdf, png, windows_exe
from tests.helpers import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("files_dir")]
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, world, **kwargs) -> str:
    return reverse(f"meetings:{name}", kwargs={"public_id": world.room.public_id, **kwargs})


def share(client, world, name="説明資料.pdf", data=None, htmx=True):
    upload = SimpleUploadedFile(name, pdf() if data is None else data,
                                content_type="application/pdf")
    return client.post(url("file_share", world), {"file": upload}, **(HTMX if htmx else {}))


def guest_client(token: str) -> Client:
    client = Client()
    assert client.get(f"/meet/join/{token}/").status_code == 200
    return client


def in_call(world, *, links=()):
    """The host in the call and the holders of ``links`` admitted by the host."""
    host = services.attendance_join(room=world.room, channel_name="host", user=world.staff.host)
    for link in links:
        waiting = services.attendance_join(room=world.room, channel_name=f"link-{link.pk}",
                                           link=link)
        services.attendance_admit(room=world.room, peer=waiting.peer, by=host)
    return host


def test_host_and_resident_share_and_both_download(world, files_dir,
                                                   django_capture_on_commit_callbacks):
    in_call(world, links=[world.resident_link, world.guest_link])
    host = login(Client(), world.staff.host)
    resident = guest_client(world.resident_token)
    guest = guest_client(world.guest_token)

    with django_capture_on_commit_callbacks(execute=True):
        response = share(host, world, name="介護保険のしおり.pdf")
    html = response.content.decode()
    assert response.status_code == 200
    assert "「介護保険のしおり.pdf」を共有しました。" in html and 'hx-swap-oob="true"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = share(resident, world, name="通知の写真.png", data=png())
    assert "「通知の写真.png」を共有しました。" in response.content.decode()

    first, second = ConsultationDocument.objects.order_by("pk")
    assert (first.added_by, first.participant_kind, first.place) == (world.staff.host, "",
                                                                      "room")
    assert (second.added_by, second.participant_kind, second.booking) == (None, "resident",
                                                                          world.booking)
    assert sorted(on_disk(files_dir)) == sorted([first.file.storage_key,
                                                 second.file.storage_key])
    events = ConsultationEvent.objects.filter(consultation=world.consultation,
                                              kind="document_add").order_by("pk")
    assert [(e.actor, e.participant_kind, e.note) for e in events] == [
        (world.staff.host, "", "ビデオ通話で共有"), (None, "resident", "ビデオ通話で共有")]

    # Everyone in the call sees both files and downloads them.
    for client in (host, resident, guest):
        listing = client.get(url("files", world), **HTMX)
        assert listing.status_code == 200
        text = listing.content.decode()
        assert "介護保険のしおり.pdf" in text and "通知の写真.png" in text
        assert 'data-can-share="true"' in text
        download = client.get(url("file_download", world, file_id=second.file.public_id))
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == png()
        assert download["Content-Disposition"].startswith("attachment;")
    # Only the staff member's download and share are in the audit trail (no staff actor
    # for the others; their share is on the timeline).
    assert [(e.actor, e.source, e.action) for e in AuditEntry.objects.filter(
        source__startswith="meetings:file").order_by("pk")] == [
        (world.staff.host, "meetings:file_share", "update"),
        (world.staff.host, "meetings:file_download", "view")]


def test_link_holders_see_only_the_files_of_this_call(world, client,
                                                      django_capture_on_commit_callbacks):
    in_call(world, links=[world.guest_link])
    with django_capture_on_commit_callbacks(execute=True):
        in_record = documents.document_add(
            consultation=world.consultation, data=pdf(), name="所管課のメモ.pdf",
            by=world.staff.host, place="record", source="tests")
    guest = guest_client(world.guest_token)
    assert "所管課のメモ" not in guest.get(url("files", world), **HTMX).content.decode()
    response = guest.get(url("file_download", world, file_id=in_record.file.public_id))
    assert response.status_code == 404
    # The record page still lists it for staff.
    login(client, world.staff.host)
    detail = reverse("consultations:detail", kwargs={"public_id": world.consultation.public_id})
    assert "所管課のメモ.pdf" in client.get(detail).content.decode()


def test_waiting_in_the_lobby_is_not_being_in_the_call(world):
    in_call(world)
    services.attendance_join(room=world.room, channel_name="resident",
                             link=world.resident_link)  # waiting, not admitted
    resident = guest_client(world.resident_token)
    listing = resident.get(url("files", world), **HTMX).content.decode()
    assert "通話に入ると、資料を共有したり受け取ったりできます。" in listing
    assert 'data-can-share="false"' in listing
    response = share(resident, world)
    assert response.status_code == 200
    assert "通話に入ってから、資料を共有してください。" in response.content.decode()
    assert share(resident, world, htmx=False).status_code == 403
    assert not StoredFile.objects.exists()


@pytest.mark.parametrize(("data", "message"), [
    (windows_exe(), "このファイルの種類は受け付けられません。"
                    "PDF・JPEG・PNGのファイルを選んでください。"),
    (b"", "ファイルが空です。中身のあるファイルを選んでください。"),
    (b"#!/bin/sh\nrm -rf /\n", "このファイルの種類は受け付けられません。"),
])
def test_bad_files_are_refused_in_the_panel(world, files_dir, data, message):
    in_call(world, links=[world.resident_link])
    resident = guest_client(world.resident_token)
    response = share(resident, world, name="資料.pdf", data=data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and 'role="alert"' in html and 'id="meeting-files-list"' in html
    assert share(resident, world, data=data, htmx=False).status_code == 400
    assert not StoredFile.objects.exists() and not ConsultationDocument.objects.exists()
    assert on_disk(files_dir) == []
    # The call goes on: the list still answers.
    assert resident.get(url("files", world), **HTMX).status_code == 200


def test_too_large_and_no_file(world, settings, files_dir):
    settings.FILES_MAX_MB = 1
    in_call(world)
    host = login(Client(), world.staff.host)
    for extra in (1, 300 * 1024):
        response = share(host, world, data=pdf() + b"\0" * (1024 * 1024 + extra))
        assert ("ファイルが大きすぎます。1MBまでのファイルにしてください。"
                in response.content.decode())
    response = host.post(url("file_share", world), {}, **HTMX)
    assert "ファイルを選んでください。" in response.content.decode()
    assert on_disk(files_dir) == [] and not StoredFile.objects.exists()


def test_an_infected_file_is_refused(world, clamd, settings, files_dir):
    settings.CLAMD_ADDRESS = clamd[0]
    in_call(world, links=[world.guest_link])
    guest = guest_client(world.guest_token)
    response = share(guest, world, name="eicar.pdf", data=EICAR)
    assert ("このファイルからウイルスが見つかったため、受け付けられません。"
            in response.content.decode())
    assert on_disk(files_dir) == [] and not StoredFile.objects.exists()


def test_people_outside_the_call_are_refused(world, client):
    in_call(world)
    for user in (world.staff.centre, world.staff.other_section, world.staff.partner):
        staff = login(Client(), user)
        assert staff.get(url("files", world)).status_code == 403
        assert share(staff, world, htmx=False).status_code == 403
    anonymous = Client()
    polled = anonymous.get(url("files", world), **HTMX)
    assert polled.status_code == 286  # htmx stops polling
    assert "この相談の参加者ではないため、入室できません。" in polled.content.decode()
    assert anonymous.get(url("files", world)).status_code == 403
    assert not StoredFile.objects.exists()


def test_after_the_call_those_who_were_in_it_keep_the_files_for_the_links_lifetime(
        world, django_capture_on_commit_callbacks):
    host_attendance = in_call(world, links=[world.guest_link])
    guest = guest_client(world.guest_token)
    with django_capture_on_commit_callbacks(execute=True):
        share(guest, world)
    stored = StoredFile.objects.get()
    services.room_end(room=world.room, by=world.staff.host)
    assert host_attendance.pk
    download = url("file_download", world, file_id=stored.public_id)
    # The guest was in the call: the list stays (without polling) and the file downloads,
    # but nothing more can be shared.
    polled = guest.get(url("files", world), **HTMX)
    html = polled.content.decode()
    assert polled.status_code == 286
    assert "通話は終了しました。この通話で共有された資料は、" in html
    assert stored.original_name in html and 'data-can-share="false"' in html
    assert 'hx-get=' not in html
    assert guest.get(download).status_code == 200
    assert "通話に入ってから、資料を共有してください。" in share(guest, world).content.decode()
    assert StoredFile.objects.count() == 1
    # The resident's link was never used in the call: nothing to receive.
    assert Client().get(f"/meet/join/{world.resident_token}/").status_code == 410
    # Once the link has expired, the files are gone for the guest too.
    world.guest_link.expires_at = timezone.now() - dt.timedelta(seconds=1)
    world.guest_link.save(update_fields=["expires_at"])
    assert guest.get(download).status_code == 410
    polled = guest.get(url("files", world), **HTMX)
    assert polled.status_code == 286 and stored.original_name not in polled.content.decode()
    # The host keeps the files in the record; the room's panel no longer shares.
    host = login(Client(), world.staff.host)
    assert 'data-can-share="false"' in host.get(url("files", world), **HTMX).content.decode()
    assert host.get(download).status_code == 403


def test_the_room_pages_carry_the_panel(world):
    host = login(Client(), world.staff.host)
    html = host.get(url("room", world)).content.decode()
    assert 'id="meeting-files"' in html and "meeting-files.js" in html
    assert 'hx-trigger="load, every 5s"' in html
    guest_html = Client().get(f"/meet/join/{world.guest_token}/").content.decode()
    assert 'id="meeting-files"' in guest_html
    assert url("file_share", world) in guest_html
