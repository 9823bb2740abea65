"""What clinicians look for from the front and from behind, per step and per foot (issue 11).

From the front (the walk toward the phone), all in the picture's plane:

- knee falling in (dynamic knee valgus): the frontal plane projection angle (FPPA) of
  hip-knee-ankle, 180 deg minus the angle at the knee, + = knee inside the hip-ankle line;
  its peak in the first half of stance (loading). Willson & Davis 2008; Souza 2016.
- hip dropping on the other side (contralateral pelvic drop): the tilt of the waistband
  (``gait.analysis.waistband``: the seam between top and bottom garment, found in the
  full-resolution picture), + = the other side lower, peak in the first half of stance, relative
  to its median tilt over the steady walk (its level: both sides pass through it each stride,
  and a phone held a little crooked drops out). Bramah et al. 2018. Where no waistband shows on
  most of the walk, the model's hip line stands in, capped below the finding floor.
- step width: how far the planted foot's middle (halfway heel to toe) lands from the line through
  the other foot's planted middles before and after it, along the picture's rows (a row of the
  floor is one distance from the phone), in leg lengths (hip to ankle in the picture when the leg
  is straightest within a stride: ``straight_leg_px``); + = on its own side, below 0 = crossing
  the midline. Souza 2016.

From behind (the walk back, ``rear_view``): rearfoot eversion, the angle at the ankle
between the shank (knee-ankle) and the heel (ankle-heel) in the picture, + = heel out
(rolled in), its peak before heel rise minus its value at contact: how far the heel
rolls in after landing (from its lowest before the peak, so a contact found a little early does
not count the swing). Static offsets of the landmarks drop out of the difference.

Where it fails. The FPPA of a bent knee seen obliquely mixes in some flexion (a camera
off the path by a few degrees adds ~1 deg); pelvic drop needs the waistband in view (an
untucked top hides it; a hem hanging at the hips is not taken for it); the heel
and ankle landmarks are only ~7 cm apart, so eversion from a person 5 m away rests on a
handful of pixels (its confidence says so). Checked against rendered walkers by
``python -m gait.validate`` (``valgus_mae_deg``, ``pelvic_drop_mae_deg``,
``step_width_mae_leg``, ``eversion_mae_deg``).

What the landmarks, not the method, cost (``python -m tools.frontal_probe``, rendered walkers,
committed and held-out): on exact projected joints pelvic drop is within 0.6 / 0.2 deg and
eversion within 0.6 / 0.7 deg per step; on BlazePose's points they are 6 and 7-8 deg off. Its
hips lie at 0.65-0.81 of the true hip-joint width and its knees at 0.75-1.0 (the knee angle
reads ~2.4 deg low); from behind its heel does not follow the heel's roll, and a heel bisector
from the heel's silhouette (10-20 px from behind) was 10-16 deg off: eversion stays capped
below the finding floor. What there is to see is small: 10 deg of roll moves the ankle 1.5-1.9 px
over the heel in the rendered walks away (median; ankle to heel 11-13 px), so 3 deg is half a pixel. The hip line's tilt carries almost none of the pelvis's, hence the
waistband: placed from the true hips it follows the pelvis within 0.74 deg per step on walkers
whose waistband is bound to the pelvis (tools.synth 0.2.0; before, anny's skinning tilted it at
~0.35 of the pelvis and its truth is not scored).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from gait.analysis.events import Stance, Travel, all_stances, steady_stretch
from gait.analysis.geometry import leg_length_px, straight_leg_px
from gait.analysis.identity import consistent_sides
from gait.analysis.pose import LM, PoseTrack
from gait.analysis.signal import CleanTrack, clean
from gait.analysis.waistband import WaistLine, seam_segment_px, usable
from gait.analysis.waistband import tilt_deg as waist_tilt_deg
from gait.names import LEG, Side
from gait.thresholds import value

FRONT, REAR = "front", "rear"
LOADING_SHARE = 0.5  # knee valgus and pelvic drop: their peak in the first half of stance
EVERSION_SHARE = 0.6  # rearfoot eversion: its peak before heel rise
_FLAT = (0.2, 0.5)  # share of stance where the foot is flat: its planted point


# ---------------------------------------------------------------- geometry (pure, on points)
def medial_sign_x(side: Side, view: str) -> float:
    """+1 when the body's midline is toward +x in the picture from this leg, else -1.

    Facing the phone the person's left leg is on the picture's right, so its midline is to the
    left (-x); seen from behind it is the other way round.
    """
    facing = view == FRONT
    return (-1.0 if side is Side.L else 1.0) * (1.0 if facing else -1.0)


def bend_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray, side: Side, view: str) -> np.ndarray:
    """Signed bend at b of the chain a-b-c in the picture, + = b lies toward the midline of a-c.

    180 deg minus the angle abc, signed. For hip-knee-ankle this is the FPPA (+ = knee falls in);
    for knee-ankle-heel it is the rearfoot angle (+ = ankle in of the knee-heel line = heel out,
    the heel rolled in). Arrays (..., 2) in image pixels (y down); NaN where a point is missing.
    """
    v1 = np.asarray(b, float) - np.asarray(a, float)
    v2 = np.asarray(c, float) - np.asarray(b, float)
    cross = v1[..., 0] * v2[..., 1] - v1[..., 1] * v2[..., 0]
    dot = np.sum(v1 * v2, axis=-1)
    return medial_sign_x(side, view) * np.degrees(np.arctan2(cross, dot))


def hip_tilt_deg(hip_l: np.ndarray, hip_r: np.ndarray) -> np.ndarray:
    """Tilt of the hip line in the picture, + = the right hip lower (image y grows down)."""
    d = np.asarray(hip_r, float) - np.asarray(hip_l, float)
    return np.degrees(np.arctan2(d[..., 1], np.abs(d[..., 0])))


def lateral_offset_px(point: np.ndarray, line_a: np.ndarray, line_b: np.ndarray) -> float:
    """x of ``point`` minus x of the line a-b at the point's row (pixels, image x right)."""
    (xa, ya), (xb, yb), (xp, yp) = (np.asarray(p, float) for p in (line_a, line_b, point))
    if not np.isfinite([xa, ya, xb, yb, xp, yp]).all():
        return float("nan")
    if abs(yb - ya) < 1e-6:
        x_line = 0.5 * (xa + xb)
    else:
        x_line = xa + (xb - xa) * (yp - ya) / (yb - ya)
    return float(xp - x_line)


