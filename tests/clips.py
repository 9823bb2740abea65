"""Real test clips, and the derived clips the tests make from them with PyAV.

The real clips live in ``../shared/clips/`` (beside the repository, never copied
into it; see its README). Clips that are not there on purpose (mirrored, half
frame rate, 240 fps slow motion, variable frame rate, 4K HEVC, damaged files)
are written into a pytest temporary directory from the real ones, so each
case the app claims to handle is tested on real footage.

Every writer takes ``(time_s, picture)`` pairs with real times and sets each
frame's presentation timestamp explicitly, so the written timing is exactly
what the test asked for (never ``index / fps``).
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable, Iterable, Iterator
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

CLIPS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "clips"

SOCKS = "walk_toward_camera_socks.mp4"
PORTRAIT_HEVC = "walk_toward_camera_portrait_hevc.mov"
TREADMILL_SIDE = "run_treadmill_side.mp4"
SIDE_TURN = "walk_side_turn.mp4"
AWAY_REAR = "walk_away_rear_movingcam.mp4"

FINE_TIME_BASE = Fraction(1, 90000)  # the MPEG clock: fine enough for any jitter we write


def real_clip(name: str) -> Path:
    """Path of a real clip in ../shared/clips, or skip the test with the reason."""
    path = CLIPS_DIR / name
    if not CLIPS_DIR.is_dir():
        pytest.skip(f"real clips folder {CLIPS_DIR} is missing (see /work/shared/clips/README.md)")
    if not path.is_file():
        pytest.skip(f"real clip {name} is missing from {CLIPS_DIR}")
    return path


# --- reading -------------------------------------------------------------------------------------


def stream_facts(path: Path) -> tuple[Fraction, Fraction]:
    """(time_base, average frame rate) of the first video stream."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return Fraction(stream.time_base), Fraction(stream.average_rate)


def decoded_frames(path: Path) -> Iterator[tuple[float, av.VideoFrame]]:
    """Every decoded frame of the first video stream with its real time (s) since the first frame."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        t0 = None
        for frame in container.decode(stream):
            t0 = frame.time if t0 is None else t0
            yield float(frame.time - t0), frame


def decoded_rgb(path: Path) -> Iterator[tuple[float, np.ndarray]]:
    """Every frame as (time_s, RGB array), as stored (no rotation applied)."""
    for time_s, frame in decoded_frames(path):
        yield time_s, frame.to_ndarray(format="rgb24")


# --- writing -------------------------------------------------------------------------------------


def write_clip(dst: Path, frames: Iterable[tuple[float, np.ndarray | av.VideoFrame]], *, codec: str = "libx264",
               time_base: Fraction = FINE_TIME_BASE, rate: Fraction | int = 30,
               codec_options: dict[str, str] | None = None, container_options: dict[str, str] | None = None,
               encoder_picks_types: bool = False) -> Path:
    """Encode ``(time_s, picture)`` pairs into ``dst`` with each frame's pts set from its real time.

    The file is written under a temporary name and renamed when complete, so a
    clip that exists is always whole (fixtures reuse clips by their path).
    Decoded source frames carry their own frame type (I/P), which encoders obey;
    ``encoder_picks_types`` clears it so B-frames can be made.
    """
    tmp = dst.with_name(dst.stem + ".partial" + dst.suffix)
    with av.open(str(tmp), "w", format=_format_of(dst), options=container_options or {}) as out:
        stream = None
        last_pts = -1
        for time_s, picture in frames:
            frame = picture if isinstance(picture, av.VideoFrame) else av.VideoFrame.from_ndarray(picture, "rgb24")
            if stream is None:
                stream = out.add_stream(codec, rate=rate, options={"preset": "ultrafast", "crf": "18",
                                                                   **(codec_options or {})})
                stream.width, stream.height = frame.width, frame.height
                stream.pix_fmt = "yuv420p"
                stream.time_base = time_base
                stream.codec_context.time_base = time_base
            pts = int(round(time_s / time_base))
            if pts <= last_pts:
                raise ValueError(f"timestamps must increase: {time_s} s after pts {last_pts}")
            frame = frame.reformat(format="yuv420p")
            frame.pts, frame.time_base = pts, time_base
            if encoder_picks_types:
                frame.pict_type = av.video.frame.PictureType.NONE
            last_pts = pts
            for packet in stream.encode(frame):
                out.mux(packet)
        if stream is None:
            raise ValueError("no frames to write")
        for packet in stream.encode(None):
            out.mux(packet)
    os.replace(tmp, dst)
    return dst


def _format_of(dst: Path) -> str:
    return {".mov": "mov", ".mp4": "mp4", ".m4v": "mp4", ".m4a": "ipod", ".mkv": "matroska", ".webm": "webm"}[dst.suffix]


def _reuse(dst: Path) -> bool:
    """True when an earlier fixture already wrote this derived clip."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    return dst.is_file()


