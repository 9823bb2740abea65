"""Signal clean-up: uniform time grid, explicit gaps, zero-phase low-pass filtering.

Gap lengths are in seconds (never frames), so their meaning does not change with
the frame rate. Gaps longer than ``max_gap_fill_s`` stay NaN.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, filtfilt

from gait.analysis.pose import LM, PoseTrack
from gait.thresholds import value


@dataclass(frozen=True)
class CleanTrack:
    """Landmarks on a uniform time grid, low-visibility points NaN, short gaps filled, filtered."""

    time_s: np.ndarray  # (N,) uniform
    rate_hz: float
    image_px: np.ndarray  # (N, 33, 2) upright analysis-frame pixels
    world_m: np.ndarray  # (N, 33, 3)
    visibility: np.ndarray  # (N, 33) interpolated, 0 in long gaps
    frame_size_px: tuple[int, int]
    image_px_fast: np.ndarray  # (N, 33, 2) filtered less, for the sharp events of a landing
    world_m_fast: np.ndarray  # (N, 33, 3) likewise
    # The same, cleaned from the landmarks before our landmark filter (gait.analysis.landmark_filter).
    unfiltered: CleanTrack | None = None

    @property
    def as_measured(self) -> CleanTrack:
        """The track the front- and rear-view measures read: the model's landmarks unfiltered."""
        return self if self.unfiltered is None else self.unfiltered


def nan_runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start_idx, stop_idx) of each run of True in a boolean array (stop exclusive)."""
    padded = np.concatenate([[False], mask.astype(bool), [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))


def resample(time_s: np.ndarray, values: np.ndarray, grid_s: np.ndarray, max_gap_s: float) -> np.ndarray:
    """Linear interpolation of ``values`` (N, ...) onto ``grid_s``; points inside gaps longer than max_gap_s are NaN."""
    flat = values.reshape(values.shape[0], -1)
    out = np.full((grid_s.shape[0], flat.shape[1]), np.nan)
    for col in range(flat.shape[1]):
        ok = ~np.isnan(flat[:, col])
        if ok.sum() < 2:
            continue
        t_ok, v_ok = time_s[ok], flat[ok, col]
        out[:, col] = np.interp(grid_s, t_ok, v_ok, left=np.nan, right=np.nan)
        # Blank grid points whose surrounding real samples are too far apart.
        nxt = np.searchsorted(t_ok, grid_s, side="left")
        prev_t = t_ok[np.clip(nxt - 1, 0, len(t_ok) - 1)]
        next_t = t_ok[np.clip(nxt, 0, len(t_ok) - 1)]
        exact = np.isclose(next_t, grid_s, atol=1e-9)
        out[(next_t - prev_t > max_gap_s) & ~exact, col] = np.nan
    return out.reshape((grid_s.shape[0],) + values.shape[1:])


def lowpass(values: np.ndarray, rate_hz: float, cutoff_hz: float | None = None) -> np.ndarray:
    """Zero-phase 2nd-order Butterworth along axis 0, run separately on each NaN-free stretch."""
    cutoff_hz = cutoff_hz or value("lowpass_cutoff_hz")
    if cutoff_hz >= rate_hz / 2:
        return values.copy()
    b, a = butter(2, cutoff_hz / (rate_hz / 2))
    pad = 3 * max(len(a), len(b))
    flat = values.reshape(values.shape[0], -1).copy()
    # Columns with the same gaps (a landmark's x and y, landmarks seen alike) are filtered together:
    # the same result as one column at a time, for a fraction of the calls.
    groups: dict[bytes, list[int]] = {}
    finite = ~np.isnan(flat)
    for col in range(flat.shape[1]):
        groups.setdefault(np.packbits(finite[:, col]).tobytes(), []).append(col)
    for cols in groups.values():
        for start, stop in nan_runs(finite[:, cols[0]]):
            if stop - start > pad:
                flat[start:stop, cols] = filtfilt(b, a, flat[start:stop, cols], axis=0)
    return flat.reshape(values.shape)


def derivative(values: np.ndarray, rate_hz: float) -> np.ndarray:
    """Central-difference time derivative along axis 0 (per second)."""
    if values.shape[0] < 2:
        return np.full_like(values, np.nan)
    return np.gradient(values, 1.0 / rate_hz, axis=0)


# Ankles, heels and toes: the pose model rates a far person's feet low even where it places them well.
_FOOT_LANDMARKS = (LM.L_ANKLE, LM.R_ANKLE, LM.L_HEEL, LM.R_HEEL, LM.L_TOE, LM.R_TOE)


def clean(track: PoseTrack, rate_hz: float | None = None) -> CleanTrack:
    """Put a pose track on a uniform grid, hide unreliable points, fill short gaps and filter."""
    rate_hz = rate_hz or _median_rate_hz(track.time_s)
    if track.n_frames < 2:
        grid = track.time_s.copy()
    else:
        grid = np.arange(track.time_s[0], track.time_s[-1] + 0.5 / rate_hz, 1.0 / rate_hz)
    floor = np.full(track.visibility.shape[1], value("min_visibility"))
    floor[list(_FOOT_LANDMARKS)] = value("min_foot_visibility")
    hidden = track.visibility < floor
    img = track.image_xy_px.copy()
    img[hidden] = np.nan
    world = track.world_xyz_m.copy()
    world[hidden] = np.nan
    max_gap_s = value("max_gap_fill_s")
    img_u = resample(track.time_s, img, grid, max_gap_s)
    world_u = resample(track.time_s, world, grid, max_gap_s)
    vis_u = np.nan_to_num(resample(track.time_s, track.visibility, grid, max_gap_s), nan=0.0)
    return CleanTrack(time_s=grid, rate_hz=rate_hz, image_px=lowpass(img_u, rate_hz),
                      world_m=lowpass(world_u, rate_hz), visibility=vis_u, frame_size_px=track.frame_size_px,
                      image_px_fast=lowpass(img_u, rate_hz, value("impact_cutoff_hz")),
                      world_m_fast=lowpass(world_u, rate_hz, value("impact_cutoff_hz")),
                      unfiltered=None if track.unfiltered is None else clean(track.unfiltered, rate_hz))


def _median_rate_hz(time_s: np.ndarray) -> float:
    if time_s.shape[0] < 2:
        return value("analysis_rate_hz")
    dt = np.diff(time_s)
    dt = dt[dt > 0]
    return float(1.0 / np.median(dt)) if dt.size else value("analysis_rate_hz")
