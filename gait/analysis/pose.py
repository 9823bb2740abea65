"""Pose: BlazePose landmarks per frame, as one typed, immutable track.

The MediaPipe model ships inside the mediapipe 0.10.21 wheel (model complexity 1,
``pose_landmark_full.tflite``), so nothing is downloaded. Models are built once
per process and kept in a small pool; a model in video (tracking) mode carries
state from frame to frame, so each clip borrows one model for itself and the
model's graph is rebuilt (``reset``) before it is handed out again.
"""

from __future__ import annotations

import functools
import logging
import queue
import threading
import types
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Protocol

import numpy as np

from gait.analysis.video import Frame

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
    # The model had no state from earlier frames (just built or reset, or found nobody last time):
    # a landmark filter restarts here, as mediapipe's own does (gait.analysis.landmark_filter).
    fresh: bool = False
    unfiltered: FramePose | None = None  # the model's own landmarks, before our filter (when one ran)


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
    # The same frames before our landmark filter (gait.analysis.landmark_filter), when one was applied:
    # the front- and rear-view measures read these (gait.analysis.frontal).
    unfiltered: PoseTrack | None = None
    fresh: np.ndarray | None = None  # (N,) bool: see FramePose.fresh; None = not recorded

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
        return replace(self, image_xy=img, image_xy_px=px, world_xyz_m=world, visibility=self.visibility[:, perm],
                       unfiltered=None if self.unfiltered is None else self.unfiltered.mirrored())


def _mirror_permutation() -> np.ndarray:
    perm = np.arange(N_LANDMARKS)
    pairs = [(1, 4), (2, 5), (3, 6), (7, 8), (9, 10), (11, 12), (13, 14), (15, 16), (17, 18), (19, 20),
             (21, 22), (23, 24), (25, 26), (27, 28), (29, 30), (31, 32)]
    for a, b in pairs:
        perm[a], perm[b] = b, a
    return perm


class MediaPipePose:
    """BlazePose (model complexity 1) in video mode from the mediapipe wheel."""

    def __init__(self, own_filter: bool = True) -> None:
        from gait.analysis.landmark_filter import OnlineFilter

        self._pose_class = _one_thread_pose_class()
        # mediapipe's landmark smoothing is off in the graph and done here instead, so the unfiltered
        # landmarks are kept too (gait.analysis.landmark_filter).
        self._filter = OnlineFilter() if own_filter else None
        self._pose = self._new()
        self._dirty = False  # landmarks given since the graph was built: only then has it state to lose
        self._fresh = True  # no landmarks from earlier frames in the graph's (tracking, filter) state

    def _new(self):  # noqa: ANN202 - mediapipe has no type stubs
        # complexity 1 ships in the wheel; 0 and 2 would be downloaded, which we never do.
        return self._pose_class(static_image_mode=False, model_complexity=1, smooth_landmarks=False,
                                enable_segmentation=False, min_detection_confidence=0.5,
                                min_tracking_confidence=0.5)

    def process(self, rgb: np.ndarray) -> FramePose | None:
        result = self._pose.process(rgb)
        fresh = self._fresh
        if result.pose_landmarks is None or result.pose_world_landmarks is None:
            self._fresh = True  # mediapipe's filters reset on a frame without landmarks
            return None
        self._dirty = True
        self._fresh = False
        img = np.array([(p.x, p.y, p.z) for p in result.pose_landmarks.landmark], dtype=np.float64)
        vis = np.array([p.visibility for p in result.pose_landmarks.landmark], dtype=np.float64)
        world = np.array([(p.x, p.y, p.z) for p in result.pose_world_landmarks.landmark], dtype=np.float64)
        raw = FramePose(image_xyz=img, world_xyz_m=world, visibility=vis, fresh=fresh)
        if self._filter is None:
            return raw
        if fresh:
            self._filter.reset()
        aux = getattr(result, _AUX_STREAM, None)
        aux_xy = (np.array([(p.x, p.y) for p in aux.landmark[:2]], dtype=np.float64)
                  if aux is not None and len(aux.landmark) >= 2 else None)
        f_img, f_world, f_vis = self._filter.apply(img, world, vis, (rgb.shape[1], rgb.shape[0]), aux_xy)
        return FramePose(image_xyz=f_img, world_xyz_m=f_world, visibility=f_vis, fresh=fresh, unfiltered=raw)

    def reset(self) -> None:
        # The legacy API has no reset. With the graph's own smoothing off (smooth_landmarks=False), the
        # only state it keeps from frame to frame is the tracked region (and the region's own smoothing,
        # which restarts on a frame without landmarks): one small blank frame, where nobody is found,
        # clears both, and the next frames give exactly a fresh graph's landmarks (bit-identical, tested
        # on 6 clips with the person finder's resets). Our filter restarts with it (``fresh``). A blank
        # frame costs one detection on a tiny picture, instead of a new graph (~10 ms) and its first
        # frame (~50 ms more). A graph that has found nobody since its last reset has no state to lose.
        if not self._dirty:
            return
        self._pose.process(_BLANK)
        self._dirty = False
        self._fresh = True


