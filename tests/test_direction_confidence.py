"""The landing-direction confidence is a chance: the share of feet whose true angle is in the stated category."""

from __future__ import annotations

import numpy as np

from gait.analysis.findings import direction_probability, landing_direction
from gait.thresholds import value


def test_a_median_on_a_boundary_is_a_coin_toss():
    edge = value("fpa_out_above_deg")
    p = direction_probability(edge + 1e-6, np.array([edge - 1, edge, edge + 1]), 1.0)
    assert 0.45 < p < 0.55


def test_farther_from_the_boundaries_steadier_steps_and_better_fits_are_surer():
    tight = np.array([-2.0, 0.0, 2.0])
    mid = (value("fpa_in_below_deg") + value("fpa_out_above_deg")) / 2
    centre = direction_probability(mid, mid + tight, 0.8)
    near = direction_probability(mid + 5, mid + 5 + tight, 0.8)
    scattered = direction_probability(mid, mid + 4 * tight, 0.8)
    poor_fit = direction_probability(mid, mid + tight, 0.3)
    assert centre > near and centre > scattered and centre > poor_fit


def test_stated_chance_matches_how_often_it_is_right_when_the_errors_are_as_assumed():
    # Feet whose measured medians scatter about the truth with the SD the rule assumes: of the
    # calls stated at 60-90 %, about that share must be right.
    rng = np.random.default_rng(3)
    sd = value("fpa_foot_error_sd_deg") / 0.8
    stated, right = [], []
    for _ in range(3000):
        true = rng.uniform(-20, 30)
        median = true + rng.normal(0, sd)
        p = direction_probability(median, np.array([median]), 0.8)
        stated.append(p)
        right.append(landing_direction(median) == landing_direction(true))
    stated, right = np.array(stated), np.array(right)
    band = (stated >= 0.6) & (stated < 0.9)
    assert band.sum() > 200
    assert abs(right[band].mean() - stated[band].mean()) < 0.06


def _step(foot, angle_deg: float, visibility: float = 0.9):
    from gait.analysis.events import Stance
    from gait.analysis.measures import StepMeasures

    return StepMeasures(stance=Stance(foot=foot, contact_s=0.0, toe_off_s=0.6, contact_idx=0, toe_off_idx=18),
                        foot_angle_deg=angle_deg, foot_angle_3d_deg=angle_deg, foot_angle_2d_deg=angle_deg,
                        twist_deg=float("nan"), knee_give_deg=float("nan"), stop_rate_per_s=float("nan"),
                        hip_jolt_ratio=float("nan"), landmark_visibility=visibility)


def test_two_clear_steps_give_a_direction_with_its_chance_and_one_step_gives_none():
    # A short run from far away leaves two clear steps a foot: the call is made, its confidence
    # carries the two steps' disagreement; one step is no call and says why.
    from gait.analysis.findings import summarise_foot
    from gait.names import Side

    two = summarise_foot(Side.L, [_step(Side.L, -6.0), _step(Side.L, -5.0)], running=True, landing_ok=False)
    assert two.landing_direction == landing_direction(-5.5)
    assert 0.5 < two.direction_confidence < 1.0
    split = summarise_foot(Side.L, [_step(Side.L, -10.0), _step(Side.L, -1.0)], running=True, landing_ok=False)
    assert split.landing_direction == two.landing_direction
    assert split.direction_confidence < two.direction_confidence
    one = summarise_foot(Side.L, [_step(Side.L, -14.0)], running=True, landing_ok=False)
    assert one.landing_direction is None and one.direction_confidence == 0.0
    assert "only 1 clear step of" in (one.reason or "")