def write_mirrored(src: Path, dst: Path) -> Path:
    """Left-right mirror of every frame, with the source's own timestamps and frame rate."""
    if _reuse(dst):
        return dst
    time_base, rate = stream_facts(src)
    return write_clip(dst, ((t, np.ascontiguousarray(np.fliplr(rgb))) for t, rgb in decoded_rgb(src)),
                      time_base=time_base, rate=rate)


def write_half_rate(src: Path, dst: Path) -> Path:
    """Every second frame (the odd ones, so the engine's own 30 Hz pick differs), real timestamps kept."""
    if _reuse(dst):
        return dst
    time_base, rate = stream_facts(src)
    kept = (pair for i, pair in enumerate(decoded_frames(src)) if i % 2 == 1)
    return write_clip(dst, kept, time_base=time_base, rate=rate / 2)


def write_slow_motion(src: Path, dst: Path, fps: int = 240) -> Path:
    """A high-frame-rate clip in real time: frame k at k/fps s shows the latest source frame at or before it.

    This is what a phone's slow-motion mode records (the slowing happens only at
    playback); the clip's duration stays that of the source.
    """
    if _reuse(dst):
        return dst

    def upsampled() -> Iterator[tuple[float, av.VideoFrame]]:
        k = 0
        previous: tuple[float, av.VideoFrame] | None = None
        for time_s, frame in decoded_frames(src):
            if previous is not None:
                while k / fps < time_s - 1e-9:
                    yield k / fps, previous[1]
                    k += 1
            previous = (time_s, frame)
        if previous is not None:
            yield k / fps, previous[1]

    return write_clip(dst, upsampled(), time_base=Fraction(1, fps), rate=fps)


def write_droppable_slow_motion(src: Path, dst: Path, fps: int = 120, b_frames: int = 3,
                                codec: str = "libx265") -> Path:
    """Slow motion whose in-between frames are droppable (non-reference B-frames), as slow-motion encoders make.

    ``b_frames`` droppable frames follow each reference frame: at 120 fps and 3, a reference
    frame every 1/30 s; at 60 fps and 3, one every 1/15 s (too sparse to sample at 30 Hz).
    """
    if _reuse(dst):
        return dst

    def upsampled() -> Iterator[tuple[float, np.ndarray]]:
        k = 0
        previous = None
        for time_s, rgb in decoded_rgb(src):
            rgb = np.ascontiguousarray(rgb[::2, ::2])  # half size: quick to encode, still a clear walker
            if previous is not None:
                while k / fps < time_s - 1e-9:
                    yield k / fps, previous
                    k += 1
            previous = rgb
        if previous is not None:
            yield k / fps, previous

    if codec == "libx265":
        options = {"x265-params": f"bframes={b_frames}:b-pyramid=0:b-adapt=0:log-level=error"}
    else:
        options = {"x264-params": f"bframes={b_frames}:b-pyramid=none:b-adapt=0"}
    return write_clip(dst, upsampled(), codec=codec, time_base=Fraction(1, fps), rate=fps, codec_options=options,
                      encoder_picks_types=True)


def write_variable_rate(src: Path, dst: Path, jitter_s: float = 0.003, seed: int = 7) -> Path:
    """Variable frame rate: every third frame dropped and each time jittered by up to +-jitter_s.

    Written on a 1/90000 s clock with explicit pts, like a phone that drops frames
    under load; the intervals alternate between about 1 and 2 source frames.
    """
    if _reuse(dst):
        return dst
    rng = np.random.default_rng(seed)
    _, rate = stream_facts(src)

    def irregular() -> Iterator[tuple[float, av.VideoFrame]]:
        for i, (time_s, frame) in enumerate(decoded_frames(src)):
            if i % 3 == 2:
                continue
            jitter = 0.0 if i == 0 else float(rng.uniform(-jitter_s, jitter_s))
            yield time_s + jitter, frame

    return write_clip(dst, irregular(), time_base=FINE_TIME_BASE, rate=round(rate * 2 / 3))


