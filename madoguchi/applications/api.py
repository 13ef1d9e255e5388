"""A resident's online applications in the JSON API: the same services, selectors and
audit as the portal pages.

The resident is the one logged in to the portal on this browser (cookie
``madoguchi_portal``; staff logins count for nothing here). A POST needs Django's CSRF
token (the ``csrftoken`` cookie sent back in the ``X-CSRFToken`` header), as every
session-authenticated POST of this API. ``POST /applications`` creates and submits an
application in one request; its ``Idempotency-Key`` header makes a retry safe: the same
key returns the application made the first time (200 instead of 201).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Form, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import APIKeyCookie

from madoguchi.api.auth import CsrfRefusedInJapanese
from madoguchi.api.errors import FORBIDDEN
from madoguchi.applications import selectors, services
from madoguchi.applications.models import Application
from madoguchi.applications.requirements import attachment_names
from madoguchi.applications.services.notices import resident_events
from madoguchi.core.problem import Problem
from madoguchi.files.services import FileRefused
from madoguchi.organisation.models import District
from madoguchi.portal import session as portal_session
from madoguchi.portal.models import Level
from madoguchi.procedures.selectors import published_get

router = Router(tags=["applications"])

NOT_LOGGED_IN = gettext_lazy("区民ポータルへのログインが必要です。")
NOT_FOUND = gettext_lazy("申請が見つかりません。")
ATTACHMENT_PREFIX = "attachment."
KEY_HEADER = "Idempotency-Key"
FILE_STATUS = {"too_large": 413, "forbidden_type": 415}
ERROR_FIELDS = {"idempotency_key": KEY_HEADER, "channel": "procedure", "no_section": "district"}
SOURCE_CREATE = "api:applications.create"
SOURCE_LIST = "api:applications.list"
SOURCE_DETAIL = "api:applications.detail"


class PortalSession(CsrfRefusedInJapanese, APIKeyCookie):
    """The resident's portal login (``portal.session.current``): 401 without one, 403 when
    the CSRF token of a POST is wrong. Authentication runs before the body is read."""

    param_name = portal_session.COOKIE

    def __call__(self, request):
        # The login first, from the cookie alone: the CSRF check may parse the body.
        if portal_session.current(request) is None:
            raise HttpError(401, str(NOT_LOGGED_IN))
        return super().__call__(request)

    def authenticate(self, request, key):
        login = portal_session.current(request)
        if login is None:
            raise HttpError(401, str(NOT_LOGGED_IN))
        request.portal_login = login
        return login


class ApplicationOut(Schema):
    public_id: uuid.UUID
    reference: str | None
    procedure: str
    procedure_name: str
    status: str
    status_text: str
    resident_status_text: str
    section: str | None
    section_name: str | None
    submitted_at: dt.datetime | None
    due_on: dt.date | None


class ApplicationEventOut(Schema):
    at: dt.datetime
    kind: str
    status: str
    status_text: str
    note: str
    by_resident: bool


class AttachmentOut(Schema):
    code: str
    name: str
    added_at: dt.datetime


class ApplicationDetailOut(ApplicationOut):
    history: list[ApplicationEventOut]
    attachments: list[AttachmentOut]


def _out(application: Application) -> dict[str, Any]:
    version = application.version
    section = application.section
    return {
        "public_id": application.public_id, "reference": application.reference,
        "procedure": version.procedure.code, "procedure_name": version.name,
        "status": application.status, "status_text": application.status_text,
        "resident_status_text": application.resident_status_text,
        "section": section.code if section else None,
        "section_name": section.name if section else None,
        "submitted_at": application.submitted_at, "due_on": application.due_on,
    }


def _detail(application: Application) -> dict[str, Any]:
    names = attachment_names(application.version)
    return {
        **_out(application),
        "history": [{"at": e.at, "kind": e.kind, "status": e.to_status,
                     "status_text": text if e.to_status else "",
                     "note": e.resident_note, "by_resident": e.by_resident}
                    for e, text in resident_events(
                        application, selectors.history(application, public_only=True))],
        "attachments": [{"code": a.code, "name": names.get(a.code, a.code),
                         "added_at": a.added_at}
                        for a in application.attachments.filter(replaced_by__isnull=True)],
    }


def _invalid(errors: dict[str, list[str]]) -> Status:
    first = next(iter(errors.values()))[0]
    detail = first if len(errors) == 1 else _("入力内容に直すところがあります。")
    return Status(422, {"detail": detail, "code": "invalid", "errors": errors})


def _district(key: str) -> District | None:
    region, sep, code = (key or "").strip().partition("/")
    if not sep or not region or not code:
        return None
    return District.objects.select_related("region").filter(region__code=region,
                                                            code=code).first()


def _answers(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


@router.post("/applications", auth=PortalSession(),
             response={200: ApplicationOut, 201: ApplicationOut, 401: Problem, 403: Problem,
                       413: Problem, 415: Problem, 422: Problem, 507: Problem},
             url_name="application_create", summary="オンライン申請をする（作成と送信）")
def create(request, procedure: Form[str] = "", district: Form[str] = "",
           answers: Form[str] = "{}"):
    """multipart/form-data: ``procedure`` (手続きコード), ``district`` (お住まいの地区
    ``region/district``, 例 ``setagaya/ikejiri``), ``answers`` (申請書の回答: JSON の
    オブジェクト、項目名をキーに), 添付書類はファイル名 ``attachment.<書類のコード>``。
    ヘッダー ``Idempotency-Key`` (8〜80文字の英数記号) は必須: 同じキーの再送信は最初の
    申請を返します (200)。201: 受け付けました。422: ``errors`` に項目ごとの理由
    (``person_birth_date``, ``children.1.name`` のようなパス)。413/415: 添付ファイルが
    大きすぎる/種類が違う。403: 手続きが求める本人確認 (email, strong) にログインが
    足りない。"""
    login = request.portal_login
    version = published_get(procedure.strip()) if procedure.strip() else None
    if version is None:
        return _invalid({"procedure": [
            _("手続きが見つかりません。手続きコードを確認してください。")]})
    if not version.online:
        return _invalid({"procedure": [_("この手続きはオンラインでは申請できません。")]})
    if not login.satisfies(version.identity):
        needed = Level(version.identity).label
        raise HttpError(403, _("この手続きには「%(level)s」でのログインが必要です。")
                        % {"level": needed})
    place = _district(district)
    if place is None:
        return _invalid({"district": [_("お住まいの地区を選んでください。")]})
    raw = _answers(answers)
    if raw is None:
        return _invalid({"answers": [_("申請書の内容を読み取れませんでした。")]})
    files = [(name.removeprefix(ATTACHMENT_PREFIX), upload, upload.name)
             for name, uploads in request.FILES.lists() if name.startswith(ATTACHMENT_PREFIX)
             for upload in uploads]
    actor = services.Actor(source=SOURCE_CREATE, identity=login.identity)
    try:
        submission = services.application_submit_new(
            actor=actor, version=version, district=place, raw=raw, files=files,
            idempotency_key=request.headers.get(KEY_HEADER, ""))
    except services.AnswersInvalid as error:
        return _invalid(error.errors)
    except FileRefused as error:
        return Status(error.status(FILE_STATUS.get(error.code, 422)),
                      {"detail": error.message, "code": error.code,
                       "errors": {"attachments": [error.message]}})
    except ValidationError as error:
        # Codes of application_submit_new; the rest (attachment codes, missing or too
        # many attachments) are about the attachments.
        field = ERROR_FIELDS.get(getattr(error, "code", None) or "", "attachments")
        return _invalid({field: list(error.messages)})
    except PermissionDenied:
        raise HttpError(403, FORBIDDEN) from None
    if submission.repeated:
        application = Application.objects.select_related(*selectors.RELATED).get(
            pk=submission.application.pk)
        return Status(200, _out(application))
    # Just received: the instance holds its version, procedure and section already.
    return Status(201, _out(submission.application))


@router.get("/applications", auth=PortalSession(),
            response={200: list[ApplicationOut], 401: Problem},
            url_name="application_list", summary="自分の申請の一覧")
def list_applications(request):
    """ログインしている区民の申請 (下書きを含む)、新しいものから。"""
    rows = selectors.for_identity(identity=request.portal_login.identity, source=SOURCE_LIST)
    return [_out(a) for a in rows]


@router.get("/applications/{uuid:public_id}", auth=PortalSession(),
            response={200: ApplicationDetailOut, 401: Problem, 404: Problem},
            url_name="application_detail", summary="自分の申請の状況")
def detail(request, public_id: uuid.UUID):
    """状態、申請者に見せる履歴 (担当からのメッセージを含む)、添付した書類の種類。"""
    try:
        application = selectors.identity_get(identity=request.portal_login.identity,
                                             public_id=public_id, source=SOURCE_DETAIL)
    except Http404:
        raise HttpError(404, str(NOT_FOUND)) from None
    return _detail(application)
