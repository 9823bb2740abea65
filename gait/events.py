"""Steps: stance phases per foot, initial contact and toe-off, and cadence.

Method (front view). A foot on the ground does not move over the ground. Filmed
by a still phone the person walks toward, a planted foot stands still in the
picture while the other foot swings. On a treadmill the planted foot moves
steadily backward with the belt, so there the belt's speed is taken off first.
Per foot we take the slower of heel and toe (heel still in early stance, toe still
at push-off), in leg lengths per second so the distance to the camera drops out,
and call the foot planted below an adaptive level between its slow and fast
phases. Times of contact and toe-off are interpolated between frames.

Fails when the phone moves (everything moves) or the feet are hidden for long
stretches; quality checks catch both before findings are built.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from gait.geometry import hip_mid_px, leg_length_px
from gait.names import LEG, Side
from gait.signal import CleanTrack, derivative, nan_runs
from gait.thresholds import value


class Travel(str, Enum):
    """How the person moves relative to the phone."""

    APPROACH = "approach"  # walking toward a still phone
    IN_PLACE = "in_place"  # treadmill, seen from the front


@dataclass(frozen=True)
class Stance:
    """One foot's time on the ground. Indices refer to the CleanTrack grid."""

    foot: Side
    contact_s: float
    toe_off_s: float | None  # None when the clip ends (or the foot is lost) before lift-off
    contact_idx: int
    toe_off_idx: int  # last index seen on the ground

    @property
    def duration_s(self) -> float | None:
        return None if self.toe_off_s is None else self.toe_off_s - self.contact_s


@dataclass(frozen=True)
class Cadence:
    """Steps per minute with a 68 % interval, and how it was found."""

    cadence_spm: float
    low_spm: float
    high_spm: float
    n_intervals: int
    method: str  # "contacts" or "hip_rhythm"


def foot_speed(track: CleanTrack, side: Side, travel: Travel = Travel.APPROACH, fast: bool = False) -> np.ndarray:
    """Speed of the foot over the ground in leg lengths per second (slower of heel and toe).

    ``fast`` uses the lightly filtered landmarks, to keep the sharpness of a landing.
    """
    leg = LEG[side]
    scale_px = leg_length_px(track)
    points = track.image_px_fast if fast else track.image_px
    speeds = []
    for idx in (leg.heel, leg.toe):
        vel = derivative(points[:, idx], track.rate_hz)
        if travel is Travel.IN_PLACE:
            # The belt carries a planted foot back (up the picture) at a steady speed: remove it.
            vel = vel - _belt_velocity_px_s(vel)
        speeds.append(np.linalg.norm(vel, axis=1) / scale_px)
    stacked = np.vstack(speeds)
    both_nan = np.all(np.isnan(stacked), axis=0)
    out = np.full(stacked.shape[1], np.nan)
    out[~both_nan] = np.nanmin(stacked[:, ~both_nan], axis=0)
    return out


def _belt_velocity_px_s(vel: np.ndarray) -> np.ndarray:
    # On the belt the foot's image velocity sits near its most "backward" steady value: the
    # lower quartile of vertical velocity (up the picture is negative y) is a robust estimate.
    vy = vel[:, 1]
    if np.all(np.isnan(vy)):
        return np.zeros(2)
    return np.array([0.0, float(np.nanpercentile(vy, 25))])


def stance_mask(speed: np.ndarray, rate_hz: float) -> np.ndarray:
    """Boolean on-the-ground per frame from one foot's speed, with short blips removed."""
    ok = ~np.isnan(speed)
    if ok.sum() < 4:
        return np.zeros_like(speed, dtype=bool)
    lo, hi = np.nanpercentile(speed, [10, 90])
    level = lo + value("stance_speed_fraction") * (hi - lo)
    mask = np.zeros_like(speed, dtype=bool)
    mask[ok] = speed[ok] < level
    # Merge tiny swings (noise), then drop tiny stances.
    min_swing_n = int(np.ceil(value("min_swing_s") * rate_hz))
    for start, stop in nan_runs(~mask & ok):
        if stop - start < min_swing_n and start > 0 and stop < len(mask) and mask[start - 1] and mask[stop]:
            mask[start:stop] = True
    min_stance_n = int(np.ceil(value("min_stance_s") * rate_hz))
    for start, stop in nan_runs(mask):
        if stop - start < min_stance_n:
            mask[start:stop] = False
    return mask


def _crossing_time_s(time_s: np.ndarray, speed: np.ndarray, before: int, after: int, level: float) -> float:
    """Time the speed crosses ``level`` between two neighbouring samples (linear, sub-frame)."""
    s0, s1 = speed[before], speed[after]
    if np.isnan(s0) or np.isnan(s1) or s0 == s1:
        return float(0.5 * (time_s[before] + time_s[after]))
    frac = float(np.clip((s0 - level) / (s0 - s1), 0.0, 1.0))
    return float(time_s[before] + frac * (time_s[after] - time_s[before]))


