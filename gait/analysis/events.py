"""Steps: stance phases per foot, initial contact and toe-off, and cadence.

Method (any view). A foot on the ground does not move over the ground. Filmed by a
still phone, a planted foot stands still in the picture while the other swings; on a
treadmill it moves steadily with the belt, whose velocity is found from the feet
themselves (``ground_velocity``). Per foot we take the slower of heel and toe, in leg
lengths per second so the distance to the camera drops out, and find the planted
stretches below an adaptive level, on the track filtered for gait kinematics (6 Hz): a far
foot's landmarks jitter by a few pixels a frame, which on the lightly filtered track breaks
one stance into several or makes a swing look planted. The contact is where the heel reached
its planted path (sub-frame); in walking, where a heel strike is followed by the forefoot lowering,
it is moved back to when the heel had slowed to a fraction of its swing speed. Toe-off
is when the toe left its planted path for good. Contacts are scored against hand
annotations and rendered truth by ``python -m gait.validate``.

Fails when the phone moves with the person (a following camera looks like a treadmill)
or the feet are hidden for long stretches; quality checks catch what they can.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np
from scipy.signal import find_peaks

from gait.analysis.geometry import hip_mid_px, leg_length_px
from gait.names import LEG, LegLandmarks, Side
from gait.analysis.signal import CleanTrack, derivative, lowpass, nan_runs
from gait.thresholds import value


class Travel(str, Enum):
    """How the person moves relative to the phone."""

    APPROACH = "approach"  # walking toward a still phone
    IN_PLACE = "in_place"  # treadmill, seen from the front
    AWAY = "away"  # walking away from a still phone, seen from behind


@dataclass(frozen=True)
class Stance:
    """One foot's time on the ground. Indices refer to the CleanTrack grid."""

    foot: Side
    contact_s: float
    toe_off_s: float | None  # None when the clip ends (or the foot is lost) before lift-off
    contact_idx: int
    toe_off_idx: int  # last index seen on the ground
    # "foot": the foot was seen planted; "trunk": a running step the feet did not show, timed by the
    # body's fall onto it (``running_steps_from_trunk``): a step, with no foot to measure.
    found_by: str = "foot"

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
    method: str  # "contacts", "leg_rhythm" or "hip_rhythm"


def ground_velocity(track: CleanTrack, travel: Travel | None = None) -> np.ndarray:
    """Velocity of a planted foot in the picture, in leg lengths per second (x, y).

    Only someone who stays put while stepping (``travel`` IN_PLACE, or not known) can be on a belt:
    a person who comes nearer or goes away moves over a still floor, so there it is zero. (A far,
    small runner's jittery feet once gave a false "belt" of 0.55 leg lengths/s that moved every
    contact 130 ms early.)

    Filmed by a still phone, a foot on the ground stands still: zero. On a treadmill the belt
    carries it back at a steady speed, in whatever direction the belt runs in the picture. So
    the planted feet's velocity is the densest cluster of both feet's velocities (a foot spends
    a third to two thirds of its time planted, while swing velocities spread widely); zero wins
    whenever it is nearly as dense (``still_floor_density_share``). Seen from the front a belt
    carries the planted foot away from the phone, which moves it only 0.2-0.7 leg lengths/s up the
    picture: not far from zero against the kernel's width.
    """
    if travel is not None and travel is not Travel.IN_PLACE:
        return np.zeros(2)
    rows = []
    for side in Side:
        for idx in (LEG[side].heel, LEG[side].toe):
            vel = _velocity_legs_s(track, idx)
            rows.append(vel[np.all(np.isfinite(vel), axis=1)])
    vel = np.concatenate(rows) if rows else np.zeros((0, 2))
    if vel.shape[0] < 8:
        return np.zeros(2)
    bw = value("ground_velocity_bandwidth_legs_s")
    if vel.shape[0] > 1200:  # O(n^2) density: thin long clips evenly
        vel = vel[:: int(np.ceil(vel.shape[0] / 1200))]
    density = np.exp(-0.5 * np.sum((vel[:, None, :] - vel[None, :, :]) ** 2, axis=-1) / bw ** 2).sum(axis=1)
    at_zero = np.exp(-0.5 * np.sum(vel ** 2, axis=-1) / bw ** 2).sum()
    if at_zero >= value("still_floor_density_share") * density.max():
        return np.zeros(2)
    return vel[int(np.argmax(density))].copy()


