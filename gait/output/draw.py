"""Pictures: the landing frame with the skeleton and the foot's direction drawn on it.

During the analysis only a JPEG crop around the person is kept per frame (a few kB),
so memory stays small; the pictures are drawn afterwards for the steps that matter.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from gait.names import LEG, Side
from gait.analysis.video import Frame

# Skeleton segments (BlazePose indices) worth drawing for a runner: trunk and legs.
_SEGMENTS = ((11, 12), (11, 23), (12, 24), (23, 24), (23, 25), (25, 27), (24, 26), (26, 28),
             (27, 29), (29, 31), (27, 31), (28, 30), (30, 32), (28, 32))
_COLOUR = {Side.L: (66, 135, 245), Side.R: (245, 130, 48)}  # RGB: blue left, orange right
_ARROW = (255, 214, 0)
_REFERENCE = (255, 255, 255)
_CROP_MARGIN = 0.15  # share of the person's height added around them
_MAX_CROP_SIDE_PX = 480


@dataclass(frozen=True)
class Thumb:
    """A JPEG crop around the person in one frame and where it sits in the analysis frame."""

    time_s: float
    jpeg: bytes
    box_px: tuple[int, int, int, int]  # x0, y0, x1, y1 in the analysis frame
    scale: float  # crop pixels per analysis-frame pixel


def person_thumb(frame: Frame, landmarks_norm: np.ndarray) -> Thumb:
    """Crop the frame around the person (all landmarks plus a margin) and JPEG it."""
    h, w = frame.rgb.shape[:2]
    pts = landmarks_norm * np.array([w, h])
    pts = pts[np.isfinite(pts).all(axis=1)]
    if pts.shape[0] == 0:
        x0, y0, x1, y1 = 0, 0, w, h
    else:
        (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
        pad = _CROP_MARGIN * max(y1 - y0, x1 - x0, 1.0)
        x0, y0 = int(max(0, x0 - pad)), int(max(0, y0 - pad))
        x1, y1 = int(min(w, x1 + pad)), int(min(h, y1 + pad))
        if x1 - x0 < 8 or y1 - y0 < 8:
            x0, y0, x1, y1 = 0, 0, w, h
    crop = frame.rgb[y0:y1, x0:x1]
    scale = min(1.0, _MAX_CROP_SIDE_PX / max(crop.shape[:2]))
    if scale < 1.0:
        crop = cv2.resize(crop, (max(1, int(crop.shape[1] * scale)), max(1, int(crop.shape[0] * scale))),
                          interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(crop, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 85])
    return Thumb(time_s=frame.time_s, jpeg=buf.tobytes() if ok else b"", box_px=(x0, y0, x1, y1), scale=scale)


def decode_jpeg(data: bytes) -> np.ndarray:
    return cv2.cvtColor(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def landing_picture(thumb: Thumb, landmarks_px: np.ndarray, foot: Side, size_px: int = 420) -> bytes:
    """PNG of a landing: legs' skeleton, the landing foot's heel-to-toe arrow, and a dashed
    "straight at the camera" line from the heel to compare it with.

    ``landmarks_px`` is (33, 2) in analysis-frame pixels; NaN points are skipped. The
    picture shows the body from the hips down, ``size_px`` tall.
    """
    img = decode_jpeg(thumb.jpeg)
    x0, y0 = thumb.box_px[0], thumb.box_px[1]
    pts = (landmarks_px - np.array([x0, y0])) * thumb.scale
    # Hips down, so the feet are large on a phone screen.
    legs = pts[23:33][np.isfinite(pts[23:33]).all(axis=1)]
    if legs.shape[0] >= 4:
        top = int(max(0, legs[:, 1].min() - 0.1 * (legs[:, 1].max() - legs[:, 1].min())))
        img, pts = img[top:], pts - np.array([0, top])
    zoom = size_px / img.shape[0]
    img = cv2.resize(img, (max(1, int(img.shape[1] * zoom)), size_px), interpolation=cv2.INTER_CUBIC)
    pts = pts * zoom
    leg = LEG[foot]
    heel, toe = pts[leg.heel], pts[leg.toe]
    foot_len_px = float(np.linalg.norm(toe - heel)) if np.isfinite([*heel, *toe]).all() else float("nan")
    thick = max(2, int(round(size_px / 150)))
    for a, b in _SEGMENTS:
        if not np.isfinite(pts[[a, b]]).all():
            continue
        side = Side.L if a % 2 == 1 and b % 2 == 1 else Side.R if a % 2 == 0 and b % 2 == 0 else None
        colour = _COLOUR[side] if side else (230, 230, 230)
        cv2.line(img, _pt(pts[a]), _pt(pts[b]), colour, thick, cv2.LINE_AA)
    if np.isfinite(foot_len_px) and foot_len_px > 1:
        reach_px = max(3.0 * foot_len_px, 0.18 * size_px)
        direction = (toe - heel) / foot_len_px
        # Straight toward the camera runs down the picture in a front view.
        _dashed(img, heel, heel + np.array([0.0, reach_px]), _REFERENCE, max(1, thick - 1))
        cv2.arrowedLine(img, _pt(heel), _pt(heel + direction * reach_px), (0, 0, 0), thick + 3, cv2.LINE_AA,
                        tipLength=0.25)
        cv2.arrowedLine(img, _pt(heel), _pt(heel + direction * reach_px), _ARROW, thick + 1, cv2.LINE_AA,
                        tipLength=0.25)
    ok, buf = cv2.imencode(".png", cv2.cvtColor(img, cv2.COLOR_RGB2BGR))
    return buf.tobytes() if ok else b""


def _pt(p: np.ndarray) -> tuple[int, int]:
    return int(round(float(p[0]))), int(round(float(p[1])))


def _dashed(img: np.ndarray, a: np.ndarray, b: np.ndarray, colour: tuple[int, int, int], thick: int) -> None:
    n = 8
    for i in range(0, n, 2):
        p, q = a + (b - a) * i / n, a + (b - a) * (i + 1) / n
        cv2.line(img, _pt(p), _pt(q), colour, thick, cv2.LINE_AA)
