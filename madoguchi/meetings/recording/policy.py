"""Whether a call may be recorded: the section enabled it for this one call and every
participant's consent is recorded (a pure function, asked before starting and whenever
someone joins); and the errors of recording."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


class RecordingError(Exception):
    """Base class of the recording errors; messages are safe to show to staff."""


class RecordingRefused(RecordingError):
    """The policy does not allow this recording (not enabled, or a consent missing)."""


class RecordingKeyMissing(RecordingError, ImproperlyConfigured):
    """``MEETINGS_RECORDING_KEY`` is unset or not a Fernet key: nothing is stored."""


class RecordingCorrupt(RecordingError):
    """A stored recording cannot be decrypted with the configured keys, or is incomplete."""


@dataclass(frozen=True)
class RecordingDecision:
    allowed: bool
    reason: str
    missing: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.allowed


def recording_decision(
    *,
    enabled: bool,
    participants: Collection[str],
    participant_consents: Mapping[str, bool],
) -> RecordingDecision:
    """Whether a call may be recorded now.

    ``enabled``: the section switched recording on for this call. ``participants``: the
    references of everyone in the call (or admitted to it). ``participant_consents``: the
    recorded answer of each; a participant with no entry, or anything but ``True``, has not
    consented. A call with nobody in it is not recorded either.
    """
    if not enabled:
        return RecordingDecision(False, "recording is not enabled for this call")
    refs = [str(ref) for ref in participants]
    if not refs:
        return RecordingDecision(False, "nobody is in the call")
    missing = tuple(sorted(ref for ref in set(refs) if participant_consents.get(ref) is not True))
    if missing:
        return RecordingDecision(
            False, f"{len(missing)} participant(s) have not consented to recording", missing)
    return RecordingDecision(True, "every participant consented")


def recording_allowed(
    *,
    enabled: bool,
    participant_consents: Mapping[str, bool],
    participants: Collection[str] | None = None,
) -> bool:
    """``recording_decision`` as a bool; without ``participants``, everyone who has an
    entry in ``participant_consents`` is taken to be in the call."""
    refs = list(participant_consents) if participants is None else participants
    return recording_decision(enabled=enabled, participants=refs,
                              participant_consents=participant_consents).allowed


def ensure_recording_allowed(
    *,
    enabled: bool,
    participants: Collection[str],
    participant_consents: Mapping[str, bool],
) -> None:
    """``recording_decision``, raising ``RecordingRefused`` when it says no."""
    decision = recording_decision(enabled=enabled, participants=participants,
                                  participant_consents=participant_consents)
    if not decision:
        raise RecordingRefused(decision.reason)
