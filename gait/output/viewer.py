"""The landing viewer's pictures: one frame of a landing with its drawings, left and right side by side,
a slow-motion clip for a physio, and key frames for the PDF.

Everything here is drawn on demand from the small crops kept during the pass
(``gait.analysis.frames.LandingFrames``): one frame takes a few milliseconds (``python -m gait.bench``).

Drawn on each frame: the legs' skeleton (blue left, orange right), the landing foot's heel-to-toe
axis (yellow arrow) and the straight-ahead line from its heel (dashed white: straight at the camera,
as in ``gait.output.draw``), the time from contact in ms, and a coloured frame with a label on the
frames of contact (green) and lift-off (red). Later measures add their own lines through
``EXTRA_OVERLAYS`` (the knee line of knee valgus, the hip line of pelvic drop).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import cv2
import numpy as np

from gait.analysis.frames import LandingFrames, LandingStep
from gait.analysis.jpeg import encode_jpeg
from gait.names import LEG, Side
from gait.output.draw import _COLOUR, _SEGMENTS, _pt, decode_jpeg

_ARROW = (255, 214, 0)  # RGB: the foot's axis
_REFERENCE = (255, 255, 255)  # RGB: the straight-ahead line


def _dashed(img: np.ndarray, a: np.ndarray, b: np.ndarray, colour: tuple[int, int, int], thick: int) -> None:
    n = 8
    for i in range(0, n, 2):
        p, q = a + (b - a) * i / n, a + (b - a) * (i + 1) / n
        cv2.line(img, _pt(p), _pt(q), colour, thick, cv2.LINE_AA)

ZOOM = 2.0  # frames are drawn at twice the crop size: thin, sharp lines on a phone's screen
SLOW_FACTOR = 4  # the exported clip plays at a quarter of real speed (a 240 fps clip at 60 fps)
_CONTACT = (40, 200, 90)  # RGB green
_LIFT_OFF = (230, 60, 60)  # RGB red
_LEG_SEGMENTS = tuple((a, b) for a, b in _SEGMENTS if a >= 23 and b >= 23)


@dataclass(frozen=True)
class OverlayContext:
    """What an overlay knows about the frame it draws on."""

    step: LandingStep
    frame_idx: int  # index into ``LandingFrames.frames``
    time_from_contact_ms: float
    zoom: float  # drawing pixels per crop pixel
    waist_px: tuple[tuple[float, float], ...] = ()  # the waistband measured on this frame, drawing pixels


# An overlay draws on the RGB picture given the landmarks (33, 2) in its pixels (NaN unknown).
Overlay = Callable[[np.ndarray, np.ndarray, OverlayContext], None]
# The frontal measures' lines (knee valgus: hip-to-ankle line of the landing leg and the knee; pelvic
# drop: the waistband or the line through the hips); other overlays may be appended; each frame draws them all.
_MEASURE_LINE = (230, 60, 200)  # RGB magenta: the lines the frontal measures use (gait.analysis.frontal)


def _knee_line(img: np.ndarray, pts: np.ndarray, ctx: OverlayContext) -> None:
    """Knee falling in: the landing leg's hip-to-ankle line, against which the knee's offset is read."""
    leg = LEG[ctx.step.foot]
    hip, knee, ankle = pts[leg.hip], pts[leg.knee], pts[leg.ankle]
    if not np.isfinite(np.concatenate([hip, knee, ankle])).all():
        return
    thick = max(1, int(round(2 * ctx.zoom)))
    _dashed(img, hip, ankle, _MEASURE_LINE, thick)
    cv2.circle(img, _pt(knee), max(3, int(round(4 * ctx.zoom))), _MEASURE_LINE, thick, cv2.LINE_AA)


def _hip_line(img: np.ndarray, pts: np.ndarray, ctx: OverlayContext) -> None:
    """Hip dropping: the line whose tilt the pelvic-drop measure follows: the waistband where it was
    measured from it (on the frames the pose model saw), else the line through both hips."""
    if len(ctx.waist_px) == 2:
        a, b = (np.asarray(p, float) for p in ctx.waist_px)
        cv2.line(img, _pt(a), _pt(b), _MEASURE_LINE, max(1, int(round(2 * ctx.zoom))), cv2.LINE_AA)
        return
    left, right = pts[LEG[Side.L].hip], pts[LEG[Side.R].hip]
    if not np.isfinite(np.concatenate([left, right])).all():
        return
    d = right - left
    cv2.line(img, _pt(left - 0.3 * d), _pt(right + 0.3 * d), _MEASURE_LINE, max(1, int(round(2 * ctx.zoom))),
             cv2.LINE_AA)


EXTRA_OVERLAYS: list[Overlay] = [_knee_line, _hip_line]


def time_from_contact_ms(landing: LandingFrames, step: LandingStep, frame_idx: int) -> float:
    return 1000.0 * (landing.frames[frame_idx].time_s - step.contact_s)


def clamp_frame(step: LandingStep, frame_idx: int) -> int:
    """``frame_idx`` kept within the step's window."""
    return int(min(step.last_idx, max(step.first_idx, frame_idx)))


