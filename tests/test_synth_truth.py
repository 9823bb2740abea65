"""The rendered-walker generator's pure parts (tools/synth): gait timing, planted feet,
truth geometry; and the committed rendered set's truth files. No torch or pyrender."""

from __future__ import annotations

import json
import math
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tools.synth.camera import Camera
from tools.synth.gait import PRESETS, SOFT_GIVE, STIFF_GIVE, FootSettings, GaitConfig, Walker
from tools.synth.rig import SIDES, load_default_rig
from tools.synth.truth import contacts_truth, heading_deg, landmarks

ROOT = Path(__file__).resolve().parents[1]
RENDERED = ROOT / "tests" / "rendered"
SYNTH_PY = ROOT / ".venv-synth" / "bin" / "python"

RIG = load_default_rig()


def walker(speed="walk", fpa=(5, 15), give=None, twist=(0, 0), phase=0.13, t_end=4.0):
    give = give or (SOFT_GIVE[speed], SOFT_GIVE[speed])
    feet = {
        s: FootSettings(fpa_deg=fpa[i], knee_give_deg=give[i], twist_deg=twist[i]) for i, s in enumerate(SIDES)
    }
    return Walker(RIG, GaitConfig(speed=speed, feet=feet, phase_s=phase), 0.0, t_end)


def inner_stances(w, t0=0.0, t1=4.0):
    return [st for st in w.stances if st.t_ic >= t0 and st.t_to <= t1]


@pytest.mark.parametrize("speed", ["walk", "fast_walk", "run"])
def test_phase_timing_gives_cadence_and_duty(speed):
    p = PRESETS[speed]
    w = walker(speed)
    for s in SIDES:
        ics = [st.t_ic for st in w.stances if st.foot == s]
        assert np.allclose(np.diff(ics), 120.0 / p.cadence_spm)
    all_ic = sorted(st.t_ic for st in w.stances)
    assert 60.0 / np.mean(np.diff(all_ic)) == pytest.approx(p.cadence_spm, rel=1e-9)
    # duty factor measured from the contact flags of the generated poses
    ts = np.arange(0.5, 3.5, 1 / 500)
    flags = np.array([[w.pose(t)["contact"][s] for s in SIDES] for t in ts])
    assert flags.mean() == pytest.approx(p.duty, abs=0.01)
    both = flags.all(axis=1).mean()
    none = (~flags.any(axis=1)).mean()
    if speed == "run":
        assert both == 0 and none > 0.2  # flight phase
        assert p.duty == pytest.approx(0.35)
    else:
        assert both > 0.1 and none == 0  # double support


@pytest.mark.parametrize("speed", ["walk", "fast_walk", "run"])
def test_planted_foot_does_not_slide_or_sink(speed):
    w = walker(speed)
    p = w.p
    for st in inner_stances(w):
        s = st.foot
        ts = np.linspace(st.t_ic, st.t_to, 120)
        lms = [landmarks(RIG, w.pose(t)) for t in ts]
        u = (ts - st.t_ic) / (st.t_to - st.t_ic)
        heel = np.array([lm[("heel", s)] for lm in lms])
        toe = np.array([lm[("toe", s)] for lm in lms])
        on_heel = u <= p.heel_off_u
        on_toe = u >= p.flat_u
        slide_heel = np.ptp(heel[on_heel][:, [0, 2]], axis=0).max()
        slide_toe = np.ptp(toe[on_toe][:, [0, 2]], axis=0).max()
        assert slide_heel < 0.005 and slide_toe < 0.005, (s, st.t_ic, slide_heel, slide_toe)
        assert abs(heel[0, 1] - RIG.heel[s][1]) < 1e-3  # heel on the floor at contact
        assert np.abs(heel[on_heel, 1] - RIG.heel[s][1]).max() < 1e-3
        assert np.abs(toe[on_toe, 1] - RIG.toe[s][1]).max() < 1e-3
        # the foot actually bears: the ankle is where the leg's IK put it
    assert w.clamped == 0


