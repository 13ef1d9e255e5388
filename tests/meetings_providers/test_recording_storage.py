"""Recordings are stored encrypted, refused without a key, and deleted after retention."""

from __future__ import annotations

import datetime as dt
import io
import os
import stat

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from madoguchi.meetings import recording
from madoguchi.meetings.recording import (
    MAGIC,
    RecordingCorrupt,
    RecordingKeyMissing,
    RecordingRefused,
    delete_recording,
    purge_expired_recordings,
    read_recording,
    store_recording,
    sweep_expired_recordings,
)

CONSENTED = {"staff-1": True, "resident-2": True}


@pytest.fixture
def store(settings, tmp_path):
    settings.MEETINGS_RECORDING_KEY = [Fernet.generate_key().decode()]
    settings.MEETINGS_RECORDING_DIR = tmp_path / "recordings"
    settings.MEETINGS_RECORDING_RETENTION_DAYS = 30

    def save(source=b"video bytes", call_ref="call-1", **kwargs):
        kwargs.setdefault("enabled", True)
        kwargs.setdefault("participants", list(CONSENTED))
        kwargs.setdefault("participant_consents", CONSENTED)
        return store_recording(source=source, call_ref=call_ref, **kwargs)

    return save


def test_round_trip_and_no_plaintext_on_disk(store, settings):
    data = os.urandom(1000) + "録画".encode() + b"PLAINTEXT-MARKER"
    stored = store(data)
    assert stored.path.parent == settings.MEETINGS_RECORDING_DIR
    assert stored.size == len(data)
    raw = stored.path.read_bytes()
    assert raw.startswith(MAGIC)
    assert b"PLAINTEXT-MARKER" not in raw
    assert read_recording(stored.path) == data
    assert stat.S_IMODE(stored.path.stat().st_mode) == 0o600
    assert [p.name for p in settings.MEETINGS_RECORDING_DIR.iterdir()] == [stored.name]


def test_large_recordings_are_encrypted_in_chunks(store, monkeypatch, tmp_path):
    monkeypatch.setattr(recording.storage, "CHUNK_SIZE", 1000)
    source = tmp_path / "call.webm"
    data = os.urandom(3500)
    source.write_bytes(data)
    stored = store(source)
    assert read_recording(stored.path) == data
    assert b"".join(recording.iter_recording(stored.path)) == data
    with source.open("rb") as handle:
        assert read_recording(store(handle, call_ref="call-2").path) == data


def test_an_empty_recording_round_trips(store):
    assert read_recording(store(io.BytesIO(b"")).path) == b""


def test_a_truncated_or_tampered_file_is_refused(store, monkeypatch):
    monkeypatch.setattr(recording.storage, "CHUNK_SIZE", 100)
    stored = store(os.urandom(350))
    raw = stored.path.read_bytes()
    stored.path.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(RecordingCorrupt, match="incomplete"):
        read_recording(stored.path)
    # Cut at a chunk boundary: every remaining chunk decrypts, but the last one is missing.
    first_length = int.from_bytes(raw[len(MAGIC):len(MAGIC) + 4], "big")
    stored.path.write_bytes(raw[: len(MAGIC) + 4 + first_length])
    with pytest.raises(RecordingCorrupt, match="incomplete"):
        read_recording(stored.path)
    stored.path.write_bytes(raw[:-5] + b"xxxxx")
    with pytest.raises(RecordingCorrupt, match="cannot be decrypted"):
        read_recording(stored.path)


def test_the_key_rotates_old_recordings_stay_readable(store, settings):
    stored = store(b"before rotation")
    settings.MEETINGS_RECORDING_KEY = [Fernet.generate_key().decode(),
                                       *settings.MEETINGS_RECORDING_KEY]
    assert read_recording(stored.path) == b"before rotation"
    settings.MEETINGS_RECORDING_KEY = [Fernet.generate_key().decode()]
    with pytest.raises(RecordingCorrupt):
        read_recording(stored.path)


