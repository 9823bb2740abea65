"""Doubt is not printed as fact, what was filmed is checked against the guide, progress matches its bar."""

from __future__ import annotations


import pytest

from gait.analysis.filming import (ANSWER_CODES, FEWER_STEPS, SHOES_ON, WALKING_AID, FilmingAnswers,
                                   answer_problems, differences, fewer_steps_problem, quality_with_answers)
from gait.analysis.findings import Finding, credible, credible_dicts
from gait.names import Side, Speed
from gait.output.words import across_speeds_rows, cadence_is_clear, clip_facts
from gait.pipeline import STAGES, overall_progress
from gait.thresholds import value


def _result(cadence_conf: float, landing: str, landing_conf: float, direction: str = "straight",
            direction_conf: float = 0.7, usable: bool = True) -> dict:
    foot = {"landing_direction": direction, "direction_confidence": direction_conf, "landing": landing,
            "landing_confidence": landing_conf}
    return {"summary": {"cadence_spm": 112.0, "cadence_low_spm": 88.0, "cadence_high_spm": 131.0,
                        "cadence_confidence": cadence_conf, "feet": {"L": dict(foot), "R": dict(foot)}},
            "quality": {"usable": usable, "person_frames_pct": 100.0, "feet_visible_pct": 96.0, "steps_found": 7},
            "video": {"duration_s": 4.8, "width_px": 1280, "height_px": 720, "name": "walk.mov"}, "findings": []}


def test_across_speeds_table_says_unclear_below_the_floor_with_its_confidence():
    header, rows = across_speeds_rows({"walk": _result(0.1, "bang", 0.36),
                                       "run": _result(0.8, "bang", 0.72, direction="unclear", direction_conf=0.25)})
    assert header == ["", "Walk", "Easy run"]  # one column per speed: fits a phone
    cells = {r[0]: r[1:] for r in rows}
    assert cells["Cadence (steps/min)"] == ["unclear (10%)", "112"]
    assert cells["Left foot: spring or bang"] == ["unclear (36%)", "bang (72%)"]
    assert cells["Right foot points"] == ["straight (70%)", "unclear (25%)"]
    flat = " ".join(" ".join(r) for r in rows)
    assert "None" not in flat and "left" not in header and "right" not in header


def test_across_speeds_table_names_unusable_clips():
    _, rows = across_speeds_rows({"walk": _result(0.8, "spring", 0.9, usable=False)})
    assert rows[1][1] == "clip not usable"


def test_cadence_floor():
    floor = value("min_finding_confidence")
    assert cadence_is_clear({"cadence_spm": 110.0, "cadence_confidence": floor})
    assert not cadence_is_clear({"cadence_spm": 110.0, "cadence_confidence": floor - 0.01})
    assert not cadence_is_clear({"cadence_spm": None, "cadence_confidence": 0.9})


def test_weak_findings_are_no_findings():
    weak = Finding("left_right_difference", None, "Left and right feet land differently", "...", 0.18)
    strong = Finding("toe_out", Side.L, "Foot lands pointing out", "...", 0.6)
    assert credible([weak, strong]) == [strong]
    assert [f["code"] for f in credible_dicts([{"code": "bang", "confidence": 0.36},
                                               {"code": "toe_in", "confidence": 0.41}])] == ["toe_in"]


def test_clip_facts_are_plain():
    text = clip_facts(_result(0.8, "spring", 0.9))
    assert "4.8 s clip" in text and "7 steps found" in text
    assert "1280" not in text and "frames/s" not in text


def test_fewer_steps_than_asked_is_said_with_what_it_means():
    asked = int(value("asked_steps"))
    p = fewer_steps_problem(6)
    assert p is not None and p.code == FEWER_STEPS and not p.blocking
    assert "6 steady steps" in p.message and str(asked) in p.message and "less sure" in p.message
    assert fewer_steps_problem(int(value("min_steady_steps_as_asked"))) is None
    assert fewer_steps_problem(0) is None  # no steps: the step-count check already refuses the clip


def test_answers_become_notes_and_can_be_changed(walker_quality):
    q = quality_with_answers(walker_quality, FilmingAnswers(barefoot=False, walking_aid=True))
    codes = [p.code for p in q.problems]
    assert SHOES_ON in codes and WALKING_AID in codes
    assert q.usable == walker_quality.usable  # notes, never a refusal
    again = quality_with_answers(q, FilmingAnswers(barefoot=True, walking_aid=False))
    assert not {p.code for p in again.problems} & set(ANSWER_CODES)
    assert quality_with_answers(quality_with_answers(q, FilmingAnswers(barefoot=False)),
                                FilmingAnswers(barefoot=False)).problems.count(answer_problems(
                                    FilmingAnswers(barefoot=False))[0]) == 1
    assert answer_problems(FilmingAnswers()) == ()  # not answered: nothing is claimed
    assert {SHOES_ON, WALKING_AID} <= {p.code for p in differences(q)}


@pytest.fixture
def walker_quality():
    from gait.pipeline import analyze_track
    from tests.synthetic import Walker, fake_info, make_track

    w = Walker(duration_s=4.0)
    return analyze_track(make_track(w), fake_info(w), Speed.WALK).quality


def test_short_synthetic_walk_gets_the_fewer_steps_note():
    from gait.pipeline import analyze_track
    from tests.synthetic import Walker, fake_info, make_track

    short, long_ = Walker(duration_s=3.6), Walker(duration_s=8.0, start_distance_m=14.0)
    a = analyze_track(make_track(short), fake_info(short), Speed.WALK)
    b = analyze_track(make_track(long_), fake_info(long_), Speed.WALK)
    assert a.quality.usable and FEWER_STEPS in {p.code for p in a.quality.problems}
    assert FEWER_STEPS not in {p.code for p in b.quality.problems}, b.quality.problems
    assert all(f.confidence >= value("min_finding_confidence") for f in a.findings + b.findings)


def test_progress_moves_forward_through_the_stages():
    seq = [(STAGES[0], 0.0)] + [(STAGES[1], f / 10) for f in range(11)] + [(s, 0.0) for s in STAGES[2:]] + \
          [(STAGES[-1], 1.0)]
    values = [overall_progress(s, f) for s, f in seq]
    assert values == sorted(values)
    assert values[-1] == pytest.approx(1.0)
    assert overall_progress(STAGES[2], 0.0) > 0.8  # "finding your steps" comes after the joints
