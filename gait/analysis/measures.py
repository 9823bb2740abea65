"""Measures per step: landing direction, twist at lift-off, and the parts of spring-or-bang.

Foot angle (foot progression angle): the heel-to-toe line on the ground against the
direction of travel, positive = toe out. The 3D value uses BlazePose world
landmarks with the walking direction taken from the pelvis (perpendicular to the
hip line, averaged over the clip, so a path not quite at the phone does not bias
it). The 2D cross-check uses only the picture: the sideways heel-to-toe offset over
the expected foot length (a fixed share of leg length). Depth from one camera is
the weakest part of monocular pose, so when the two disagree the step's
confidence drops rather than one being trusted blindly.

Spring or bang, three measures per step (kept in the results for a physio):
- knee give: knee flexion from contact to its early-stance peak (3D angle); the call rests on it
  alone, with a confidence from its error against rendered truth (``findings.spring_probability``);
- foot stop: how fast the foot's speed collapses at contact, relative to its speed;
- hip jolt: peak up-down acceleration of the hips at contact, relative to a smooth
  sine of the same step rhythm and size. Neither told soft from stiff landings on rendered
  walkers (per-step AUC 0.43 and 0.56), so neither moves the call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gait.analysis.events import Stance, foot_speed
from gait.analysis.foot_angle import FootPixels, PixelAngle, pixel_foot_angles
from gait.analysis.geometry import hip_mid_px, knee_flexion_deg, leg_length_px
from gait.names import LEG, Side
from gait.analysis.pose import LM
from gait.analysis.signal import CleanTrack, derivative
from gait.thresholds import value

# Stance is split by share of its duration; typical stance when toe-off is not seen.
_MID_STANCE = (0.2, 0.6)
_LIFT_OFF = (0.9, 1.0)  # the last tenth of stance: the foot as it leaves the ground
_TYPICAL_STANCE_S = {False: 0.62, True: 0.25}  # walking / running


@dataclass(frozen=True)
class StepMeasures:
    """Everything measured on one step. NaN = could not be measured on this step."""

    stance: Stance
    foot_angle_deg: float  # the reported angle (3D, 2D-checked)
    foot_angle_3d_deg: float
    foot_angle_2d_deg: float
    twist_deg: float  # foot angle change from mid-stance to lift-off (+ = turns out)
    knee_give_deg: float
    stop_rate_per_s: float
    hip_jolt_ratio: float
    landmark_visibility: float  # mean visibility of heel and toe during stance (0-1)
    foot_angle_px_deg: float = float("nan")  # from the planted foot's own pixels (gait.analysis.foot_angle)
    foot_angle_px_confidence: float = 0.0


def heading_unit(track: CleanTrack) -> tuple[np.ndarray, np.ndarray]:
    """(forward, person's-left) unit vectors in the world x-z plane, averaged over the clip."""
    hip_line = track.world_m[:, LM.L_HIP][:, [0, 2]] - track.world_m[:, LM.R_HIP][:, [0, 2]]
    norms = np.linalg.norm(hip_line, axis=1)
    ok = ~np.isnan(norms) & (norms > 1e-6)
    if not ok.any():
        return np.array([0.0, -1.0]), np.array([1.0, 0.0])
    left = np.mean(hip_line[ok] / norms[ok, None], axis=0)
    left /= np.linalg.norm(left)
    # Facing the camera means walking toward it: forward is the hip line turned to -z.
    forward = np.array([left[1], -left[0]])
    return forward, left


def foot_angle_3d_deg(track: CleanTrack, side: Side) -> np.ndarray:
    """Per-frame foot progression angle from world landmarks, + = toe out."""
    forward, left = heading_unit(track)
    outward = left if side is Side.L else -left
    leg = LEG[side]
    foot = track.world_m[:, leg.toe][:, [0, 2]] - track.world_m[:, leg.heel][:, [0, 2]]
    return np.degrees(np.arctan2(foot @ outward, foot @ forward))


def foot_angle_2d_deg(track: CleanTrack, side: Side) -> np.ndarray:
    """Per-frame foot angle from the picture alone: sideways heel-to-toe offset / expected foot length."""
    leg = LEG[side]
    # Facing the camera, the person's left is the picture's right.
    outward_sign = 1.0 if side is Side.L else -1.0
    dx_px = (track.image_px[:, leg.toe, 0] - track.image_px[:, leg.heel, 0]) * outward_sign
    foot_px = value("foot_to_leg_length_ratio") * leg_length_px(track)
    return np.degrees(np.arcsin(np.clip(dx_px / foot_px, -1.0, 1.0)))


def _window(stance: Stance, track: CleanTrack, running: bool, share: tuple[float, float]) -> slice:
    if stance.toe_off_s is not None:
        n = stance.toe_off_idx - stance.contact_idx + 1
    else:
        n = int(round(_TYPICAL_STANCE_S[running] * track.rate_hz))
    lo = stance.contact_idx + int(np.floor(share[0] * n))
    hi = stance.contact_idx + max(int(np.ceil(share[1] * n)), int(np.floor(share[0] * n)) + 1)
    return slice(lo, min(hi, stance.toe_off_idx + 1, track.time_s.shape[0]))


def _nanmedian(values: np.ndarray) -> float:
    values = values[~np.isnan(values)]
    return float(np.median(values)) if values.size else float("nan")


def knee_give_deg(track: CleanTrack, stance: Stance, running: bool) -> float:
    """Knee flexion gained from contact to its peak in the first half of stance.

    "At contact" is the straightest knee within ~70 ms before to ~35 ms after the detected
    contact: the knee straightens just before landing, and contact times carry a frame of doubt.
    """
    flex = knee_flexion_deg(track, stance.foot)
    rate = track.rate_hz
    lo = max(0, stance.contact_idx - int(round(0.07 * rate)))
    at_contact = flex[lo: stance.contact_idx + int(round(0.035 * rate)) + 1]
    seg = flex[_window(stance, track, running, (0.0, 0.5))]
    if seg.size < 2 or np.all(np.isnan(seg)) or np.all(np.isnan(at_contact)):
        return float("nan")
    return float(max(0.0, np.nanmax(seg) - np.nanmin(at_contact)))


def stop_rate_per_s(track: CleanTrack, stance: Stance) -> float:
    """Steepest fall of foot speed around contact divided by the late-swing speed (1/s)."""
    speed = foot_speed(track, stance.foot, fast=True)
    rate = track.rate_hz
    lo = max(0, stance.contact_idx - int(round(0.2 * rate)))
    hi = min(len(speed), stance.contact_idx + int(round(0.07 * rate)) + 1)
    seg = speed[lo:hi]
    if seg.size < 4 or np.all(np.isnan(seg)):
        return float("nan")
    v_peak = np.nanmax(seg)
    # Forward differences: a central difference cannot show a stop sharper than two frames.
    decel = -np.diff(seg) * rate
    if not np.isfinite(v_peak) or v_peak <= 0 or np.all(np.isnan(decel)):
        return float("nan")
    return float(np.nanmax(decel) / v_peak)


def hip_jolt_ratio(track: CleanTrack, stance: Stance, step_period_s: float) -> float:
    """Peak vertical hip acceleration just after contact over that of a smooth sine of the step rhythm.

    The bob's size comes from the well-filtered hips, the acceleration from the lightly
    filtered ones, so a sharp jolt stands out while a smooth bob scores about 1.
    """
    rate = track.rate_hz
    scale = leg_length_px(track, window_s=1.0)
    smooth_y = hip_mid_px(track)[:, 1] / scale
    sharp_y = 0.5 * (track.image_px_fast[:, LM.L_HIP, 1] + track.image_px_fast[:, LM.R_HIP, 1]) / scale
    half = int(round(0.5 * step_period_s * rate))
    lo, hi = stance.contact_idx - 2 * half, stance.contact_idx + 2 * half + 1
    if lo < 0 or hi > len(smooth_y) or half < 2:
        return float("nan")
    seg, sharp = smooth_y[lo:hi], sharp_y[lo:hi]
    if np.any(np.isnan(seg)) or np.any(np.isnan(sharp)):
        return float("nan")
    # Take off the slow drift (perspective as the person approaches) before judging the bob.
    x = np.arange(seg.size)
    seg = seg - np.polyval(np.polyfit(x, seg, 1), x)
    amp = 0.5 * (seg.max() - seg.min())
    if amp <= 1e-6:
        return float("nan")
    acc = derivative(derivative(sharp, rate), rate)
    # +-0.1 s: contact times carry a frame or two of uncertainty.
    reach = int(round(0.1 * rate))
    near = acc[2 * half - reach: 2 * half + reach + 1]
    smooth_peak = amp * (2 * np.pi / step_period_s) ** 2
    return float(np.max(np.abs(near)) / smooth_peak)


def measure_step(track: CleanTrack, stance: Stance, running: bool, step_period_s: float,
                 fpa_3d: np.ndarray, fpa_2d: np.ndarray, pixel: PixelAngle | None = None) -> StepMeasures:
    """All measures of one stance (the per-frame angle arrays are computed once per foot).

    The reported angle is the one from the foot's pixels where they support one; otherwise the
    landmarks' (3D, else 2D), e.g. for landmark-only tracks.
    """
    mid = _window(stance, track, running, _MID_STANCE)
    angle_3d = _nanmedian(fpa_3d[mid])
    angle_2d = _nanmedian(fpa_2d[mid])
    reported = angle_3d if not np.isnan(angle_3d) else angle_2d
    px_deg = pixel.fpa_deg if pixel is not None else float("nan")
    # A loose outline fit (socks, far away, busy floor) is no better than the landmarks: keep theirs.
    if not np.isnan(px_deg) and pixel.confidence >= value("min_foot_pixel_confidence"):
        reported = px_deg
    if abs(reported) > value("max_plausible_fpa_deg"):
        reported = float("nan")  # no walker lands like that: the measurement failed, so no angle
    twist = float("nan")
    if stance.toe_off_s is not None:
        late = _window(stance, track, running, _LIFT_OFF)
        twist = _nanmedian(fpa_3d[late]) - angle_3d
    leg = LEG[stance.foot]
    span = slice(stance.contact_idx, stance.toe_off_idx + 1)
    vis = float(np.mean(track.visibility[span][:, [leg.heel, leg.toe]]))
    return StepMeasures(stance=stance, foot_angle_deg=reported, foot_angle_3d_deg=angle_3d,
                        foot_angle_2d_deg=angle_2d, twist_deg=twist,
                        knee_give_deg=knee_give_deg(track, stance, running),
                        stop_rate_per_s=stop_rate_per_s(track, stance),
                        hip_jolt_ratio=hip_jolt_ratio(track, stance, step_period_s),
                        landmark_visibility=vis, foot_angle_px_deg=px_deg,
                        foot_angle_px_confidence=pixel.confidence if pixel is not None else 0.0)


def measure_steps(track: CleanTrack, stances: list[Stance], running: bool, step_period_s: float,
                  pixels: FootPixels | None = None) -> list[StepMeasures]:
    angles = {side: (foot_angle_3d_deg(track, side), foot_angle_2d_deg(track, side)) for side in Side}
    px = pixel_foot_angles(pixels, track, stances, running) if pixels is not None else [None] * len(stances)
    return [measure_step(track, s, running, step_period_s, *angles[s.foot], p) for s, p in zip(stances, px)]
