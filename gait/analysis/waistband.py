"""The waistband's tilt in the full-resolution picture, for pelvic drop (issue 11).

BlazePose's hips sit inside the pelvis and jitter by a few pixels: their line's tilt carries
almost none of the pelvis's (rendered walkers: correlation -0.87..+0.21). A garment's waistband
sits on the pelvis (the iliac crests) and tilts with it, and the seam between the top and the
bottom garment is a long, sharp colour edge across the body: its tilt over some 60-150 columns
is found to a fraction of a pixel. Per frame, in a band over the model's hips (placed from them,
not measured by them), each column's strongest colour edge is found (CIELAB, sub-pixel), and a
line is fitted to them with the strays (an arm, a logo, the hem of a loose top) trimmed.

It measures the pelvis only where the seam is on it. A loose top hanging over the waistband
shows its hem, which hangs from the shoulders: such a hem hangs at or below the hips, so a
line is kept only where it lies above them (``waist_min_above_hips``, in hip widths), and
the filming guide asks for a top tucked in or ending at the waist. Checked on rendered
walkers whose waistband is bound to the pelvis (``tools.synth.render.waist_on_pelvis``):
python -m gait.validate, ``pelvic_drop_mae_deg``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gait.thresholds import value

_L_HIP, _R_HIP = 23, 24
_HALF_SPAN_W = 0.6  # columns within this many hip widths of the hips' middle (the waist's front, not its sides)
_ABOVE_W, _BELOW_W = 1.2, 0.2  # rows from this many hip widths above the hips' middle to this far below
_MIN_HIP_PX = 8.0  # hips closer than this in the picture: too small to see a seam
_MAX_HIP_PX = 40.0  # beyond this the band is shrunk to it: ~50 columns fit the seam's tilt to ~0.3 deg
_BLUR_PX = 1.0  # against JPEG and sensor noise; the seam stays sharp
_TRIM_ROUNDS = 3
_LAB_UNITS = np.array([100.0 / 255.0, 1.0, 1.0], np.float32)  # 8-bit Lab -> CIELAB units


@dataclass(frozen=True)
class WaistLine:
    """The seam found in one frame (full-resolution pixels of the upright picture)."""

    time_s: float
    slope: float  # dy/dx of the seam (image y down)
    height_w: float  # the seam's height above the hips' middle at the middle's column, in hip widths
    contrast: float  # median colour step across the seam on its columns (CIELAB units per 2 px)
    share: float  # share of the band's columns whose strongest edge lies on the line
    hip_width_px: float  # the model's hips' distance in this frame (the measure's scale)


def waist_line(time_s: float, rgb: np.ndarray, image_xy: np.ndarray) -> WaistLine | None:
    """The waistband line in ``rgb`` (upright, full resolution) placed from the pose (0-1 landmarks), or None."""
    import cv2

    h, w = rgb.shape[:2]
    hip_l = np.asarray(image_xy[_L_HIP, :2], float) * (w, h)
    hip_r = np.asarray(image_xy[_R_HIP, :2], float) * (w, h)
    if not np.isfinite([*hip_l, *hip_r]).all():
        return None
    mid, width = 0.5 * (hip_l + hip_r), float(np.linalg.norm(hip_l - hip_r))
    if width < _MIN_HIP_PX:
        return None
    x0, x1 = int(max(0, mid[0] - _HALF_SPAN_W * width)), int(min(w, mid[0] + _HALF_SPAN_W * width) + 1)
    y0, y1 = int(max(0, mid[1] - _ABOVE_W * width)), int(min(h, mid[1] + _BELOW_W * width) + 1)
    crop = rgb[y0:y1, x0:x1]
    if crop.shape[0] < 6 or crop.shape[1] < 6:
        return None
    kx = ky = 1.0
    if width > _MAX_HIP_PX:  # a big body: the band averaged down (the cost goes with its area; the tilt stays)
        size = (max(6, round(crop.shape[1] * _MAX_HIP_PX / width)), max(6, round(crop.shape[0] * _MAX_HIP_PX / width)))
        crop = cv2.resize(crop, size, interpolation=cv2.INTER_AREA)
        kx, ky = size[0] / (x1 - x0), size[1] / (y1 - y0)
    # 8-bit CIELAB (OpenCV's table lookup, ~5x cheaper than from floats): L scaled to 0-255, a and b offset.
    lab = cv2.cvtColor(cv2.GaussianBlur(np.ascontiguousarray(crop), (0, 0), _BLUR_PX), cv2.COLOR_RGB2Lab)
    lab = lab.astype(np.float32) * _LAB_UNITS
    d = lab[2:] - lab[:-2]
    step = np.sqrt(np.einsum("ijk,ijk->ij", d, d))  # colour change down each column, at rows 1..n-2
    rows = np.argmax(step, axis=0)
    cols = np.arange(step.shape[1])
    peak = step[rows, cols]
    inner = (rows > 0) & (rows < step.shape[0] - 1) & (peak > value("waist_min_contrast"))
    if inner.sum() < 6:
        return None
    r, c = rows[inner], cols[inner]
    a, b, d = step[r - 1, c], step[r, c], step[r + 1, c]
    den = a - 2 * b + d
    sub = np.where(den < 0, 0.5 * (a - d) / np.where(den < 0, den, -1.0), 0.0)
    xs, ys = c.astype(float), r + 1 + sub  # +1: step[i] is the change across rows i..i+2
    keep = np.ones(xs.size, bool)
    for _ in range(_TRIM_ROUNDS):  # trimmed least squares: arms, logos and folds stray off the seam
        slope, icpt = _line_fit(xs[keep], ys[keep])
        res = np.abs(ys - (slope * xs + icpt))
        kept = np.sort(res[keep])
        median = 0.5 * float(kept[(kept.size - 1) // 2] + kept[kept.size // 2])  # np.median's, without its overhead
        keep = res < max(1.0, 2.5 * median)
        if keep.sum() < 6:
            return None
    slope, icpt = _line_fit(xs[keep], ys[keep])
    y_mid = (slope * (mid[0] - x0) * kx + icpt) / ky + y0
    return WaistLine(time_s=float(time_s), slope=float(slope * kx / ky), height_w=float((mid[1] - y_mid) / width),
                     contrast=float(np.median(peak[inner][keep])), share=float(keep.sum() / step.shape[1]),
                     hip_width_px=width)


def _line_fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Least-squares y = slope * x + intercept (np.polyfit's line without its overhead)."""
    mx, my = float(x.mean()), float(y.mean())
    vx = float(np.dot(x - mx, x - mx))
    slope = float(np.dot(x - mx, y - my)) / vx if vx > 0 else 0.0
    return slope, my - slope * mx


