"""Issue 11, items 1-4: the frontal geometry on known poses, the summaries' unclear rule, the findings and
their exercises, and (slow) the measures against the rendered walkers' truth."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from gait.analysis.events import Stance
from gait.analysis.findings import UNCLEAR, frontal_findings, unclear_below_floor
from gait.analysis.frontal import (FRONT, REAR, Frontal, FrontalFoot, FrontalStep, Measure, RearView, bend_deg,
                                   hip_tilt_deg, lateral_offset_px, medial_sign_x, summarise, summarise_feet)
from gait.advice.exercises import exercises_for
from gait.names import Side
from gait.thresholds import THRESHOLDS, value

FRONTAL_DIR = Path(__file__).resolve().parent / "rendered" / "frontal"


def _knee_at(offset_px: float, side: Side, view: str = FRONT) -> float:
    """FPPA of a leg 100 px thigh / 100 px shank with the knee moved ``offset_px`` toward the midline."""
    hip, ankle = np.array([200.0, 100.0]), np.array([200.0, 300.0])
    knee = np.array([200.0 + medial_sign_x(side, view) * offset_px, 200.0])
    return float(bend_deg(hip, knee, ankle, side, view))


@pytest.mark.parametrize("side", list(Side))
@pytest.mark.parametrize("view", [FRONT, REAR])
def test_fppa_of_a_knee_moved_toward_the_midline_is_positive_and_exact(side, view):
    # Knee 10 px in over 100 px: each segment turns by atan(0.1), the angle at the knee by twice that.
    assert _knee_at(10.0, side, view) == pytest.approx(2 * math.degrees(math.atan(0.1)), abs=1e-9)
    assert _knee_at(-10.0, side, view) == pytest.approx(-2 * math.degrees(math.atan(0.1)), abs=1e-9)
    assert _knee_at(0.0, side, view) == pytest.approx(0.0, abs=1e-12)


def test_facing_the_phone_the_left_leg_is_on_the_pictures_right_so_its_midline_is_to_the_left():
    assert medial_sign_x(Side.L, FRONT) == -1 and medial_sign_x(Side.R, FRONT) == 1
    assert medial_sign_x(Side.L, REAR) == 1 and medial_sign_x(Side.R, REAR) == -1


def test_fppa_unchanged_by_translation_rotation_free_scale_and_mirroring_swaps_sides():
    rng = np.random.default_rng(3)
    hip, knee, ankle = np.array([210.0, 95.0]), np.array([196.0, 205.0]), np.array([204.0, 310.0])
    base = float(bend_deg(hip, knee, ankle, Side.L, FRONT))
    shift, k = rng.normal(0, 50, 2), 2.7
    assert float(bend_deg(hip * k + shift, knee * k + shift, ankle * k + shift, Side.L, FRONT)) == pytest.approx(base)
    mirror = np.array([-1.0, 1.0])
    assert float(bend_deg(hip * mirror, knee * mirror, ankle * mirror, Side.R, FRONT)) == pytest.approx(base)


def test_hip_tilt_and_lateral_offset_on_known_points():
    assert float(hip_tilt_deg(np.array([100.0, 100.0]), np.array([200.0, 100.0 + 100 * math.tan(math.radians(5))]))) \
        == pytest.approx(5.0)
    # Line from (0,0) to (10,100): at row 50 it is at x=5; a point at x=25 is 20 px to its right.
    assert lateral_offset_px(np.array([25.0, 50.0]), np.array([0.0, 0.0]), np.array([10.0, 100.0])) == pytest.approx(20.0)
    assert math.isnan(lateral_offset_px(np.array([np.nan, 1.0]), np.array([0.0, 0.0]), np.array([1.0, 1.0])))


def test_straight_leg_is_the_leg_upright_once_a_stride_not_its_foreshortened_median():
    from types import SimpleNamespace

    from gait.analysis.geometry import leg_length_px, straight_leg_px
    from gait.analysis.pose import LM

    # 30 samples/s over 3 s; the leg swings +-25 deg toward the phone: its picture length is 200 cos(swing).
    rate, n = 30.0, 90
    t = np.arange(n) / rate
    swing = np.radians(25.0) * np.sin(2 * np.pi * t / 1.1)
    px = np.full((n, 33, 2), np.nan)
    for hip, ankle, x in ((LM.L_HIP, LM.L_ANKLE, 300.0), (LM.R_HIP, LM.R_ANKLE, 250.0)):
        px[:, hip] = np.stack([np.full(n, x), np.full(n, 100.0)], axis=1)
        px[:, ankle] = np.stack([np.full(n, x), 100.0 + 200.0 * np.cos(swing)], axis=1)
    track = SimpleNamespace(image_px=px, rate_hz=rate)
    got = straight_leg_px(track)
    assert np.all(np.isfinite(got))
    # Within 1.5 % of the true 200 px everywhere, where the rolling median reads ~4 % short.
    assert np.all(np.abs(got - 200.0) < 3.0)
    assert np.nanmedian(leg_length_px(track, window_s=1.0)) < 193.0


def test_step_width_rests_on_the_foot_middle_not_the_ankle():
    from gait.analysis.frontal import foot_middle_px

    heel, toe = np.array([[100.0, 500.0], [140.0, 510.0]]), np.array([[110.0, 490.0], [150.0, 490.0]])
    assert foot_middle_px(heel, toe) == pytest.approx(np.array([[105.0, 495.0], [145.0, 500.0]]))


def test_summary_needs_enough_clear_steps_and_reads_unclear_below_the_floor():
    thr = 10.0
    # Two steps: a median, but no call.
    few = summarise([14.0, 15.0], [0.9, 0.9], thr)
    assert few.flagged is None and few.confidence == 0.0 and few.median == pytest.approx(14.5)
    # Five clear steps, all beyond: flagged, confident.
    sure = summarise([14, 15, 16, 14, 15], [0.9] * 5, thr)
    assert sure.flagged is True and sure.confidence == pytest.approx(0.9)
    # Steps that disagree lower the confidence below the floor.
    mixed = summarise([14, 6, 15, 5, 13], [0.6] * 5, thr)  # 3 of 5 agree x 0.6 = 0.36
    assert mixed.flagged is True and unclear_below_floor(mixed.confidence)
    # Steps below min_step_confidence do not count at all.
    dim = summarise([14, 15, 16], [0.1, 0.1, 0.1], thr)
    assert dim.n_steps == 0 and dim.flagged is None and dim.confidence == 0.0 and dim.median == 15.0
    # A capped method never reaches the floor, however clear its steps.
    capped = summarise([14, 15, 16, 14, 15], [1.0] * 5, thr, max_confidence=value("pelvic_drop_max_confidence"))
    assert capped.flagged is True and unclear_below_floor(capped.confidence)


def _stance(foot: Side, t: float) -> Stance:
    return Stance(foot=foot, contact_s=t, toe_off_s=t + 0.6, contact_idx=int(t * 30), toe_off_idx=int(t * 30) + 18)


def _frontal(feet: dict[Side, FrontalFoot]) -> Frontal:
    return Frontal(steps=(), feet=feet, rear=RearView(filmed=False, usable=False, reason="not filmed"))


def test_findings_only_above_the_floor_and_each_links_to_matching_exercises():
    sure, doubtful = Measure(14.0, 1.0, 6, 0.8, True), Measure(14.0, 1.0, 6, 0.3, True)
    no = Measure(2.0, 1.0, 6, 0.9, False)
    feet = {Side.L: FrontalFoot(Side.L, knee_valgus=sure, pelvic_drop=doubtful, step_width=no),
            Side.R: FrontalFoot(Side.R, knee_valgus=doubtful, rearfoot_eversion=sure)}
    found = {(f.code, f.foot) for f in frontal_findings(_frontal(feet))}
    assert found == {("knee_in", Side.L), ("heel_rolls_in", Side.R)}
    for code in ("knee_in", "hip_drop", "feet_cross", "heel_rolls_in"):
        ranked = [e.id for e in exercises_for([code]) if code in e.findings]
        assert ranked, code
    assert {"side-lying-hip-abduction", "clamshell"} <= {e.id for e in exercises_for(["knee_in"]) if "knee_in" in e.findings}
    assert "side-lying-hip-abduction" in {e.id for e in exercises_for(["hip_drop"]) if "hip_drop" in e.findings}


def test_per_foot_summary_keeps_front_and_rear_steps_apart():
    steps = [FrontalStep(_stance(Side.L, t), FRONT, knee_valgus_deg=15.0, knee_valgus_confidence=0.9)
             for t in (0.0, 1.0, 2.0, 3.0, 4.0)]
    steps += [FrontalStep(_stance(Side.L, t), REAR, rearfoot_eversion_deg=3.0, rearfoot_eversion_confidence=0.9)
              for t in (6.0, 7.0, 8.0)]
    feet = summarise_feet(steps, running=False)
    assert feet[Side.L].knee_valgus.n_steps == 5 and feet[Side.L].knee_valgus.flagged is True
    assert feet[Side.L].rearfoot_eversion.n_steps == 3 and feet[Side.L].rearfoot_eversion.flagged is False
    assert feet[Side.R].knee_valgus.flagged is None


def test_every_frontal_threshold_has_a_unit_and_a_source():
    for name in ("knee_valgus_fppa_deg", "pelvic_drop_deg", "crossover_step_width_leg", "rearfoot_eversion_walk_deg",
                 "rearfoot_eversion_run_deg", "pelvic_drop_max_confidence", "eversion_max_confidence"):
        t = THRESHOLDS[name]
        assert t.unit and t.source
    assert "Willson" in THRESHOLDS["knee_valgus_fppa_deg"].source
    assert "Bramah" in THRESHOLDS["pelvic_drop_deg"].source
    assert value("pelvic_drop_max_confidence") < value("min_finding_confidence")


def test_json_shows_unclear_for_a_flagged_measure_below_the_floor():
    from gait.output.results import _frontal_foot

    d = _frontal_foot(FrontalFoot(Side.L, knee_valgus=Measure(14.0, 1.0, 6, 0.3, True),
                                  step_width=Measure(-0.02, 0.01, 6, 0.9, True)))
    assert d["knee_falls_in"] == UNCLEAR and d["knee_valgus_deg"] == 14.0 and d["knee_valgus_confidence"] == 0.3
    assert d["feet_cross"] == "yes" and d["step_width_leg"] == -0.02
    assert d["heel_rolls_in"] == "not judged" and d["rearfoot_eversion_deg"] is None


# ---------------------------------------------------------------- rendered truth (real pose model)
def _frontal_clips() -> list[Path]:
    return sorted(FRONTAL_DIR.glob("*.mp4"))


@pytest.mark.slow
@pytest.mark.skipif(not any(FRONTAL_DIR.glob("*.mp4")), reason="no rendered frontal clips")
def test_rendered_knee_valgus_and_step_width_against_truth():
    """Within what gait.validate's frontal bars hold (valgus 3 deg, step width 0.03 leg, pelvic drop 3 deg)
    on the front clips."""
    from gait.pipeline import analyze
    from gait.validation.score import FRONTAL_FIGURES, score_clip
    from gait.validation.truth import load_truth

    errs: dict[str, list[float]] = {f: [] for f, _, _ in FRONTAL_FIGURES}
    for clip in _frontal_clips():
        if not clip.name.startswith("frontal_"):
            continue
        truth = load_truth(clip.with_suffix(".json"))
        score = score_clip(truth, analyze(clip, truth.speed, keep_pictures=False))
        for figure, pairs in score.frontal.items():
            errs[figure] += [abs(f - t) for t, f in pairs]
    # Target 3 (issue 11): 2.5 on the model's own landmarks (3.1 on mediapipe's smoothed ones).
    assert errs["valgus_mae_deg"] and np.mean(errs["valgus_mae_deg"]) <= 3.0
    # Target 0.05: 0.054 with the ankles over the leg's rolling median length, 0.010 with the feet's
    # middles over the straight leg (held-out frontal set: 0.033 -> 0.012).
    assert errs["step_width_mae_leg"] and np.mean(errs["step_width_mae_leg"]) <= 0.03
    # Target 3: 6.3 from the hip landmarks; 1.6 from the waistband on clips whose waistband is on the pelvis.
    assert errs["pelvic_drop_mae_deg"] and np.mean(errs["pelvic_drop_mae_deg"]) <= 3.0


@pytest.mark.slow
@pytest.mark.skipif(not (FRONTAL_DIR / "rear_walk_eversion0_10.mp4").exists(), reason="no rendered rear clip")
def test_walk_away_is_refused_for_the_front_but_measured_from_behind_and_a_front_clip_says_not_filmed():
    from gait.pipeline import analyze

    rear = analyze(FRONTAL_DIR / "rear_walk_eversion0_10.mp4", "walk", keep_pictures=False)
    assert "walking_away" in [p.code for p in rear.quality.problems if p.blocking]
    assert rear.frontal.rear.filmed and rear.frontal.rear.usable
    assert any(s.view == REAR and not math.isnan(s.rearfoot_eversion_deg) for s in rear.frontal.steps)
    assert all(f.code not in ("heel_rolls_in", "hip_drop") for f in rear.findings)  # capped below the floor
    front = analyze(FRONTAL_DIR / "frontal_walk_valgus10_3_drop6.mp4", "walk", keep_pictures=False)
    assert not front.frontal.rear.filmed and "did not see you walk back" in front.frontal.rear.reason


def test_rendered_truth_files_carry_the_frontal_truth_per_step():
    files = sorted(FRONTAL_DIR.glob("*.json"))
    if not files:
        pytest.skip("no rendered frontal clips")
    for path in files:
        d = json.loads(path.read_text())
        seen = [c for c in d["contacts"] if c["ic_time_s"] is not None]
        assert seen
        for c in seen:
            for key in ("knee_valgus_deg", "pelvic_drop_deg", "rearfoot_eversion_deg", "step_width_leg"):
                assert key in c
        settings = d["settings"]
        if settings["view"] == "rear":
            # The set eversion shows in the truth of that foot (the shank's own tilt changes it a little).
            for side in ("L", "R"):
                got = np.median([c["rearfoot_eversion_deg"] for c in seen if c["foot"] == side])
                assert abs(got - settings["rearfoot_eversion_deg"][side]) < 3.0
        else:
            for c in seen:
                assert abs(c["pelvic_drop_deg"] - settings["pelvic_drop_deg"]) < 0.5


def test_rear_view_of_a_clip_without_a_walk_away_says_not_filmed_or_names_the_moving_phone():
    from tests.synthetic import Walker, make_track

    from gait.analysis.frontal import MOVING_PHONE, NOT_FILMED, rear_view

    toward = make_track(Walker(duration_s=4.0, start_distance_m=6.0))
    assert rear_view(toward).reason == NOT_FILMED and not rear_view(toward).filmed
    assert rear_view(toward, camera_moving=True).reason == MOVING_PHONE


def test_rear_stretch_is_found_after_the_turn_of_a_walk_toward_and_back():
    from dataclasses import replace

    from tests.synthetic import Walker, make_track

    from gait.analysis.frontal import rear_stretch

    toward = make_track(Walker(duration_s=4.0, start_distance_m=6.0))
    # The same walk played backwards after it, mirrored (seen from behind): the walk back.
    back_px = toward.image_xy_px[::-1].copy()
    t = np.concatenate([toward.time_s, toward.time_s[-1] + 1.0 / 30 + toward.time_s])
    both = replace(toward, time_s=t,
                   image_xy=np.concatenate([toward.image_xy, toward.image_xy[::-1]]),
                   image_xy_px=np.concatenate([toward.image_xy_px, back_px]),
                   world_xyz_m=np.concatenate([toward.world_xyz_m, toward.world_xyz_m[::-1]]),
                   visibility=np.concatenate([toward.visibility, toward.visibility[::-1]]),
                   brightness=np.concatenate([toward.brightness, toward.brightness[::-1]]))
    span = rear_stretch(both)
    assert span is not None
    first, last = span
    n = toward.n_frames
    assert abs(first - n) <= 0.15 * n and last == 2 * n - 1
    assert rear_stretch(toward) is None
    # Walked away first (recording started at the phone), then back toward it: the first walk, only.
    # Before, a clip that started and ended at the phone was taken as one walk away from end to end.
    away_first = replace(both, image_xy=np.concatenate([toward.image_xy[::-1], toward.image_xy]),
                         image_xy_px=np.concatenate([back_px, toward.image_xy_px]),
                         world_xyz_m=np.concatenate([toward.world_xyz_m[::-1], toward.world_xyz_m]),
                         visibility=np.concatenate([toward.visibility[::-1], toward.visibility]),
                         brightness=np.concatenate([toward.brightness[::-1], toward.brightness]))
    span = rear_stretch(away_first)
    assert span is not None
    first, last = span
    assert first == 0 and abs(last - (n - 1)) <= 0.15 * n


def test_validate_pairs_frontal_steps_with_their_true_stance_and_prints_the_figures():
    from dataclasses import replace as dc_replace
    from types import SimpleNamespace

    from gait.validation.score import ClipScore, _score_frontal, final_line, overall
    from gait.validation.truth import TrueContact, Truth

    true = (TrueContact(Side.L, 1.0, 0.0, 1.6, None, knee_valgus_deg=8.0, step_width_leg=0.10),
            TrueContact(Side.R, 1.5, 0.0, 2.1, None, knee_valgus_deg=2.0, step_width_leg=0.12))
    truth = Truth(clip=Path("x.mp4"), source="rendered", speed="walk", fps=30.0, contacts=true, cadence_spm=None,
                  expect_usable=True, expect_refusal=None, meta={})
    steps = (FrontalStep(_stance(Side.L, 1.2), FRONT, knee_valgus_deg=11.0, knee_valgus_confidence=0.9,
                         step_width_leg=0.14, step_width_confidence=0.9),
             # too unsure to be used: left out of the figure (and of "measured")
             FrontalStep(_stance(Side.R, 1.5), FRONT, knee_valgus_deg=30.0, knee_valgus_confidence=0.1),
             # the wrong foot's stance is never its truth
             FrontalStep(_stance(Side.R, 1.05), FRONT, knee_valgus_deg=2.0, knee_valgus_confidence=0.9))
    frontal = _frontal({})
    score = ClipScore(name="x.mp4", source="rendered", speed="walk")
    _score_frontal(score, truth, SimpleNamespace(frontal=dc_replace(frontal, steps=steps)))
    # The right step at 1.05 s lies next to the left truth and 0.45 s from the right one: unmatched.
    assert score.frontal["valgus_mae_deg"] == [(8.0, 11.0)]
    figures = overall([score])
    assert figures["valgus_mae_deg"] == pytest.approx(3.0) and figures["valgus_measured_pct"] == pytest.approx(50.0)
    assert figures["step_width_mae_leg"] == pytest.approx(0.04)
    line = final_line(figures)
    assert "valgus_mae_deg=3.0" in line and "step_width_mae_leg=0.040" in line
    assert "pelvic_drop_mae_deg" not in line  # no truth for it: no figure


@pytest.mark.slow
@pytest.mark.skipif(not (FRONTAL_DIR / "rear_walk_eversion0_10.mp4").exists(), reason="no rendered clips")
def test_walk_toward_then_back_in_one_clip_gives_front_measures_and_the_heel_from_behind(tmp_path):
    """The guide's self-test: toward the phone, then the walk back (here two rendered clips joined)."""
    import av

    from gait.pipeline import analyze

    joined = tmp_path / "toward_and_back.mp4"
    with av.open(str(joined), "w") as out:
        stream = out.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 540, 960, "yuv420p"
        n = 0
        for name in ("frontal_walk_valgus10_3_drop6.mp4", "rear_walk_eversion0_10.mp4"):
            with av.open(str(FRONTAL_DIR / name)) as src:
                for frame in src.decode(video=0):
                    f = av.VideoFrame.from_ndarray(frame.to_ndarray(format="rgb24"), format="rgb24")
                    f.pts = n
                    n += 1
                    for packet in stream.encode(f):
                        out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    a = analyze(joined, "walk", keep_pictures=False)
    assert a.quality.usable
    rear = a.frontal.rear
    assert rear.filmed and rear.usable and 3.5 <= rear.from_s <= 4.3  # the first clip lasts 4.0 s
    front = [s for s in a.frontal.steps if s.view == FRONT]
    assert front and all(s.stance.contact_s < rear.from_s for s in front)
    # No step width across the turn: every front width is a plausible walking width.
    widths = [s.step_width_leg for s in front if not math.isnan(s.step_width_leg)]
    assert widths and all(-0.2 < w < 0.4 for w in widths)
    assert any(s.view == REAR for s in a.frontal.steps)


