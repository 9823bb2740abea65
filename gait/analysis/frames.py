"""Every frame of each landing, kept small during the decode pass, for the landing viewer.

The upload is deleted after the analysis, and the steps are known only after the pass; so during
the pass every decoded frame (``iter_frames(every_frame=True)``) leaves a small JPEG crop around the
legs in a rolling store bounded in bytes (``viewer_store_max_mb``; the oldest go first). The frames
of a slow-motion clip that the pass left undecoded (non-reference frames) are decoded afterwards,
only in the landings' windows (``LegFrameStore.source``; most of the clip is never shown). Once the
steps are known the store is pruned to the windows from ``viewer_before_contact_ms`` before each
contact to its lift-off, within ``viewer_kept_max_mb`` (the typical step of each foot first), and
each kept frame gets the legs' landmarks: from the pose model on the frames it saw, interpolated in
time between them on the others. Nothing here is ever written to JSON.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import av
import numpy as np

from gait.analysis.jpeg import encode_jpeg
from gait.analysis.video import Frame, Planes, merged_windows
from gait.analysis.waistband import WaistLine, seam_segment_px, usable
from gait.errors import GaitError
from gait.names import Side
from gait.thresholds import value

log = logging.getLogger(__name__)

_LEGS = slice(23, 33)  # BlazePose hips, knees, ankles, heels, toes
_ASPECT_W_OVER_H = 0.75
_PAD = 1.52  # crop height over the legs' height (room for the waistband, the swinging foot and the foot's axis)
_BELOW = 0.06  # the crop's centre sits this share of the legs' height below their middle: 0.2 of it above
# the hips (the waistband, ~0.07 above them, whose tilt pelvic drop follows) and 0.32 below the feet
_SMOOTH = 0.5  # share of the new box per posed frame (steadies the crop against landmark jitter)
_STEP_END_S = 0.8
_LIFT_OFF_SLACK_S = 0.05  # kept frames ending this close before the lift-off still show it  # a stance with no lift-off (clip ended) is shown this long after contact


@dataclass(frozen=True)
class LegCrop:
    """One frame's crop around the legs, as JPEG, and where it sits in the analysis frame."""

    time_s: float
    jpeg: bytes
    origin_px: tuple[float, float]  # analysis-frame pixel shown at the crop's top-left corner
    scale: float  # crop pixels per analysis-frame pixel
    posed: bool  # the pose model saw this frame (else its landmarks are interpolated)


def _legs_box(image_xy: np.ndarray | None, size_px: tuple[int, int]) -> np.ndarray | None:
    """(centre x, centre y, height) in analysis pixels of a 3:4 box around the legs, or None."""
    if image_xy is None:
        return None
    pts = np.asarray(image_xy)[_LEGS, :2] * np.asarray(size_px, float)
    pts = pts[np.isfinite(pts).all(axis=1)]
    if pts.shape[0] < 4:
        return None
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    height = max((y1 - y0) * _PAD, (x1 - x0) * _PAD / _ASPECT_W_OVER_H, 16.0)
    # More room below the feet than above the hips: the foot's axis is drawn ahead of the toes.
    return np.array([(x0 + x1) / 2, (y0 + y1) / 2 + _BELOW * (y1 - y0), height])


