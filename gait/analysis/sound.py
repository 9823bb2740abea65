"""How loud each landing is: the footfall in the clip's sound at each contact seen in the picture.

audio (one audio-only demux, no video decoded) -> band-limited loudness envelope -> the clip's
noise floor -> per contact, the loudest transient near the visual contact (first pass wide, to
find the audio/video offset; second pass narrow, around contact + offset) -> onset time and peak
level -> corrected to 1 m from the phone by the person's size in the picture (inverse distance:
+20*log10(distance / 1 m)) -> per foot, left vs right.

Phones do not calibrate their microphones and many adjust the gain, so levels are dB relative to
the file's full scale (dBFS): comparable within a clip (left vs right) and, less surely, between
clips filmed the same way (speeds). A clip with no sound, with music, talk or wind as loud as the
steps, or whose sounds do not line up with the contacts, gets no value and a reason.

Sign convention: ``offset_ms`` = audio onset minus visual contact (positive: the sound comes later).
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

import av
import numpy as np
from scipy import signal as sps

from gait.analysis.findings import Finding, unclear_below_floor
from gait.names import LEG, Side
from gait.thresholds import value

log = logging.getLogger(__name__)

_EPS_POWER = 1e-12  # -120 dBFS: below any real recording's floor


@dataclass(frozen=True)
class Audio:
    """The clip's sound, mono, on the video's clock (0 s = the first video frame)."""

    samples: np.ndarray  # (n,) float32, -1..1 full scale
    rate_hz: float
    start_s: float  # time of samples[0] on the video's clock


def read_audio(path: str | os.PathLike[str], window_s: float | None = None) -> Audio | None:
    """The first audio stream, downmixed to mono; None when the file has none.

    Only audio packets are decoded; of the video, just its first frame's time is needed (the
    clock the pose pass uses), found by decoding that one frame.
    """
    with av.open(os.fspath(path), metadata_errors="ignore") as container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        video = container.streams.video[0] if container.streams.video else None
        resampler = None
        chunks: list[np.ndarray] = []
        first_audio_s: float | None = None
        video_t0_s: float | None = None
        rate = 0
        streams = (stream, video) if video is not None else (stream,)
        try:
            for packet in container.demux(*streams):
                if packet.stream.type == "video":
                    if video_t0_s is None:
                        for frame in packet.decode():
                            if frame.time is not None:
                                video_t0_s = float(frame.time)
                                break
                    continue
                for frame in packet.decode():
                    if resampler is None:
                        rate = frame.sample_rate
                        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
                    if first_audio_s is None and frame.time is not None:
                        first_audio_s = float(frame.time)
                    for out in resampler.resample(frame):
                        chunks.append(out.to_ndarray().reshape(-1))
                if window_s is not None and first_audio_s is not None and chunks and \
                        sum(c.size for c in chunks) > (window_s + 2.0) * rate:
                    break
        except av.error.FFmpegError as exc:
            # A broken-off upload: the sound read so far is still valid.
            log.info("audio decode stopped early: %s", type(exc).__name__)
    if not chunks or rate <= 0:
        return None
    samples = np.concatenate(chunks).astype(np.float32)
    start_s = (first_audio_s or 0.0) - (video_t0_s or 0.0)
    return Audio(samples=samples, rate_hz=float(rate), start_s=start_s)


def envelope_db(audio: Audio) -> tuple[np.ndarray, np.ndarray]:
    """(time_s, level_dbfs): the band-limited mean power over ``sound_frame_s``, every ``sound_hop_s``.

    The band keeps a footfall's thud and slap and drops handling rumble; the filter runs forwards
    and backwards so it does not move the onsets in time.
    """
    rate = audio.rate_hz
    hi = min(value("sound_band_high_hz"), 0.45 * rate)
    x = audio.samples.astype(np.float64)
    if x.size > 64:
        sos = sps.butter(4, [value("sound_band_low_hz"), hi], btype="bandpass", fs=rate, output="sos")
        x = sps.sosfiltfilt(sos, x)
    frame = max(1, int(round(value("sound_frame_s") * rate)))
    hop = max(1, int(round(value("sound_hop_s") * rate)))
    if x.size < frame:
        return np.zeros(0), np.zeros(0)
    csum = np.concatenate([[0.0], np.cumsum(x * x)])
    starts = np.arange(0, x.size - frame + 1, hop)
    power = (csum[starts + frame] - csum[starts]) / frame
    times = audio.start_s + (starts + frame / 2.0) / rate
    return times, 10.0 * np.log10(power + _EPS_POWER)


@dataclass(frozen=True)
class Transient:
    """One peak of the envelope that stands out from what is around it."""

    peak_s: float
    onset_s: float
    level_dbfs: float
    prominence_db: float


def transients(times_s: np.ndarray, env_db: np.ndarray, floor_dbfs: float) -> list[Transient]:
    """Peaks at least ``sound_min_step_snr_db`` above the floor and as prominent; onset at -6 dB on the rise."""
    if env_db.size < 3:
        return []
    hop_s = float(times_s[1] - times_s[0])
    min_db = value("sound_min_step_snr_db")
    idx, props = sps.find_peaks(env_db, height=floor_dbfs + min_db, prominence=min_db,
                                distance=max(1, int(value("sound_min_gap_s") / hop_s)))
    out = []
    for i, prom in zip(idx, props["prominences"]):
        j = i
        limit = max(0, i - int(0.1 / hop_s))
        while j > limit and env_db[j - 1] >= env_db[i] - 6.0:
            j -= 1
        onset = float(times_s[j])
        if j > 0:  # interpolate the -6 dB crossing between the two envelope samples
            lo, hi = env_db[j - 1], env_db[j]
            frac = (env_db[i] - 6.0 - lo) / (hi - lo) if hi > lo else 0.0
            onset = float(times_s[j - 1] + np.clip(frac, 0.0, 1.0) * hop_s)
        out.append(Transient(float(times_s[i]), onset, float(env_db[i]), float(prom)))
    return out


# ---- the person's distance to the phone -----------------------------------------------------------

@dataclass(frozen=True)
class DistanceModel:
    """Distance to the phone over time, from the person's size in the picture (a straight line in time)."""

    intercept_m: float
    slope_m_per_s: float
    residual_pct: float  # median scatter of the per-frame distances around the line

    def at(self, time_s: float) -> float:
        return max(0.3, self.intercept_m + self.slope_m_per_s * time_s)


