"""The one call the app makes: ``analyze(path, speed, progress=...)`` -> ``Analysis``.

video -> pose -> signal clean-up -> steps -> measures -> findings (-> pictures)
"""

from __future__ import annotations

import functools
import logging
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from gait.output import draw
from gait.output.draw_frontal import frontal_pictures
from gait.errors import AnalysisError
from gait.analysis.events import (Cadence, Stance, Travel, all_stances, cadence_from_contacts, cadence_from_hip_rhythm,
                                  cadence_from_leg_rhythm, running_steps_from_trunk, steady_stretch)
from gait.analysis.filming import fewer_steps_problem, there_and_back_problem
from gait.analysis.scene import phone_moved
from gait.analysis.foot_angle import FootPixels
from gait.analysis.frames import LandingFrames, LegFrameStore, landing_frames, landing_windows
from gait.analysis.frontal import Frontal, frontal_of_clip
from gait.analysis.findings import (Finding, FootSummary, cadence_finding, credible, foot_findings, frontal_findings,
                           left_right_finding, step_angle_confidence, step_landing, summarise_foot,
                           unclear_below_floor)
from gait.analysis.identity import consistent_sides
from gait.analysis.measures import StepMeasures, measure_steps
from gait.names import LEG, Side, Speed
from gait.analysis.pose import (FramePose, OrientationWatch, PersonFinder, PoseEstimator, PoseTrack, Turned, default_pool,
                       second_person_frames, track_pose)
from gait.analysis.quality import Problem, Quality, assess, with_steps
from gait.analysis.signal import CleanTrack, clean
from gait.analysis.sound import LandingSound, with_sound
from gait.thresholds import value
from gait.analysis.video import (DecodeSettings, DecodeStats, DecodeTimer, Frame, VideoInfo, iter_frames,
                                iter_window_planes, prefetched, probe, turned)

log = logging.getLogger(__name__)


def _one_opencv_thread() -> None:
    # A clip's work runs on one core beside the other clips', as the pose graph's does
    # (gait.analysis.pose._one_thread_pose_class): OpenCV's own thread pool only adds hand-overs for our
    # small crops and pictures (~3 % less CPU over gait.bench's three clips, 3 runs each way).
    import cv2

    cv2.setNumThreads(1)


_one_opencv_thread()

SCHEMA_VERSION = 1
Progress = Callable[[str, float], None]

STAGES = ("Reading the video", "Finding your joints", "Finding your steps", "Measuring each step", "Drawing")
#: Rough share of the whole analysis per stage (finding the joints is most of it), so one progress bar
#: can move forward through all stages instead of restarting at 0 % for each.
STAGE_SHARES = (0.02, 0.86, 0.04, 0.05, 0.03)


def overall_progress(stage: str, fraction: float) -> float:
    """0-1 over the whole analysis from a stage name and the fraction of that stage done."""
    if stage not in STAGES:
        return float(min(1.0, max(0.0, fraction)))
    i = STAGES.index(stage)
    return float(min(1.0, sum(STAGE_SHARES[:i]) + STAGE_SHARES[i] * min(1.0, max(0.0, fraction))))


@dataclass(frozen=True)
class Analysis:
    """Everything one clip gave. ``to_dict`` is the documented JSON."""

    speed: Speed
    video: VideoInfo
    quality: Quality
    steps: tuple[StepMeasures, ...]
    feet: dict[Side, FootSummary]
    cadence: Cadence | None
    findings: tuple[Finding, ...]
    pictures: dict[Side, bytes] = field(default_factory=dict)  # PNG of a typical landing per foot
    strip: tuple[tuple[Side, float, bytes], ...] = ()  # (foot, contact_s, PNG) per step
    timing: dict[str, float] = field(default_factory=dict)  # seconds per stage
    contacts: tuple[Stance, ...] = ()  # every stance found, also in clips refused for findings
    steady_span_s: tuple[float, float] | None = None  # first and last contact of the steady walk measured
    viewer: LandingFrames | None = None  # every frame of each measured landing, small (gait.analysis.frames)
    frontal: Frontal | None = None  # knee valgus, pelvic drop, step width (front), rearfoot eversion (walk back)
    sound: LandingSound | None = None  # how loud each landing is, or why we could not hear it (analysis.sound)

    @property
    def running(self) -> bool:
        return self.speed.is_running

    def to_dict(self) -> dict[str, object]:
        from gait.output.results import analysis_to_dict  # local: results imports this module's types

        return analysis_to_dict(self)


