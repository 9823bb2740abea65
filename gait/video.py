"""Video in: decode what phones make, upright, with real timestamps, streamed and downscaled.

Frames are yielded one at a time (memory does not grow with clip length) and
converted to RGB at the analysis size by FFmpeg's scaler, so a 4K frame is never
held at full size as RGB. Times come from each frame's presentation timestamp,
so variable-frame-rate and slow-motion clips are analysed in real time.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from gait.errors import VideoError
from gait.thresholds import value

log = logging.getLogger(__name__)

_SLACK_S = 0.002
_FIX_EXPORT = "Film a new clip with the phone's camera app and upload that video file."


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about the clip (sizes are as shown upright)."""

    name: str
    codec: str
    width_px: int
    height_px: int
    rotation_deg: int
    nominal_fps: float
    duration_s: float
    analysis_window_s: float  # how much of the clip is analysed (bounded for long clips)
    truncated_window: bool  # True when the clip was longer than the window


@dataclass(frozen=True)
class Frame:
    """One analysed frame: real time since the first frame and an upright RGB image."""

    time_s: float
    rgb: np.ndarray  # (H, W, 3) uint8 at analysis size
    source_idx: int  # index of the decoded frame in the file


def _open(path: Path) -> av.container.InputContainer:
    if not path.exists():
        raise VideoError("missing_file", "We could not find the uploaded file.", "Upload the clip again.")
    if path.stat().st_size == 0:
        raise VideoError("empty_file", "The file is empty (0 bytes); the upload may have failed.",
                         "Upload the clip again, and wait until the upload has finished.")
    try:
        return av.open(str(path), metadata_errors="ignore")
    except (av.error.FFmpegError, UnicodeDecodeError, OSError) as exc:
        log.info("not a video: %s", type(exc).__name__)
        raise VideoError("not_a_video", "This file is not a video we can read (it may be a photo, a document "
                         "or a damaged file).", _FIX_EXPORT) from exc


def _video_stream(container: av.container.InputContainer) -> av.video.stream.VideoStream:
    streams = [s for s in container.streams.video if s.codec_context is not None]
    # A still image (PNG/JPEG) opens as a one-frame "video" with no duration; treat it as not a video.
    if not streams or container.format.name in {"png_pipe", "jpeg_pipe", "image2", "webp_pipe", "gif"}:
        raise VideoError("no_video_stream", "This file has no video in it (it may be a photo or a sound recording).",
                         _FIX_EXPORT)
    return streams[0]


def _rotation_of(stream: av.video.stream.VideoStream, container: av.container.InputContainer) -> int:
    """Rotation (degrees, counter-clockwise as FFmpeg reports it) from the first frame's display matrix."""
    try:
        frame = next(container.decode(stream))
    except (StopIteration, av.error.FFmpegError):
        return 0
    return int(round(getattr(frame, "rotation", 0) or 0)) % 360


def probe(path: str | os.PathLike[str]) -> VideoInfo:
    """Read the container's facts and refuse what cannot be analysed.

    Raises
    ------
    VideoError
        not a video, no video stream, absurd or tiny frame, too short, no frames.
    """
    path = Path(path)
    with _open(path) as container:
        stream = _video_stream(container)
        width_px, height_px = int(stream.codec_context.width or 0), int(stream.codec_context.height or 0)
        if width_px <= 0 or height_px <= 0:
            raise VideoError("no_frames", "We could not read any picture from this video.", _FIX_EXPORT)
        if max(width_px, height_px) > value("max_frame_side_px"):
            raise VideoError("absurd_resolution", f"The video claims a picture of {width_px}x{height_px} pixels, "
                             "far larger than any phone records; the file is probably damaged.", _FIX_EXPORT)
        if min(width_px, height_px) < value("min_frame_side_px"):
            raise VideoError("tiny_resolution", f"The video is only {width_px}x{height_px} pixels; too small to see "
                             "your feet.", "Film at 720p or more (1080p is ideal).")
        duration_s = _duration_s(container, stream)
        rate = stream.average_rate or stream.guessed_rate
        nominal_fps = float(rate) if rate else 0.0
        rotation_deg = _rotation_of(stream, container)
        codec = stream.codec_context.name
    if rotation_deg in (90, 270):
        width_px, height_px = height_px, width_px
    if duration_s is None or duration_s <= 0:
        duration_s = _count_duration_s(path)
    if duration_s < value("min_clip_s"):
        raise VideoError("too_short", f"The clip is only {duration_s:.1f} s long; we need at least "
                         f"{value('min_clip_s'):.0f} s of walking.",
                         "Film 10 steps toward the phone (about 6-10 s), starting already in motion.")
    window_s = min(duration_s, value("max_analysis_window_s"))
    return VideoInfo(name=path.name, codec=codec, width_px=width_px, height_px=height_px,
                     rotation_deg=rotation_deg, nominal_fps=nominal_fps, duration_s=duration_s,
                     analysis_window_s=window_s, truncated_window=duration_s > window_s + 1e-6)


