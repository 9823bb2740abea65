"""Seen from behind, a landing foot looks planted early: contacts come from the other foot's lift-off."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from gait.analysis.events import Stance, contacts_from_lift_offs
from gait.names import Side
from gait.thresholds import value

RATE_HZ = 30.0


def _walk_seen_from_behind(stride_s: float = 1.1, duty: float = 0.62, looks_early_s: float = 0.25, n: int = 6):
    """True contacts every half stride, alternating feet; each stance found ``looks_early_s`` early
    (the landing foot's late swing looks still from behind) but lifting off on time."""
    time_s = np.arange(0.0, n * stride_s / 2 + 2.0, 1.0 / RATE_HZ)
    track = SimpleNamespace(time_s=time_s, rate_hz=RATE_HZ)
    true, found = [], []
    for k in range(n):
        foot = Side.L if k % 2 == 0 else Side.R
        ic_s = 0.5 + k * stride_s / 2
        to_s = ic_s + duty * stride_s
        seen_s = ic_s - looks_early_s
        true.append((foot, ic_s))
        found.append(Stance(foot=foot, contact_s=seen_s, toe_off_s=to_s, contact_idx=int(round(seen_s * RATE_HZ)),
                            toe_off_idx=int(round(to_s * RATE_HZ))))
    return track, true, found


def test_contacts_seen_from_behind_are_moved_to_a_tenth_of_a_stride_before_the_other_foot_lifts():
    track, true, found = _walk_seen_from_behind()
    fixed = contacts_from_lift_offs(found, track)
    assert len(fixed) == len(found)
    # Every contact after the first lift-off of the other foot is back within a frame and a bit of the
    # truth (duty 0.62: the other foot lifts 0.12 of a stride after, the rule says 0.10).
    for (foot, ic_s), s in zip(true[1:], fixed[1:]):
        assert s.foot is foot
        assert s.contact_s == pytest.approx(ic_s, abs=0.02 * 1.1 + 1.5 / RATE_HZ)
    # The first contact has no earlier lift-off of the other foot to go by: it stays as found.
    assert fixed[0].contact_s == found[0].contact_s
    before = np.mean([abs(s.contact_s - ic) for (_, ic), s in zip(true[1:], found[1:])])
    after = np.mean([abs(s.contact_s - ic) for (_, ic), s in zip(true[1:], fixed[1:])])
    assert before > 0.2 and after < 0.05


def test_runs_seen_from_behind_are_left_as_found():
    # No double support in a run: the rule does not hold, so nothing moves (stances ~0.25 s).
    track, _, found = _walk_seen_from_behind(stride_s=0.7, duty=0.35, looks_early_s=0.05)
    assert 0.7 * 0.35 + 0.05 < value("min_walking_stance_s")
    assert contacts_from_lift_offs(found, track) == found
