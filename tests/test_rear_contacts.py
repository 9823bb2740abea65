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


def test_a_run_filmed_from_behind_is_left_as_found_even_when_its_stances_look_long():
    # Seen from behind a running stance looks 0.4-0.5 s long (as long as a walking one): the take says run.
    track, _, found = _walk_seen_from_behind(stride_s=0.7, duty=0.35, looks_early_s=0.25)
    assert 0.7 * 0.35 + 0.25 >= value("min_walking_stance_s")
    assert contacts_from_lift_offs(found, track, running=True) == found
    assert contacts_from_lift_offs(found, track) != found  # not told: the long stances pass for walking


def test_a_moment_of_stillness_mid_swing_times_no_contact():
    # A 0.1 s "stance" of the right foot in the middle of the left one (the pose model's jitter):
    # its end is no lift-off, so the left contact is not moved to it.
    track, true, found = _walk_seen_from_behind()
    left = found[2]  # L, found 0.25 s early
    blip_s = left.contact_s + 0.1
    blip = Stance(foot=Side.R, contact_s=blip_s, toe_off_s=blip_s + 0.1, contact_idx=int(round(blip_s * RATE_HZ)),
                  toe_off_idx=int(round((blip_s + 0.1) * RATE_HZ)))
    fixed = contacts_from_lift_offs(sorted([*found, blip], key=lambda s: s.contact_s), track)
    moved = next(s for s in fixed if s.foot is Side.L and abs(s.contact_s - true[2][1]) < 0.3)
    assert moved.contact_s == pytest.approx(true[2][1], abs=0.02 * 1.1 + 1.5 / RATE_HZ)


def test_seen_from_behind_the_lift_off_of_a_stance_that_overlaps_the_next_contact_still_times_it():
    """all_stances moves contacts before settling two feet 'landing at once', so the earlier foot's
    lift-off (of the stance the overlap would drop) still times the later contact."""
    from gait.analysis import events

    track, true, found = _walk_seen_from_behind(looks_early_s=0.05)
    # The right foot's first stance found from 0.5 s before it landed: 0.1 s after the left's contact,
    # and planted longer, so settling the overlap first would drop the left stance and its lift-off.
    r = found[1]
    early_s = found[0].contact_s + 0.1
    found[1] = Stance(foot=r.foot, contact_s=early_s, toe_off_s=r.toe_off_s, contact_idx=int(round(early_s * RATE_HZ)),
                      toe_off_idx=r.toe_off_idx)
    assert events.one_foot_at_a_time(sorted(found, key=lambda s: s.contact_s))[0].foot is Side.R
    by_side = {side: [s for s in found if s.foot is side] for side in Side}
    orig = events.detect_stances
    try:
        events.detect_stances = lambda _track, side, travel=None, ground=None: by_side[side]
        out = events.all_stances(track, events.Travel.AWAY)
    finally:
        events.detect_stances = orig
    right = [s for s in out if s.foot is Side.R]
    assert right[0].contact_s == pytest.approx(true[1][1], abs=0.02 * 1.1 + 1.5 / RATE_HZ)
    assert any(s.foot is Side.L and s.contact_s == found[0].contact_s for s in out)



@pytest.mark.slow
def test_on_the_spot_the_contact_is_the_arrival_not_a_heel_strike_before_it():
    """Walking in place on a still floor has no heel strike to move the contact back to: each contact
    is where the foot arrived on its planted path, never earlier than a walk's heel strike."""
    from pathlib import Path

    from gait.analysis.events import Travel, detect_stances
    from gait.analysis.identity import consistent_sides
    from gait.analysis.pose import MediaPipePose, PersonFinder, track_pose
    from gait.analysis.signal import clean
    from gait.analysis.video import iter_frames, probe

    clip = Path(__file__).resolve().parent / "rendered" / "walk_fpa0_0_stiff.mp4"  # a rendered walk toward the phone
    track = clean(consistent_sides(track_pose(iter_frames(clip, probe(clip)), PersonFinder(MediaPipePose()))))
    still = np.zeros(2)
    moved = []
    for side in Side:
        walking = detect_stances(track, side, Travel.APPROACH, ground=still)
        in_place = detect_stances(track, side, Travel.IN_PLACE, ground=still)
        assert len(walking) == len(in_place) >= 2
        moved += [b.contact_s - a.contact_s for a, b in zip(walking, in_place)]
    assert all(0.0 <= m <= value("max_foot_lowering_s") + 1e-9 for m in moved)
    assert sum(m > 0.0 for m in moved) >= 2  # the walk's rule moved some contacts back (4 of 10 today)


@pytest.mark.slow
def test_walking_away_the_cadence_comes_from_the_contacts_seen_from_behind():
    """From behind the contacts are seen (timed from lift-offs), so they give the cadence, or the legs'
    turns where they are too unsure to count (this clip: contacts 105.9 at confidence below the floor,
    legs' rhythm 111.0, truth 108.4); never the hips' rhythm, mixed with perspective there as from the
    front (rendered walks away: 0.4-9 % off, where there had been no cadence at all)."""
    from pathlib import Path

    from gait.pipeline import analyze
    from gait.validation.truth import load_truth

    folder = Path(__file__).resolve().parent / "rendered" / "frontal"
    truth = load_truth(folder / "rear_walk_eversion8_2.json", clip_dir=folder)
    a = analyze(folder / "rear_walk_eversion8_2.mp4", "walk", keep_pictures=False)
    assert a.quality.travel == "away"
    assert a.cadence is not None and a.cadence.method in ("contacts", "leg_rhythm")
    assert abs(a.cadence.cadence_spm / truth.cadence_spm - 1.0) < 0.06