def _report(progress: Progress | None, stage: str, fraction: float) -> None:
    if progress is not None:
        progress(stage, float(min(1.0, max(0.0, fraction))))


def analyze(path: str | os.PathLike[str], speed: Speed | str, progress: Progress | None = None,
            estimator: PoseEstimator | None = None, keep_pictures: bool = True,
            settings: DecodeSettings | None = None,
            pose_cache_dir: str | os.PathLike[str] | None = None) -> Analysis:
    """Analyse one clip of a person walking or running toward the phone.

    Parameters
    ----------
    path : file to read (any container/codec FFmpeg decodes).
    speed : which take this is (walk, fast_walk, run); sets running-specific thresholds.
    progress : called with (stage name, fraction 0-1) as the work advances.
    estimator : pose model to use; by default one is borrowed from the process-wide pool.
    settings : frame size, sampling rate and read-ahead (default: the app's; see ``DecodeSettings``).
    pose_cache_dir : keep each clip's pose track here and reuse it (``gait.validate``, developers only;
        the app never stores anything). Used only with ``keep_pictures=False``.

    Raises
    ------
    VideoError, AnalysisError (both ``GaitError``) with a user message and a fix.
    """
    import time

    speed = Speed(speed)
    settings = settings or DecodeSettings()
    timing: dict[str, float] = {}
    t0, cpu0_s = time.perf_counter(), time.process_time()
    _report(progress, STAGES[0], 0.0)
    info = probe(path)
    timing["probe_s"] = time.perf_counter() - t0
    cache = _PoseCache(pose_cache_dir, path, settings) if pose_cache_dir is not None and not keep_pictures else None
    cached = cache.load() if cache is not None else None
    if cached is not None:
        raw, info, extra = cached
        thumbs: list[draw.Thumb] = []
    elif estimator is None:
        with default_pool().borrow() as pooled:
            raw, info, thumbs, extra = _pose_of_clip(path, info, pooled, settings, progress, keep_pictures, timing)
    else:
        raw, info, thumbs, extra = _pose_of_clip(path, info, estimator, settings, progress, keep_pictures, timing)
    if cache is not None and cached is None:
        cache.save(raw, info, extra)
    if raw.n_frames < 2:
        raise AnalysisError("no_frames", "We could not read any pictures from this video.",
                            "Film a new clip with the phone's camera app and upload that file.")
    readable_s = float(raw.time_s[-1] - raw.time_s[0])
    if readable_s < value("min_clip_s"):
        # The container promised more: the upload most likely broke off.
        raise AnalysisError("truncated", f"The file seems cut short: we could read only {readable_s:.1f} s of the "
                            f"{info.duration_s:.1f} s clip.", "Upload the clip again and wait until the upload has "
                            "finished; if it happens again, film a new clip.")
    result = analyze_track(raw, info, speed, progress, thumbs, timing, foot_pixels=extra.foot_pixels,
                           leg_frames=extra.leg_frames)
    result = with_sound(result, path, raw)  # the sound track, demuxed on its own (cheap; no video decoded)
    quality = replace(result.quality, problems=result.quality.problems + extra.problems,
                      notes=result.quality.notes + extra.notes)
    # CPU of the whole process (all threads) while this clip was analysed: in a worker, this clip's.
    return replace(result, quality=quality, timing={**result.timing, "process_cpu_s": time.process_time() - cpu0_s})


