"""Which side is which: the person's own left and right, whatever the pose model called them.

The pose model names left and right afresh in every frame. For a whole clip it can take a
person facing the phone for one seen from behind (or the reverse) and name every landmark
by the wrong side (seen on rendered walkers with plain faces). A person walks the way they
face: one who grows in the picture walks toward the phone and so faces it, and then their
left shoulder is on the picture's right. When the labels say otherwise, they are swapped.

The model also flips its whole labelling for a frame or a stretch of frames (a far or small
person, running), and now and then only the legs' labels. So it is done per frame: the way the
person faces comes from the way they travel around that moment (growing = toward the phone),
or, while they keep their size (walking in place, a treadmill), from the feet (toes nearer the
phone than heels: lower in the picture) or else from what most frames' labels say; a frame
whose shoulders and hips say the other way gets all its labels exchanged. Then a frame whose
knees and ankles both sit on the other hip's side gets its legs' labels exchanged (feet do
not cross the body's midline at the knee and ankle at once). On 19 rendered walkers with
per-frame truth this cut frames with the ankles' labels wrong from 13 % to 5 %.
Following each leg from frame to frame by position was tried and made things worse at
30 frames/s (a swinging foot moves further between frames than the legs are apart).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from gait.analysis.pose import LM, PoseTrack

_MIRROR_PAIRS = ((1, 4), (2, 5), (3, 6), (7, 8), (9, 10), (11, 12), (13, 14), (15, 16), (17, 18), (19, 20),
                 (21, 22), (23, 24), (25, 26), (27, 28), (29, 30), (31, 32))
_LEG_PAIRS = ((25, 26), (27, 28), (29, 30), (31, 32))  # knee, ankle, heel, toe
_MIN_SCALE_CHANGE = 0.15  # the body grows or shrinks by this share: clearly walking toward or away
# Shoulders are 0.38-0.49 leg lengths apart seen from the front or behind (26 rendered and real
# clips), 0.10-0.13 from the side. A clip whose shoulders are typically closer than this is not seen
# from the front or behind: there which side is left cannot be told frame by frame, so only the
# whole-clip rule applies.
_MIN_FRONTAL_SHOULDERS_LEG = 0.25
_MIN_APART_LEG = 0.02  # closer than this in a frame: no vote from that pair
_MIN_LEGS_APART_LEG = 0.0  # knees and ankles: any order counts (margins of 0.04-0.08 leg changed nothing that held)
_TREND_WINDOW_S = 2.0  # growth is judged over this long around each frame (about two strides)
# Growth per second, as a share of size, that means walking toward or away: 1 m/s at 8 m is 0.12/s;
# bending and straightening in place (an exercise, a stretch) changes the torso by 0.05/s;
# a person swaying in place changes size by far less.
_MIN_GROWTH_PER_S = 0.1
# Toes below heels in the picture by this share of the leg (median over the clip): the person faces
# the phone; above by as much: faces away. Between, the feet cannot tell (seen from the side, or the
# pose model put heel and toe on one spot).
_MIN_TOES_NEARER_LEG = 0.03


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
    unfiltered = None if track.unfiltered is None else _relabelled(track.unfiltered, frames, perm)
    return replace(track, image_xy=img, image_xy_px=px, world_xyz_m=world, visibility=vis, unfiltered=unfiltered)


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


def _body_size_px(track: PoseTrack) -> np.ndarray:
    """Per frame: the longer hip-to-ankle distance in pixels (NaN without a person)."""
    px = track.image_xy_px
    return np.fmax(np.linalg.norm(px[:, LM.L_HIP] - px[:, LM.L_ANKLE], axis=1),
                   np.linalg.norm(px[:, LM.R_HIP] - px[:, LM.R_ANKLE], axis=1))


def _torso_px(track: PoseTrack) -> np.ndarray:
    """Per frame: shoulders' midpoint to hips' midpoint in pixels (NaN without a person)."""
    px = track.image_xy_px
    return np.linalg.norm(0.5 * (px[:, LM.L_SHOULDER] + px[:, LM.R_SHOULDER]) - 0.5 * (px[:, LM.L_HIP] + px[:, LM.R_HIP]),
                          axis=1)


def _apart(dx_px: np.ndarray, size_px: np.ndarray, min_leg: float = _MIN_APART_LEG) -> np.ndarray:
    """Sign of a left-minus-right distance across the picture, 0 where the pair is too close to tell
    (seen from the side, shoulders, hips and legs overlap)."""
    return np.where(np.abs(dx_px) >= min_leg * size_px, np.sign(dx_px), 0.0)


def _torso_vote(track: PoseTrack) -> np.ndarray:
    """Per frame: +2 / -2 when shoulders and hips both say facing the phone / facing away, else less."""
    px = track.image_xy_px
    size = _body_size_px(track)
    vote = (_apart(px[:, LM.L_SHOULDER, 0] - px[:, LM.R_SHOULDER, 0], size)
            + _apart(px[:, LM.L_HIP, 0] - px[:, LM.R_HIP, 0], size))
    return np.nan_to_num(vote)


def _facing_by_feet(track: PoseTrack) -> float:
    """+1 / -1 when the feet show the person facing the phone / facing away, 0 when they cannot tell.

    A phone above the floor sees nearer floor points lower in the picture, and a foot's toes are
    nearer than its heel when the person faces it: toes below heels (by 0.05-0.15 leg lengths on
    73 rendered and real clips seen from the front, 0.02-0.08 above them from behind). It does not
    rest on which side the pose model calls left, which is what fails for a person who keeps their
    size (a treadmill, walking on the spot).
    """
    px = track.image_xy_px
    drop = px[:, [LM.L_TOE, LM.R_TOE], 1] - px[:, [LM.L_HEEL, LM.R_HEEL], 1]
    per_leg = drop / _body_size_px(track)[:, None]
    if np.isfinite(per_leg).sum() < 8:
        return 0.0
    typical = float(np.nanmedian(per_leg))
    return float(np.sign(typical)) if abs(typical) >= _MIN_TOES_NEARER_LEG else 0.0


def facing_per_frame(track: PoseTrack) -> np.ndarray:
    """Per frame: +1 facing the phone, -1 facing away, from the way the person travels.

    Growth over ``_TREND_WINDOW_S`` around a frame (a fit of log size over time) means walking
    toward the phone, shrinking away from it; frames with no clear trend take the nearest
    frame's answer, and a clip with none anywhere takes what most frames' labels say.
    """
    n = track.n_frames
    size = _torso_px(track)  # not the legs: a foot's swing changes their length, not the distance
    t = track.time_s
    ok = np.isfinite(size) & (size > 0)
    facing = np.zeros(n)
    log_size = np.log(np.where(ok, size, 1.0))
    half = 0.5 * _TREND_WINDOW_S
    lo = np.searchsorted(t, t - half)
    hi = np.searchsorted(t, t + half)
    for i in range(n):
        sel = np.flatnonzero(ok[lo[i]:hi[i]]) + lo[i]
        if sel.size < 6 or t[sel[-1]] - t[sel[0]] < half:
            continue
        growth = np.polyfit(t[sel], log_size[sel], 1)[0]
        if abs(growth) >= _MIN_GROWTH_PER_S:
            facing[i] = np.sign(growth)
    known = np.flatnonzero(facing)
    if known.size == 0:
        by_feet = _facing_by_feet(track)
        if by_feet:
            return np.full(n, by_feet)
        majority = np.sign(_torso_vote(track)[track.detected].sum()) if track.detected.any() else 0.0
        return np.full(n, majority if majority else 1.0)
    nearest = known[np.clip(np.searchsorted(known, np.arange(n)), 0, known.size - 1)]
    before = known[np.clip(np.searchsorted(known, np.arange(n)) - 1, 0, known.size - 1)]
    pick = np.where(np.abs(before - np.arange(n)) < np.abs(nearest - np.arange(n)), before, nearest)
    return facing[pick]


def _legs_across_hips(track: PoseTrack) -> np.ndarray:
    """Frames whose knees and ankles are both on the other hip's side (the legs' labels exchanged)."""
    px = track.image_xy_px
    size = _body_size_px(track)
    hips = _apart(px[:, LM.L_HIP, 0] - px[:, LM.R_HIP, 0], size)
    knees = _apart(px[:, LM.L_KNEE, 0] - px[:, LM.R_KNEE, 0], size, _MIN_LEGS_APART_LEG)
    ankles = _apart(px[:, LM.L_ANKLE, 0] - px[:, LM.R_ANKLE, 0], size, _MIN_LEGS_APART_LEG)
    return np.flatnonzero((hips != 0) & (knees == -hips) & (ankles == -hips))


def consistent_sides(track: PoseTrack) -> PoseTrack:
    """The track with the sides named as the person's own, frame by frame (see the module's note)."""
    if track.n_frames == 0:
        return track
    px = track.image_xy_px
    apart = np.abs(px[:, LM.L_SHOULDER, 0] - px[:, LM.R_SHOULDER, 0]) / _body_size_px(track)
    frontal = bool(np.isfinite(apart).any() and np.nanmedian(apart) >= _MIN_FRONTAL_SHOULDERS_LEG)
    if not frontal:
        if faces_opposite_to_travel(track):
            track = _relabelled(track, np.arange(track.n_frames), _permutation(_MIRROR_PAIRS))
        return track
    flipped = np.flatnonzero(_torso_vote(track) * facing_per_frame(track) < 0)
    if flipped.size:
        track = _relabelled(track, flipped, _permutation(_MIRROR_PAIRS))
    crossed = _legs_across_hips(track)
    if crossed.size:
        track = _relabelled(track, crossed, _permutation(_LEG_PAIRS))
    return track
