"""Jitsi tokens verified the way Prosody's token auth does: signature, audience, issuer,
nbf/exp, then the room and the user context."""

from __future__ import annotations

import datetime as dt

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils import timezone

from madoguchi.meetings.providers import NotAdmitted, ProviderNotConfigured, room_name
from madoguchi.meetings.providers.jitsi import JitsiProvider

SECRET = "prosody-app-secret-for-tests-0123456789"


@pytest.fixture
def jitsi(settings):
    settings.MEETINGS_PROVIDER = "jitsi"
    settings.MEETINGS_JITSI_URL = "https://meet.setagaya.example/"
    settings.MEETINGS_JITSI_APP_ID = "madoguchi"
    settings.MEETINGS_JITSI_AUDIENCE = "jitsi"
    settings.MEETINGS_JITSI_SUBJECT = "meet.setagaya.example"
    settings.MEETINGS_JITSI_ALGORITHM = "HS256"
    settings.MEETINGS_JITSI_SECRET = SECRET
    settings.MEETINGS_JITSI_PRIVATE_KEY_FILE = ""
    settings.MEETINGS_JITSI_KEY_ID = ""
    return JitsiProvider()


@pytest.fixture
def rsa_keys(tmp_path, settings):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    path = tmp_path / "jitsi-private.pem"
    path.write_bytes(pem)
    public = private.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    return path, public


def join(provider, window, **overrides):
    not_before, expires = window
    kwargs = dict(room_id="1234", user_ref="p-77", display_name="世田谷 花子",
                  moderator=False, not_before=not_before, expires=expires)
    kwargs.update(overrides)
    return provider.join_config(**kwargs)


def verify(token, key, algorithm="HS256", audience="jitsi", issuer="madoguchi"):
    return jwt.decode(token, key, algorithms=[algorithm], audience=audience, issuer=issuer,
                      options={"require": ["exp", "nbf", "aud", "iss", "sub", "room"]})


def test_hs256_token_names_the_room_the_user_and_the_window(jitsi, window):
    config = join(jitsi, window)
    claims = verify(config.token, SECRET)
    not_before, expires = window
    assert config.provider == "jitsi"
    assert config.room_name == room_name("1234") == claims["room"]
    assert config.url == f"https://meet.setagaya.example/{config.room_name}"
    assert claims["sub"] == "meet.setagaya.example"
    assert claims["nbf"] == int(not_before.timestamp())
    assert claims["exp"] == int(expires.timestamp())
    assert claims["context"]["user"] == {"id": "p-77", "name": "世田谷 花子",
                                         "moderator": "false", "affiliation": "member"}


def test_the_token_carries_nothing_personal_but_the_display_name(jitsi, window):
    claims = verify(join(jitsi, window).token, SECRET)
    assert set(claims) == {"iss", "aud", "sub", "room", "nbf", "exp", "context"}
    assert set(claims["context"]) == {"user"}
    assert "email" not in claims["context"]["user"]
    assert "avatar" not in claims["context"]["user"]


def test_staff_are_moderators(jitsi, window):
    claims = verify(join(jitsi, window, moderator=True).token, SECRET)
    assert claims["context"]["user"]["moderator"] == "true"
    assert claims["context"]["user"]["affiliation"] == "owner"


def test_server_refuses_wrong_audience_issuer_or_secret(jitsi, window):
    token = join(jitsi, window).token
    with pytest.raises(jwt.InvalidAudienceError):
        verify(token, SECRET, audience="other-app")
    with pytest.raises(jwt.InvalidIssuerError):
        verify(token, SECRET, issuer="someone-else")
    with pytest.raises(jwt.InvalidSignatureError):
        verify(token, "not-the-secret-0123456789-abcdefghij")


def test_an_expired_token_is_rejected(jitsi):
    now = timezone.now()
    config = join(jitsi, (now - dt.timedelta(hours=2), now - dt.timedelta(minutes=1)))
    with pytest.raises(jwt.ExpiredSignatureError):
        verify(config.token, SECRET)