def distance_model(time_s: np.ndarray, image_xy_px: np.ndarray, visibility: np.ndarray,
                   frame_size_px: tuple[int, int], span_s: tuple[float, float] | None = None) -> DistanceModel | None:
    """Fit distance = a + b * t to ``focal * assumed_leg / leg_px`` over the frames in ``span_s``.

    The longer leg in the picture (hip to ankle) is the straighter one; a person walking or
    running at an even pace approaches at a steady speed, so a line over many steps smooths both
    the pose's jitter and the legs' bending (which would otherwise differ between the feet).
    """
    legs = []
    for hip, ankle in ((LEG[side].hip, LEG[side].ankle) for side in Side):
        seen = (visibility[:, hip] >= value("min_visibility")) & (visibility[:, ankle] >= value("min_visibility"))
        length = np.linalg.norm(image_xy_px[:, hip] - image_xy_px[:, ankle], axis=1)
        legs.append(np.where(seen, length, np.nan))
    leg_px = np.fmax(legs[0], legs[1])
    keep = np.isfinite(leg_px) & (leg_px > 10.0)
    if span_s is not None:
        keep &= (time_s >= span_s[0] - 0.3) & (time_s <= span_s[1] + 0.3)
    if keep.sum() < 5:
        return None
    focal_px = 0.5 * max(frame_size_px) / math.tan(math.radians(value("assumed_fov_long_side_deg")) / 2.0)
    dist_m = focal_px * value("sound_assumed_leg_m") / leg_px[keep]
    t = time_s[keep]
    if np.ptp(t) < 0.2:
        return DistanceModel(float(np.median(dist_m)), 0.0, float("nan"))
    from scipy.stats import theilslopes

    slope, intercept, _, _ = theilslopes(dist_m, t)
    resid = np.abs(dist_m - (intercept + slope * t)) / np.maximum(dist_m, 1e-6)
    return DistanceModel(float(intercept), float(slope), float(100.0 * np.median(resid)))