# ---------------------------------------------------------------- per step
@dataclass(frozen=True)
class FrontalStep:
    """One step's frontal measures (NaN = not measured on this step), each with a 0-1 confidence."""

    stance: Stance
    view: str  # "front" (walking toward the phone) or "rear" (walking away, seen from behind)
    knee_valgus_deg: float = float("nan")
    knee_valgus_confidence: float = 0.0
    pelvic_drop_deg: float = float("nan")
    pelvic_drop_confidence: float = 0.0
    step_width_leg: float = float("nan")
    step_width_confidence: float = 0.0
    rearfoot_eversion_deg: float = float("nan")
    rearfoot_eversion_confidence: float = 0.0
    frame_s: float = float("nan")  # the moment the knee's (heel's) angle peaked: the picture's frame
    # the points measured at frame_s, analysis-frame pixels: left hip, right hip, hip, knee, ankle, heel
    points_px: tuple[tuple[float, float], ...] = ()
    pelvic_drop_from: str = ""  # "waistband" (the seam in the picture) or "hips" (the model's hip landmarks)
    # the waistband as measured at frame_s (analysis-frame pixels, two ends), when pelvic drop came from it
    waist_px: tuple[tuple[float, float], ...] = ()


def _seam_at(waist: Sequence[WaistLine], track: CleanTrack, time_s: float) -> tuple[tuple[float, float], ...]:
    """The waistband as measured in the frame nearest ``time_s`` (analysis-frame pixels), for its picture."""
    good = [ln for ln in waist if usable(ln) and abs(ln.time_s - time_s) <= 0.05]
    if not good:
        return ()
    line = min(good, key=lambda ln: abs(ln.time_s - time_s))
    i = int(np.argmin(np.abs(track.time_s - time_s)))
    ends = seam_segment_px(line, track.image_px[i, LM.L_HIP], track.image_px[i, LM.R_HIP])
    return tuple(ends) if ends is not None else ()


