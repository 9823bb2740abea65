"""The waistband's tilt for pelvic drop (gait.analysis.waistband), its use in the frontal measures, and
the rendered truth it is scored on (issue 11)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from gait.analysis.frontal import FRONT, hip_tilt_deg, measure_frontal_steps, summarise_feet
from gait.analysis.waistband import WaistLine, tilt_deg, usable, waist_line
from gait.names import Side
from gait.thresholds import value

TOP, BOTTOM, SKIN, WALL = (40, 90, 200), (200, 40, 40), (150, 100, 70), (120, 130, 120)


def _person(w: int, h: int, hips_px: tuple[tuple[float, float], tuple[float, float]], seam_above_w: float,
            seam_tilt_deg: float, arm_x: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A picture of a torso (top over bottom, the seam a straight line at a set tilt) and its landmarks.

    ``hips_px``: the model's (left, right) hips; facing the phone the left hip is on the picture's right.
    """
    img = np.zeros((h, w, 3), np.uint8)
    img[:] = WALL
    (lx, ly), (rx, ry) = hips_px
    mid = np.array([(lx + rx) / 2, (ly + ry) / 2])
    width = math.hypot(lx - rx, ly - ry)
    x0, x1 = int(mid[0] - 1.4 * width), int(mid[0] + 1.4 * width)
    y_top, y_bottom = int(mid[1] - 3.0 * width), int(mid[1] + 2.5 * width)
    # Drawn 4x larger and shrunk: the seam's edge is anti-aliased as a camera sees it.
    k = 4
    big = cv2.resize(img, (w * k, h * k), interpolation=cv2.INTER_NEAREST)
    xs = np.arange(x0 * k, x1 * k)
    slope = math.tan(math.radians(seam_tilt_deg))
    y_seam = (mid[1] - seam_above_w * width) * k + slope * (xs - mid[0] * k)
    for x, ys in zip(xs, y_seam):
        big[y_top * k: int(round(ys)), x] = TOP
        big[int(round(ys)): y_bottom * k, x] = BOTTOM
    if arm_x is not None:  # an arm hanging across the band's side columns
        big[y_top * k: y_bottom * k, int(arm_x * k): int((arm_x + 0.25 * width) * k)] = SKIN
    img = cv2.resize(big, (w, h), interpolation=cv2.INTER_AREA)
    xy = np.full((33, 3), np.nan)
    xy[:, 2] = 0.0
    xy[23, :2] = (lx / w, ly / h)
    xy[24, :2] = (rx / w, ry / h)
    return img, xy


@pytest.mark.parametrize("width_px", [16, 30, 80])
@pytest.mark.parametrize("tilt", [-8.0, -3.0, 0.0, 2.0, 6.0])
def test_the_seams_tilt_comes_back_within_a_fraction_of_a_degree(width_px, tilt):
    w, h = 1080, 1920
    hips = ((540 + width_px / 2, 1000.0), (540 - width_px / 2, 1000.0))
    img, xy = _person(w, h, hips, seam_above_w=0.6, seam_tilt_deg=tilt)
    line = waist_line(1.0, img, xy)
    assert line is not None and usable(line)
    assert math.degrees(math.atan(line.slope)) == pytest.approx(tilt, abs=0.5 if width_px < 20 else 0.3)
    assert line.height_w == pytest.approx(0.6, abs=0.1)
    assert line.share > 0.95 and line.contrast > value("waist_min_contrast")


def test_an_arm_across_the_band_is_trimmed_off_the_line():
    hips = ((580.0, 1000.0), (500.0, 1000.0))
    img, xy = _person(1080, 1920, hips, seam_above_w=0.6, seam_tilt_deg=4.0, arm_x=585.0)
    line = waist_line(1.0, img, xy)
    assert line is not None and math.degrees(math.atan(line.slope)) == pytest.approx(4.0, abs=0.5)


def test_a_hem_hanging_at_the_hips_is_no_waistband_and_a_plain_garment_has_no_seam():
    hips = ((580.0, 1000.0), (500.0, 1000.0))
    img, xy = _person(1080, 1920, hips, seam_above_w=-0.15, seam_tilt_deg=1.0)  # an untucked top's hem
    line = waist_line(1.0, img, xy)
    assert line is None or not usable(line)
    plain = np.full((1920, 1080, 3), BOTTOM, np.uint8)
    line = waist_line(1.0, plain, xy)
    assert line is None or not usable(line)
    xy_far = xy.copy()
    xy_far[24, :2] = xy[23, :2] - (4 / 1080, 0)  # hips 4 px apart: too small to fit a seam
    assert waist_line(1.0, img, xy_far) is None


