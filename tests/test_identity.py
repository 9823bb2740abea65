"""Sides named as the person's own: a walker the labels show from behind while they approach is relabelled."""

from __future__ import annotations

import numpy as np

from gait.analysis.identity import _facing_by_feet, consistent_sides, faces_opposite_to_travel
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


def test_a_walker_in_place_labelled_from_behind_gets_own_sides_back_from_the_feet():
    # On a treadmill the body does not grow, so travel cannot tell which way they face; the feet can:
    # toes nearer the phone than heels (lower in the picture) face it (a rendered treadmill walk was
    # refused as "camera moving, walking away" when the labels were trusted).
    track = make_track(Walker(treadmill=True))
    wrong = _labels_swapped(track)
    assert not faces_opposite_to_travel(wrong)
    assert _facing_by_feet(wrong) == 1.0
    fixed = consistent_sides(wrong)
    np.testing.assert_allclose(fixed.image_xy_px[:, LM.L_ANKLE], track.image_xy_px[:, LM.L_ANKLE])


def test_a_walker_in_place_whose_feet_cannot_tell_keeps_the_labels_majority():
    # Heel and toe on one spot (a pose model that gave up on the feet): the labels' majority stands.
    wrong = _labels_swapped(make_track(Walker(treadmill=True)))
    px = wrong.image_xy_px.copy()
    for toe, heel in ((LM.L_TOE, LM.L_HEEL), (LM.R_TOE, LM.R_HEEL)):
        px[:, toe] = px[:, heel]
    flat = type(wrong)(wrong.time_s, wrong.image_xy, px, wrong.world_xyz_m, wrong.visibility, wrong.frame_size_px,
                       wrong.brightness)
    assert _facing_by_feet(flat) == 0.0
    np.testing.assert_array_equal(consistent_sides(flat).image_xy_px[:, LM.L_ANKLE], flat.image_xy_px[:, LM.L_ANKLE])


def _relabel_frames(track, frames, pairs):
    """The track with the labels of ``pairs`` exchanged in ``frames`` (positions unchanged)."""
    perm = np.arange(track.image_xy_px.shape[1])
    for a, b in pairs:
        perm[a], perm[b] = b, a
    arrays = [a.copy() for a in (track.image_xy, track.image_xy_px, track.world_xyz_m, track.visibility)]
    for arr in arrays:
        arr[frames] = arr[frames][:, perm]
    return type(track)(track.time_s, *arrays, track.frame_size_px, track.brightness)


_ALL = ((11, 12), (23, 24), (25, 26), (27, 28), (29, 30), (31, 32))
_LEGS = ((25, 26), (27, 28), (29, 30), (31, 32))


def test_a_stretch_of_frames_labelled_from_behind_is_put_right():
    # The model flips its whole labelling for half a second mid-walk (seen on far and running people).
    track = make_track(Walker(running=True, speed_m_s=3.0, cadence_spm=165, duration_s=3.0))
    frames = np.arange(40, 55)
    wrong = _relabel_frames(track, frames, _ALL)
    assert not np.allclose(wrong.image_xy_px[frames, LM.L_ANKLE], track.image_xy_px[frames, LM.L_ANKLE])
    fixed = consistent_sides(wrong)
    np.testing.assert_allclose(fixed.image_xy_px[:, LM.L_ANKLE], track.image_xy_px[:, LM.L_ANKLE])
    np.testing.assert_allclose(fixed.image_xy_px[:, LM.R_HIP], track.image_xy_px[:, LM.R_HIP])


def test_legs_named_across_the_hips_get_their_own_names_back():
    track = make_track(Walker())
    frames = np.array([10, 11, 30, 31, 32, 70])
    wrong = _relabel_frames(track, frames, _LEGS)
    fixed = consistent_sides(wrong)
    np.testing.assert_allclose(fixed.image_xy_px[:, LM.R_KNEE], track.image_xy_px[:, LM.R_KNEE])
    np.testing.assert_allclose(fixed.image_xy_px[:, LM.L_HEEL], track.image_xy_px[:, LM.L_HEEL])


def test_a_person_walking_away_keeps_labels_that_face_away():
    # Walking away, the person's left is on the picture's left: frames that say so are right.
    ahead = make_track(Walker())
    back = slice(None, None, -1)  # played backwards, an approach is a walk away
    rev = type(ahead)(ahead.time_s, ahead.image_xy[back], ahead.image_xy_px[back], ahead.world_xyz_m[back],
                      ahead.visibility[back], ahead.frame_size_px, ahead.brightness)
    away = _labels_swapped(rev)  # and seen from behind: the person's left on the picture's left
    assert np.nanmean(away.image_xy_px[:, LM.L_HIP, 0] - away.image_xy_px[:, LM.R_HIP, 0]) < 0
    np.testing.assert_array_equal(consistent_sides(away).image_xy_px, away.image_xy_px)
    # The same walk with a stretch labelled as if facing the phone is put back.
    wrong = _relabel_frames(away, np.arange(50, 60), _ALL)
    np.testing.assert_allclose(consistent_sides(wrong).image_xy_px[:, LM.L_ANKLE], away.image_xy_px[:, LM.L_ANKLE])
