"""`manage.py check` names what a chosen provider still needs."""

from __future__ import annotations

from madoguchi.meetings.providers.checks import video_settings_check


def ids(settings_messages):
    return sorted(message.id for message in settings_messages)


def test_the_embedded_default_passes(settings):
    settings.MEETINGS_PROVIDER = "builtin"
    settings.MEETINGS_TURN_URLS = []
    settings.MEETINGS_TURN_SECRET = ""
    settings.MEETINGS_RECORDING_KEY = []
    assert video_settings_check() == []


def test_an_unknown_provider_is_an_error(settings):
    settings.MEETINGS_PROVIDER = "skype"
    assert ids(video_settings_check()) == ["meetings.E001"]


def test_livekit_without_credentials_is_named(settings):
    settings.MEETINGS_PROVIDER = "livekit"
    settings.MEETINGS_LIVEKIT_URL = "wss://livekit.example"
    settings.MEETINGS_LIVEKIT_API_KEY = ""
    settings.MEETINGS_LIVEKIT_API_SECRET = ""
    messages = video_settings_check()
    assert ids(messages) == ["meetings.E003", "meetings.E003"]
    assert "MEETINGS_LIVEKIT_API_SECRET" in " ".join(m.msg for m in messages)


def test_jitsi_rs256_needs_a_key_file(settings, tmp_path):
    settings.MEETINGS_PROVIDER = "jitsi"
    settings.MEETINGS_JITSI_URL = "https://meet.example"
    settings.MEETINGS_JITSI_ALGORITHM = "RS256"
    settings.MEETINGS_JITSI_PRIVATE_KEY_FILE = str(tmp_path / "missing.pem")
    assert ids(video_settings_check()) == ["meetings.E004"]


def test_turn_half_configured_and_a_bad_recording_key_are_reported(settings):
    settings.MEETINGS_PROVIDER = "builtin"
    settings.MEETINGS_TURN_URLS = ["turn:turn.example:3478"]
    settings.MEETINGS_TURN_SECRET = ""
    settings.MEETINGS_RECORDING_KEY = ["short"]
    assert ids(video_settings_check()) == ["meetings.E005", "meetings.W001"]
