"""The small interface every video provider implements.

A provider turns "this participant may join this room now, until then" into what the
participant's browser needs to connect: a URL and a signed token for a media server, or,
for the built-in WebRTC mesh, the ICE servers. It never sees a resident's record: the
caller passes an opaque reference (``user_ref``, e.g. the participant row's id) and the
display name the other participants will see, and nothing else about the person.

The lobby is the meetings app's: a participant waits there until staff admit them, and the
app asks the provider for a join config afterwards (``admitted=True``). Providers whose media
server can hold a participant without media rights (LiveKit, ``media_lobby = True``) may
also be asked before admission (``admitted=False``); they then return a "waiting" config
that lets the participant in without publishing or seeing anyone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable

from django.utils.crypto import salted_hmac


class ProviderError(Exception):
    """Base class of the errors a provider raises."""


class ProviderNotConfigured(ProviderError):
    """A setting the provider needs (a secret, a key file, a URL) is missing or unusable.

    The message names the environment variable to set, never its value.
    """


class UnknownProvider(ProviderError):
    """``MEETINGS_PROVIDER`` names no registered provider."""


class NotAdmitted(ProviderError):
    """A join config was asked for a participant still in the lobby, from a provider whose
    media server has no lobby of its own (the app's lobby must hold them)."""


@dataclass(frozen=True)
class JoinConfig:
    """What a participant's browser needs to join one call.

    ``url`` and ``token`` are ``None`` for the built-in provider; ``extra`` carries what is
    specific to one provider (ICE servers, the lobby state, the token's expiry). Everything
    here is meant for that participant's browser: it holds no other participant's data.
    """

    provider: str
    room_name: str
    url: str | None = None
    token: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form for a view or a WebSocket message."""
        return {
            "provider": self.provider,
            "room_name": self.room_name,
            "url": self.url,
            "token": self.token,
            "extra": dict(self.extra),
        }


@runtime_checkable
class VideoProvider(Protocol):
    """The interface of a video provider; see the module docstring."""

    name: ClassVar[str]
    #: Whether the media server can hold a participant who has not been admitted yet.
    media_lobby: ClassVar[bool]

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
        """The config for one participant of one room, valid from ``not_before`` until
        ``expires`` (aware datetimes). Moderators are always admitted."""
        ...


ROOM_NAME_SALT = "madoguchi.meetings.providers.room_name"


def room_name(room_id: str) -> str:
    """The media server's name for a room: derived from the room's id alone, keyed with
    the site's secret, so that it tells nothing about the room (no booking number, no
    name, no count of rooms) and cannot be guessed from another room's name."""
    if not str(room_id):
        raise ValueError("room_id must not be empty")
    digest = salted_hmac(ROOM_NAME_SALT, str(room_id), algorithm="sha256").hexdigest()
    return f"madoguchi-{digest[:32]}"


def check_window(*, not_before: dt.datetime, expires: dt.datetime) -> None:
    """Refuse naive datetimes and an empty or inverted validity window."""
    for label, value in (("not_before", not_before), ("expires", expires)):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{label} must be an aware datetime")
    if expires <= not_before:
        raise ValueError("expires must be after not_before")


def check_participant(*, user_ref: str, display_name: str) -> None:
    if not str(user_ref).strip():
        raise ValueError("user_ref must not be empty")
    if not display_name.strip():
        raise ValueError("display_name must not be empty")


def check_admitted_join(*, provider: str, not_before: dt.datetime, expires: dt.datetime,
                        user_ref: str, display_name: str, admitted: bool,
                        moderator: bool) -> None:
    """The checks of a provider whose own server has no lobby: a valid window and
    participant, and only admitted participants or moderators (our lobby holds the rest)."""
    check_window(not_before=not_before, expires=expires)
    check_participant(user_ref=user_ref, display_name=display_name)
    if not (admitted or moderator):
        raise NotAdmitted(f"{provider} joins admitted participants only; "
                          "the lobby holds the others")
