"""The built-in provider: browser WebRTC, peer to peer (a mesh of up to six), signaling
through the meetings app's WebSocket. Needs nothing but this project on a local network;
for residents at home, STUN/TURN servers (coturn, see docs/coturn.md) are configured with
``MEETINGS_ICE_SERVERS`` and, for time-limited TURN credentials, ``MEETINGS_TURN_URLS`` and
``MEETINGS_TURN_SECRET``.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import hmac
from typing import Any, ClassVar

from django.conf import settings
from django.utils import timezone

from madoguchi.meetings.providers.base import (
    JoinConfig,
    check_admitted_join,
    room_name,
)


def turn_credentials(*, secret: str, ref: str, expiry: dt.datetime) -> tuple[str, str]:
    """Time-limited TURN credentials in coturn's REST API scheme (``use-auth-secret``).

    The user name is ``"<unix expiry>:<ref>"``; the password is the base64 of the
    HMAC-SHA1 of that user name keyed with the shared secret. coturn recomputes it from its
    ``static-auth-secret`` and refuses the name once the expiry has passed.
    """
    if not secret:
        raise ValueError("secret must not be empty")
    if ":" in ref:
        raise ValueError("ref must not contain ':' (coturn's separator)")
    username = f"{int(expiry.timestamp())}:{ref}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode("ascii")


class BuiltinProvider:
    name: ClassVar[str] = "builtin"
    media_lobby: ClassVar[bool] = False

    def ice_servers(self, *, user_ref: str, expires: dt.datetime | None = None,
                    now: dt.datetime | None = None) -> list[dict[str, Any]]:
        """``MEETINGS_ICE_SERVERS`` as configured, plus, when ``MEETINGS_TURN_URLS`` and
        ``MEETINGS_TURN_SECRET`` are set, one TURN entry with credentials minted for this
        participant. They expire after ``MEETINGS_TURN_TTL_SECONDS`` or at ``expires``,
        whichever comes first."""
        servers: list[dict[str, Any]] = copy.deepcopy(list(settings.MEETINGS_ICE_SERVERS))
        urls = list(settings.MEETINGS_TURN_URLS)
        secret = settings.MEETINGS_TURN_SECRET
        if urls and secret:
            now = now or timezone.now()
            expiry = now + dt.timedelta(seconds=settings.MEETINGS_TURN_TTL_SECONDS)
            if expires is not None:
                expiry = min(expiry, expires)
            # The participant reference is hashed: coturn logs user names, and its log
            # needs no way back to the participant beyond what the ward can recompute.
            ref = hashlib.sha256(str(user_ref).encode()).hexdigest()[:16]
            username, credential = turn_credentials(secret=secret, ref=ref, expiry=expiry)
            servers.append({"urls": urls, "username": username, "credential": credential})
        return servers

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
        check_admitted_join(provider="the built-in provider", not_before=not_before,
                            expires=expires, user_ref=user_ref, display_name=display_name,
                            admitted=admitted, moderator=moderator)
        return JoinConfig(
            provider=self.name,
            room_name=room_name(room_id),
            extra={
                "ice_servers": self.ice_servers(user_ref=user_ref, expires=expires),
                "display_name": display_name,
                "moderator": moderator,
                "expires": expires.isoformat(),
            },
        )