def _window(stance: Stance, share: float, track: CleanTrack) -> np.ndarray:
    """Indices of the first ``share`` of a stance (a typical stance when toe-off is not seen)."""
    typical_s = 0.62 if stance.toe_off_s is None else (stance.toe_off_s - stance.contact_s)
    stop_s = stance.contact_s + share * typical_s
    idx = np.flatnonzero((track.time_s >= stance.contact_s - 1e-9) & (track.time_s <= stop_s + 1e-9))
    return idx


def _size_factor(leg_px: float, floor_name: str, full_name: str) -> float:
    """0 below the floor, 1 from ``full`` up, linear between (how many pixels a measure rests on)."""
    lo, hi = value(floor_name), value(full_name)
    if not np.isfinite(leg_px):
        return 0.0
    return float(np.clip((leg_px - lo) / (hi - lo), 0.0, 1.0))


def _visibility(track: CleanTrack, idx: np.ndarray, points: Sequence[int]) -> float:
    if idx.size == 0:
        return 0.0
    return float(np.clip(np.mean(track.visibility[np.ix_(idx, list(points))]), 0.0, 1.0))


def _flat_idx(track: CleanTrack, stance: Stance) -> np.ndarray:
    """Indices of the stance while the foot is flat (the contact frame when none)."""
    idx = _window(stance, _FLAT[1], track)
    idx = idx[track.time_s[idx] >= stance.contact_s + _FLAT[0] * ((stance.duration_s or 0.62))]
    return idx if idx.size else np.array([stance.contact_idx])


def foot_middle_px(heel_px: np.ndarray, toe_px: np.ndarray) -> np.ndarray:
    """The foot's middle in the picture: halfway between heel and toe (..., 2).

    From the front BlazePose's ankle sits a pixel or two lateral of the ankle joint on both feet,
    which adds twice that to every step width (rendered walkers: +0.02 leg); the foot's middle
    has no such side."""
    return 0.5 * (np.asarray(heel_px, float) + np.asarray(toe_px, float))


def _planted_point(track: CleanTrack, stance: Stance) -> np.ndarray:
    """Median position (pixels) of the foot's middle while the foot is flat."""
    leg = LEG[stance.foot]
    idx = _flat_idx(track, stance)
    pts = foot_middle_px(track.image_px[idx, leg.heel], track.image_px[idx, leg.toe])
    pts = pts[np.isfinite(pts).all(axis=1)]
    return np.median(pts, axis=0) if pts.size else np.array([np.nan, np.nan])