def detect_stances(track: CleanTrack, side: Side, travel: Travel = Travel.APPROACH) -> list[Stance]:
    """Stances of one foot whose contact was seen; toe-off is None when the clip ends first."""
    speed = foot_speed(track, side, travel)
    mask = stance_mask(speed, track.rate_hz)
    if not mask.any():
        return []
    lo, hi = np.nanpercentile(speed, [10, 90])
    level = lo + value("stance_speed_fraction") * (hi - lo)
    valid = ~np.isnan(speed)
    out: list[Stance] = []
    for start, stop in nan_runs(mask):
        last = stop - 1
        # The contact must be seen: a moving, visible foot just before.
        if start == 0 or not valid[start - 1]:
            continue
        contact_s = _crossing_time_s(track.time_s, speed, start - 1, start, level)
        seen_off = stop < len(mask) and valid[stop]
        toe_off_s = _crossing_time_s(track.time_s, speed, last, stop, level) if seen_off else None
        # A foot still for far longer than a step is someone standing, not stepping.
        if float(track.time_s[last]) - contact_s > value("max_stance_s"):
            continue
        out.append(Stance(foot=side, contact_s=contact_s, toe_off_s=toe_off_s, contact_idx=start, toe_off_idx=last))
    return out


def merge_close(stances: list[Stance]) -> list[Stance]:
    """Join stances of one foot that start closer together than any real stride.

    A foot cannot land twice within ``min_stride_s``: the second "contact" is a wobble of
    the same stance (a heel seen rocking, a landmark jump), so the two become one.
    """
    out: list[Stance] = []
    for s in stances:
        prev = out[-1] if out else None
        if prev is not None and s.contact_s - prev.contact_s < value("min_stride_s"):
            out[-1] = Stance(foot=prev.foot, contact_s=prev.contact_s, toe_off_s=s.toe_off_s,
                             contact_idx=prev.contact_idx, toe_off_idx=s.toe_off_idx)
        else:
            out.append(s)
    return out


def all_stances(track: CleanTrack, travel: Travel = Travel.APPROACH) -> list[Stance]:
    """Stances of both feet in time order."""
    stances = (merge_close(detect_stances(track, Side.L, travel))
               + merge_close(detect_stances(track, Side.R, travel)))
    return sorted(stances, key=lambda s: s.contact_s)


def cadence_from_contacts(stances: list[Stance]) -> Cadence | None:
    """Cadence from the times between successive contacts of opposite feet.

    Same-foot contact intervals (a missed step on the other side) count as two steps.
    """
    if len(stances) < value("min_steps_for_cadence"):
        return None
    step_times_s: list[float] = []
    by_foot: dict[Side, list[float]] = {Side.L: [], Side.R: []}
    for s in stances:
        by_foot[s.foot].append(s.contact_s)
    for prev, nxt in zip(stances, stances[1:]):
        dt = nxt.contact_s - prev.contact_s
        if prev.foot is not nxt.foot and 0.2 <= dt <= 1.5:
            step_times_s.append(dt)
    for times in by_foot.values():
        for a, b in zip(times, times[1:]):
            if 0.4 <= b - a <= 3.0:
                step_times_s.append((b - a) / 2.0)
    if len(step_times_s) < 3:
        return None
    arr = np.array(step_times_s)
    median_s = float(np.median(arr))
    # Standard error of the median ~ 1.253 * sd / sqrt(n) (normal approximation).
    se_s = 1.253 * float(np.std(arr, ddof=1)) / np.sqrt(len(arr))
    return Cadence(cadence_spm=60.0 / median_s, low_spm=60.0 / (median_s + se_s),
                   high_spm=60.0 / max(median_s - se_s, 1e-3), n_intervals=len(arr), method="contacts")


def cadence_from_hip_rhythm(track: CleanTrack) -> Cadence | None:
    """Cadence from the hips' up-down rhythm (one bob per step), by autocorrelation.

    Works from any viewpoint, so it also gives a cadence for side-on clips.
    """
    # Scale smoothed over 2 s: the leg's own swing must not leak into the rhythm.
    y = hip_mid_px(track)[:, 1] / leg_length_px(track, window_s=2.0)
    runs = [r for r in nan_runs(~np.isnan(y)) if r[1] - r[0] >= 2.0 * track.rate_hz]
    if not runs:
        return None
    start, stop = max(runs, key=lambda r: r[1] - r[0])
    seg = y[start:stop] - np.polyval(np.polyfit(np.arange(stop - start), y[start:stop], 2), np.arange(stop - start))
    seg = seg - seg.mean()
    ac = np.correlate(seg, seg, mode="full")[len(seg) - 1:]
    if ac[0] <= 0:
        return None
    ac = ac / ac[0]
    lag_min, lag_max = int(0.25 * track.rate_hz), min(len(ac) - 2, int(1.0 * track.rate_hz))
    if lag_max <= lag_min + 1:
        return None
    window = ac[lag_min:lag_max + 1]
    peaks = [i for i in range(1, len(window) - 1) if window[i] >= window[i - 1] and window[i] >= window[i + 1]]
    if not peaks:
        return None
    top = max(window[i] for i in peaks)
    if top < 0.3:  # no clear rhythm
        return None
    # The stride (two steps) repeats best; the first strong peak is the step.
    best = next(i for i in peaks if window[i] >= 0.6 * top)
    # Parabolic refinement of the peak for sub-frame period.
    y0, y1, y2 = window[best - 1], window[best], window[best + 1]
    denom = y0 - 2 * y1 + y2
    shift = 0.5 * (y0 - y2) / denom if denom != 0 else 0.0
    period_s = (lag_min + best + shift) / track.rate_hz
    n_steps = (stop - start) / track.rate_hz / period_s
    # One frame of period uncertainty spread over the steps seen.
    se_s = (1.0 / track.rate_hz) / max(np.sqrt(n_steps), 1.0)
    return Cadence(cadence_spm=60.0 / period_s, low_spm=60.0 / (period_s + se_s), high_spm=60.0 / (period_s - se_s),
                   n_intervals=int(n_steps), method="hip_rhythm")
