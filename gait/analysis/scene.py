"""Did the phone move? From the whole frames kept during the pose pass, with the person masked out.

A person who keeps their size while stepping is walking in place (a treadmill, marching) in front
of a still phone, or walking toward a phone that is carried backward in front of them. The feet
cannot tell the two apart (a belt and a retreating phone both carry a planted foot up the
picture); the room behind can: filmed by a still phone it stays put, apart from the person.
So frames about a second apart are compared outside the person: after the best whole-picture
shift (a hand-held phone's small shake, ``cv2.phaseCorrelate``), how far do the background's
textured pixels still differ? A plain wall and floor show nothing either way: then we cannot tell.
"""

from __future__ import annotations

import numpy as np

from gait.analysis.foot_angle import FootPixels
from gait.analysis.signal import CleanTrack
from gait.thresholds import value

_SMALL_PX = 480  # frames are compared at this long side (texture, not detail, matters)
_EDGE_LEVEL = 20.0  # a background pixel is textured where its gradient exceeds this (0-255 levels per px)
_PERSON_MARGIN = 0.35  # the person's box is widened by this share of their height each side (arms, hair)


def _small_gray(jpeg: bytes, full_size_px: tuple[int, int]) -> np.ndarray:
    """A kept whole frame as gray levels at ``_SMALL_PX`` long side.

    The JPEG is decoded straight to gray at 1/2, 1/4 or 1/8 scale where that still leaves
    ``_SMALL_PX`` (libjpeg scales in its inverse DCT: a 1080p frame ~5x cheaper than decoding it
    whole and shrinking it), then brought to the exact size.
    """
    import cv2

    w, h = full_size_px
    k = _SMALL_PX / max(w, h, 1)
    reduced = {1: cv2.IMREAD_GRAYSCALE, 2: cv2.IMREAD_REDUCED_GRAYSCALE_2, 4: cv2.IMREAD_REDUCED_GRAYSCALE_4,
               8: cv2.IMREAD_REDUCED_GRAYSCALE_8}
    factor = max(f for f in reduced if f == 1 or max(w, h) / f >= _SMALL_PX)
    gray = cv2.imdecode(np.frombuffer(jpeg, np.uint8), reduced[factor])
    size = (max(1, round(w * k)), max(1, round(h * k)))
    if (gray.shape[1], gray.shape[0]) != size:
        gray = cv2.resize(gray, size, interpolation=cv2.INTER_AREA)
    return gray.astype(np.float32)


def _person_mask(track: CleanTrack, time_s: float, shape: tuple[int, int]) -> np.ndarray:
    """True outside the person (widened box of all their landmarks at ``time_s``), in a frame of ``shape``."""
    mask = np.ones(shape, bool)
    i = int(np.argmin(np.abs(track.time_s - time_s)))
    pts = track.image_px[i]
    pts = pts[np.isfinite(pts).all(axis=1)]
    if len(pts) < 5:
        return mask
    k = shape[1] / float(track.frame_size_px[0])
    (x0, y0), (x1, y1) = pts.min(axis=0) * k, pts.max(axis=0) * k
    m = _PERSON_MARGIN * (y1 - y0)
    mask[max(0, int(y0 - m)): int(y1 + m) + 1, max(0, int(x0 - m)): int(x1 + m) + 1] = False
    return mask


def background_change(pixels: FootPixels, track: CleanTrack) -> float | None:
    """Median over frame pairs ~1 s apart of how much the textured background changed (0-255 levels,
    after the best shift); None when the background has too little texture to tell."""
    import cv2

    frames = [(t, _small_gray(jpeg, pixels.full_size_px)) for t, jpeg in pixels.backgrounds]
    gap_s = value("scene_compare_gap_s")
    changes = []
    for i, (ta, ga) in enumerate(frames):
        later = [(tb, gb) for tb, gb in frames[i + 1:] if tb - ta >= gap_s and gb.shape == ga.shape]
        if not later:
            continue
        tb, gb = later[0]
        mask = _person_mask(track, ta, ga.shape) & _person_mask(track, tb, ga.shape)
        gx, gy = cv2.Sobel(ga, cv2.CV_32F, 1, 0), cv2.Sobel(ga, cv2.CV_32F, 0, 1)
        textured = (np.hypot(gx, gy) > _EDGE_LEVEL) & mask
        if textured.mean() < value("scene_min_textured_share"):
            continue
        fill_a, fill_b = float(ga[mask].mean()), float(gb[mask].mean())
        (dx, dy), _ = cv2.phaseCorrelate(np.where(mask, ga, fill_a), np.where(mask, gb, fill_b))
        shift = np.float32([[1, 0, -dx], [0, 1, -dy]])
        gb = cv2.warpAffine(gb, shift, (gb.shape[1], gb.shape[0]), borderMode=cv2.BORDER_REPLICATE)
        # Brightness drift (a phone's exposure) is taken out with each frame's background mean.
        diff = np.abs((ga - fill_a) - (gb - float(gb[mask].mean())))
        changes.append(float(np.median(diff[textured])))
    if len(changes) < 3:
        return None
    return float(np.median(changes))


def phone_moved(pixels: FootPixels | None, track: CleanTrack) -> bool | None:
    """True when the room behind the person moved (the phone was carried), False when it stayed, None
    when the frames cannot tell (no frames kept, or a background too plain)."""
    if pixels is None or not pixels.backgrounds:
        return None
    change = background_change(pixels, track)
    if change is None:
        return None
    return change > value("scene_moved_level")