def step_label(step: LandingStep, number: int) -> str:
    """How a step is named in the picker ("Step 3 · left · 2.54 s")."""
    return f"Step {number} · {step.foot.label} · {step.contact_s:.2f} s" + (" (typical)" if step.typical else "")


def _legs(img: np.ndarray, pts: np.ndarray, thick: int) -> None:
    for a, b in _LEG_SEGMENTS:
        if not np.isfinite(pts[[a, b]]).all():
            continue
        side = Side.L if a % 2 == 1 and b % 2 == 1 else Side.R if a % 2 == 0 and b % 2 == 0 else None
        cv2.line(img, _pt(pts[a]), _pt(pts[b]), _COLOUR[side] if side else (230, 230, 230), thick, cv2.LINE_AA)
    for i in range(23, 33):
        if np.isfinite(pts[i]).all():
            cv2.circle(img, _pt(pts[i]), thick + 1, (255, 255, 255), -1, cv2.LINE_AA)


def _foot_axis(img: np.ndarray, pts: np.ndarray, foot: Side, thick: int) -> None:
    leg = LEG[foot]
    heel, toe = pts[leg.heel], pts[leg.toe]
    if not np.isfinite([*heel, *toe]).all():
        return
    length = float(np.linalg.norm(toe - heel))
    if length < 1.0:
        return
    reach = max(2.5 * length, 0.16 * img.shape[0])
    _dashed(img, heel, heel + np.array([0.0, reach]), _REFERENCE, max(1, thick - 1))
    tip = heel + (toe - heel) / length * reach
    cv2.arrowedLine(img, _pt(heel), _pt(tip), (0, 0, 0), thick + 3, cv2.LINE_AA, tipLength=0.22)
    cv2.arrowedLine(img, _pt(heel), _pt(tip), _ARROW, thick + 1, cv2.LINE_AA, tipLength=0.22)


def _label(img: np.ndarray, text: str, xy: tuple[int, int], colour: tuple[int, int, int], scale: float) -> None:
    (w, h), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, max(1, int(2 * scale)))
    x, y = xy
    cv2.rectangle(img, (x - 4, y - h - 6), (x + w + 4, y + base + 2), (0, 0, 0), -1)
    cv2.putText(img, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, scale, colour, max(1, int(2 * scale)), cv2.LINE_AA)


