"""Gait kinematics in pure numpy: curves per phase, planted feet, leg IK.

How a pose is made (walker frame: x = the walker's left, y = up, z = forward, floor y=0):

* Timing: stride T = 120 / cadence; each foot's stance lasts duty * T; the right foot's
  contacts are half a stride after the left's. Contact times are exact by construction.
* Stance foot: its pitch follows a curve (toe up at contact, flat, heel rise, push-off);
  while the toe is up it rolls about a fixed heel point, while the heel is up about the
  fixed second-toe joint with the toes bent back flat on the floor. So a planted foot
  does not slide (except the twist: during heel rise the foot may turn about the vertical
  through the toe joint by ``twist_deg``). Its heading on the floor is the foot
  progression angle (FPA).
* Knee: in stance it follows a curve (flexion at contact, give = loading flexion,
  extension, pre-swing flexion). The pelvis height is solved so the hip-to-ankle
  distance of the *anchor* leg (the one that touched down last) gives exactly that knee
  flexion. In walking, the trailing leg in double support keeps its toes planted and its
  heel rise is solved so its knee also follows the curve; the next foot is placed where
  it reaches the floor at the contact time with the curve's knee flexion.
* Running: single support, then a flight in which the pelvis follows a cubic between
  the take-off and landing states; the foot lands ``landing_offset_m`` ahead of the pelvis.
* Swing foot: a cubic Hermite path of the ankle (plus a lift) from take-off to the next
  landing pose; knee and hip follow by two-link IK with the knee in the plane of the
  foot's heading.
* Pelvis: forward at constant speed, lateral sway, rotation and obliquity (pelvic drop)
  as stride-frequency sinusoids. Arms swing opposite to the legs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from .rig import SIDE_SIGN, SIDES, Rig, foot_frame, rot_axis, rot_x, rot_y, rot_z, unit

D2R = math.pi / 180.0
REF_HIP_HEIGHT_M = 0.858


@dataclass(frozen=True)
class FootSettings:
    fpa_deg: float = 5.0  # foot progression angle, + = toe out
    knee_give_deg: float = 20.0  # knee flexion added during loading
    twist_deg: float = 0.0  # change of heading from mid-stance to toe-off, + = toe turns out
    # peak frontal-plane knee angle added in loading (+ = knee falls in), follows the knee's give
    knee_valgus_deg: float = 0.0
    # peak roll of the foot about its long axis in loading (+ = sole turns out, heel rolls in),
    # about the heel's floor point; back to 0 by heel rise
    rearfoot_eversion_deg: float = 0.0


@dataclass(frozen=True)
class SpeedPreset:
    name: str
    speed_mps: float
    cadence_spm: float
    duty: float  # stance fraction of the stride
    knee_ic_deg: float
    knee_peak_u: float  # stance fraction of peak loading flexion
    knee_give_end_u: float  # loading bump back to 0 here
    knee_to_start_u: float  # pre-swing flexion ramp starts here
    knee_to_deg: float  # pre-swing flexion added at toe-off
    pitch_ic_deg: float  # foot toe-up at contact
    flat_u: float  # foot flat from here
    heel_off_u: float  # heel rise from here
    pitch_to_deg: float  # toe-down at toe-off (anchor curve)
    step_width_m: float
    sway_m: float
    pelvis_yaw_deg: float
    pelvic_drop_deg: float
    swing_lift_m: float
    swing_peak: float  # fraction of swing where the lift peaks
    ic_down_mps: float  # ankle downward speed at contact
    ic_fwd_frac: float  # ankle forward speed at contact, fraction of walking speed
    landing_offset_m: float  # run only: heel lands this far ahead of the pelvis
    arm_swing_deg: float
    elbow_deg: float
    trunk_lean_deg: float


PRESETS = {
    "walk": SpeedPreset(
        "walk", 1.3, 110.0, 0.62, 4.0, 0.24, 0.62, 0.62, 36.0, 16.0, 0.14, 0.55, -45.0,
        0.10, 0.022, 4.0, 4.0, 0.07, 0.35, 0.20, 0.30, 0.0, 16.0, 20.0, 2.0,
    ),
    "fast_walk": SpeedPreset(
        "fast_walk", 1.8, 125.0, 0.58, 5.0, 0.25, 0.60, 0.60, 32.0, 18.0, 0.15, 0.52, -50.0,
        0.09, 0.018, 6.0, 5.0, 0.09, 0.35, 0.25, 0.30, 0.0, 24.0, 35.0, 3.0,
    ),
    "run": SpeedPreset(
        "run", 3.0, 165.0, 0.35, 14.0, 0.38, 1.0, 1.0, 0.0, 10.0, 0.16, 0.45, -35.0,
        0.05, 0.010, 5.0, 5.0, 0.22, 0.33, 0.55, 0.10, 0.27, 30.0, 85.0, 8.0,
    ),
}

SOFT_GIVE = {"walk": 20.0, "fast_walk": 22.0, "run": 30.0}
STIFF_GIVE = {"walk": 5.0, "fast_walk": 6.0, "run": 10.0}


def smoothstep(x):
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def knee_curve(p: SpeedPreset, u: float, give: float) -> float:
    """Knee flexion (deg) in stance at stance fraction u (0 = contact, 1 = toe-off)."""
    up, ue = p.knee_peak_u, p.knee_give_end_u
    if u <= up:
        bump = math.sin(0.5 * math.pi * max(u, 0.0) / up) ** 2
    elif u < ue:
        bump = math.cos(0.5 * math.pi * (u - up) / (ue - up)) ** 2
    else:
        bump = 0.0
    ramp = 0.0
    if u > p.knee_to_start_u:
        ramp = ((u - p.knee_to_start_u) / (1.0 - p.knee_to_start_u)) ** 2
    return p.knee_ic_deg + give * bump + p.knee_to_deg * ramp


def pitch_curve(p: SpeedPreset, u: float) -> float:
    """Foot pitch (deg, toe up +) of the anchor foot in stance."""
    if u < p.flat_u:
        return p.pitch_ic_deg * math.cos(0.5 * math.pi * max(u, 0.0) / p.flat_u) ** 2
    if u < p.heel_off_u:
        return 0.0
    x = (u - p.heel_off_u) / (1.0 - p.heel_off_u)
    return p.pitch_to_deg * x**2


def twist_start_u(p: SpeedPreset) -> float:
    return max(p.heel_off_u, 0.5)


def toe_out_curve(p: SpeedPreset, fs: FootSettings, u: float) -> float:
    """Heading of the foot (deg, + = toe out) in stance."""
    u0 = twist_start_u(p)
    return fs.fpa_deg + fs.twist_deg * float(smoothstep((u - u0) / (1.0 - u0)))


def loading_bump(p: SpeedPreset, u: float) -> float:
    """0 at contact, 1 at peak loading, back to 0 (the shape of the knee's give)."""
    up, ue = p.knee_peak_u, p.knee_give_end_u
    if u <= 0 or u >= 1:
        return 0.0
    if u <= up:
        return math.sin(0.5 * math.pi * u / up) ** 2
    if u < ue:
        return math.cos(0.5 * math.pi * (u - up) / (ue - up)) ** 2
    return 0.0


def eversion_bump(p: SpeedPreset, u: float) -> float:
    """Rearfoot roll in stance: 0 at contact, 1 at 0.25 of stance, 0 again at heel rise."""
    peak, end = 0.25, p.heel_off_u
    if u <= 0 or u >= end:
        return 0.0
    if u <= peak:
        return math.sin(0.5 * math.pi * u / peak) ** 2
    return math.cos(0.5 * math.pi * (u - peak) / (end - peak)) ** 2


def frontal_knee_deg(H, K, A, side: str) -> float:
    """Frontal-plane projection angle (x-y plane of the walker) at the knee, + = knee medial of hip-ankle."""
    h, k, a = (np.asarray(v, float)[:2] for v in (H, K, A))
    v1, v2 = k - h, a - k
    ang = math.degrees(math.atan2(v1[0] * v2[1] - v1[1] * v2[0], v1 @ v2))
    # walker x = the walker's left: for the left leg a knee toward -x (medial) turns the line clockwise
    return SIDE_SIGN[side] * ang


def leg_distance(l1: float, l2: float, flex_deg: float) -> float:
    return math.sqrt(l1 * l1 + l2 * l2 + 2 * l1 * l2 * math.cos(flex_deg * D2R))


def hermite(p0, v0, p1, v1, s, dur):
    """Cubic Hermite at s in [0,1] over a duration dur (velocities per second)."""
    h00 = 2 * s**3 - 3 * s**2 + 1
    h10 = s**3 - 2 * s**2 + s
    h01 = -2 * s**3 + 3 * s**2
    h11 = s**3 - s**2
    return h00 * p0 + h10 * dur * v0 + h01 * p1 + h11 * dur * v1


@dataclass
class Stance:
    foot: str
    t_ic: float
    t_to: float
    heel_pos: np.ndarray  # heel pivot on the floor
    mtp_pos: np.ndarray  # toe joint (pivot in heel rise)
    settings: FootSettings


@dataclass
class GaitConfig:
    speed: str = "walk"
    feet: dict = field(default_factory=lambda: {s: FootSettings() for s in SIDES})
    cadence_scale: float = 1.0  # small per-clip variation
    speed_scale: float = 1.0
    phase_s: float = 0.0  # time of a left contact
    step_width_m: float | None = None
    pelvic_drop_deg: float | None = None

    def preset(self) -> SpeedPreset:
        p = PRESETS[self.speed]
        kw = {}
        kw["cadence_spm"] = p.cadence_spm * self.cadence_scale
        kw["speed_mps"] = p.speed_mps * self.speed_scale
        if self.step_width_m is not None:
            kw["step_width_m"] = self.step_width_m
        if self.pelvic_drop_deg is not None:
            kw["pelvic_drop_deg"] = self.pelvic_drop_deg
        return replace(p, **kw)


class Walker:
    """Gait of one clip, in the walker frame. ``pose(t)`` gives everything at time t."""

    def __init__(self, rig: Rig, cfg: GaitConfig, t_start: float, t_end: float):
        self.rig = rig
        self.cfg = cfg
        self.p = cfg.preset()
        # step length scales with leg length (presets are for a 0.86 m hip height)
        self.leg_scale = float(np.mean([rig.hip(s)[1] for s in SIDES])) / REF_HIP_HEIGHT_M
        self.p = replace(self.p, speed_mps=self.p.speed_mps * self.leg_scale)
        self.T = 120.0 / self.p.cadence_spm
        self.stance_dur = self.p.duty * self.T
        self.v = self.p.speed_mps
        self.run = self.p.duty < 0.5
        self.l1 = {s: rig.thigh_len(s) for s in SIDES}
        self.l2 = {s: rig.shank_len(s) for s in SIDES}
        self.hip_off = {s: rig.hip(s) - rig.root() for s in SIDES}
        self.c = {}
        for s in SIDES:
            self.c[s] = {
                "heel": rig.foot_local(s, rig.heel[s]),
                "toe": rig.foot_local(s, rig.toe[s]),
                "mtp": rig.foot_local(s, rig.mtp(s)),
            }
        self.clamped = 0  # stance IK that could not reach (would break the truth)
        self.swing_clamped = 0  # swing IK that hit a straight knee (harmless)
        self._plan(t_start, t_end)

    # ---- pelvis (prescribed parts) ----
    def t_ic_left0(self):
        return self.cfg.phase_s

    def stride_phase(self, t, t0):
        return 2 * math.pi * (t - t0) / self.T

    def pelvis_xz(self, t):
        p = self.p
        t_mid_L = self.t_ic_left0() + 0.5 * self.stance_dur
        x = p.sway_m * math.cos(self.stride_phase(t, t_mid_L))
        return x, self.v * t

    def pelvis_rot(self, t):
        p = self.p
        tL = self.t_ic_left0()
        yaw = -p.pelvis_yaw_deg * D2R * math.cos(self.stride_phase(t, tL))
        roll = p.pelvic_drop_deg * D2R * math.cos(self.stride_phase(t, tL + 0.18 * self.T))
        return rot_y(yaw) @ rot_z(roll), yaw

    def hip_pos(self, s, P, Rp):
        return P + Rp @ self.hip_off[s]

    # ---- planning ----
    def _plan(self, t_start, t_end):
        T = self.T
        t0 = self.t_ic_left0()
        k0 = math.floor((t_start - t0) / T) - 3
        k1 = math.ceil((t_end - t0) / T) + 2
        events = []
        for k in range(k0, k1 + 1):
            events.append(("L", t0 + k * T))
            events.append(("R", t0 + k * T + 0.5 * T))
        events.sort(key=lambda e: e[1])
        if self.run:
            offs = {s: self.p.landing_offset_m for s in SIDES}
        else:
            offs = self._solve_walk_offsets()
        self.landing_offset = offs
        self.stances: list[Stance] = [self._make_stance(s, tic, offs[s]) for s, tic in events]
        self.t_valid = (self.stances[4].t_ic, self.stances[-4].t_ic)

    def _make_stance(self, s, tic, off):
        fs = self.cfg.feet[s]
        h = SIDE_SIGN[s] * fs.fpa_deg * D2R
        x_l = SIDE_SIGN[s] * self.p.step_width_m / 2
        # flat foot exactly as in the rest pose (whose lowest foot vertex is the floor)
        heel_pos = np.array([x_l, float(self.rig.heel[s][1]), self.pelvis_xz(tic)[1] + off])
        mtp_pos = heel_pos + foot_frame(h, 0.0) @ (self.c[s]["mtp"] - self.c[s]["heel"])
        return Stance(s, tic, tic + self.stance_dur, heel_pos, mtp_pos, fs)

    def _solve_walk_offsets(self):
        """Landing distances (heel ahead of the pelvis at contact) per foot such that the
        pelvis height handed from the trailing to the leading leg at each contact is
        continuous (the periodic solution; a step-by-step placement is unstable)."""
        t0 = self.t_ic_left0()
        tR = t0 + 0.5 * self.T
        tL2 = t0 + self.T

        def mismatch(x):
            oL, oR = x
            L0 = self._make_stance("L", t0, oL)
            R0 = self._make_stance("R", tR, oR)
            L1 = self._make_stance("L", tL2, oL)
            m1 = self.anchor_pelvis(L0, tR)[0][1] - self.anchor_pelvis(R0, tR)[0][1]
            m2 = self.anchor_pelvis(R0, tL2)[0][1] - self.anchor_pelvis(L1, tL2)[0][1]
            return np.array([m1, m2])

        x = np.array([0.3, 0.3])
        for _ in range(30):
            f = mismatch(x)
            if np.abs(f).max() < 1e-9:
                break
            Jm = np.zeros((2, 2))
            for i in range(2):
                dx = np.zeros(2)
                dx[i] = 1e-6
                Jm[:, i] = (mismatch(x + dx) - f) / 1e-6
            x = x - np.linalg.solve(Jm, f)
        self.offset_residual = float(np.abs(mismatch(x)).max())
        return {"L": float(x[0]), "R": float(x[1])}

    # ---- stance foot ----
    def u_of(self, st: Stance, t):
        return (t - st.t_ic) / (st.t_to - st.t_ic)

    def heading(self, st: Stance, u):
        return SIDE_SIGN[st.foot] * toe_out_curve(self.p, st.settings, u) * D2R

    def anchor_foot(self, st: Stance, u):
        """(ankle, frame, toe bend) of a stance foot whose pitch follows the curve."""
        pitch = pitch_curve(self.p, u) * D2R
        return self.foot_at_pitch(st, u, pitch)

    def foot_at_pitch(self, st: Stance, u, pitch):
        s = st.foot
        F = foot_frame(self.heading(st, u), pitch)
        if pitch > 0:
            A = st.heel_pos - F @ self.c[s]["heel"]
            bend = 0.0
        else:
            A = st.mtp_pos - F @ self.c[s]["mtp"]
            bend = -pitch
        roll = SIDE_SIGN[s] * st.settings.rearfoot_eversion_deg * eversion_bump(self.p, u) * D2R
        if roll:
            # the foot rolls about the horizontal line along its heading through the heel's floor point
            heel = A + F @ self.c[s]["heel"]
            fwd = F[:, 2].copy()
            fwd[1] = 0.0
            Rr = rot_axis(unit(fwd), roll)
            F = Rr @ F
            A = heel + Rr @ (A - heel)
        return A, F, bend

    def current_anchor(self, t) -> Stance | None:
        best = None
        for st in self.stances:
            if st.t_ic <= t <= st.t_to and (best is None or st.t_ic > best.t_ic):
                best = st
        return best

    def anchor_pelvis(self, st: Stance, t):
        u = self.u_of(st, t)
        x, z = self.pelvis_xz(t)
        Rp, _ = self.pelvis_rot(t)
        A, _, _ = self.anchor_foot(st, u)
        D = leg_distance(self.l1[st.foot], self.l2[st.foot], knee_curve(self.p, u, st.settings.knee_give_deg))
        off = Rp @ self.hip_off[st.foot]
        hx, hz = x + off[0], z + off[2]
        rest = D * D - (hx - A[0]) ** 2 - (hz - A[2]) ** 2
        if rest < 0:
            rest = 0.0
        y = A[1] + math.sqrt(rest) - off[1]
        return np.array([x, y, z]), Rp

    def pelvis(self, t, anchor_only=False):
        st = self.current_anchor(t)
        if st is not None:
            return self.anchor_pelvis(st, t)
        if anchor_only:
            raise RuntimeError(f"no anchor foot at t={t}")
        # flight: cubic between take-off and landing
        prev = max((s for s in self.stances if s.t_to < t), key=lambda s: s.t_to)
        nxt = min((s for s in self.stances if s.t_ic > t), key=lambda s: s.t_ic)
        e = 1e-4
        y0 = self.anchor_pelvis(prev, prev.t_to)[0][1]
        v0 = (y0 - self.anchor_pelvis(prev, prev.t_to - e)[0][1]) / e
        y1 = self.anchor_pelvis(nxt, nxt.t_ic)[0][1]
        v1 = (self.anchor_pelvis(nxt, nxt.t_ic + e)[0][1] - y1) / e
        dur = nxt.t_ic - prev.t_to
        y = hermite(y0, v0, y1, v1, (t - prev.t_to) / dur, dur)
        x, z = self.pelvis_xz(t)
        Rp, _ = self.pelvis_rot(t)
        return np.array([x, y, z]), Rp

    def stance_foot(self, st: Stance, t, P, Rp):
        """Foot of a stance leg: the anchor follows the pitch curve; a trailing leg in
        double support has its heel rise solved so its knee follows the curve."""
        u = self.u_of(st, t)
        anchor = self.current_anchor(t)
        if anchor is st:
            return self.anchor_foot(st, u)
        s = st.foot
        H = self.hip_pos(s, P, Rp)
        D = leg_distance(self.l1[s], self.l2[s], knee_curve(self.p, u, st.settings.knee_give_deg))

        def f(pitch):
            A, _, _ = self.foot_at_pitch(st, u, pitch)
            return np.linalg.norm(H - A) - D

        lo, hi = -78 * D2R, 0.0  # heel rise at most 78 deg
        if f(hi) <= 0:
            return self.foot_at_pitch(st, u, hi)
        if f(lo) > 0:
            return self.foot_at_pitch(st, u, lo)
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            if f(mid) > 0:
                hi = mid
            else:
                lo = mid
        return self.foot_at_pitch(st, u, 0.5 * (lo + hi))

    def stance_of(self, s, t):
        for st in self.stances:
            if st.foot == s and st.t_ic <= t <= st.t_to:
                return st
        return None

    def foot(self, s, t, P=None, Rp=None):
        """(ankle, frame, toe bend, in_contact) of foot s at time t."""
        if P is None:
            P, Rp = self.pelvis(t)
        st = self.stance_of(s, t)
        if st is not None:
            A, F, b = self.stance_foot(st, t, P, Rp)
            return A, F, b, True
        prev = max((x for x in self.stances if x.foot == s and x.t_to < t), key=lambda x: x.t_to)
        nxt = min((x for x in self.stances if x.foot == s and x.t_ic > t), key=lambda x: x.t_ic)
        return self.swing_foot(prev, nxt, t) + (False,)

    def _stance_end_state(self, st: Stance):
        e = 1e-4
        P, Rp = self.pelvis(st.t_to)
        A1, F1, b1 = self.stance_foot(st, st.t_to, P, Rp)
        P0, Rp0 = self.pelvis(st.t_to - e)
        A0, F0, _ = self.stance_foot(st, st.t_to - e, P0, Rp0)
        pitch1 = math.asin(np.clip(F1[1, 2], -1, 1))
        pitch0 = math.asin(np.clip(F0[1, 2], -1, 1))
        return A1, (A1 - A0) / e, pitch1, (pitch1 - pitch0) / e, b1

    def swing_foot(self, prev: Stance, nxt: Stance, t):
        key = (id(prev), id(nxt))
        cache = self.__dict__.setdefault("_swing_cache", {})
        if key not in cache:
            A0, V0, p0, w0, b0 = self._stance_end_state(prev)
            h0 = self.heading(prev, 1.0)
            A1, F1, _ = self.anchor_foot(nxt, 0.0)
            p1 = self.p.pitch_ic_deg * D2R
            h1 = self.heading(nxt, 0.0)
            V1 = np.array([0.0, -self.p.ic_down_mps, self.p.ic_fwd_frac * self.v])
            cache[key] = (A0, V0, p0, w0, b0, h0, A1, V1, p1, h1)
        A0, V0, p0, w0, b0, h0, A1, V1, p1, h1 = cache[key]
        dur = nxt.t_ic - prev.t_to
        sx = (t - prev.t_to) / dur
        A = hermite(A0, V0, A1, V1, sx, dur)
        # lift: zero value and slope at both ends, peak 1 at swing_peak
        a = self.p.swing_peak
        m = 2.0 * (1 - a) / a  # exponent so that s^2 (1-s)^m peaks at a
        bump = (sx**2 * (1 - sx) ** m) / (a**2 * (1 - a) ** m)
        A = A + np.array([0.0, self.p.swing_lift_m * bump, 0.0])
        # keep the swing ankle within reach (knee >= ~3 deg): pull it toward the hip
        s_ = prev.foot
        P, Rp = self.pelvis(t)
        H = self.hip_pos(s_, P, Rp)
        dmax = leg_distance(self.l1[s_], self.l2[s_], 3.0)
        d = np.linalg.norm(A - H)
        if d > dmax:
            A = H + (A - H) * dmax / d
        # the foot comes back to toe-up within the first half of the swing (toe clearance)
        pitch = p0 + (p1 - p0) * float(smoothstep(sx / 0.5))
        h = h0 + (h1 - h0) * float(smoothstep(sx))
        # toes stay flat on the floor as the foot lifts, then relax
        bend = max(0.0, -pitch) * (1 - float(smoothstep(sx / 0.5)))
        return A, foot_frame(h, pitch), bend

    # ---- full pose ----
    def valgus_target(self, s, t) -> float:
        st = self.stance_of(s, t)
        if st is None or not st.settings.knee_valgus_deg:
            return 0.0
        return st.settings.knee_valgus_deg * loading_bump(self.p, self.u_of(st, t))

    def leg_ik(self, s, H, A, F, valgus_deg: float = 0.0):
        K, A_eff, n, clamped = self._leg_ik(s, H, A, F, 0.0)
        if not valgus_deg:
            return K, A_eff, n, clamped
        # turn the knee's plane about the hip-ankle line (lengths kept) until the frontal angle grows by valgus_deg
        base = frontal_knee_deg(H, K, A_eff, s)
        target = base + valgus_deg
        lo, hi = 0.0, 0.5 * math.pi * 0.98
        for _ in range(40):
            mid = 0.5 * (lo + hi)
            Km, Am, _, _ = self._leg_ik(s, H, A, F, SIDE_SIGN[s] * mid)
            if frontal_knee_deg(H, Km, Am, s) < target:
                lo = mid
            else:
                hi = mid
        return self._leg_ik(s, H, A, F, SIDE_SIGN[s] * 0.5 * (lo + hi))

    def _leg_ik(self, s, H, A, F, turn_rad: float):
        l1, l2 = self.l1[s], self.l2[s]
        dvec = A - H
        D = np.linalg.norm(dvec)
        clamped = False
        if D > l1 + l2 - 1e-9:
            D = l1 + l2 - 1e-9
            clamped = True
        u = dvec / np.linalg.norm(dvec)
        fwd = F[:, 2].copy()
        fwd[1] = 0
        fwd = unit(fwd)
        dp = unit(fwd - (fwd @ u) * u)
        if turn_rad:
            dp = rot_axis(u, turn_rad) @ dp
        cos_a = (l1 * l1 + D * D - l2 * l2) / (2 * l1 * D)
        alpha = math.acos(np.clip(cos_a, -1, 1))
        K = H + l1 * (math.cos(alpha) * u + math.sin(alpha) * dp)
        A_eff = K + l2 * unit((H + D * u) - K)
        n = unit(np.cross(u, dp))
        return K, A_eff, n, clamped

    def pose(self, t) -> dict:
        rig = self.rig
        P, Rp = self.pelvis(t)
        _, yaw = self.pelvis_rot(t)
        out = {"t": t, "root": P, "R_pelvis": Rp, "rot": {}, "contact": {}}
        rot = out["rot"]
        rot["root"] = Rp
        for s in SIDES:
            A, F, bend, contact = self.foot(s, t, P, Rp)
            H = self.hip_pos(s, P, Rp)
            K, A_eff, n, clamped = self.leg_ik(s, H, A, F, self.valgus_target(s, t))
            if clamped:
                if contact:
                    self.clamped += 1
                else:
                    self.swing_clamped += 1
            # rest frames of thigh and shank
            H0, K0, A0 = rig.hip(s), rig.knee(s), rig.ankle(s)
            u0 = unit(A0 - H0)
            d0 = np.array([0.0, 0.0, 1.0])
            n0 = unit(np.cross(u0, unit(d0 - (d0 @ u0) * u0)))

            def frame(e3, e1):
                e1 = unit(e1 - (e1 @ e3) * e3)
                return np.stack([e1, np.cross(e3, e1), e3], axis=1)

            R_th = frame(unit(K - H), n) @ frame(unit(K0 - H0), n0).T
            R_sh = frame(unit(A_eff - K), n) @ frame(unit(A0 - K0), n0).T
            F0 = rig.rest_foot_frame(s)
            R_ft = F @ F0.T
            R_toe = F @ rot_x(-bend) @ F0.T
            for b in ("upperleg01", "upperleg02"):
                rot[f"{b}.{s}"] = R_th
            for b in ("lowerleg01", "lowerleg02"):
                rot[f"{b}.{s}"] = R_sh
            rot[f"foot.{s}"] = R_ft
            for k in range(1, 6):
                rot[f"toe{k}-1.{s}"] = R_toe
            out["contact"][s] = contact
            out[f"ankle_target.{s}"] = A
        # trunk, head, arms
        p = self.p
        R_tr = rot_y(-0.6 * yaw) @ rot_x(p.trunk_lean_deg * D2R)
        rot["spine05"] = R_tr
        rot["neck01"] = np.eye(3)
        tL = self.t_ic_left0()
        for s in SIDES:
            t_opp = tL + (0.0 if s == "R" else 0.5 * self.T)  # contact of the other foot
            swing = p.arm_swing_deg * D2R * math.cos(self.stride_phase(t, t_opp))
            sg = SIDE_SIGN[s]
            hang = unit(np.array([sg * math.sin(9 * D2R), -math.cos(9 * D2R), 0.0]))
            a0 = unit(rig.head(f"lowerarm01.{s}") - rig.head(f"upperarm01.{s}"))
            f0 = unit(rig.head(f"wrist.{s}") - rig.head(f"lowerarm01.{s}"))
            R_up = R_tr @ rot_x(-swing) @ _align(a0, hang)
            R_fo = R_tr @ rot_x(-(swing + p.elbow_deg * D2R)) @ _align(f0, hang)
            rot[f"upperarm01.{s}"] = R_up
            rot[f"lowerarm01.{s}"] = R_fo
        return out


def _align(a, b) -> np.ndarray:
    """Smallest rotation taking unit vector a to unit vector b."""
    v = np.cross(a, b)
    c = float(a @ b)
    if np.linalg.norm(v) < 1e-12:
        return np.eye(3)
    return rot_axis(v, math.atan2(np.linalg.norm(v), c))
