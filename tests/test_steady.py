"""The steady stretch of a walk, on hand-built contacts with known answers."""

from __future__ import annotations

import pytest

from gait.analysis.events import Stance, cadence_from_contacts, steady_stretch
from gait.names import Side


def _contacts(times_s, first=Side.L):
    feet = [first if i % 2 == 0 else first.other for i in range(len(times_s))]
    return [Stance(foot=f, contact_s=t, toe_off_s=None, contact_idx=0, toe_off_idx=0) for f, t in zip(feet, times_s)]


def test_steady_walk_is_all_of_it_and_cadence_is_steps_over_time():
    stances = _contacts([1.0, 1.5, 2.0, 2.5, 3.0, 3.5])
    assert steady_stretch(stances) == (0, 5)
    assert cadence_from_contacts(stances).cadence_spm == pytest.approx(120.0)


def test_first_step_from_standing_and_a_slow_closing_step_are_left_out():
    # A long first step (starting), five steady steps of 0.5 s, then a slow closing step of 0.9 s.
    stances = _contacts([0.0, 1.0, 1.5, 2.0, 2.5, 3.0, 3.9])
    assert steady_stretch(stances) == (1, 5)
    assert cadence_from_contacts(stances).cadence_spm == pytest.approx(120.0)


def test_a_missed_contact_splits_the_walk_and_the_longer_part_wins():
    times = [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]
    stances = _contacts(times)
    del stances[2]  # the left contact at 2.0 s was missed: 1.5 R -> 2.5 R
    assert steady_stretch(stances) == (2, 5)


def test_no_steady_stretch_of_three_steps():
    assert steady_stretch(_contacts([1.0, 1.5, 2.0])) is None
    assert steady_stretch([]) is None


def test_two_feet_landing_at_once_keeps_the_longer_stance():
    from gait.analysis.events import one_foot_at_a_time

    real = Stance(foot=Side.L, contact_s=1.0, toe_off_s=1.6, contact_idx=30, toe_off_idx=48)
    blip = Stance(foot=Side.R, contact_s=1.05, toe_off_s=1.15, contact_idx=31, toe_off_idx=34)
    nxt = Stance(foot=Side.R, contact_s=1.5, toe_off_s=2.1, contact_idx=45, toe_off_idx=63)
    assert one_foot_at_a_time([real, blip, nxt]) == [real, nxt]
    assert one_foot_at_a_time([blip, real, nxt]) == [real, nxt]


def _labelled(pairs):
    return [Stance(foot=f, contact_s=t, toe_off_s=None, contact_idx=0, toe_off_idx=0) for t, f in pairs]


def test_one_foot_twice_a_step_apart_is_a_mislabelled_step_not_a_stride():
    # 0.5 s steps whose labels the pose model swapped now and then (as it does in a front view):
    # no three alternating steps in a row, so the plausible single steps decide.
    L, R = Side.L, Side.R
    stances = _labelled([(1.0, L), (1.5, R), (2.0, R), (2.5, R), (3.0, L), (3.5, L), (4.0, R)])
    assert cadence_from_contacts(stances).cadence_spm == pytest.approx(120.0, rel=0.02)


def test_one_foot_twice_a_stride_apart_still_counts_as_two_steps():
    L, R = Side.L, Side.R
    # Contacts at 2.0 s and 3.5 s were missed: 1.5 R -> 2.5 R and 3.0 L -> 4.0 L are strides of two steps.
    stances = _labelled([(1.0, L), (1.5, R), (2.5, R), (3.0, L), (4.0, L), (4.5, R)])
    assert cadence_from_contacts(stances).cadence_spm == pytest.approx(120.0, rel=0.02)
