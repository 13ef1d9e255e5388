"""Login through an OpenID Connect provider: authorization code flow with PKCE (S256),
``state`` and ``nonce``, through Authlib's Django client.

Authlib fetches the provider's discovery document and keys (again when a token names an
unknown key), builds the authorization URL, exchanges the code and checks the ID token's
signature and claims (iss, aud, azp, exp, iat, nonce, at_hash). Here: which provider
(settings ``PORTAL_OIDC_*``), where the half-finished login is kept (the portal session,
one entry per ``state``, spent on first use), which ``acr`` values count as a strong
identity, and the Japanese message for each way it can fail. Nothing from the tokens is
logged.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from joserfc.errors import JoseError

from madoguchi.portal import session as portal_session
from madoguchi.portal.models import Level

PENDING_SECONDS = 600  # a login left at the provider for longer is forgotten
MAX_PENDING = 3  # logins started in other tabs that may still come back
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
                      "ES384", "ES512", "EdDSA")

logger = logging.getLogger("madoguchi.portal")

MESSAGES = {
    "unavailable": _("マイナンバーカードでのログインの窓口（ID提供者）に、いまつながりません。"
                     "しばらくたってから、もう一度お試しください。"),
    "cancelled": _("マイナンバーカードでのログインが取りやめられました。"
                   "もう一度はじめるか、メールで受け取るリンクで入ってください。"),
    "expired": _("ログインの手続きの途中で時間がたったか、別の画面から始められたため、"
                 "続けられませんでした。もう一度はじめからお試しください。"),
    "weak": _("この方法では、マイナンバーカードによる本人確認ができませんでした。"
              "マイナンバーカードを使って、もう一度お試しください。"),
    "failed": _("本人確認の結果を確かめられなかったため、ログインできませんでした。"
                "もう一度はじめからお試しください。続くときは、お近くのまちづくりセンターに"
                "ご相談ください。"),
}


class OidcRefused(Exception):
    """The login did not succeed. ``code`` names the reason for the log (never a token);
    ``message`` is for the resident."""

    def __init__(self, code: str, kind: str = "failed"):
        super().__init__(code)
        self.code = code
        self.message = str(MESSAGES[kind])


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    discovery_url: str
    client_id: str
    client_secret: str
    scopes: str
    acr_values: str
    strong_acr: tuple[str, ...]
    userinfo: bool
    timeout: float


def config() -> OidcConfig | None:
    """The configured provider, or None when the strong login is not set up."""
    issuer = settings.PORTAL_OIDC_ISSUER.rstrip("/")
    if not issuer or not settings.PORTAL_OIDC_CLIENT_ID:
        return None
    scopes = settings.PORTAL_OIDC_SCOPES.split()
    if "openid" not in scopes:
        scopes.insert(0, "openid")
    return OidcConfig(
        issuer=issuer,
        discovery_url=(settings.PORTAL_OIDC_DISCOVERY_URL
                       or f"{issuer}/.well-known/openid-configuration"),
        client_id=settings.PORTAL_OIDC_CLIENT_ID,
        client_secret=settings.PORTAL_OIDC_CLIENT_SECRET,
        scopes=" ".join(scopes),
        acr_values=settings.PORTAL_OIDC_ACR_VALUES,
        strong_acr=tuple(settings.PORTAL_OIDC_STRONG_ACR),
        userinfo=settings.PORTAL_OIDC_USERINFO,
        timeout=settings.PORTAL_OIDC_TIMEOUT_SECONDS,
    )


@lru_cache(maxsize=8)
def _client(cfg: OidcConfig):
    """One Authlib client per configuration; it keeps the discovery document and keys."""
    return OAuth().register(
        name="portal", client_id=cfg.client_id, client_secret=cfg.client_secret,
        server_metadata_url=cfg.discovery_url,
        client_kwargs={"scope": cfg.scopes, "code_challenge_method": "S256",
                       "default_timeout": cfg.timeout})


def _metadata(cfg: OidcConfig, client) -> dict:
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise OidcRefused(f"discovery: {type(error).__name__}", "unavailable") from None
    if metadata.get("issuer", "").rstrip("/") != cfg.issuer:
        raise OidcRefused("discovery: issuer differs from PORTAL_OIDC_ISSUER", "unavailable")
    # Only asymmetric signatures: never "none", never a MAC keyed with the client secret.
    offered = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    metadata["id_token_signing_alg_values_supported"] = [
        alg for alg in offered if alg in SIGNING_ALGORITHMS]
    return metadata


def authorization_origin() -> str:
    """The origin of the provider's authorization endpoint: the card page's form posts to
    madoguchi, which redirects there, so the page's CSP ``form-action`` must allow it."""
    cfg = config()
    if cfg is None:
        raise OidcRefused("not configured", "unavailable")
    endpoint = urlsplit(_metadata(cfg, _client(cfg)).get("authorization_endpoint", ""))
    if endpoint.scheme not in ("https", "http") or not endpoint.netloc:
        raise OidcRefused("discovery: no usable authorization_endpoint", "unavailable")
    return f"{endpoint.scheme}://{endpoint.netloc}"


