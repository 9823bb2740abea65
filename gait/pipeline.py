"""The one call the app makes: ``analyze(path, speed, progress=...)`` -> ``Analysis``.

video -> pose -> signal clean-up -> steps -> measures -> findings (-> pictures)
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from gait import draw
from gait.errors import AnalysisError
from gait.events import Cadence, Travel, all_stances, cadence_from_contacts, cadence_from_hip_rhythm
from gait.findings import (Finding, FootSummary, cadence_finding, foot_findings,
                           left_right_finding, step_angle_confidence, step_landing, summarise_foot)
from gait.measures import StepMeasures, measure_steps
from gait.names import Side, Speed
from gait.pose import FramePose, PoseEstimator, PoseTrack, default_pool, track_pose
from gait.quality import Quality, assess, with_steps
from gait.signal import CleanTrack, clean
from gait.thresholds import value
from gait.video import Frame, VideoInfo, iter_frames, probe

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
Progress = Callable[[str, float], None]

STAGES = ("Reading the video", "Finding your joints", "Finding your steps", "Measuring each step", "Drawing")


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

    @property
    def running(self) -> bool:
        return self.speed.is_running

    def to_dict(self) -> dict[str, object]:
        from gait.results import analysis_to_dict  # local: results imports this module's types

        return analysis_to_dict(self)


def _report(progress: Progress | None, stage: str, fraction: float) -> None:
    if progress is not None:
        progress(stage, float(min(1.0, max(0.0, fraction))))


def analyze(path: str | os.PathLike[str], speed: Speed | str, progress: Progress | None = None,
            estimator: PoseEstimator | None = None, keep_pictures: bool = True) -> Analysis:
    """Analyse one clip of a person walking or running toward the phone.

    Parameters
    ----------
    path : file to read (any container/codec FFmpeg decodes).
    speed : which take this is (walk, fast_walk, run); sets running-specific thresholds.
    progress : called with (stage name, fraction 0-1) as the work advances.
    estimator : pose model to use; by default one is borrowed from the process-wide pool.

    Raises
    ------
    VideoError, AnalysisError (both ``GaitError``) with a user message and a fix.
    """
    import time

    speed = Speed(speed)
    timing: dict[str, float] = {}
    t0 = time.perf_counter()
    _report(progress, STAGES[0], 0.0)
    info = probe(path)
    timing["probe_s"] = time.perf_counter() - t0
    expected_n = max(1, int(info.analysis_window_s * min(value("analysis_rate_hz"), info.nominal_fps or 30.0)))
    thumbs: list[draw.Thumb] = []
    seen = [0]

    def on_frame(frame: Frame, pose: FramePose | None) -> None:
        seen[0] += 1
        if keep_pictures and pose is not None:
            thumbs.append(draw.person_thumb(frame, pose.image_xyz[:, :2]))
        if seen[0] % 5 == 0:
            _report(progress, STAGES[1], seen[0] / expected_n)

    t1 = time.perf_counter()
    frames = iter_frames(path, info)
    if estimator is None:
        with default_pool().borrow() as pooled:
            raw = track_pose(frames, pooled, on_frame)
    else:
        raw = track_pose(frames, estimator, on_frame)
    timing["decode_and_pose_s"] = time.perf_counter() - t1
    if raw.n_frames < 2:
        raise AnalysisError("no_frames", "We could not read any pictures from this video.",
                            "Film a new clip with the phone's camera app and upload that file.")
    readable_s = float(raw.time_s[-1] - raw.time_s[0])
    if readable_s < value("min_clip_s"):
        # The container promised more: the upload most likely broke off.
        raise AnalysisError("truncated", f"The file seems cut short: we could read only {readable_s:.1f} s of the "
                            f"{info.duration_s:.1f} s clip.", "Upload the clip again and wait until the upload has "
                            "finished; if it happens again, film a new clip.")
    return analyze_track(raw, info, speed, progress, thumbs, timing)


def analyze_track(raw: PoseTrack, info: VideoInfo, speed: Speed, progress: Progress | None = None,
                  thumbs: list[draw.Thumb] | None = None, timing: dict[str, float] | None = None) -> Analysis:
    """Everything after pose: usable on a recorded or synthetic PoseTrack (tests, CLI replays)."""
    import time

    timing = dict(timing or {})
    t2 = time.perf_counter()
    _report(progress, STAGES[2], 0.0)
    track = clean(raw)
    quality = assess(raw, track)
    notes = list(quality.notes)
    if info.truncated_window:
        notes.append(f"The clip is {info.duration_s:.0f} s long; we analysed its first {info.analysis_window_s:.0f} s.")
    if raw.time_s[-1] < 0.9 * info.analysis_window_s - 0.5:
        notes.append(f"The file seems cut short: we could read {raw.time_s[-1]:.1f} s of "
                     f"{info.analysis_window_s:.1f} s.")
    travel = Travel.IN_PLACE if quality.travel == Travel.IN_PLACE.value else Travel.APPROACH
    stances = all_stances(track, travel) if quality.timing_ok and quality.person_frames_pct > 0 else []
    per_foot = [sum(s.foot is side for s in stances) for side in Side]
    quality = with_steps(quality, len(stances), min(per_foot))
    quality = Quality(**{**quality.__dict__, "notes": tuple(notes)})
    cadence = _cadence(quality, stances, track)
    timing["steps_s"] = time.perf_counter() - t2

    t3 = time.perf_counter()
    _report(progress, STAGES[3], 0.0)
    steps: tuple[StepMeasures, ...] = ()
    feet: dict[Side, FootSummary] = {}
    findings: list[Finding] = []
    if quality.usable:
        period_s = 60.0 / cadence.cadence_spm if cadence else (0.3 if speed.is_running else 0.55)
        steps = tuple(measure_steps(track, stances, speed.is_running, period_s))
        feet = {side: summarise_foot(side, steps, speed.is_running, quality.landing_ok) for side in Side}
        findings = foot_findings(list(feet.values()))
        lr = left_right_finding(list(feet.values()))
        if lr:
            findings.append(lr)
    if cadence is not None and (quality.usable or cadence.method == "hip_rhythm"):
        cf = cadence_finding(cadence.cadence_spm, speed.is_running, cadence_confidence(cadence))
        if cf and quality.usable:
            findings.append(cf)
    timing["measures_s"] = time.perf_counter() - t3

    t4 = time.perf_counter()
    _report(progress, STAGES[4], 0.0)
    pictures, strip = _pictures(raw, steps, feet, thumbs or [])
    timing["drawing_s"] = time.perf_counter() - t4
    _report(progress, STAGES[4], 1.0)
    return Analysis(speed=speed, video=info, quality=quality, steps=steps, feet=feet, cadence=cadence,
                    findings=tuple(findings), pictures=pictures, strip=strip, timing=timing)


def _cadence(quality: Quality, stances: list, track: CleanTrack) -> Cadence | None:
    """Cadence from contacts in a front view; from the hips' rhythm only where contacts cannot be seen.

    Seen from the front while approaching, the hips' up-down path is mixed with perspective,
    so its rhythm is not trusted there: no number beats a wrong one.
    """
    if not quality.timing_ok or quality.person_frames_pct == 0:
        return None
    front = quality.view.value == "front" and quality.travel in (Travel.APPROACH.value, Travel.IN_PLACE.value)
    if front:
        return cadence_from_contacts(stances)
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
    thumb_times = np.array([t.time_s for t in thumbs])

    def picture(m: StepMeasures, size_px: int) -> bytes:
        # Just after contact: the foot is down and still.
        thumb = thumbs[int(np.argmin(np.abs(thumb_times - (m.stance.contact_s + 0.05))))]
        j = int(np.argmin(np.abs(raw.time_s - thumb.time_s)))
        return draw.landing_picture(thumb, raw.image_xy_px[j], m.stance.foot, size_px=size_px)

    pictures: dict[Side, bytes] = {}
    for side, summary in feet.items():
        mine = [m for m in steps if m.stance.foot is side and not math.isnan(m.foot_angle_deg)]
        if not mine:
            continue
        # The typical step: the one closest to the foot's median angle.
        typical = min(mine, key=lambda m: abs(m.foot_angle_deg - summary.foot_angle_median_deg))
        pictures[side] = picture(typical, size_px=420)
    strip = tuple((m.stance.foot, m.stance.contact_s, picture(m, size_px=200)) for m in steps)
    return pictures, strip
