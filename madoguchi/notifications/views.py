"""The stop page of residents' mail (ADR 0054): no account, the signed token is enough.
GET asks to confirm with one button (a link checker opening the URL stops nothing); POST
stops, also the mail program's one-click POST of RFC 8058."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from madoguchi.notifications import stops


@csrf_exempt  # RFC 8058: the mail program posts "List-Unsubscribe=One-Click", no session
@require_http_methods(["GET", "POST"])
def stop(request, token: str):
    if request.method == "GET":
        return render(request, "notifications/stop.html", {"token": token})
    try:
        stops.stop(token=token)
    except stops.StopRefused as refused:
        return render(request, "notifications/stop.html", {"error": refused.message},
                      status=400)
    return render(request, "notifications/stop.html", {"done": True})