def write_4k(src: Path, dst: Path, seconds: float = 2.6, rate_hz: float = 10.0) -> tuple[Path, str]:
    """The first ``seconds`` of ``src`` upscaled to 3840x2160, HEVC (libx265) when PyAV has it, else H.264.

    Frames are picked at ``rate_hz`` by real time to keep the 4K encode cheap; the
    size is what this clip tests, not the frame rate. Returns (path, codec used).
    """
    codec = "libx265" if "libx265" in av.codecs_available else "libx264"
    if _reuse(dst):
        return dst, codec

    def picked() -> Iterator[tuple[float, av.VideoFrame]]:
        next_s = 0.0
        for time_s, frame in decoded_frames(src):
            if time_s > seconds + 1e-6:
                break
            if time_s + 1e-6 >= next_s:
                next_s += 1.0 / rate_hz
                yield time_s, frame.reformat(width=3840, height=2160, format="yuv420p")

    # x265's own log is noisy; "log-level=error" keeps test output readable.
    options = {"x265-params": "log-level=error"} if codec == "libx265" else {}
    return write_clip(dst, picked(), codec=codec, rate=int(rate_hz), codec_options=options), codec


def write_first_seconds(src: Path, dst: Path, seconds: float) -> Path:
    """Only the first ``seconds`` of ``src`` (a too-short clip)."""
    if _reuse(dst):
        return dst
    time_base, rate = stream_facts(src)
    frames = ((t, f) for t, f in decoded_frames(src) if t < seconds)
    return write_clip(dst, frames, time_base=time_base, rate=rate)


def write_faststart(src: Path, dst: Path) -> Path:
    """A re-encode with the index (moov) at the front, as phones and web exports often write it.

    Cutting such a file short leaves a readable start; cutting the real clips
    (index at the end) leaves nothing readable.
    """
    if _reuse(dst):
        return dst
    time_base, rate = stream_facts(src)
    return write_clip(dst, decoded_frames(src), time_base=time_base, rate=rate,
                      container_options={"movflags": "+faststart"})


def write_truncated(src: Path, dst: Path, keep_fraction: float) -> Path:
    """The first ``keep_fraction`` of the file's bytes (an upload that broke off)."""
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * keep_fraction)])
    return dst


def write_transformed(src: Path, dst: Path, picture: Callable[[np.ndarray], np.ndarray]) -> Path:
    """Every frame of ``src`` passed through ``picture`` (RGB in, RGB out), real timestamps kept."""
    if _reuse(dst):
        return dst
    time_base, rate = stream_facts(src)
    return write_clip(dst, ((t, np.ascontiguousarray(picture(rgb))) for t, rgb in decoded_rgb(src)),
                      time_base=time_base, rate=rate)


def upside_down(rgb: np.ndarray) -> np.ndarray:
    """A phone held the other way up, with no rotation tag."""
    return rgb[::-1, ::-1]


def quarter_turned(rgb: np.ndarray) -> np.ndarray:
    """A phone turned sideways, with no rotation tag (the person lies on their side in the picture)."""
    return np.rot90(rgb, k=1)


def darkened(rgb: np.ndarray, gain: float = 0.1) -> np.ndarray:
    return (rgb.astype(np.float32) * gain).astype(np.uint8)