class _PoseCache:
    """One clip's pose track on disk, keyed by the file's bytes, the decode settings and this module's pose code."""

    def __init__(self, folder: str | os.PathLike[str], path: str | os.PathLike[str], settings: DecodeSettings) -> None:
        import hashlib
        import inspect

        import gait.analysis.landmark_filter
        import gait.analysis.pose
        import gait.analysis.video
        import gait.analysis.waistband

        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        digest.update(repr(settings).encode())
        digest.update(repr((value("analysis_long_side_px"), value("analysis_rate_hz"))).encode())  # the defaults' values
        for module in (gait.analysis.pose, gait.analysis.video, gait.analysis.landmark_filter):
            digest.update(inspect.getsource(module).encode())
        digest.update(inspect.getsource(FootPixels).encode())  # the kept foot pixels are cached too
        digest.update(inspect.getsource(gait.analysis.waistband).encode())  # ... with the waistband found per frame
        self._file = os.path.join(folder, digest.hexdigest()[:24] + ".pkl")
        self._name = os.path.basename(os.fspath(path))

    def load(self) -> tuple[PoseTrack, VideoInfo, _PictureChecks] | None:
        import pickle

        if not os.path.exists(self._file):
            return None
        with open(self._file, "rb") as fh:
            raw, info, extra = pickle.load(fh)  # noqa: S301 - our own cache, written by save()
        return raw, replace(info, name=self._name), extra

    def save(self, raw: PoseTrack, info: VideoInfo, extra: _PictureChecks) -> None:
        import pickle

        os.makedirs(os.path.dirname(self._file), exist_ok=True)
        tmp = self._file + ".tmp"
        with open(tmp, "wb") as fh:
            pickle.dump((raw, info, extra), fh)
        os.replace(tmp, self._file)


@dataclass(frozen=True)
class _PictureChecks:
    """What the pose pass found about the picture itself, added to the clip's quality report."""

    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()
    foot_pixels: FootPixels | None = None  # full-resolution feet, measured once the steps are known
    leg_frames: LegFrameStore | None = None  # every frame's legs, pruned to the landings once they are known


_TWO_PEOPLE = Problem("two_people", "We see more than one person in the clip; we followed one of them, so steps of "
                      "the other may be mixed in.", "Film with only you in the picture; ask others to stand "
                      "behind the phone.", blocking=False)
_TURNED_NOTE = {90: "The video was sideways (the phone's turn was not recorded); we turned it upright first.",
                180: "The video was upside down (the phone was held the other way up); we turned it upright first.",
                270: "The video was sideways (the phone's turn was not recorded); we turned it upright first."}
_PEOPLE_SAMPLE_POSITIONS = (0.4, 0.7, 1.0)  # where among the frames with a person the "two people" check looks
_PEOPLE_BUFFER_FRAMES = 8  # frames kept for it (about 1.5 MB each at 960x540)
_PEOPLE_MIN_SAMPLES = 2  # samples with a second person needed for the warning (one may be a poster or a mirror)


def _pose_of_clip(path: str | os.PathLike[str], info: VideoInfo, estimator: PoseEstimator, settings: DecodeSettings,
                  progress: Progress | None, keep_pictures: bool, timing: dict[str, float]
                  ) -> tuple[PoseTrack, VideoInfo, list[draw.Thumb], _PictureChecks]:
    """Decode and pose the clip; turn it upright first if the person is sideways or upside down."""
    import time

    notes: list[str] = []
    t1 = time.perf_counter()
    try:
        raw, thumbs, samples, decode_s, pose_s, feet, legs = _pose_pass(path, info, estimator, settings, progress,
                                                                        keep_pictures, watch=True)
    except Turned as turn:
        log.info("picture turned by %d deg; analysing again upright", turn.extra_deg)
        estimator.reset()
        info = turned(info, turn.extra_deg)
        notes.append(_TURNED_NOTE[turn.extra_deg])
        raw, thumbs, samples, decode_s, pose_s, feet, legs = _pose_pass(path, info, estimator, settings, progress,
                                                                        keep_pictures, watch=False)
    timing["decode_and_pose_s"] = time.perf_counter() - t1
    timing["decode_s"], timing["pose_s"] = decode_s, pose_s
    t2 = time.perf_counter()
    two_people = second_person_frames(samples, estimator, enough=_PEOPLE_MIN_SAMPLES) >= _PEOPLE_MIN_SAMPLES
    problems = (_TWO_PEOPLE,) if two_people else ()
    timing["people_check_s"] = time.perf_counter() - t2
    if legs is not None:
        timing["viewer_crops_s"] = legs.work_s
    return raw, info, thumbs, _PictureChecks(problems=problems, notes=tuple(notes), foot_pixels=feet, leg_frames=legs)