def measure_frontal_steps(track: CleanTrack, steps: Sequence[Stance], all_steps: Sequence[Stance],
                          view: str, waist: Sequence[WaistLine] = ()) -> list[FrontalStep]:
    """Per step of ``steps``: knee valgus, pelvic drop and step width (front), or rearfoot eversion (rear).

    ``all_steps`` (every stance found, in time order) gives each step's neighbours of the other foot.
    ``waist``: the waistband seam found per frame (``gait.analysis.waistband``); where it is seen on
    most of the steady walk, pelvic drop follows its tilt instead of the hip landmarks' line.
    """
    if not steps:
        return []
    track = track.as_measured  # the model's landmarks unfiltered (gait.analysis.landmark_filter)
    scale = leg_length_px(track, window_s=1.0)
    straight = straight_leg_px(track) if view == FRONT else scale
    hips_l, hips_r = track.image_px[:, LM.L_HIP], track.image_px[:, LM.R_HIP]
    tilt = hip_tilt_deg(hips_l, hips_r)
    span = np.flatnonzero((track.time_s >= steps[0].contact_s) & (track.time_s <= (steps[-1].toe_off_s or
                                                                                    track.time_s[-1])))
    seam = waist_tilt_deg(list(waist), track.time_s, hips_r[:, 0] - hips_l[:, 0])
    by_seam = bool(view == FRONT and span.size and np.isfinite(seam[span]).mean() >= value("waist_min_frames_share"))
    if by_seam:
        tilt = seam
    level_deg = float(np.nanmedian(tilt[span])) if span.size and np.isfinite(tilt[span]).any() else 0.0
    ordered = sorted(all_steps, key=lambda s: s.contact_s)
    planted = {id(s): _planted_point(track, s) for s in ordered}
    out = []
    for st in steps:
        leg = LEG[st.foot]
        leg_px = float(scale[st.contact_idx]) if np.isfinite(scale[st.contact_idx]) else float(np.nanmedian(scale))
        kw: dict[str, float] = {}
        if view == FRONT:
            load = _window(st, LOADING_SHARE, track)
            if load.size:
                pts = track.image_px[load]
                fppa = bend_deg(pts[:, leg.hip], pts[:, leg.knee], pts[:, leg.ankle], st.foot, view)
                if np.isfinite(fppa).any():
                    k = int(np.nanargmax(fppa))
                    kw["knee_valgus_deg"] = float(fppa[k])
                    kw["frame_s"] = float(track.time_s[load[k]])
                    kw["knee_valgus_confidence"] = (_visibility(track, load, (leg.hip, leg.knee, leg.ankle))
                                                    * _size_factor(leg_px, "frontal_min_leg_px", "frontal_full_leg_px"))
                other_sign = 1.0 if st.foot is Side.L else -1.0  # + tilt = the right hip lower
                drop = other_sign * (tilt[load] - level_deg)
                if np.isfinite(drop).any():
                    kw["pelvic_drop_deg"] = float(np.nanmax(drop))
                    kw["pelvic_drop_from"] = "waistband" if by_seam else "hips"
                    if by_seam and "frame_s" in kw:
                        kw["waist_px"] = _seam_at(waist, track, kw["frame_s"])
                    if by_seam:
                        # The seam seen on most of the loading frames, over enough columns to fit.
                        kw["pelvic_drop_confidence"] = (float(np.isfinite(seam[load]).mean())
                                                        * _size_factor(float(np.nanmedian(np.linalg.norm(
                                                            hips_r[load] - hips_l[load], axis=1))),
                                                            "waist_min_hip_px", "waist_full_hip_px"))
                    else:
                        kw["pelvic_drop_confidence"] = (_visibility(track, load, (LM.L_HIP, LM.R_HIP))
                                                        * _size_factor(leg_px, "pelvis_min_leg_px",
                                                                       "pelvis_full_leg_px"))
            i = next(n for n, s in enumerate(ordered) if s is st) if any(s is st for s in ordered) else -1
            prev = next((o for o in reversed(ordered[:i]) if o.foot is not st.foot), None) if i >= 0 else None
            nxt = next((o for o in ordered[i + 1:] if o.foot is not st.foot), None) if i >= 0 else None
            # Neighbours a walking step away, not across a pause or a turn.
            near = value("max_step_s")
            if prev is not None and st.contact_s - prev.contact_s > near:
                prev = None
            if nxt is not None and nxt.contact_s - st.contact_s > near:
                nxt = None
            straight_px = float(straight[st.contact_idx])
            if prev is not None and nxt is not None and np.isfinite(straight_px) and straight_px > 0:
                off = lateral_offset_px(planted[id(st)], planted[id(prev)], planted[id(nxt)])
                # Lateral (own side) is away from the midline.
                width = -medial_sign_x(st.foot, view) * off / straight_px
                if np.isfinite(width):
                    kw["step_width_leg"] = float(width)
                    flat = _flat_idx(track, st)
                    # The ankle's visibility stands for the foot's: BlazePose reads heel and toe as less
                    # visible from the front while placing them well (rendered walkers: the same error, on 24 % of true steps instead of 16 %).
                    kw["step_width_confidence"] = (_visibility(track, flat, (leg.ankle,))
                                                   * _size_factor(leg_px, "frontal_min_leg_px", "frontal_full_leg_px"))
        else:
            load = _window(st, EVERSION_SHARE, track)
            if load.size >= 3:
                pts = track.image_px[load]
                rear = bend_deg(pts[:, leg.knee], pts[:, leg.ankle], pts[:, leg.heel], st.foot, view)
                if np.isfinite(rear).sum() >= 3:
                    # From its lowest before the peak: a contact found a frame or two early must not count swing.
                    peak = int(np.nanargmax(rear))
                    kw["rearfoot_eversion_deg"] = float(rear[peak] - np.nanmin(rear[: peak + 1]))
                    heel_px = float(np.nanmedian(np.linalg.norm(pts[:, leg.heel] - pts[:, leg.ankle], axis=1)))
                    kw["rearfoot_eversion_confidence"] = (
                        _visibility(track, load, (leg.knee, leg.ankle, leg.heel))
                        * _size_factor(heel_px, "eversion_min_heel_px", "eversion_full_heel_px"))
                    kw["frame_s"] = float(track.time_s[load[int(np.nanargmax(rear))]])
        points: tuple[tuple[float, float], ...] = ()
        if "frame_s" in kw:
            j = int(np.argmin(np.abs(track.time_s - kw["frame_s"])))
            points = tuple((float(x), float(y)) for x, y in
                           track.image_px[j, [LM.L_HIP, LM.R_HIP, leg.hip, leg.knee, leg.ankle, leg.heel]])
        out.append(FrontalStep(stance=st, view=view, points_px=points,
                               **{k: (round(v, 3) if "confidence" in k else v) for k, v in kw.items()}))
    return out


