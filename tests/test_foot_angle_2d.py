"""The foot angle read from the picture (heel-to-toe sideways offset) on an exact pinhole camera.

A still phone at knee height looks along the floor at a person walking toward it on a path that
may be off the camera's axis (offset and heading). Heel, toe, hip and ankle are projected exactly;
the engine's 2D angle must give back the true angle on the floor against the path, for feet off
the picture's centre line and paths at a heading, where the uncorrected offset does not.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from gait.analysis.events import Stance
from gait.analysis.foot_angle import assumed_focal_px
from gait.analysis.measures import foot_angle_2d_deg, walking_heading_deg
from gait.analysis.signal import CleanTrack
from gait.names import LEG, Side
from gait.thresholds import value

W, H = 1080, 1920
FOCAL = assumed_focal_px(W, H)
CAM_HEIGHT_M, LEG_M = 0.6, 0.85
FOOT_M = value("foot_to_leg_length_ratio") * LEG_M


def _project(p: np.ndarray) -> np.ndarray:
    """World (x right, y up, z away from the camera) -> picture px, camera level at CAM_HEIGHT_M."""
    return np.stack([W / 2 + FOCAL * p[..., 0] / p[..., 2], H / 2 - FOCAL * (p[..., 1] - CAM_HEIGHT_M) / p[..., 2]], -1)


def _track(fpa_deg: float, offset_m: float, heading_deg: float) -> tuple[CleanTrack, list[Stance]]:
    """Both feet planted in turn along a straight path from 9 m to 3 m; foot angle + = toe out."""
    rate = 30.0
    n = 180
    h = math.radians(heading_deg)
    # Walking toward the camera (-z), drifting sideways by tan(heading) per metre of approach.
    travel = np.array([-math.sin(h), 0.0, -math.cos(h)])
    img = np.full((n, 33, 2), np.nan)
    stances = []
    for i in range(n):
        dist = 9.0 - 6.0 * i / n
        centre = np.array([offset_m + (9.0 - dist) * -math.sin(h) / math.cos(h), 0.0, dist])
        for side in Side:
            out = 1.0 if side is Side.L else -1.0  # facing the camera, the left foot is at +x
            a = math.radians(fpa_deg) * out
            # Heel-to-toe: the travel direction turned outward by the foot angle (about the vertical).
            fwd = np.array([travel[0] * math.cos(a) - travel[2] * math.sin(a), 0.0,
                            travel[0] * math.sin(a) + travel[2] * math.cos(a)])
            heel = centre + np.array([out * 0.09, 0.0, 0.0])
            toe = heel + FOOT_M * fwd
            ankle = heel + np.array([0.0, 0.08, 0.0]) + 0.2 * FOOT_M * fwd
            hip = ankle + np.array([0.0, LEG_M, 0.0])
            leg = LEG[side]
            for idx, p in ((leg.heel, heel), (leg.toe, toe), (leg.ankle, ankle), (leg.hip, hip)):
                img[i, idx] = _project(p)
    for k, start in enumerate(range(5, n - 20, 18)):
        stances.append(Stance(foot=Side.L if k % 2 == 0 else Side.R, contact_s=start / rate,
                              toe_off_s=(start + 17) / rate, contact_idx=start, toe_off_idx=start + 17))
    zeros = np.zeros((n, 33, 3))
    track = CleanTrack(time_s=np.arange(n) / rate, rate_hz=rate, image_px=img, world_m=zeros,
                       visibility=np.ones((n, 33)), frame_size_px=(W, H), image_px_fast=img, world_m_fast=zeros)
    return track, stances


def _read_deg(track: CleanTrack, stances: list[Stance], side: Side, heading_deg: float) -> float:
    return float(np.nanmedian(foot_angle_2d_deg(track, side, heading_deg)[30:150])) - value("fpa_landmark_offset_deg")


@pytest.mark.parametrize("fpa_deg", [-15.0, 0.0, 10.0, 25.0])
@pytest.mark.parametrize(("offset_m", "heading_deg"), [(0.0, 0.0), (0.5, 0.0), (-0.4, 6.0), (0.3, -8.0)])
def test_2d_angle_gives_back_the_floor_angle_off_axis_and_at_a_heading(fpa_deg, offset_m, heading_deg):
    track, stances = _track(fpa_deg, offset_m, heading_deg)
    found_heading = walking_heading_deg(track, stances, running=False)
    assert found_heading == pytest.approx(heading_deg, abs=1.0)  # the ankles of turned-out feet shift sideways
    for side in Side:
        # Within 2 deg: the toe is nearer the phone than the heel, so its offset reads up to ~6 % large
        # close up (left uncorrected: on rendered walkers the angle already reads 0.95-0.98 per degree).
        assert _read_deg(track, stances, side, found_heading) == pytest.approx(fpa_deg, abs=2.0)


def test_without_the_line_of_sight_an_off_axis_foot_reads_wrong():
    """What the correction is for: 0.5 m off the axis the uncorrected offsets differ by foot (by >= 5 deg)."""
    track, stances = _track(5.0, 0.5, 0.0)
    left, right = (float(np.nanmedian(foot_angle_2d_deg(track, s, 0.0)[30:150])) for s in Side)
    # Correct, both read the same; the bearing terms (removed in the engine) would make them differ.
    assert left == pytest.approx(right, abs=1.0)
    raw = {}
    for side in Side:
        leg, out = LEG[side], (1.0 if side is Side.L else -1.0)
        dx = (track.image_px[30:150, leg.toe, 0] - track.image_px[30:150, leg.heel, 0]) * out
        foot = value("foot_to_leg_length_ratio") * np.linalg.norm(
            track.image_px[30:150, leg.hip] - track.image_px[30:150, leg.ankle], axis=-1)
        raw[side] = float(np.degrees(np.nanmedian(np.arcsin(np.clip(dx / foot, -1, 1)))))
    assert abs(raw[Side.L] - raw[Side.R]) >= 5.0
