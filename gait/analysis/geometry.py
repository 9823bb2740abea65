"""Small geometric helpers shared by events and measures (pure numpy)."""

from __future__ import annotations

import numpy as np

from gait.names import LEG, Side
from gait.analysis.pose import LM
from gait.analysis.signal import CleanTrack


def rolling_median(values: np.ndarray, window_n: int) -> np.ndarray:
    """NaN-aware centred rolling median of a 1-D array (windows shortened at the ends)."""
    import warnings

    half = max(1, window_n // 2)
    n = values.shape[0]
    if n == 0:
        return np.full_like(values, np.nan, dtype=np.float64)
    # NaN padding stands for the shortened windows at the ends: a NaN-aware median ignores it.
    padded = np.concatenate([np.full(half, np.nan), np.asarray(values, dtype=np.float64), np.full(half, np.nan)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows stay NaN, as before
        return np.nanmedian(windows, axis=1)


def leg_length_px(track: CleanTrack, window_s: float = 0.5) -> np.ndarray:
    """Body scale per frame: hip-to-ankle length in pixels, both legs, smoothed over ``window_s``.

    The person grows in the picture as they approach; dividing by this makes speeds and
    distances independent of distance to the camera and of the phone's resolution.
    """
    lengths = [np.linalg.norm(track.image_px[:, LEG[s].hip] - track.image_px[:, LEG[s].ankle], axis=1) for s in Side]
    stacked = np.vstack(lengths)
    per_frame = np.full(stacked.shape[1], np.nan)
    seen = ~np.all(np.isnan(stacked), axis=0)
    # The longer of the two: a leg seen foreshortened or half-hidden only ever looks shorter.
    per_frame[seen] = np.nanmax(stacked[:, seen], axis=0)
    return rolling_median(per_frame, max(3, int(round(window_s * track.rate_hz))))


STRAIGHT_LEG_WINDOW_S = 1.2  # a walking stride (about 1.1 s) or two running ones
STRAIGHT_LEG_PERCENTILE = 90.0  # the straightest of the stride, short of a landmark's stray frame


def _longer_leg_px(track: CleanTrack) -> np.ndarray:
    """Per frame, the longer hip-to-ankle distance of the two legs in pixels (NaN with neither)."""
    import warnings

    lengths = np.vstack([np.linalg.norm(track.image_px[:, LEG[s].hip] - track.image_px[:, LEG[s].ankle], axis=1)
                         for s in Side])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames with neither leg stay NaN
        return np.nanmax(lengths, axis=0)


def _rolling_straightest(values: np.ndarray, half: int) -> np.ndarray:
    """Centred rolling ``STRAIGHT_LEG_PERCENTILE`` over ``2 * half + 1`` samples, NaN-aware."""
    import warnings

    padded = np.concatenate([np.full(half, np.nan), values, np.full(half, np.nan)])
    windows = np.sort(np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1), axis=1)  # NaN last
    # np.nanpercentile's "linear" method on each window's finite values, for all windows at once
    # (its own loop over windows cost ~0.1 s a clip); the same arithmetic, so the same numbers.
    n = np.isfinite(windows).sum(axis=1)
    pos = np.maximum(n - 1, 0) * (STRAIGHT_LEG_PERCENTILE / 100.0)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, np.maximum(n - 1, 0))
    rows = np.arange(windows.shape[0])
    a, b, t = windows[rows, lo], windows[rows, hi], pos - lo
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows stay NaN
        diff = b - a
        out = a + diff * t
        np.subtract(b, diff * (1 - t), out=out, where=t >= 0.5)
    out[n == 0] = np.nan
    return out


def straight_leg_px(track: CleanTrack, window_s: float = STRAIGHT_LEG_WINDOW_S) -> np.ndarray:
    """Per frame, the leg's length (hip to ankle, pixels) when it is straightest within a stride around it.

    Seen from the front a leg inclined toward or away from the phone (at contact, at push-off) or
    bent at the knee only ever looks shorter, so the rolling median of ``leg_length_px`` reads
    ~6-10 % short of the straight leg that step width is a share of (rendered walkers: step
    widths +0.02 leg too wide on exact joints, +0.04 with BlazePose's). Once per stride the
    stance leg passes upright and near straight: its length then is the leg's length.
    """
    return _rolling_straightest(_longer_leg_px(track), max(1, int(round(0.5 * window_s * track.rate_hz))))


def straight_leg_at_scale_px(track: CleanTrack, window_s: float = STRAIGHT_LEG_WINDOW_S) -> np.ndarray:
    """Per frame, the straight leg's length at that frame's distance (pixels).

    Like ``straight_leg_px``, the leg when straightest within a stride, but taken as a share of the
    leg's rolling median so that a person growing in the picture (walking toward the phone) does
    not lend the frame the larger leg of a moment later: that share (the straight leg over the
    stride's typical one, ~1.05-1.15 from the front) times this frame's rolling median.
    """
    longer = _longer_leg_px(track)
    n = max(3, int(round(window_s * track.rate_hz)))
    typical = rolling_median(longer, n)
    return typical * _rolling_straightest(longer / typical, max(1, n // 2))


def angle_at_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Angle ABC in degrees for arrays of points (..., D)."""
    v1, v2 = a - b, c - b
    cos = np.sum(v1 * v2, axis=-1) / (np.linalg.norm(v1, axis=-1) * np.linalg.norm(v2, axis=-1))
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def knee_flexion_deg(track: CleanTrack, side: Side) -> np.ndarray:
    """Knee flexion from world landmarks: 0 = straight, positive = bent.

    Uses the lightly filtered landmarks: a running stance's give lasts ~0.1 s and a
    6 Hz filter would shave it off.
    """
    leg = LEG[side]
    w = track.world_m_fast
    return 180.0 - angle_at_deg(w[:, leg.hip], w[:, leg.knee], w[:, leg.ankle])


def hip_mid_px(track: CleanTrack) -> np.ndarray:
    return 0.5 * (track.image_px[:, LM.L_HIP] + track.image_px[:, LM.R_HIP])


def shoulder_mid_px(track: CleanTrack) -> np.ndarray:
    return 0.5 * (track.image_px[:, LM.L_SHOULDER] + track.image_px[:, LM.R_SHOULDER])
