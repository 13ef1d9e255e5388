"""Circulars (回覧板) in the JSON API (issue 16), with the permissions of their pages:

- the centre's staff (``StaffSession(community.groups)``, the record rule of the pages:
  their own district, every one for ward administrators): the district's circulars, one
  with its files' metadata and read counts, who has read it (audited as the page), and
  a paper household's receipt;
- a group's representative (the e-mail link login's session, CSRF on POST): the
  circulars the group sent or its households received; the read counts of those it
  sent; its own households' receipts (all, for one it sent), audited;
- a household (its mailed link's token in the ``X-Circular-Link`` header; no session):
  its circulars, one with its files' metadata, and its read receipt (idempotent).

A circular the caller may not see is 404 (not 403: its existence is not told).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import APIKeyHeader

from madoguchi.accounts.policy import Action, can
from madoguchi.api.auth import StaffSession
from madoguchi.api.errors import FORBIDDEN
from madoguchi.community import selectors
from madoguchi.community.access import centre_scope
from madoguchi.community.api._router import router
from madoguchi.community.api.rooms import NOT_FOUND, GroupSession
from madoguchi.community.errors import CommunityError
from madoguchi.community.models import Circular, CircularReceipt, Group
from madoguchi.community.services import circulars as circulars_svc
from madoguchi.core.problem import Problem

LINK_HEADER = "X-Circular-Link"
BAD_LINK = ("このリンクは使えません。届いたメールのリンクをもう一度開くか、"
            "団体の代表者にお問い合わせください。")
LIMIT = 100


class HouseholdLink(APIKeyHeader):
    """A household's mailed link (the token after ``/community/circulars/read/``, of the
    circular's mail or its reminder) in a header: 401 without a valid one. It names the
    household; a header is not sent by the browser on its own, so no CSRF token."""

    param_name = LINK_HEADER

    def authenticate(self, request, key):
        receipt = selectors.receipt_by_token(key or "")
        if receipt is None:
            raise HttpError(401, _(BAD_LINK))
        request.household_id = receipt.household_id
        return receipt


# --- shapes ------------------------------------------------------------------------------


class CircularFileOut(Schema):
    id: uuid.UUID = Field(description="ファイルの ID")
    name: str
    content_type: str
    size: int = Field(description="バイト数")


class CircularReadCounts(Schema):
    recipients: int = Field(description="回覧先の世帯数")
    read: int
    unread: int


class CircularOut(Schema):
    id: uuid.UUID
    title: str
    sender: str = Field(description="発信した団体、またはまちづくりセンター")
    district: int
    audience: str = Field(description="group（団体の会員）/ district（地区のすべての団体の会員）")
    to_group: str | None
    posted_at: dt.datetime
    due_on: dt.date | None = Field(description="回覧の期限（未読の世帯への催促の基準）")
    remind_on: dt.date = Field(description="未読の世帯に一度だけ催促する日")
    counts: CircularReadCounts | None = Field(
        description="既読・未読の世帯数（発信した側にだけ。ほかは null）")


class CircularDetailOut(CircularOut):
    body: str
    attachments: list[CircularFileOut]


class HouseholdCircularOut(Schema):
    id: uuid.UUID
    title: str
    sender: str
    posted_at: dt.datetime
    due_on: dt.date | None
    read_at: dt.datetime | None = Field(description="この世帯が読んだ日時（未読は null）")


class HouseholdCircularDetailOut(HouseholdCircularOut):
    body: str
    attachments: list[CircularFileOut]


class CircularReceiptOut(Schema):
    household: uuid.UUID = Field(description="世帯の ID")
    household_name: str
    group: str
    online: bool = Field(description="メールで受け取る世帯（false: 紙で回覧）")
    read_at: dt.datetime | None
    on_paper: bool = Field(description="紙で読んだと団体またはセンターが記録した")
    reminded_at: dt.datetime | None = Field(description="未読の催促メールを送った日時")


class CircularReceiptsOut(Schema):
    circular: uuid.UUID
    counts: CircularReadCounts
    receipts: list[CircularReceiptOut]


class CircularReadOut(Schema):
    circular: uuid.UUID
    read_at: dt.datetime


# --- helpers -----------------------------------------------------------------------------


def _sender(circular: Circular) -> str:
    return circular.sender_group.name if circular.sender_group else \
        circular.district.centre.label


def _with_counts(rows):
    return rows.select_related("sender_group", "to_group", "district__centre").annotate(
        recipients=Count("receipts"),
        read=Count("receipts", filter=Q(receipts__read_at__isnull=False)))


def _counts(recipients: int, read: int) -> dict:
    return {"recipients": recipients, "read": read, "unread": recipients - read}


def _circular(circular: Circular, *, counts: bool) -> dict:
    return {"id": circular.public_id, "title": circular.title, "sender": _sender(circular),
            "district": circular.district_id, "audience": circular.audience,
            "to_group": circular.to_group.name if circular.to_group else None,
            "posted_at": circular.posted_at, "due_on": circular.due_on,
            "remind_on": selectors.remind_on(circular),
            "counts": _counts(circular.recipients, circular.read) if counts else None}


def _attachments(circular: Circular) -> list[dict]:
    return [{"id": a.file.public_id, "name": a.file.original_name,
             "content_type": a.file.content_type, "size": a.file.size}
            for a in circular.attachments.select_related("file")]


def _detail(circular: Circular, *, counts: bool) -> dict:
    return {**_circular(circular, counts=counts), "body": circular.body,
            "attachments": _attachments(circular)}


def _receipts(circular: Circular, receipts: list[CircularReceipt]) -> dict:
    read = sum(1 for r in receipts if r.read_at)
    return {"circular": circular.public_id, "counts": _counts(len(receipts), read),
            "receipts": [{"household": r.household.public_id,
                          "household_name": r.household.name,
                          "group": r.household.group.name, "online": bool(r.household.email),
                          "read_at": r.read_at, "on_paper": r.on_paper,
                          "reminded_at": r.reminded_at} for r in receipts]}


def _paper(receipt: CircularReceipt | None, **who) -> dict | Status:
    """A paper household's receipt recorded; idempotent (an already read one is kept as
    it was and answered the same way)."""
    if receipt is None:
        raise HttpError(404, NOT_FOUND)
    if receipt.read_at is None:
        try:
            receipt = circulars_svc.receipt_confirm_paper(receipt=receipt, **who)
        except PermissionDenied as error:
            raise HttpError(403, str(error) or FORBIDDEN) from None
        except CommunityError as error:
            if error.code != "already_read":  # read meanwhile: the same answer
                return Status(422, {"detail": error.message, "code": error.code})
            receipt.refresh_from_db()
    return {"household": receipt.household.public_id,
            "household_name": receipt.household.name, "group": receipt.household.group.name,
            "online": bool(receipt.household.email), "read_at": receipt.read_at,
            "on_paper": receipt.on_paper, "reminded_at": receipt.reminded_at}


def _receipt_of(circular: Circular, household_id: uuid.UUID,
                group: Group | None = None) -> CircularReceipt | None:
    rows = CircularReceipt.objects.select_related("household__group", "circular").filter(
        circular=circular, household__public_id=household_id)
    if group is not None and circular.sender_group_id != group.pk:
        rows = rows.filter(household__group=group)
    return rows.first()


# --- the centre's staff ------------------------------------------------------------------

STAFF = StaffSession(Action.COMMUNITY_GROUPS)


def _staff_circular(request, public_id: uuid.UUID) -> Circular:
    circular = _with_counts(Circular.objects.filter(centre_scope(request.user))).filter(
        public_id=public_id).first()
    if circular is None or not can(request.user, Action.COMMUNITY_GROUPS, circular):
        raise HttpError(404, NOT_FOUND)
    return circular


@router.get("/community/circulars", auth=STAFF,
            response={200: list[CircularOut], 401: Problem, 403: Problem, 422: Problem},
            url_name="community_circulars", summary="地区の回覧板（センターの職員）")
def staff_circulars(request, district: int | None = None):
    """The circulars of the districts the user acts for (the centre's and the groups'),
    newest first, with read counts; ``district`` narrows to one."""
    rows = Circular.objects.filter(centre_scope(request.user))
    if district is not None:
        rows = rows.filter(district_id=district)
    return [_circular(c, counts=True) for c in _with_counts(rows)[:LIMIT]]


@router.get("/community/circulars/{uuid:public_id}", auth=STAFF,
            response={200: CircularDetailOut, 401: Problem, 403: Problem, 404: Problem},
            url_name="community_circular", summary="回覧板と添付ファイル（センターの職員）")
def staff_circular(request, public_id: uuid.UUID):
    return _detail(_staff_circular(request, public_id), counts=True)


@router.get("/community/circulars/{uuid:public_id}/receipts", auth=STAFF,
            response={200: CircularReceiptsOut, 401: Problem, 403: Problem, 404: Problem},
            url_name="community_circular_receipts",
            summary="世帯ごとの既読と催促（センターの職員、記録されます）")
def staff_receipts(request, public_id: uuid.UUID):
    """Each household's receipt; the households' names are listed audited, as on the
    page."""
    circular = _staff_circular(request, public_id)
    return _receipts(circular, selectors.read_status(
        circular=circular, source="api:community_circular_receipts", user=request.user))


@router.post("/community/circulars/{uuid:public_id}/receipts/{uuid:household_id}/paper",
             auth=STAFF,
             response={200: CircularReceiptOut, 401: Problem, 403: Problem, 404: Problem,
                       422: Problem},
             url_name="community_circular_paper",
             summary="紙で読んだことを記録する（センターの職員、何度でも同じ結果）")
def staff_paper(request, public_id: uuid.UUID, household_id: uuid.UUID):
    circular = _staff_circular(request, public_id)
    return _paper(_receipt_of(circular, household_id), by=request.user)


# --- a group's representative ------------------------------------------------------------


def _group_circular(request, public_id: uuid.UUID) -> tuple[Group, Circular]:
    group = request.group_contact.group
    circular = _with_counts(selectors.group_circular_queryset(group)).filter(
        public_id=public_id).first()
    if circular is None:
        raise HttpError(404, NOT_FOUND)
    return group, circular


@router.get("/community/group/circulars", auth=GroupSession(),
            response={200: list[CircularOut], 401: Problem},
            url_name="community_group_circulars",
            summary="団体が出した・受け取った回覧板（団体のログイン）")
def group_circulars(request):
    """Newest first; read counts for the circulars the group sent only."""
    group = request.group_contact.group
    rows = _with_counts(selectors.group_circular_queryset(group))[:LIMIT]
    return [_circular(c, counts=c.sender_group_id == group.pk) for c in rows]


@router.get("/community/group/circulars/{uuid:public_id}", auth=GroupSession(),
            response={200: CircularDetailOut, 401: Problem, 404: Problem},
            url_name="community_group_circular",
            summary="回覧板と添付ファイル（団体のログイン）")
def group_circular(request, public_id: uuid.UUID):
    group, circular = _group_circular(request, public_id)
    return _detail(circular, counts=circular.sender_group_id == group.pk)


@router.get("/community/group/circulars/{uuid:public_id}/receipts", auth=GroupSession(),
            response={200: CircularReceiptsOut, 401: Problem, 404: Problem},
            url_name="community_group_circular_receipts",
            summary="会員の世帯の既読（団体のログイン、記録されます）")
def group_receipts(request, public_id: uuid.UUID):
    """The group's own households (every household, for a circular it sent), audited."""
    group, circular = _group_circular(request, public_id)
    return _receipts(circular, selectors.read_status(
        circular=circular, source="api:community_group_circular_receipts",
        contact=request.group_contact, group=group))


