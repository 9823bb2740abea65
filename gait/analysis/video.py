"""Video in: decode what phones make, upright, with real timestamps, streamed and downscaled.

Frames are yielded one at a time (memory does not grow with clip length) and
converted to RGB at the analysis size by FFmpeg's scaler, so a 4K frame is never
held at full size as RGB. Times come from each frame's presentation timestamp,
so variable-frame-rate and slow-motion clips are analysed in real time.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import av
import numpy as np
from av.video.reformatter import VideoReformatter

from gait.errors import VideoError
from gait.thresholds import value

log = logging.getLogger(__name__)

_SLACK_S = 0.002
# No camera records faster than 1000 fps; a file that decodes more frames than this per second of
# its analysis window has broken timestamps, and decoding it further would only burn time.
_MAX_SOURCE_FPS = 1000.0
_SKIP_NONREF_MIN_RATIO = 2.0  # skip non-reference frames from clips at >= 2x the sampling rate
_ONE_THREAD_MAX_PX = 1920 * 1088  # up to 1080p one decoding thread keeps up with the pose model
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
    source_idx: int  # index among the decoded frames (non-reference frames may be skipped)
    full_rgb: np.ndarray | None = None  # (H, W, 3) uint8 upright at the clip's own size (``keep_full``)
    # Frames decoded since the previous sampled one and not sampled, oldest first (``every_frame``; for
    # the landing viewer, which shows every frame of a slow-motion clip).
    between: tuple[tuple[float, Planes], ...] = ()


@dataclass(frozen=True)
class Planes:
    """A decoded picture as its 4:2:0 planes at the clip's own size, as stored (not yet turned upright).

    Copying the planes costs ~0.4 ms at 1080p, scaling to RGB ~3.7 ms (gait.bench's 120 fps clip):
    only the part that is looked at is converted (``crop_rgb``).
    """

    yuv: np.ndarray  # (H * 3 // 2, W) uint8: Y, then U and V, as ``VideoFrame.to_ndarray(format="yuv420p")``
    rotation_deg: int

    @property
    def upright_size_px(self) -> tuple[int, int]:
        """(width, height) as shown upright."""
        h, w = self.yuv.shape[0] * 2 // 3, self.yuv.shape[1]
        return (h, w) if self.rotation_deg in (90, 270) else (w, h)

    def crop_rgb(self, x0: int, y0: int, x1: int, y1: int) -> tuple[np.ndarray, tuple[int, int]]:
        """Upright RGB of the upright box [x0, x1) x [y0, y1) and its upright top-left corner.

        The box is clipped to the picture and widened to even edges (4:2:0 colour is per 2x2 pixels).
        """
        import cv2

        h, w = self.yuv.shape[0] * 2 // 3, self.yuv.shape[1]
        r = self.rotation_deg
        # The box in the stored picture (see ``_upright``: np.rot90 turns counter-clockwise).
        if r == 90:
            rows, cols = (x0, x1), (w - y1, w - y0)
        elif r == 180:
            rows, cols = (h - y1, h - y0), (w - x1, w - x0)
        elif r == 270:
            rows, cols = (h - x1, h - x0), (y0, y1)
        else:
            rows, cols = (y0, y1), (x0, x1)
        r0, r1 = max(0, rows[0] // 2 * 2), min(h, (rows[1] + 1) // 2 * 2)
        c0, c1 = max(0, cols[0] // 2 * 2), min(w, (cols[1] + 1) // 2 * 2)
        if r1 - r0 < 2 or c1 - c0 < 2:
            return np.zeros((0, 0, 3), np.uint8), (x0, y0)
        flat = self.yuv.reshape(-1)
        luma = flat[: h * w].reshape(h, w)[r0:r1, c0:c1]
        u = flat[h * w: h * w + h * w // 4].reshape(h // 2, w // 2)[r0 // 2: r1 // 2, c0 // 2: c1 // 2]
        v = flat[h * w + h * w // 4: h * w * 3 // 2].reshape(h // 2, w // 2)[r0 // 2: r1 // 2, c0 // 2: c1 // 2]
        i420 = np.concatenate([luma.reshape(-1), u.reshape(-1), v.reshape(-1)]).reshape(-1, c1 - c0)
        # BT.601 limited range, as FFmpeg's scaler converts the analysed frames.
        rgb = cv2.cvtColor(i420, cv2.COLOR_YUV2RGB_I420)
        corner = {90: (r0, w - c1), 180: (w - c1, h - r1), 270: (h - r1, c0)}.get(r, (c0, r0))
        return _upright(rgb, r), corner


@dataclass(frozen=True)
class DecodeSettings:
    """How frames are made for pose. The defaults are the app's; ``python -m gait.bench`` also runs the naive way.

    ``long_side_px`` and ``rate_hz`` of None take ``analysis_long_side_px`` and ``analysis_rate_hz``
    from the thresholds table; ``prefetch_frames`` frames are decoded ahead in a background thread
    (0 decodes in the caller's thread); ``skip_nonref`` see ``iter_frames``.
    """

    long_side_px: float | None = None
    rate_hz: float | None = None
    prefetch_frames: int = 6
    skip_nonref: bool = True


# Every frame at full size, decoded in the pose model's thread: what the limits save (python -m gait.bench).
NAIVE = DecodeSettings(long_side_px=float("inf"), rate_hz=1000.0, prefetch_frames=0, skip_nonref=False)


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


def turned(info: VideoInfo, extra_deg: int) -> VideoInfo:
    """The same clip with ``extra_deg`` more rotation applied (e.g. a phone held upside down, no tag)."""
    extra_deg %= 360
    if extra_deg == 0:
        return info
    width_px, height_px = (info.height_px, info.width_px) if extra_deg in (90, 270) else (info.width_px, info.height_px)
    return replace(info, rotation_deg=(info.rotation_deg + extra_deg) % 360, width_px=width_px, height_px=height_px)


def _upright(rgb: np.ndarray, rotation_deg: int) -> np.ndarray:
    # FFmpeg's rotation is counter-clockwise; showing upright means turning it back.
    if rotation_deg == 90:
        return np.ascontiguousarray(np.rot90(rgb, k=1))
    if rotation_deg == 180:
        return np.ascontiguousarray(rgb[::-1, ::-1])
    if rotation_deg == 270:
        return np.ascontiguousarray(np.rot90(rgb, k=-1))
    return rgb


@dataclass
class DecodeStats:
    """What one ``iter_frames`` pass did (for tests and the benchmark)."""

    decoded_frames: int = 0
    skipped_nonref: bool = False  # non-reference frames were asked to be left undecoded (the decoder told to skip)
    restarted: bool = False  # skipping left gaps, so the clip was decoded again in full
    first_time_s: float | None = None  # the first frame's own time: the clip's times count from it
    frames_left_out: bool = False  # skipping left frames undecoded (not so where every frame is a reference)


def _decode_threads(stream: av.video.stream.VideoStream, info: VideoInfo) -> None:
    # One decoding thread costs the least CPU (5-10 % less than frame threads, gait.service.bench) and
    # already runs beside the pose model (see ``prefetched``); only frames above 1080p need more
    # threads for decoding to keep up with the pose model.
    if info.width_px * info.height_px > _ONE_THREAD_MAX_PX:
        stream.thread_type = "AUTO"
    else:
        stream.codec_context.thread_count = 1


def iter_frames(path: str | os.PathLike[str], info: VideoInfo, *, rate_hz: float | None = None,
                long_side_px: float | None = None, skip_nonref: bool = True,
                stats: DecodeStats | None = None, keep_full: bool = False,
                every_frame: bool = False) -> Iterator[Frame]:
    """Stream upright, downscaled RGB frames sampled at no more than ``rate_hz`` of real time.

    Frames are picked by timestamp, never by index, so variable frame rates and
    slow motion keep their real timing. A file that breaks off part-way ends the
    stream where it broke (the caller sees fewer frames than expected).

    From clips at two or more times ``rate_hz`` (slow motion, 60 fps), frames no other frame
    refers to are not decoded at all (``skip_nonref``): slow-motion encoders mark most frames
    droppable, and the sampling would drop most frames anyway. Each sampled frame is then at
    most one sampling step after its grid point (instead of one frame interval): on a 120 fps
    clip that moved cadence by 0.8 % and foot angles by < 1 deg, and halved decoding (python -m gait.bench).
    If what is decoded has a gap longer than one sampling step, skipping stops: the clip is
    decoded again in full, handing out only frames after the last one already given.

    ``keep_full`` also hands out each sampled frame at the clip's own size (``Frame.full_rgb``), for
    looking at the feet (``gait.analysis.foot_angle``); it costs one more colour conversion per sampled frame
    (~5 ms at 1080p) and the frame lives only until the consumer drops it.

    ``every_frame`` also hands out, with each sampled frame, the frames decoded since the previous
    one as their planes at the clip's own size (``Frame.between``), for the landing viewer
    (``gait.analysis.frames``). Non-reference frames left undecoded are not among them: the viewer
    decodes those of its windows afterwards (``iter_window_planes``), which on gait.bench's 10 s
    120 fps HEVC clip costs ~2 CPU s less than decoding and converting every frame in the pass.
    """
    rate_hz = rate_hz or value("analysis_rate_hz")
    min_step_s = 1.0 / rate_hz
    stats = stats if stats is not None else DecodeStats()
    # Sizes before rotation: the scaler runs on the stored picture.
    up_w, up_h = analysis_size(info.width_px, info.height_px, long_side_px)
    store_w, store_h = (up_h, up_w) if info.rotation_deg in (90, 270) else (up_w, up_h)
    max_decoded = int((info.analysis_window_s + 1.0) * _MAX_SOURCE_FPS)
    skip = skip_nonref and info.nominal_fps >= _SKIP_NONREF_MIN_RATIO * rate_hz
    between: list[tuple[float, Planes]] = []
    # One scaler per kind of conversion, kept for the whole clip: PyAV's default makes a new scaler
    # per frame, each starting and ending its own threads (one per core). One thread, as for decoding
    # (see ``_decode_threads``): ~0.5 CPU s less on gait.bench's three clips at once; the same pixels.
    to_rgb, to_full_rgb, to_planes = VideoReformatter(), VideoReformatter(), VideoReformatter()
    threads = 0 if info.width_px * info.height_px > _ONE_THREAD_MAX_PX else 1  # 0: one per core
    t0: float | None = None
    next_keep_s = 0.0
    given_s = -np.inf  # time of the last frame handed out
    for skipping in ((True, False) if skip else (False,)):
        stats.skipped_nonref = stats.skipped_nonref or skipping
        gap = False
        with _open(Path(path)) as container:
            stream = _video_stream(container)
            _decode_threads(stream, info)
            if skipping:
                stream.codec_context.skip_frame = "NONREF"
            previous_s: float | None = None
            try:
                for frame in container.decode(stream):
                    stats.decoded_frames += 1
                    if stats.decoded_frames > max_decoded:
                        log.info("decode stopped: %d frames for a %.0f s window", stats.decoded_frames,
                                 info.analysis_window_s)
                        return
                    if frame.time is None:
                        continue
                    if t0 is None:
                        t0 = frame.time
                        stats.first_time_s = float(t0)
                    time_s = float(frame.time - t0)
                    if time_s > info.analysis_window_s:
                        return
                    if skipping and previous_s is not None and time_s - previous_s > min_step_s + _SLACK_S:
                        gap = True
                        break
                    if skipping and previous_s is not None and time_s - previous_s > 1.5 / max(info.nominal_fps, 1.0):
                        stats.frames_left_out = True
                    previous_s = time_s
                    if time_s <= given_s:
                        continue  # handed out before the full decode began
                    # Keep the first frame at or after each point of a fixed grid; 2 ms slack keeps a
                    # 29.97 fps clip from dropping frames against a 30 Hz grid.
                    if time_s + _SLACK_S < next_keep_s:
                        if every_frame and given_s > -np.inf and frame.width % 2 == 0 and frame.height % 2 == 0:
                            yuv = to_planes.reformat(frame, format="yuv420p", threads=threads).to_ndarray()
                            between.append((time_s, Planes(yuv, info.rotation_deg)))
                        continue
                    next_keep_s = (np.floor((time_s + _SLACK_S) / min_step_s) + 1) * min_step_s
                    # FFmpeg scales and converts in one step. (Scaling in YUV and converting with OpenCV
                    # was 1.5 ms a frame faster, but its 1-level colour differences moved a step on the
                    # socks clip.)
                    rgb = _upright(to_rgb.reformat(frame, width=store_w, height=store_h, format="rgb24",
                                                   threads=threads).to_ndarray(), info.rotation_deg)
                    full = None
                    if keep_full:
                        # At the clip's own size the frame for pose is already the full frame (same pixels).
                        same = (store_w, store_h) == (frame.width, frame.height)
                        full = rgb if same else _upright(
                            to_full_rgb.reformat(frame, format="rgb24", threads=threads).to_ndarray(),
                            info.rotation_deg)
                    given_s = time_s
                    yield Frame(time_s=time_s, rgb=rgb, source_idx=stats.decoded_frames - 1,
                                full_rgb=full, between=tuple(between))
                    between = []
            except av.error.FFmpegError as exc:
                # Truncated uploads fail here; the frames so far are still valid.
                log.info("decode stopped early at frame %d: %s", stats.decoded_frames, type(exc).__name__)
                return
        if not gap:
            return
        stats.restarted = True
        log.info("non-reference frames are too far apart to skip; decoding every frame")


_SEEK_GAP_S = 1.0  # a window starting later than this after the last decoded frame is reached by seeking


def merged_windows(windows_s: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """(start, end) windows in time order, those that overlap merged into one."""
    merged: list[list[float]] = []
    for lo, hi in sorted(windows_s):
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [(lo, hi) for lo, hi in merged]


def iter_window_planes(path: str | os.PathLike[str], info: VideoInfo, windows_s: Iterable[tuple[float, float]],
                       first_time_s: float) -> Iterator[tuple[float, Planes]]:
    """(time_s, planes) of every frame whose time lies in one of ``windows_s``, in time order.

    Times count from ``first_time_s`` (``DecodeStats.first_time_s`` of the ``iter_frames`` pass), so
    they are that pass's times. For the landing viewer of a clip whose non-reference frames the pose
    pass left undecoded: each window is reached by seeking to the key frame before it (or by decoding
    on, when it starts soon after the last one), skipping non-reference frames until just before it.
    """
    merged = merged_windows(windows_s)
    if not merged:
        return
    lead_s = 2.0 / max(info.nominal_fps, 1.0)  # packets this early may hold frames shown in the window
    threads = 0 if info.width_px * info.height_px > _ONE_THREAD_MAX_PX else 1
    to_planes = VideoReformatter()
    with _open(Path(path)) as container:
        stream = _video_stream(container)
        _decode_threads(stream, info)
        ctx = stream.codec_context
        time_base = stream.time_base
        last_s = -np.inf
        for lo, hi in merged:
            if lo - last_s > _SEEK_GAP_S or last_s > lo:
                container.seek(int((lo + first_time_s) / time_base), stream=stream, backward=True, any_frame=False)
                last_s = -np.inf
            past = False
            try:
                for packet in container.demux(stream):
                    if packet.pts is not None:
                        near = float(packet.pts * time_base) - first_time_s >= lo - lead_s
                        ctx.skip_frame = "DEFAULT" if near else "NONREF"
                    for frame in packet.decode():
                        if frame.time is None:
                            continue
                        time_s = float(frame.time) - first_time_s
                        last_s = time_s
                        if time_s > hi + _SLACK_S:
                            past = True
                            break
                        if time_s >= lo - _SLACK_S and frame.width % 2 == 0 and frame.height % 2 == 0:
                            yuv = to_planes.reformat(frame, format="yuv420p", threads=threads).to_ndarray()
                            yield time_s, Planes(yuv, info.rotation_deg)
                    if past:
                        break
            except av.error.FFmpegError as exc:
                log.info("viewer decode stopped early: %s", type(exc).__name__)
                return
            if not past:
                return  # the clip ended inside this window


class DecodeTimer:
    """Seconds spent producing frames (decoding and scaling), summed over a stream."""

    def __init__(self) -> None:
        self.total_s = 0.0

    def timed(self, frames: Iterable[Frame]) -> Iterator[Frame]:
        it = iter(frames)
        while True:
            t0 = time.perf_counter()
            try:
                frame = next(it)
            except StopIteration:
                self.total_s += time.perf_counter() - t0
                return
            self.total_s += time.perf_counter() - t0
            yield frame


_DONE = object()


def prefetched(frames: Iterable[Frame], depth_frames: int = 6) -> Iterator[Frame]:
    """Produce ``frames`` in a background thread, at most ``depth_frames`` ahead of the consumer.

    FFmpeg and MediaPipe both release the GIL, so decoding the next frames overlaps the pose
    model on the current one when a core is free (gait.service.bench measures the gain). Errors in the
    producer are raised in the consumer; closing the consumer stops the producer.
    """
    if depth_frames <= 0:
        yield from frames
        return
    slots: queue.Queue = queue.Queue(maxsize=depth_frames)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for frame in frames:
                if not put(frame):
                    return
            put(_DONE)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which re-raises it
            put(exc)
        finally:
            close = getattr(frames, "close", None)
            if close is not None and stop.is_set():
                close()  # a generator closes its container in the thread that ran it

    worker = threading.Thread(target=produce, name="springcheck-decode", daemon=True)
    worker.start()
    try:
        while True:
            item = slots.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join(timeout=10.0)
