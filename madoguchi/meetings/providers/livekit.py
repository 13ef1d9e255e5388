"""LiveKit as the media server (SFU), with access tokens from the ``livekit-api`` package.

Each participant's token carries their opaque identity (``user_ref``), the display name the
others see, and a room-join grant for exactly one room. Moderators (the section's staff)
also get ``roomAdmin``, so that their client may mute or remove others; nobody gets
``roomRecord`` or ``roomCreate``: recording goes through madoguchi.meetings.recording.

The lobby is emulated the way LiveKit's documentation describes: a participant who has not
been admitted joins with a "waiting" token — in the room, but hidden and without the right
to publish, subscribe or send data — and is admitted when a moderator (or the server, on
the moderator's request) updates their permissions with ``UpdateParticipant``
(``admit_request``), or by connecting again with an "admitted" token. Revoking
``canPublish`` later unpublishes their tracks.

LiveKit's tokens are valid from the moment they are minted (the library sets ``nbf`` itself)
until ``expires``; so this provider refuses to mint before ``not_before``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.utils import timezone

from madoguchi.meetings.providers.base import (
    JoinConfig,
    ProviderError,
    ProviderNotConfigured,
    check_participant,
    check_window,
    room_name,
)

if TYPE_CHECKING:
    from livekit.api import UpdateParticipantRequest, VideoGrants

WAITING = "waiting"
ADMITTED = "admitted"
#: Participant attribute naming the lobby state; the moderators' client reads it.
LOBBY_ATTRIBUTE = "madoguchi.lobby"


class OutsideWindow(ProviderError):
    """A LiveKit token was asked for before ``not_before`` or after ``expires``."""


def grants_for(*, room: str, moderator: bool, admitted: bool) -> VideoGrants:
    """The room grants of one participant: waiting, admitted or moderator."""
    from livekit.api import VideoGrants

    if moderator:
        return VideoGrants(room_join=True, room=room, room_admin=True, can_publish=True,
                           can_subscribe=True, can_publish_data=True,
                           can_update_own_metadata=False)
    if admitted:
        return VideoGrants(room_join=True, room=room, can_publish=True, can_subscribe=True,
                           can_publish_data=True, can_update_own_metadata=False)
    return VideoGrants(room_join=True, room=room, can_publish=False, can_subscribe=False,
                       can_publish_data=False, hidden=True, can_update_own_metadata=False)


class LiveKitProvider:
    name: ClassVar[str] = "livekit"
    media_lobby: ClassVar[bool] = True

    def _credentials(self) -> tuple[str, str]:
        key = settings.MEETINGS_LIVEKIT_API_KEY
        secret = settings.MEETINGS_LIVEKIT_API_SECRET
        if not key or not secret:
            raise ProviderNotConfigured(
                "the LiveKit provider needs MEETINGS_LIVEKIT_API_KEY and "
                "MEETINGS_LIVEKIT_API_SECRET")
        return key, secret

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
        now: dt.datetime | None = None,
    ) -> JoinConfig:
        from livekit.api import AccessToken

        check_window(not_before=not_before, expires=expires)
        check_participant(user_ref=user_ref, display_name=display_name)
        url = settings.MEETINGS_LIVEKIT_URL
        if not url:
            raise ProviderNotConfigured("the LiveKit provider needs MEETINGS_LIVEKIT_URL")
        key, secret = self._credentials()
        now = now or timezone.now()
        if now < not_before:
            raise OutsideWindow("the call has not opened yet")
        if now >= expires:
            raise OutsideWindow("the call has ended")
        admitted = admitted or moderator
        name = room_name(room_id)
        state = ADMITTED if admitted else WAITING
        token = (
            AccessToken(key, secret)
            .with_identity(str(user_ref))
            .with_name(display_name)
            .with_ttl(expires - now)
            .with_attributes({LOBBY_ATTRIBUTE: state})
            .with_grants(grants_for(room=name, moderator=moderator, admitted=admitted))
            .to_jwt()
        )
        return JoinConfig(
            provider=self.name,
            room_name=name,
            url=url,
            token=token,
            extra={"lobby": state, "moderator": moderator, "expires": expires.isoformat()},
        )

    def admit_request(self, *, room_id: str, user_ref: str) -> UpdateParticipantRequest:
        """The ``UpdateParticipant`` request that lets a waiting participant in: visible,
        publishing, subscribing and sending data (chat)."""
        from livekit.api import ParticipantPermission, UpdateParticipantRequest

        return UpdateParticipantRequest(
            room=room_name(room_id),
            identity=str(user_ref),
            permission=ParticipantPermission(can_subscribe=True, can_publish=True,
                                             can_publish_data=True, hidden=False),
            attributes={LOBBY_ATTRIBUTE: ADMITTED},
        )

    async def admit(self, *, room_id: str, user_ref: str) -> None:
        """Send ``admit_request`` to the LiveKit server (from the meetings app's admit
        service, after the staff member admitted the participant)."""
        from livekit.api import LiveKitAPI

        key, secret = self._credentials()
        url = settings.MEETINGS_LIVEKIT_URL
        if not url:
            raise ProviderNotConfigured("the LiveKit provider needs MEETINGS_LIVEKIT_URL")
        async with LiveKitAPI(url, key, secret) as client:
            await client.room.update_participant(
                self.admit_request(room_id=room_id, user_ref=user_ref))

    async def remove(self, *, room_id: str, user_ref: str) -> None:
        """Remove a participant from the LiveKit room (refused or removed in the lobby)."""
        from livekit.api import LiveKitAPI, RoomParticipantIdentity

        key, secret = self._credentials()
        url = settings.MEETINGS_LIVEKIT_URL
        if not url:
            raise ProviderNotConfigured("the LiveKit provider needs MEETINGS_LIVEKIT_URL")
        async with LiveKitAPI(url, key, secret) as client:
            await client.room.remove_participant(
                RoomParticipantIdentity(room=room_name(room_id), identity=str(user_ref)))
