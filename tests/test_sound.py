"""How loud each landing is (gait.analysis.sound).

Known answers on synthetic audio (footfalls of set level at set times, with noise, music, talk,
wind, no sound, sound out of line), the unclear rule and the finding; the audio read back from a
muxed file; then the rendered clips with a synthetic soundtrack through the real pose model
(slow), where the left-right difference must come back within 2 dB; and the real clip with an
audio track (walk_side_turn.mp4), whose track is digital silence and must be declined as such.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from gait.analysis.findings import UNCLEAR
from gait.analysis.sound import (NOT_HEARD, Audio, DistanceModel, LandingSound, distance_model, landing_sound,
                                 read_audio, sound_findings)
from gait.output.sound_results import shown_db, sound_to_dict, step_loudness
from gait.names import Side
from tests.clips import SIDE_TURN, real_clip
from tools.synth import soundtrack as synth

RATE = synth.RATE_HZ
RENDERED = Path(__file__).resolve().parent / "rendered"
WALK = DistanceModel(intercept_m=8.0, slope_m_per_s=-1.0, residual_pct=0.0)  # approaching at 1 m/s
LEVEL_1M = {Side.L: -14.0, Side.R: -19.0}


def contacts(n: int = 9, start_s: float = 0.5, step_s: float = 0.53) -> list[tuple[Side, float]]:
    return [(Side.L if i % 2 == 0 else Side.R, start_s + step_s * i) for i in range(n)]


def footfalls(cs, duration_s: float = 5.5, offset_s: float = 0.0, distance: DistanceModel = WALK,
              levels=None) -> np.ndarray:
    levels = levels or LEVEL_1M
    events = [(t + offset_s, levels[f] - 20 * math.log10(distance.at(t))) for f, t in cs]
    return synth.footfalls(duration_s, events)


def audio(x: np.ndarray) -> Audio:
    return Audio(samples=x.astype(np.float32), rate_hz=float(RATE), start_s=0.0)


# ---- known answers --------------------------------------------------------------------------------

def test_clean_footfalls_give_onsets_levels_and_left_right():
    cs = contacts()
    s = landing_sound(audio(footfalls(cs) + synth.noise(5.5, -60.0)), cs, WALK)
    assert s.heard and s.reason is None and s.heard_pct == 100.0
    assert abs(s.offset_ms) < 15.0  # onsets at the contacts
    for st in s.steps:
        assert st.onset_s == pytest.approx(st.contact_s, abs=0.015)
        assert st.snr_db > 20.0
    # corrected to 1 m: the set levels (the band-pass takes ~1.5 dB off every footfall alike)
    assert s.feet[Side.L].loudness_median_db == pytest.approx(-14.0, abs=2.5)
    assert s.lr_diff_db == pytest.approx(5.0, abs=1.0)
    assert s.lr_confidence >= 0.6


def test_distance_correction_removes_the_approach():
    cs = contacts()
    same = {Side.L: -16.0, Side.R: -16.0}
    s = landing_sound(audio(footfalls(cs, levels=same) + synth.noise(5.5, -60.0)), cs, WALK)
    raw = np.array([st.peak_dbfs for st in s.steps])
    corrected = np.array([st.loudness_db for st in s.steps])
    assert np.ptp(raw) > 6.0  # 7.5 m -> 3.3 m: the last step is ~7 dB louder as heard
    assert np.ptp(corrected) < 2.5  # what is left is each burst's own shape after the band-pass (~+-1 dB)
    assert np.std(corrected) < 0.3 * np.std(raw)
    assert abs(s.lr_diff_db) < 1.0


def test_audio_video_offset_is_reported():
    cs = contacts()
    s = landing_sound(audio(footfalls(cs, offset_s=0.08) + synth.noise(5.5, -60.0)), cs, WALK)
    assert s.heard
    assert s.offset_ms == pytest.approx(80.0, abs=15.0)
    assert s.lr_diff_db == pytest.approx(5.0, abs=1.0)


@pytest.mark.parametrize("background, level_dbfs, cause", [
    (synth.music, -22.0, "music_or_talk"),
    (synth.talk, -22.0, "music_or_talk"),
    (synth.wind, -15.0, "wind"),
])
def test_music_talk_and_wind_over_the_steps_are_declined(background, level_dbfs, cause):
    cs = contacts()
    x = footfalls(cs) + synth.noise(5.5, -60.0) + background(5.5, level_dbfs)
    s = landing_sound(audio(x), cs, WALK)
    assert not s.heard and s.reason == cause
    assert s.message.startswith(NOT_HEARD) and s.fix
    assert s.lr_diff_db is None and not s.feet and not s.steps


def test_faint_music_far_below_the_steps_does_not_stop_them_being_heard():
    cs = contacts()
    x = footfalls(cs) + synth.noise(5.5, -60.0) + synth.music(5.5, -62.0)
    s = landing_sound(audio(x), cs, WALK)
    assert s.heard and s.lr_diff_db == pytest.approx(5.0, abs=1.0)


def test_no_sound_track_and_silence_are_declined():
    cs = contacts()
    assert landing_sound(None, cs, WALK).reason == "no_audio"
    silent = landing_sound(audio(np.zeros(5 * RATE)), cs, WALK)
    assert silent.reason == "silent" and silent.message.startswith(NOT_HEARD)


def test_sounds_out_of_line_with_the_contacts_are_declined():
    cs = contacts()
    s = landing_sound(audio(footfalls(cs, offset_s=0.26) + synth.noise(5.5, -60.0)), cs, WALK)
    assert not s.heard and s.reason == "not_lined_up"
    # ... and footfalls at a different rhythm than the steps seen
    other = contacts(start_s=0.3, step_s=0.37, n=13)
    s = landing_sound(audio(footfalls(other) + synth.noise(5.5, -60.0)), cs, WALK)
    assert not s.heard


def test_steps_quieter_than_the_room_are_too_quiet():
    cs = contacts()
    x = footfalls(cs, levels={Side.L: -45.0, Side.R: -45.0}) + synth.noise(5.5, -40.0)
    s = landing_sound(audio(x), cs, WALK)
    assert not s.heard and s.reason == "too_quiet"
    assert "quiet landings are good" in s.message


def test_too_few_contacts_are_declined():
    cs = contacts(n=2)
    assert landing_sound(audio(footfalls(cs) + synth.noise(5.5, -60.0)), cs, WALK).reason == "too_few_steps"


# ---- the unclear rule and the finding -------------------------------------------------------------

def test_below_the_floor_a_level_reads_unclear_and_drives_no_finding():
    assert shown_db(-15.0, 0.2) == UNCLEAR
    assert shown_db(-15.0, 0.9) == -15.0
    assert shown_db(float("nan"), 0.9) is None
    # a clear 6 dB difference, but the feet were heard on few steps: unclear, no finding
    cs = contacts(n=4)
    x = footfalls(cs, levels={Side.L: -12.0, Side.R: -18.0}) + synth.noise(5.5, -60.0)
    s = landing_sound(audio(x), cs, WALK)
    assert s.heard and s.lr_diff_db == pytest.approx(6.0, abs=1.0)
    assert s.lr_confidence < 0.4
    d = sound_to_dict(s)
    assert d["left_minus_right_db"] == UNCLEAR and d["left_minus_right_measured_db"] == pytest.approx(6.0, abs=1.0)
    assert sound_to_dict(s, Side.R)["landing_loudness_db"] == UNCLEAR
    assert sound_findings(s) == []


def test_one_clearly_louder_foot_is_a_finding_on_that_foot():
    cs = contacts(n=11, step_s=0.45)
    x = footfalls(cs, levels={Side.L: -20.0, Side.R: -14.0}) + synth.noise(5.5, -60.0)
    s = landing_sound(audio(x), cs, WALK)
    (f,) = sound_findings(s)
    assert f.code == "loud_landing" and f.foot is Side.R and f.confidence >= 0.4
    assert "right foot lands about 6 dB louder" in f.meaning
    # even feet: no finding
    even = landing_sound(audio(footfalls(cs, levels={Side.L: -16.0, Side.R: -16.0}) + synth.noise(5.5, -60.0)),
                         cs, WALK)
    assert sound_findings(even) == []


def test_a_loud_foot_links_to_the_quiet_landing_and_spring_drills():
    from gait.advice.exercises import FINDING_EXERCISES, Group, exercises_for, get_exercise

    assert FINDING_EXERCISES["loud_landing"][0] == "quiet-landings"
    assert "Tate" in get_exercise("quiet-landings").source
    picks = [e for e in exercises_for(["loud_landing"]) if "loud_landing" in e.findings]
    assert {"pogo-hops", "rope-skipping"} <= {e.id for e in picks}
    assert get_exercise("quiet-landings").group is Group.SPRING


def test_step_and_foot_json():
    cs = contacts()
    s = landing_sound(audio(footfalls(cs) + synth.noise(5.5, -60.0)), cs, WALK)
    foot, t = cs[2]
    step = step_loudness(s, foot, t)
    assert isinstance(step["landing_loudness_db"], float) and step["landing_loudness_confidence"] > 0.4
    assert step["landing_sound_above_floor_db"] > 20.0 and abs(step["landing_sound_onset_s"] - t) < 0.02
    assert step_loudness(s, foot, t + 0.2)["landing_loudness_db"] is None  # not a contact of the clip
    declined = LandingSound(heard=False, reason="no_audio")
    assert step_loudness(declined, foot, t)["landing_loudness_db"] is None
    assert sound_to_dict(declined, Side.L)["landing_loudness_db"] is None
    assert sound_to_dict(None)["heard"] is False


def test_distance_from_the_person_size_in_the_picture():
    # A leg of 0.85 m seen through the assumed lens: leg_px = f * 0.85 / d, the person approaching at 1.2 m/s.
    from gait.thresholds import value

    t = np.linspace(0.0, 4.0, 121)
    d = 9.0 - 1.2 * t
    w, h = 540, 960
    f = 0.5 * max(w, h) / math.tan(math.radians(value("assumed_fov_long_side_deg")) / 2)
    rng = np.random.default_rng(0)
    leg = f * value("sound_assumed_leg_m") / d * (1 + 0.03 * rng.standard_normal(t.size))
    xy = np.zeros((t.size, 33, 2))
    xy[:, 23, 1] = xy[:, 24, 1] = 300.0
    xy[:, 27, 1] = 300.0 + leg
    xy[:, 28, 1] = 300.0 + 0.9 * leg  # the bent leg is shorter: the longer one counts
    vis = np.ones((t.size, 33))
    model = distance_model(t, xy, vis, (w, h))
    assert model is not None
    for ti in (0.5, 2.0, 3.5):
        assert model.at(ti) == pytest.approx(9.0 - 1.2 * ti, rel=0.03)
    vis[:, 27] = vis[:, 28] = 0.0
    assert distance_model(t, xy, vis, (w, h)) is None  # no ankles, no size: no distance


# ---- reading the sound from a file ----------------------------------------------------------------

def test_read_audio_puts_the_sound_on_the_video_clock(tmp_path):
    src = RENDERED / "refuse_no_walking.mp4"
    assert read_audio(src) is None  # the rendered clips have no sound track
    events = [(1.0, -12.0), (2.0, -12.0)]
    for offset_s in (0.0, 0.1):
        out = tmp_path / f"with_sound_{offset_s}.mp4"
        synth.mux(src, out, synth.footfalls(3.0, events) + synth.noise(3.0, -60.0), offset_s=offset_s)
        a = read_audio(out)
        assert a is not None and a.rate_hz == RATE
        x = np.abs(a.samples)
        times = a.start_s + np.arange(x.size) / a.rate_hz
        first = times[np.argmax(x > 0.05)]  # the first footfall's start
        assert first == pytest.approx(1.0 + offset_s, abs=0.01)


def test_the_real_clip_with_a_sound_track_is_declined_as_silent():
    path = real_clip(SIDE_TURN)  # skips when the shared clips are missing
    a = read_audio(path)
    assert a is not None and a.samples.size > 10 * a.rate_hz  # a 13 s track is there ...
    assert float(np.abs(a.samples).max()) == 0.0  # ... and it is digital silence
    s = landing_sound(a, contacts(), WALK)
    assert s.reason == "silent" and s.message.startswith(NOT_HEARD)


# ---- rendered walkers with a synthetic soundtrack, through the real pose model -------------------

SOUND_CLIPS = sorted(p.stem for p in RENDERED.glob("sound_*.json"))


@pytest.mark.slow
@pytest.mark.parametrize("name", SOUND_CLIPS)
def test_rendered_soundtrack_left_right_within_2_db(name):
    from gait.output.results import analysis_to_dict
    from gait.pipeline import analyze

    truth = json.loads((RENDERED / f"{name}.json").read_text())
    told = truth["sound"]
    a = analyze(RENDERED / truth["clip"], truth["speed"], keep_pictures=False)
    d = analysis_to_dict(a)
    block = d["summary"]["landing_sound"]
    assert block["heard"] is told["expect_heard"], block["message"]
    if not told["expect_heard"]:
        assert block["message"].startswith(NOT_HEARD) and block["reason"] == "music_or_talk"
        assert all(s["landing_loudness_db"] is None for s in d["steps"])
        assert not any(f["code"] == "loud_landing" for f in d["findings"])
        return
    assert abs(a.sound.lr_diff_db - told["lr_diff_db"]) <= 2.0
    assert abs(block["audio_video_offset_ms"]) <= 200.0
    # every heard step's onset is within 100 ms of a true contact of the same foot (plus the set A/V offset)
    true = [(s["foot"], s["ic_time_s"] + told["av_offset_ms"] / 1000) for s in told["steps"]]
    heard = [s for s in a.sound.steps if s.onset_s is not None]
    assert len(heard) >= 0.6 * len(a.sound.steps)
    for s in heard:
        assert min(abs(s.onset_s - t) for f, t in true if f == s.foot.value) < 0.1
    feet = d["summary"]["feet"]
    assert {"landing_loudness_db", "landing_loudness_confidence"} <= set(feet["L"])
    assert any(isinstance(s["landing_loudness_db"], float) for s in d["steps"])


# ---- in the PDF ------------------------------------------------------------------------------------

def _with_sound(d: dict, heard: bool) -> dict:
    s = landing_sound(audio(footfalls(contacts()) + synth.noise(5.5, -60.0)), contacts(), WALK) if heard else \
        landing_sound(audio(footfalls(contacts()) + synth.noise(5.5, -60.0) + synth.music(5.5, -22.0)), contacts(), WALK)
    d["summary"]["landing_sound"] = sound_to_dict(s)
    for side in Side:
        d["summary"]["feet"][side.value].update(sound_to_dict(s, side))
    for step, (foot, t) in zip(d["steps"], contacts()):
        step.update(contact_s=t, foot=foot.value, **step_loudness(s, foot, t))
    return d


def test_pdf_shows_the_loudness_by_speed_and_why_a_clip_was_not_heard():
    from gait.output.compare import bundle
    from gait.output.report import make_pdf
    from tests.test_compare import result
    from tests.test_report import n_images, pdf_text

    plain = make_pdf(bundle([result("walk"), result("run")]))
    assert "How loud each landing is" not in pdf_text(plain)  # results saved before sound was measured
    pdf = make_pdf(bundle([_with_sound(result("walk"), True), _with_sound(result("run"), False)]))
    text = pdf_text(pdf)
    assert "How loud each landing is, by speed" in text
    assert "left minus right +5" in text.replace("\u2013", "-")
    assert "We could not hear your steps: music or talk was as loud as your footsteps" in text
    assert "nobody talking" in text  # the fix
    assert n_images(pdf) > n_images(plain)  # the loudness chart


# ---- on the results page (AppTest, the real socks analysis with a soundtrack made for its steps) ----

@pytest.mark.slow
def test_results_page_shows_loudness_unclear_and_not_heard(walk_result):
    from dataclasses import replace

    from tests.test_pages_analysis import all_text, app_on

    cs = [(m.stance.foot, m.stance.contact_s) for m in walk_result.steps]
    span = (cs[0][1] - 0.5, cs[-1][1] + 1.0)
    shifted = [(f, t - span[0]) for f, t in cs]
    x = footfalls(shifted, duration_s=span[1] - span[0], levels={Side.L: -12.0, Side.R: -18.0}) + \
        synth.noise(span[1] - span[0], -60.0)
    heard = landing_sound(Audio(x.astype(np.float32), float(RATE), span[0]), cs, WALK)
    assert heard.heard
    music = landing_sound(Audio((x + synth.music(span[1] - span[0], -22.0)).astype(np.float32), float(RATE),
                                span[0]), cs, WALK)
    results = {"walk": replace(walk_result, sound=heard), "run": replace(walk_result, sound=music)}
    at = app_on("pages/results.py", **{"analysis.results": results, "analysis.errors": {}, "analysis.hash": {}})
    text = all_text(at)
    assert text.count("How loud each landing is") >= 2
    assert "We could not hear your steps: music or talk" in text
    # the socks walk has few steps per foot: either a level with its confidence, or "unclear", never a bare number
    assert "dB at 1 m, confidence" in text or "unclear — measured about" in text
    assert "Traceback" not in text
    # the analyse page's quality report states the sound check: heard and in step with the picture, or why not
    analyse = all_text(app_on("pages/analyse.py", **{"analysis.results": results, "analysis.errors": {},
                                                     "analysis.hash": {}}))
    assert "Sound: we heard" in analyse and "sound and picture agree" in analyse
    assert "We could not hear your steps: music or talk" in analyse


# ---- scoring (python -m gait.validate) --------------------------------------------------------------

def test_validate_scores_loudness_and_keeps_copies_out_of_the_other_figures():
    from gait.validation.score import ClipScore, final_line, overall

    def clip(name, expect, heard, true_lr, found_lr, copy=True):
        meta = {"sound": {"copy_of": "x.mp4"}} if copy else {}
        return ClipScore(name=name, source="rendered", speed="walk", n_true=10, n_found=10, n_matched=5 if copy else 10,
                         meta=meta, sound_expect_heard=expect, sound_heard=heard, loudness_lr_true_db=true_lr,
                         loudness_lr_found_db=found_lr)

    original = clip("x.mp4", None, False, None, None, copy=False)
    scores = [original, clip("a", True, True, 4.0, 3.0), clip("b", True, True, -2.0, -1.5), clip("m", False, False, None, None)]
    figures = overall(scores)
    assert figures["loudness_lr_err_db"] == pytest.approx(0.75)
    assert figures["sound_calls_ok"] == 100.0
    assert figures["clips"] == 1 and figures["ic_recall"] == 100.0  # the copies' pictures are not counted twice
    assert "loudness_lr_err_db=0.8" in final_line(figures)
    # a clip that should have been heard but was declined counts its whole difference plus the 2 dB bar
    missed = overall([original, clip("a", True, False, 4.0, None)])
    assert missed["loudness_lr_err_db"] == pytest.approx(6.0) and missed["sound_calls_ok"] == 0.0
    assert "loudness_lr_err_db" not in overall([original])  # no sound truth, no figure


def test_left_right_holds_over_many_walks_runs_levels_and_offsets():
    """Seeded sweep: walking to running step times, 6-13 contacts, phone A/V offsets up to +-80 ms, noise 10-35 dB
    under the farthest step, contacts seen with 30 ms of jitter: heard, and left-right within 2 dB."""
    rng = np.random.default_rng(11)
    errors = []
    for k in range(24):
        step_s, n = rng.uniform(0.3, 0.6), int(rng.integers(6, 14))
        offset_s, left = rng.uniform(-0.08, 0.08), rng.uniform(-20.0, -8.0)
        right = left + rng.uniform(-6.0, 6.0)
        dist = DistanceModel(rng.uniform(5.0, 10.0), -rng.uniform(0.8, 2.5), 0.0)
        cs = contacts(n=n, start_s=0.4, step_s=step_s)
        duration_s = 1.0 + step_s * n
        x = footfalls(cs, duration_s, offset_s, dist, {Side.L: left, Side.R: right})
        farthest = min(left, right) - 20 * math.log10(dist.at(0.4))
        x += synth.noise(duration_s, farthest - rng.uniform(10.0, 35.0), seed=k + 100)
        seen = [(f, t + rng.normal(0.0, 0.03)) for f, t in cs]
        s = landing_sound(audio(x), seen, dist)
        assert s.heard, (k, s.reason)
        assert s.offset_ms == pytest.approx(1000 * offset_s, abs=40.0)
        errors.append(abs(s.lr_diff_db - (left - right)))
    assert max(errors) <= 2.0 and float(np.mean(errors)) <= 0.8, errors


def test_a_heel_then_forefoot_double_impact_is_one_footfall():
    cs = contacts()
    heel = [(t, LEVEL_1M[f] - 20 * math.log10(WALK.at(t))) for f, t in cs]
    slap = [(t + 0.11, level - 6.0) for t, level in heel]
    s = landing_sound(audio(synth.footfalls(5.5, heel + slap) + synth.noise(5.5, -60.0)), cs, WALK)
    assert s.heard and s.lr_diff_db == pytest.approx(5.0, abs=1.0)
    assert all(st.onset_s is not None and abs(st.onset_s - st.contact_s) < 0.02 for st in s.steps)