class LegFrameStore:
    """The rolling store of leg crops, fed frame by frame during the pose pass (``see``)."""

    def __init__(self, max_bytes: float | None = None) -> None:
        self.max_bytes = int(max_bytes if max_bytes is not None else value("viewer_store_max_mb") * 1e6)
        self.out_h = int(value("viewer_crop_height_px"))
        self.out_w = int(round(self.out_h * _ASPECT_W_OVER_H))
        self.quality = int(value("viewer_jpeg_quality"))
        self.crops: deque[LegCrop] = deque()
        self.n_bytes = 0
        self.peak_bytes = 0
        self.dropped = 0  # crops dropped from the front to stay within ``max_bytes``
        self.work_s = 0.0  # CPU seconds spent cropping and compressing (this thread's; wall time lies on a busy machine)
        self._box: np.ndarray | None = None
        self._boxes: list[tuple[float, np.ndarray]] = []  # (time_s, box) of each frame handed to ``see``
        self._analysis_w = 0
        # Frames the pass did not decode, for given windows (gait.analysis.video.iter_window_planes);
        # None when it decoded every frame.
        self.source: Callable[[Iterable[tuple[float, float]]], Iterator[tuple[float, Planes]]] | None = None
        self._filled: list[tuple[float, float]] = []  # windows fill() or fill_ahead() has been through
        self._ahead: list[threading.Thread] = []
        self._ahead_results: list = []

    def see(self, frame: Frame, image_xy: np.ndarray | None) -> None:
        """Keep a crop of ``frame`` and of its in-between frames (``image_xy``: its pose, 0-1 of the picture)."""
        t0 = time.thread_time()
        h, w = frame.rgb.shape[:2]
        previous = self._box
        now = _legs_box(image_xy, (w, h))
        if now is not None:
            self._box = now if previous is None else _SMOOTH * now + (1 - _SMOOTH) * previous
        if self._box is not None:
            # In-between frames lie between the previous posed frame and this one: the mean box.
            between_box = self._box if previous is None else 0.5 * (previous + self._box)
            for time_s, planes in frame.between:
                self._keep(time_s, planes, w, between_box, posed=False)
            # The clip's own pixels when at hand, as for the in-between frames (no jump in sharpness).
            source = frame.full_rgb if frame.full_rgb is not None else frame.rgb
            self._keep(frame.time_s, source, w, self._box, posed=now is not None)
            self._boxes.append((frame.time_s, self._box))
            self._analysis_w = w
        self.work_s += time.thread_time() - t0

    def fill_ahead(self, windows_s: Sequence[tuple[float, float]]) -> None:
        """Start decoding ``windows_s`` as ``fill`` would, in the background; the next ``fill`` waits for it.

        Decoding a slow-motion clip's landings (~0.8 CPU s a 10 s clip) is the last work on a clip and
        the cores may have nothing else to do by then: started once the steps are found, it overlaps
        their measures and pictures (decoding, scaling and compressing leave the GIL), in two threads
        over the two halves of the windows (each reached by its own seek) when there is enough of them.
        """
        if self.source is None or self._ahead or not self._boxes:
            return
        windows_s = _uncovered(windows_s, self._filled)
        if not windows_s:
            return
        self._filled.extend(windows_s)
        halves = _halves(windows_s, min_s=_PARALLEL_MIN_S)
        results: list[tuple[list[LegCrop], float] | BaseException] = [([], 0.0)] * len(halves)

        def run(i: int, part: list[tuple[float, float]]) -> None:
            try:
                results[i] = self._decode_crops(part)
            except BaseException as exc:  # noqa: BLE001 - handed to the thread that waits for it
                results[i] = exc

        self._ahead = [threading.Thread(target=run, args=(i, part), name=f"viewer-fill-{i}", daemon=True)
                       for i, part in enumerate(halves)]
        self._ahead_results = results
        for thread in self._ahead:
            thread.start()

    def fill(self, windows_s: Sequence[tuple[float, float]]) -> None:
        """Add the frames of ``windows_s`` the pass left undecoded (when ``source`` is set).

        Each gets the mean box of the sampled frames either side of it, as in-between frames do in
        the pass. Beyond ``max_bytes`` the rest are left out (the steps' windows then show as cut).
        Windows an earlier ``fill`` (or ``fill_ahead``) went through are not decoded again.
        """
        if self._ahead:
            for thread in self._ahead:
                thread.join()
            self._ahead = []
            for result in self._ahead_results:
                if isinstance(result, BaseException):
                    raise result
            for crops, cpu_s in self._ahead_results:
                self._add_decoded(crops, cpu_s)
        windows_s = _uncovered(windows_s, self._filled)
        if self.source is None or not self._boxes or not windows_s:
            return
        self._filled.extend(windows_s)
        self._add_decoded(*self._decode_crops(windows_s))

    def _decode_crops(self, windows_s: Sequence[tuple[float, float]]) -> tuple[list[LegCrop], float]:
        """Crops of the frames of ``windows_s`` the store does not hold, and the CPU seconds spent.

        Reads the store's boxes and crops but changes nothing, so two can run at once.
        """
        assert self.source is not None
        t0 = time.thread_time()
        box_times = np.array([t for t, _ in self._boxes])
        have = np.array(sorted(c.time_s for c in self.crops))
        room = self.max_bytes - self.n_bytes
        out: list[LegCrop] = []
        try:
            for time_s, planes in self.source(windows_s):
                k = int(np.searchsorted(have, time_s))
                if any(abs(have[j] - time_s) < 1e-4 for j in (k - 1, k) if 0 <= j < have.size):
                    continue  # decoded in the pass
                j = int(np.searchsorted(box_times, time_s))
                if j >= box_times.size:
                    break  # after the last sampled frame: the pass would not have handed it out either
                box = self._boxes[0][1] if j == 0 else 0.5 * (self._boxes[j - 1][1] + self._boxes[j][1])
                crop = self._crop(time_s, planes, self._analysis_w, box, posed=False)
                if crop is None:
                    continue
                room -= len(crop.jpeg)
                if room < 0:
                    break
                out.append(crop)
        except (GaitError, OSError, av.error.FFmpegError) as exc:
            # The file gone or unreadable now: the viewer keeps the frames the pass gave it.
            log.info("landing frames not decoded again: %s", type(exc).__name__)
        return out, time.thread_time() - t0

    def _add_decoded(self, crops: list[LegCrop], cpu_s: float) -> None:
        """Add crops from ``_decode_crops`` in time order, within ``max_bytes`` (none dropped for them)."""
        self.work_s += cpu_s
        have = {round(c.time_s, 4) for c in self.crops}
        added = False
        for crop in sorted(crops, key=lambda c: c.time_s):
            if round(crop.time_s, 4) in have:
                continue  # the frame where two halves meet
            if not self._store(crop, drop_oldest=False):
                break
            have.add(round(crop.time_s, 4))
            added = True
        if added:
            self.crops = deque(sorted(self.crops, key=lambda c: c.time_s))

    def _keep(self, time_s: float, source: np.ndarray | Planes, analysis_w: int, box: np.ndarray,
              posed: bool) -> None:
        crop = self._crop(time_s, source, analysis_w, box, posed)
        if crop is not None:
            self._store(crop, drop_oldest=True)

    def _crop(self, time_s: float, source: np.ndarray | Planes, analysis_w: int, box: np.ndarray,
              posed: bool) -> LegCrop | None:
        """Crop ``box`` (analysis pixels) out of ``source`` (upright RGB of any size, or planes) into a JPEG."""
        import cv2

        scale = self.out_h / float(box[2])  # crop pixels per analysis pixel
        x0, y0 = float(box[0]) - 0.5 * self.out_w / scale, float(box[1]) - 0.5 * self.out_h / scale
        src_w = source.upright_size_px[0] if isinstance(source, Planes) else source.shape[1]
        k = src_w / float(analysis_w)  # source pixels per analysis pixel
        # The box in source pixels, clipped to the picture; where it leaves the picture stays black.
        bx0, by0 = int(np.floor(x0 * k)), int(np.floor(y0 * k))
        bx1, by1 = int(np.ceil((x0 + self.out_w / scale) * k)), int(np.ceil((y0 + self.out_h / scale) * k))
        if isinstance(source, Planes):
            sw, sh = source.upright_size_px
            part, (cx0, cy0) = source.crop_rgb(max(0, bx0), max(0, by0), min(sw, bx1), min(sh, by1))
        else:
            sh, sw = source.shape[:2]
            cx0, cy0 = max(0, bx0), max(0, by0)
            part = source[cy0: min(sh, by1), cx0: min(sw, bx1)]
        patch = np.zeros((self.out_h, self.out_w, 3), np.uint8)
        if part.size:
            s_out = scale / k  # output pixels per source pixel
            fx = fy = s_out
            if s_out < 0.5:
                # Shrinking a lot (4K): average first (no aliasing), then place.
                small = cv2.resize(part, (max(1, round(part.shape[1] * 2 * s_out)), max(1, round(part.shape[0] * 2 * s_out))),
                                   interpolation=cv2.INTER_AREA)
                fx, fy = s_out * part.shape[1] / small.shape[1], s_out * part.shape[0] / small.shape[0]
                part = small
            # Scaled, then pasted where source pixel (cx0, cy0) belongs; black outside the picture. (A
            # resize by factors, ~3x cheaper than warpAffine's general map: the same map but for a
            # rounding of at most half an output pixel.)
            scaled = cv2.resize(part, (0, 0), fx=fx, fy=fy, interpolation=cv2.INTER_LINEAR)
            ox = int(round((cx0 - x0 * k) * s_out + 0.5 - 0.5 * s_out))
            oy = int(round((cy0 - y0 * k) * s_out + 0.5 - 0.5 * s_out))
            dx0, dy0 = max(0, ox), max(0, oy)
            dx1, dy1 = min(self.out_w, ox + scaled.shape[1]), min(self.out_h, oy + scaled.shape[0])
            if dx1 > dx0 and dy1 > dy0:
                patch[dy0:dy1, dx0:dx1] = scaled[dy0 - oy: dy1 - oy, dx0 - ox: dx1 - ox]
        jpeg = encode_jpeg(patch, self.quality)
        return LegCrop(time_s, jpeg, (x0, y0), scale, posed) if jpeg else None

    def _store(self, crop: LegCrop, drop_oldest: bool) -> bool:
        """Add ``crop``; beyond ``max_bytes`` drop the oldest, or (``drop_oldest`` False) refuse it."""
        if not drop_oldest and self.n_bytes + len(crop.jpeg) > self.max_bytes:
            return False
        self.crops.append(crop)
        self.n_bytes += len(crop.jpeg)
        while self.n_bytes > self.max_bytes and len(self.crops) > 1:
            self.n_bytes -= len(self.crops.popleft().jpeg)
            self.dropped += 1
        self.peak_bytes = max(self.peak_bytes, self.n_bytes)
        return True


