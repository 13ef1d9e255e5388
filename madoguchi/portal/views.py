"""The residents' pages: the choice of login, the e-mail link, the My Number Card login
(OpenID Connect) and a minimal "my page".

Pages render with the staff user hidden (``_render``): a staff login in the same browser
neither shows nor counts here.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from madoguchi.portal import demo, hooks, linkcodes, oidc, services
from madoguchi.portal import session as portal_session
from madoguchi.portal.access import portal_identity_required, safe_next
from madoguchi.portal.forms import EmailLoginForm
from madoguchi.portal.models import Level

logger = logging.getLogger("madoguchi.portal")

SENT_TO = "portal.sent_to"


def _render(request, template: str, context: dict | None = None, status: int = 200):
    login = portal_session.current(request)
    return render(request, template, {
        "user": AnonymousUser(), "nav_items": [], "membership": None,
        "portal_login": login, **(context or {})}, status=status)


def _next(request) -> str:
    return safe_next(request.POST.get("next") or request.GET.get("next"))


def _after_login(next_path: str):
    return redirect(safe_next(next_path) or reverse("portal:home"))


def _masked(email: str) -> str:
    local, _at, domain = email.partition("@")
    return f"{local[:2]}{'*' * max(len(local) - 2, 3)}@{domain}"


# ── my page ────────────────────────────────────────────────────────────────────────────

@require_GET
@never_cache
@portal_identity_required(Level.EMAIL)
def home(request):
    identity = request.portal_login.identity
    return _render(request, "portal/home.html", {
        "identity": identity, "can_link": linkcodes.can_link(identity)})


@require_POST
@never_cache
@portal_identity_required(Level.STRONG)
def link_code(request):
    """Show a one-time code for the centre's clerk to link an application made there."""
    identity = request.portal_login.identity
    if not linkcodes.can_link(identity):
        return redirect("portal:home")
    code, expires = linkcodes.issue(identity=identity)
    logger.info("link code issued (identity %s)", identity.public_id)
    return _render(request, "portal/link_code.html", {
        "code": linkcodes.display(code), "expires": expires,
        "minutes": linkcodes.CODE_MINUTES})


@require_GET
@never_cache
def login_choice(request):
    return _render(request, "portal/login.html", {"next": _next(request),
                                                   "card_available": oidc.config() is not None})


@require_POST
def logout(request):
    portal_session.logout(request)
    messages.info(request, _("ログアウトしました。"))
    return redirect("portal:login")


# ── e-mail one-time link ───────────────────────────────────────────────────────────────

@require_http_methods(["GET", "POST"])
@never_cache
def email_request(request):
    form = EmailLoginForm(request.POST or None, initial={"next": _next(request)})
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            services.email_link_request(
                email=email, ip=request.META.get("REMOTE_ADDR", ""),
                next_path=_next(request), origin=request.build_absolute_uri("/").rstrip("/"),
                language=translation.get_language() or "ja")
        except services.Throttled:
            form.add_error(None, _("短い時間に何度も送信されたため、しばらく受け付けを"
                                   "止めています。1時間ほどたってから、もう一度お試しください。"))
            status = 429
        else:
            request.portal_session[SENT_TO] = email
            return redirect("portal:email_sent")
    elif request.method == "POST":
        status = 400
    return _render(request, "portal/email_request.html", {"form": form}, status=status)


@require_GET
@never_cache
def email_sent(request):
    return _render(request, "portal/email_sent.html", {
        "sent_to": request.portal_session.get(SENT_TO, ""),
        "minutes": settings.PORTAL_EMAIL_LINK_MINUTES})


@require_GET
@never_cache
def email_open(request, token):
    """The address in the mail: keeps which link was opened in the session (never the
    token) and moves on to an address without the token, so it stays out of the
    browser's history and of any Referer."""
    try:
        link = services.email_link_find(token=token)
    except services.LinkRefused as refused:
        request.portal_session[portal_session.EMAIL_PENDING] = {"refused": refused.code}
    else:
        request.portal_session[portal_session.EMAIL_PENDING] = {"link": link.pk}
    return redirect("portal:email_confirm")


REFUSALS = {"unknown": services.LINK_UNKNOWN, "used": services.LINK_USED,
            "expired": services.LINK_EXPIRED}


@require_http_methods(["GET", "POST"])
@never_cache
def email_confirm(request):
    """One button to log in: a mail program that opens links to check them (as some
    do) does not spend the link."""
    pending = request.portal_session.get(portal_session.EMAIL_PENDING) or {}
    if not pending:
        return redirect("portal:email_request")
    try:
        if "refused" in pending:
            raise services.LinkRefused(pending["refused"], REFUSALS.get(pending["refused"],
                                                                         services.LINK_UNKNOWN))
        if request.method == "POST":
            identity, next_path = services.email_link_use(link_id=pending["link"])
            portal_session.login(request, identity=identity, level=Level.EMAIL)
            return _after_login(next_path)
        link = services.email_link_get(link_id=pending["link"])
    except services.LinkRefused as refused:
        request.portal_session.pop(portal_session.EMAIL_PENDING, None)
        return _render(request, "portal/email_refused.html", {"message": refused.message},
                       status=410)
    return _render(request, "portal/email_confirm.html", {"address": _masked(link.email)})


# ── My Number Card (OpenID Connect) ───────────────────────────────────────────────────

def _card_page(request, *, error: str = "", status: int = 200):
    available, origin = oidc.config() is not None, ""
    if available:
        try:
            origin = oidc.authorization_origin()
        except oidc.OidcRefused as refused:
            logger.warning("strong login unavailable: %s", refused.code)
            error = error or refused.message
    response = _render(request, "portal/card.html", {
        "available": available, "ready": bool(origin), "next": _next(request),
        "error": error, "demo": available and demo.is_demo()}, status=status)
    if origin:  # the form's redirect goes on to the provider
        response._csp_update = {"form-action": [origin]}
    return response


@require_GET
@never_cache
def card(request):
    return _card_page(request)


@require_POST
def card_start(request):
    if oidc.config() is None:
        return _card_page(request, status=503)
    try:
        url = oidc.begin(request, redirect_uri=request.build_absolute_uri(
            reverse("portal:card_callback")), next_path=_next(request),
            language=translation.get_language() or "ja")
    except oidc.OidcRefused as refused:
        logger.warning("strong login not started: %s", refused.code)
        return _card_page(request, error=refused.message, status=503)
    return redirect(url)


@require_GET
@never_cache
def card_callback(request):
    try:
        result = oidc.complete(request)
    except oidc.OidcRefused as refused:
        logger.warning("strong login refused: %s", refused.code)
        return _card_page(request, error=refused.message, status=400)
    identity = services.oidc_login(issuer=result.issuer, subject=result.subject,
                                   level=result.level, email=result.email,
                                   display_name=result.display_name,
                                   birth_date=result.birth_date)
    portal_session.login(request, identity=identity, level=result.level)
    hooks.verified_login(identity=identity, address=result.address,
                         source="portal:card_callback")
    return _after_login(result.next_path)