# ---- per step and per clip ------------------------------------------------------------------------

@dataclass(frozen=True)
class StepSound:
    """One contact seen in the picture and what the sound says about it."""

    foot: Side
    contact_s: float  # the visual contact
    onset_s: float | None  # the footfall's onset on the video's clock; None when not heard
    peak_dbfs: float  # NaN when not heard
    snr_db: float  # peak above the clip's noise floor; NaN when not heard
    distance_m: float  # estimated distance to the phone at contact; NaN when unknown
    loudness_db: float  # peak corrected to 1 m from the phone; NaN when not heard
    confidence: float


@dataclass(frozen=True)
class FootSound:
    foot: Side
    n_steps: int
    n_heard: int
    loudness_median_db: float
    loudness_iqr_db: float
    confidence: float


@dataclass(frozen=True)
class LandingSound:
    """The clip's landing sounds, or why we could not hear them (``heard`` False, ``reason`` set)."""

    heard: bool
    reason: str | None = None  # no_audio, silent, too_few_steps, music_or_talk, wind, noise, too_quiet, not_lined_up
    message: str | None = None  # "We could not hear your steps: ..."
    fix: str | None = None
    offset_ms: float | None = None  # audio onset minus visual contact, median over the steps
    offset_spread_ms: float | None = None  # median absolute deviation of the steps' offsets
    noise_floor_dbfs: float | None = None
    contrast_db: float | None = None  # the steps' peaks above the sound between the steps
    heard_pct: float = 0.0  # contacts with a footfall in line with them
    steps: tuple[StepSound, ...] = ()
    feet: dict[Side, FootSound] = field(default_factory=dict)
    lr_diff_db: float | None = None  # left minus right, at 1 m
    lr_confidence: float = 0.0


NOT_HEARD = "We could not hear your steps"
_REASONS: dict[str, tuple[str, str]] = {
    "no_audio": ("the clip has no sound track.",
                 "Film with the phone's own camera app with sound on; some apps and screen recorders drop it."),
    "silent": ("the clip's sound is silent (the microphone may have been muted or covered).",
               "Film with sound on and keep the microphone (bottom edge of the phone) uncovered."),
    "too_few_steps": ("we saw too few steps to check their sound against.",
                      "Film 10 steps toward the phone, starting already in motion."),
    "music_or_talk": ("music or talk was as loud as your footsteps.",
                      "Film with no music playing and nobody talking near the phone."),
    "wind": ("wind noise covered your footsteps.", "Film indoors or out of the wind."),
    "noise": ("other sounds were as loud as your footsteps.",
              "Film somewhere quiet, on a hard floor, with the phone 4-6 m away."),
    "too_quiet": ("your footsteps were too quiet to pick up over the background sound (quiet landings are good).",
                  "To measure them, film on a hard floor in a quiet room."),
    "not_lined_up": ("the sounds we heard did not line up with the steps we saw.",
                     "Film again with only your own footsteps to be heard, and upload the phone's original file."),
}


def declined(reason: str, **extra: object) -> LandingSound:
    cause, fix = _REASONS[reason]
    return LandingSound(heard=False, reason=reason, message=f"{NOT_HEARD}: {cause}", fix=fix, **extra)  # type: ignore[arg-type]


