"""Refusals made before any view runs, and the API's error shape on Django's own answers.

``RequestGuardMiddleware`` (first in the chain):
- refuses a NUL character in the path, the query string or a form or JSON body (400):
  PostgreSQL cannot store one, and no field of the ward's needs one;
- gives every ``/api/`` error answer that Django made itself (405 from a view, 413, a CSRF
  page, …) the API's problem shape (madoguchi.core.problem), and every ``/api/`` answer
  ``Cache-Control: no-store`` (they carry residents' data; nothing to keep in a cache).

``UploadGateMiddleware`` (before the CSRF check, which would parse the body): a multipart
body larger than ``REQUEST_MAX_MB`` (or than the largest file some purpose accepts, with
its form: ``request_limit``), or one large enough to be spooled to disk
(``FILE_UPLOAD_MAX_MEMORY_SIZE``) from a browser without any session (staff, portal or
meeting guest), is refused by its headers alone, so that anonymous clients cannot make the
server spool large bodies.
"""

from __future__ import annotations

import json
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from madoguchi.core.problem import is_api, problem_response
from madoguchi.core.uploads import largest_upload_bytes

NUL = "\x00"
MB = 1024 * 1024


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def carries_nul(request) -> bool:
    """A NUL in the path, the query string, or a urlencoded or JSON body."""
    if NUL in request.path or b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    if content_type == "application/x-www-form-urlencoded":
        body = request.body
        return b"%00" in body or b"\x00" in body
    if content_type == "application/json" or content_type.endswith("+json"):
        body = request.body
        if b"\x00" in body:
            return True
        if b"\\u0000" not in body:
            return False
        try:
            return _has_nul(json.loads(body))
        except ValueError:
            return False  # not JSON: the view answers that
    return False


def bad_request_page(request, message: str, status: int = 400) -> HttpResponse:
    return render(request, "core/400.html", {"message": message}, status=status)


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = is_api(request)
        if carries_nul(request):
            message = _("使えない文字（NUL）が含まれています。入力内容を確認してください。")
            if api:
                return problem_response(400, message, code="nul_character")
            return bad_request_page(request, message)
        response = self.get_response(request)
        if not api:
            return response
        if response.status_code >= 400 and "json" not in response.get("Content-Type", ""):
            replaced = problem_response(response.status_code)
            for header in ("Allow", "Retry-After"):
                if header in response:
                    replaced[header] = response[header]
            for cookie in response.cookies.values():
                replaced.cookies[cookie.key] = cookie
            response = replaced
        response["Cache-Control"] = "no-store"
        return response


def _content_length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


def _has_session(request) -> bool:
    for store in (getattr(request, "session", None), getattr(request, "portal_session", None)):
        if store is not None and store.session_key and len(store.keys()) > 0:
            return True
    return False


def request_limit() -> int:
    """Bytes of the largest multipart body taken: ``REQUEST_MAX_MB``, or more when one file
    of some purpose may be larger (signage's videos: ``core.uploads``, ADR 0056)."""
    return max(settings.REQUEST_MAX_MB * MB, largest_upload_bytes())


class UploadGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and (request.content_type or "").startswith("multipart/"):
            refused = self.refusal(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def refusal(self, request) -> HttpResponse | None:
        length = _content_length(request)
        limit = request_limit()
        if length is None or length > limit:
            message = _("送信されたデータが大きすぎます（%(max)sMBまで）。") % {
                "max": limit // MB}
            if is_api(request):
                return problem_response(413, message, code="too_large")
            return bad_request_page(request, message, status=413)
        # Bodies up to FILE_UPLOAD_MAX_MEMORY_SIZE stay in memory; larger ones would be
        # spooled to disk by the CSRF check: only for someone with a session.
        if length > settings.FILE_UPLOAD_MAX_MEMORY_SIZE and not _has_session(request):
            message = _("ログインが必要です。ログインしてから、もう一度送信してください。")
            if is_api(request):
                return problem_response(401, message, code="not_logged_in")
            return bad_request_page(request, message, status=403)
        return None