def test_the_seams_tilt_has_the_hip_lines_sign():
    """Facing the phone (right hip on the picture's left) and from behind: + = the right hip's side lower."""
    for right_on_left in (True, False):
        lx, rx = (580.0, 500.0) if right_on_left else (500.0, 580.0)
        for tilt in (-5.0, 5.0):
            # the seam follows a hip line tilted the same way
            ry = 1000.0 + (rx - lx) * math.tan(math.radians(tilt))
            hips = ((lx, 1000.0), (rx, ry))
            img, xy = _person(1080, 1920, hips, seam_above_w=0.6, seam_tilt_deg=tilt)
            line = waist_line(0.0, img, xy)
            got = tilt_deg([line], np.array([0.0]), np.array([rx - lx]))[0]
            want = float(hip_tilt_deg(np.array([lx, 1000.0]), np.array([rx, ry])))
            assert got == pytest.approx(want, abs=0.4)


def _line(t: float, tilt: float, good: bool = True) -> WaistLine:
    return WaistLine(time_s=t, slope=math.tan(math.radians(tilt)), height_w=0.6 if good else -0.2,
                     contrast=20.0, share=1.0, hip_width_px=40.0)


def _walk(n_steps: int = 8, drop_deg: float = 6.0):
    """A walk toward the phone at 30 frames/s: the pelvis drops ``drop_deg`` on the other side in each
    stance's first half; the model's hips stay level (they carry none of it, as BlazePose's)."""
    from gait.analysis.events import Stance

    rate, step_s = 30.0, 0.55
    t = np.arange(0, (n_steps + 1) * step_s, 1 / rate)
    px = np.full((t.size, 33, 2), np.nan)
    px[:, 23] = (560.0, 1000.0)  # left hip on the picture's right (facing the phone)
    px[:, 24] = (500.0, 1000.0)
    for j, name in ((25, "knee"), (27, "ankle")):
        px[:, j] = (560.0, 1000.0 + (j - 23) * 100)
        px[:, j + 1] = (500.0, 1000.0 + (j - 23) * 100)
    px[:, 29:33] = px[:, 27:28].repeat(4, axis=1)
    stances, tilt = [], np.zeros(t.size)
    for k in range(n_steps):
        foot = Side.L if k % 2 == 0 else Side.R
        c = k * step_s + 0.1
        i = int(np.argmin(np.abs(t - c)))
        j = int(np.argmin(np.abs(t - (c + 0.65))))
        stances.append(Stance(foot=foot, contact_s=float(t[i]), toe_off_s=float(t[j]), contact_idx=i, toe_off_idx=j))
        load = (t >= c) & (t <= c + 0.3)
        # + tilt = the right hip's side lower: standing on the left, the right side drops.
        tilt[load] = drop_deg * np.sin(np.pi * (t[load] - c) / 0.3) * (1 if foot is Side.L else -1)
    track = SimpleNamespace(time_s=t, image_px=px, rate_hz=rate, visibility=np.ones((t.size, 33)),
                            frame_size_px=(1080, 1920))
    track.as_measured = track
    # the seam's slope in the picture: right hip's side (picture left) lower = y larger at smaller x
    waist = [_line(float(tt), -ti) for tt, ti in zip(t, tilt)]
    return track, stances, waist


def test_pelvic_drop_follows_the_waistband_where_it_shows_and_is_sure_of_it():
    track, stances, waist = _walk(drop_deg=6.0)
    steps = measure_frontal_steps(track, stances[1:-1], stances, FRONT, waist)
    drops = [s.pelvic_drop_deg for s in steps if math.isfinite(s.pelvic_drop_deg)]
    assert drops and all(s.pelvic_drop_from == "waistband" for s in steps if math.isfinite(s.pelvic_drop_deg))
    assert np.median(drops) == pytest.approx(6.0, abs=0.6)
    feet = summarise_feet(steps, running=False)
    # Not capped as the hip landmarks are: a sure measure can reach the finding floor.
    assert max(feet[s].pelvic_drop.confidence for s in Side) > value("pelvic_drop_max_confidence")
    # The JSON and the pictures' captions say what the tilt was read from.
    from gait.output.results import _frontal_foot
    from gait.output.words import hip_line_words

    d = _frontal_foot(feet[Side.L])
    assert d["pelvic_drop_from"] == "waistband" and "waistband" in hip_line_words(d)


