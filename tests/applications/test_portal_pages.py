"""The residents' online application pages: the identity gate, the draft that keeps what
was typed, attachments, the idempotent submission, 「わたしの申請」, the detail with the
public history, answering a correction, withdrawing, and input kept over a login timeout."""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from madoguchi.applications import services
from madoguchi.applications.models import DRAFT, Application, ApplicationEvent, PendingInput
from madoguchi.audit.models import AuditEntry
from madoguchi.portal.models import Level, Method, PortalIdentity
from madoguchi.procedures.models import Channel
from tests.applications.conftest import (
    PDF,
    PNG,
    kazei_answers,
    portal_client,
    resident_actor,
    staff_actor,
    version,
)

pytestmark = pytest.mark.django_db

START = "/portal/applications/new/kazei-shomei/"


def _flat(raw: dict) -> dict:
    """Raw answers as the page posts them (``person-family``, ``current_address-address``)."""
    data = {}
    for key, value in raw.items():
        if isinstance(value, dict):
            data.update({f"{key}-{part}": v for part, v in value.items()})
        else:
            data[key] = value
    return data


@pytest.fixture
def draft(catalogue, strong_identity, ikejiri, files_dir):
    return services.draft_start(actor=resident_actor(strong_identity),
                                version=version("kazei-shomei"), channel=Channel.ONLINE,
                                district=ikejiri)


def _edit(draft) -> str:
    return f"/portal/applications/{draft.public_id}/edit/"


def _attach(draft, identity, code="identity"):
    return services.attachment_add(actor=resident_actor(identity), application=draft,
                                   code=code, data=PNG, name="card.png")


def _submitted(draft, identity):
    _attach(draft, identity)
    return services.application_submit(actor=resident_actor(identity), application=draft,
                                       raw=kazei_answers(),
                                       idempotency_key="page-test-key-1").application


# ── start and the identity gate ────────────────────────────────────────────────────────


def test_start_needs_a_login(catalogue):
    response = Client().get(START)
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/")


def test_an_email_login_is_sent_to_the_card_login_for_a_strong_procedure(catalogue,
                                                                         resident_client):
    response = resident_client.get(START)
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/card/")
    assert "next=%2Fportal%2Fapplications%2Fnew%2Fkazei-shomei%2F" in response["Location"]


def test_an_email_procedure_opens_with_an_email_login(catalogue, resident_client):
    page = resident_client.get("/portal/applications/new/ninshin-todoke/")
    assert page.status_code == 200
    assert "メールアドレスでのログインが必要です。" in page.content.decode()


def test_the_start_page_says_what_is_needed_and_starts_a_draft(catalogue, strong_client,
                                                               strong_identity, ikejiri):
    page = strong_client.get(START)
    text = page.content.decode()
    assert page.status_code == 200
    for expected in ("本人確認書類", "委任状", "1通につき 300円",
                     "マイナンバーカードによる本人確認", "お住まいの地区", "池尻"):
        assert expected in text, expected
    response = strong_client.post(START, {"district": "setagaya/ikejiri"})
    application = Application.objects.get(identity=strong_identity)
    assert response.status_code == 302 and response["Location"] == _edit(application)
    assert application.status == DRAFT and application.channel == Channel.ONLINE
    assert application.district == ikejiri
    # The district chosen last is offered next time.
    again = strong_client.get(START).content.decode()
    assert re.search(r'<option value="setagaya/ikejiri" selected>', again)


def test_start_without_a_district_says_so(catalogue, strong_client):
    response = strong_client.post(START, {"district": ""})
    assert response.status_code == 400
    assert "お住まいの地区を選んでください。" in response.content.decode()
    assert not Application.objects.exists()


def test_a_procedure_not_online_is_not_found(catalogue, strong_client):
    assert strong_client.get("/portal/applications/new/tennyu-todoke/").status_code == 404


def test_the_public_page_offers_the_online_start(catalogue, client):
    text = client.get("/procedures/kazei-shomei/").content.decode()
    assert "オンラインで申請する" in text and START in text


# ── the draft ──────────────────────────────────────────────────────────────────────────


