"""Video providers behind one small interface, chosen by ``settings.MEETINGS_PROVIDER``.

    from madoguchi.meetings.providers import get_provider

    config = get_provider().join_config(room_id=str(room.pk), user_ref=str(participant.pk),
                                        display_name=..., moderator=..., not_before=...,
                                        expires=..., admitted=...)

``builtin`` (browser WebRTC, the default), ``jitsi`` and ``livekit``; see base.py for the
interface and each module for what its tokens carry.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from madoguchi.meetings.providers.base import (
    JoinConfig,
    NotAdmitted,
    ProviderError,
    ProviderNotConfigured,
    UnknownProvider,
    VideoProvider,
    room_name,
)


def _builtin() -> VideoProvider:
    from madoguchi.meetings.providers.builtin import BuiltinProvider

    return BuiltinProvider()


def _jitsi() -> VideoProvider:
    from madoguchi.meetings.providers.jitsi import JitsiProvider

    return JitsiProvider()


def _livekit() -> VideoProvider:
    from madoguchi.meetings.providers.livekit import LiveKitProvider

    return LiveKitProvider()


#: name -> factory; imports are lazy so that an unused provider's library is never loaded.
REGISTRY: dict[str, Callable[[], VideoProvider]] = {
    "builtin": _builtin,
    "jitsi": _jitsi,
    "livekit": _livekit,
}


def get_provider(name: str | None = None) -> VideoProvider:
    """The provider named ``name``, or the one ``MEETINGS_PROVIDER`` selects."""
    chosen = (name if name is not None else getattr(settings, "MEETINGS_PROVIDER", "builtin"))
    key = str(chosen).strip().lower()
    try:
        factory = REGISTRY[key]
    except KeyError:
        raise UnknownProvider(
            f"MEETINGS_PROVIDER={chosen!r} is not a video provider; "
            f"choose one of: {', '.join(sorted(REGISTRY))}") from None
    return factory()


__all__ = [
    "REGISTRY",
    "JoinConfig",
    "NotAdmitted",
    "ProviderError",
    "ProviderNotConfigured",
    "UnknownProvider",
    "VideoProvider",
    "get_provider",
    "room_name",
]
