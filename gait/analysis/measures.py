"""Measures per step: landing direction, twist at lift-off, and the parts of spring-or-bang.

Foot angle (foot progression angle): the heel-to-toe line on the ground against the
direction of travel, positive = toe out. The reported value is the 2D one, read
from the picture: the sideways heel-to-toe offset over the expected foot length (a fixed
share of the leg's length in pixels at the same distance). A camera looking along the
floor shortens the foot's depth but not its sideways offset, so this needs no depth at
all; what it needs is the line of sight: a foot off the picture's centre line is seen at
a bearing, and a path not quite at the phone runs at a heading, both of which turn the
heel-to-toe line in the picture (corrected; the heading from where the contacts sit as
the person comes closer). Against rendered truth this follows the angle one to one
(slope 0.95-0.98) where BlazePose's 3D world landmarks rise only ~0.45 degrees per degree
(gait.validate). The 3D value (world landmarks, walking direction from the pelvis) and
the angle from the foot's own pixels (gait.analysis.foot_angle) are kept for when the
heel or toe is not seen.

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

from gait.analysis.events import Stance, Travel, foot_speed, ground_velocity
from gait.analysis.foot_angle import FootPixels, PixelAngle, pixel_foot_angles
from gait.analysis.geometry import hip_mid_px, knee_flexion_deg, leg_length_px, straight_leg_at_scale_px
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
    foot_angle_deg: float  # the reported angle (2D; else the foot's pixels, else 3D)
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


def foot_angle_2d_deg(track: CleanTrack, side: Side, heading_deg: float = 0.0,
                      camera: tuple[float, float] | None = None) -> np.ndarray:
    """Per-frame foot angle from the picture alone: sideways heel-to-toe offset / expected foot length.

    Corrected for the line of sight: a straight foot at bearing b (its angle off the picture's
    centre line) on a path at heading h (``walking_heading_deg``) reads b - h (outward for the
    left foot), from x/z perspective: x_toe/z_toe - x_heel/z_heel = (L/z)(sin(a) + (x/z - tan h)).
    Plus the landmarks' own offset (``fpa_landmark_offset_deg``). ``camera``: (focal length px,
    principal point x px) in the track's pixels (``camera_in_track``); default the whole frame's.
    """
    leg = LEG[side]
    # Facing the camera, the person's left is the picture's right.
    outward_sign = 1.0 if side is Side.L else -1.0
    heel, toe = track.image_px[:, leg.heel], track.image_px[:, leg.toe]
    dx_px = (toe[:, 0] - heel[:, 0]) * outward_sign
    # The foot is a share of the straight leg: a leg bent at the knee or inclined toward the phone
    # looks shorter, which read running feet ~1.3x as turned as they are (rolling leg length).
    foot_px = value("foot_to_leg_length_ratio") * straight_leg_at_scale_px(track)
    raw = np.degrees(np.arcsin(np.clip(dx_px / foot_px, -1.0, 1.0)))
    focal_px, cx = camera or camera_in_track(track)
    bearing = np.degrees(np.arctan((0.5 * (heel[:, 0] + toe[:, 0]) - cx) / focal_px))
    return raw - outward_sign * (bearing - heading_deg) + value("fpa_landmark_offset_deg")


def camera_in_track(track: CleanTrack, pixels: FootPixels | None = None) -> tuple[float, float]:
    """(assumed focal length, principal point x) in the track's pixels: of the camera's picture
    inside the frame when the full-resolution pixels show black bars, else of the whole frame."""
    from gait.analysis.foot_angle import camera_of_box

    w, h = track.frame_size_px
    if pixels is None or pixels.full_size_px[0] == 0:
        focal_px, (cx, _) = camera_of_box((0, 0, w, h))
        return focal_px, cx
    focal_px, (cx, _) = camera_of_box(pixels.picture_box_px())
    k = w / pixels.full_size_px[0]
    return focal_px * k, cx * k


def walking_heading_deg(track: CleanTrack, stances: list[Stance], running: bool,
                        camera: tuple[float, float] | None = None) -> float:
    """Heading of the path against the camera's axis (+ = drifting toward the picture's left as the person comes).

    A planted foot at lateral position X and distance z sits at x - cx = f X / z in the picture and
    its leg is f L / z long, so along a straight path ``x - cx = (X0 / L) leg_px + f tan(h)``: the
    intercept of the contacts' positions against their leg lengths. 0 when the contacts do not span
    enough distance to tell (walking in place, too few steps). ``camera`` as in ``foot_angle_2d_deg``.
    """
    focal_px, cx = camera or camera_in_track(track)
    legs = leg_length_px(track)
    xs, ls = [], []
    for st in stances:
        mid = _window(st, track, running, _MID_STANCE)
        x = _nanmedian(track.image_px[mid, LEG[st.foot].ankle, 0])
        lp = _nanmedian(legs[mid])
        if np.isfinite(x) and np.isfinite(lp):
            xs.append(x - cx)
            ls.append(lp)
    if len(xs) < 4 or min(ls) <= 0 or max(ls) / min(ls) < value("min_floor_fit_leg_ratio"):
        return 0.0
    (_, intercept_px), *_ = np.linalg.lstsq(np.stack([ls, np.ones(len(ls))], axis=1), np.array(xs), rcond=None)
    heading = float(np.degrees(np.arctan(intercept_px / focal_px)))
    return heading if abs(heading) <= value("max_walking_heading_deg") else 0.0


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


def stop_rate_per_s(track: CleanTrack, stance: Stance, ground: np.ndarray | None = None) -> float:
    """Steepest fall of foot speed around contact divided by the late-swing speed (1/s).

    ``ground``: the planted foot's velocity in the picture (``ground_velocity``), found once per clip.
    """
    speed = foot_speed(track, stance.foot, fast=True, ground=ground)
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
                 fpa_3d: np.ndarray, fpa_2d: np.ndarray, pixel: PixelAngle | None = None,
                 ground: np.ndarray | None = None) -> StepMeasures:
    """All measures of one stance (the per-frame angle arrays are computed once per foot).

    The reported angle is the one from the foot's pixels where they support one; otherwise the
    landmarks' (3D, else 2D), e.g. for landmark-only tracks.
    """
    mid = _window(stance, track, running, _MID_STANCE)
    angle_3d = _nanmedian(fpa_3d[mid])
    angle_2d = _nanmedian(fpa_2d[mid])
    px_deg = pixel.fpa_deg if pixel is not None else float("nan")
    # The 2D angle first (see the module notes); without heel and toe, a confident outline fit
    # of the foot's pixels, else the 3D landmarks.
    reported = angle_2d
    if np.isnan(reported) and not np.isnan(px_deg) and pixel.confidence >= value("min_foot_pixel_confidence"):
        reported = px_deg
    if np.isnan(reported):
        reported = angle_3d
    if abs(reported) > value("max_plausible_fpa_deg"):
        reported = float("nan")  # no walker lands like that: the measurement failed, so no angle
    twist = float("nan")
    if stance.toe_off_s is not None:
        late = _window(stance, track, running, _LIFT_OFF)
        twist = _nanmedian(fpa_2d[late]) - angle_2d
    leg = LEG[stance.foot]
    span = slice(stance.contact_idx, stance.toe_off_idx + 1)
    vis = float(np.mean(track.visibility[span][:, [leg.heel, leg.toe]]))
    return StepMeasures(stance=stance, foot_angle_deg=reported, foot_angle_3d_deg=angle_3d,
                        foot_angle_2d_deg=angle_2d, twist_deg=twist,
                        knee_give_deg=knee_give_deg(track, stance, running),
                        stop_rate_per_s=stop_rate_per_s(track, stance, ground),
                        hip_jolt_ratio=hip_jolt_ratio(track, stance, step_period_s),
                        landmark_visibility=vis, foot_angle_px_deg=px_deg,
                        foot_angle_px_confidence=pixel.confidence if pixel is not None else 0.0)


def measure_steps(track: CleanTrack, stances: list[Stance], running: bool, step_period_s: float,
                  pixels: FootPixels | None = None, travel: Travel | None = None) -> list[StepMeasures]:
    camera = camera_in_track(track, pixels)
    heading_deg = walking_heading_deg(track, stances, running, camera)
    angles = {side: (foot_angle_3d_deg(track, side), foot_angle_2d_deg(track, side, heading_deg, camera))
              for side in Side}
    # The foot's pixels are the fallback for steps whose heel or toe the pose model did not see.
    no_2d = [np.isnan(_nanmedian(angles[s.foot][1][_window(s, track, running, _MID_STANCE)])) for s in stances]
    px = (pixel_foot_angles(pixels, track, stances, running, wanted=no_2d) if pixels is not None and any(no_2d)
          else [None] * len(stances))
    ground = ground_velocity(track, travel)  # O(n^2) in frames: once per clip, not per step
    return [measure_step(track, s, running, step_period_s, *angles[s.foot], p, ground=ground)
            for s, p in zip(stances, px)]