@pytest.mark.parametrize("speed", ["walk", "run"])
def test_swing_foot_clears_the_floor(speed):
    w = walker(speed)
    for t in np.arange(0.3, 3.7, 1 / 240):
        pose = w.pose(t)
        lm = landmarks(RIG, pose)
        for s in SIDES:
            if not pose["contact"][s]:
                assert lm[("heel", s)][1] > RIG.heel[s][1] - 1e-4
                assert lm[("toe", s)][1] > RIG.toe[s][1] - 1e-4


@pytest.mark.parametrize("speed", ["walk", "fast_walk", "run"])
@pytest.mark.parametrize("fpa", [(-15, 25), (-5, 10), (0, 20), (5, 15)])
def test_fpa_truth_equals_setting(speed, fpa):
    w = walker(speed, fpa=fpa)
    cs = contacts_truth(w, 60, 240, speed)
    assert len(cs) >= 4
    for c in cs:
        want = fpa[SIDES.index(c["foot"])]
        assert c["fpa_deg"] == pytest.approx(want, abs=0.5)
        assert c["direction"] == ("in" if want < 0 else "straight" if want <= 15 else "out")


@pytest.mark.parametrize("speed", ["walk", "fast_walk", "run"])
def test_knee_give_and_twist_truth(speed):
    give = (SOFT_GIVE[speed], STIFF_GIVE[speed])
    w = walker(speed, give=give, twist=(10, 20))
    for c in contacts_truth(w, 60, 240, speed):
        i = SIDES.index(c["foot"])
        assert c["knee_give_deg"] == pytest.approx(give[i], abs=0.5)
        assert c["knee_flexion_at_ic_deg"] == pytest.approx(PRESETS[speed].knee_ic_deg, abs=0.5)
        assert c["twist_deg"] == pytest.approx((10, 20)[i], abs=0.5)
        assert c["landing"] == ("spring" if i == 0 else "bang")


def test_contact_frames_are_the_first_and_last_touching_frames():
    fps, n = 30, 120
    w = walker("walk")
    for c in contacts_truth(w, fps, n, "walk"):
        if c["ic_frame"] is not None:
            assert (c["ic_frame"] - 1) / fps < c["ic_time_s"] <= c["ic_frame"] / fps + 1e-9
            assert w.pose(c["ic_frame"] / fps)["contact"][c["foot"]]
            if c["ic_frame"] > 0:
                assert not w.pose((c["ic_frame"] - 1) / fps)["contact"][c["foot"]]
        if c["to_frame"] is not None:
            assert c["to_frame"] / fps <= c["to_time_s"] + 1e-9 < (c["to_frame"] + 1) / fps
            assert w.pose(c["to_frame"] / fps)["contact"][c["foot"]]


def test_heading_sign_is_toe_out_positive_for_both_feet():
    assert heading_deg([0.1, 0, 0], [0.1 + math.sin(0.2), 0, math.cos(0.2)], "L") == pytest.approx(math.degrees(0.2))
    assert heading_deg([-0.1, 0, 0], [-0.1 - math.sin(0.2), 0, math.cos(0.2)], "R") == pytest.approx(math.degrees(0.2))


def test_camera_projection():
    cam = Camera(720, 1280, 65.0, 0.6)
    assert cam.orientation == "portrait"
    u, v = cam.project(np.array([0.0, 0.6, -5.0]))
    assert (u, v) == pytest.approx((360, 640))
    assert cam.project(np.array([0.5, 0.6, -5.0]))[0] > 360  # +x is the picture's right
    assert cam.project(np.array([0.0, 0.0, -5.0]))[1] > 640  # the floor is below the centre
    down = Camera(720, 1280, 65.0, 0.6, tilt_deg=-10)
    assert down.project(np.array([0.0, 0.0, -5.0]))[1] < cam.project(np.array([0.0, 0.0, -5.0]))[1]


# ---------------------------------------------------------------- the committed set
def _truth_files():
    return sorted(RENDERED.glob("*.json"))


