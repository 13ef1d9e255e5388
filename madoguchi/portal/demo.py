"""The demo identity provider of ``make run`` (madoguchi/demo_idp, ADR 0027) must never
serve real residents: madoguchi refuses to start with it when a production marker is on,
and ``manage.py check --deploy`` always reports it.

The demo is on when ``PORTAL_OIDC_DEMO`` is set (bin/run sets it) or when the configured
client is the demo's. Production markers: ``SECURE_COOKIES`` on (production is HTTPS),
``SECRET_KEY`` changed from the embedded default (a deployment sets its own), or a
provider that is not on this machine (the demo binds 127.0.0.1 only). ``DEBUG`` is not a
marker: ``make run`` itself runs with DEBUG off.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from madoguchi.demo_idp.residents import CLIENT_ID

EMBEDDED_SECRET_KEY = "insecure-embedded-default-change-me"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def is_demo() -> bool:
    return bool(settings.PORTAL_OIDC_DEMO) or (
        settings.PORTAL_OIDC_CLIENT_ID == CLIENT_ID and bool(settings.PORTAL_OIDC_ISSUER))


def production_markers() -> list[str]:
    """Why this looks like production (empty on a laptop's ``make run``)."""
    markers = []
    if settings.SECURE_COOKIES:
        markers.append("SECURE_COOKIES is on")
    if settings.SECRET_KEY != EMBEDDED_SECRET_KEY:
        markers.append("SECRET_KEY is set")
    host = urlsplit(settings.PORTAL_OIDC_ISSUER).hostname or ""
    if settings.PORTAL_OIDC_ISSUER and host not in LOOPBACK:
        markers.append("the provider is not on this machine")
    return markers


def refuse_in_production() -> None:
    """Raise ImproperlyConfigured when the demo provider is configured in production."""
    if not is_demo():
        return
    markers = production_markers()
    if markers:
        raise ImproperlyConfigured(
            "The demo identity provider (PORTAL_OIDC_DEMO) is for make run only and never "
            f"for real residents, but this looks like production ({'; '.join(markers)}). "
            "Configure the real provider (PORTAL_OIDC_*) or unset PORTAL_OIDC_DEMO.")


@register(Tags.security, deploy=True)
def demo_provider_deploy_check(app_configs, **kwargs) -> list[Error]:
    if is_demo():
        return [Error("The portal's strong login uses the demo identity provider "
                      "(PORTAL_OIDC_DEMO): residents could log in as invented people.",
                      hint="Set PORTAL_OIDC_* to the real provider and unset "
                           "PORTAL_OIDC_DEMO.", id="portal.E001")]
    return []
