"""A correction (補正) corrects: the section names the answers and attachments to change;
the resident (portal) or the centre (for the resident) changes exactly those, checked by the
form engine; the history keeps both versions and who changed what; the reviewer sees the
difference. Anything else the answer tries to change is refused, and nothing is saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from madoguchi.accounts.models import Role
from madoguchi.applications import services
from madoguchi.applications.models import AnswerRevision, CorrectionRequest
from madoguchi.applications.services import corrections
from madoguchi.applications.transition_data import CorrectionItems
from madoguchi.audit.models import AuditEntry
from madoguchi.files.services import file_check
from tests.applications.conftest import PDF, portal_client, resident_actor, staff_actor
from tests.applications.review_support import move, receive_jido, receive_kaigo
from tests.helpers import login

pytestmark = pytest.mark.django_db

PHONE_NOTE = "電話番号がつながりません。正しい番号と、口座の写しをもう一度お願いします。"


def ask(application, user, fields=("phone",), attachments=("bank_account",)):
    move(application, user, "start_check")
    return services.application_transition(
        actor=staff_actor(user), application=application, name="request_correction",
        note=PHONE_NOTE, correction=CorrectionItems.of(fields, attachments))


@pytest.fixture
def waiting(catalogue, strong_identity, ikejiri, files_dir, kodomo_staff):
    """A 児童手当 claim whose section asked to correct the phone number and the bank
    account's copy."""
    return ask(receive_jido(strong_identity, ikejiri), kodomo_staff)


def answer(application, actor, changes, files=(("bank_account", "new-bank.pdf"),)):
    transition, _others = corrections.resident_actions(application)
    checked = [(code, file_check(data=PDF, name=name, purpose="application"))
               for code, name in files]
    return corrections.answer_correction(actor=actor, application=application,
                                         transition=transition, note="直しました。",
                                         files=checked, changes=changes)


def test_the_named_answer_and_file_change_and_both_versions_are_kept(waiting,
                                                                    strong_identity):
    request = CorrectionRequest.objects.get()
    assert request.fields == ["phone"] and request.attachments == ["bank_account"]
    old_bank = waiting.attachments.get(code="bank_account")
    updated = answer(waiting, resident_actor(strong_identity),
                     {"phone": "０３ー９８７６ー５４３２"})
    assert updated.status == "resubmitted"
    updated.refresh_from_db()
    assert updated.answers["phone"] == "03-9876-5432"  # normalised by the form engine
    assert updated.answers["email"] == "hanako@example.jp"  # the rest as it was
    revision = AnswerRevision.objects.get()
    assert revision.before == {"phone": "03-1234-5678"}
    assert revision.after == {"phone": "03-9876-5432"}
    assert revision.by_resident and revision.actor is None
    assert revision.event.transition == "resubmit" and revision.request == request
    old_bank.refresh_from_db()
    assert old_bank.replaced_by == revision  # kept, marked replaced
    new_bank = updated.attachments.get(code="bank_account", replaced_by__isnull=True)
    assert revision.files == [{"code": "bank_account", "added": [new_bank.pk],
                               "replaced": [old_bank.pk]}]
    writes = AuditEntry.objects.filter(record_id=str(waiting.public_id),
                                       portal_ref=str(strong_identity.public_id))
    assert any(entry.fields == ["answers"] for entry in writes)


@pytest.mark.parametrize("changes", [{"email": "other@example.jp"},
                                     {"phone": "03-9876-5432", "bank_name": "別の銀行"}])
def test_changing_an_answer_the_section_did_not_name_is_refused(waiting, strong_identity,
                                                               changes):
    before = dict(waiting.answers)
    with pytest.raises(ValidationError) as error:
        answer(waiting, resident_actor(strong_identity), changes)
    assert error.value.code == "not_requested"
    assert "担当の課が直すように求めた項目ではない" in error.value.messages[0]
    waiting.refresh_from_db()
    assert waiting.answers == before and waiting.status == "correction_requested"
    assert waiting.attachments.count() == 2 and not AnswerRevision.objects.exists()


def test_a_file_of_a_kind_not_named_and_a_missing_named_file_are_refused(waiting,
                                                                        strong_identity):
    actor = resident_actor(strong_identity)
    with pytest.raises(ValidationError, match="差し替えを求めた書類ではない"):
        answer(waiting, actor, {"phone": "03-9876-5432"},
               files=[("bank_account", "b.pdf"), ("identity", "card.pdf")])
    with pytest.raises(ValidationError, match="のファイルを添えてください"):
        answer(waiting, actor, {"phone": "03-9876-5432"}, files=[])
    waiting.refresh_from_db()
    assert waiting.status == "correction_requested" and waiting.attachments.count() == 2


