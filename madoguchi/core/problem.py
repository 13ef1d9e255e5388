"""The JSON API's one error shape (ADR 0023).

Every error answer of ``/api/`` is ``{"detail": str, "code": str, "errors": {field: [str]}}``:
``detail`` a sentence for the user in the request's language, ``code`` a stable key for
programs, ``errors`` the messages per input field (empty when the error is not about a
field). Error handlers, the API's exception handlers and the middleware that turns Django's
own error answers (404, 405, 413, 500, 503) into this shape all build it here.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, Field

API_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 30

CODES = {
    400: "bad_request",
    401: "not_logged_in",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}


class Problem(Schema):
    """An error answer of the API."""

    # Defaults are always sent, so the schema lists every field as required.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    detail: str = Field(description="What went wrong, for the user (Japanese or English).")
    code: str = Field(description="A stable key for programs, e.g. not_found, invalid.")
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages per input field; empty when none.")


def code_for(status: int) -> str:
    return CODES.get(status, "error" if status < 500 else "server_error")


def default_detail(status: int) -> str:
    texts = {
        400: _("リクエストの形式が正しくありません。"),
        401: _("ログインが必要です。"),
        403: _("この操作を行う権限がありません。"),
        404: _("お探しのものは見つかりません。"),
        405: _("この方法（メソッド）では使えません。"),
        413: _("送信されたデータが大きすぎます。"),
        422: _("入力内容を確認してください。"),
        500: _("システムでエラーが起きました。時間をおいてもう一度お試しください。"),
        503: _("ただいまシステムを利用できません。しばらくしてからもう一度お試しください。"),
    }
    return texts.get(status) or (texts[500] if status >= 500 else texts[400])


def problem(status: int, detail: str | None = None, *, code: str | None = None,
            errors: dict[str, list[str]] | None = None) -> dict:
    """The body of an error answer."""
    return {"detail": str(detail) if detail else default_detail(status),
            "code": code or code_for(status), "errors": errors or {}}


def problem_response(status: int, detail: str | None = None, *, code: str | None = None,
                     errors: dict[str, list[str]] | None = None) -> JsonResponse:
    response = JsonResponse(problem(status, detail, code=code, errors=errors), status=status,
                            json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)