def draw_frame(landing: LandingFrames, step: LandingStep, frame_idx: int, zoom: float = ZOOM,
               overlays: Sequence[Overlay] | None = None, text_scale: float = 1.0) -> np.ndarray:
    """One frame of ``step`` (``frame_idx`` into ``landing.frames``, clamped to the step) with its drawings, RGB.

    ``text_scale`` enlarges the labels for pictures shown small (side by side, key frames).
    """
    frame_idx = clamp_frame(step, frame_idx)
    frame = landing.frames[frame_idx]
    img = decode_jpeg(frame.jpeg)
    img = cv2.resize(img, (int(round(img.shape[1] * zoom)), int(round(img.shape[0] * zoom))),
                     interpolation=cv2.INTER_LINEAR)
    pts = frame.landmarks_px.astype(np.float64) * zoom
    thick = max(1, int(round(img.shape[0] / 260)))
    _legs(img, pts, thick)
    _foot_axis(img, pts, step.foot, thick)
    ms = time_from_contact_ms(landing, step, frame_idx)
    context = OverlayContext(step, frame_idx, ms, zoom,
                             tuple((float(x) * zoom, float(y) * zoom) for x, y in frame.waist_px))
    for overlay in (EXTRA_OVERLAYS if overlays is None else overlays):
        overlay(img, pts, context)
    scale = text_scale * img.shape[0] / 720.0
    _label(img, f"{ms:+.0f} ms", (int(10 * scale) + 4, int(34 * scale) + 4), (255, 255, 255), 0.9 * scale)
    _label(img, step.foot.label, (img.shape[1] - int(90 * scale), int(34 * scale) + 4), _COLOUR[step.foot],
           0.8 * scale)
    mark = ("CONTACT", _CONTACT) if frame_idx == step.contact_idx else \
        ("LIFT-OFF", _LIFT_OFF) if frame_idx == step.toe_off_idx else None
    if mark:
        border = max(4, int(8 * scale))
        cv2.rectangle(img, (0, 0), (img.shape[1] - 1, img.shape[0] - 1), mark[1], border)
        _label(img, mark[0], (int(14 * scale) + 4, img.shape[0] - int(18 * scale)), mark[1], 0.9 * scale)
    return img


def jpeg(rgb: np.ndarray, quality: int = 85) -> bytes:
    return encode_jpeg(rgb, quality)


def frame_jpeg(landing: LandingFrames, step: LandingStep, frame_idx: int, zoom: float = ZOOM) -> bytes:
    """What the viewer shows for one slider position."""
    return jpeg(draw_frame(landing, step, frame_idx, zoom))


# --- left and right side by side, locked to contact ----------------------------------------------


def typical_pair(landing: LandingFrames) -> tuple[LandingStep, LandingStep] | None:
    left, right = landing.typical(Side.L), landing.typical(Side.R)
    return (left, right) if left is not None and right is not None else None


def pair_offsets(landing: LandingFrames) -> tuple[int, int]:
    """Frames from contact (first, last) over which the typical left and right landings play together."""
    pair = typical_pair(landing)
    if pair is None:
        return 0, 0
    return (min(s.first_idx - s.contact_idx for s in pair), max(s.last_idx - s.contact_idx for s in pair))


def pair_frame(landing: LandingFrames, offset_frames: int, zoom: float = ZOOM * 0.75) -> np.ndarray | None:
    """Typical left and right landings, ``offset_frames`` frames from each one's contact, side by side (RGB).

    A side whose window is shorter holds its first or last frame.
    """
    pair = typical_pair(landing)
    if pair is None:
        return None
    pictures = [draw_frame(landing, s, s.contact_idx + offset_frames, zoom, text_scale=1.7) for s in pair]
    gap = np.full((pictures[0].shape[0], max(4, int(6 * zoom)), 3), 255, np.uint8)
    return np.hstack([pictures[0], gap, pictures[1]])


# --- for the physio: a slow-motion clip and key frames ---------------------------------------------


def _even(rgb: np.ndarray) -> np.ndarray:
    h, w = rgb.shape[:2]
    return np.ascontiguousarray(rgb[: h - h % 2, : w - w % 2])


def export_mp4(landing: LandingFrames, slow_factor: int = SLOW_FACTOR) -> bytes | None:
    """The typical left and right landings side by side as an H.264 MP4 phones play, ``slow_factor`` x slower.

    Every kept frame is one video frame (every frame of a slow-motion clip), played at the clip's
    own rate divided by ``slow_factor``. None when a foot has no typical landing.
    """

    first, last = pair_offsets(landing)
    if typical_pair(landing) is None:
        return None
    import os
    import tempfile

    rate = Fraction(round(1000 * landing.frame_rate_hz / slow_factor), 1000) or Fraction(15)
    # "faststart" (the index first, so a phone starts playing at once) rewrites the file: a real file.
    with tempfile.TemporaryDirectory(prefix="springcheck-clip-") as folder:
        path = os.path.join(folder, "landing.mp4")
        _write_mp4(landing, path, rate, first, last)
        with open(path, "rb") as fh:
            return fh.read()


