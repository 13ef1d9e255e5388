"""No recording unless enabled for the call and every participant consented."""

from __future__ import annotations

import pytest

from madoguchi.meetings.recording import (
    RecordingRefused,
    ensure_recording_allowed,
    recording_allowed,
    recording_decision,
)

EVERYONE = ["staff-1", "resident-2", "agency-3"]


def test_recording_is_allowed_only_with_every_consent_and_enabled():
    consents = dict.fromkeys(EVERYONE, True)
    assert recording_allowed(enabled=True, participant_consents=consents)
    assert recording_decision(enabled=True, participants=EVERYONE,
                              participant_consents=consents).allowed


def test_not_enabled_for_the_call_means_no_recording():
    consents = dict.fromkeys(EVERYONE, True)
    decision = recording_decision(enabled=False, participants=EVERYONE,
                                  participant_consents=consents)
    assert not decision and "not enabled" in decision.reason


def test_a_missing_consent_refuses_recording():
    consents = {"staff-1": True, "resident-2": True}
    decision = recording_decision(enabled=True, participants=EVERYONE,
                                  participant_consents=consents)
    assert not decision
    assert decision.missing == ("agency-3",)
    assert not recording_allowed(enabled=True, participants=EVERYONE,
                                 participant_consents=consents)


@pytest.mark.parametrize("answer", [False, None, "yes", 1])
def test_only_a_recorded_yes_counts_as_consent(answer):
    consents = {"staff-1": True, "resident-2": answer}
    assert not recording_allowed(enabled=True, participant_consents=consents)


def test_a_call_with_nobody_in_it_is_not_recorded():
    assert not recording_allowed(enabled=True, participant_consents={})


def test_someone_joining_without_consent_stops_the_recording():
    consents = {"staff-1": True, "resident-2": True}
    assert recording_allowed(enabled=True, participants=["staff-1", "resident-2"],
                             participant_consents=consents)
    assert not recording_allowed(enabled=True, participants=["staff-1", "resident-2", "guest-4"],
                                 participant_consents=consents)


def test_ensure_raises_with_the_reason():
    with pytest.raises(RecordingRefused, match="1 participant"):
        ensure_recording_allowed(enabled=True, participants=["a", "b"],
                                 participant_consents={"a": True})