# ---------------------------------------------------------------- per foot
@dataclass(frozen=True)
class Measure:
    """One measure of one foot over a clip: median, spread, how many steps, confidence and the call."""

    median: float
    iqr: float
    n_steps: int
    confidence: float
    flagged: bool | None  # beyond its threshold (None: not judged)


_NOT_MEASURED = Measure(float("nan"), float("nan"), 0, 0.0, None)


def summarise(values: Sequence[float], confidences: Sequence[float], threshold: float, above: bool = True,
              doubt: float = 0.0, max_confidence: float = 1.0) -> Measure:
    """Median over the steps clear enough; flagged when beyond ``threshold`` (``above`` or below it).

    Confidence: the share of steps on the median's side of the threshold x their mean confidence x
    a step-count factor (3 steps 0.6, 5 or more 1.0), lowered by 0.7 within ``doubt`` of the threshold.
    """
    kept = [(v, c) for v, c in zip(values, confidences) if np.isfinite(v) and c >= value("min_step_confidence")]
    if not kept:
        seen = [v for v in values if np.isfinite(v)]
        # Measured, but on no step clear enough: the value is shown with no call, never as "not measured".
        return Measure(float(np.median(seen)), float("nan"), 0, 0.0, None) if seen else _NOT_MEASURED
    vals = np.array([v for v, _ in kept])
    median = float(np.median(vals))
    iqr = float(np.subtract(*np.percentile(vals, [75, 25])))
    if len(kept) < int(value("min_steps_for_finding")):
        return Measure(median, iqr, len(kept), 0.0, None)
    flagged = median > threshold if above else median < threshold
    steps_flagged = (vals > threshold) if above else (vals < threshold)
    agree = float(np.mean(steps_flagged == flagged))
    conf = agree * float(np.mean([c for _, c in kept])) * min(1.0, len(kept) / 5.0)
    if abs(median - threshold) < doubt:
        conf *= 0.7
    # A method that misses its bar on rendered truth cannot be surer than its cap (gait.thresholds).
    return Measure(median, iqr, len(kept), round(min(conf, max_confidence), 2), bool(flagged))


@dataclass(frozen=True)
class FrontalFoot:
    foot: Side
    knee_valgus: Measure = _NOT_MEASURED
    pelvic_drop: Measure = _NOT_MEASURED
    step_width: Measure = _NOT_MEASURED
    rearfoot_eversion: Measure = _NOT_MEASURED
    pelvic_drop_from: str = ""  # "waistband" or "hips": what the pelvic drop's tilt was read from ("" not measured)