_BLANK = np.zeros((64, 64, 3), dtype=np.uint8)
_AUX_STREAM = "unfiltered_auxiliary_landmarks"


@functools.cache
def _one_thread_pose_class() -> type:
    """mediapipe's Pose with its graph run by one thread instead of one per core.

    A second thread lets the graph's steps overlap a little (a lone clip on an idle machine ends
    ~0.3 s sooner), but with a clip per core it only adds hand-overs between threads: ~0.9 CPU s less
    on gait.bench's three clips at once. Same model and calculators: the landmarks are bit-identical.
    """
    import mediapipe as mp  # imported here: slow, and not needed by the fake estimators in tests
    from mediapipe.framework import thread_pool_executor_pb2

    class OneThreadPose(mp.solutions.pose.Pose):
        def _initialize_graph_interface(self, validated_graph, side_inputs=None, outputs=None,  # noqa: ANN001, ANN202
                                        stream_type_hints=None):
            # The model's auxiliary landmarks before the graph's filter: they give the object scale
            # mediapipe's landmark smoothing uses (gait.analysis.landmark_filter). Observing a stream
            # changes nothing in the graph.
            outputs = [*outputs, _AUX_STREAM] if outputs else outputs
            config = super()._initialize_graph_interface(validated_graph, side_inputs, outputs, stream_type_hints)
            default = [e for e in config.executor if not e.name]
            if default:
                default[0].options.Extensions[thread_pool_executor_pb2.ThreadPoolExecutorOptions.ext].num_threads = 1
            else:
                config.num_threads = 1
            return config

        def process(self, image: np.ndarray) -> types.SimpleNamespace:  # type: ignore[override]
            # SolutionBase.process with the same packets and timestamps, less its per-frame overhead:
            # it builds a new namedtuple class for every frame (~0.4 ms, ~0.12 CPU s a 10 s clip), and
            # Pose.process then clears each landmark's unused 'presence'. The outputs are the same.
            self._graph_outputs.clear()
            self._simulated_timestamp += 33333
            (stream, kind), = self._input_stream_type_info.items()
            if image.ndim != 3 or image.shape[2] != 3:
                raise ValueError("Input image must contain three channel rgb data.")
            self._graph.add_packet_to_input_stream(
                stream=stream, packet=self._make_packet(kind, image).at(self._simulated_timestamp))
            self._graph.wait_until_idle()
            return types.SimpleNamespace(**{
                name: (self._get_packet_content(kind_out, self._graph_outputs[name])
                       if name in self._graph_outputs else None)
                for name, kind_out in self._output_stream_type_info.items()})

    return OneThreadPose


_BODY_CORE = (LM.L_SHOULDER, LM.R_SHOULDER, LM.L_HIP, LM.R_HIP, LM.L_KNEE, LM.R_KNEE)