def test_a_token_before_its_time_is_rejected(jitsi):
    now = timezone.now()
    config = join(jitsi, (now + dt.timedelta(hours=1), now + dt.timedelta(hours=2)))
    with pytest.raises(jwt.ImmatureSignatureError):
        verify(config.token, SECRET)


def test_rs256_token_verifies_with_the_public_key_and_names_its_kid(jitsi, window, settings,
                                                                    rsa_keys):
    path, public = rsa_keys
    settings.MEETINGS_JITSI_ALGORITHM = "RS256"
    settings.MEETINGS_JITSI_PRIVATE_KEY_FILE = str(path)
    settings.MEETINGS_JITSI_KEY_ID = "madoguchi/2026-01"
    settings.MEETINGS_JITSI_SECRET = ""
    token = join(jitsi, window, moderator=True).token
    assert jwt.get_unverified_header(token)["kid"] == "madoguchi/2026-01"
    claims = verify(token, public, algorithm="RS256")
    assert claims["room"] == room_name("1234")
    assert claims["context"]["user"]["moderator"] == "true"
    with pytest.raises(jwt.InvalidAlgorithmError):
        # A server configured for HS256 does not take an RS256 token.
        verify(token, public, algorithm="HS256")


def test_rs256_expired_token_is_rejected(jitsi, settings, rsa_keys):
    path, public = rsa_keys
    settings.MEETINGS_JITSI_ALGORITHM = "RS256"
    settings.MEETINGS_JITSI_PRIVATE_KEY_FILE = str(path)
    now = timezone.now()
    config = join(jitsi, (now - dt.timedelta(hours=2), now - dt.timedelta(minutes=1)))
    with pytest.raises(jwt.ExpiredSignatureError):
        verify(config.token, public, algorithm="RS256")


def test_waiting_participants_get_no_token(jitsi, window):
    with pytest.raises(NotAdmitted):
        join(jitsi, window, admitted=False)
    assert join(jitsi, window, admitted=False, moderator=True).token


@pytest.mark.parametrize(("changes", "names"), [
    ({"MEETINGS_JITSI_SECRET": ""}, "MEETINGS_JITSI_SECRET"),
    ({"MEETINGS_JITSI_URL": ""}, "MEETINGS_JITSI_URL"),
    ({"MEETINGS_JITSI_ALGORITHM": "none"}, "MEETINGS_JITSI_ALGORITHM"),
    ({"MEETINGS_JITSI_ALGORITHM": "RS256"}, "MEETINGS_JITSI_PRIVATE_KEY_FILE"),
    ({"MEETINGS_JITSI_ALGORITHM": "RS256",
      "MEETINGS_JITSI_PRIVATE_KEY_FILE": "/nonexistent/key.pem"},
     "MEETINGS_JITSI_PRIVATE_KEY_FILE"),
])
def test_missing_configuration_is_named(jitsi, window, settings, changes, names):
    for name, value in changes.items():
        setattr(settings, name, value)
    with pytest.raises(ProviderNotConfigured, match=names):
        join(jitsi, window)


def test_a_malformed_key_file_is_refused_without_quoting_it(jitsi, window, settings, tmp_path):
    path = tmp_path / "broken.pem"
    path.write_text("-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----\n")
    settings.MEETINGS_JITSI_ALGORITHM = "RS256"
    settings.MEETINGS_JITSI_PRIVATE_KEY_FILE = str(path)
    with pytest.raises(ProviderNotConfigured) as caught:
        join(jitsi, window)
    assert "c2VjcmV0" not in str(caught.value)


def test_naive_or_inverted_windows_are_refused(jitsi, window):
    not_before, expires = window
    with pytest.raises(ValueError, match="aware"):
        join(jitsi, (not_before.replace(tzinfo=None), expires))
    with pytest.raises(ValueError, match="after"):
        join(jitsi, (expires, not_before))