def feet_cropped(rgb: np.ndarray, keep_fraction: float = 0.6) -> np.ndarray:
    """Only the top ``keep_fraction`` of the picture: the bottom (feet) cut off; height kept even."""
    return rgb[: int(rgb.shape[0] * keep_fraction) // 2 * 2]


def two_people(rgb: np.ndarray) -> np.ndarray:
    """The walker and their mirror image side by side at full size: the middle half of the width, twice."""
    w = rgb.shape[1]
    middle = rgb[:, w // 4: w // 4 + w // 2]
    return np.hstack([middle, middle[:, ::-1]])


def write_gradient(dst: Path, seconds: float = 4.0, fps: int = 30, size_px: tuple[int, int] = (640, 360)) -> Path:
    """A slowly moving colour gradient: a valid video with nobody in it."""
    if _reuse(dst):
        return dst
    w, h = size_px
    x = np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :]
    y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]

    def frames() -> Iterator[tuple[float, np.ndarray]]:
        for k in range(int(seconds * fps)):
            phase = k / (seconds * fps)
            r = 255 * ((x + phase) % 1.0) * np.ones_like(y)
            g = 255 * y * np.ones_like(x)
            b = np.full((h, w), 255 * phase, np.float32)
            yield k / fps, np.dstack([r, g, b]).astype(np.uint8)

    return write_clip(dst, frames(), time_base=Fraction(1, fps), rate=fps)


def write_long_still(src: Path, dst: Path, seconds: float = 600.0, fps: int = 5,
                     size_px: tuple[int, int] = (320, 240)) -> Path:
    """A long clip made cheaply: the first frame of ``src``, small, repeated at a low frame rate."""
    if _reuse(dst):
        return dst
    _, first = next(decoded_frames(src))
    still = first.reformat(width=size_px[0], height=size_px[1], format="yuv420p")
    return write_clip(dst, ((k / fps, still) for k in range(int(seconds * fps))), time_base=Fraction(1, fps),
                      rate=fps)


# --- files that are not usable videos ------------------------------------------------------------


def write_png_named_mp4(dst: Path) -> Path:
    """A real PNG picture saved under a video name."""
    picture = np.zeros((480, 640, 3), np.uint8)
    cv2.circle(picture, (320, 240), 100, (40, 180, 250), -1)
    ok, png = cv2.imencode(".png", picture)
    assert ok
    dst.write_bytes(png.tobytes())
    return dst


def write_pdf_like(dst: Path) -> Path:
    dst.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + b"x" * 2000 + b"\n%%EOF\n")
    return dst


def write_random_bytes(dst: Path, n_bytes: int = 200_000, seed: int = 3) -> Path:
    dst.write_bytes(np.random.default_rng(seed).integers(0, 256, n_bytes, dtype=np.uint8).tobytes())
    return dst


def write_audio_only(dst: Path, seconds: float = 3.0, tone_hz: float = 440.0) -> Path:
    """A sound recording with no video stream: an AAC sine tone."""
    sample_rate = 44100
    with av.open(str(dst), "w", format=_format_of(dst)) as out:
        stream = out.add_stream("aac", rate=sample_rate)
        stream.layout = "mono"
        t = np.arange(int(seconds * sample_rate)) / sample_rate
        samples = (0.3 * np.sin(2 * np.pi * tone_hz * t)).astype(np.float32)
        chunk = 1024
        for start in range(0, samples.size, chunk):
            frame = av.AudioFrame.from_ndarray(samples[None, start:start + chunk], format="fltp", layout="mono")
            frame.sample_rate = sample_rate
            frame.pts = start
            frame.time_base = Fraction(1, sample_rate)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return dst


def write_absurd_header(dst: Path, width_px: int = 9000, height_px: int = 9000) -> Path:
    """A YUV4MPEG2 file whose header claims ``width_px x height_px`` but holds only a few bytes.

    Cheap to make (no 9000x9000 picture is ever written) and opened by FFmpeg,
    so the claim reaches the engine's size check.
    """
    header = f"YUV4MPEG2 W{width_px} H{height_px} F30:1 Ip A1:1 C420jpeg\n".encode()
    dst.write_bytes(header + b"FRAME\n" + bytes(4096))
    return dst


def mp4_top_level_boxes(path: Path) -> list[str]:
    """Names of an MP4's top-level boxes in file order (e.g. ftyp, mdat, moov)."""
    data = path.read_bytes()
    names, pos = [], 0
    while pos + 8 <= len(data):
        size, name = struct.unpack(">I4s", data[pos:pos + 8])
        if size == 1:
            size = struct.unpack(">Q", data[pos + 8:pos + 16])[0]
        names.append(name.decode("latin-1"))
        if size < 8:
            break
        pos += size
    return names
