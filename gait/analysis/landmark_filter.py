"""Landmark smoothing in our own code: the pose model's own filter, redone beside the graph.

The pose model runs with ``smooth_landmarks=False`` (gait.analysis.pose), so its landmarks come
unfiltered. The front- and rear-view measures (knee valgus, pelvic drop, step width, rearfoot
eversion; gait.analysis.frontal) read them as they are (``PoseTrack.unfiltered``,
``CleanTrack.as_measured``): each is an angle at one moment of a step, and this filter, with a
0.05 Hz floor under its cut-off, lags slow movements such as the heel rolling in. On 30 front-view
clips rendered for the comparison and never tuned on, unfiltered against filtered: eversion MAE
3.9 against 4.9 deg, valgus 3.2 against 3.5, step width 0.038 against 0.042 leg, pelvic drop 5.1
against 4.9. Everything else (the person finder's window, the contact events, the foot angle, tuned
on mediapipe's smoothed landmarks) reads them filtered here, frame by frame, the way mediapipe's
PoseLandmarkFiltering subgraph does it (mediapipe/modules/pose_landmark/pose_landmark_filtering.pbtxt,
mediapipe/util/filtering/one_euro_filter.cc, low_pass_filter.cc,
mediapipe/calculators/util/landmarks_smoothing_calculator.cc, visibility_smoothing_calculator.cc):

- visibility: a low-pass filter, ``out = 0.1 * new + 0.9 * previous``;
- image landmarks (pixels; z in units of the width): a One Euro filter per coordinate,
  min_cutoff 0.05 Hz, beta 80, derivative cutoff 1 Hz, the speed measured in object sizes per
  second; the object size is the side of the square region the model's first two auxiliary
  landmarks span (unfiltered; the graph's ``unfiltered_auxiliary_landmarks`` stream, observed for
  this), as in mediapipe 0.10.21;
- world landmarks (metres): a One Euro filter, min_cutoff 0.1 Hz, beta 40, derivative cutoff 1 Hz,
  no value scaling.

The filters restart where the graph has no state (just built or reset, e.g. when the person finder
moves its window, or no landmarks in its previous frame: ``FramePose.fresh``), as mediapipe's, which
live in the graph, do. mediapipe's solution API stamps frames 33.333 ms apart whatever the clip's
clock; so does this. On the 92 validation clips the result equals mediapipe's own smoothing to
0.0002 px (float rounding).
"""

from __future__ import annotations

import numpy as np

_SIMULATED_STEP_US = 33333  # solution_base.py: ``self._simulated_timestamp += 33333`` (microseconds)
_DEFAULT_FREQUENCY_HZ = 30.0  # LandmarksSmoothingCalculatorOptions.OneEuroFilter.frequency default

IMAGE_FILTER = (0.05, 80.0, 1.0)  # min_cutoff Hz, beta, derivate_cutoff Hz
WORLD_FILTER = (0.1, 40.0, 1.0)
VISIBILITY_ALPHA = 0.1


def _alpha(cutoff: np.ndarray | float, freq_hz: float) -> np.ndarray | float:
    te = 1.0 / freq_hz
    tau = 1.0 / (2 * np.pi * cutoff)
    return 1.0 / (1.0 + tau / te)


class _OneEuro:
    """mediapipe's OneEuroFilter for an array of values at once (each element filtered on its own)."""

    def __init__(self, min_cutoff: float, beta: float, d_cutoff: float) -> None:
        self.min_cutoff, self.beta, self.d_cutoff = min_cutoff, beta, d_cutoff
        self.reset()

    def reset(self) -> None:
        self.freq = _DEFAULT_FREQUENCY_HZ
        self.last_t: int | None = None
        self.x: np.ndarray | None = None  # stored (filtered) value
        self.raw: np.ndarray | None = None  # last raw value
        self.dx: np.ndarray | None = None

    def apply(self, t_us: int, value: np.ndarray, value_scale: float) -> np.ndarray:
        # Whole microseconds, as mediapipe's timestamps: the rate is then the same at every step.
        if self.last_t is not None:
            if t_us <= self.last_t:
                return value
            self.freq = 1.0 / ((t_us - self.last_t) * 1e-6)
        self.last_t = t_us
        dvalue = np.zeros_like(value) if self.raw is None else (value - self.raw) * value_scale * self.freq
        a_d = _alpha(self.d_cutoff, self.freq)
        self.dx = dvalue if self.dx is None else a_d * dvalue + (1 - a_d) * self.dx
        cutoff = self.min_cutoff + self.beta * np.abs(self.dx)
        a = _alpha(cutoff, self.freq)
        self.x = value.copy() if self.x is None else a * value + (1 - a) * self.x
        self.raw = value.copy()
        return self.x.copy()


class OnlineFilter:
    """mediapipe's PoseLandmarkFiltering, frame by frame, on one graph's output (its own picture's pixels).

    ``reset`` where the graph has no state (built, reset, or no landmarks in its last frame).
    """

    def __init__(self) -> None:
        self._img = _OneEuro(*IMAGE_FILTER)
        self._world = _OneEuro(*WORLD_FILTER)
        self._vis: np.ndarray | None = None
        self._n = 0

    def reset(self) -> None:
        self._img.reset()
        self._world.reset()
        self._vis = None

    def apply(self, img: np.ndarray, world: np.ndarray, vis: np.ndarray, size_px: tuple[int, int],
              aux_xy: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(image xyz normalised, world xyz m, visibility) of one frame, filtered.

        ``aux_xy``: the model's first two auxiliary landmarks (normalised), unfiltered: mediapipe's
        object scale is the side of the square they span (AlignmentPointsRectsCalculator: centre the
        first, side twice the distance to the second). Without them, ``_object_scale``'s estimate.
        """
        self._n += 1
        t = self._n * _SIMULATED_STEP_US
        w, h = size_px
        px = img * np.array([w, h, w], dtype=np.float64)
        if aux_xy is not None:
            scale = float(2.0 * np.linalg.norm((aux_xy[1] - aux_xy[0]) * np.array([w, h], dtype=np.float64)))
        else:
            scale = _object_scale(px[:, :2])
        out_img = img.copy()
        if scale > 0:
            out_img = self._img.apply(t, px, 1.0 / scale) / np.array([w, h, w], dtype=np.float64)
        out_world = self._world.apply(t, world, 1.0)
        self._vis = vis.copy() if self._vis is None else VISIBILITY_ALPHA * vis + (1 - VISIBILITY_ALPHA) * self._vis
        return out_img, out_world, self._vis.copy()


def _object_scale(xy_px: np.ndarray) -> float:
    """Stand-in for the auxiliary landmarks' region when the graph gives none: the diameter of the circle
    round mid-hip that holds every landmark (median gap to mediapipe's output ~0.1 px on our clips;
    the landmarks' bounding box, mediapipe's older choice, ~0.4 px)."""
    centre = 0.5 * (xy_px[23] + xy_px[24])
    return float(2.0 * np.nanmax(np.linalg.norm(xy_px - centre, axis=1)))
