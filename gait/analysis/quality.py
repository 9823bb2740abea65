"""Is this clip usable? Checks with a reason and a concrete fix for each failure.

Direction of the walk, from the body alone (no background pixels): side-on shoulders = side view;
facing the phone but crossing the picture while growing = oblique path; seen from behind or
shrinking = walking away, and if the person also steps at a constant size, the phone came along. A constant size while facing the phone is taken for a
treadmill: a phone carried backward at the walker's speed looks the same in landmarks.

A clip that fails a blocking check gets no findings built on it. Cadence from the
hips' rhythm is still offered for side-on clips (timing does not need a front view).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from gait.analysis.events import Stance, Travel
from gait.analysis.geometry import hip_mid_px, leg_length_px, shoulder_mid_px
from gait.names import LEG, Side
from gait.analysis.pose import LM, PoseTrack
from gait.analysis.signal import CleanTrack
from gait.thresholds import value


class View(str, Enum):
    FRONT = "front"
    SIDE = "side"
    BACK = "back"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    fix: str
    blocking: bool = True

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "fix": self.fix, "blocking": self.blocking}


@dataclass(frozen=True)
class Quality:
    usable: bool  # findings may be built
    problems: tuple[Problem, ...]
    person_frames_pct: float
    feet_visible_pct: float
    view: View
    travel: str  # "approach", "in_place", "away", "across", "unknown"
    front_width_ratio: float
    scale_change_pct: float
    frame_rate_hz: float
    steps_found: int = 0
    timing_ok: bool = True  # rate enough for steps and cadence
    landing_ok: bool = True  # rate enough for spring-or-bang
    notes: tuple[str, ...] = field(default_factory=tuple)
    upper_body_missing_pct: float = 0.0  # person frames without the shoulders in the picture
    feet_range_legs: float = float("nan")  # how far the feet moved in the picture over the clip (5-95 %)
    seen_s: float = 0.0  # time from the first to the last frame with a person
    turn_s: float | None = None  # a walk toward the phone and back (or away and back): when it turned
    away_first: bool = False  # with turn_s: the walk away came first, the walk toward the phone after it


def _pct(mask: np.ndarray) -> float:
    return float(100.0 * mask.mean()) if mask.size else 0.0


def feet_visible(track: PoseTrack) -> np.ndarray:
    """Per frame: both heels and toes confidently seen and inside the picture."""
    idx = [LEG[s].heel for s in Side] + [LEG[s].toe for s in Side]
    vis = track.visibility[:, idx] >= value("min_visibility")
    xy = track.image_xy[:, idx]
    inside = (xy[..., 0] >= 0) & (xy[..., 0] <= 1) & (xy[..., 1] >= 0) & (xy[..., 1] <= 1)
    return np.all(vis & inside, axis=1)


def upper_body_missing(track: PoseTrack) -> np.ndarray:
    """Per frame: neither shoulder confidently seen inside the picture (only the legs are filmed).

    BlazePose keeps guessing joints beyond the picture's edge with a high visibility, so the
    position is checked as well as the visibility.
    """
    idx = [LM.L_SHOULDER, LM.R_SHOULDER]
    vis = track.visibility[:, idx] >= value("min_visibility")
    xy = track.image_xy[:, idx]
    inside = (xy[..., 0] >= 0) & (xy[..., 0] <= 1) & (xy[..., 1] >= 0) & (xy[..., 1] <= 1)
    return ~np.any(vis & inside, axis=1)


def upper_body_out_pct(track: PoseTrack, detected: np.ndarray) -> float:
    """% of the person's frames with the shoulders out of the picture (``upper_body_missing``).

    Frames after the person was lost count too when the shoulders had already left the picture
    over its top edge at the last frame they were seen: walking up to a low phone, the pose model
    loses a body it only sees from the hips down, and those are frames of legs only, not frames
    without a person. (Leaving by a side edge is walking out of the picture, not legs only.)
    """
    if not detected.any():
        return 0.0
    missing = upper_body_missing(track)
    n_missing, n_frames = int(missing[detected].sum()), int(detected.sum())
    last = int(np.flatnonzero(detected)[-1])
    shoulders_y = track.image_xy[last, [LM.L_SHOULDER, LM.R_SHOULDER], 1]
    if missing[last] and bool(np.all(shoulders_y < 0.0)):
        lost_after = track.n_frames - 1 - last
        n_missing += lost_after
        n_frames += lost_after
    return 100.0 * n_missing / n_frames


def feet_range_legs(track: CleanTrack) -> float:
    """How far the feet move in the picture over the clip, in leg lengths (the larger foot's 5-95 % spread).

    Walking moves the feet in the picture whatever the camera does: toward the phone they grow
    and sink, on a treadmill they swing back and forth. Standing or exercising on the spot
    leaves them where they are, give or take the pose model's jitter.
    """
    scale_px = float(np.nanmedian(leg_length_px(track, window_s=1.0))) if track.image_px.shape[0] else float("nan")
    if not np.isfinite(scale_px) or scale_px <= 0:
        return float("nan")
    spreads = []
    for side in Side:
        for idx in (LEG[side].ankle, LEG[side].heel, LEG[side].toe):
            xy = track.image_px[:, idx]
            xy = xy[np.all(np.isfinite(xy), axis=1)]
            if xy.shape[0] >= 4:
                lo, hi = np.percentile(xy, [5, 95], axis=0)
                spreads.append(float(np.hypot(*(hi - lo))) / scale_px)
    return max(spreads) if spreads else float("nan")


def _seen_s(track: PoseTrack) -> float:
    """Seconds from the first to the last frame with a person."""
    seen = np.flatnonzero(track.detected)
    return float(track.time_s[seen[-1]] - track.time_s[seen[0]]) if seen.size else 0.0


def _view(track: CleanTrack, turn: tuple[int, bool] | None = None) -> tuple[View, float]:
    width = np.linalg.norm(track.image_px[:, LM.L_SHOULDER] - track.image_px[:, LM.R_SHOULDER], axis=1)
    torso = np.linalg.norm(shoulder_mid_px(track) - hip_mid_px(track), axis=1)
    toward = _toward_frames(width.size, turn)  # the walk away shows the back
    ratio = (width / torso)[toward]
    ratio = ratio[np.isfinite(ratio)]
    if ratio.size == 0:
        return View.UNKNOWN, float("nan")
    width_ratio = float(np.median(ratio))
    if width_ratio < value("min_front_width_ratio"):
        return View.SIDE, width_ratio
    # Facing the phone, the person's left shoulder is on the picture's right.
    facing = np.sign(track.image_px[:, LM.L_SHOULDER, 0] - track.image_px[:, LM.R_SHOULDER, 0])
    facing = facing[toward]
    facing = facing[np.isfinite(facing)]
    return (View.FRONT if np.mean(facing) >= 0 else View.BACK), width_ratio


def turn_index(track: CleanTrack) -> tuple[int, bool] | None:
    """Where a walk toward the phone turns into a walk away from it, or the reverse: (frame, away first), or None.

    Toward then away, the body is largest where the person turns; away then toward (recording
    started at the phone), smallest. Each part must change the body's size by
    ``min_approach_scale_gain_pct`` / ``max_retreat_scale_loss_pct`` over at least ``min_clip_s``.
    (Start and end can then be the same size, which alone would read as walking in place.)
    """
    scale = leg_length_px(track, window_s=0.5)
    ok = np.flatnonzero(~np.isnan(scale))
    if ok.size < 8:
        return None
    t = track.time_s
    gain, loss = value("min_approach_scale_gain_pct") / 100, value("max_retreat_scale_loss_pct") / 100
    for away_first in (False, True):
        turn = int(ok[np.argmin(scale[ok])] if away_first else ok[np.argmax(scale[ok])])
        before, after = ok[ok <= turn], ok[ok >= turn]
        if min(t[turn] - t[before[0]], t[after[-1]] - t[turn]) < value("min_clip_s"):
            continue
        start = float(np.median(scale[before[: max(1, before.size // 4)]]))
        end = float(np.median(scale[after[-max(1, after.size // 4):]]))
        # Each part is judged from its own first quarter to its last as well as from the turn: a clip
        # cut or looped back to a far start (size jumps, then grows again) is no walk away.
        before_end = float(np.median(scale[before[-max(1, before.size // 4):]]))
        after_start = float(np.median(scale[after[: max(1, after.size // 4)]]))
        at = float(scale[turn])
        if (away_first and max(at, before_end) <= start * (1 - loss)
                and end >= max(at, after_start) * (1 + gain)):
            return turn, True
        if (not away_first and min(at, before_end) >= start * (1 + gain)
                and end <= min(at, after_start) * (1 - loss)):
            return turn, False
    return None


def _toward_frames(n: int, turn: tuple[int, bool] | None) -> np.ndarray:
    """Frames of the walk toward the phone (all frames when there is no turn)."""
    idx = np.arange(n)
    if turn is None:
        return np.ones(n, bool)
    return idx >= turn[0] if turn[1] else idx <= turn[0]


def _travel(track: CleanTrack, turn: tuple[int, bool] | None = None) -> tuple[str, float, float]:
    """How the person moves: by the growth of the body in the picture and the sideways drift.

    A walk toward the phone and back (``turn``) is judged by its part toward the phone.
    """
    scale = leg_length_px(track, window_s=0.5)
    scale = np.where(_toward_frames(scale.size, turn), scale, np.nan)
    ok = np.flatnonzero(~np.isnan(scale))
    if ok.size < 4:
        return "unknown", float("nan"), float("nan")
    quarter = max(1, ok.size // 4)
    first, last = np.median(scale[ok[:quarter]]), np.median(scale[ok[-quarter:]])
    change_pct = float(100.0 * (last / first - 1.0))
    # Sideways drift in pixels over the typical body size: dividing frame by frame would turn
    # an approach (the body grows) into fake drift.
    hip_x = hip_mid_px(track)[:, 0]
    t = track.time_s
    good = ~np.isnan(hip_x) & ~np.isnan(scale)
    slope = np.polyfit(t[good], hip_x[good], 1)[0] if good.sum() >= 4 else 0.0
    drift = float(abs(slope) / np.nanmedian(scale))
    if drift > value("max_sideways_drift_per_s"):
        return "across", change_pct, drift
    if change_pct >= value("min_approach_scale_gain_pct"):
        return Travel.APPROACH.value, change_pct, drift
    if change_pct <= -value("max_retreat_scale_loss_pct"):
        return Travel.AWAY.value, change_pct, drift
    return Travel.IN_PLACE.value, change_pct, drift


def assess(raw: PoseTrack, track: CleanTrack) -> Quality:
    """Quality of the picture and the movement, before steps are looked for."""
    problems: list[Problem] = []
    detected = raw.detected
    person_pct = _pct(detected)
    rate_hz = track.rate_hz
    if person_pct < value("min_person_frames_pct"):
        if person_pct == 0:
            problems.append(Problem("no_person", "We could not find a person in this clip.",
                                    "Make sure your whole body is in the picture, in good light, 4-6 m from the phone."))
        else:
            problems.append(Problem("person_lost", f"We only see a person in {person_pct:.0f}% of the clip.",
                                    "Keep your whole body in the picture from the first to the last step."))
    dark = np.median(raw.brightness) < value("min_brightness") if raw.n_frames else False
    if dark:
        problems.append(Problem("too_dark", "The clip is very dark, so your joints are hard to see.",
                                "Film in daylight or a well-lit room, with the light behind the phone, not behind you.",
                                blocking=person_pct < value("min_person_frames_pct")))
    feet_pct = _pct(feet_visible(raw)[detected]) if detected.any() else 0.0
    # BlazePose places feet it cannot see beyond the picture's edge (y > 1): that is a cut-off view,
    # also when the feet were in the picture while the person was still far away.
    feet_y = raw.image_xy[detected][:, [LEG[s].heel for s in Side] + [LEG[s].toe for s in Side], 1]
    feet_below_edge = float(np.mean(np.nanmax(feet_y, axis=1) > 0.98)) if detected.any() else 0.0
    if detected.any() and (feet_pct < value("min_feet_visible_pct") or feet_below_edge > 0.3):
        ankles_seen = np.mean(raw.visibility[detected][:, [LM.L_ANKLE, LM.R_ANKLE]] >= value("min_visibility"))
        # Cut off only where the feet are (placed) at the bottom edge: a far person's feet inside the
        # picture get low visibility too, and then "out of the picture" would be the wrong reason.
        near_edge = float(np.mean(np.nanmax(feet_y, axis=1) > 0.9))
        if feet_below_edge > 0.3 or (ankles_seen < 0.5 and near_edge > 0.3):
            problems.append(Problem("feet_cut_off", "We only see you from the knees up; your feet are out of the picture.",
                                    "Tilt the phone down or put it further away, so your feet stay in the picture "
                                    "to the last step."))
        else:
            problems.append(Problem("feet_unclear", f"Your heels and toes are clearly visible in only {feet_pct:.0f}% "
                                    "of the clip.", "Film barefoot on a plain floor with good light, and wear shorts "
                                    "or leggings so ankles and feet are not covered."))
    upper_missing_pct = upper_body_out_pct(raw, detected)
    legs_only = detected.any() and upper_missing_pct > value("max_upper_body_missing_pct")
    if legs_only:
        problems.append(LEGS_ONLY)
    turn = turn_index(track)
    view, width_ratio = _view(track, turn)
    travel, change_pct, _ = _travel(track, turn)
    # Without the shoulders neither the view nor the facing can be judged; with the person lost
    # most of the time, neither can the walk's direction.
    if not legs_only and person_pct >= value("min_person_frames_pct"):
        problems.extend(_view_problems(view, travel, change_pct))
    timing_ok = rate_hz >= value("min_rate_for_timing_hz")
    landing_ok = rate_hz >= value("min_rate_for_landing_hz")
    if not timing_ok:
        problems.append(Problem("frame_rate_low", f"The clip has only {rate_hz:.0f} frames per second.",
                                "Film at 30 frames per second or more (the phone's normal video setting)."))
    elif not landing_ok:
        problems.append(Problem("frame_rate_low_for_landing", f"At {rate_hz:.0f} frames per second we can count "
                                "steps but not judge how softly you land.", "Film at 30 or 60 frames per second.",
                                blocking=False))
    usable = not any(p.blocking for p in problems)
    return Quality(usable=usable, problems=tuple(problems), person_frames_pct=person_pct, feet_visible_pct=feet_pct,
                   view=view, travel=travel, front_width_ratio=width_ratio, scale_change_pct=change_pct,
                   frame_rate_hz=rate_hz, timing_ok=timing_ok, landing_ok=landing_ok,
                   upper_body_missing_pct=upper_missing_pct, feet_range_legs=feet_range_legs(track),
                   seen_s=_seen_s(raw), turn_s=None if turn is None else float(track.time_s[turn[0]]),
                   away_first=turn is not None and turn[1])


SIDE_VIEW = Problem("side_view", "We see you from the side, not from the front.",
                    "Put the phone at the end of your path, facing you, and walk straight toward it.")
WALKING_AWAY = Problem("walking_away", "You are walking away from the phone.",
                       "Start 10-12 steps away and walk toward the phone, facing it.")
OBLIQUE_PATH = Problem("oblique_path", "You walk across the picture at an angle, not straight at the phone.",
                       "Put the phone at the end of a straight path, pointing along it, and walk straight at the "
                       "phone.")
LEGS_ONLY = Problem("legs_only", "We only see your legs: your shoulders and head are out of the picture.",
                    "Tilt the phone up a little or put it further away, so your whole body, head to feet, stays "
                    "in the picture.")
NO_WALKING = Problem("no_walking", "We see you, but no walking steps in this clip.",
                     "Walk 10 steps toward the phone, starting 10-12 steps away and already in motion; standing or "
                     "exercising on the spot cannot be judged.")
CAMERA_MOVING = Problem("camera_moving", "The phone moved along with you: you stay the same size in the picture "
                        "while you walk.", "Put the phone on something still at knee height (a shelf, a box or a "
                        "bag), 4-6 m away, and walk toward it.")
_VIEW_CODES = ("side_view", "walking_away", "oblique_path", "camera_moving")
_FEET_CODES = ("feet_cut_off", "feet_unclear")


def _view_problems(view: View, travel: str, change_pct: float) -> list[Problem]:
    """What is wrong with the direction of view or of the walk, from the body's shape, growth and drift.

    Side-on body (narrow shoulders) = side view. Facing the phone but crossing the picture while
    growing = an oblique path. Seen from behind, or shrinking = walking away. (A phone backing off
    faster than a walker coming toward it also shrinks them; ``gait.analysis.identity`` names the sides by
    the direction of travel, so that case reads as walking away.)
    """
    if view is View.SIDE:
        return [SIDE_VIEW]
    if travel == "across":
        approaching = np.isfinite(change_pct) and change_pct >= value("min_oblique_scale_gain_pct")
        return [OBLIQUE_PATH if approaching else SIDE_VIEW]
    if view is View.BACK or travel == "away":
        return [WALKING_AWAY]
    return []


def _alternating_steps(stances: Sequence[Stance]) -> int:
    """Contacts that follow one of the other foot within a step's time (a walking rhythm, not noise)."""
    return sum(1 for prev, nxt in zip(stances, stances[1:]) if prev.foot is not nxt.foot
               and value("min_step_s") <= nxt.contact_s - prev.contact_s <= value("max_step_s"))


def _step_problems(quality: Quality, n_steps: int, per_foot_min: int, stances: Sequence[Stance],
                   phone_moved: bool | None = None) -> list[Problem]:
    """The problems once steps were looked for: no walking, a camera moving along, or too few steps."""
    problems = list(quality.problems)
    codes = {p.code for p in problems}
    seen = (quality.person_frames_pct >= value("min_person_frames_pct") and quality.timing_ok
            and not codes & {*_FEET_CODES, "legs_only"})
    # Fewer contacts than a walk makes: only meaningful once the clip is long enough for several steps.
    no_contacts = n_steps < value("min_contacts_for_walking") and quality.seen_s >= value("min_clip_for_no_walking_s")
    walking = _alternating_steps(stances) >= value("min_steps_for_cadence")
    # Feet that stay put are someone standing, unless they step in a rhythm: walking in place on
    # the balls of the feet lifts them less than min_feet_range_legs.
    still = no_contacts or (quality.feet_range_legs < value("min_feet_range_legs") and not walking)
    if seen and still:
        # Nobody walks: which way they face or drift says nothing about a walk.
        return [p for p in problems if p.code not in _VIEW_CODES] + [NO_WALKING]
    if seen and walking and quality.travel == Travel.IN_PLACE.value and (quality.view is View.BACK or phone_moved):
        # Steps yet the same size throughout: with one's back to the phone, or with the room behind
        # moving (``gait.analysis.scene``), the phone came along; facing a still phone it is a treadmill.
        problems.insert(0, CAMERA_MOVING)
    if not any(p.blocking for p in problems) and per_foot_min < value("min_steps_for_finding"):
        problems.append(Problem("too_few_steps", f"We found only {n_steps} clear steps "
                                f"({per_foot_min} on one foot); findings need at least "
                                f"{int(value('min_steps_for_finding'))} per foot.",
                                "Walk 10 steps toward the phone, starting 10-12 steps away and already in motion."))
    return problems


def with_steps(quality: Quality, n_steps: int, per_foot_min: int, stances: Sequence[Stance] = (),
               phone_moved: bool | None = None) -> Quality:
    """Add the step count, and a blocking problem when no walking or too few steps were found.

    ``stances`` (all contacts found, in time order) let the walking rhythm be checked.
    ``phone_moved``: the room behind the person moved (``gait.analysis.scene``; None: not known).
    """
    problems = _step_problems(quality, n_steps, per_foot_min, stances, phone_moved)
    usable = not any(p.blocking for p in problems)
    return Quality(**{**quality.__dict__, "problems": tuple(problems), "usable": usable, "steps_found": n_steps})