def _write_mp4(landing: LandingFrames, path: str, rate: Fraction, first: int, last: int) -> None:
    import av

    with av.open(path, "w", format="mp4", options={"movflags": "+faststart"}) as out:
        stream = out.add_stream("libx264", rate=rate)
        # Main profile, 4:2:0: what every phone's player decodes.
        stream.options = {"preset": "veryfast", "crf": "23", "profile": "main"}
        stream.pix_fmt = "yuv420p"
        for k in range(first, last + 1):
            rgb = _even(pair_frame(landing, k))
            if k == first:
                stream.width, stream.height = rgb.shape[1], rgb.shape[0]
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def export_webp(landing: LandingFrames, slow_factor: int = SLOW_FACTOR) -> bytes | None:
    """The same clip as an animated WebP (Pillow), where no H.264 encoder is at hand."""
    from PIL import Image

    if typical_pair(landing) is None:
        return None
    first, last = pair_offsets(landing)
    images = [Image.fromarray(pair_frame(landing, k, zoom=1.0)) for k in range(first, last + 1)]
    duration_ms = max(10, int(round(1000.0 * slow_factor / max(landing.frame_rate_hz, 1.0))))
    buf = io.BytesIO()
    images[0].save(buf, format="WEBP", save_all=True, append_images=images[1:], duration=duration_ms, loop=0,
                   quality=70)
    return buf.getvalue()


def export_clip(landing: LandingFrames) -> tuple[bytes, str, str] | None:
    """(bytes, MIME type, file extension) of the physio clip: MP4 when H.264 can be written, else WebP."""
    import av

    if "libx264" in av.codecs_available:
        data = export_mp4(landing)
        return (data, "video/mp4", "mp4") if data else None
    data = export_webp(landing)
    return (data, "image/webp", "webp") if data else None


def key_frame_indices(step: LandingStep, landing: LandingFrames) -> list[tuple[str, int]]:
    """(label, frame index) of a landing's key moments: before contact, contact, mid-stance, lift-off."""
    keys = [("before", step.first_idx), ("contact", step.contact_idx)]
    end = step.toe_off_idx if step.toe_off_idx is not None else step.last_idx
    keys.append(("mid-stance", (step.contact_idx + end) // 2))
    keys.append(("lift-off" if step.toe_off_idx is not None else "last frame", end))
    return keys


def key_frames_jpeg(landing: LandingFrames, zoom: float = 1.0) -> bytes | None:
    """The typical landing of each foot as a row of key frames (one row per foot), JPEG; None without one."""
    rows = []
    for side in Side:
        step = landing.typical(side)
        if step is None:
            continue
        pictures = [draw_frame(landing, step, i, zoom, text_scale=1.5) for _, i in key_frame_indices(step, landing)]
        gap = np.full((pictures[0].shape[0], 4, 3), 255, np.uint8)
        row = pictures[0]
        for p in pictures[1:]:
            row = np.hstack([row, gap, p])
        rows.append(row)
    if not rows:
        return None
    width = max(r.shape[1] for r in rows)
    rows = [np.pad(r, ((0, 0), (0, width - r.shape[1]), (0, 0)), constant_values=255) for r in rows]
    grid = rows[0] if len(rows) == 1 else np.vstack([rows[0], np.full((4, width, 3), 255, np.uint8), rows[1]])
    return jpeg(grid, quality=88) or None


def render_ms(landing: LandingFrames, repeats: int = 30) -> float:
    """Median milliseconds to draw and compress one viewer frame (what each slider step costs the server)."""
    import time

    step = landing.steps[len(landing.steps) // 2]
    times = []
    for r in range(repeats):
        idx = step.first_idx + r % step.n_frames
        t0 = time.perf_counter()
        frame_jpeg(landing, step, idx)
        times.append(time.perf_counter() - t0)
    return 1000.0 * float(np.median(times)) if times else math.nan
