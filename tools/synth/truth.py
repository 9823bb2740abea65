"""Truth geometry (pure numpy): contact frames, FPA, knee give, twist.

Everything here works on a ``Walker`` and a ``Rig`` only; with a body mesh the heel and
toe points are the mesh vertices ``rig.heel_vid`` / ``rig.toe_vid`` (skinned), else the
rigid rig points (identical for vertices bound to one bone).
"""

from __future__ import annotations

import math

import numpy as np

from .gait import Stance, Walker, frontal_knee_deg, twist_start_u
from .rig import SIDE_SIGN, SIDES, Rig, forward_kinematics

STIFF_MAX_GIVE = {"walk": 10.0, "fast_walk": 10.0, "run": 18.0}
POINTS = ("heel", "toe", "ankle", "knee", "hip")


def landmarks(rig: Rig, pose: dict) -> dict:
    """World (walker-frame) positions of heel, second-toe tip, ankle, knee, hip per side,
    and the knee flexion (deg, angle between hip->knee and knee->ankle)."""
    R, t, posed = forward_kinematics(rig, pose["root"], pose["rot"])
    out = {}
    for s in SIDES:
        jf = rig.j(f"foot.{s}")
        jt = rig.j(f"toe2-3.{s}")
        # heel vertex is bound to the foot, toe tip to the last toe bone (rigid here)
        out[("heel", s)] = R[jf] @ rig.heel[s] + t[jf]
        out[("toe", s)] = R[jt] @ rig.toe[s] + t[jt]
        out[("ankle", s)] = posed[jf]
        out[("knee", s)] = posed[rig.j(f"lowerleg01.{s}")]
        out[("hip", s)] = posed[rig.j(f"upperleg01.{s}")]
        a = out[("knee", s)] - out[("hip", s)]
        b = out[("ankle", s)] - out[("knee", s)]
        c = np.clip(a @ b / np.linalg.norm(a) / np.linalg.norm(b), -1, 1)
        out[("knee_flex", s)] = math.degrees(math.acos(c))
    return out


def heading_deg(heel, toe, side: str) -> float:
    """Toe-out angle (deg) of the heel->toe line on the floor vs the walking direction +z."""
    d = np.asarray(toe) - np.asarray(heel)
    return SIDE_SIGN[side] * math.degrees(math.atan2(d[0], d[2]))


def direction_label(fpa: float) -> str:
    if fpa < 0:
        return "in"
    if fpa <= 15:
        return "straight"
    return "out"


FRONTAL_WINDOW_U = 0.5  # knee valgus and pelvic drop: their peak in the first half of stance (loading)
EVERSION_WINDOW_U = 0.6  # rearfoot eversion: its peak before heel rise, relative to contact


def pelvic_tilt_deg(lm: dict, side: str) -> float:
    """Tilt of the hip line in the walker's frontal plane, + = the other side's hip lower (contralateral drop)."""
    a, b = lm[("hip", side)], lm[("hip", "L" if side == "R" else "R")]
    return math.degrees(math.atan2(a[1] - b[1], abs(a[0] - b[0])))


def frontal_truth(walker: Walker, st: Stance) -> dict:
    """Knee valgus (FPPA peak in loading), contralateral pelvic drop (peak in loading, level = 0)
    and rearfoot eversion (peak of the shank/heel angle before heel rise minus its value at contact),
    all in the walker's frontal plane (x-y), degrees."""
    rig = walker.rig
    s = st.foot

    def at_u(u):
        return landmarks(rig, walker.pose(st.t_ic + u * (st.t_to - st.t_ic)))

    us = np.linspace(0.0, EVERSION_WINDOW_U, 25)
    lms = [at_u(u) for u in us]
    load = [lm for u, lm in zip(us, lms) if u <= FRONTAL_WINDOW_U + 1e-9]
    valgus = max(frontal_knee_deg(lm[("hip", s)], lm[("knee", s)], lm[("ankle", s)], s) for lm in load)
    drop = max(pelvic_tilt_deg(lm, s) for lm in load)
    rear = [frontal_knee_deg(lm[("knee", s)], lm[("ankle", s)], lm[("heel", s)], s) for lm in lms]
    return {"knee_valgus_deg": round(valgus, 3), "pelvic_drop_deg": round(drop, 3),
            "rearfoot_eversion_deg": round(max(rear) - rear[0], 3)}


