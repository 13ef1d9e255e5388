"""LiveKit tokens verified with LiveKit's own TokenVerifier (what the server does), and
the lobby emulated with waiting and admitted grants."""

from __future__ import annotations

import datetime as dt

import jwt
import pytest
from django.utils import timezone
from livekit.api import TokenVerifier

from madoguchi.meetings.providers import ProviderNotConfigured, get_provider, room_name
from madoguchi.meetings.providers.livekit import LOBBY_ATTRIBUTE, OutsideWindow

KEY = "APImadoguchiTest"
SECRET = "livekit-secret-for-tests-0123456789abcdef"


@pytest.fixture
def livekit(settings):
    settings.MEETINGS_PROVIDER = "livekit"
    settings.MEETINGS_LIVEKIT_URL = "wss://livekit.setagaya.example"
    settings.MEETINGS_LIVEKIT_API_KEY = KEY
    settings.MEETINGS_LIVEKIT_API_SECRET = SECRET
    return get_provider()


def join(provider, window, **overrides):
    not_before, expires = window
    kwargs = dict(room_id="1234", user_ref="p-77", display_name="世田谷 花子",
                  moderator=False, not_before=not_before, expires=expires)
    kwargs.update(overrides)
    return provider.join_config(**kwargs)


def verify(token, key=KEY, secret=SECRET):
    return TokenVerifier(key, secret).verify(token)


def test_waiting_participant_joins_hidden_without_media_rights(livekit, window):
    config = join(livekit, window, admitted=False)
    claims = verify(config.token)
    assert config.url == "wss://livekit.setagaya.example"
    assert config.extra["lobby"] == "waiting"
    assert claims.identity == "p-77"
    assert claims.name == "世田谷 花子"
    assert claims.attributes == {LOBBY_ATTRIBUTE: "waiting"}
    video = claims.video
    assert video.room_join is True
    assert video.room == room_name("1234") == config.room_name
    assert video.can_publish is False
    assert video.can_subscribe is False
    assert video.can_publish_data is False
    assert video.hidden is True
    assert not video.room_admin


def test_admitted_participant_publishes_and_subscribes(livekit, window):
    claims = verify(join(livekit, window, admitted=True).token)
    video = claims.video
    assert video.room == room_name("1234")
    assert video.can_publish is True and video.can_subscribe is True
    assert video.can_publish_data is True
    assert not video.hidden
    assert not video.room_admin
    assert claims.attributes == {LOBBY_ATTRIBUTE: "admitted"}


def test_moderators_are_room_admins_and_never_wait(livekit, window):
    claims = verify(join(livekit, window, moderator=True, admitted=False).token)
    assert claims.video.room_admin is True
    assert claims.video.can_publish is True
    assert claims.attributes == {LOBBY_ATTRIBUTE: "admitted"}


def test_nobody_may_record_or_create_rooms_through_a_token(livekit, window):
    for moderator in (False, True):
        video = verify(join(livekit, window, moderator=moderator).token).video
        assert not video.room_record and not video.room_create and not video.room_list


def test_token_expires_with_the_call(livekit, window):
    _, expires = window
    raw = jwt.decode(join(livekit, window).token, SECRET, algorithms=["HS256"], issuer=KEY)
    assert abs(raw["exp"] - expires.timestamp()) <= 2


def test_server_refuses_a_token_signed_with_another_secret(livekit, window):
    token = join(livekit, window).token
    with pytest.raises(jwt.InvalidSignatureError):
        verify(token, secret="another-secret-0123456789abcdef-xyz")
    with pytest.raises(jwt.InvalidIssuerError):
        verify(token, key="APIsomeoneElse")


def test_no_token_before_the_call_opens_or_after_it_ended(livekit):
    now = timezone.now()
    with pytest.raises(OutsideWindow, match="not opened"):
        join(livekit, (now + dt.timedelta(minutes=10), now + dt.timedelta(hours=1)))
    with pytest.raises(OutsideWindow, match="ended"):
        join(livekit, (now - dt.timedelta(hours=2), now - dt.timedelta(seconds=1)))


def test_admitting_updates_the_waiting_participants_permissions(livekit):
    request = livekit.admit_request(room_id="1234", user_ref="p-77")
    assert request.room == room_name("1234")
    assert request.identity == "p-77"
    permission = request.permission
    assert permission.can_publish and permission.can_subscribe and permission.can_publish_data
    assert permission.hidden is False
    assert dict(request.attributes) == {LOBBY_ATTRIBUTE: "admitted"}


@pytest.mark.parametrize("missing", ["MEETINGS_LIVEKIT_API_KEY", "MEETINGS_LIVEKIT_API_SECRET",
                                     "MEETINGS_LIVEKIT_URL"])
def test_missing_configuration_is_named(livekit, window, settings, missing):
    setattr(settings, missing, "")
    with pytest.raises(ProviderNotConfigured, match=missing):
        join(livekit, window)
