"""System checks of the video settings (``manage.py check``, and every server start).

Register from the meetings app's ``AppConfig.ready()``::

    from django.core import checks
    from madoguchi.meetings.providers.checks import video_settings_check
    checks.register(video_settings_check, checks.Tags.security)

Messages name the variable to set, never a value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks

from madoguchi.meetings.providers import REGISTRY

NEEDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("jitsi", "HS256"): ("MEETINGS_JITSI_URL", "MEETINGS_JITSI_SECRET"),
    ("jitsi", "RS256"): ("MEETINGS_JITSI_URL", "MEETINGS_JITSI_PRIVATE_KEY_FILE"),
    ("livekit", ""): ("MEETINGS_LIVEKIT_URL", "MEETINGS_LIVEKIT_API_KEY",
                      "MEETINGS_LIVEKIT_API_SECRET"),
}


def video_settings_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    provider = str(getattr(settings, "MEETINGS_PROVIDER", "builtin")).strip().lower()
    if provider not in REGISTRY:
        return [checks.Error(
            f"MEETINGS_PROVIDER={provider!r} is not a video provider",
            hint=f"choose one of: {', '.join(sorted(REGISTRY))}", id="meetings.E001")]
    algorithm = str(settings.MEETINGS_JITSI_ALGORITHM).upper() if provider == "jitsi" else ""
    if provider == "jitsi" and algorithm not in ("HS256", "RS256"):
        messages.append(checks.Error("MEETINGS_JITSI_ALGORITHM must be HS256 or RS256",
                                     id="meetings.E002"))
    for name in NEEDS.get((provider, algorithm), ()):
        if not getattr(settings, name, ""):
            messages.append(checks.Error(
                f"MEETINGS_PROVIDER={provider} needs {name}", id="meetings.E003"))
    key_file = settings.MEETINGS_JITSI_PRIVATE_KEY_FILE
    if provider == "jitsi" and algorithm == "RS256" and key_file and not Path(key_file).is_file():
        messages.append(checks.Error("MEETINGS_JITSI_PRIVATE_KEY_FILE is not a readable file",
                                     id="meetings.E004"))
    if bool(settings.MEETINGS_TURN_URLS) != bool(settings.MEETINGS_TURN_SECRET):
        messages.append(checks.Warning(
            "MEETINGS_TURN_URLS and MEETINGS_TURN_SECRET only work together",
            hint="see docs/coturn.md", id="meetings.W001"))
    if settings.MEETINGS_RECORDING_KEY:
        from madoguchi.meetings.recording import RecordingKeyMissing
        from madoguchi.meetings.recording.storage import recording_fernet

        try:
            recording_fernet()
        except RecordingKeyMissing as error:
            messages.append(checks.Error(str(error), id="meetings.E005"))
    return messages
