"""Pose: BlazePose landmarks per frame, as one typed, immutable track.

The MediaPipe model ships inside the mediapipe 0.10.21 wheel (model complexity 1,
``pose_landmark_full.tflite``), so nothing is downloaded. Models are built once
per process and kept in a small pool; a model in video (tracking) mode carries
state from frame to frame, so each clip borrows one model for itself and the
tracker is reset (two blank frames) before it is handed out again.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import IntEnum
from typing import Protocol

import numpy as np

from gait.video import Frame

log = logging.getLogger(__name__)

N_LANDMARKS = 33


class LM(IntEnum):
    """BlazePose landmark indices used here (the person's own left and right)."""

    NOSE = 0
    L_SHOULDER = 11
    R_SHOULDER = 12
    L_HIP = 23
    R_HIP = 24
    L_KNEE = 25
    R_KNEE = 26
    L_ANKLE = 27
    R_ANKLE = 28
    L_HEEL = 29
    R_HEEL = 30
    L_TOE = 31  # "foot index": the tip of the second toe region
    R_TOE = 32


@dataclass(frozen=True)
class FramePose:
    """Landmarks of one frame: image (normalised 0-1), world (metres, hip-centred), visibility."""

    image_xyz: np.ndarray  # (33, 3): x, y in 0-1 of width/height, z relative depth
    world_xyz_m: np.ndarray  # (33, 3): metres, origin between the hips, y down, z away from camera
    visibility: np.ndarray  # (33,)


class PoseEstimator(Protocol):
    """Anything that turns an RGB frame into landmarks (or None when nobody is seen)."""

    def process(self, rgb: np.ndarray) -> FramePose | None: ...

    def reset(self) -> None: ...


@dataclass(frozen=True)
class PoseTrack:
    """All frames of one clip. Missing detections are NaN, never dropped, so time stays honest."""

    time_s: np.ndarray  # (N,)
    image_xy: np.ndarray  # (N, 33, 2) normalised 0-1
    image_xy_px: np.ndarray  # (N, 33, 2) pixels of the upright analysis frame
    world_xyz_m: np.ndarray  # (N, 33, 3)
    visibility: np.ndarray  # (N, 33), 0 where no person
    frame_size_px: tuple[int, int]  # (width, height) of the analysis frame
    brightness: np.ndarray  # (N,) mean luma 0-255, for the "too dark" check

    @property
    def n_frames(self) -> int:
        return int(self.time_s.shape[0])

    @property
    def detected(self) -> np.ndarray:
        return ~np.isnan(self.image_xy[:, 0, 0])

    def mirrored(self) -> PoseTrack:
        """The same track as seen in a mirror: left and right landmarks swap and x flips."""
        perm = _mirror_permutation()
        img = self.image_xy[:, perm].copy()
        img[..., 0] = 1.0 - img[..., 0]
        px = self.image_xy_px[:, perm].copy()
        px[..., 0] = self.frame_size_px[0] - px[..., 0]
        world = self.world_xyz_m[:, perm].copy()
        world[..., 0] = -world[..., 0]
        return PoseTrack(self.time_s, img, px, world, self.visibility[:, perm], self.frame_size_px, self.brightness)


def _mirror_permutation() -> np.ndarray:
    perm = np.arange(N_LANDMARKS)
    pairs = [(1, 4), (2, 5), (3, 6), (7, 8), (9, 10), (11, 12), (13, 14), (15, 16), (17, 18), (19, 20),
             (21, 22), (23, 24), (25, 26), (27, 28), (29, 30), (31, 32)]
    for a, b in pairs:
        perm[a], perm[b] = b, a
    return perm


class MediaPipePose:
    """BlazePose (model complexity 1) in video mode from the mediapipe wheel."""

    def __init__(self) -> None:
        import mediapipe as mp  # imported here: slow, and not needed by the fake estimators in tests

        self._mp_pose = mp.solutions.pose
        self._pose = self._new()

    def _new(self):  # noqa: ANN202 - mediapipe has no type stubs
        # complexity 1 ships in the wheel; 0 and 2 would be downloaded, which we never do.
        return self._mp_pose.Pose(static_image_mode=False, model_complexity=1, smooth_landmarks=True,
                                  enable_segmentation=False, min_detection_confidence=0.5,
                                  min_tracking_confidence=0.5)

    def process(self, rgb: np.ndarray) -> FramePose | None:
        result = self._pose.process(rgb)
        if result.pose_landmarks is None or result.pose_world_landmarks is None:
            return None
        img = np.array([(p.x, p.y, p.z) for p in result.pose_landmarks.landmark], dtype=np.float64)
        vis = np.array([p.visibility for p in result.pose_landmarks.landmark], dtype=np.float64)
        world = np.array([(p.x, p.y, p.z) for p in result.pose_world_landmarks.landmark], dtype=np.float64)
        return FramePose(image_xyz=img, world_xyz_m=world, visibility=vis)

    def reset(self) -> None:
        # The legacy API has no reset. A blank frame finds nobody, which drops the tracked
        # region and the landmark smoothing, so the next clip starts from a fresh detection
        # (checked: the same clip then gives bit-identical landmarks to a new model).
        blank = np.zeros((64, 64, 3), dtype=np.uint8)
        for _ in range(2):
            self._pose.process(blank)


class EstimatorPool:
    """A bounded set of pose models built once per process and lent to one clip at a time."""

    def __init__(self, factory: Callable[[], PoseEstimator], size: int) -> None:
        self._factory = factory
        self._size = size
        self._free: queue.Queue[PoseEstimator] = queue.Queue()
        self._made = 0
        self._lock = threading.Lock()

    @contextmanager
    def borrow(self) -> Iterator[PoseEstimator]:
        estimator = self._take()
        try:
            yield estimator
        finally:
            estimator.reset()
            self._free.put(estimator)

    def _take(self) -> PoseEstimator:
        try:
            return self._free.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._made < self._size:
                self._made += 1
                return self._factory()
        return self._free.get()


_DEFAULT_POOL: EstimatorPool | None = None
_POOL_LOCK = threading.Lock()


def default_pool(size: int = 2) -> EstimatorPool:
    """The process-wide pool of MediaPipe models (created on first use)."""
    global _DEFAULT_POOL
    with _POOL_LOCK:
        if _DEFAULT_POOL is None:
            _DEFAULT_POOL = EstimatorPool(MediaPipePose, size)
        return _DEFAULT_POOL


def track_pose(frames: Iterable[Frame], estimator: PoseEstimator,
               on_frame: Callable[[Frame, FramePose | None], None] | None = None) -> PoseTrack:
    """Run the estimator over streamed frames and stack the results into a PoseTrack."""
    times: list[float] = []
    img_rows: list[np.ndarray] = []
    world_rows: list[np.ndarray] = []
    vis_rows: list[np.ndarray] = []
    bright: list[float] = []
    size_px = (0, 0)
    nan_img = np.full((N_LANDMARKS, 3), np.nan)
    for frame in frames:
        size_px = (frame.rgb.shape[1], frame.rgb.shape[0])
        pose = estimator.process(frame.rgb)
        times.append(frame.time_s)
        # Luma from a strided sample: enough for "too dark", ~100x cheaper than the full frame.
        sample = frame.rgb[::8, ::8].astype(np.float32)
        bright.append(float((sample @ np.array([0.299, 0.587, 0.114], dtype=np.float32)).mean()))
        if pose is None:
            img_rows.append(nan_img)
            world_rows.append(nan_img)
            vis_rows.append(np.zeros(N_LANDMARKS))
        else:
            img_rows.append(pose.image_xyz)
            world_rows.append(pose.world_xyz_m)
            vis_rows.append(pose.visibility)
        if on_frame is not None:
            on_frame(frame, pose)
    n = len(times)
    img = np.array(img_rows).reshape(n, N_LANDMARKS, 3)
    image_xy = img[..., :2].copy()
    px = image_xy * np.array(size_px, dtype=np.float64)
    return PoseTrack(time_s=np.array(times, dtype=np.float64), image_xy=image_xy, image_xy_px=px,
                     world_xyz_m=np.array(world_rows).reshape(n, N_LANDMARKS, 3),
                     visibility=np.array(vis_rows).reshape(n, N_LANDMARKS),
                     frame_size_px=size_px, brightness=np.array(bright))