def test_without_a_waistband_pelvic_drop_falls_back_to_the_hips_and_stays_below_the_floor():
    track, stances, waist = _walk(drop_deg=6.0)
    hem = [replace_height(ln) for ln in waist]  # a hem at the hips on every frame
    steps = measure_frontal_steps(track, stances[1:-1], stances, FRONT, hem)
    assert all(s.pelvic_drop_from in ("hips", "") for s in steps)
    feet = summarise_feet(steps, running=False)
    assert all(feet[s].pelvic_drop.confidence <= value("pelvic_drop_max_confidence") for s in Side)
    from gait.output.results import _frontal_foot
    from gait.output.words import hip_line_words

    assert {feet[s].pelvic_drop_from for s in Side} <= {"hips", ""}
    assert hip_line_words(_frontal_foot(feet[Side.L])) == "between the hips"
    sparse = [ln for i, ln in enumerate(waist) if i % 3 == 0]  # seen on a third of the frames: not enough
    steps = measure_frontal_steps(track, stances[1:-1], stances, FRONT, sparse)
    assert all(s.pelvic_drop_from in ("hips", "") for s in steps)


def replace_height(line: WaistLine) -> WaistLine:
    from dataclasses import replace

    return replace(line, height_w=-0.2)


def test_rendered_truth_scores_pelvic_drop_only_where_the_waistband_follows_the_pelvis(tmp_path):
    from gait.validation.truth import load_truth

    src = Path(__file__).parent / "rendered" / "frontal" / "frontal_walk_valgus10_3_drop6.json"
    base = json.loads(src.read_text())
    assert base["generator"] == "tools.synth 0.2.0"
    for version, scored in (("tools.synth 0.1.0", False), ("tools.synth 0.2.0", True)):
        folder = tmp_path / version[-5:]
        folder.mkdir()
        (folder / src.with_suffix(".mp4").name).symlink_to(src.with_suffix(".mp4"))
        path = folder / src.name
        path.write_text(json.dumps(dict(base, generator=version)))
        truth = load_truth(path)
        drops = [c.pelvic_drop_deg for c in truth.contacts if c.pelvic_drop_deg is not None]
        valgus = [c.knee_valgus_deg for c in truth.contacts if c.knee_valgus_deg is not None]
        assert valgus and (bool(drops) is scored)


def test_the_generator_binds_the_waistband_to_the_pelvis_and_keeps_every_vertex_weighted():
    from tools.synth.render import WAIST_ABOVE_ROOT_M, waist_on_pelvis

    names = ["root", "spine05", "pelvis.L", "upperleg01.L"]
    ys = np.linspace(0.6, 1.2, 61)
    vertices = np.stack([np.zeros_like(ys), ys, np.zeros_like(ys)], axis=1)
    # anny-like: the waist on spine05 mostly, padded slots on bone 0 (the root) at weight 0
    weights = np.tile([0.8, 0.2, 0.0, 0.0], (ys.size, 1))
    indices = np.tile([1, 2, 0, 0], (ys.size, 1))
    weights[ys < 0.8] = (0.0, 0.0, 1.0, 0.0)
    indices[ys < 0.8] = (0, 0, 3, 0)  # thigh vertices: not the torso's, left alone
    dominant = indices[np.arange(ys.size), weights.argmax(1)]
    rig = SimpleNamespace(names=names, root=lambda: np.array([0.0, 0.9, 0.0]))
    body = SimpleNamespace(rig=rig, vertices=vertices, weights=weights, indices=indices, dominant=dominant)
    w, i = waist_on_pelvis(body)
    assert np.allclose(w.sum(1), 1.0)
    root_w = np.where(i == 0, w, 0.0).sum(1)
    seam_y = 0.9 + WAIST_ABOVE_ROOT_M
    torso = ys >= 0.8
    assert np.allclose(root_w[torso & (ys <= seam_y + 0.02 - 1e-9)], 1.0)  # the waistband moves with the pelvis
    assert np.allclose(w[torso & (ys > seam_y + 0.08 + 1e-9)], weights[torso & (ys > seam_y + 0.08 + 1e-9)])
    blend = torso & (ys > seam_y + 0.02 + 1e-9) & (ys < seam_y + 0.08 - 1e-9)
    assert np.all(np.diff(root_w[blend]) < 0)  # eases back into the trunk
    assert np.allclose(w[~torso], weights[~torso]) and np.array_equal(i[~torso], indices[~torso])
