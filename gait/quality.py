"""Is this clip usable? Checks with a reason and a concrete fix for each failure.

A clip that fails a blocking check gets no findings built on it. Cadence from the
hips' rhythm is still offered for side-on clips (timing does not need a front view).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from gait.events import Travel
from gait.geometry import hip_mid_px, leg_length_px, shoulder_mid_px
from gait.names import LEG, Side
from gait.pose import LM, PoseTrack
from gait.signal import CleanTrack
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


def _pct(mask: np.ndarray) -> float:
    return float(100.0 * mask.mean()) if mask.size else 0.0


def feet_visible(track: PoseTrack) -> np.ndarray:
    """Per frame: both heels and toes confidently seen and inside the picture."""
    idx = [LEG[s].heel for s in Side] + [LEG[s].toe for s in Side]
    vis = track.visibility[:, idx] >= value("min_visibility")
    xy = track.image_xy[:, idx]
    inside = (xy[..., 0] >= 0) & (xy[..., 0] <= 1) & (xy[..., 1] >= 0) & (xy[..., 1] <= 1)
    return np.all(vis & inside, axis=1)


def _view(track: CleanTrack) -> tuple[View, float]:
    width = np.linalg.norm(track.image_px[:, LM.L_SHOULDER] - track.image_px[:, LM.R_SHOULDER], axis=1)
    torso = np.linalg.norm(shoulder_mid_px(track) - hip_mid_px(track), axis=1)
    ratio = width / torso
    ratio = ratio[np.isfinite(ratio)]
    if ratio.size == 0:
        return View.UNKNOWN, float("nan")
    width_ratio = float(np.median(ratio))
    if width_ratio < value("min_front_width_ratio"):
        return View.SIDE, width_ratio
    # Facing the phone, the person's left shoulder is on the picture's right.
    facing = np.sign(track.image_px[:, LM.L_SHOULDER, 0] - track.image_px[:, LM.R_SHOULDER, 0])
    facing = facing[np.isfinite(facing)]
    return (View.FRONT if np.mean(facing) >= 0 else View.BACK), width_ratio


def _travel(track: CleanTrack) -> tuple[str, float, float]:
    """How the person moves: by the growth of the body in the picture and the sideways drift."""
    scale = leg_length_px(track, window_s=0.5)
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
    good = ~np.isnan(hip_x)
    slope = np.polyfit(t[good], hip_x[good], 1)[0] if good.sum() >= 4 else 0.0
    drift = float(abs(slope) / np.nanmedian(scale))
    if drift > value("max_sideways_drift_per_s"):
        return "across", change_pct, drift
    if change_pct >= value("min_approach_scale_gain_pct"):
        return Travel.APPROACH.value, change_pct, drift
    if change_pct <= -value("max_retreat_scale_loss_pct"):
        return "away", change_pct, drift
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
    if detected.any() and feet_pct < value("min_feet_visible_pct"):
        ankles_seen = np.mean(raw.visibility[detected][:, [LM.L_ANKLE, LM.R_ANKLE]] >= value("min_visibility"))
        # BlazePose places feet it cannot see beyond the picture's edge (y > 1): that is a cut-off view.
        feet_y = raw.image_xy[detected][:, [LEG[s].heel for s in Side] + [LEG[s].toe for s in Side], 1]
        feet_below_edge = float(np.mean(np.nanmax(feet_y, axis=1) > 0.98))
        if ankles_seen < 0.5 or feet_below_edge > 0.3:
            problems.append(Problem("feet_cut_off", "We only see you from the knees up; your feet are out of the picture.",
                                    "Tilt the phone down or put it further away, so your feet stay in the picture "
                                    "to the last step."))
        else:
            problems.append(Problem("feet_unclear", f"Your heels and toes are clearly visible in only {feet_pct:.0f}% "
                                    "of the clip.", "Film barefoot on a plain floor with good light, and wear shorts "
                                    "or leggings so ankles and feet are not covered."))
    view, width_ratio = _view(track)
    travel, change_pct, _ = _travel(track)
    if view is View.SIDE or travel == "across":
        problems.append(Problem("side_view", "We see you from the side, not from the front.",
                                "Put the phone at the end of your path, facing you, and walk straight toward it."))
    elif view is View.BACK or travel == "away":
        problems.append(Problem("walking_away", "You are walking away from the phone.",
                                "Start 10-12 steps away and walk toward the phone, facing it."))
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
                   frame_rate_hz=rate_hz, timing_ok=timing_ok, landing_ok=landing_ok)


def with_steps(quality: Quality, n_steps: int, per_foot_min: int) -> Quality:
    """Add the step count, and a blocking problem when too few steps were found."""
    problems = list(quality.problems)
    if quality.usable and per_foot_min < value("min_steps_for_finding"):
        problems.append(Problem("too_few_steps", f"We found only {n_steps} clear steps "
                                f"({per_foot_min} on one foot); findings need at least "
                                f"{int(value('min_steps_for_finding'))} per foot.",
                                "Walk 10 steps toward the phone, starting 10-12 steps away and already in motion."))
    usable = not any(p.blocking for p in problems)
    return Quality(**{**quality.__dict__, "problems": tuple(problems), "usable": usable, "steps_found": n_steps})