def summarise_feet(steps: Sequence[FrontalStep], running: bool) -> dict[Side, FrontalFoot]:
    out = {}
    for side in Side:
        front = [s for s in steps if s.stance.foot is side and s.view == FRONT]
        rear = [s for s in steps if s.stance.foot is side and s.view == REAR]
        measured = [s.pelvic_drop_from for s in front if is_finite(s.pelvic_drop_deg)]
        out[side] = FrontalFoot(
            foot=side,
            pelvic_drop_from=("waistband" if measured and all(m == "waistband" for m in measured)
                              else "hips" if measured else ""),
            knee_valgus=summarise([s.knee_valgus_deg for s in front], [s.knee_valgus_confidence for s in front],
                                  value("knee_valgus_fppa_deg"), doubt=value("frontal_doubt_deg")),
            pelvic_drop=summarise([s.pelvic_drop_deg for s in front], [s.pelvic_drop_confidence for s in front],
                                  value("pelvic_drop_deg"), doubt=value("frontal_doubt_deg") / 2,
                                  # the hip landmarks' line misses its bar on rendered truth; the waistband not
                                  max_confidence=(1.0 if measured and all(m == "waistband" for m in measured)
                                                  else value("pelvic_drop_max_confidence"))),
            step_width=summarise([s.step_width_leg for s in front], [s.step_width_confidence for s in front],
                                 value("crossover_step_width_leg"), above=False,
                                 doubt=value("step_width_doubt_leg")),
            rearfoot_eversion=summarise([s.rearfoot_eversion_deg for s in rear],
                                        [s.rearfoot_eversion_confidence for s in rear],
                                        value("rearfoot_eversion_run_deg" if running else "rearfoot_eversion_walk_deg"),
                                        doubt=value("frontal_doubt_deg"),
                                        max_confidence=value("eversion_max_confidence")),
        )
    return out


# ---------------------------------------------------------------- the walk back, seen from behind
@dataclass(frozen=True)
class RearView:
    """The walk back: where it is in the clip, whether it passed the checks, and why not."""

    filmed: bool  # a stretch walking away from the phone was found
    usable: bool  # it passed the quality checks
    reason: str | None  # plain words when not usable or not filmed
    from_s: float = float("nan")
    to_s: float = float("nan")
    steps: tuple[FrontalStep, ...] = ()


MOVING_PHONE = ("We saw you from behind, but the phone moved along with you (you stayed the same size), so how "
                "your heel rolls in after landing was not measured. Put the phone on something still and walk away "
                "from it on the way back.")
NOT_FILMED = ("We did not see you walk back, away from the phone, so how your heel rolls in after landing "
              "(seen from behind) was not measured. Film the walk back too: turn at the end and walk away "
              "from the phone.")


