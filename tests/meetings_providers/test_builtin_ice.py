"""The built-in provider hands out the configured ICE servers and mints coturn credentials
in the TURN REST API scheme (use-auth-secret)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac

import pytest

from madoguchi.meetings.providers import NotAdmitted, get_provider, room_name
from madoguchi.meetings.providers.builtin import turn_credentials

STUN = {"urls": ["stun:turn.setagaya.example:3478"]}


@pytest.fixture
def builtin(settings):
    settings.MEETINGS_PROVIDER = "builtin"
    settings.MEETINGS_ICE_SERVERS = [STUN]
    settings.MEETINGS_TURN_URLS = []
    settings.MEETINGS_TURN_SECRET = ""
    settings.MEETINGS_TURN_TTL_SECONDS = 3600
    return get_provider()


def test_turn_credentials_follow_coturns_rest_api_scheme():
    expiry = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)
    username, credential = turn_credentials(secret="north", ref="abc", expiry=expiry)
    assert username == f"{int(expiry.timestamp())}:abc" == "1775044800:abc"
    # What coturn computes from static-auth-secret=north for that user name:
    expected = base64.b64encode(
        hmac.new(b"north", b"1775044800:abc", hashlib.sha1).digest()).decode()
    assert credential == expected


def test_turn_credentials_refuse_an_empty_secret_or_a_separator_in_the_ref():
    expiry = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    with pytest.raises(ValueError):
        turn_credentials(secret="", ref="abc", expiry=expiry)
    with pytest.raises(ValueError):
        turn_credentials(secret="north", ref="a:b", expiry=expiry)


def test_without_turn_only_the_configured_servers_are_given(builtin, window):
    config = builtin.join_config(room_id="9", user_ref="p-1", display_name="職員",
                                 moderator=True, not_before=window[0], expires=window[1])
    assert config.provider == "builtin"
    assert config.url is None and config.token is None
    assert config.room_name == room_name("9")
    assert config.extra["ice_servers"] == [STUN]


def test_with_a_turn_secret_credentials_are_minted_per_participant(builtin, settings, window):
    settings.MEETINGS_TURN_URLS = ["turn:turn.setagaya.example:3478?transport=udp",
                                   "turns:turn.setagaya.example:5349?transport=tcp"]
    settings.MEETINGS_TURN_SECRET = "coturn-static-auth-secret"
    now = window[0] + dt.timedelta(minutes=5)
    servers = builtin.ice_servers(user_ref="p-1", expires=window[1], now=now)
    assert servers[0] == STUN
    turn = servers[1]
    assert turn["urls"] == settings.MEETINGS_TURN_URLS
    expiry, ref = turn["username"].split(":")
    assert int(expiry) == int((now + dt.timedelta(seconds=3600)).timestamp())
    assert "p-1" not in ref
    assert turn["credential"] == base64.b64encode(hmac.new(
        b"coturn-static-auth-secret", turn["username"].encode(), hashlib.sha1).digest()).decode()
    other = builtin.ice_servers(user_ref="p-2", expires=window[1], now=now)[1]
    assert other["username"] != turn["username"]


def test_turn_credentials_do_not_outlive_the_call(builtin, settings, window):
    settings.MEETINGS_TURN_URLS = ["turn:turn.setagaya.example:3478"]
    settings.MEETINGS_TURN_SECRET = "coturn-static-auth-secret"
    settings.MEETINGS_TURN_TTL_SECONDS = 24 * 3600
    turn = builtin.ice_servers(user_ref="p-1", expires=window[1])[1]
    assert int(turn["username"].split(":")[0]) == int(window[1].timestamp())


def test_the_configuration_is_not_shared_between_calls(builtin, window):
    servers = builtin.ice_servers(user_ref="p-1")
    servers[0]["urls"].append("stun:evil.example")
    assert builtin.ice_servers(user_ref="p-1") == [STUN]


def test_waiting_participants_get_no_ice_servers(builtin, window):
    with pytest.raises(NotAdmitted):
        builtin.join_config(room_id="9", user_ref="p-1", display_name="区民",
                            moderator=False, not_before=window[0], expires=window[1],
                            admitted=False)


def test_join_config_is_json_serialisable(builtin, window):
    import json

    config = builtin.join_config(room_id="9", user_ref="p-1", display_name="区民",
                                 moderator=False, not_before=window[0], expires=window[1])
    assert json.loads(json.dumps(config.as_dict()))["provider"] == "builtin"


def test_ice_servers_setting_is_parsed_from_json():
    from config import settings as config_settings

    assert isinstance(config_settings.MEETINGS_ICE_SERVERS, list)