def step_widths_leg(walker: Walker, stances: list[Stance], wanted: list[Stance]) -> dict[int, float]:
    """Per stance (by id): lateral distance of its ankle (mid foot-flat) from the line through the
    other foot's previous and next ankles, + = on its own side, in leg lengths (hip-ankle, straight)."""
    p = walker.p
    u_flat = 0.5 * (p.flat_u + p.heel_off_u)
    leg_m = float(np.mean([walker.l1[s] + walker.l2[s] for s in SIDES]))
    pos: dict[int, np.ndarray] = {}

    def ankle(st: Stance) -> np.ndarray:
        if id(st) not in pos:
            lm = landmarks(walker.rig, walker.pose(st.t_ic + u_flat * (st.t_to - st.t_ic)))
            pos[id(st)] = lm[("ankle", st.foot)]
        return pos[id(st)]

    out = {}
    for i, st in enumerate(stances):
        if not any(w is st for w in wanted):
            continue
        prev = next((o for o in reversed(stances[:i]) if o.foot != st.foot), None)
        nxt = next((o for o in stances[i + 1:] if o.foot != st.foot), None)
        if prev is None or nxt is None:
            continue
        a, b, c = ankle(prev), ankle(nxt), ankle(st)
        # On the spot the neighbours land side by side (no travel): their line is their middle.
        x_line = (a[0] + (b[0] - a[0]) * (c[2] - a[2]) / (b[2] - a[2]) if abs(b[2] - a[2]) > 1e-6
                  else 0.5 * (a[0] + b[0]))
        out[id(st)] = round(SIDE_SIGN[st.foot] * (c[0] - x_line) / leg_m, 4)
    return out


def stance_truth(walker: Walker, st: Stance, fps: float, n_frames: int, speed: str) -> dict:
    rig = walker.rig
    s = st.foot
    p = walker.p

    def at_u(u):
        return landmarks(rig, walker.pose(st.t_ic + u * (st.t_to - st.t_ic)))

    u_flat = 0.5 * (p.flat_u + p.heel_off_u)
    lm_flat = at_u(u_flat)
    fpa = heading_deg(lm_flat[("heel", s)], lm_flat[("toe", s)], s)
    lm_mid = at_u(max(0.5, u_flat) if twist_start_u(p) >= 0.5 else 0.5)
    lm_to = at_u(1.0)
    twist = heading_deg(lm_to[("heel", s)], lm_to[("toe", s)], s) - heading_deg(lm_mid[("heel", s)], lm_mid[("toe", s)], s)
    knees = [at_u(u)[("knee_flex", s)] for u in np.linspace(0, 0.4, 81)]
    give = max(knees) - knees[0]
    t_last = (n_frames - 1) / fps
    ic_in = 0 <= st.t_ic <= t_last
    to_in = 0 <= st.t_to <= t_last
    landing = "bang" if st.settings.knee_give_deg <= STIFF_MAX_GIVE[speed] else "spring"
    return {
        "foot": s,
        "ic_frame": int(math.ceil(st.t_ic * fps - 1e-9)) if ic_in else None,
        "ic_time_s": round(st.t_ic, 6) if ic_in else None,
        "ic_unc": 0 if ic_in else None,
        "to_frame": int(math.floor(st.t_to * fps + 1e-9)) if to_in else None,
        "to_time_s": round(st.t_to, 6) if to_in else None,
        "to_unc": 0 if to_in else None,
        "fpa_deg": round(fpa, 3),
        "direction": direction_label(round(fpa, 1)),
        "knee_flexion_at_ic_deg": round(knees[0], 3),
        "knee_give_deg": round(give, 3),
        "landing": landing,
        "twist_deg": round(twist, 3),
        **frontal_truth(walker, st),
    }


def contacts_truth(walker: Walker, fps: float, n_frames: int, speed: str) -> list[dict]:
    t_last = (n_frames - 1) / fps
    out = []
    ordered = sorted(walker.stances, key=lambda x: x.t_ic)
    kept = []
    for st in ordered:
        if st.t_to < 0 or st.t_ic > t_last:
            continue
        # a stance must be touching at least one frame to count
        first = math.ceil(max(st.t_ic, 0) * fps - 1e-9)
        last = math.floor(min(st.t_to, t_last) * fps + 1e-9)
        if last < first:
            continue
        kept.append(st)
    widths = step_widths_leg(walker, ordered, kept)
    return [{**stance_truth(walker, st, fps, n_frames, speed), "step_width_leg": widths.get(id(st))} for st in kept]