_PARALLEL_MIN_S = 0.8  # windows shorter than this in all are decoded by one thread (a seek and a start each)


def _halves(windows_s: Sequence[tuple[float, float]], min_s: float) -> list[list[tuple[float, float]]]:
    """Windows merged where they overlap, then cut at half their total length into two time-ordered
    groups (one group when they last less than ``min_s`` in all)."""
    merged = merged_windows(windows_s)
    total = sum(hi - lo for lo, hi in merged)
    if total < min_s or not merged:
        return [merged] if merged else []
    first: list[tuple[float, float]] = []
    second: list[tuple[float, float]] = []
    left = total / 2.0
    for lo, hi in merged:
        if left <= 0:
            second.append((lo, hi))
        elif hi - lo <= left:
            first.append((lo, hi))
            left -= hi - lo
        else:
            first.append((lo, lo + left))
            second.append((lo + left, hi))
            left = 0.0
    return [first, second]


def _uncovered(windows_s: Sequence[tuple[float, float]], covered_s: Sequence[tuple[float, float]]
               ) -> list[tuple[float, float]]:
    """The parts of ``windows_s`` outside every window of ``covered_s`` (pieces shorter than 0.1 ms dropped)."""
    out = []
    for lo, hi in windows_s:
        pieces = [(lo, hi)]
        for c_lo, c_hi in covered_s:
            pieces = [part for p_lo, p_hi in pieces
                      for part in ((p_lo, min(p_hi, c_lo)), (max(p_lo, c_hi), p_hi)) if part[1] - part[0] > 1e-4]
        out.extend(pieces)
    return out


