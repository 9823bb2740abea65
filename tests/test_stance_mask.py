"""Which frames a foot is planted in: the shortest stance, and a stance the clip's end cuts short."""

import numpy as np

from gait.analysis.events import stance_mask
from gait.thresholds import value

RATE_HZ = 30.0


def _speeds(n_frames: int, slow: slice) -> np.ndarray:
    """A foot swinging at 2 leg lengths/s, slowed to 0.05 over ``slow``, with a planted stretch
    early on so the planted and swinging levels are both present."""
    speed = np.full(n_frames, 2.0)
    speed[5:20] = 0.05
    speed[slow] = 0.05
    return speed


def test_two_slow_frames_mid_clip_are_not_a_stance():
    mask = stance_mask(_speeds(60, slice(40, 42)), RATE_HZ)
    assert mask[5:20].all()
    assert not mask[40:42].any()  # shorter than min_stance_s with the clip going on: noise


def test_a_stance_cut_short_by_the_clips_end_counts_from_two_frames():
    assert int(np.ceil(value("min_cut_stance_s") * RATE_HZ)) == 2
    mask = stance_mask(_speeds(60, slice(58, 60)), RATE_HZ)
    assert mask[58:60].all()


def test_the_last_seen_frame_decides_not_the_array_end():
    # The pose was lost for the last 3 frames (NaN): the stance ended by the clip is the one
    # running into the last frame with a speed.
    speed = _speeds(60, slice(55, 57))
    speed[57:] = np.nan
    assert stance_mask(speed, RATE_HZ)[55:57].all()


def test_one_slow_frame_at_the_end_is_not_enough():
    mask = stance_mask(_speeds(60, slice(59, 60)), RATE_HZ)
    assert not mask[59]


def test_a_belt_is_only_looked_for_under_someone_who_stays_put():
    """The feet of a treadmill walker give a belt velocity; told the person comes nearer, the floor is still."""
    from gait.analysis.events import Travel, ground_velocity
    from gait.analysis.identity import consistent_sides
    from gait.analysis.signal import clean
    from tests.synthetic import Walker, make_track

    # A belt at an easy 1.1 m/s carries a planted foot only slowly up the picture, so a still floor is
    # nearly as dense as the belt; for someone who keeps their size the belt must still win.
    track = clean(consistent_sides(make_track(Walker(treadmill=True, speed_m_s=1.1))))
    belt = ground_velocity(track)
    assert np.linalg.norm(belt) > 0.1  # found from the feet when the travel is not known
    assert np.allclose(ground_velocity(track, Travel.IN_PLACE), belt)
    assert not ground_velocity(track, Travel.APPROACH).any()
    assert not ground_velocity(track, Travel.AWAY).any()