def usable(line: WaistLine) -> bool:
    """A seam long, sharp and above the hips (a loose top's hem hangs at or below them)."""
    return (line.share >= value("waist_min_share") and line.contrast >= value("waist_min_contrast")
            and line.height_w >= value("waist_min_above_hips"))


def tilt_deg(lines: list[WaistLine], time_s: np.ndarray, right_minus_left_x: np.ndarray) -> np.ndarray:
    """Per time of ``time_s``, the seam's tilt as ``gait.analysis.frontal.hip_tilt_deg`` (+ = the right hip's
    side lower), from the usable line of the nearest frame within half a frame; NaN elsewhere.

    ``right_minus_left_x``: the right hip's x minus the left's at each time (which side of the picture
    is the person's right; a seam has no sides of its own).
    """
    out = np.full(np.asarray(time_s).shape, np.nan)
    good = [ln for ln in lines if usable(ln)]
    if not good or len(time_s) == 0:
        return out
    t = np.array([ln.time_s for ln in good])
    slope = np.array([ln.slope for ln in good])
    order = np.argsort(t)
    t, slope = t[order], slope[order]
    dt = float(np.median(np.diff(time_s))) if len(time_s) > 1 else 1.0
    k = np.clip(np.searchsorted(t, time_s), 1, max(1, t.size - 1)) if t.size > 1 else np.zeros(len(time_s), int)
    if t.size > 1:
        k = np.where(np.abs(t[k - 1] - time_s) <= np.abs(t[k] - time_s), k - 1, k)
    near = np.abs(t[k] - time_s) <= 0.5 * dt + 1e-6
    side = np.sign(right_minus_left_x)
    ok = near & np.isfinite(side) & (side != 0)
    out[ok] = np.degrees(np.arctan(slope[k[ok]] * side[ok]))
    return out


def seam_segment_px(line: WaistLine, hip_l_px: np.ndarray, hip_r_px: np.ndarray
                    ) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The seam as measured, across the band's columns, placed from the hips in any picture's pixels."""
    if not np.isfinite([*hip_l_px, *hip_r_px]).all():
        return None
    mid = 0.5 * (np.asarray(hip_l_px, float) + np.asarray(hip_r_px, float))
    width = float(np.linalg.norm(np.asarray(hip_l_px, float) - np.asarray(hip_r_px, float)))
    y_mid = mid[1] - line.height_w * width
    half = _HALF_SPAN_W * width
    a = (mid[0] - half, y_mid - line.slope * half)
    b = (mid[0] + half, y_mid + line.slope * half)
    return (float(a[0]), float(a[1])), (float(b[0]), float(b[1]))