class PersonFinder:
    """Finds a small, far-away person and keeps the pose model's view on them.

    BlazePose's detector looks at the whole picture shrunk to 224 px, so a person who is
    less than about a fifth of the picture's height (10 m from a phone at knee height,
    where the guide's walk starts) is often not found at all, whatever the resolution.
    When nothing is found we look again in square windows around where a person walking
    at the phone appears (the middle band), one window per frame; once found, the model
    keeps a window about twice the person's height around them, moved and resized (with
    the model reset, so its tracking restarts in the new window) only when they near its
    edge or outgrow it. Landmarks are handed back in whole-picture coordinates.
    """

    _SEARCH_SIDE_FRACS = (0.45, 0.7)  # window side / the picture's shorter side
    _SEARCH_CENTRES = ((0.5, 0.4), (0.5, 0.55), (0.3, 0.45), (0.7, 0.45), (0.5, 0.25), (0.5, 0.7))
    _WINDOW_PER_HEIGHT = 2.0  # window side / person's height
    _REFIT_TOO_BIG = 0.75  # person taller than this share of the window: grow it
    _REFIT_TOO_SMALL = 0.3  # person shorter than this share: shrink it
    _EDGE_MARGIN = 0.08  # person this close to the window's edge: move it

    def __init__(self, inner: PoseEstimator) -> None:
        self._inner = inner
        self._window: tuple[int, int, int] | None = None  # (x0, y0, side) in pixels; None = whole picture
        self._search_idx = 0
        self._found_once = False

    def reset(self) -> None:
        self._inner.reset()
        self._window = None
        self._search_idx = 0
        self._found_once = False

    def process(self, rgb: np.ndarray) -> FramePose | None:
        h, w = rgb.shape[:2]
        pose = self._in_window(rgb, self._window)
        if pose is None and self._window is not None:
            # Lost in the window: the whole picture next, as at the start.
            self._switch(None)
            pose = self._in_window(rgb, None)
        if pose is None or not self._credible(pose):
            # Nobody, or a pose the model itself barely believes (its view locked on a far person
            # too small to see): look in a window; the weak pose stays if nothing better is found.
            weak = pose
            window = self._next_search_window(w, h)
            self._switch(window)
            pose = self._in_window(rgb, window)
            if pose is None or not self._credible(pose):
                self._switch(None)
                if weak is None:
                    return None
                pose = weak
        self._found_once = True
        self._refit(pose, w, h)
        return pose

    @staticmethod
    def _credible(pose: FramePose) -> bool:
        """The model's own visibility of shoulders, hips and knees is mostly high (a body it sees)."""
        return bool(np.median(pose.visibility[list(_BODY_CORE)]) >= 0.5)

    def _switch(self, window: tuple[int, int, int] | None) -> None:
        if window != self._window:
            self._inner.reset()
            self._window = window

    def _in_window(self, rgb: np.ndarray, window: tuple[int, int, int] | None) -> FramePose | None:
        if window is None:
            return self._inner.process(rgb)
        h, w = rgb.shape[:2]
        x0, y0, side = window
        crop = np.ascontiguousarray(rgb[y0:y0 + side, x0:x0 + side])
        found = self._inner.process(crop)
        if found is None:
            return None
        cw, ch = crop.shape[1], crop.shape[0]

        def whole(pose: FramePose | None) -> FramePose | None:
            if pose is None:
                return None
            img = pose.image_xyz.copy()
            img[:, 0] = (x0 + img[:, 0] * cw) / w
            img[:, 1] = (y0 + img[:, 1] * ch) / h
            img[:, 2] = img[:, 2] * cw / w  # z is in units of the image width
            return FramePose(image_xyz=img, world_xyz_m=pose.world_xyz_m, visibility=pose.visibility,
                             fresh=pose.fresh, unfiltered=whole(pose.unfiltered))

        return whole(found)

    def _next_search_window(self, w: int, h: int) -> tuple[int, int, int]:
        combos = [(f, c) for f in self._SEARCH_SIDE_FRACS for c in self._SEARCH_CENTRES]
        frac, (cx, cy) = combos[self._search_idx % len(combos)]
        self._search_idx += 1
        side = int(frac * min(w, h))
        return self._clamped(cx * w, cy * h, side, w, h)

    @staticmethod
    def _clamped(cx: float, cy: float, side: int, w: int, h: int) -> tuple[int, int, int]:
        side = int(min(side, w, h))
        x0 = int(np.clip(cx - side / 2, 0, w - side))
        y0 = int(np.clip(cy - side / 2, 0, h - side))
        return x0, y0, side

    def _refit(self, pose: FramePose, w: int, h: int) -> None:
        xy = pose.image_xyz[:, :2] * np.array([w, h])
        seen = pose.visibility >= 0.3
        if seen.sum() < 8:
            return
        (x_lo, y_lo), (x_hi, y_hi) = xy[seen].min(axis=0), xy[seen].max(axis=0)
        height = max(y_hi - y_lo, x_hi - x_lo, 1.0)
        want = int(self._WINDOW_PER_HEIGHT * height)
        if want >= min(w, h):
            if self._window is not None:
                self._switch(None)  # big enough for the whole picture
            return
        if self._window is None:
            if height < 0.35 * h:
                self._switch(self._clamped((x_lo + x_hi) / 2, (y_lo + y_hi) / 2, want, w, h))
            return
        x0, y0, side = self._window
        margin = self._EDGE_MARGIN * side
        near_edge = (x_lo < x0 + margin or y_lo < y0 + margin or x_hi > x0 + side - margin
                     or y_hi > y0 + side - margin)
        share = height / side
        if near_edge or share > self._REFIT_TOO_BIG or share < self._REFIT_TOO_SMALL:
            self._switch(self._clamped((x_lo + x_hi) / 2, (y_lo + y_hi) / 2, want, w, h))


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
    unf_rows: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # the model's own landmarks, when filtered here
    fresh: list[bool] = []
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
            fresh.append(True)
            unf_rows.append((nan_img, nan_img, np.zeros(N_LANDMARKS)))
        else:
            fresh.append(pose.fresh)
            own = pose.unfiltered or pose
            unf_rows.append((own.image_xyz, own.world_xyz_m, own.visibility))
            img_rows.append(pose.image_xyz)
            world_rows.append(pose.world_xyz_m)
            vis_rows.append(pose.visibility)
        if on_frame is not None:
            on_frame(frame, pose)
    n = len(times)
    t = np.array(times, dtype=np.float64)

    def stacked(imgs: list[np.ndarray], worlds: list[np.ndarray], viss: list[np.ndarray],
                unfiltered: PoseTrack | None) -> PoseTrack:
        image_xy = np.array(imgs).reshape(n, N_LANDMARKS, 3)[..., :2].copy()
        px = image_xy * np.array(size_px, dtype=np.float64)
        return PoseTrack(time_s=t, image_xy=image_xy, image_xy_px=px,
                         world_xyz_m=np.array(worlds).reshape(n, N_LANDMARKS, 3),
                         visibility=np.array(viss).reshape(n, N_LANDMARKS), frame_size_px=size_px,
                         brightness=np.array(bright), unfiltered=unfiltered, fresh=np.array(fresh, dtype=bool))

    filtered_here = any(r[0] is not s for r, s in zip(unf_rows, img_rows))
    unfiltered = (stacked([r[0] for r in unf_rows], [r[1] for r in unf_rows], [r[2] for r in unf_rows], None)
                  if filtered_here else None)
    return stacked(img_rows, world_rows, vis_rows, unfiltered)


