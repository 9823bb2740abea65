"""A synthetic walker with known answers: foot angle, cadence, knee give, landing abruptness.

A person walks (or runs) toward a pinhole camera 0.5 m above the ground. Feet are
planted on footprints (still while on the ground), swing between them, and land
either softly (the foot slows to a stop: "spring") or at full speed with a stiff
knee and a jolt of the hips ("bang"). Landmarks are projected into a 1080x1920
portrait picture, and world landmarks are given hip-centred as BlazePose does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gait.analysis.pose import LM, N_LANDMARKS, PoseTrack
from gait.analysis.video import VideoInfo

_F_PX = 1500.0
_SIZE_PX = (1080, 1920)
_CAM_HEIGHT_M = 0.5
_HIP_HEIGHT_M = 0.92
_FOOT_LEN_M = 0.25


@dataclass(frozen=True)
class Walker:
    cadence_spm: float = 110.0
    foot_angle_deg: float = 8.0  # + = toe out, both feet unless right_foot_angle_deg is set
    right_foot_angle_deg: float | None = None
    knee_give_deg: float = 18.0
    bang: bool = False
    running: bool = False
    speed_m_s: float = 1.3
    twist_deg: float = 0.0  # foot turns out by this much over the last 20 % of stance
    duration_s: float = 6.0
    rate_hz: float = 30.0
    start_distance_m: float = 11.0
    treadmill: bool = False
    noise_px: float = 0.0
    seed: int = 0


def _ease(u: np.ndarray, bang: bool) -> np.ndarray:
    # spring: slows to a stop at contact; bang: still at full speed when it hits the ground.
    return 1 - np.cos(np.pi * u / 2) if bang else (1 - np.cos(np.pi * u)) / 2


def make_track(w: Walker) -> PoseTrack:
    t = np.arange(0.0, w.duration_s, 1.0 / w.rate_hz)
    step_s = 60.0 / w.cadence_spm
    stance_s = (0.38 if w.running else 0.62) * 2 * step_s
    n = t.size
    body_z = (np.full(n, 3.0) if w.treadmill else w.start_distance_m - w.speed_m_s * t)
    step_len = w.speed_m_s * step_s
    ground_y = _CAM_HEIGHT_M
    world = np.full((n, N_LANDMARKS, 3), np.nan)

    # Hips: smooth bob at the step rhythm (lowest mid-stance), plus a sharp dip at each contact for "bang".
    bob = 0.02 if not w.running else 0.05
    hip_y = ground_y - _HIP_HEIGHT_M + bob * np.cos(2 * np.pi * (t - 0.35 * stance_s) / step_s)
    if w.bang:
        for k in range(-1, int(w.duration_s / step_s) + 2):
            hip_y = hip_y + 0.02 * np.exp(-0.5 * ((t - k * step_s - 0.03) / 0.025) ** 2)
    hips = {"L": np.stack([np.full(n, 0.1), hip_y, body_z], 1), "R": np.stack([np.full(n, -0.1), hip_y, body_z], 1)}

    for side, first_contact_s, hip_i, knee_i, ankle_i, heel_i, toe_i in (
        ("L", 0.0, LM.L_HIP, LM.L_KNEE, LM.L_ANKLE, LM.L_HEEL, LM.L_TOE),
        ("R", step_s, LM.R_HIP, LM.R_KNEE, LM.R_ANKLE, LM.R_HEEL, LM.R_TOE),
    ):
        out_sign = 1.0 if side == "L" else -1.0
        angle = w.foot_angle_deg if side == "L" or w.right_foot_angle_deg is None else w.right_foot_angle_deg
        fpa = np.radians(angle)
        foot_x = 0.12 * out_sign
        contacts = first_contact_s + 2 * step_s * np.arange(-2, int(w.duration_s / (2 * step_s)) + 3)
        heel = np.zeros((n, 3))
        yaw = np.zeros(n)  # foot angle over time (radians, + = out)
        flex = np.zeros(n)
        for c0, c1 in zip(contacts, contacts[1:]):
            # Footprint: half a step ahead of the body at contact (toward the camera = smaller z).
            fp_z0 = (3.0 + 0.5 * step_len) if w.treadmill else (w.start_distance_m - w.speed_m_s * c0 - 0.5 * step_len)
            fp_z1 = (3.0 + 0.5 * step_len) if w.treadmill else (w.start_distance_m - w.speed_m_s * c1 - 0.5 * step_len)
            stance = (t >= c0) & (t < c0 + stance_s)
            swing = (t >= c0 + stance_s) & (t < c1)
            tau = (t[stance] - c0) / stance_s
            belt = w.speed_m_s * (t[stance] - c0) if w.treadmill else np.zeros(tau.size)
            heel[stance] = np.stack([np.full(tau.size, foot_x), np.full(tau.size, ground_y), fp_z0 + belt], 1)
            late = np.clip((tau - 0.8) / 0.2, 0, 1)
            yaw[stance] = fpa + np.radians(w.twist_deg) * late
            give = (5.0 if w.bang else w.knee_give_deg)
            flex[stance] = 8.0 + give * np.sin(np.pi * np.clip(tau / 0.8, 0, 1))
            u = (t[swing] - c0 - stance_s) / (c1 - c0 - stance_s)
            start_z = fp_z0 + (w.speed_m_s * stance_s if w.treadmill else 0.0)
            z = start_z + (fp_z1 - start_z) * _ease(u, w.bang)
            lift = (0.12 if w.running else 0.06) * np.sin(np.pi * u)
            heel[swing] = np.stack([np.full(u.size, foot_x), ground_y - lift, z], 1)
            yaw[swing] = fpa + np.radians(w.twist_deg) * np.clip(1 - u / 0.5, 0, 1)  # untwists in early swing
            flex[swing] = 8.0 + 50.0 * np.sin(np.pi * u)
        fwd = np.stack([out_sign * np.sin(yaw), np.zeros(n), -np.cos(yaw)], 1)
        # The foot turns about the forefoot (the heel whips), so the toe follows its own path.
        toe = heel + _FOOT_LEN_M * np.stack([out_sign * np.sin(np.full(n, fpa)), np.zeros(n),
                                             -np.cos(np.full(n, fpa))], 1)
        heel = toe - _FOOT_LEN_M * fwd
        ankle = heel + np.array([0.0, -0.08, 0.0]) + 0.05 * fwd
        hip = hips[side]
        # Knee: isosceles two-link with the wanted flexion, bending forward (toward the camera).
        d = ankle - hip
        dist = np.linalg.norm(d, axis=1)
        interior = np.radians(180.0 - flex)
        mid = hip + 0.5 * d
        perp = np.cross(d, np.array([1.0, 0.0, 0.0]))
        perp /= np.linalg.norm(perp, axis=1, keepdims=True)
        perp *= np.where(perp[:, 2:3] > 0, -1.0, 1.0)  # forward = -z
        knee = mid + perp * ((0.5 * dist) / np.tan(interior / 2))[:, None]
        for idx, pts in ((hip_i, hip), (knee_i, knee), (ankle_i, ankle), (heel_i, heel), (toe_i, toe)):
            world[:, idx] = pts
    for idx, x, dy in ((LM.L_SHOULDER, 0.2, -0.5), (LM.R_SHOULDER, -0.2, -0.5), (LM.NOSE, 0.0, -0.75)):
        world[:, idx] = np.stack([np.full(n, x), hip_y + dy, body_z], 1)
    # Points never set (hands, face details) sit at the neck: present but unused.
    unset = np.isnan(world[..., 0])
    world[unset] = np.repeat(world[:, [LM.NOSE]], N_LANDMARKS, axis=1)[unset]

    f, (w_px, h_px) = _F_PX, _SIZE_PX
    # The camera sits at knee height; y down. Camera-frame y is world y minus camera height offset.
    cam_y = world[..., 1]  # the camera is the origin, so ground (y = +0.5 m) is below it
    px = np.stack([w_px / 2 + f * world[..., 0] / world[..., 2], h_px / 2 + f * cam_y / world[..., 2]], -1)
    if w.noise_px:
        px = px + np.random.default_rng(w.seed).normal(0, w.noise_px, px.shape)
    hip_mid = 0.5 * (world[:, LM.L_HIP] + world[:, LM.R_HIP])
    world_rel = world - hip_mid[:, None, :]
    return PoseTrack(time_s=t, image_xy=px / np.array(_SIZE_PX), image_xy_px=px, world_xyz_m=world_rel,
                     visibility=np.full((n, N_LANDMARKS), 0.95), frame_size_px=_SIZE_PX,
                     brightness=np.full(n, 120.0))


def fake_info(w: Walker) -> VideoInfo:
    return VideoInfo(name="synthetic.mp4", codec="synthetic", width_px=_SIZE_PX[0], height_px=_SIZE_PX[1],
                     rotation_deg=0, nominal_fps=w.rate_hz, duration_s=w.duration_s,
                     analysis_window_s=w.duration_s, truncated_window=False)