# --- after the pass: the windows around the contacts ----------------------------------------------


@dataclass(frozen=True)
class ViewFrame:
    """One kept frame: its crop and the legs' landmarks on it."""

    time_s: float
    jpeg: bytes
    landmarks_px: np.ndarray  # (33, 2) float32 in crop pixels; NaN where unknown
    posed: bool
    # the waistband seam found in this frame (two ends, crop pixels), where pelvic drop was measured from it
    waist_px: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class LandingStep:
    """One step in the viewer: its window of frames (indices into ``LandingFrames.frames``, inclusive)."""

    foot: Side
    contact_s: float
    toe_off_s: float | None
    first_idx: int
    last_idx: int
    contact_idx: int  # the frame nearest the contact
    toe_off_idx: int | None  # the frame nearest the lift-off (None: the clip ended first)
    foot_angle_deg: float  # NaN = not measured
    typical: bool  # the typical step of its foot (the one nearest the foot's median angle)

    @property
    def n_frames(self) -> int:
        return self.last_idx - self.first_idx + 1


@dataclass(frozen=True)
class LandingFrames:
    """What the viewer shows of one clip: kept frames in time order and the steps over them."""

    frames: tuple[ViewFrame, ...]
    steps: tuple[LandingStep, ...]  # in time order
    frame_rate_hz: float  # the clip's own rate over the kept frames
    crop_size_px: tuple[int, int]  # (width, height)
    n_bytes: int  # JPEG bytes kept
    store_peak_bytes: int  # most JPEG bytes held during the pass
    steps_left_out: int  # measured steps without frames (over the byte budget or dropped by the rolling store)

    def typical(self, foot: Side) -> LandingStep | None:
        return next((s for s in self.steps if s.foot is foot and s.typical), None)

    def to_dict(self) -> dict[str, object]:
        """A small summary for the results JSON (the frames themselves never go there)."""
        return {"steps": len(self.steps), "frames": len(self.frames), "frame_rate_hz": round(self.frame_rate_hz, 1),
                "kept_kb": round(self.n_bytes / 1000), "steps_left_out": self.steps_left_out,
                "typical_contact_s": {s.foot.value: round(s.contact_s, 3) for s in self.steps if s.typical}}