def begin(request, *, redirect_uri: str, next_path: str, language: str) -> str:
    """Start a login; returns the provider's authorization URL to send the browser to."""
    cfg = config()
    if cfg is None:
        raise OidcRefused("not configured", "unavailable")
    client = _client(cfg)
    _metadata(cfg, client)
    params = {"ui_locales": language}
    if cfg.acr_values:
        params["acr_values"] = cfg.acr_values
    try:
        started = client.create_authorization_url(redirect_uri, **params)
    except (requests.RequestException, RuntimeError) as error:
        raise OidcRefused(f"authorize: {type(error).__name__}", "unavailable") from None
    session = request.portal_session
    now = time.time()
    pending = {state: entry for state, entry in session.get(portal_session.OIDC_PENDING,
                                                             {}).items()
               if now - entry["at"] < PENDING_SECONDS}
    pending[started["state"]] = {"nonce": started["nonce"],
                                 "verifier": started["code_verifier"],
                                 "redirect_uri": redirect_uri, "next": next_path, "at": now}
    session[portal_session.OIDC_PENDING] = dict(list(pending.items())[-MAX_PENDING:])
    return started["url"]


@dataclass(frozen=True)
class OidcLogin:
    issuer: str
    subject: str
    level: Level
    email: str
    display_name: str
    next_path: str
    # The 基本4情報 the provider verified (scopes name, address, birthdate, gender): used to
    # link applications made at the centre; only the birth date is kept (ADR 0027).
    birth_date: dt.date | None = None
    address: str = ""


def _pending(request, state: str) -> dict:
    """The login this browser started with ``state``, spent now (a replayed answer finds
    nothing)."""
    session = request.portal_session
    pending = dict(session.get(portal_session.OIDC_PENDING, {}))
    entry = pending.pop(state, None) if state else None
    if pending:
        session[portal_session.OIDC_PENDING] = pending
    else:
        session.pop(portal_session.OIDC_PENDING, None)
    if entry is None or time.time() - entry["at"] >= PENDING_SECONDS:
        raise OidcRefused("state unknown, spent or expired", "expired")
    return entry


def _claims(cfg: OidcConfig, client, token: dict, nonce: str) -> dict:
    if not isinstance(token, dict) or "id_token" not in token:
        raise OidcRefused("token response without id_token")
    options = {"iss": {"essential": True, "value": cfg.issuer},
               "aud": {"essential": True, "value": cfg.client_id},
               "sub": {"essential": True}}
    try:
        return dict(client.parse_id_token(token, nonce=nonce, claims_options=options))
    except (JoseError, ValueError, KeyError, TypeError) as error:
        raise OidcRefused(f"id_token: {type(error).__name__} {error}") from None


def _userinfo(client, token: dict, subject: str) -> dict:
    try:
        info = dict(client.userinfo(token=token))
    except (requests.RequestException, OAuthError, ValueError) as error:
        raise OidcRefused(f"userinfo: {type(error).__name__}") from None
    if info.get("sub") != subject:
        raise OidcRefused("userinfo: sub differs from the ID token's")
    return info


def _name(claims: dict) -> str:
    name = claims.get("name") or " ".join(
        part for part in (claims.get("family_name"), claims.get("given_name")) if part)
    return str(name or "")[:120]


def _birth_date(claims: dict) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(claims.get("birthdate") or ""))
    except ValueError:
        return None  # absent, or only a year ("0000-" forms): not enough to link anything


def _address(claims: dict) -> str:
    address = claims.get("address") or ""
    if isinstance(address, dict):  # the OpenID Connect address claim: {"formatted": ...}
        address = address.get("formatted") or ""
    return str(address)[:200]


def complete(request) -> OidcLogin:
    """Finish the login the provider sent the browser back from; raises OidcRefused."""
    cfg = config()
    if cfg is None:
        raise OidcRefused("not configured", "unavailable")
    params = request.GET
    entry = _pending(request, params.get("state", ""))
    if params.get("error"):
        kind = "cancelled" if params["error"] in ("access_denied", "login_required") else "failed"
        raise OidcRefused(f"provider answered {params['error'][:40]}", kind)
    if params.get("iss") and params["iss"].rstrip("/") != cfg.issuer:  # RFC 9207
        raise OidcRefused("authorization response from another issuer")
    if not params.get("code"):
        raise OidcRefused("authorization response without code")
    client = _client(cfg)
    metadata = _metadata(cfg, client)
    try:
        token = client.fetch_access_token(redirect_uri=entry["redirect_uri"],
                                          code=params["code"], code_verifier=entry["verifier"])
    except OAuthError as error:
        raise OidcRefused(f"token endpoint: {error.error}") from None
    except (requests.RequestException, ValueError) as error:
        raise OidcRefused(f"token endpoint: {type(error).__name__}", "unavailable") from None
    claims = _claims(cfg, client, token, entry["nonce"])
    if cfg.strong_acr and claims.get("acr") not in cfg.strong_acr:
        raise OidcRefused("acr not among PORTAL_OIDC_STRONG_ACR", "weak")
    info = {}
    if cfg.userinfo and metadata.get("userinfo_endpoint"):
        info = _userinfo(client, token, claims["sub"])
    merged = {**claims, **info}
    email = merged.get("email", "") if merged.get("email_verified") is True else ""
    return OidcLogin(issuer=cfg.issuer, subject=str(claims["sub"]), level=Level.STRONG,
                     email=str(email)[:254], display_name=_name(merged),
                     next_path=entry["next"], birth_date=_birth_date(merged),
                     address=_address(merged))