def _duration_s(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> float | None:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return container.duration / av.time_base
    return None


def _count_duration_s(path: Path) -> float:
    """Duration from the decoded timestamps, for containers that do not state one (e.g. some .webm)."""
    first = last = None
    with _open(path) as container:
        stream = _video_stream(container)
        try:
            for frame in container.decode(stream):
                if frame.time is None:
                    continue
                first = frame.time if first is None else first
                last = frame.time
        except av.error.FFmpegError:
            pass
    if first is None or last is None:
        raise VideoError("no_frames", "We could not read any picture from this video.", _FIX_EXPORT)
    return float(last - first)


def analysis_size(width_px: int, height_px: int, long_side_px: float | None = None) -> tuple[int, int]:
    """Upright frame size for pose: long side capped, even numbers for the scaler."""
    long_side_px = long_side_px or value("analysis_long_side_px")
    scale = min(1.0, long_side_px / max(width_px, height_px))
    return max(2, int(round(width_px * scale / 2)) * 2), max(2, int(round(height_px * scale / 2)) * 2)


def _upright(rgb: np.ndarray, rotation_deg: int) -> np.ndarray:
    # FFmpeg's rotation is counter-clockwise; showing upright means turning it back.
    if rotation_deg == 90:
        return np.ascontiguousarray(np.rot90(rgb, k=1))
    if rotation_deg == 180:
        return np.ascontiguousarray(rgb[::-1, ::-1])
    if rotation_deg == 270:
        return np.ascontiguousarray(np.rot90(rgb, k=-1))
    return rgb


def iter_frames(path: str | os.PathLike[str], info: VideoInfo, *, rate_hz: float | None = None,
                long_side_px: float | None = None) -> Iterator[Frame]:
    """Stream upright, downscaled RGB frames sampled at no more than ``rate_hz`` of real time.

    Frames are picked by timestamp, never by index, so variable frame rates and
    slow motion keep their real timing. A file that breaks off part-way ends the
    stream where it broke (the caller sees fewer frames than expected).
    """
    rate_hz = rate_hz or value("analysis_rate_hz")
    min_step_s = 1.0 / rate_hz
    # Sizes before rotation: the scaler runs on the stored picture.
    up_w, up_h = analysis_size(info.width_px, info.height_px, long_side_px)
    store_w, store_h = (up_h, up_w) if info.rotation_deg in (90, 270) else (up_w, up_h)
    with _open(Path(path)) as container:
        stream = _video_stream(container)
        stream.thread_type = "AUTO"
        t0: float | None = None
        next_keep_s = 0.0
        idx = 0
        try:
            for frame in container.decode(stream):
                idx += 1
                if frame.time is None:
                    continue
                t0 = frame.time if t0 is None else t0
                time_s = float(frame.time - t0)
                if time_s > info.analysis_window_s:
                    break
                # Keep the first frame at or after each point of a fixed grid; 2 ms slack keeps a
                # 29.97 fps clip from dropping frames against a 30 Hz grid.
                if time_s + _SLACK_S < next_keep_s:
                    continue
                next_keep_s = (np.floor((time_s + _SLACK_S) / min_step_s) + 1) * min_step_s
                rgb = frame.reformat(width=store_w, height=store_h, format="rgb24").to_ndarray()
                yield Frame(time_s=time_s, rgb=_upright(rgb, info.rotation_deg), source_idx=idx - 1)
        except av.error.FFmpegError as exc:
            # Truncated uploads fail here; the frames so far are still valid.
            log.info("decode stopped early at frame %d: %s", idx, type(exc).__name__)
