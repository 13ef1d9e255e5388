"""Issue 5 in a real browser: a 子ども家庭支援課 staff member finds a 児童手当 claim in the
inbox, ticks the checklist (htmx), checks, accepts and certifies it, makes the posted
decision notice and marks it printed in the print queue."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from madoguchi.accounts.models import Role
from madoguchi.accounts.services import staff_upsert
from madoguchi.applications.models import Application, Notice
from madoguchi.organisation.models import Section
from madoguchi.portal.models import Level, Method, PortalIdentity
from tests.applications.review_support import receive_jido
from tests.browser.conftest import _database_url, run_asgi_server

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password-1"


@pytest.fixture(scope="module")
def review_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """(base URL, FILES_DIR) of an ASGI server storing files in a folder of its own."""
    from django.db import connection

    folder = tmp_path_factory.mktemp("review-server")
    with django_db_blocker.unblock():
        database_url = _database_url(connection.settings_dict)
    with run_asgi_server(database_url, folder / "server.log",
                         FILES_DIR=str(folder / "files")) as url:
        yield url, folder / "files"


@pytest.fixture
def ward(review_server, transactional_db, settings):
    base, files = review_server
    settings.FILES_DIR = str(files)  # the claim's attachments land where the server reads
    call_command("load_setagaya", verbosity=0)
    call_command("load_procedures", verbosity=0)
    staff_upsert(username="kodomo-reviewer", display_name="子ども 審査", password=PASSWORD,
                 role=Role.SECTION_STAFF,
                 unit=Section.objects.get(code="setagaya/kodomo-katei"))
    identity = PortalIdentity.objects.create(method=Method.OIDC, level=Level.STRONG,
                                             issuer="https://idp.example.jp", subject="sub-1",
                                             email="hanako@example.jp")
    from madoguchi.organisation.models import District

    claim = receive_jido(identity, District.objects.get(code="ikejiri"))
    return base, claim


def sign_in(page, base):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("職員ID").fill("kodomo-reviewer")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{base}/accounts/home/")


def test_from_inbox_to_notice(ward, new_page):  # noqa: F811 (fixture)
    base, claim = ward
    page = new_page()
    sign_in(page, base)
    page.get_by_role("link", name="申請の受付箱").first.click()
    page.get_by_role("heading", name="申請の受付箱").wait_for()
    page.get_by_role("link", name=claim.reference).click()
    page.get_by_role("heading", name="審査のチェック").wait_for()
    assert "世田谷銀行" in page.locator("#answers").inner_text()

    item = page.locator("#checklist-list button").first
    item.click()  # htmx swaps the list in place
    page.locator("#checklist-list button[aria-pressed=true]").first.wait_for()
    assert page.url.endswith(f"/review/{claim.public_id}/")
    assert Application.objects.get(pk=claim.pk).checklist["0"]["done"] is True

    for action, status in (("審査を始める", "審査中"), ("受理する", "受理")):
        page.get_by_role("button", name=action).click()
        page.locator("#current-status", has_text=status).wait_for()
    # 「認定する」 asks for the decision's data: a wrong amount is refused on the page.
    page.get_by_label("支給開始月").fill("令和8年12月1日")
    page.get_by_label("手当の月額").fill("ゼロ円")
    page.get_by_role("button", name="認定する").click()
    page.locator("#error-summary").wait_for()
    assert "受理" in page.locator("#current-status").inner_text()
    page.get_by_label("手当の月額").fill("15,000")
    page.get_by_role("button", name="認定する").click()
    page.locator("#current-status", has_text="認定").wait_for()
    assert "15,000円" in page.locator("#decision").inner_text()

    page.get_by_label("印刷して郵送").check()
    page.get_by_label("記に載せるほかの項目（任意）").fill("受取場所：区役所第1庁舎")
    page.get_by_role("button", name="通知書を作成する").click()
    page.locator("#current-status", has_text="通知済み").wait_for()
    notice = Notice.objects.get(application=claim)
    assert notice.document_number in page.locator("#notices").inner_text()
    pdf = page.request.get(f"{base}/review/notices/{notice.public_id}/")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    page.get_by_role("link", name="申請の受付箱に戻る").click()
    page.get_by_role("link", name="郵送する通知書（印刷待ち）").click()
    page.get_by_role("rowheader", name=notice.document_number).wait_for()
    page.get_by_role("button", name="印刷・発送済みにする").click()
    page.get_by_text("印刷待ちの通知書はありません。").wait_for()
    notice.refresh_from_db()
    assert notice.printed_at is not None


def test_the_residents_link_page_is_accessible(ward, new_page):  # noqa: F811 (fixture)
    import datetime as dt

    from django.utils import timezone

    from madoguchi.applications.services import notices
    from madoguchi.core.tokens import digest
    from tests.applications.conftest import staff_actor
    from tests.applications.review_support import decided
    from tests.browser.pages import axe_violations

    base, claim = ward
    from django.contrib.auth import get_user_model

    reviewer = get_user_model().objects.get(username="kodomo-reviewer")
    decided(claim, reviewer)
    notice = notices.notice_create(actor=staff_actor(reviewer), application=claim,
                                   delivery="post")
    Notice.objects.filter(pk=notice.pk).update(
        link_hash=digest("browser-token"), link_expires_at=timezone.now() + dt.timedelta(days=14))
    for lang in ("ja-JP", "en-US"):
        page = new_page(locale=lang)
        page.goto(f"{base}/notice/browser-token/")
        page.get_by_role("heading", level=1).wait_for()
        count, report = axe_violations(page)
        assert count == 0, report
        page.keyboard.press("Tab")
        for _ in range(30):
            if page.evaluate("document.activeElement.tagName") == "BUTTON" and \
                    "PDF" in page.evaluate("document.activeElement.innerText"):
                break
            page.keyboard.press("Tab")
        else:
            raise AssertionError("the download button cannot be reached by keyboard")
        with page.expect_download() as download:
            page.keyboard.press("Enter")
        assert download.value.suggested_filename == f"{claim.reference}-notice.pdf"
    notice.refresh_from_db()
    assert notice.opened_at is not None
