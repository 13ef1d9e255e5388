"""Tiny videos encoded here with PyAV (the FFmpeg its wheel bundles): a few 64x48 frames,
so that no binary fixture is needed. Each takes a few milliseconds."""

from __future__ import annotations

import io
import tempfile
from fractions import Fraction
from pathlib import Path

# Container, video encoder, audio encoder (None: no sound).
H264_MP4 = ("mp4", "libx264", "aac")
H264_MP4_SILENT = ("mp4", "libx264", None)
VP9_WEBM = ("webm", "libvpx-vp9", "libopus")
VP8_WEBM = ("webm", "libvpx", None)
HEVC_MP4 = ("mp4", "libx265", None)
MPEG4_PART2_MP4 = ("mp4", "mpeg4", None)
H264_MP4_MP3 = ("mp4", "libx264", "libmp3lame")
AAC_ONLY_MP4 = ("mp4", None, "aac")

WIDTH, HEIGHT, RATE = 64, 48, 10


def encoded(kind: tuple[str, str | None, str | None], frames: int = 10, *,
            faststart: bool = False) -> bytes:
    """``frames`` grey pictures (a second at 10 per second) and as long a silence;
    ``faststart``: an MP4's index before its pictures (as for streaming)."""
    if faststart:  # the muxer rewrites its output: a file, not memory
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"clip.{kind[0]}"
            _encode(str(path), kind, frames, {"movflags": "faststart"})
            return path.read_bytes()
    out = io.BytesIO()
    _encode(out, kind, frames, {})
    return out.getvalue()


def _encode(out, kind, frames: int, options: dict[str, str]) -> None:
    import av

    container, video_codec, audio_codec = kind
    with av.open(out, mode="w", format=container, options=options) as muxer:
        # Every stream is added before the first packet is muxed (the header is written then).
        video = muxer.add_stream(video_codec, rate=RATE) if video_codec else None
        audio = muxer.add_stream(audio_codec, rate=48000) if audio_codec else None
        if video is not None:
            video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
            if video_codec == "libx265":
                video.options = {"x265-params": "log-level=error"}
            for number in range(frames):
                picture = av.VideoFrame(WIDTH, HEIGHT, "yuv420p")
                for plane in picture.planes:
                    plane.update(bytes([(number * 20) % 256]) * plane.buffer_size)
                picture.pts, picture.time_base = number, Fraction(1, RATE)
                muxer.mux(video.encode(picture))
            muxer.mux(video.encode(None))
        if audio is not None:
            sound_format = audio.codec_context.codec.audio_formats[0].name
            frame_size = audio.codec_context.frame_size or 1152
            for start in range(0, 48000 * frames // RATE, frame_size):
                chunk = av.AudioFrame(format=sound_format, layout="mono", samples=frame_size)
                for plane in chunk.planes:
                    plane.update(bytes(plane.buffer_size))
                chunk.sample_rate, chunk.pts = 48000, start
                chunk.time_base = Fraction(1, 48000)
                muxer.mux(audio.encode(chunk))
            muxer.mux(audio.encode(None))


# An MP4 header (ftyp box, "isom") and then garbage: sniffed as MP4, nothing FFmpeg reads.
FTYP_AND_GARBAGE = (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
                    + bytes(range(256)) * 16)
