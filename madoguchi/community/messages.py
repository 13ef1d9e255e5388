"""The community mails (ADR 0030): a group representative's login link, the reminder
for an overdue item, a circular to a household and its one reminder when unread.
Composed in the worker from what is stored; a link's token is made there and only its
digest is kept (core.tokens), as the portal's link is."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from madoguchi.community.models import CircularReceipt, GroupLogin, Loan
from madoguchi.core.dates import wareki
from madoguchi.core.tokens import digest
from madoguchi.notifications.notify import About, Letter, Recipient, Skip, notify, register

GROUP_LOGIN = "community_group_login"
LOAN_REMINDER = "community_loan_reminder"
CIRCULAR = "community_circular"
CIRCULAR_REMINDER = "community_circular_reminder"
TOKEN_BYTES = 32


def _login_letters(about: About, secret: str | None) -> Iterator[Letter]:
    login_id = int(about["login"])
    login = GroupLogin.objects.select_related("contact__group").filter(pk=login_id).first()
    if login is None or login.used_at is not None or timezone.now() >= login.expires_at:
        raise Skip("gone, used or expired")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    until = timezone.localtime(login.expires_at)
    path = reverse("community:group_login", kwargs={"token": token})

    def claim() -> int:
        return GroupLogin.objects.filter(pk=login_id, digest__isnull=True).update(
            digest=digest(token))

    def done() -> int:
        return GroupLogin.objects.filter(pk=login_id).update(sent_at=timezone.now())

    yield Letter(recipient=Recipient(address=login.contact.email, name=login.contact.name),
                 context={"url": str(about["origin"]).rstrip("/") + path,
                          "group": login.contact.group.name,
                          "until": f"{wareki(until, weekday=True)} {until:%H:%M}"},
                 claim=claim, done=done)


def _reminder_letters(about: About, secret: str | None) -> Iterator[Letter]:
    loan = Loan.objects.select_related("item__kind", "item__centre").filter(
        pk=int(about["loan"])).first()
    if loan is None or loan.returned_at is not None or not loan.borrower_email:
        raise Skip("returned or no address")
    centre = loan.item.centre

    def done() -> int:
        return Loan.objects.filter(pk=loan.pk).update(reminded_at=timezone.now())

    yield Letter(recipient=Recipient(address=loan.borrower_email, name=loan.borrower_name),
                 context={"name": loan.borrower_name, "item": loan.item.kind.name,
                          "due": wareki(loan.due_on, weekday=True), "centre": centre.label,
                          "phone": centre.phone},
                 done=done)


def _household(receipt: CircularReceipt) -> Recipient:
    """A household's address, in the language its group registered for it (the kind's
    English templates for ``en``)."""
    return Recipient(address=receipt.household.email, name=receipt.household.name,
                     language=receipt.household.language)


WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def english_day(day: dt.date) -> str:
    """e.g. Monday 7 December 2026 (for the English mails; not the process's locale)."""
    return f"{WEEKDAYS_EN[day.weekday()]} {day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def _circular_letters(about: About, secret: str | None) -> Iterator[Letter]:
    """A household's copy of a circular: a link of its own (the token made here, only its
    digest kept), whose first opening is the household's read receipt."""
    receipt_id = int(about["receipt"])
    receipt = CircularReceipt.objects.select_related(
        "household", "circular__sender_group", "circular__district__centre").filter(
            pk=receipt_id).first()
    if receipt is None or not receipt.household.email or receipt.digest is not None:
        raise Skip("gone, no address or already sent")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    circular = receipt.circular
    path = reverse("community:circular_read", kwargs={"token": token})

    def claim() -> int:
        return CircularReceipt.objects.filter(pk=receipt_id, digest__isnull=True).update(
            digest=digest(token))

    def done() -> int:
        return CircularReceipt.objects.filter(pk=receipt_id).update(sent_at=timezone.now())

    sender = circular.sender_group.name if circular.sender_group else \
        circular.district.centre.name
    yield Letter(recipient=_household(receipt),
                 context={"url": str(about["origin"]).rstrip("/") + path,
                          "title": circular.title, "sender": sender,
                          "household": receipt.household.name},
                 claim=claim, done=done)


def _circular_reminder_letters(about: About, secret: str | None) -> Iterator[Letter]:
    """The one reminder of a circular a household has not read by its due date: a link of
    its own (its digest kept beside the first link's, which stays usable)."""
    receipt_id = int(about["receipt"])
    receipt = CircularReceipt.objects.select_related(
        "household", "circular__sender_group", "circular__district__centre").filter(
            pk=receipt_id).first()
    if receipt is None or not receipt.household.email:
        raise Skip("gone or no address")
    if receipt.read_at is not None or receipt.reminder_digest is not None:
        raise Skip("read meanwhile or already reminded")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    circular = receipt.circular
    path = reverse("community:circular_read", kwargs={"token": token})

    def claim() -> int:
        return CircularReceipt.objects.filter(pk=receipt_id, reminder_digest__isnull=True,
                                              read_at__isnull=True).update(
            reminder_digest=digest(token))

    def done() -> int:
        return CircularReceipt.objects.filter(pk=receipt_id).update(
            reminded_at=timezone.now())

    sender = circular.sender_group.name if circular.sender_group else \
        circular.district.centre.name
    due = circular.due_on or timezone.localtime(circular.posted_at).date() + dt.timedelta(
        days=settings.COMMUNITY_CIRCULAR_REMIND_DAYS)
    yield Letter(recipient=_household(receipt),
                 context={"url": str(about["origin"]).rstrip("/") + path,
                          "title": circular.title, "sender": sender,
                          "household": receipt.household.name,
                          "due": wareki(due, weekday=True), "due_en": english_day(due)},
                 claim=claim, done=done)


def register_kinds() -> None:
    """CommunityConfig.ready."""
    register(GROUP_LOGIN, _login_letters)
    register(LOAN_REMINDER, _reminder_letters)
    register(CIRCULAR, _circular_letters)
    register(CIRCULAR_REMINDER, _circular_reminder_letters)


def group_login_notice(*, login_id: int, origin: str) -> None:
    notify(GROUP_LOGIN, about={"login": login_id, "origin": origin})


def loan_reminder_notice(*, loan_id: int) -> None:
    notify(LOAN_REMINDER, about={"loan": loan_id})


def circular_notice(*, receipt_id: int, origin: str) -> None:
    notify(CIRCULAR, about={"receipt": receipt_id, "origin": origin})


def circular_reminder_notice(*, receipt_id: int, origin: str) -> None:
    notify(CIRCULAR_REMINDER, about={"receipt": receipt_id, "origin": origin})
