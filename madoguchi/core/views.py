from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from madoguchi.core import health


def index(request):
    """The public front page: the ward's district centres and how to reach them."""
    from madoguchi.organisation.selectors import centre_directory

    return render(request, "core/index.html", {"regions": centre_directory()})


@never_cache
def healthz(request):
    result = health.report()
    return JsonResponse(result, status=200 if result["ok"] else 503)


def forbidden(request, exception=None):
    return render(request, "core/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "core/404.html", status=404)
