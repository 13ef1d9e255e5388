"""The demo provider's login page: pick a demo resident with one click (a real provider
would read the My Number Card here)."""

from __future__ import annotations

from django.contrib.auth import get_user_model, login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from madoguchi.demo_idp.residents import BY_USERNAME, RESIDENTS


def _next(value: str) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts=set()) \
            and value.startswith("/o/"):
        return value
    return "/"


@require_http_methods(["GET", "POST"])
def choose(request):
    after = _next(request.POST.get("next") or request.GET.get("next", ""))
    if request.method == "POST":
        resident = BY_USERNAME.get(request.POST.get("resident", ""))
        if resident is not None:
            user = get_user_model().objects.get(username=resident.username)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(after)
    return render(request, "demo_idp/choose.html", {"residents": RESIDENTS, "next": after})


def home(request):
    return render(request, "demo_idp/choose.html", {"residents": RESIDENTS, "next": "/",
                                                    "home": True})


def healthz(request):
    return HttpResponse("ok")
