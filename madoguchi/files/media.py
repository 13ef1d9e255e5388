"""Whether a browser can play a video: its container and codecs, read from the bytes (ADR 0056).

The sniffed type (``content.sniff``) only says "MP4" or "WebM" from the first bytes; a
phone's HEVC video, an old MPEG-4 Part 2 clip, an MP4 holding only sound, or a file cut
short by a failed copy carry the same first bytes. FFmpeg, through PyAV (its wheels bundle
FFmpeg: no system program), reads the container, the codec of every stream and every
packet (without decoding more than the first picture), in memory, before anything is
written.

Accepted, as every browser on the ward's screens and staff PCs plays them:
- MP4: H.264 video, AAC or no sound;
- WebM: VP8, VP9 or AV1 video, Vorbis or Opus or no sound.
Other streams (subtitles, data, time codes) are ignored; a player skips them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _

from madoguchi.files.policy import MP4, WEBM

# Content type -> (FFmpeg demuxer name, video codecs, audio codecs) a browser plays.
PLAYABLE: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {
    MP4: ("mp4", frozenset({"h264"}), frozenset({"aac"})),
    WEBM: ("webm", frozenset({"vp8", "vp9", "av1"}), frozenset({"vorbis", "opus"})),
}
VIDEO_TYPES = frozenset(PLAYABLE)

# FFmpeg's codec names -> the name people know (others: FFmpeg's name in capitals).
CODEC_NAMES = {
    "h264": "H.264", "hevc": "HEVC", "mpeg4": "MPEG-4 Part 2",
    "mpeg2video": "MPEG-2", "mpeg1video": "MPEG-1", "vp8": "VP8", "vp9": "VP9", "av1": "AV1",
    "prores": "ProRes", "mjpeg": "Motion JPEG", "h263": "H.263", "wmv3": "WMV",
    "theora": "Theora", "aac": "AAC", "mp3": "MP3", "ac3": "AC-3",
    "eac3": "E-AC-3", "opus": "Opus", "vorbis": "Vorbis", "flac": "FLAC", "alac": "ALAC",
    "amr_nb": "AMR", "pcm_s16le": "PCM",
}
# Missing at the end (of the duration the container announces) before a file counts as cut
# short: a packet's duration is sometimes not recorded, never half a second.
TRUNCATION_SLACK = Fraction(1, 2)


@dataclass(frozen=True)
class VideoProbe:
    """What FFmpeg found: the demuxer's names (e.g. ``mov,mp4,m4a,3gp,3g2,mj2``), the codec
    of each video and audio stream."""

    formats: frozenset[str]
    video: tuple[str, ...]
    audio: tuple[str, ...]


class UnreadableVideo(Exception):
    """FFmpeg could not read the file to its end (not a video, damaged or cut short)."""


def codec_name(codec: str) -> str:
    return CODEC_NAMES.get(codec, codec.upper())


def _codec(stream) -> str:
    codec = stream.codec_context.codec
    return codec.canonical_name if codec is not None else "unknown"


def _streams(container) -> VideoProbe:
    streams = list(container.streams)
    return VideoProbe(formats=frozenset(container.format.name.split(",")),
                      video=tuple(_codec(s) for s in streams if s.type == "video"),
                      audio=tuple(_codec(s) for s in streams if s.type == "audio"))


def probe(plain: bytes, content_type: str) -> VideoProbe:
    """The container and codecs of ``plain``; when they are those a browser plays for
    ``content_type``, every packet is read and the first picture decoded too. Raises
    UnreadableVideo."""
    import av

    try:
        with av.open(io.BytesIO(plain), mode="r") as container:
            found = _streams(container)
            if not found.video and not found.audio:
                raise UnreadableVideo("no stream")  # e.g. a container cut before its index
            if _problem(found, content_type) is None:
                streams = list(container.streams)
                _read_to_end(container, container.streams.video[0],
                             [s for s in streams if s.type in ("video", "audio")])
    except av.FFmpegError as error:
        raise UnreadableVideo(str(error)) from None
    return found


def _read_to_end(container, first_video, streams) -> None:
    """Demux every packet; decode the first picture; compare what was read with what the
    container announces (frame count, duration) to tell a file cut short."""
    packets, pictures, end = 0, 0, Fraction(0)
    for packet in container.demux(streams):
        if not packet.size:
            continue  # the demuxer's empty packet at the end
        if packet.stream is first_video:
            packets += 1
            if not pictures:
                pictures = len(packet.decode())
        if packet.pts is not None and packet.time_base is not None:
            end = max(end, (packet.pts + (packet.duration or 0)) * packet.time_base)
    if not packets:
        raise UnreadableVideo("no picture")
    if not pictures:  # the decoder may hold the first pictures back until it is flushed
        pictures = len(first_video.codec_context.decode(None))
    if not pictures:
        raise UnreadableVideo("no picture decoded")
    if first_video.frames and packets < first_video.frames:
        raise UnreadableVideo(f"{packets} of {first_video.frames} pictures")
    if container.duration and end:
        start = Fraction(container.start_time or 0, 1_000_000)
        announced = Fraction(container.duration, 1_000_000)
        if end - start < announced - TRUNCATION_SLACK:
            raise UnreadableVideo(f"ends at {float(end - start):.1f}s of {float(announced):.1f}s")


def _redo() -> str:
    return _("H.264のMP4かWebMで保存し直してください。")


def _problem(found: VideoProbe, content_type: str) -> str | None:
    """What in the container or codecs a browser does not play, or None."""
    demuxer, videos, audios = PLAYABLE[content_type]
    if demuxer not in found.formats:
        return _("このファイルの入れ物の形式は、拡張子と合っていません。%(redo)s") % {
            "redo": _redo()}
    if not found.video:
        return _("このファイルには映像が入っていません（音声だけのファイルなど）。"
                 "映像のある動画を選んでください。")
    for codec in found.video:
        if codec not in videos:
            return _("このファイルの動画形式（%(codec)s）は、多くのブラウザで再生できません。"
                     "%(redo)s") % {"codec": codec_name(codec), "redo": _redo()}
    for codec in found.audio:
        if codec not in audios:
            return _("このファイルの音声形式（%(codec)s）は、多くのブラウザで再生できません。"
                     "音声をAAC（MP4）かOpus・Vorbis（WebM）にするか、音声なしで保存し直して"
                     "ください。") % {"codec": codec_name(codec)}
    return None


def unplayable(plain: bytes, content_type: str) -> str | None:
    """Why a browser cannot play this video of ``content_type`` (the sniffed type), as a
    message for staff in plain Japanese; None when it plays (or is no video type)."""
    if content_type not in PLAYABLE:
        return None
    try:
        found = probe(plain, content_type)
    except UnreadableVideo:
        return _("この動画ファイルは読み取れません（壊れているか、途中までしか保存されていない"
                 "可能性があります）。元の動画から、%(redo)s") % {"redo": _redo()}
    return _problem(found, content_type)
