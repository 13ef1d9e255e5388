"""Equipment lending over the counter (issue 16 item 5): lend, refuse a second lending of
an item already out, return with condition, refuse returning one never lent, the overdue
list and its reminder mail, reservations for a date, the public availability."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from madoguchi.audit.models import AuditEntry
from madoguchi.community import selectors, services
from madoguchi.community.errors import CommunityError
from madoguchi.community.models import Loan, Reservation
from madoguchi.scheduling.models import Booking
from tests.notifications.conftest import run_worker

pytestmark = pytest.mark.django_db


def lend(item, by, **extra):
    values = {"borrower_name": "世田谷 花子", "borrower_phone": "03-5432-1111",
              "id_checked": True}
    values.update(extra)
    return services.lend(item=item, by=by, **values)


def test_lending_a_wheelchair_is_audited_and_has_a_due_date(clerk, wheelchairs):
    loan = lend(wheelchairs[0], clerk)
    assert loan.due_on == timezone.localdate() + dt.timedelta(days=14)
    entry = AuditEntry.objects.get(record_type="community.loan", record_id=str(loan.public_id))
    assert entry.actor == clerk and "borrower_name" in entry.fields


def test_an_item_already_out_is_not_lent_again(clerk, wheelchairs):
    first = lend(wheelchairs[0], clerk)
    with pytest.raises(CommunityError) as caught:
        lend(wheelchairs[0], clerk, borrower_name="別の 人")
    assert caught.value.code == "already_out"
    assert "すでに貸出中" in caught.value.message and "返却期限" in caught.value.message
    assert list(Loan.objects.all()) == [first]


def test_the_table_itself_refuses_a_second_open_loan(clerk, wheelchairs):
    first = lend(wheelchairs[0], clerk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(item=first.item, borrower_name="x", borrower_phone="0300000000",
                            lent_by=clerk, due_on=first.due_on, condition_out="good")


def test_bad_input_is_refused_in_japanese_and_nothing_saved(clerk, wheelchairs, other_clerk):
    cases = [({"id_checked": False}, "本人確認"), ({"borrower_name": " "}, "氏名"),
             ({"borrower_phone": "12"}, "電話番号"),
             ({"due_on": timezone.localdate() + dt.timedelta(days=30)}, "14日まで")]
    for extra, words in cases:
        with pytest.raises(CommunityError) as caught:
            lend(wheelchairs[0], clerk, **extra)
        assert words in caught.value.message
    with pytest.raises(PermissionDenied):
        lend(wheelchairs[0], other_clerk)
    assert not Loan.objects.exists()
    assert not AuditEntry.objects.filter(record_type="community.loan").exists()


def test_return_with_condition_and_a_damaged_item_is_not_lent(clerk, wheelchairs):
    lend(wheelchairs[0], clerk)
    loan = services.return_item(item=wheelchairs[0], by=clerk, condition="damaged",
                                note="ブレーキ不良")
    assert loan.returned_at and loan.condition_back == "damaged"
    wheelchairs[0].refresh_from_db()
    with pytest.raises(CommunityError) as caught:
        lend(wheelchairs[0], clerk)
    assert caught.value.code == "condition"


def test_returning_an_item_never_lent_is_refused(clerk, wheelchairs):
    with pytest.raises(CommunityError) as caught:
        services.return_item(item=wheelchairs[1], by=clerk, condition="good")
    assert caught.value.code == "not_out" and "貸出中ではありません" in caught.value.message


@pytest.mark.django_db(transaction=True)
def test_overdue_list_and_reminder_mail(clerk, centre, shears, smtp):
    today = timezone.localdate()
    loan = lend(shears, clerk, borrower_email="hanako@example.jp",
                today=today - dt.timedelta(days=3), due_on=today - dt.timedelta(days=1))
    overdue = selectors.open_loans(user=clerk, centre=centre, source="community:counter",
                                   overdue_on=today)
    assert overdue == [loan]
    assert services.remind_overdue(by=clerk, centre=centre) == 1
    run_worker()  # the task worker sends it through a real SMTP server
    [message] = smtp.to("hanako@example.jp")
    assert "返却期限" in message["Subject"]
    assert "高枝切ばさみ" in message.get_body(preferencelist=("plain",)).get_content()
    loan.refresh_from_db()
    assert loan.reminded_at is not None


def test_reservation_holds_an_item_for_its_date(clerk, centre, shears):
    day = timezone.localdate() + dt.timedelta(days=10)
    reservation = services.reserve(kind=shears.kind, centre=centre, day=day, by=clerk,
                                   borrower_name="世田谷 次郎", borrower_phone="0354321111")
    assert reservation.item == shears and reservation.booking.is_active
    with pytest.raises(CommunityError) as caught:
        services.reserve(kind=shears.kind, centre=centre, day=day + dt.timedelta(days=1),
                         by=clerk, borrower_name="別の 人", borrower_phone="0354321112")
    assert caught.value.code == "none_free"
    assert Reservation.objects.count() == 1 and Booking.objects.count() == 1
    free = {row.kind.name: row.free for row in
            selectors.centre_availability(centre=centre, day=day)}
    assert free == {"高枝切ばさみ": 0}
    with pytest.raises(CommunityError) as caught:
        lend(shears, clerk, due_on=day + dt.timedelta(days=1),
             today=day - dt.timedelta(days=1))
    assert caught.value.code == "reserved"


def test_public_availability_counts_items_out(client, clerk, centre, wheelchairs):
    lend(wheelchairs[0], clerk)
    response = client.get("/community/equipment/", {"district": centre.district_id})
    assert response.status_code == 200
    text = response.content.decode()
    assert "車いす" in text and "世田谷 花子" not in text
    rows = selectors.centre_availability(centre=centre, day=timezone.localdate())
    assert [(r.kind.name, r.stock, r.free) for r in rows] == [("車いす", 2, 1)]
