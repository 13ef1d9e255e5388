"""Videos a browser cannot play are refused by their container and codecs, read with FFmpeg
(PyAV, ADR 0056), with a message naming what was found; nothing is kept of them."""

from __future__ import annotations

import pytest

from madoguchi.files.models import StoredFile
from madoguchi.files.policy import MP4, POLICIES, WEBM, FilePolicy
from madoguchi.files.services import FileRefused, file_check, file_store

from . import videos
from .conftest import on_disk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("files_dir")]

PURPOSE = "test-video"
REDO = "H.264のMP4かWebMで保存し直してください。"
UNREADABLE = ("この動画ファイルは読み取れません（壊れているか、途中までしか保存されていない"
              "可能性があります）。元の動画から、" + REDO)


@pytest.fixture(autouse=True)
def video_purpose(monkeypatch):
    monkeypatch.setitem(POLICIES, PURPOSE, FilePolicy(PURPOSE, (MP4, WEBM), "動画"))


def refused(data: bytes, name: str = "clip.mp4") -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        file_store(data=data, name=name, purpose=PURPOSE, by=None)
    return caught.value


@pytest.mark.parametrize(("kind", "content_type"), [
    (videos.H264_MP4, MP4), (videos.H264_MP4_SILENT, MP4), (videos.VP9_WEBM, WEBM),
    (videos.VP8_WEBM, WEBM)], ids=["h264-aac", "h264-silent", "vp9-opus", "vp8-silent"])
def test_a_video_browsers_play_passes(kind, content_type):
    data = videos.encoded(kind)
    checked = file_check(data=data, name="clip", purpose=PURPOSE)
    try:
        assert checked.content_type == content_type and checked.size == len(data)
    finally:
        checked.discard()


@pytest.mark.parametrize(("kind", "message"), [
    (videos.HEVC_MP4, "このファイルの動画形式（HEVC）は、多くのブラウザで再生できません。" + REDO),
    (videos.MPEG4_PART2_MP4,
     "このファイルの動画形式（MPEG-4 Part 2）は、多くのブラウザで再生できません。" + REDO),
    (videos.H264_MP4_MP3,
     "このファイルの音声形式（MP3）は、多くのブラウザで再生できません。音声をAAC（MP4）か"
     "Opus・Vorbis（WebM）にするか、音声なしで保存し直してください。"),
    (videos.AAC_ONLY_MP4, "このファイルには映像が入っていません（音声だけのファイルなど）。"
                          "映像のある動画を選んでください。"),
], ids=["hevc", "mpeg4-part2", "mp3-sound", "sound-only"])
def test_a_video_browsers_cannot_play_is_refused_naming_what_was_found(
        files_dir, kind, message):
    problem = refused(videos.encoded(kind))
    assert (problem.code, problem.message) == ("unplayable_video", message)
    assert not StoredFile.objects.exists() and on_disk(files_dir) == []


def _half(data: bytes) -> bytes:
    return data[:len(data) // 2]


@pytest.mark.parametrize("make", [
    pytest.param(lambda: videos.FTYP_AND_GARBAGE, id="mp4-header-then-garbage"),
    pytest.param(lambda: _half(videos.encoded(videos.H264_MP4, 30)),
                 id="mp4-cut-before-its-index"),
    pytest.param(lambda: _half(videos.encoded(videos.H264_MP4, 30, faststart=True)),
                 id="mp4-index-first-pictures-cut"),
    pytest.param(lambda: _half(videos.encoded(videos.VP9_WEBM, 30)), id="webm-cut-in-half"),
])
def test_a_damaged_or_truncated_video_is_refused_as_unreadable(files_dir, make):
    problem = refused(make())
    assert (problem.code, problem.message) == ("unplayable_video", UNREADABLE)
    assert not StoredFile.objects.exists() and on_disk(files_dir) == []


def test_other_types_are_not_probed():
    from madoguchi.files import media

    assert media.unplayable(b"%PDF-1.4 anything", "application/pdf") is None