def _pose_pass(path: str | os.PathLike[str], info: VideoInfo, estimator: PoseEstimator, settings: DecodeSettings,
               progress: Progress | None, keep_pictures: bool, watch: bool
               ) -> tuple[PoseTrack, list[draw.Thumb], list[tuple[Frame, FramePose]], float, float, FootPixels,
                          LegFrameStore | None]:
    """One pass over the clip: (track, thumbnails, sample frames with their pose, decode s, pose s, feet, legs)."""

    rate_hz = settings.rate_hz or value("analysis_rate_hz")
    expected_n = max(1, int(info.analysis_window_s * min(rate_hz, info.nominal_fps or 30.0)))
    # Every step-th frame with a person, thinned by half whenever the buffer fills, so the kept
    # frames spread over the whole stretch where a person is seen (late ones, close up, included).
    buffer: list[tuple[Frame, FramePose]] = []
    step = [1]
    n_with_person = [0]
    seen = [0]
    orientation = OrientationWatch() if watch else None
    pose_s = [0.0]
    feet = FootPixels(expected_n)
    # The landing viewer's frames (every frame, also of slow motion) only where pictures are wanted.
    legs = LegFrameStore() if keep_pictures else None

    def on_frame(frame: Frame, pose: FramePose | None) -> None:
        seen[0] += 1
        feet.see(frame.time_s, frame.full_rgb, pose.image_xyz if pose is not None else None)
        if legs is not None:
            legs.see(frame, pose.image_xyz if pose is not None else None)
        frame = replace(frame, full_rgb=None, between=())  # only the crops outlive this call
        if orientation is not None:
            orientation.see(frame, pose)
        if pose is not None:
            if n_with_person[0] % step[0] == 0:
                buffer.append((frame, pose))
                if len(buffer) >= _PEOPLE_BUFFER_FRAMES:
                    del buffer[1::2]
                    step[0] *= 2
            n_with_person[0] += 1
        if seen[0] % 5 == 0:
            _report(progress, STAGES[1], seen[0] / expected_n)

    timer = DecodeTimer()
    stats = DecodeStats()
    frames = prefetched(timer.timed(iter_frames(path, info, rate_hz=rate_hz, long_side_px=settings.long_side_px,
                                                skip_nonref=settings.skip_nonref, keep_full=True, stats=stats,
                                                every_frame=legs is not None)),
                        _read_ahead_frames(settings, info, rate_hz, every_frame=legs is not None))
    try:
        raw = track_pose(frames, PersonFinder(_TimedEstimator(estimator, pose_s)), on_frame)
    finally:
        frames.close()  # stops the read-ahead thread at once when the pass is cut short
    if legs is not None and stats.frames_left_out and stats.first_time_s is not None:
        # The landings' frames the pass skipped are decoded once the steps are known (the upload is
        # deleted only after the analysis).
        legs.source = functools.partial(iter_window_planes, path, info, first_time_s=stats.first_time_s)
    samples = [buffer[min(len(buffer) - 1, int(f * len(buffer)))] for f in _PEOPLE_SAMPLE_POSITIONS] if buffer else []
    # Taken now, before the store is cut down to the landings' windows.
    thumbs = draw.thumbs_of_crops(legs) if legs is not None else []
    return raw, thumbs, samples, timer.total_s, pose_s[0], feet, legs


