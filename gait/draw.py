"""Pictures: the landing frame with the skeleton and the foot's direction drawn on it."""

from __future__ import annotations

import cv2
import numpy as np

from gait.names import LEG, Side

# Skeleton segments (BlazePose indices) worth drawing for a runner: trunk and legs.
_SEGMENTS = ((11, 12), (11, 23), (12, 24), (23, 24), (23, 25), (25, 27), (24, 26), (26, 28),
             (27, 29), (29, 31), (27, 31), (28, 30), (30, 32), (28, 32))
_COLOUR = {Side.L: (66, 135, 245), Side.R: (245, 130, 48)}  # RGB: blue left, orange right
_ARROW = (250, 220, 40)
_THUMB_LONG_SIDE_PX = 480


def thumbnail(rgb: np.ndarray) -> bytes:
    """A small JPEG of a frame, kept in memory so pictures can be drawn after the analysis."""
    h, w = rgb.shape[:2]
    scale = min(1.0, _THUMB_LONG_SIDE_PX / max(h, w))
    small = cv2.resize(rgb, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA) if scale < 1 else rgb
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(small, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 80])
    return buf.tobytes() if ok else b""


def decode_jpeg(data: bytes) -> np.ndarray:
    return cv2.cvtColor(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def landing_picture(jpeg: bytes, landmarks_norm: np.ndarray, foot: Side, crop: bool = True) -> bytes:
    """PNG of a landing frame: skeleton, the landing foot highlighted, an arrow heel -> toe.

    ``landmarks_norm`` is (33, 2) in 0-1 of the frame; NaN points are skipped.
    """
    img = decode_jpeg(jpeg).copy()
    h, w = img.shape[:2]
    pts = landmarks_norm * np.array([w, h])
    thick = max(2, int(round(min(h, w) / 160)))
    for a, b in _SEGMENTS:
        if np.any(np.isnan(pts[[a, b]])):
            continue
        side = Side.L if a % 2 == 1 and b % 2 == 1 else Side.R if a % 2 == 0 and b % 2 == 0 else None
        colour = _COLOUR[side] if side else (230, 230, 230)
        cv2.line(img, tuple(int(v) for v in pts[a]), tuple(int(v) for v in pts[b]), colour, thick, cv2.LINE_AA)
    leg = LEG[foot]
    heel, toe = pts[leg.heel], pts[leg.toe]
    if not np.any(np.isnan([*heel, *toe])):
        direction = toe - heel
        tip = toe + 0.8 * direction  # extend the arrow so the direction reads at a glance
        cv2.arrowedLine(img, tuple(int(v) for v in heel), tuple(int(v) for v in tip), _ARROW, thick + 1,
                        cv2.LINE_AA, tipLength=0.35)
    if crop:
        img = _crop_to_person(img, pts)
    ok, buf = cv2.imencode(".png", cv2.cvtColor(img, cv2.COLOR_RGB2BGR))
    return buf.tobytes() if ok else b""


def _crop_to_person(img: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Crop to the lower body with a margin, so the feet are big on a phone screen."""
    h, w = img.shape[:2]
    legs = pts[23:33]
    legs = legs[~np.isnan(legs).any(axis=1)]
    if legs.shape[0] < 4:
        return img
    x0, y0 = legs.min(axis=0)
    x1, y1 = legs.max(axis=0)
    pad = 0.35 * max(x1 - x0, y1 - y0)
    x0, x1 = int(max(0, x0 - pad)), int(min(w, x1 + pad))
    y0, y1 = int(max(0, y0 - pad)), int(min(h, y1 + pad))
    if x1 - x0 < 16 or y1 - y0 < 16:
        return img
    crop = img[y0:y1, x0:x1]
    scale = 360 / max(crop.shape[:2])
    return cv2.resize(crop, (int(crop.shape[1] * scale), int(crop.shape[0] * scale)), interpolation=cv2.INTER_CUBIC)