def _velocity_legs_s(track: CleanTrack, idx: int, smooth: bool = False) -> np.ndarray:
    """Image velocity of one landmark in leg lengths per second: lightly filtered (the landing's
    sharp stop), or ``smooth`` (filtered for gait kinematics: which frames a foot is planted in)."""
    scale_px = leg_length_px(track, window_s=1.0)
    px = track.image_px if smooth else track.image_px_fast
    return derivative(px[:, idx], track.rate_hz) / scale_px[:, None]


def foot_speed(track: CleanTrack, side: Side, travel: Travel = Travel.APPROACH, fast: bool = False,
               ground: np.ndarray | None = None) -> np.ndarray:
    """Speed of the foot over the ground in leg lengths per second (slower of heel and toe).

    ``ground`` is the planted foot's velocity in the picture (see ``ground_velocity``; computed
    when not given). ``travel`` and ``fast`` are kept for callers; the lightly filtered
    landmarks are always used, to keep the sharpness of a landing.
    """
    ground = ground_velocity(track) if ground is None else ground
    leg = LEG[side]
    heel = np.linalg.norm(_velocity_legs_s(track, leg.heel) - ground, axis=1)
    toe = np.linalg.norm(_velocity_legs_s(track, leg.toe) - ground, axis=1)
    return np.fmin(heel, toe)


def _crossing_time_s(time_s: np.ndarray, speed: np.ndarray, before: int, after: int, level: float) -> float:
    """Time the speed crosses ``level`` between two neighbouring samples (linear, sub-frame)."""
    s0, s1 = speed[before], speed[after]
    if np.isnan(s0) or np.isnan(s1) or s0 == s1:
        return float(0.5 * (time_s[before] + time_s[after]))
    frac = float(np.clip((s0 - level) / (s0 - s1), 0.0, 1.0))
    return float(time_s[before] + frac * (time_s[after] - time_s[before]))