def background_cause(audio: Audio, quiet_spans_s: Sequence[tuple[float, float]]) -> str:
    """What the sound between the steps most likely is: music_or_talk (tonal), wind (low rumble), or noise."""
    rate = audio.rate_hz
    pieces = []
    for a, b in quiet_spans_s:
        i0, i1 = int((a - audio.start_s) * rate), int((b - audio.start_s) * rate)
        if i1 - i0 > 256 and i0 >= 0:
            pieces.append(audio.samples[i0:i1].astype(np.float64))
    x = np.concatenate(pieces) if pieces else audio.samples.astype(np.float64)
    if x.size < 1024:
        return "noise"
    f, pxx = sps.welch(x, fs=rate, nperseg=1024)
    band = (f >= 20) & (f <= min(8000.0, rate / 2))
    low_share = float(pxx[band & (f < value("sound_wind_below_hz"))].sum() / max(pxx[band].sum(), _EPS_POWER))
    if low_share >= value("sound_wind_low_share"):
        return "wind"
    # Tonal sound (notes, voiced speech) puts its power in narrow lines: low spectral flatness within
    # ~250 Hz bands (local, so a noise's overall tilt - pink, a thud's low-pass - does not count),
    # measured on the louder half of the frames.
    _, _, spec = sps.stft(x, fs=rate, nperseg=1024)
    power = np.abs(spec) ** 2 + _EPS_POWER
    fb = np.fft.rfftfreq(1024, 1.0 / rate)
    lo, hi = int(np.searchsorted(fb, 150.0)), int(np.searchsorted(fb, min(5000.0, rate / 2)))
    width = max(4, int(round(250.0 / (fb[1] - fb[0]))))
    bands = [power[a:a + width] for a in range(lo, hi - width + 1, width)]
    if not bands:
        return "noise"
    flat = np.mean([np.mean(np.log(b), axis=0) - np.log(np.mean(b, axis=0)) for b in bands], axis=0)
    loud = 10 * np.log10(power[lo:hi].mean(axis=0))
    loud_frames = loud >= np.percentile(loud, 50)
    if loud_frames.any() and float(np.exp(np.median(flat[loud_frames]))) < value("sound_tonal_flatness"):
        return "music_or_talk"
    return "noise"