def typical_steps(steps: Sequence, medians_deg: dict[Side, float]) -> dict[Side, int]:
    """Per foot, the index in ``steps`` of its typical step: nearest the foot's median angle, else its middle step."""
    out: dict[Side, int] = {}
    for side in Side:
        mine = [i for i, m in enumerate(steps) if m.stance.foot is side]
        if not mine:
            continue
        median = medians_deg.get(side, float("nan"))
        measured = [i for i in mine if math.isfinite(steps[i].foot_angle_deg)]
        if measured and math.isfinite(median):
            out[side] = min(measured, key=lambda i: abs(steps[i].foot_angle_deg - median))
        else:
            out[side] = mine[len(mine) // 2]
    return out


def landing_windows(stances: Sequence) -> list[tuple[float, float]]:
    """(start s, end s) shown of each stance (``gait.analysis.events.Stance``): a little before contact to lift-off."""
    before_s = value("viewer_before_contact_ms") / 1000.0
    return [(s.contact_s - before_s, _window_end_s(s)) for s in stances]


def _window_end_s(stance) -> float:  # noqa: ANN001 - gait.analysis.events.Stance
    return stance.toe_off_s if stance.toe_off_s is not None else stance.contact_s + _STEP_END_S


def _landmarks_at(times_s: np.ndarray, grid_s: np.ndarray, image_px: np.ndarray) -> np.ndarray:
    """Landmarks (len(times), 33, 2) linearly interpolated in time; NaN outside the grid or next to a gap."""
    out = np.full((times_s.size, image_px.shape[1], 2), np.nan)
    if grid_s.size < 2:
        return out
    j = np.clip(np.searchsorted(grid_s, times_s) - 1, 0, grid_s.size - 2)
    u = ((times_s - grid_s[j]) / (grid_s[j + 1] - grid_s[j]))[:, None, None]
    inside = (times_s >= grid_s[0] - 1e-6) & (times_s <= grid_s[-1] + 1e-6)
    out[inside] = ((1 - u) * image_px[j] + u * image_px[j + 1])[inside]
    return out


def landing_frames(store: LegFrameStore, grid_s: np.ndarray, image_px: np.ndarray, steps: Sequence,
                   medians_deg: dict[Side, float], max_bytes: float | None = None,
                   waist: Sequence[WaistLine] = ()) -> LandingFrames | None:
    """Prune the store to the steps' windows and attach landmarks. None when no step has frames.

    Parameters
    ----------
    store : the crops of the pass.
    grid_s, image_px : the cleaned track's times (N,) and landmarks (N, 33, 2) in analysis pixels.
    steps : the measured steps (``StepMeasures``) in time order.
    medians_deg : each foot's median angle, to pick its typical step.
    max_bytes : kept bytes at most (default ``viewer_kept_max_mb``); the typical steps come first.
    waist : the waistband seams found in the pass (``gait.analysis.waistband``), drawn on the frames that
        have one, when pelvic drop was measured from them (else give none).
    """
    max_bytes = int(max_bytes if max_bytes is not None else value("viewer_kept_max_mb") * 1e6)
    if not store.crops or not steps:
        return None
    before_s = value("viewer_before_contact_ms") / 1000.0
    store.fill(landing_windows([m.stance for m in steps]))
    crops = list(store.crops)
    times = np.array([c.time_s for c in crops])
    typical = typical_steps(steps, medians_deg)
    eps_s = 1e-4
    windows: dict[int, tuple[int, int]] = {}
    for i, m in enumerate(steps):
        end_s = _window_end_s(m.stance)
        lo = int(np.searchsorted(times, m.stance.contact_s - before_s - eps_s))
        hi = int(np.searchsorted(times, end_s + eps_s)) - 1
        # A window the rolling store cut into (its start dropped, or the clip ended) is not shown.
        if hi - lo < 1 or times[lo] > m.stance.contact_s + eps_s:
            continue
        windows[i] = (lo, hi)
    order = [typical[s] for s in Side if typical.get(s) in windows]
    order += [i for i in windows if i not in order]
    kept: set[int] = set()
    chosen: list[int] = []
    n_bytes = 0
    for i in order:
        lo, hi = windows[i]
        new = [k for k in range(lo, hi + 1) if k not in kept]
        extra = sum(len(crops[k].jpeg) for k in new)
        if n_bytes + extra > max_bytes:
            continue
        kept.update(new)
        n_bytes += extra
        chosen.append(i)
    if not chosen:
        return None
    keep_idx = sorted(kept)
    position = {k: p for p, k in enumerate(keep_idx)}
    kept_times = times[keep_idx]
    marks = _landmarks_at(kept_times, np.asarray(grid_s, float), np.asarray(image_px, float))
    frames = []
    seams = {round(ln.time_s, 4): ln for ln in waist if usable(ln)}
    for p, k in enumerate(keep_idx):
        c = crops[k]
        pts = (marks[p] - np.array(c.origin_px)) * c.scale
        line = seams.get(round(c.time_s, 4)) if c.posed else None  # found on the frames the model saw
        ends = seam_segment_px(line, pts[23], pts[24]) if line is not None else None
        frames.append(ViewFrame(c.time_s, c.jpeg, pts.astype(np.float32), c.posed, tuple(ends) if ends else ()))
    out_steps = []
    for i in sorted(chosen, key=lambda i: steps[i].stance.contact_s):
        m, (lo, hi) = steps[i], windows[i]
        first, last = position[lo], position[hi]
        span = kept_times[first:last + 1]
        contact = first + int(np.argmin(np.abs(span - m.stance.contact_s)))
        # The lift-off frame: the nearest one, unless the kept frames stop short of it (the clip ended).
        toe_off = (first + int(np.argmin(np.abs(span - m.stance.toe_off_s)))
                   if m.stance.toe_off_s is not None and m.stance.toe_off_s - span[-1] < _LIFT_OFF_SLACK_S else None)
        out_steps.append(LandingStep(m.stance.foot, m.stance.contact_s, m.stance.toe_off_s, first, last, contact,
                                     toe_off, float(m.foot_angle_deg), typical.get(m.stance.foot) == i))
    gaps = np.diff(kept_times)  # within the windows: the clip's own rate, also where the pass sampled
    rate_hz = float(1.0 / np.median(gaps[gaps > 0])) if np.any(gaps > 0) else 0.0
    return LandingFrames(frames=tuple(frames), steps=tuple(out_steps), frame_rate_hz=rate_hz,
                         crop_size_px=(store.out_w, store.out_h), n_bytes=n_bytes, store_peak_bytes=store.peak_bytes,
                         steps_left_out=len(steps) - len(chosen))