def detect_stances(track: CleanTrack, side: Side, travel: Travel = Travel.APPROACH,
                   ground: np.ndarray | None = None) -> list[Stance]:
    """Stances of one foot whose contact was seen; toe-off is None when the clip ends first.

    First the planted stretches: the foot (the slower of heel and toe, on the smoothed track)
    moves over the ground slower than an adaptive level between its planted and swinging speeds. The contact is
    then when the heel arrived on its planted path (``planted_path_tolerance_legs``). In a
    walk (long stances, still floor) the forefoot lowering after a heel strike moves the
    foot's landmarks for another ~0.1 s, so there the contact moves back to the first moment
    the heel had slowed to ``contact_speed_fraction`` of its swing peak, at most
    ``max_foot_lowering_s`` earlier. Toe-off is when the toe left its planted path for good.
    Stepping on the spot (``travel`` in place, still floor) has no heel strike: with no forward
    travel the foot comes down flat or on its ball, so the arrival on the planted path is the contact.
    """
    ground = ground_velocity(track) if ground is None else ground
    leg = LEG[side]
    heel = np.linalg.norm(_velocity_legs_s(track, leg.heel) - ground, axis=1)
    toe = np.linalg.norm(_velocity_legs_s(track, leg.toe) - ground, axis=1)
    heel = np.where(np.isfinite(heel), heel, toe)
    toe = np.where(np.isfinite(toe), toe, heel)
    foot = np.fmin(heel, toe)
    # Which frames the foot is planted in comes from the smoothed track: a far or small foot's
    # landmarks jitter by a few pixels a frame, which at 30 frames/s looks like a swing. The
    # moment of landing is then found on the lightly filtered one (``_arrival``, heel strike).
    planted = _planted_speed(track, leg, ground)
    mask = stance_mask(planted, track.rate_hz)
    if not mask.any():
        return []
    valid = np.isfinite(foot)
    # Heel strike then a foot lowering onto the floor for 0.1-0.2 s is how people walk; a runner's
    # foot is flat within a few hundredths of a second, so there the arrival on the planted path is
    # the contact. Walking is told by its long stances (over ~0.5 s; running under ~0.3 s).
    runs = nan_runs(mask)
    typical_stance_s = float(np.median([(b - a) / track.rate_hz for a, b in runs]))
    heel_strike = (travel is not Travel.IN_PLACE and not np.any(ground)
                   and typical_stance_s >= value("min_walking_stance_s"))
    scale_px = leg_length_px(track, window_s=1.0)
    out: list[Stance] = []
    prev_stop = 0
    for start, stop in nan_runs(mask):
        last = stop - 1
        # The contact must be seen: a foot seen moving for a good part of a swing just before
        # (not a foot that has just come into view, while the pose model is still settling).
        seen_n = int(np.ceil(value("min_seen_swing_s") * track.rate_hz))
        if start < seen_n or not valid[start - seen_n: start].all():
            prev_stop = stop
            continue
        contact, contact_s = _arrival(track, leg.heel, ground, scale_px, start, stop, prev_stop)
        swing_peak = np.nanmax(planted[prev_stop:start]) if np.isfinite(planted[prev_stop:start]).any() else 0.0
        if swing_peak < value("min_swing_speed_legs_s"):
            prev_stop = stop
            continue  # the foot never really swung: a shuffle, a sway or the pose model's jitter
        if heel_strike:
            # Over a still floor a foot in the air is never still: once the heel has slowed to a
            # fraction of its swing speed it has landed, even while the forefoot still lowers.
            swing = np.arange(prev_stop, contact)
            swing = swing[np.isfinite(heel[swing])]
            if swing.size:
                peak = int(swing[np.argmax(heel[swing])])
                early = heel[peak] * value("contact_speed_fraction")
                first = max(peak + 1, contact - int(round(value("max_foot_lowering_s") * track.rate_hz)))
                below = np.flatnonzero(heel[first: contact] < early)
                if below.size:
                    i = first + int(below[0])
                    contact, contact_s = i, _crossing_time_s(track.time_s, heel, i - 1, i, early)
        prev_stop = stop
        seen_off = stop < len(mask) and valid[stop]
        toe_off_s = _departure(track, leg.toe, ground, scale_px, start, stop) if seen_off else None
        if toe_off_s is not None and heel_strike:
            toe_off_s = _push_off_end_s(track, toe, toe_off_s)
        # A foot still for far longer than a step is someone standing, not stepping.
        if float(track.time_s[last]) - contact_s > value("max_stance_s"):
            continue
        out.append(Stance(foot=side, contact_s=contact_s, toe_off_s=toe_off_s, contact_idx=contact,
                          toe_off_idx=last))
    return out


def _planted_speed(track: CleanTrack, leg: LegLandmarks, ground: np.ndarray) -> np.ndarray:
    """The slower of heel and toe over the ground, from the smoothed track (leg lengths per second)."""
    heel = np.linalg.norm(_velocity_legs_s(track, leg.heel, smooth=True) - ground, axis=1)
    toe = np.linalg.norm(_velocity_legs_s(track, leg.toe, smooth=True) - ground, axis=1)
    return np.fmin(np.where(np.isfinite(heel), heel, toe), np.where(np.isfinite(toe), toe, heel))


def _stance_offsets_legs(track: CleanTrack, idx: int, ground: np.ndarray, scale_px: np.ndarray,
                         start: int, stop: int) -> np.ndarray:
    """How far the landmark is, per frame, from where a planted foot would be (leg lengths).

    The planted path is fitted to the stance's frames: a fixed point, carried along at the
    ground's velocity (zero, or a treadmill's belt).
    """
    t = track.time_s
    mid_s = float(np.mean(t[start:stop]))
    drift_px = ground[None, :] * scale_px[:, None] * (t - mid_s)[:, None]
    planted = track.image_px_fast[start:stop, idx] - drift_px[start:stop]
    if not np.isfinite(planted).all(axis=1).any():
        return np.full(t.shape[0], np.nan)  # this landmark was not seen while planted (the other one was)
    anchor = np.nanmedian(planted, axis=0)
    return np.linalg.norm(track.image_px_fast[:, idx] - (anchor + drift_px), axis=1) / scale_px