def landing_sound(audio: Audio | None, contacts: Sequence[tuple[Side, float]],
                  distance: DistanceModel | None, window_s: float | None = None,
                  steady_span_s: tuple[float, float] | None = None) -> LandingSound:
    """The footfall at each contact ``(foot, contact_s)`` and the clip's verdict (see the module's doc).

    Every contact takes part in lining sound and picture up; the feet's summaries rest on the
    contacts within ``steady_span_s`` (the steady walk the other measures use), when given.
    """
    if audio is None or audio.samples.size == 0:
        return declined("no_audio")
    times, env = envelope_db(audio)
    if window_s is not None and times.size:
        inside = times <= window_s + 0.5
        times, env = times[inside], env[inside]
    if env.size < 10 or float(env.max()) < value("sound_silent_dbfs"):
        return declined("silent")
    contacts = sorted(contacts, key=lambda c: c[1])
    if len(contacts) < value("min_steps_for_finding"):
        return declined("too_few_steps")
    floor = float(np.percentile(env, value("sound_floor_percentile")))
    peaks = transients(times, env, floor)
    peak_s = np.array([p.peak_s for p in peaks])

    def loudest_near(t_s: float, half_s: float) -> Transient | None:
        if not peaks:
            return None
        near = [peaks[i] for i in np.flatnonzero(np.abs(peak_s - t_s) <= half_s)]
        return max(near, key=lambda p: p.level_dbfs) if near else None

    # First pass, wide: how far the sound runs ahead of or behind the picture.
    first = [loudest_near(t, value("sound_search_s")) for _, t in contacts]
    offsets = np.array([p.onset_s - t for p, (_, t) in zip(first, contacts) if p is not None])
    offset_s = float(np.median(offsets)) if offsets.size >= value("min_steps_for_finding") else 0.0
    # Second pass, narrow: each contact's footfall where the clip's offset puts it.
    match_s = value("sound_match_s")
    found = [loudest_near(t + offset_s, match_s) for _, t in contacts]
    heard = [p for p in found if p is not None]
    step_offsets = np.array([p.onset_s - t for p, (_, t) in zip(found, contacts) if p is not None])
    spread_ms = float(1000 * np.median(np.abs(step_offsets - offset_s))) if step_offsets.size else None
    heard_pct = 100.0 * len(heard) / len(contacts)
    # The sound between the steps: its loud end (75th percentile), away from every footfall.
    quiet_spans, between = [], []
    for (_, t0), (_, t1) in zip(contacts[:-1], contacts[1:]):
        a, b = t0 + offset_s + value("sound_step_sound_s"), t1 + offset_s - match_s
        if b - a >= 0.05:
            quiet_spans.append((a, b))
            sel = (times >= a) & (times <= b)
            if sel.any():
                between.append(float(np.percentile(env[sel], 75)))
    contrast = (float(np.median([p.level_dbfs for p in heard]) - np.median(between))
                if heard and between else None)
    span = (contacts[0][1] + offset_s - match_s, contacts[-1][1] + offset_s + match_s)
    # Loud peaks away from every footfall (a forefoot slap or ring just after a heel strike is the footfall's own).
    footfall_at = np.array([t + offset_s for _, t in contacts])
    extra = [p for p in peaks if span[0] <= p.peak_s <= span[1]
             and p.level_dbfs >= floor + value("sound_min_step_snr_db") + 3.0
             and not np.any((p.peak_s >= footfall_at - match_s)
                            & (p.peak_s <= footfall_at + match_s + value("sound_step_sound_s")))]
    facts = dict(offset_ms=round(1000 * offset_s, 1), offset_spread_ms=None if spread_ms is None else round(spread_ms, 1),
                 noise_floor_dbfs=round(floor, 1), contrast_db=None if contrast is None else round(contrast, 1),
                 heard_pct=round(heard_pct, 1))

    lined_up = (abs(offset_s) <= value("sound_max_av_offset_s") and spread_ms is not None
                and spread_ms <= 1000 * value("sound_max_offset_spread_s"))
    masked = (contrast is not None and contrast < value("sound_min_contrast_db")) or \
        len(extra) > value("sound_max_extra_per_step") * len(contacts)
    if masked:
        return declined(background_cause(audio, quiet_spans), **facts)
    if heard_pct < value("sound_min_heard_pct"):
        cause = background_cause(audio, quiet_spans)
        if cause == "noise":
            # Clear footfall-like sounds, as many as the steps, but not where the steps are: out of line.
            strong = [p for p in peaks if p.level_dbfs >= floor + value("sound_min_contrast_db") + value("sound_min_step_snr_db")]
            cause = "not_lined_up" if len(strong) >= value("sound_min_heard_pct") / 100 * len(contacts) else "too_quiet"
        return declined(cause, **facts)
    if not lined_up:
        return declined("not_lined_up", **facts)

    steps = []
    for (foot, t), p in zip(contacts, found):
        d_m = distance.at(t) if distance is not None else float("nan")
        if p is None:
            steps.append(StepSound(foot, t, None, float("nan"), float("nan"), d_m, float("nan"), 0.0))
            continue
        snr = p.level_dbfs - floor
        loud = p.level_dbfs + 20.0 * math.log10(d_m / value("sound_reference_m")) if math.isfinite(d_m) else float("nan")
        snr_conf = float(np.clip(0.5 + (snr - value("sound_min_step_snr_db")) / 12.0, 0.0, 1.0))
        timing_conf = float(np.clip(1.0 - 0.5 * abs(p.onset_s - t - offset_s) / match_s, 0.0, 1.0))
        size_conf = 1.0 if math.isfinite(d_m) else 0.0
        steps.append(StepSound(foot, t, p.onset_s, p.level_dbfs, snr, d_m, loud,
                               round(snr_conf * timing_conf * size_conf, 2)))
    clip_factor = min(1.0, heard_pct / 100.0) * float(np.clip((contrast or 0.0) / 12.0, 0.3, 1.0))
    steady = [st for st in steps if steady_span_s is None
              or steady_span_s[0] - 1e-6 <= st.contact_s <= steady_span_s[1] + 1e-6]
    feet = {side: summarise_foot_sound(side, steady, clip_factor) for side in Side}
    lr, lr_conf = None, 0.0
    if all(math.isfinite(feet[s].loudness_median_db) for s in Side):
        lr = round(feet[Side.L].loudness_median_db - feet[Side.R].loudness_median_db, 1)
        lr_conf = round(min(feet[s].confidence for s in Side), 2)
    return LandingSound(heard=True, steps=tuple(steps), feet=feet, lr_diff_db=lr, lr_confidence=lr_conf, **facts)


