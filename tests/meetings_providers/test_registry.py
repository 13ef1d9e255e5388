"""The provider is chosen by settings; a wrong name fails loudly."""

from __future__ import annotations

import pytest

from madoguchi.meetings.providers import (
    UnknownProvider,
    VideoProvider,
    get_provider,
    room_name,
)
from madoguchi.meetings.providers.builtin import BuiltinProvider
from madoguchi.meetings.providers.jitsi import JitsiProvider
from madoguchi.meetings.providers.livekit import LiveKitProvider


def test_builtin_is_the_default(settings):
    del settings.MEETINGS_PROVIDER
    assert isinstance(get_provider(), BuiltinProvider)


@pytest.mark.parametrize(("name", "cls"), [
    ("builtin", BuiltinProvider), ("jitsi", JitsiProvider), ("livekit", LiveKitProvider),
    ("LiveKit", LiveKitProvider),
])
def test_settings_pick_the_provider(settings, name, cls):
    settings.MEETINGS_PROVIDER = name
    provider = get_provider()
    assert isinstance(provider, cls)
    assert isinstance(provider, VideoProvider)


def test_an_unknown_provider_is_refused_with_the_choices(settings):
    settings.MEETINGS_PROVIDER = "zoom"
    with pytest.raises(UnknownProvider, match=r"'zoom'.*builtin, jitsi, livekit"):
        get_provider()


def test_room_names_come_from_the_room_id_alone_and_reveal_nothing():
    name = room_name("42")
    assert name == room_name("42") != room_name("43")
    assert "42" not in name.removeprefix("madoguchi-")
    assert name.startswith("madoguchi-") and len(name) == len("madoguchi-") + 32


def test_room_names_change_with_the_site_secret(settings):
    before = room_name("42")
    settings.SECRET_KEY = "another-secret-for-another-site"
    assert room_name("42") != before