def _arrival(track: CleanTrack, idx: int, ground: np.ndarray, scale_px: np.ndarray, start: int, stop: int,
             earliest: int) -> tuple[int, float]:
    """(index, time) a landing landmark reached its planted path, searching back from ``start``."""
    off = _stance_offsets_legs(track, idx, ground, scale_px, start, stop)
    tol = value("planted_path_tolerance_legs")
    i = start
    while i - 1 > earliest and np.isfinite(off[i - 1]) and off[i - 1] <= tol:
        i -= 1
    if i == 0 or not np.isfinite(off[i - 1]) or not np.isfinite(off[i]):
        return i, float(track.time_s[i])
    return i, _crossing_time_s(track.time_s, off, i - 1, i, tol)


def _departure(track: CleanTrack, idx: int, ground: np.ndarray, scale_px: np.ndarray, start: int,
               stop: int) -> float | None:
    """Time a lifting landmark left its planted path for good (for ``min_swing_s``), after ``start``."""
    off = _stance_offsets_legs(track, idx, ground, scale_px, start, stop)
    tol = value("planted_path_tolerance_legs")
    away_n = max(1, int(np.ceil(value("min_swing_s") * track.rate_hz)))
    n = off.shape[0]
    first = max(start + 1, (start + stop) // 2)  # the second half: jitter while planted is not a lift
    for i in range(first, n - away_n + 1):
        ahead = off[i: i + away_n]
        if not np.isfinite(ahead).all():
            return None  # lost from sight: the lift-off was not seen
        if np.all(ahead > tol):
            return _crossing_time_s(track.time_s, off, i, i - 1, tol)
    return None


def _push_off_end_s(track: CleanTrack, toe_speed: np.ndarray, leaves_s: float) -> float:
    """When a walking foot's toe left the floor, from when its toe landmark left its planted spot.

    Walking, the heel rises a fifth of a second or so before the toe leaves (heel-off at ~30-40 %,
    toe-off at ~60 % of the gait cycle; Perry & Burnfield 2010), and the pose model's toe point moves
    with the rolling foot; the toe itself is off once it moves at a fraction of its swing's peak
    speed, as a landing heel is down once it has slowed to that fraction (mirrored).
    """
    t = track.time_s
    i0 = int(np.searchsorted(t, leaves_s))
    stop = min(t.size, i0 + int(round(value("swing_peak_within_s") * track.rate_hz)) + 1)
    window = toe_speed[i0:stop]
    if window.size < 2 or not np.isfinite(window).any():
        return leaves_s
    peak = i0 + int(np.nanargmax(window))
    level = toe_speed[peak] * value("contact_speed_fraction")
    above = np.flatnonzero(toe_speed[i0: peak + 1] >= level)
    if above.size == 0 or above[0] == 0:
        return leaves_s
    i = i0 + int(above[0])
    return max(leaves_s, _crossing_time_s(t, toe_speed, i - 1, i, level))


def stance_mask(speed: np.ndarray, rate_hz: float, allowed: np.ndarray | None = None) -> np.ndarray:
    """Boolean on-the-ground per frame from one foot's speed, with short blips removed.

    ``allowed`` (optional) marks the frames where the foot may be on the ground at all.
    """
    ok = ~np.isnan(speed)
    if ok.sum() < 4:
        return np.zeros_like(speed, dtype=bool)
    lo, hi = np.nanpercentile(speed, [10, 90])
    level = lo + value("stance_speed_fraction") * (hi - lo)
    mask = np.zeros_like(speed, dtype=bool)
    mask[ok] = speed[ok] < level
    if allowed is not None:
        mask &= allowed
    # Merge tiny swings (noise), then drop tiny stances.
    min_swing_n = int(np.ceil(value("min_swing_s") * rate_hz))
    for start, stop in nan_runs(~mask & ok):
        if stop - start < min_swing_n and start > 0 and stop < len(mask) and mask[start - 1] and mask[stop]:
            mask[start:stop] = True
    min_stance_n = int(np.ceil(value("min_stance_s") * rate_hz))
    # A stance the clip's end cuts short is judged by what was seen of it: a foot that slowed
    # and stayed slowed until the last frame has landed (its full length was never filmed).
    cut_n = int(np.ceil(value("min_cut_stance_s") * rate_hz))
    last_seen = int(np.flatnonzero(ok)[-1]) + 1
    for start, stop in nan_runs(mask):
        if stop - start < (cut_n if stop == last_seen else min_stance_n):
            mask[start:stop] = False
    return mask


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


def all_stances(track: CleanTrack, travel: Travel | None = None, running: bool | None = None,
                turn_s: float | None = None, away_first: bool = False) -> list[Stance]:
    """Stances of both feet in time order (seen from behind: see ``contacts_from_lift_offs``).

    ``travel`` None (not known): a belt under the feet is looked for whatever the person does.
    ``running``: the take is a run (None: not known, told from the stances' length).
    ``turn_s``: the person walked toward the phone and back, turning then; from there on they are
    seen from behind (``away_first``: until then, having walked away first).
    """
    ground = ground_velocity(track, travel)
    how = travel or Travel.APPROACH
    stances = (merge_close(detect_stances(track, Side.L, how, ground=ground))
               + merge_close(detect_stances(track, Side.R, how, ground=ground)))
    stances = sorted(stances, key=lambda s: s.contact_s)
    if travel is Travel.AWAY or turn_s is not None:
        # Before two overlapping stances are settled: seen from behind a foot's stretch looks planted
        # from late in its swing on, over the other foot's real contact, and the other foot's lift-off
        # is what times it.
        behind = [travel is Travel.AWAY or (s.contact_s < turn_s) == away_first for s in stances]
        back = contacts_from_lift_offs([s for s, b in zip(stances, behind) if b], track, running)
        # A contact moved later can now lie within a stride of the same foot's next one: one stance.
        back = merge_close([s for s in back if s.foot is Side.L]) + merge_close([s for s in back if s.foot is Side.R])
        stances = sorted([s for s, b in zip(stances, behind) if not b] + back, key=lambda s: s.contact_s)
    return one_foot_at_a_time(stances)


def contacts_from_lift_offs(stances: list[Stance], track: CleanTrack, running: bool | None = None) -> list[Stance]:
    """Walking away from the phone, each contact timed from the other foot's lift-off.

    Seen from behind, a foot late in its swing sinks to the floor while it moves away: in the
    picture the two motions cancel (sinking moves it down, moving away moves it up), so it looks
    planted a quarter of a second before it lands. The lift-off is clear (rising and moving away
    both move it up), and in walking the other foot lifts off a tenth of the stride after a
    contact (``opposite_lift_off_share``). Each stance's contact is moved there when the other
    foot's lift-off falls inside it; runs (no double support) are left as found: a take filmed as a
    run (``running``), or, not told, one whose stances look short. (Seen from behind a running
    stance looks 0.4-0.5 s long, as long as a walking one, so the take decides where it is known.)
    """
    lengths = [s.toe_off_idx - s.contact_idx for s in stances]
    if not stances or running or np.median(lengths) / track.rate_hz < value("min_walking_stance_s"):
        return stances
    # Lift-offs of real stances only: a stretch planted for under half the typical one is the pose
    # model's jitter (a foot seen still for a moment mid-swing), and its "lift-off" times nothing.
    real = [s for s in stances
            if s.toe_off_s is not None and s.toe_off_idx - s.contact_idx >= 0.5 * np.median(lengths)]
    lifts = {side: sorted(float(track.time_s[s.toe_off_idx]) for s in real if s.foot is side) for side in Side}
    # The stride from each foot's successive lift-offs and (early by the same amount) contacts.
    contacts = {side: [s.contact_s for s in stances if s.foot is side] for side in Side}
    strides = [b - a for times in (*lifts.values(), *contacts.values()) for a, b in zip(times, times[1:])
               if value("min_stride_s") <= b - a <= 2 * value("max_step_s")]
    if len(strides) < 2:
        return stances
    lead_s = value("opposite_lift_off_share") * float(np.median(strides))
    out = []
    for s in stances:
        other = Side.R if s.foot is Side.L else Side.L
        end_s = float(track.time_s[s.toe_off_idx])
        # The other foot's first lift-off that puts this contact within the stretch found planted
        # (or up to ``lead_s`` before it), leaving the stance at least its shortest length.
        timed = [lift_s - lead_s for lift_s in lifts[other]
                 if s.contact_s <= lift_s <= end_s - value("min_stance_s") + lead_s]
        if timed:
            contact_s = timed[0]
            idx = int(np.clip(np.searchsorted(track.time_s, contact_s), s.contact_idx, s.toe_off_idx))
            s = Stance(foot=s.foot, contact_s=contact_s, toe_off_s=s.toe_off_s, contact_idx=idx, toe_off_idx=s.toe_off_idx)
        out.append(s)
    return sorted(out, key=lambda s: s.contact_s)


def trunk_fall_times_s(track: CleanTrack) -> np.ndarray:
    """Times the hips fall fastest, once per running step (seconds).

    A runner is in free fall between steps, so the body drops faster and faster until a foot meets
    the floor and pushes back: the hips' downward speed peaks at each contact (within two frames of
    33 of the 34 annotated contacts of the real treadmill run). The hips are the pose model's
    largest and steadiest landmarks, so this holds for a runner whose feet are a few pixels. The
    hips' height is taken in leg lengths, and its slow drift (the runner coming nearer) is
    filtered out.
    """
    y = hip_mid_px(track)[:, 1] / leg_length_px(track, window_s=2.0)
    ok = np.isfinite(y)
    if ok.sum() < 2.0 * track.rate_hz:
        return np.zeros(0)
    idx = np.arange(y.size)
    y = np.interp(idx, idx[ok], y[ok])
    bob = y - lowpass(y, track.rate_hz, value("trunk_drift_cutoff_hz"))
    fall = derivative(bob, track.rate_hz)  # + = down the picture
    peaks, _ = find_peaks(fall, distance=max(1, int(value("min_step_s") * track.rate_hz)),
                          prominence=value("trunk_fall_prominence_legs_s"))
    return track.time_s[peaks[ok[peaks]]]


def running_steps_from_trunk(stances: list[Stance], track: CleanTrack) -> list[Stance]:
    """A running step between two found contacts that the feet did not show, from the hips' fall.

    Where two contacts found lie n steps apart (n >= 2, at the typical step time), the n - 1 steps
    between are each placed at the hips' fastest fall nearest where the rhythm expects it (within
    ``trunk_step_tolerance`` of a step). Their feet alternate from the contact before; a gap whose
    ends disagree with that (the feet found there would not alternate) is left alone. Only inside
    the stretch the feet show, never past its ends.
    """
    falls = trunk_fall_times_s(track)
    if len(stances) < 2 or falls.size < 3:
        return stances
    # The step time from the feet, or from the hips' own rhythm when the feet gave too few steps.
    typical_s = _typical_step_s(stances)
    if typical_s is None:
        rhythm = cadence_from_hip_rhythm(track)
        typical_s = 60.0 / rhythm.cadence_spm if rhythm is not None else float("nan")
    if not value("min_step_s") <= typical_s <= value("max_step_s"):
        return stances
    tol_s = value("trunk_step_tolerance") * typical_s
    added = []
    for a, b in zip(stances, stances[1:]):
        gap_s = b.contact_s - a.contact_s
        n = int(round(gap_s / typical_s))
        if n < 2 or (n % 2 == 0) != (a.foot is b.foot):
            continue
        for k in range(1, n):
            want_s = a.contact_s + k * gap_s / n
            near = falls[np.abs(falls - want_s) < tol_s]
            if near.size == 0:
                continue
            t = float(near[np.argmin(np.abs(near - want_s))])
            foot = a.foot if k % 2 == 0 else (Side.R if a.foot is Side.L else Side.L)
            i = int(np.argmin(np.abs(track.time_s - t)))
            added.append(Stance(foot=foot, contact_s=t, toe_off_s=None, contact_idx=i, toe_off_idx=i,
                                found_by="trunk"))
    return sorted([*stances, *added], key=lambda s: s.contact_s)


def _planted_frames(s: Stance) -> int:
    return s.toe_off_idx - s.contact_idx


def one_foot_at_a_time(stances: list[Stance]) -> list[Stance]:
    """Drop one of two contacts of opposite feet closer together than any real step.

    Both feet cannot land within ``min_step_s`` (faster than sprinting): one of the two is the
    pose model putting both legs on one for a moment, so the one planted longer stays.
    """
    out: list[Stance] = []
    for s in stances:
        prev = out[-1] if out else None
        if prev is not None and s.foot is not prev.foot and s.contact_s - prev.contact_s < value("min_step_s"):
            if _planted_frames(s) > _planted_frames(prev):
                out[-1] = s  # the longer stance is the real one; a merged leg lasts a moment
            continue
        out.append(s)
    return out


def _step_times_s(stances: list[Stance]) -> list[float]:
    """Plausible single-step times: opposite-foot intervals, and half of each same-foot stride.

    Two contacts of one foot a single typical step apart are one step with a foot mislabelled (the
    pose model's left and right swap in a front view), not a stride: they count as one step when
    that interval is nearer one typical step (median opposite-foot interval) than two.
    """
    typical_s = _typical_step_s(stances)
    times = []
    for prev, nxt in zip(stances, stances[1:]):
        dt = nxt.contact_s - prev.contact_s
        stride = prev.foot is nxt.foot and (typical_s is None or abs(dt - 2 * typical_s) < abs(dt - typical_s))
        n = 2 if stride else 1
        dt = dt / n
        if value("min_step_s") <= dt <= value("max_step_s"):
            times.extend([dt] * n)
    return times


def _typical_step_s(stances: list[Stance]) -> float | None:
    """Median time between successive contacts of opposite feet (plausible steps only)."""
    steps = [nxt.contact_s - prev.contact_s for prev, nxt in zip(stances, stances[1:]) if prev.foot is not nxt.foot
             and value("min_step_s") <= nxt.contact_s - prev.contact_s <= value("max_step_s")]
    return float(np.median(steps)) if len(steps) >= 3 else None


def steady_stretch(stances: list[Stance]) -> tuple[int, int] | None:
    """(first, last) index of the longest steady run of contacts; None when there is none of 3 steps.

    Steady: feet alternate and each step lasts 0.75-1.33 of the typical step (steady walking
    varies by ~5-10 %). Standing, the first steps from standing, the slowing closing steps, a
    turn, a missed or an extra contact all end a run, so what is left is the steady walk.
    """
    typical_s = _typical_step_s(stances)
    if typical_s is None:
        return None
    best: tuple[int, int] | None = None
    first = 0
    for i, (prev, nxt) in enumerate(zip(stances, stances[1:])):
        dt = nxt.contact_s - prev.contact_s
        if not (prev.foot is not nxt.foot and 0.75 * typical_s <= dt <= 1.33 * typical_s):
            first = i + 1
            continue
        if best is None or i + 1 - first > best[1] - best[0]:
            best = (first, i + 1)
    return best if best is not None and best[1] - best[0] >= 3 else None


def cadence_from_contacts(stances: list[Stance]) -> Cadence | None:
    """Steps per minute over the steady stretch (``steady_stretch``): its steps / its duration.

    With no steady stretch of three steps, the median step decides. The 68 % interval comes
    from the spread of the single step times (standard error of their mean).
    """
    if len(stances) < value("min_steps_for_cadence"):
        return None
    typical_s = _typical_step_s(stances)
    if typical_s is None:
        return None
    stretch = steady_stretch(stances)
    if stretch is not None:
        run = stances[stretch[0]: stretch[1] + 1]
        times = np.diff([s.contact_s for s in run])
        period_s = float(np.mean(times))  # = the stretch's duration / its steps
    else:
        # No steady stretch: every plausible step, a foot's own stride counting as two steps
        # (the other foot's contact between was missed).
        times = np.array(_step_times_s(stances))
        period_s = float(np.median(times))
    se_s = float(np.std(times, ddof=1)) / np.sqrt(times.size)
    return Cadence(cadence_spm=60.0 / period_s, low_spm=60.0 / (period_s + se_s),
                   high_spm=60.0 / max(period_s - se_s, 1e-3), n_intervals=int(times.size), method="contacts")


def _vertex_offset(values: np.ndarray, k: int) -> float:
    """Sub-sample offset of the peak (or trough) at ``k``: the vertex of the parabola through k-1, k, k+1."""
    y0, y1, y2 = values[k - 1], values[k], values[k + 1]
    curve = y0 - 2 * y1 + y2
    return float(0.5 * (y0 - y2) / curve) if curve != 0 else 0.0


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
    period_s = (lag_min + best + _vertex_offset(window, best)) / track.rate_hz  # sub-frame period
    n_steps = (stop - start) / track.rate_hz / period_s
    # One frame of period uncertainty spread over the steps seen.
    se_s = (1.0 / track.rate_hz) / max(np.sqrt(n_steps), 1.0)
    return Cadence(cadence_spm=60.0 / period_s, low_spm=60.0 / (period_s + se_s), high_spm=60.0 / (period_s - se_s),
                   n_intervals=int(n_steps), method="hip_rhythm")


def cadence_from_leg_rhythm(track: CleanTrack, travel: Travel) -> Cadence | None:
    """Cadence from the legs taking turns, where single landings are too unsure to count.

    The vector from the right ankle to the left in the picture (in leg lengths) flips at every step
    and repeats every stride, seen from any side and whether or not a landing is seen: its
    autocorrelation has its deepest trough at one step and its peak at two. None when that
    alternation is weaker than ``leg_rhythm_min_strength`` (no steady stepping, or the legs mixed up).

    Walking toward or away from the phone the two ankles' heights in the picture mix the swinging
    foot's lift (~1/distance) with the feet's distance apart in depth (~camera height/distance^2):
    far away the ankles cross as the foot lands, near the phone as the feet pass. That moves the
    crossings by up to half a step over the walk (0.2 s over 6 steps on the annotated socks walk,
    whose rhythm reads 118 steps/min against a true 110), so the 68 % interval carries half a step
    spread over the steps seen.
    """
    left, right = LEG[Side.L], LEG[Side.R]
    offset = (track.image_px[:, left.ankle] - track.image_px[:, right.ankle]) / leg_length_px(track, window_s=2.0)[:, None]
    rate = track.rate_hz
    lag_lo = max(1, int(value("leg_rhythm_step_min_s") * rate))
    runs = [r for r in nan_runs(np.isfinite(offset).all(axis=1)) if r[1] - r[0] >= 4 * lag_lo]
    if not runs:
        return None
    start, stop = max(runs, key=lambda r: r[1] - r[0])
    n = stop - start
    x = np.arange(n)
    seg = offset[start:stop] - np.stack([np.polyval(np.polyfit(x, offset[start:stop, j], 1), x) for j in range(2)], axis=1)
    ac = sum(np.correlate(seg[:, j], seg[:, j], mode="full")[n - 1:] for j in range(2))
    if ac[0] <= 0:
        return None
    ac = ac / ac[0] * n / (n - x)  # unbiased: each lag over the pairs it has
    # At least two strides in the stretch: a lag over more than half of it rests on too few pairs.
    lag_hi = min(n // 4, int(np.ceil(value("leg_rhythm_step_max_s") * rate)))
    if lag_hi <= lag_lo + 1:
        return None
    troughs = [k for k in range(lag_lo + 1, lag_hi) if ac[k] <= ac[k - 1] and ac[k] <= ac[k + 1]]
    if not troughs:
        return None
    step_lag = min(troughs, key=lambda k: ac[k])
    # The stride: the peak near twice the step (timed on it: twice the lag, half the error).
    near = np.arange(int(1.6 * step_lag), min(n // 2, int(np.ceil(2.4 * step_lag))) + 1)
    if near.size < 3:
        return None
    stride_lag = int(near[np.argmax(ac[near])])
    if not 0 < stride_lag < n - 1 or ac[stride_lag] <= 0:
        return None
    strength = 0.5 * float(ac[stride_lag] - ac[step_lag])
    if strength < value("leg_rhythm_min_strength"):
        return None
    step_s = (stride_lag + _vertex_offset(ac, stride_lag)) / rate / 2.0
    n_steps = n / rate / step_s
    se_s = (1.0 / rate) / np.sqrt(max(n_steps / 2.0, 1.0))  # one frame of stride over the strides seen
    if travel in (Travel.APPROACH, Travel.AWAY):
        se_s = float(np.hypot(se_s, 0.5 * step_s / n_steps))
    return Cadence(cadence_spm=60.0 / step_s, low_spm=60.0 / (step_s + se_s), high_spm=60.0 / max(step_s - se_s, 1e-3),
                   n_intervals=int(n_steps), method="leg_rhythm")