# --- checks on the picture that need the pose model -------------------------------------------

# Heuristics, unvalidated (chosen on the socks clip turned and doubled; see tests/test_bad_inputs.py):
_AXIS_MIN_DETECTIONS = 8  # frames with a person before the body's axis is judged
_AXIS_TURNED_DEG = 60.0  # hips more than this off "below the shoulders" = the picture is turned
_SECOND_PERSON_MIN_VISIBILITY = 0.6  # mean visibility of shoulders, hips and knees of a second find
_SECOND_PERSON_MIN_HEIGHT_FRAC = 0.2  # a second find must be at least this tall (0-1 of the frame)
_MASK_MARGIN_FRAC = 0.15  # share of the person's height masked around their landmarks
_TRUNK = (LM.L_SHOULDER, LM.R_SHOULDER, LM.L_HIP, LM.R_HIP, LM.L_KNEE, LM.R_KNEE)


def body_axis_deg(pose: FramePose, size_px: tuple[int, int]) -> float | None:
    """Direction from mid-shoulders to mid-hips in the picture: 0 = hips straight below, +90 = to the right.

    None when shoulders or hips are not clearly seen.
    """
    idx = [LM.L_SHOULDER, LM.R_SHOULDER, LM.L_HIP, LM.R_HIP]
    if np.min(pose.visibility[idx]) < 0.5:
        return None
    xy = pose.image_xyz[idx, :2] * np.array(size_px, dtype=np.float64)
    dx, dy = (xy[2] + xy[3]) / 2 - (xy[0] + xy[1]) / 2
    return float(np.degrees(np.arctan2(dx, dy)))


