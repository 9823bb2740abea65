"""Which side is which: the person's own left and right, whatever the pose model called them.

The pose model names left and right afresh in every frame. For a whole clip it can take a
person facing the phone for one seen from behind (or the reverse) and name every landmark
by the wrong side (seen on rendered walkers with plain faces). A person walks the way they
face: one who grows in the picture walks toward the phone and so faces it, and then their
left shoulder is on the picture's right. When the labels say otherwise, they are swapped.

Not done here: swaps of the legs' labels for a frame or a few (legs passing each other,
running). Following each leg from frame to frame by position was tried and made things
worse at 30 frames/s (a swinging foot moves further between frames than the legs are apart).
"""

from __future__ import annotations

import numpy as np

from gait.analysis.pose import LM, PoseTrack

_MIRROR_PAIRS = ((1, 4), (2, 5), (3, 6), (7, 8), (9, 10), (11, 12), (13, 14), (15, 16), (17, 18), (19, 20),
                 (21, 22), (23, 24), (25, 26), (27, 28), (29, 30), (31, 32))
_MIN_SCALE_CHANGE = 0.15  # the body grows or shrinks by this share: clearly walking toward or away


def _permutation(pairs: tuple[tuple[int, int], ...]) -> np.ndarray:
    perm = np.arange(33)
    for a, b in pairs:
        perm[a], perm[b] = b, a
    return perm


def _relabelled(track: PoseTrack, frames: np.ndarray, perm: np.ndarray) -> PoseTrack:
    """The track with the landmarks of the given frames renamed by ``perm`` (positions unchanged)."""
    img, px, world, vis = (a.copy() for a in (track.image_xy, track.image_xy_px, track.world_xyz_m, track.visibility))
    for arr, src in ((img, track.image_xy), (px, track.image_xy_px), (world, track.world_xyz_m),
                     (vis, track.visibility)):
        arr[frames] = src[frames][:, perm]
    return PoseTrack(track.time_s, img, px, world, vis, track.frame_size_px, track.brightness)


def faces_opposite_to_travel(track: PoseTrack) -> bool:
    """True when the labels say the person faces one way while they clearly walk the other."""
    ok = track.detected & np.isfinite(track.image_xy_px[:, [LM.L_SHOULDER, LM.R_SHOULDER, LM.L_HIP, LM.R_ANKLE], 0]).all(1)
    idx = np.flatnonzero(ok)
    if idx.size < 8:
        return False
    px = track.image_xy_px
    leg = np.nanmax(np.stack([np.linalg.norm(px[idx, LM.L_HIP] - px[idx, LM.L_ANKLE], axis=1),
                              np.linalg.norm(px[idx, LM.R_HIP] - px[idx, LM.R_ANKLE], axis=1)]), axis=0)
    quarter = max(2, idx.size // 4)
    first, last = np.nanmedian(leg[:quarter]), np.nanmedian(leg[-quarter:])
    if not (np.isfinite(first) and np.isfinite(last)) or first <= 0:
        return False
    change = last / first - 1.0
    if abs(change) < _MIN_SCALE_CHANGE:
        return False  # in place, across or unclear: nothing to go by
    # Facing the phone, the person's left shoulder and hip are on the picture's right.
    facing_phone = np.mean(np.sign(px[idx, LM.L_SHOULDER, 0] - px[idx, LM.R_SHOULDER, 0])
                           + np.sign(px[idx, LM.L_HIP, 0] - px[idx, LM.R_HIP, 0])) > 0
    approaching = change > 0
    return bool(facing_phone != approaching)


def consistent_sides(track: PoseTrack) -> PoseTrack:
    """The track with the sides named as the person's own (see the module's note)."""
    if faces_opposite_to_travel(track):
        track = _relabelled(track, np.arange(track.n_frames), _permutation(_MIRROR_PAIRS))
    return track
