"""Recording policy and storage: no recording unless the section enabled it for this one
call and every participant's consent to it is recorded; then the file is stored encrypted
and deleted after the retention period.

This package knows no models. The meetings app passes plain values (the call's reference,
whether recording was enabled for it, each participant's recorded consent) and keeps the
returned metadata on its own rows.

- ``recording_decision`` / ``recording_allowed``: the policy, a pure function. The app asks
  it before starting a recording and again whenever someone joins; a participant without
  recorded consent stops the recording.
- ``store_recording``: checks the policy again, encrypts with Fernet
  (``MEETINGS_RECORDING_KEY``; refused while unset) and writes under
  ``MEETINGS_RECORDING_DIR`` (``var/recordings/``) with no plaintext on disk.
- ``recording_begin`` / ``recording_append`` / ``recording_finish``: the same file format
  written piece by piece while a call is recorded (the host's browser uploads a piece
  every second); the policy is checked at the beginning, and the meetings app refuses
  pieces once the recording has been stopped.
- ``read_recording``: decrypts for playback by authorised staff.
- ``purge_expired_recordings`` / the ``sweep_expired_recordings`` task: deletes recordings
  older than ``MEETINGS_RECORDING_RETENTION_DAYS`` (30 by default).

File format: a magic line, then chunks of at most ``CHUNK_SIZE`` bytes, each a Fernet token
(prefixed with its length) over ``index (8 bytes) + last flag (1 byte) + data``; so a
recording of any size is encrypted and decrypted in bounded memory, and a file with chunks
dropped, reordered or cut off is refused instead of played short.

Modules: ``policy`` (the decision and the errors), ``storage`` (keys, files, the format),
``retention`` (the purge); their public names are re-exported here. The task stays in this
module: its registered path (``madoguchi.meetings.recording.sweep_expired_recordings``),
which queued tasks and schedules name, is unchanged.
"""

from __future__ import annotations

from django_tasks import task

from madoguchi.meetings.recording.policy import (
    RecordingCorrupt,
    RecordingDecision,
    RecordingError,
    RecordingKeyMissing,
    RecordingRefused,
    ensure_recording_allowed,
    recording_allowed,
    recording_decision,
)
from madoguchi.meetings.recording.retention import purge_expired_recordings
from madoguchi.meetings.recording.storage import (
    CHUNK_SIZE,
    MAGIC,
    SUFFIX,
    StoredRecording,
    delete_recording,
    iter_recording,
    read_recording,
    recorded_at_of,
    recording_append,
    recording_begin,
    recording_finish,
    recordings_dir,
    store_recording,
)

__all__ = [
    "CHUNK_SIZE", "MAGIC", "SUFFIX", "RecordingCorrupt", "RecordingDecision", "RecordingError",
    "RecordingKeyMissing", "RecordingRefused", "StoredRecording", "delete_recording",
    "ensure_recording_allowed", "iter_recording", "purge_expired_recordings",
    "read_recording", "recorded_at_of", "recording_allowed", "recording_append",
    "recording_begin", "recording_decision", "recording_finish", "recordings_dir",
    "store_recording", "sweep_expired_recordings",
]


@task()
def sweep_expired_recordings() -> str:
    """The worker's retention sweep; enqueue it daily (and after a call's recording is
    stored): ``sweep_expired_recordings.enqueue()``."""
    deleted = purge_expired_recordings()
    return f"deleted {len(deleted)}"