class Turned(Exception):
    """Raised part-way through a clip whose picture is turned: ``extra_deg`` turns it upright."""

    def __init__(self, extra_deg: int) -> None:
        super().__init__(f"picture turned; turn by {extra_deg} deg")
        self.extra_deg = extra_deg


class OrientationWatch:
    """Watches the first frames with a person; raises ``Turned`` if the person is sideways or upside down.

    A phone held upside down or sideways without a rotation tag gives a turned picture;
    BlazePose still finds the person there, so the body's axis tells how to turn it back.
    """

    def __init__(self) -> None:
        self._angles_deg: list[float] = []
        self.done = False

    def see(self, frame: Frame, pose: FramePose | None) -> None:
        if self.done or pose is None:
            return
        angle = body_axis_deg(pose, (frame.rgb.shape[1], frame.rgb.shape[0]))
        if angle is None:
            return
        self._angles_deg.append(angle)
        if len(self._angles_deg) < _AXIS_MIN_DETECTIONS:
            return
        self.done = True
        # Median of unit vectors' angle: robust to a few odd frames and to the +-180 wrap.
        rad = np.radians(self._angles_deg)
        typical = float(np.degrees(np.arctan2(np.median(np.sin(rad)), np.median(np.cos(rad)))))
        if abs(typical) > _AXIS_TURNED_DEG:
            # Hips at +90 (to the right) means the picture was turned a quarter counter-clockwise.
            raise Turned(int(-round(typical / 90.0) * 90) % 360)


def _masked(rgb: np.ndarray, pose: FramePose) -> np.ndarray:
    """The frame with the found person painted over in the frame's mean colour."""
    h, w = rgb.shape[:2]
    xy = pose.image_xyz[:, :2] * np.array([w, h])
    xy = xy[np.all(np.isfinite(xy), axis=1)]
    x0, y0 = xy.min(axis=0)
    x1, y1 = xy.max(axis=0)
    margin = _MASK_MARGIN_FRAC * (y1 - y0) + 0.02 * h
    x0, x1 = int(max(0, x0 - margin)), int(min(w, x1 + margin))
    y0, y1 = int(max(0, y0 - 2 * margin)), int(min(h, y1 + margin))  # head top sits above the eyes
    out = rgb.copy()
    out[y0:y1, x0:x1] = rgb.reshape(-1, 3).mean(axis=0).astype(np.uint8)
    return out


def second_person_frames(samples: Sequence[tuple[Frame, FramePose]], estimator: PoseEstimator,
                         enough: int | None = None) -> int:
    """In how many sample frames a second, clearly seen person stands beside the one we tracked.

    The tracked person is painted over and the model looks again from a fresh start. Costs one
    detection per sample (~50 ms); stops as soon as the count reaches ``enough`` or can no longer
    reach it. The estimator's tracking state is reset before and after.
    """
    enough = len(samples) if enough is None else enough
    found = 0
    for i, (frame, pose) in enumerate(samples):
        if found >= enough or found + len(samples) - i < enough:
            break
        estimator.reset()
        other = estimator.process(_masked(frame.rgb, pose))
        if other is None:
            continue
        ys = other.image_xyz[:, 1]
        tall = float(np.nanmax(ys) - np.nanmin(ys)) >= _SECOND_PERSON_MIN_HEIGHT_FRAC
        if tall and float(np.mean(other.visibility[list(_TRUNK)])) >= _SECOND_PERSON_MIN_VISIBILITY:
            found += 1
    estimator.reset()
    return found
