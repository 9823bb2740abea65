"""Spring or bang: the call's confidence means what it says (issue 9, part 3).

The confidence is worked out from the measured give's error against rendered truth
(``knee_give_seen_*`` in gait.thresholds). These tests draw walkers from that very error model
and check that the stated chance of being right is the fraction right, that a measure which does
not follow the give never makes a call, and that one which does makes confident, right calls.
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import numpy as np
import pytest

import gait.analysis.findings as findings
from gait.analysis.findings import spring_probability, two_way_confidence
from gait.thresholds import value

FLOOR = value("min_finding_confidence")


def _with(**overrides):
    """Run with some of the error model's thresholds replaced (a better or a useless measure)."""
    real = findings.value
    return mock.patch.object(findings, "value", lambda name: overrides.get(name, real(name)))


def _draw(running: bool, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(true give, measured give) of n feet drawn from the model spring_probability assumes."""
    threshold = value("knee_give_run_deg" if running else "knee_give_walk_deg")
    true = threshold + value("knee_give_prior_sd_deg") * rng.standard_normal(n)
    slope = value("knee_give_seen_slope") + value("knee_give_seen_slope_sd") * rng.standard_normal(n)
    noise = value("knee_give_seen_sd_deg") * rng.standard_t(value("knee_give_seen_tail_dof"), n)
    return true, value("knee_give_seen_offset_deg") + slope * true + noise


# Today's measure, and a better one whose slope is itself unsure (there the slope's doubt matters).
MODELS = {"today": {}, "better": {"knee_give_seen_offset_deg": 2.0, "knee_give_seen_slope": 0.5,
                                  "knee_give_seen_slope_sd": 0.25, "knee_give_seen_sd_deg": 3.0}}


@pytest.mark.parametrize("model", sorted(MODELS))
@pytest.mark.parametrize("running", [False, True])
def test_stated_chance_is_the_fraction_right(running, model):
    real = value
    with _with(**MODELS[model]), mock.patch(__name__ + ".value", lambda name: MODELS[model].get(name, real(name))):
        rng = np.random.default_rng(9)
        true, seen = _draw(running, 6000, rng)
        threshold = value("knee_give_run_deg" if running else "knee_give_walk_deg")
        p = np.array([spring_probability(m, running) for m in seen])
    right = (p >= 0.5) == (true >= threshold)
    p_right = np.maximum(p, 1 - p)
    checked = 0
    for lo, hi in ((0.5, 0.55), (0.55, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)):
        sel = (p_right >= lo) & (p_right < hi)
        if sel.sum() < 200:
            continue
        checked += 1
        # Stated vs observed, within sampling error (a few hundred feet per bin: +-4 points).
        assert right[sel].mean() == pytest.approx(p_right[sel].mean(), abs=0.04)
    assert checked >= (1 if model == "today" else 3)  # today's measure leaves every foot near a coin toss


def test_a_measure_that_does_not_follow_the_give_makes_no_call():
    with _with(knee_give_seen_slope=0.0, knee_give_seen_slope_sd=0.0):
        for running in (False, True):
            for seen in np.linspace(-5.0, 60.0, 27):
                assert spring_probability(seen, running) == pytest.approx(0.5, abs=1e-9)


def test_todays_measure_never_reaches_the_floor():
    """With the error measured on rendered walkers, no measured give is a call worth showing."""
    for running in (False, True):
        for seen in np.linspace(0.0, 50.0, 51):
            p = spring_probability(seen, running)
            assert two_way_confidence(max(p, 1 - p)) < FLOOR


def test_a_measure_that_follows_the_give_calls_confidently_and_rightly():
    with _with(knee_give_seen_offset_deg=0.0, knee_give_seen_slope=1.0, knee_give_seen_slope_sd=0.02,
               knee_give_seen_sd_deg=2.0):
        assert spring_probability(20.0, False) > 0.95 and spring_probability(3.0, False) < 0.05
        assert spring_probability(30.0, True) > 0.95 and spring_probability(8.0, True) < 0.05
        # Near the threshold the call is a toss-up again.
        p = spring_probability(value("knee_give_walk_deg"), False)
        assert two_way_confidence(max(p, 1 - p)) < FLOOR


def test_wild_steps_widen_the_doubt():
    with _with(knee_give_seen_offset_deg=0.0, knee_give_seen_slope=1.0, knee_give_seen_slope_sd=0.02,
               knee_give_seen_sd_deg=2.0):
        assert abs(spring_probability(14.0, False, scatter_deg=10.0) - 0.5) < abs(spring_probability(14.0, False) - 0.5)


def test_two_way_confidence_is_zero_at_a_coin_toss_and_the_floor_asks_for_70_pct():
    assert two_way_confidence(0.5) == 0.0 and two_way_confidence(1.0) == 1.0
    assert two_way_confidence(0.7) == pytest.approx(FLOOR)
    assert two_way_confidence(0.3) == 0.0  # never below zero


# ---------------------------------------------------------------- a rendered walker (real pose model)
SOFT_WALK = Path(__file__).resolve().parent / "rendered" / "walk_fpa5_15_soft.mp4"


@pytest.fixture(scope="module")
def soft_walk():
    from gait.pipeline import analyze
    from gait.validation.truth import load_truth

    if not SOFT_WALK.exists():
        pytest.skip("no rendered walker")
    truth = load_truth(SOFT_WALK.with_suffix(".json"))
    return truth, analyze(SOFT_WALK, truth.speed, keep_pictures=False)


@pytest.mark.slow
def test_rendered_soft_walker_is_not_called_a_bang(soft_walk):
    """The knee truly gives 20 deg on every step: whatever the measure says, no foot may read "bang"."""
    truth, a = soft_walk
    assert {c.landing for c in truth.contacts if c.landing} == {"spring"}
    feet = a.to_dict()["summary"]["feet"]
    assert feet and all(f["landing"] in ("spring", "unclear", None) for f in feet.values())
    assert not any(f.code == "bang" for f in a.findings)


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="issue 9 part 3: the front-view knee give is off by 6-14 deg on this walker "
                   "(BlazePose's 3D knee barely bends in stance); the 5 deg bar is not reached yet")
def test_rendered_soft_walker_knee_give_within_5_deg(soft_walk):
    truth, a = soft_walk
    true_give = float(np.median([c.knee_give_deg for c in truth.contacts if c.knee_give_deg is not None]))
    for f in a.feet.values():
        assert abs(f.knee_give_median_deg - true_give) <= 5.0