def _read_ahead_frames(settings: DecodeSettings, info: VideoInfo, rate_hz: float, every_frame: bool) -> int:
    """Sampled frames decoded ahead. With every frame kept for the viewer each one carries its
    in-between frames (a 1080p picture is 3 MB), so a slow-motion clip reads fewer ahead: the same
    number of pictures in flight as at 30 fps (240 fps 1080p: +209 MB peak RSS with 6 ahead, see the commit)."""
    if not every_frame or settings.prefetch_frames <= 0:
        return settings.prefetch_frames
    per_sample = max(1, int(round((info.nominal_fps or rate_hz) / rate_hz)))
    return max(1, settings.prefetch_frames // per_sample)


class _TimedEstimator:
    """Adds up the seconds spent inside the pose model (for ``Analysis.timing``)."""

    def __init__(self, inner: PoseEstimator, total_s: list[float]) -> None:
        self._inner, self._total_s = inner, total_s

    def process(self, rgb: np.ndarray) -> FramePose | None:
        import time

        t0 = time.perf_counter()
        try:
            return self._inner.process(rgb)
        finally:
            self._total_s[0] += time.perf_counter() - t0

    def reset(self) -> None:
        self._inner.reset()


def analyze_track(raw: PoseTrack, info: VideoInfo, speed: Speed, progress: Progress | None = None,
                  thumbs: list[draw.Thumb] | None = None, timing: dict[str, float] | None = None,
                  foot_pixels: FootPixels | None = None, leg_frames: LegFrameStore | None = None) -> Analysis:
    """Everything after pose: usable on a recorded or synthetic PoseTrack (tests, CLI replays).

    Without ``foot_pixels`` (landmark-only tracks) the foot angle comes from the landmarks alone.
    """
    import time

    timing = dict(timing or {})
    t2 = time.perf_counter()
    _report(progress, STAGES[2], 0.0)
    as_filmed = raw  # the walk back is named by its own direction (gait.analysis.frontal.rear_view)
    raw = consistent_sides(raw)
    track = clean(raw)
    quality = assess(raw, track)
    notes = list(quality.notes)
    if info.truncated_window:
        notes.append(f"The clip is {info.duration_s:.0f} s long; we analysed its first {info.analysis_window_s:.0f} s.")
    if raw.time_s[-1] < 0.9 * info.analysis_window_s - 0.5:
        notes.append(f"The file seems cut short: we could read {raw.time_s[-1]:.1f} s of "
                     f"{info.analysis_window_s:.1f} s.")
    travel = {Travel.IN_PLACE.value: Travel.IN_PLACE, Travel.AWAY.value: Travel.AWAY}.get(quality.travel, Travel.APPROACH)
    stances = (all_stances(track, travel, running=speed.is_running, turn_s=quality.turn_s,
                           away_first=quality.away_first)
               if quality.timing_ok and quality.person_frames_pct > 0 else [])
    if speed.is_running:
        stances = running_steps_from_trunk(stances, track)
    # Steps timed by the trunk have no foot to measure, and on rendered runners their timing is
    # less sure than the feet's: a foot's result and the cadence rest on the others.
    # Walked toward the phone and back (or away and back): the findings come from the walk toward it;
    # the other walk is seen from behind, its contacts are reported as steps all the same.
    toward = [s for s in stances
              if quality.turn_s is None or (s.contact_s >= quality.turn_s) == quality.away_first]
    seen_toward = [s for s in toward if s.found_by == "foot"]
    per_foot = [sum(s.foot is side for s in toward) for side in Side]
    quality = _feet_clear_where_it_counts(quality, track, seen_toward)
    # Only someone who keeps their size can have been followed by a carried phone: only then look.
    moved = phone_moved(foot_pixels, track) if quality.travel == Travel.IN_PLACE.value else None
    quality = with_steps(quality, len(toward), min(per_foot), toward, phone_moved=moved)
    if any(p.code == "no_walking" for p in quality.problems):
        # Nobody walks: whatever looked like a contact was sway or jitter, and is not reported as a step.
        stances, toward, seen_toward = [], [], []
    quality = Quality(**{**quality.__dict__, "notes": tuple(notes)})
    cadence = _cadence(quality, seen_toward, track)
    steady, steady_note = _steady_steps(toward)
    if steady_note:
        quality = Quality(**{**quality.__dict__, "notes": quality.notes + (steady_note,)})
    seen_steady = [s for s in steady if s.found_by == "foot"]
    fewer = fewer_steps_problem(len(seen_steady)) if quality.usable else None
    back = there_and_back_problem(quality.turn_s, quality.away_first)
    quality = replace(quality, problems=quality.problems + tuple(p for p in (fewer, back) if p is not None))
    timing["steps_s"] = time.perf_counter() - t2

    t3 = time.perf_counter()
    _report(progress, STAGES[3], 0.0)
    steps: tuple[StepMeasures, ...] = ()
    feet: dict[Side, FootSummary] = {}
    findings: list[Finding] = []
    if quality.usable and leg_frames is not None:
        leg_frames.fill_ahead(landing_windows(seen_steady))  # the viewer's frames of a slow-motion clip
    if quality.usable:
        period_s = 60.0 / cadence.cadence_spm if cadence else (0.3 if speed.is_running else 0.55)
        steps = tuple(measure_steps(track, seen_steady, speed.is_running, period_s, pixels=foot_pixels, travel=travel))
        feet = {side: summarise_foot(side, steps, speed.is_running, quality.landing_ok) for side in Side}
        findings = foot_findings(list(feet.values()))
        lr = left_right_finding(list(feet.values()))
        if lr:
            findings.append(lr)
    if cadence is not None and (quality.usable or cadence.method == "hip_rhythm"):
        cf = cadence_finding(cadence.cadence_spm, speed.is_running, cadence_confidence(cadence))
        if cf and quality.usable:
            findings.append(cf)
    frontal = frontal_of_clip(as_filmed, track, seen_steady, seen_toward, quality.usable, speed.is_running,
                              camera_moving=any(p.code == "camera_moving" for p in quality.problems),
                              waist=foot_pixels.waist if foot_pixels is not None else ())
    findings.extend(frontal_findings(frontal))
    findings = credible(findings)  # below the floor a finding is no finding and drives no exercise
    timing["measures_s"] = time.perf_counter() - t3

    t4 = time.perf_counter()
    _report(progress, STAGES[4], 0.0)
    pictures, strip = _pictures(raw, steps, feet, thumbs or [])
    viewer = None
    if leg_frames is not None and steps:
        # Frames for the measured steps only: a clip with no usable steps gets no viewer.
        by_seam = any(s.pelvic_drop_from == "waistband" for s in frontal.steps)
        viewer = landing_frames(leg_frames, track.time_s, track.image_px_fast, steps,
                                {side: f.foot_angle_median_deg for side, f in feet.items()},
                                waist=foot_pixels.waist if by_seam and foot_pixels is not None else ())
    elif leg_frames is not None:
        leg_frames.fill(())  # no viewer: a fill started ahead ends with the clip's analysis all the same
    frontal = replace(frontal, pictures=frontal_pictures(frontal, as_filmed, thumbs or []))
    timing["drawing_s"] = time.perf_counter() - t4
    _report(progress, STAGES[4], 1.0)
    return Analysis(speed=speed, video=info, quality=quality, steps=steps, feet=feet, cadence=cadence,
                    findings=tuple(findings), pictures=pictures, strip=strip, timing=timing,
                    contacts=tuple(stances), viewer=viewer, frontal=frontal,
                    steady_span_s=(steady[0].contact_s, steady[-1].contact_s) if steady else None)


def _feet_clear_where_it_counts(quality: Quality, track: CleanTrack, stances: list[Stance]) -> Quality:
    """Feet unclear over the clip but clear on enough steps of each foot: a note, not a refusal.

    A walk or run that starts far away shows tiny feet for its first seconds; what the findings
    rest on is the steps, and each step's measures carry their own visibility.
    """
    unclear = [p for p in quality.problems if p.code == "feet_unclear" and p.blocking]
    if not unclear:
        return quality
    clear = {side: 0 for side in Side}
    for s in stances:
        leg = LEG[s.foot]
        span = track.visibility[s.contact_idx: s.toe_off_idx + 1][:, [leg.heel, leg.toe]]
        if span.size and float(np.mean(span)) >= value("min_visibility"):
            clear[s.foot] += 1
    # The pose model's visibility is low for every far or small foot, seen or not. Steps that keep
    # a steady alternating rhythm (``steady_stretch``) were seen well enough to be found: pose
    # jitter and hidden feet do not make one.
    stretch = steady_stretch(stances)
    if stretch is not None:
        rhythm = stances[stretch[0]: stretch[1] + 1]
        clear = {side: max(clear[side], sum(1 for s in rhythm if s.foot is side)) for side in Side}
    if min(clear.values()) < value("min_steps_for_finding"):
        return quality
    problems = tuple(replace(p, blocking=False, message=p.message + f" We used the steps where they were clear "
                             f"({clear[Side.L]} left, {clear[Side.R]} right).") if p in unclear else p
                     for p in quality.problems)
    usable = not any(p.blocking for p in problems)
    return Quality(**{**quality.__dict__, "problems": problems, "usable": usable})


def _steady_steps(stances: list[Stance]) -> tuple[list[Stance], str | None]:
    """The stances of the steady walk (see ``events.steady_stretch``) and a note of what was left out.

    With no steady stretch all stances are kept (the step-count check decides what they support).
    """
    stretch = steady_stretch(stances)
    if stretch is None:
        return list(stances), None
    steady = stances[stretch[0]: stretch[1] + 1]
    left_out = len(stances) - len(steady)
    if not left_out:
        return steady, None
    return steady, (f"We measured the steady part of your walk, from {steady[0].contact_s:.1f} s to "
                    f"{steady[-1].contact_s:.1f} s ({len(steady)} steps); {left_out} step"
                    f"{'s' if left_out > 1 else ''} before or after it (starting, slowing, stopping or "
                    "turning) were left out.")


def _cadence(quality: Quality, stances: list, track: CleanTrack) -> Cadence | None:
    """Cadence from contacts seen from the front or behind; from the hips' rhythm only where contacts
    cannot be seen (from the side).

    Walking toward or away from the phone, the hips' up-down path is mixed with perspective, so
    its rhythm is not trusted there: no number beats a wrong one. Where the contacts are too unsure
    for a cadence (below the confidence floor), the legs' alternation gives one when it is clean and
    surer (``cadence_from_leg_rhythm``).
    """
    if not quality.timing_ok or quality.person_frames_pct == 0:
        return None
    front = quality.view.value == "front" and quality.travel in (Travel.APPROACH.value, Travel.IN_PLACE.value)
    # Walking away the contacts are seen too, timed from the other foot's lift-off.
    behind = quality.travel == Travel.AWAY.value and quality.view.value in ("front", "back")
    if front or behind:
        found = cadence_from_contacts(stances)
        walked = not any(p.code in ("no_walking", "no_person") for p in quality.problems)
        if walked and (found is None or unclear_below_floor(cadence_confidence(found))):
            # Landings too unsure to count: the legs' turns may still keep time (also on a clip
            # refused for the way it was filmed; never where nobody walks).
            travel = Travel.AWAY if behind else Travel(quality.travel)
            rhythm = cadence_from_leg_rhythm(track, travel)
            if rhythm is not None and cadence_confidence(rhythm) > (cadence_confidence(found) if found else 0.0):
                return rhythm
        return found
    return cadence_from_hip_rhythm(track)


def cadence_confidence(cadence: Cadence) -> float:
    """0-1 from the width of the 68 % interval: +-2 % or better is 1.0, +-10 % is ~0.2."""
    half_width_pct = 50.0 * (cadence.high_spm - cadence.low_spm) / cadence.cadence_spm
    return float(np.clip(1.0 - (half_width_pct - 2.0) / 10.0, 0.1, 1.0))


def step_confidence(m: StepMeasures, running: bool) -> float:
    """One step's overall confidence: angle trust and how clearly its landing signs agreed."""
    _, land_conf = step_landing(m, running)
    return round(0.5 * step_angle_confidence(m) + 0.5 * land_conf, 2)


def _pictures(raw: PoseTrack, steps: tuple[StepMeasures, ...], feet: dict[Side, FootSummary],
              thumbs: list[draw.Thumb]) -> tuple[dict[Side, bytes], tuple[tuple[Side, float, bytes], ...]]:
    if not thumbs or not steps:
        return {}, ()

    def frame_of(m: StepMeasures) -> tuple[draw.Thumb, np.ndarray] | None:
        # Just after contact: the foot is down and still.
        thumb = draw.nearest_thumb(thumbs, m.stance.contact_s + 0.05)
        if thumb is None:
            return None
        return thumb, raw.image_xy_px[int(np.argmin(np.abs(raw.time_s - thumb.time_s)))]

    pictures: dict[Side, bytes] = {}
    for side, summary in feet.items():
        mine = [m for m in steps if m.stance.foot is side and not math.isnan(m.foot_angle_deg)]
        if not mine:
            continue
        # The typical step: the one closest to the foot's median angle.
        typical = min(mine, key=lambda m: abs(m.foot_angle_deg - summary.foot_angle_median_deg))
        # The floor diagram shows the number the words give, and only when the words give one.
        shown = summary.landing_direction is not None and not unclear_below_floor(summary.direction_confidence)
        frame = frame_of(typical)
        if frame is not None:
            pictures[side] = draw.landing_picture(*frame, side, size_px=420,
                                                  angle_deg=round(summary.foot_angle_median_deg, 1) if shown else None)
    # The strip in time order; no direction on it (one step's angle is not a finding).
    framed = [(m, frame_of(m)) for m in sorted(steps, key=lambda m: m.stance.contact_s)]
    strip = tuple((m.stance.foot, m.stance.contact_s, draw.step_picture(*frame, m.stance.foot, size_px=200))
                  for m, frame in framed if frame is not None)
    return pictures, strip
