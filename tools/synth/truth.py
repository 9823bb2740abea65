"""Truth geometry (pure numpy): contact frames, FPA, knee give, twist.

Everything here works on a ``Walker`` and a ``Rig`` only; with a body mesh the heel and
toe points are the mesh vertices ``rig.heel_vid`` / ``rig.toe_vid`` (skinned), else the
rigid rig points (identical for vertices bound to one bone).
"""

from __future__ import annotations

import math

import numpy as np

from .gait import Stance, Walker, twist_start_u
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
    }


def contacts_truth(walker: Walker, fps: float, n_frames: int, speed: str) -> list[dict]:
    t_last = (n_frames - 1) / fps
    out = []
    for st in sorted(walker.stances, key=lambda x: x.t_ic):
        if st.t_to < 0 or st.t_ic > t_last:
            continue
        # a stance must be touching at least one frame to count
        first = math.ceil(max(st.t_ic, 0) * fps - 1e-9)
        last = math.floor(min(st.t_to, t_last) * fps + 1e-9)
        if last < first:
            continue
        out.append(stance_truth(walker, st, fps, n_frames, speed))
    return out
