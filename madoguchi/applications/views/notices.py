"""Residents' access to their decision notices (namespace ``notices``).

- ``notice/<token>/``: the e-mailed link. GET only shows what the notice is and a button;
  the download is a POST, so that a mail program or a scanner that opens links to check
  them neither downloads the notice nor marks it opened. ``Referrer-Policy: same-origin``
  keeps the token from other sites (``no-referrer`` would make browsers send
  ``Origin: null`` with the form, which the CSRF check refuses).
- ``portal/notices/<public_id>/``: the download from the resident's portal page, for the
  portal identity that owns the application only (404 for anyone else).
"""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from madoguchi.applications.services import notices
from madoguchi.files.services import FileRefused
from madoguchi.portal.access import portal_identity_required
from madoguchi.portal.models import Level


def _source(request) -> str:
    return request.resolver_match.view_name


def _pdf(notice, handle) -> FileResponse:
    # The file name names the application's reference number, never the resident.
    response = FileResponse(handle, as_attachment=True,
                            filename=f"{notice.application.reference}-notice.pdf",
                            content_type="application/pdf")
    response["Referrer-Policy"] = "same-origin"
    return response


def _page(request, template: str, context: dict, status: int = 200):
    response = render(request, template, context, status=status)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def link(request, token):
    try:
        if request.method == "POST":
            notice, handle = notices.link_notice_open(token=token, source=_source(request))
            return _pdf(notice, handle)
        notice = notices.link_notice(token=token)
    except notices.LinkRefused as refused:
        return _page(request, "applications/notices/link_refused.html",
                     {"message": refused.message}, status=410 if refused.code == "expired"
                     else 404)
    except FileRefused as problem:
        return _page(request, "applications/notices/link_refused.html",
                     {"message": problem.message}, status=410)
    return _page(request, "applications/notices/link.html", {"notice": notice})


@never_cache
@require_GET
@portal_identity_required(Level.EMAIL)
def portal_download(request, public_id):
    identity = request.portal_login.identity
    try:
        notice, handle = notices.identity_notice_open(identity=identity, public_id=public_id,
                                                      source=_source(request))
    except FileRefused as problem:
        return _page(request, "applications/notices/link_refused.html",
                     {"message": problem.message}, status=410)
    return _pdf(notice, handle)