@router.post("/community/group/circulars/{uuid:public_id}/receipts/{uuid:household_id}/paper",
             auth=GroupSession(),
             response={200: CircularReceiptOut, 401: Problem, 403: Problem, 404: Problem,
                       422: Problem},
             url_name="community_group_circular_paper",
             summary="紙で読んだことを記録する（団体のログイン、何度でも同じ結果）")
def group_paper(request, public_id: uuid.UUID, household_id: uuid.UUID):
    group, circular = _group_circular(request, public_id)
    return _paper(_receipt_of(circular, household_id, group),
                  contact=request.group_contact)


# --- a household -------------------------------------------------------------------------


def _household_receipt(request, public_id: uuid.UUID) -> CircularReceipt:
    receipt = CircularReceipt.objects.select_related(
        "circular__sender_group", "circular__district__centre").filter(
            household_id=request.household_id, circular__public_id=public_id).first()
    if receipt is None:
        raise HttpError(404, NOT_FOUND)
    return receipt


def _household_circular(receipt: CircularReceipt) -> dict:
    circular = receipt.circular
    return {"id": circular.public_id, "title": circular.title, "sender": _sender(circular),
            "posted_at": circular.posted_at, "due_on": circular.due_on,
            "read_at": receipt.read_at}


@router.get("/community/household/circulars", auth=HouseholdLink(),
            response={200: list[HouseholdCircularOut], 401: Problem},
            url_name="community_household_circulars",
            summary="世帯に届いた回覧板（メールのリンクで）")