def test_save_keeps_what_was_typed_even_when_invalid(draft, strong_identity):
    client = portal_client(strong_identity)
    data = {**_flat(kazei_answers()), "phone": "電話abc", "_action": "save"}
    response = client.post(_edit(draft), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers["phone"] == "電話abc"
    page = client.get(_edit(draft)).content.decode()
    assert "一時保存しました" in page and 'value="電話abc"' in page


def test_confirm_shows_errors_next_to_fields_and_keeps_input(draft, strong_identity):
    client = portal_client(strong_identity)
    data = {**_flat(kazei_answers()), "phone": "abc", "_action": "confirm"}
    response = client.post(_edit(draft), data)
    text = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in text and 'href="#id_phone"' in text
    assert 'id="id_phone_error"' in text and 'value="abc"' in text
    # Also the missing attachment, next to its upload.
    assert 'id="id_file-identity_error"' in text and "「本人確認書類」を添付してください。" in text
    draft.refresh_from_db()
    assert draft.answers["phone"] == "abc"  # saved before checking


def test_confirm_goes_on_when_everything_is_there(draft, strong_identity):
    client = portal_client(strong_identity)
    _attach(draft, strong_identity)
    response = client.post(_edit(draft), {**_flat(kazei_answers()), "_action": "confirm"})
    assert response.status_code == 302
    assert response["Location"] == f"/portal/applications/{draft.public_id}/confirm/"


def test_a_draft_is_resumed_from_the_list(draft, strong_identity):
    client = portal_client(strong_identity)
    client.post(_edit(draft), {**_flat(kazei_answers()), "phone": "03-9999-0000",
                               "_action": "save"})
    listing = client.get("/portal/applications/").content.decode()
    assert _edit(draft) in listing and "入力の途中の申請（下書き）" in listing
    page = client.get(_edit(draft)).content.decode()
    assert 'value="03-9999-0000"' in page and 'value="池尻"' in page


def test_a_png_is_attached_and_a_wrong_type_refused_in_japanese(draft, strong_identity):
    client = portal_client(strong_identity)
    data = {**_flat(kazei_answers()), "_action": "upload",
            "file-identity": SimpleUploadedFile("card.png", PNG, "image/png")}
    response = client.post(_edit(draft), data)
    assert response.status_code == 302 and response["Location"].endswith("#attachments")
    attachment = draft.attachments.get()
    assert attachment.code == "identity" and attachment.file.original_name == "card.png"
    refused = client.post(_edit(draft), {
        **_flat(kazei_answers()), "_action": "upload",
        "file-power_of_attorney": SimpleUploadedFile("letter.txt", b"hello, this is text",
                                                     "text/plain")})
    text = refused.content.decode()
    assert refused.status_code == 400
    assert 'id="id_file-power_of_attorney_error"' in text
    assert ("このファイルの種類は受け付けられません。"
            "PDF・JPEG・PNGのファイルを選んでください。") in text
    assert draft.attachments.count() == 1
    # Remove it again.
    removed = client.post(_edit(draft), {**_flat(kazei_answers()), "_action": "upload",
                                         "_remove_file": str(attachment.pk)})
    assert removed.status_code == 302 and not draft.attachments.exists()


def test_the_proxy_letter_is_marked_needed_only_for_a_proxy(draft, strong_identity):
    client = portal_client(strong_identity)
    page = client.get(_edit(draft)).content.decode()
    letter = page[page.index('id="attachment-power_of_attorney"'):]
    assert letter[:400].count(">必要<") == 0
    client.post(_edit(draft), {**_flat(kazei_answers()), "requester": "proxy",
                               "_action": "save"})
    page = client.get(_edit(draft)).content.decode()
    letter = page[page.index('id="attachment-power_of_attorney"'):]
    assert ">必要<" in letter[:400]


def test_rows_of_a_repeating_group_are_added_and_removed_and_kept(catalogue, strong_identity,
                                                                  ikejiri, files_dir):
    draft = services.draft_start(actor=resident_actor(strong_identity),
                                 version=version("hoiku-riyo"), channel=Channel.ONLINE,
                                 district=ikejiri)
    client = portal_client(strong_identity)
    page = client.get(_edit(draft)).content.decode()
    assert 'name="preferences-rows"' in page and 'name="preferences-0-' in page
    added = client.post(_edit(draft), {"preferences-rows": "1", "start_month": "令和9年4月1日",
                                       "_add": "preferences"})
    assert added.status_code == 200 and 'name="preferences-1-' in added.content.decode()
    draft.refresh_from_db()
    assert len(draft.answers["preferences"]) == 2
    assert draft.answers["start_month"] == "令和9年4月1日"
    removed = client.post(_edit(draft), {"preferences-rows": "2", "_remove": "preferences-1"})
    assert 'name="preferences-1-' not in removed.content.decode()
    draft.refresh_from_db()
    assert len(draft.answers["preferences"]) == 1


def test_discard_asks_first(draft, strong_identity):
    client = portal_client(strong_identity)
    url = f"/portal/applications/{draft.public_id}/discard/"
    assert "元に戻せません" in client.get(url).content.decode()
    assert Application.objects.filter(pk=draft.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/portal/applications/"
    assert not Application.objects.filter(pk=draft.pk).exists()


# ── confirm and submit ─────────────────────────────────────────────────────────────────


def _ready(draft, identity) -> Client:
    client = portal_client(identity)
    _attach(draft, identity)
    client.post(_edit(draft), {**_flat(kazei_answers()), "_action": "save"})
    return client


def test_confirm_page_summarises_and_carries_a_fresh_key(draft, strong_identity):
    client = _ready(draft, strong_identity)
    url = f"/portal/applications/{draft.public_id}/confirm/"
    first, second = client.get(url).content.decode(), client.get(url).content.decode()
    assert "池尻" in first and "令和8年度" in first and "card.png" in first
    keys = [re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page).group(1)
            for page in (first, second)]
    assert keys[0] != keys[1]


@pytest.mark.parametrize("same_key", [True, False])
def test_two_submits_make_one_application(draft, strong_identity, same_key):
    client = _ready(draft, strong_identity)
    url = f"/portal/applications/{draft.public_id}/confirm/"
    first = client.post(url, {"idempotency_key": "a" * 32})
    second = client.post(url, {"idempotency_key": "a" * 32 if same_key else "b" * 32})
    done = f"/portal/applications/{draft.public_id}/done/"
    assert first["Location"] == done and second["Location"] == done
    assert Application.objects.filter(identity=strong_identity).count() == 1
    application = Application.objects.get()
    assert application.reference and application.confirmed_at is not None
    assert ApplicationEvent.objects.filter(application=application,
                                           kind="submitted").count() == 1
    page = client.get(done).content.decode()
    assert application.reference in page and "令和" in page
    assert application.section.name in page and "このあとの流れ" in page


def test_the_done_page_gives_the_due_date_in_wareki(catalogue, identity, ikejiri,
                                                   files_dir):
    """ninshin-todoke has standard processing days: the due date is shown in 和暦."""
    ninshin = version("ninshin-todoke")
    draft = services.draft_start(actor=resident_actor(identity), version=ninshin,
                                 channel=Channel.ONLINE, district=ikejiri)
    Application.objects.filter(pk=draft.pk).update(
        status="received", reference="2026-999999", submitted_at="2026-11-30T01:00:00Z",
        due_on="2026-12-14", section=_any_section(ninshin))
    page = portal_client(identity).get(f"/portal/applications/{draft.public_id}/done/")
    assert "令和8年（2026年）12月14日" in page.content.decode()


def _any_section(version):
    from madoguchi.organisation.models import Section

    return Section.objects.filter(kind=version.section_kind).first()


# ── list and detail ────────────────────────────────────────────────────────────────────


def test_the_list_shows_submitted_applications_and_is_audited(draft, strong_identity):
    application = _submitted(draft, strong_identity)
    client = portal_client(strong_identity)
    text = client.get("/portal/applications/").content.decode()
    assert application.reference in text and "受け付けました" in text and "令和" in text
    entry = AuditEntry.objects.filter(source="apply:list").get()
    assert entry.record_id == str(application.public_id) and entry.actor is None
    assert entry.portal_ref == str(strong_identity.public_id)
    client.get(f"/portal/applications/{application.public_id}/")
    view = AuditEntry.objects.get(source="apply:detail")
    assert view.portal_ref == str(strong_identity.public_id)


def test_another_resident_gets_404(draft, strong_identity, identity):
    application = _submitted(draft, strong_identity)
    other = portal_client(identity)
    for path in ("", "edit/", "confirm/", "done/", "discard/", "action/withdraw/"):
        response = other.get(f"/portal/applications/{application.public_id}/{path}")
        assert response.status_code == 404, path
    assert other.post(f"/portal/applications/{application.public_id}/answer/",
                      {"note": "x"}).status_code == 404


def _ask_correction(application, kazei_head):
    services.application_transition(actor=staff_actor(kazei_head), application=application,
                                    name="start_check")
    return services.application_transition(
        actor=staff_actor(kazei_head), application=application, name="request_correction",
        note="住所の番地が住民票と違います。確かめてください。")


@pytest.fixture
def kazei_head(make_staff):
    from madoguchi.accounts.models import Role

    return make_staff(Role.SECTION_STAFF, "kazei", username="kazei-staff")


def test_a_correction_is_shown_and_answered_with_files(draft, strong_identity, kazei_head):
    application = _ask_correction(_submitted(draft, strong_identity), kazei_head)
    client = portal_client(strong_identity)
    url = f"/portal/applications/{application.public_id}/"
    page = client.get(url).content.decode()
    assert "住所の番地が住民票と違います。" in page and 'id="request-note"' in page
    assert "直して出し直す" in page and "申請を取り下げる" in page
    response = client.post(url + "answer/", {
        "note": "番地を直しました。", "code": "identity",
        "files": [SimpleUploadedFile("new.pdf", PDF, "application/pdf")]})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "resubmitted"
    assert application.attachments.filter(file__original_name="new.pdf").exists()
    page = client.get(url).content.decode()
    assert "番地を直しました。" in page and "直した内容を受け付けました" in page


def test_a_refused_file_stops_the_answer(draft, strong_identity, kazei_head):
    application = _ask_correction(_submitted(draft, strong_identity), kazei_head)
    client = portal_client(strong_identity)
    response = client.post(f"/portal/applications/{application.public_id}/answer/", {
        "note": "直しました。", "files": [SimpleUploadedFile("x.txt", b"plain text here",
                                                           "text/plain")]})
    assert response.status_code == 400 and 'id="id_files_error"' in response.content.decode()
    application.refresh_from_db()
    assert application.status == "correction_requested"
    assert application.attachments.count() == 1


def test_withdraw_asks_first(draft, strong_identity):
    application = _submitted(draft, strong_identity)
    client = portal_client(strong_identity)
    url = f"/portal/applications/{application.public_id}/action/withdraw/"
    assert "元に戻せません" in client.get(url).content.decode()
    application.refresh_from_db()
    assert application.status == "received"
    response = client.post(url, {"note": "ほかの方法で取りました。"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn" and application.closed_at is not None
    assert client.get(url).status_code == 404  # nothing more to do


def test_a_staff_transition_is_not_offered(draft, strong_identity):
    application = _submitted(draft, strong_identity)
    url = f"/portal/applications/{application.public_id}/action/issue/"
    assert portal_client(strong_identity).get(url).status_code == 404


# ── the login timed out ────────────────────────────────────────────────────────────────


def test_input_posted_after_the_timeout_is_kept_and_saved_after_login(draft,
                                                                      strong_identity):
    browser = Client()  # the portal cookie is gone
    data = {**_flat(kazei_answers()), "phone": "03-1111-2222", "_action": "save"}
    response = browser.post(_edit(draft), data)
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/card/")
    token = response.cookies["madoguchi_pending"].value
    kept = PendingInput.objects.get()
    assert "03-1111-2222" not in kept.sealed and token not in kept.token_hash
    assert "03-1111-2222" not in response["Location"]
    draft.refresh_from_db()
    assert draft.answers == {}
    # The same browser logs in again (as the owner) and comes back to the draft.
    owner = portal_client(strong_identity)
    owner.cookies["madoguchi_pending"] = token
    back = owner.get(_edit(draft))
    assert back.status_code == 302
    draft.refresh_from_db()
    assert draft.answers["phone"] == "03-1111-2222"
    assert not PendingInput.objects.exists()
    page = owner.get(_edit(draft)).content.decode()
    assert "入力内容を保存しました" in page


def test_kept_input_goes_only_to_its_owner(draft, strong_identity):
    response = Client().post(_edit(draft), {**_flat(kazei_answers()), "_action": "save"})
    token = response.cookies["madoguchi_pending"].value
    stranger = PortalIdentity.objects.create(method=Method.OIDC, level=Level.STRONG,
                                             issuer="https://idp.example.jp", subject="sub-2")
    other = portal_client(stranger)
    other.cookies["madoguchi_pending"] = token
    assert other.get(_edit(draft)).status_code == 404
    draft.refresh_from_db()
    assert draft.answers == {}


def test_the_draft_page_warns_before_the_timeout(draft, strong_identity, settings):
    settings.PORTAL_SESSION_IDLE_SECONDS = 1800
    page = portal_client(strong_identity).get(_edit(draft)).content.decode()
    assert 'data-idle-seconds="1800"' in page and 'data-warn-seconds="1620"' in page
    assert "idle.js" in page


def test_english_labels_come_from_the_procedure_data(draft, strong_identity):
    client = portal_client(strong_identity)
    client.cookies.load(SimpleCookie({"django_language": "en"}))
    page = client.get(_edit(draft), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Proof of identity" in page and "Daytime phone number" in page
