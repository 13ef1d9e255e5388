"""Jitsi Meet with token authentication (Prosody ``mod_auth_token``).

Each admitted participant gets a JWT for exactly one room, valid from ``not_before`` to
``expires``:

- ``iss`` the app id and ``aud`` the audience configured in Prosody, ``sub`` the XMPP
  domain (or ``*``), ``room`` the room's derived name;
- ``context.user``: the display name, an opaque id and the moderator flag (``"true"`` /
  ``"false"`` as Jitsi as a Service reads it; ``affiliation`` ``owner`` / ``member`` for
  ``mod_token_affiliation`` on a self-hosted server). No e-mail, no avatar.

Signed HS256 with ``MEETINGS_JITSI_SECRET`` (Prosody's ``app_secret``) or RS256 with the
private key at ``MEETINGS_JITSI_PRIVATE_KEY_FILE``; an RS256 token names its key in the
``kid`` header (``MEETINGS_JITSI_KEY_ID``) so that the server fetches the public key from its
``asap_key_server``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

import jwt
from django.conf import settings

from madoguchi.meetings.providers.base import (
    JoinConfig,
    ProviderNotConfigured,
    check_admitted_join,
    room_name,
)

ALGORITHMS = ("HS256", "RS256")


class JitsiProvider:
    name: ClassVar[str] = "jitsi"
    media_lobby: ClassVar[bool] = False

    def _signing_key(self, algorithm: str) -> tuple[Any, dict[str, str]]:
        if algorithm == "HS256":
            secret = settings.MEETINGS_JITSI_SECRET
            if not secret:
                raise ProviderNotConfigured(
                    "Jitsi HS256 tokens need MEETINGS_JITSI_SECRET (Prosody's app_secret)")
            return secret, {}
        path = settings.MEETINGS_JITSI_PRIVATE_KEY_FILE
        if not path:
            raise ProviderNotConfigured(
                "Jitsi RS256 tokens need MEETINGS_JITSI_PRIVATE_KEY_FILE (a PEM private key)")
        try:
            key = Path(path).read_bytes()
        except OSError as error:
            raise ProviderNotConfigured(
                f"MEETINGS_JITSI_PRIVATE_KEY_FILE cannot be read ({type(error).__name__})"
            ) from None
        headers = {"kid": settings.MEETINGS_JITSI_KEY_ID} if settings.MEETINGS_JITSI_KEY_ID else {}
        return key, headers

    def token(
        self,
        *,
        room: str,
        user_ref: str,
        display_name: str,
        moderator: bool,
        not_before: dt.datetime,
        expires: dt.datetime,
    ) -> str:
        algorithm = str(settings.MEETINGS_JITSI_ALGORITHM).upper()
        if algorithm not in ALGORITHMS:
            raise ProviderNotConfigured(
                f"MEETINGS_JITSI_ALGORITHM must be one of {', '.join(ALGORITHMS)}")
        key, headers = self._signing_key(algorithm)
        claims = {
            "iss": settings.MEETINGS_JITSI_APP_ID,
            "aud": settings.MEETINGS_JITSI_AUDIENCE,
            "sub": settings.MEETINGS_JITSI_SUBJECT,
            "room": room,
            "nbf": int(not_before.timestamp()),
            "exp": int(expires.timestamp()),
            "context": {
                "user": {
                    "id": str(user_ref),
                    "name": display_name,
                    "moderator": "true" if moderator else "false",
                    "affiliation": "owner" if moderator else "member",
                },
            },
        }
        try:
            return jwt.encode(claims, key, algorithm=algorithm, headers=headers or None)
        except (ValueError, TypeError, jwt.PyJWTError) as error:
            # A malformed PEM file; the message does not quote the key.
            raise ProviderNotConfigured(
                f"the Jitsi signing key cannot be used for {algorithm} ({type(error).__name__})"
            ) from None

    def join_config(
        self,
        *,
        room_id: str,
        user_ref: str,
        display_name: str,
        moderator: bool,
        not_before: dt.datetime,
        expires: dt.datetime,
        admitted: bool = True,
    ) -> JoinConfig:
        check_admitted_join(provider="Jitsi", not_before=not_before, expires=expires,
                            user_ref=user_ref, display_name=display_name,
                            admitted=admitted, moderator=moderator)
        base_url = str(settings.MEETINGS_JITSI_URL).rstrip("/")
        if not base_url:
            raise ProviderNotConfigured("the Jitsi provider needs MEETINGS_JITSI_URL")
        name = room_name(room_id)
        token = self.token(room=name, user_ref=user_ref, display_name=display_name,
                           moderator=moderator, not_before=not_before, expires=expires)
        return JoinConfig(
            provider=self.name,
            room_name=name,
            url=f"{base_url}/{quote(name)}",
            token=token,
            extra={"domain": base_url.split("://", 1)[-1], "expires": expires.isoformat()},
        )
