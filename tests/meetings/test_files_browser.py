"""Real browsers share files in a call: the resident, admitted by the section's staff
member, shares a PDF from the panel; the staff member's list shows it within one poll and
downloads it; a forbidden file and a too large one are refused in the panel while the call
stays connected. The server runs with its own FILES_DIR and a 1 MB limit."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import expect

from madoguchi.files import storage
from madoguchi.files.models import StoredFile
from tests.browser.conftest import _database_url, run_asgi_server
from tests.files.samples import pdf, windows_exe
from tests.meetings.conftest import build_world, session_cookie
from tests.meetings.test_call_browser import connected, watch_errors

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def files_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """(base URL, FILES_DIR) of an ASGI server storing files in a folder of its own."""
    folder = tmp_path_factory.mktemp("files-server")
    with django_db_blocker.unblock():
        database_url = _database_url(connection.settings_dict)
    with run_asgi_server(database_url, folder / "server.log", FILES_DIR=str(folder / "files"),
                         FILES_MAX_MB="1", CLAMD_ADDRESS="") as url:
        yield url, folder / "files"


@pytest.fixture
def call(files_server, transactional_db, make_staff):
    call_command("load_setagaya", verbosity=0)
    return build_world(make_staff), *files_server


def file_payload(name: str, data: bytes, mime: str = "application/pdf") -> dict:
    return {"name": name, "mimeType": mime, "buffer": data}


def in_call(world, base, media_page, *, token: str, name: str):
    """The host's page and the page of the holder of ``token`` (``name``), admitted, and the
    errors both pages report; checks that the panel offers nothing to share while waiting,
    and the form once in the call."""
    _, staff_session = session_cookie(world.staff.host)
    staff = media_page(base, staff_session)
    errors = watch_errors(staff)
    staff.goto(f"{base}/meet/{world.room.public_id}/")
    staff.get_by_text("通話に参加しました").wait_for()
    other = media_page(base)
    errors += watch_errors(other)
    other.goto(f"{base}/meet/join/{token}/")
    other.get_by_text("担当の職員が入室を許可するまで、お待ちください。").wait_for()
    form = other.locator("#meeting-files-form")
    assert form.is_hidden()  # waiting in the lobby: nothing to share yet
    staff.get_by_role("button", name=f"{name}さん: 入室を許可").click()
    connected(other)
    form.wait_for(state="visible", timeout=15_000)
    return staff, other, errors


def test_the_resident_shares_a_file_and_the_staff_member_downloads_it(call, media_page):
    world, base, files_dir = call
    staff, resident, errors = in_call(world, base, media_page, token=world.resident_token,
                                      name="山田\u3000花子")

    chooser = resident.get_by_label("共有するファイル")
    chooser.set_input_files(file_payload("区からの通知.pdf", pdf("notice")))
    resident.get_by_role("button", name="共有する", exact=True).click()
    resident.get_by_text("「区からの通知.pdf」を共有しました。相談の記録にも保存しました。").wait_for()
    assert resident.locator("#meeting-files-list a", has_text="区からの通知.pdf").count() == 1
    # The form is ready for the next file (reset when htmx has settled the message: retried).
    expect(chooser).to_have_value("")

    link = staff.locator("#meeting-files-list a", has_text="区からの通知.pdf")
    link.wait_for(timeout=15_000)  # within one poll
    with staff.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "区からの通知.pdf"
    with open(download.value.path(), "rb") as handle:
        assert handle.read() == pdf("notice")
    stored = StoredFile.objects.get()
    at_rest = (files_dir / stored.storage_key).read_bytes()  # encrypted by the server
    assert at_rest.startswith(storage.MAGIC) and pdf("notice") not in at_rest

    # A program renamed to .pdf: refused in the panel; the call goes on.
    chooser.set_input_files(file_payload("請求書.pdf", windows_exe()))
    resident.get_by_role("button", name="共有する", exact=True).click()
    alert = resident.locator("#meeting-files-message[role=alert]")
    alert.wait_for()
    assert "このファイルの種類は受け付けられません。" in alert.inner_text()
    # Too large: the page says so before sending anything.
    chooser.set_input_files(file_payload("大きな資料.pdf", pdf() + b"\0" * (1024 * 1024)))
    resident.get_by_text("ファイルが大きすぎます。1MBまでのファイルにしてください。").wait_for()
    assert chooser.input_value() == ""
    connected(resident)
    connected(staff)
    assert StoredFile.objects.count() == 1
    assert errors == []


def test_the_panel_passes_axe_in_the_call(call, media_page):
    from tests.browser.pages import axe_violations

    world, base, _files_dir = call
    staff, guest, _errors = in_call(world, base, media_page, token=world.guest_token,
                                    name="専門 相談員")
    guest.get_by_label("共有するファイル").set_input_files(
        file_payload("資料.pdf", windows_exe()))
    guest.get_by_role("button", name="共有する", exact=True).click()
    guest.locator("#meeting-files-message[role=alert]").wait_for()
    for page in (guest, staff):
        count, report = axe_violations(page)
        assert count == 0, report