def test_a_clip_looped_back_to_its_far_start_is_no_walk_toward_the_phone_and_back():
    """Cut back to the far start (a looped or edited clip: the body's size jumps down, then grows
    again) is not a walk away: before, the loop read as a turn and the second walk toward the phone
    as a walk away (gait.bench's looped walk: too_few_steps, walked_there_and_back)."""
    from dataclasses import replace

    from tests.synthetic import Walker, make_track

    from gait.analysis.quality import turn_index
    from gait.analysis.signal import clean

    toward = make_track(Walker(duration_s=4.0, start_distance_m=6.0))

    def joined(order: slice) -> object:
        n = len(toward.time_s[order])
        t = np.concatenate([toward.time_s, toward.time_s[-1] + 1.0 / 30 + toward.time_s[:n]])
        return replace(toward, time_s=t, image_xy=np.concatenate([toward.image_xy, toward.image_xy[order]]),
                       image_xy_px=np.concatenate([toward.image_xy_px, toward.image_xy_px[order]]),
                       world_xyz_m=np.concatenate([toward.world_xyz_m, toward.world_xyz_m[order]]),
                       visibility=np.concatenate([toward.visibility, toward.visibility[order]]),
                       brightness=np.concatenate([toward.brightness, toward.brightness[order]]))

    # The walk, then the first 60 % of it again (a 10 s loop of a shorter clip ends part-way).
    looped = joined(slice(0, int(0.6 * toward.n_frames)))
    assert turn_index(clean(looped)) is None
    back = joined(slice(None, None, -1))
    turn = turn_index(clean(back))
    assert turn is not None and not turn[1] and abs(turn[0] - toward.n_frames) <= 0.15 * toward.n_frames