def test_a_named_answer_is_checked_by_the_form_engine(waiting, strong_identity):
    with pytest.raises(services.AnswersInvalid) as error:
        answer(waiting, resident_actor(strong_identity), {"phone": "電話ください"})
    assert list(error.value.errors) == ["phone"]
    waiting.refresh_from_db()
    assert waiting.answers["phone"] == "03-1234-5678"


def test_the_section_names_only_what_exists(catalogue, strong_identity, ikejiri, files_dir,
                                            kodomo_staff):
    claim = receive_jido(strong_identity, ikejiri)
    with pytest.raises(ValidationError, match="この手続きにありません"):
        ask(claim, kodomo_staff, fields=("shoe_size",))
    claim.refresh_from_db()
    assert claim.status == "checking" and not CorrectionRequest.objects.exists()


# ── pages ──────────────────────────────────────────────────────────────────────────────


def test_the_reviewer_names_items_and_sees_the_difference(catalogue, strong_identity, ikejiri,
                                                          files_dir, kodomo_staff,
                                                          kodomo_client):
    claim = move(receive_jido(strong_identity, ikejiri), kodomo_staff, "start_check")
    detail = f"/review/{claim.public_id}/"
    page = kodomo_client.get(detail).content.decode()
    assert 'name="correction_fields" value="phone"' in page
    assert 'name="correction_attachments" value="bank_account"' in page
    wrong = kodomo_client.post(detail + "transition/", {
        "transition": "request_correction", "note": PHONE_NOTE, "from_status": "checking",
        "correction_fields": ["phone", "nonexistent"]})
    assert wrong.status_code == 400 and "この手続きにありません" in wrong.content.decode()
    assert kodomo_client.post(detail + "transition/", {
        "transition": "request_correction", "note": PHONE_NOTE, "from_status": "checking",
        "correction_fields": ["phone"], "correction_attachments": ["bank_account"],
    }).status_code == 302
    resident = portal_client(strong_identity)
    mine = f"/portal/applications/{claim.public_id}/"
    form = resident.get(mine).content.decode()
    assert 'name="phone"' in form and 'value="03-1234-5678"' in form  # prefilled
    assert 'name="email"' not in form and 'name="file-bank_account"' in form
    bank = SimpleUploadedFile("bank2.pdf", PDF, "application/pdf")
    tampered = resident.post(mine + "answer/", {
        "phone": "03-9876-5432", "email": "someone@example.jp", "note": "",
        "file-bank_account": [bank]})
    assert tampered.status_code == 400
    assert "担当の課が直すように求めた項目ではない" in tampered.content.decode()
    claim.refresh_from_db()
    assert claim.answers["email"] == "hanako@example.jp" and claim.status == "correction_requested"
    bad = resident.post(mine + "answer/", {"phone": "でんわ", "note": "",
                                           "file-bank_account": [
                                               SimpleUploadedFile("b.pdf", PDF,
                                                                  "application/pdf")]})
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.content.decode()
    good = resident.post(mine + "answer/", {
        "phone": "03-9876-5432", "note": "番号を直しました。",
        "file-bank_account": [SimpleUploadedFile("bank3.pdf", PDF, "application/pdf")]})
    assert good.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "resubmitted" and claim.answers["phone"] == "03-9876-5432"
    review = kodomo_client.get(detail).content.decode()
    assert 'id="revisions"' in review and "申請者がオンラインで直しました" in review
    assert "<del>03-1234-5678</del>" in review and "<ins>03-9876-5432</ins>" in review
    assert "前のファイル" in review and "新しいファイル" in review
    assert "補正で差し替え済み" in review


def test_the_centre_corrects_for_the_resident(catalogue, centre_staff, resident, files_dir,
                                              make_staff):
    section = make_staff(Role.SECTION_STAFF, "setagaya/hoken-fukushi", username="hf-staff")
    application = ask(receive_kaigo(centre_staff, resident), section, fields=("phone",),
                      attachments=())
    client = login(Client(), centre_staff)
    url = f"/assist/{application.public_id}/correction/"
    page = client.get(url).content.decode()
    assert 'name="phone"' in page and 'name="doctor_name"' not in page
    refused = client.post(url, {"phone": "03-3333-4444", "doctor_name": "別の医師",
                                "note": ""})
    assert refused.status_code == 400
    assert "担当の課が直すように求めた項目ではない" in refused.content.decode()
    assert client.post(url, {"phone": "03-3333-4444", "note": "電話で確かめました。"}
                       ).status_code == 302
    application.refresh_from_db()
    assert application.answers["phone"] == "03-3333-4444"
    revision = AnswerRevision.objects.get()
    assert revision.actor == centre_staff and not revision.by_resident
    assert revision.event.actor == centre_staff
