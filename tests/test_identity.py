"""Sides named as the person's own: a walker the labels show from behind while they approach is relabelled."""

from __future__ import annotations

import numpy as np

from gait.analysis.identity import consistent_sides, faces_opposite_to_travel
from gait.analysis.pose import LM
from tests.synthetic import Walker, make_track


def _labels_swapped(track):
    """The same pictures with every left/right label exchanged (x positions unchanged)."""
    mirrored = track.mirrored()  # swaps labels and flips x
    px = mirrored.image_xy_px.copy()
    px[..., 0] = track.frame_size_px[0] - px[..., 0]
    img = mirrored.image_xy.copy()
    img[..., 0] = 1.0 - img[..., 0]
    return type(track)(track.time_s, img, px, mirrored.world_xyz_m, mirrored.visibility, track.frame_size_px,
                       track.brightness)


def test_an_approaching_walker_labelled_from_behind_gets_own_sides_back():
    track = make_track(Walker())
    wrong = _labels_swapped(track)
    assert not faces_opposite_to_travel(track)
    assert faces_opposite_to_travel(wrong)
    fixed = consistent_sides(wrong)
    np.testing.assert_allclose(fixed.image_xy_px[:, LM.L_ANKLE], track.image_xy_px[:, LM.L_ANKLE])


def test_a_walker_in_place_is_left_as_labelled():
    # On a treadmill the body does not grow: nothing tells which way they face, so nothing changes.
    wrong = _labels_swapped(make_track(Walker(treadmill=True)))
    assert not faces_opposite_to_travel(wrong)
    np.testing.assert_array_equal(consistent_sides(wrong).image_xy_px, wrong.image_xy_px)
