"""Running steps the feet did not show, from the hips' fall (events.running_steps_from_trunk).

The physics is checked on real footage: on the hand-annotated treadmill run the hips fall
fastest within two frames of the annotated contacts. The gap filling is checked on its own rules.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from gait.analysis import events
from gait.analysis.events import Stance, running_steps_from_trunk, trunk_fall_times_s
from gait.names import Side
from tests.clips import TREADMILL_SIDE, real_clip

L, R = Side.L, Side.R
RATE_HZ = 30.0


def _stance(foot: Side, t: float) -> Stance:
    i = int(round(t * RATE_HZ))
    return Stance(foot=foot, contact_s=t, toe_off_s=t + 0.25, contact_idx=i, toe_off_idx=i + 7)


def _fill(stances: list[Stance], falls: list[float], monkeypatch: pytest.MonkeyPatch) -> list[Stance]:
    track = SimpleNamespace(time_s=np.arange(0, 6, 1 / RATE_HZ), rate_hz=RATE_HZ)
    monkeypatch.setattr(events, "trunk_fall_times_s", lambda _track: np.asarray(falls, float))
    return running_steps_from_trunk(stances, track)  # type: ignore[arg-type]


def test_a_missing_step_is_placed_at_the_fall_with_the_foot_that_alternates(monkeypatch):
    # L R L R at 0.35 s steps, then the next L (2.10) lost: R 1.75 -> R 2.45 is two steps.
    found = [_stance(f, t) for f, t in [(L, 0.7), (R, 1.05), (L, 1.4), (R, 1.75), (R, 2.45), (L, 2.8)]]
    falls = [0.71, 1.06, 1.41, 1.76, 2.12, 2.46, 2.81]
    out = _fill(found, falls, monkeypatch)
    added = [s for s in out if s.found_by == "trunk"]
    assert [(s.foot, s.contact_s) for s in added] == [(L, 2.12)]
    assert added[0].toe_off_s is None  # no foot was seen: nothing to measure
    assert [s.contact_s for s in out] == sorted(s.contact_s for s in out)


def test_a_gap_whose_feet_do_not_alternate_is_left_alone(monkeypatch):
    # R 1.75 -> L 2.45 is two steps apart, yet two steps from R land on R: one of them is mislabelled.
    found = [_stance(f, t) for f, t in [(L, 0.7), (R, 1.05), (L, 1.4), (R, 1.75), (L, 2.45), (R, 2.8)]]
    out = _fill(found, [0.71, 1.06, 1.41, 1.76, 2.12, 2.46, 2.81], monkeypatch)
    assert all(s.found_by == "foot" for s in out)


def test_no_fall_near_the_expected_step_adds_nothing(monkeypatch):
    found = [_stance(f, t) for f, t in [(L, 0.7), (R, 1.05), (L, 1.4), (R, 1.75), (R, 2.45), (L, 2.8)]]
    out = _fill(found, [0.71, 1.06, 1.41, 1.76, 2.46, 2.81, 3.2], monkeypatch)
    assert len(out) == len(found)


def test_nothing_is_added_past_the_ends_of_the_found_steps(monkeypatch):
    found = [_stance(f, t) for f, t in [(L, 0.7), (R, 1.05), (L, 1.4), (R, 1.75)]]
    out = _fill(found, [0.0, 0.35, 0.71, 1.06, 1.41, 1.76, 2.1, 2.45], monkeypatch)
    assert len(out) == len(found)


@pytest.mark.slow
def test_hips_fall_fastest_at_the_annotated_contacts_of_a_real_run():
    from gait.analysis.identity import consistent_sides
    from gait.analysis.pose import MediaPipePose, track_pose
    from gait.analysis.signal import clean
    from gait.analysis.video import iter_frames, probe
    from gait.validation.truth import find_truths, load_truth

    path = real_clip(TREADMILL_SIDE)
    truth = next(load_truth(p, clip_dir=path.parent) for p in find_truths(path.parent)
                 if load_truth(p, clip_dir=path.parent).clip.name == path.name)
    track = clean(consistent_sides(track_pose(iter_frames(path, probe(path)), MediaPipePose())))
    falls = trunk_fall_times_s(track)
    contacts = np.array(sorted(c.ic_s for c in truth.seen_contacts))
    inside = contacts[(contacts > track.time_s[0] + 0.2) & (contacts < track.time_s[-1] - 0.2)]
    off_s = np.array([np.min(np.abs(falls - t)) for t in inside])
    assert inside.size >= 25
    assert np.mean(off_s <= 2.0 / track.rate_hz) >= 0.9  # within two frames
    assert falls.size <= contacts.size + 2  # one fall per step, not a jittery many