def household_circulars(request):
    """Every circular of the household the link names, newest first, read or not."""
    rows = CircularReceipt.objects.filter(household_id=request.household_id).select_related(
        "circular__sender_group", "circular__district__centre").order_by(
            "-circular__posted_at", "-pk")[:LIMIT]
    return [_household_circular(r) for r in rows]


@router.get("/community/household/circulars/{uuid:public_id}", auth=HouseholdLink(),
            response={200: HouseholdCircularDetailOut, 401: Problem, 404: Problem},
            url_name="community_household_circular",
            summary="回覧板と添付ファイル（メールのリンクで。既読にはしません）")
def household_circular(request, public_id: uuid.UUID):
    receipt = _household_receipt(request, public_id)
    return {**_household_circular(receipt), "body": receipt.circular.body,
            "attachments": _attachments(receipt.circular)}


@router.post("/community/household/circulars/{uuid:public_id}/read", auth=HouseholdLink(),
             response={200: CircularReadOut, 401: Problem, 404: Problem},
             url_name="community_household_read",
             summary="読みました（世帯の既読。何度送っても最初の日時のまま）")
def household_read(request, public_id: uuid.UUID):
    receipt = circulars_svc.receipt_mark_read(receipt=_household_receipt(request, public_id))
    return {"circular": public_id, "read_at": receipt.read_at}