def summarise_foot_sound(foot: Side, steps: Sequence[StepSound], clip_factor: float) -> FootSound:
    mine = [s for s in steps if s.foot is foot]
    good = [s for s in mine if math.isfinite(s.loudness_db) and s.confidence >= value("min_step_confidence")]
    if not good:
        return FootSound(foot, len(mine), 0, float("nan"), float("nan"), 0.0)
    levels = np.array([s.loudness_db for s in good])
    iqr = float(np.subtract(*np.percentile(levels, [75, 25])))
    spread = 1.0 if iqr <= value("sound_step_spread_db") else 0.7  # very uneven steps: less sure of the typical one
    count = min(1.0, len(good) / 5.0)
    if len(good) < value("min_steps_for_finding"):
        count *= 0.5
    conf = float(np.mean([s.confidence for s in good])) * count * spread * clip_factor
    return FootSound(foot, len(mine), len(good), round(float(np.median(levels)), 1), round(iqr, 1), round(conf, 2))


LOUD_SIDE_MEANING = ("Your {foot} foot lands about {diff:.0f} dB louder than your {other}. A louder landing usually "
                     "means a harder impact through that leg; learning to land more quietly lowers the loading "
                     "(Tate & Milner 2017). Try making that side as quiet as the other.")


def sound_findings(sound: LandingSound | None) -> list[Finding]:
    """One foot clearly louder than the other: a finding on the louder foot (rules as data: one row)."""
    if sound is None or not sound.heard or sound.lr_diff_db is None:
        return []
    if abs(sound.lr_diff_db) <= value("loudness_lr_diff_db") or unclear_below_floor(sound.lr_confidence):
        return []
    loud = Side.L if sound.lr_diff_db > 0 else Side.R
    return [Finding("loud_landing", loud, "One foot lands louder",
                    LOUD_SIDE_MEANING.format(foot=loud.label, other=loud.other.label, diff=abs(sound.lr_diff_db)),
                    sound.lr_confidence)]


def sound_of_clip(path: str | os.PathLike[str], raw: object, contacts: Sequence[object],
                  steady_span_s: tuple[float, float] | None, window_s: float | None) -> LandingSound:
    """The pipeline's call: read the sound, size up the person, and judge the landings.

    ``raw`` is the clip's ``PoseTrack``, ``contacts`` its ``Stance`` list. Never raises on a
    file whose pictures were readable: a sound that cannot be read is "no sound".
    """
    try:
        audio = read_audio(path, window_s)
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        log.info("no usable audio: %s", type(exc).__name__)
        audio = None
    pairs = [(c.foot, float(c.contact_s)) for c in contacts]  # type: ignore[attr-defined]
    distance = distance_model(raw.time_s, raw.image_xy_px, raw.visibility, raw.frame_size_px,  # type: ignore[attr-defined]
                              steady_span_s)
    return landing_sound(audio, pairs, distance, window_s, steady_span_s)


def with_sound(analysis, path: str | os.PathLike[str], raw: object):  # noqa: ANN001, ANN201 - pipeline.Analysis
    """``analysis`` with its landing sounds, and a finding when one foot is clearly louder (usable clips only)."""
    import time
    from dataclasses import replace

    t0 = time.perf_counter()
    sound = sound_of_clip(path, raw, analysis.contacts, analysis.steady_span_s, analysis.video.analysis_window_s)
    extra = tuple(sound_findings(sound)) if analysis.quality.usable else ()
    return replace(analysis, sound=sound, findings=analysis.findings + extra,
                   timing={**analysis.timing, "sound_s": time.perf_counter() - t0})