def rear_stretch(raw: PoseTrack) -> tuple[int, int] | None:
    """(first, last) frame of the walk away from the phone: from where the body is largest to the end,
    when it shrinks there by more than ``max_retreat_scale_loss_pct``; or, for someone who walked away
    first (recording started at the phone), from the start to where the body is smallest. The longer
    of the two; None when there is no such walk."""
    px = raw.image_xy_px
    leg = np.fmax(np.linalg.norm(px[:, LM.L_HIP] - px[:, LM.L_ANKLE], axis=1),
                  np.linalg.norm(px[:, LM.R_HIP] - px[:, LM.R_ANKLE], axis=1)) if raw.n_frames else np.zeros(0)
    ok = np.flatnonzero(raw.detected & np.isfinite(leg)) if raw.n_frames else np.zeros(0, int)
    if ok.size < 8:
        return None
    # Smooth over ~0.5 s of samples: a stride's bob must not look like a turn.
    k = max(3, int(round(0.5 * ok.size / max(1e-6, float(raw.time_s[ok[-1]] - raw.time_s[ok[0]])))))
    smooth = np.array([np.median(leg[ok[max(0, i - k // 2): i + k // 2 + 1]]) for i in range(ok.size)])
    keep = 1 - value("max_retreat_scale_loss_pct") / 100
    spans = []
    top = int(np.argmax(smooth))
    tail = smooth[top:]
    # Each walk must end where the body is smallest (largest, for the first walk away), or the
    # stretch would take in a walk back toward the phone.
    if (tail.size >= 8 and int(np.argmin(tail)) >= tail.size - 1 - tail.size // 6
            and tail[-max(2, tail.size // 6):].mean() <= keep * tail[0]):
        spans.append((int(ok[top]), int(ok[-1])))
    bottom = int(np.argmin(smooth))
    head = smooth[: bottom + 1]
    if (head.size >= 8 and int(np.argmax(head)) <= head.size // 6
            and head[-1] <= keep * head[: max(2, head.size // 6)].mean()):
        spans.append((int(ok[0]), int(ok[bottom])))
    spans = [(a, b) for a, b in spans if raw.time_s[b] - raw.time_s[a] >= value("min_clip_s")]
    return max(spans, key=lambda ab: raw.time_s[ab[1]] - raw.time_s[ab[0]]) if spans else None


def _slice(raw: PoseTrack, first: int, last: int) -> PoseTrack:
    sl = slice(first, last + 1)
    return replace(raw, time_s=raw.time_s[sl], image_xy=raw.image_xy[sl], image_xy_px=raw.image_xy_px[sl],
                   world_xyz_m=raw.world_xyz_m[sl], visibility=raw.visibility[sl], brightness=raw.brightness[sl],
                   unfiltered=None if raw.unfiltered is None else _slice(raw.unfiltered, first, last),
                   fresh=None if raw.fresh is None else raw.fresh[sl])


def rear_view(raw: PoseTrack, camera_moving: bool = False, running: bool | None = None) -> RearView:
    """Rearfoot eversion from the walk back, only when that stretch passes the clip's own checks
    (person and feet seen, frame rate, enough steps of each foot); otherwise why not.

    ``camera_moving``: the clip's own check found a phone carried along (seen from behind at a
    constant size); then the reason names that, not a missing walk back. ``running``: the take is a
    run (see ``events.contacts_from_lift_offs``).
    """
    from gait.analysis.quality import assess, with_steps

    span = rear_stretch(raw)
    if span is None:
        return RearView(filmed=False, usable=False, reason=MOVING_PHONE if camera_moving else NOT_FILMED)
    part = consistent_sides(_slice(raw, *span))  # walking away: the person faces away from the phone
    track = clean(part)
    t0, t1 = float(part.time_s[0]), float(part.time_s[-1])
    quality = assess(part, track)
    stances = (all_stances(track, Travel.AWAY, running=running)
               if quality.timing_ok and quality.person_frames_pct > 0 else [])
    per_foot = min(sum(s.foot is side for s in stances) for side in Side)
    quality = with_steps(quality, len(stances), per_foot, stances)
    # Walking away is what this stretch is: that one check does not apply here.
    blocking = [p for p in quality.problems if p.blocking and p.code != "walking_away"]
    if blocking:
        return RearView(filmed=True, usable=False, from_s=t0, to_s=t1,
                        reason=("We saw you walk away from the phone but could not use that part: "
                                f"{blocking[0].message} {blocking[0].fix}"))
    stretch = steady_stretch(stances)
    steady = stances[stretch[0]: stretch[1] + 1] if stretch else stances
    # Times on the whole clip's clock (the slice keeps the container's timestamps).
    steps = measure_frontal_steps(track, steady, stances, REAR)
    return RearView(filmed=True, usable=True, reason=None, from_s=t0, to_s=t1, steps=tuple(steps))


@dataclass(frozen=True)
class Frontal:
    """Everything issue 11 measures on one clip (items 1-4)."""

    steps: tuple[FrontalStep, ...]  # front and rear steps, in time order
    feet: dict[Side, FrontalFoot]
    rear: RearView
    pictures: dict[str, bytes] = field(default_factory=dict)  # "knee_L", "pelvis_R", "rear_L", ... PNG

    @property
    def valgus_lr_diff_deg(self) -> float:
        left, right = self.feet[Side.L].knee_valgus, self.feet[Side.R].knee_valgus
        if left.flagged is None or right.flagged is None:
            return float("nan")
        return abs(left.median - right.median)


def frontal_of_clip(raw: PoseTrack, track: CleanTrack, steady: Sequence[Stance], stances: Sequence[Stance],
                    front_ok: bool, running: bool, camera_moving: bool = False,
                    waist: Sequence[WaistLine] = ()) -> Frontal:
    """Front measures on the steady walk toward the phone (when the clip is usable), rear ones on the walk back."""
    front = measure_frontal_steps(track, steady, stances, FRONT, waist) if front_ok else []
    rear = rear_view(raw, camera_moving=camera_moving, running=running)
    steps = tuple(sorted([*front, *rear.steps], key=lambda s: s.stance.contact_s))
    return Frontal(steps=steps, feet=summarise_feet(steps, running), rear=rear)


def is_finite(x: float) -> bool:
    return x is not None and not math.isnan(x)