@pytest.mark.skipif(not RENDERED.is_dir() or not any(RENDERED.glob("*.json")), reason="no rendered set committed")
def test_committed_rendered_set_is_complete_and_small():
    files = _truth_files()
    total = sum(f.stat().st_size for f in RENDERED.rglob("*") if f.is_file())
    assert total <= 15 * 1024 * 1024
    usable = 0
    for f in files:
        d = json.loads(f.read_text())
        assert (RENDERED / d["clip"]).is_file()
        assert d["source"] == "rendered" and d["generator"].startswith("tools.synth")
        for k in ("fps", "frames", "width_px", "height_px", "codec", "speed", "camera", "subject", "settings", "expect", "contacts", "cadence_spm", "per_frame"):
            assert k in d, (f.name, k)
        z = np.load(RENDERED / d["per_frame"])
        n = d["frames"]
        assert z["time_s"].shape == (n,)
        assert z["knee_flexion_deg"].shape == (n, 2)
        for p in ("heel", "toe", "ankle", "knee", "hip"):
            for s in SIDES:
                assert z[f"{p}_{s}_3d"].shape == (n, 3)
                assert z[f"{p}_{s}_2d"].shape == (n, 2)
        if d["expect"]["usable"]:
            usable += 1
            assert d["contacts"]
            for c in d["contacts"]:
                assert c["foot"] in SIDES
                if c["ic_frame"] is not None:
                    assert 0 <= c["ic_frame"] < n
                    assert c["ic_frame"] == math.ceil(c["ic_time_s"] * d["fps"] - 1e-9)
                if c["to_frame"] is not None:
                    assert 0 <= c["to_frame"] < n
                assert c["landing"] in ("spring", "bang")
                # the stance foot is on the floor in the rendered mesh
                si = SIDES.index(c["foot"])
                a = c["ic_frame"] if c["ic_frame"] is not None else 0
                b = c["to_frame"] if c["to_frame"] is not None else n - 1
                assert np.abs(z["foot_min_height_m"][a : b + 1, si]).max() < 0.005
        else:
            assert d["expect"]["refusal"] in ("no_walking", "oblique_path", "camera_moving", "legs_only", "walking_away")
    assert usable >= 8


def test_committed_treadmill_clips_keep_the_person_put_and_carry_planted_feet_back_at_walking_speed():
    clips = sorted((ROOT / "tests" / "rendered").glob("treadmill_*.json"))
    assert len(clips) >= 3
    for path in clips:
        d = json.loads(path.read_text())
        assert d["settings"]["treadmill"] and d["settings"]["activity"].startswith("treadmill_")
        z = np.load(path.with_name(d["per_frame"]))
        hip_z = 0.5 * (z["hip_L_3d"][:, 2] + z["hip_R_3d"][:, 2])
        assert np.ptp(hip_z) < 0.05  # stays at its distance (the walk would cover metres)
        for si, s in enumerate(SIDES):
            on_floor = z["foot_min_height_m"][:, si] < 0.002
            both = on_floor[1:] & on_floor[:-1]
            toe_vz = np.diff(z[f"toe_{s}_3d"][:, 2]) * d["fps"]
            assert both.sum() > 10
            assert abs(float(np.median(toe_vz[both])) + d["speed_mps"]) < 0.05 * d["speed_mps"]


@pytest.mark.skipif(not SYNTH_PY.exists(), reason="the synth venv is missing (bash tools/synth/setup.sh)")
def test_render_smoke(tmp_path):
    env = dict(os.environ, PYOPENGL_PLATFORM="egl")
    r = subprocess.run(
        [str(SYNTH_PY), "-m", "tools.synth", "render", "--set", "ci", "--only", "run_fpa5_5_soft", "--duration", "0.4", "--jobs", "1", "--out", str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    d = json.loads((tmp_path / "run_fpa5_5_soft.json").read_text())
    assert d["frames"] == 24 and (tmp_path / "run_fpa5_5_soft.mp4").stat().st_size > 0
