from __future__ import annotations

import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from madoguchi.core.problem import RETRY_AFTER_SECONDS, is_api, problem_response
from madoguchi.site import health


def index(request):
    """The public front page: the ward's district centres and how to reach them."""
    from madoguchi.organisation.selectors import centre_directory

    return render(request, "core/index.html", {"regions": centre_directory()})


@never_cache
def healthz(request):
    result = health.report()
    return JsonResponse(result, status=200 if result["ok"] else 503)


def bad_request(request, exception=None):
    if is_api(request):
        return problem_response(400)
    return render(request, "core/400.html", status=400)


def forbidden(request, exception=None):
    if is_api(request):
        return problem_response(403)
    return render(request, "core/403.html", status=403)


def not_found(request, exception=None):
    if is_api(request):
        return problem_response(404)
    return render(request, "core/404.html", status=404)


def database_down(exception: BaseException | None) -> bool:
    """The database could not be reached (restarting, out of connections), as opposed to a
    mistake in a query: the answer is then 503, to be retried."""
    while exception is not None:
        if isinstance(exception, OperationalError | InterfaceError):
            return True
        if isinstance(exception, DatabaseError):
            return False
        exception = exception.__cause__ or exception.__context__
    return False


def server_error(request):
    """500, or 503 with ``Retry-After`` when the database is down: JSON in the API's problem
    shape under /api/, otherwise a page in the user's language with the ward's phone number.
    The page is rendered without the request, so that it needs neither the session nor the
    database."""
    status = 503 if database_down(sys.exc_info()[1]) else 500
    if is_api(request):
        return problem_response(status)
    translation.activate(translation.get_language_from_request(request))
    html = loader.get_template("core/5xx.html").render({
        "status": status,
        # The ward's name from the catalogue when it has one ("世田谷区" -> "Setagaya City").
        "ward_name": gettext(settings.DOCUMENTS_WARD_NAME),
        "ward_phone": settings.DOCUMENTS_WARD_PHONE})
    response = HttpResponse(html, status=status)
    response["Cache-Control"] = "no-store"
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