@pytest.mark.parametrize("key", [[], "", ["not-a-fernet-key"]])
def test_without_a_usable_key_nothing_is_stored(store, settings, key):
    settings.MEETINGS_RECORDING_KEY = key
    with pytest.raises(RecordingKeyMissing, match="MEETINGS_RECORDING_KEY") as caught:
        store(b"secret call")
    assert isinstance(caught.value, ImproperlyConfigured)
    folder = settings.MEETINGS_RECORDING_DIR
    assert not folder.exists() or not any(folder.iterdir())


def test_without_every_consent_nothing_is_stored(store, settings):
    with pytest.raises(RecordingRefused):
        store(participant_consents={"staff-1": True})
    with pytest.raises(RecordingRefused):
        store(enabled=False)
    folder = settings.MEETINGS_RECORDING_DIR
    assert not folder.exists() or not any(folder.iterdir())


@pytest.mark.parametrize("call_ref", ["../escape", "", "a/b", "山田"])
def test_the_call_reference_cannot_leave_the_folder_or_name_a_person(store, call_ref):
    with pytest.raises(ValueError):
        store(call_ref=call_ref)


def test_two_recordings_of_one_call_in_one_second_both_kept(store):
    at = dt.datetime(2026, 4, 1, 10, 0, tzinfo=dt.UTC)
    first = store(b"one", recorded_at=at)
    second = store(b"two", recorded_at=at)
    assert first.path != second.path
    assert read_recording(first.path) == b"one" and read_recording(second.path) == b"two"


def test_retention_deletes_only_old_recordings(store, settings):
    now = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
    old = store(b"old", call_ref="old", recorded_at=now - dt.timedelta(days=31))
    edge = store(b"edge", call_ref="edge", recorded_at=now - dt.timedelta(days=29, hours=23))
    new = store(b"new", call_ref="new", recorded_at=now - dt.timedelta(days=1))
    folder = settings.MEETINGS_RECORDING_DIR
    unrelated = folder / "README.txt"
    unrelated.write_text("not a recording")
    os.utime(unrelated, (0, 0))

    deleted = purge_expired_recordings(now=now)

    assert deleted == [old.path]
    assert not old.path.exists()
    assert edge.path.exists() and new.path.exists() and unrelated.exists()


def test_retention_period_comes_from_settings(store, settings):
    now = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
    week_old = store(b"w", recorded_at=now - dt.timedelta(days=8))
    assert purge_expired_recordings(now=now) == []
    settings.MEETINGS_RECORDING_RETENTION_DAYS = 7
    assert purge_expired_recordings(now=now) == [week_old.path]


def test_retention_removes_partial_files_left_by_a_crash(store, settings):
    store(b"x")
    folder = settings.MEETINGS_RECORDING_DIR
    crashed = folder / ".partial-abc"
    crashed.write_bytes(b"half")
    os.utime(crashed, (0, 0))
    writing = folder / ".partial-def"
    writing.write_bytes(b"now")
    assert purge_expired_recordings() == [crashed]
    assert writing.exists()


def test_retention_sweep_is_a_task_the_worker_runs(store, settings):
    old = store(b"old", recorded_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert sweep_expired_recordings.call() == "deleted 1"
    assert not old.path.exists()
    assert sweep_expired_recordings.module_path == (
        "madoguchi.meetings.recording.sweep_expired_recordings")


def test_retention_with_no_folder_yet_does_nothing(settings, tmp_path):
    settings.MEETINGS_RECORDING_DIR = tmp_path / "absent"
    assert purge_expired_recordings() == []


def test_delete_one_recording_and_only_recordings(store, settings, tmp_path):
    stored = store(b"x")
    assert delete_recording(stored.path) is True
    assert delete_recording(stored.path) is False
    other = tmp_path / "call-1--20260101T000000Z.rec"
    other.write_bytes(b"elsewhere")
    with pytest.raises(ValueError):
        delete_recording(other)
    assert other.exists()
