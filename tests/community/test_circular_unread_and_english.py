"""Two parts of issue 16's circulars left by ADR 0053: the printable list of only the
households that have not read a circular (paper copies for the staff to deliver), and the
mails (the circular and its reminder) in English for a household registered with English."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from madoguchi.audit.models import AuditEntry
from madoguchi.community import selectors
from madoguchi.community.errors import CommunityError
from madoguchi.community.messages import english_day
from madoguchi.community.models import Household
from madoguchi.community.services import circulars as svc
from tests.community.test_circular_reminders import immediate_tasks, link_in, sent  # noqa: F401
from tests.community.test_circulars import households, post
from tests.helpers import login

pytestmark = pytest.mark.django_db


def test_the_unread_print_lists_every_household_not_yet_read_and_only_those(
        client, group, clerk):
    online, paper = households(group)
    reader = svc.household_add(group=group, name="鈴木家", email="suzuki@example.jp",
                               contact=group.contacts.get(), source="test")
    circular = post(group)
    receipt = circular.receipts.get(household=reader)
    svc.receipt_confirm_paper(receipt=receipt, contact=group.contacts.get())
    sheet = selectors.printable(circular=circular, source="community:centre_circular_pdf",
                                user=clerk, unread_only=True)
    # 山田家 reads online but has not yet; 佐藤家 reads on paper; 鈴木家 has read.
    assert sheet.households == ("佐藤家", "山田家")
    assert AuditEntry.objects.filter(record_type="community.household", action="export",
                                     record_id=str(online.public_id)).exists()

    login(client, clerk)
    page = client.get(f"/community/staff/circulars/{circular.public_id}/").content.decode()
    assert "まだ読んでいない2世帯だけの印刷用のPDF" in page
    response = client.get(f"/community/staff/circulars/{circular.public_id}/print/?unread=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "山田家" in text and "佐藤家" in text and "鈴木家" not in text
    usual = client.get(f"/community/staff/circulars/{circular.public_id}/print/")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(usual.content)).pages)
    assert "佐藤家" in text and "山田家" not in text  # the paper households, as before


def test_a_household_registered_in_english_gets_both_mails_in_english(
        group, smtp, immediate_tasks, django_capture_on_commit_callbacks):  # noqa: F811
    capture = django_capture_on_commit_callbacks
    today = timezone.localdate()
    svc.household_add(group=group, name="Smith", email="smith@example.jp",
                      contact=group.contacts.get(), source="test", language="en")
    svc.household_add(group=group, name="山田家", email="yamada@example.jp",
                      contact=group.contacts.get(), source="test")
    sent(capture, lambda: post(group, due_on=today))
    [first] = smtp.to("smith@example.jp")
    assert "New circular" in str(first["Subject"])
    assert "Dear Smith" in first.get_body(preferencelist=("plain",)).get_content()
    sent(capture, lambda: svc.circulars_remind(today=today + dt.timedelta(days=1)))
    [_, reminder] = smtp.to("smith@example.jp")
    body = reminder.get_body(preferencelist=("plain",)).get_content()
    assert "has not been read yet" in str(reminder["Subject"])
    assert f"had not been read by {english_day(today)}" in body
    assert "only once" in body and link_in(reminder)
    assert "さま" not in body
    [_, japanese] = smtp.to("yamada@example.jp")  # the other household: Japanese
    assert "まだお読みでないよう" in str(japanese["Subject"])


def test_a_household_language_other_than_japanese_or_english_is_refused(group):
    with pytest.raises(CommunityError) as caught:
        svc.household_add(group=group, name="田中家", email="tanaka@example.jp",
                          contact=group.contacts.get(), source="test", language="fr")
    assert caught.value.code == "household_language"
    assert not Household.objects.exists()


def test_english_days_do_not_follow_the_process_locale():
    assert english_day(dt.date(2026, 12, 7)) == "Monday 7 December 2026"
