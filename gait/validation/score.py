"""Scoring the engine against ground truth: matching contacts, per-clip scores, overall figures, bars.

Pure arithmetic on an analysis and its truth (``gait.validation.truth``); ``gait.validate`` runs the engine
and ``gait.validation.report`` writes the tables.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from gait.names import Side
from gait.validation.truth import Truth

MATCH_WINDOW_S = 0.150  # a found contact this close to a true one (same foot) is a match (issue 8)

# The targets issues 8 and 9 set, and the bars CI enforces today (``--check``). A bar sits at
# a target once the engine reaches it, and below it only to stop a regression meanwhile; the
# gap is stated in VALIDATION.md, never hidden.
TARGETS: tuple[tuple[str, str, float], ...] = (
    ("ic_recall", "min", 95.0),
    ("ic_precision", "min", 95.0),
    ("ic_mae_ms", "max", 35.0),
    ("lr_correct", "min", 100.0),
    ("cadence_err_pct", "max", 3.0),
    ("refusals_ok", "min", 100.0),
    # issue 9, on rendered truth (fpa_slope must also stay <= 1.15)
    ("fpa_mae_deg", "max", 4.0),
    ("fpa_slope", "min", 0.85),
    ("fpa_slope", "max", 1.15),
    ("direction_agreement_pct", "min", 90.0),
    ("knee_give_mae_deg", "max", 5.0),
    ("landing_agreement_pct", "min", 90.0),
    # issue 11, on rendered truth
    ("valgus_mae_deg", "max", 3.0),
    ("pelvic_drop_mae_deg", "max", 3.0),
    ("eversion_mae_deg", "max", 3.0),
    ("step_width_mae_leg", "max", 0.05),
    ("loudness_lr_err_db", "max", 2.0),  # issue 11, on rendered soundtracks
)
BARS: tuple[tuple[str, str, float], ...] = (
    ("ic_recall", "min", 95.0),  # the target, reached on the shared clips (95.1, 2026-11-29)
    ("ic_precision", "min", 95.0),
    ("ic_mae_ms", "max", 35.0),
    ("lr_correct", "min", 100.0),
    ("cadence_err_pct", "max", 3.0),
    ("refusals_ok", "min", 100.0),
)
# The committed rendered set (tests/rendered): regression floors a little under what the engine
# reaches today, far from the targets (see VALIDATION.md); raised as the engine improves.
RENDERED_BARS: tuple[tuple[str, str, float], ...] = (
    ("ic_recall", "min", 80.0),  # 83.0 today (81.1 before stances cut short by the clip's end; 78.1 on 16 before the 6 Hz planted mask)
    ("ic_precision", "min", 82.0),  # 86.0 today
    ("ic_mae_ms", "max", 40.0),  # 34.2 today (target 35)
    ("lr_correct", "min", 88.0),  # 92.8 today
    ("refusals_ok", "min", 85.0),  # 100 today: 20 of 20
    ("fpa_mae_deg", "max", 3.0),  # 2.7 today (2.4 on the 16 walkers before the treadmill clips; 4.2 before the heel-to-toe offset; target 4)
    ("fpa_slope", "min", 0.8),  # 0.99 today (target 0.85-1.15; was 1.18)
    ("fpa_slope", "max", 1.2),
    ("fpa_measured_pct", "min", 60.0),  # 84.2 today: an angle must not quietly go missing
    ("direction_agreement_pct", "min", 90.0),  # 100 today (the target), on the feet clear of a boundary
    ("twist_mae_deg", "max", 5.0),  # 4.5 today (the target; 5.5 before the 2D angle)
    # Lift-offs: 89.7 ms today (113.5 while a walking toe's lift-off was where its point first moved,
    # at the heel's rise, ~0.15-0.25 s early)
    ("to_mae_ms", "max", 100.0),
    # Spring or bang: no wrong call shown (at or above the floor). 0 today, by all calls reading "unclear"
    # (the front-view give barely follows the truth); was 9 of 46 feet with the old confidence (2026-11-29).
    ("landing_wrong_calls", "max", 0.0),
)
# tests/rendered/frontal (issue 11): the target is 3 deg and 0.05 leg lengths; these floors hold what the
# engine reaches today (VALIDATION.md) so it cannot quietly get worse. Pelvic drop and eversion are far
# from the target: their confidence is capped below the finding floor (gait.thresholds) until they reach it.
FRONTAL_BARS: tuple[tuple[str, str, float], ...] = (
    # Contacts, walks away included: 80.3 today (75.4 before lift-offs timed contacts from behind ahead of
    # settling overlaps; 73.8 before stances cut short by the clip's end; 62.3 before contacts seen from
    # behind came from lift-offs)
    ("ic_recall", "min", 77.0),
    # Target 3: 2.5 when built, 3.2 once pose ran at 1920 px on 40 % (was 33 %) of steps, 2.5 on this set
    # since the model's own landmarks, not mediapipe's smoothed ones, are measured (3.1 on the smoothed:
    # fails). Pooled over 153 rendered clips' steps the change is nil (2.56 -> 2.57 deg): a bar for this set.
    ("valgus_mae_deg", "max", 3.0),
    ("step_width_mae_leg", "max", 0.03),  # 0.054 until widths were taken between the feet's middles over the straight leg: 0.010
    # Target 3 (issue 11): 1.6 from the waistband (6.3 from the hip landmarks) once the front clips were
    # rendered with the waistband on the pelvis (tools.synth 0.2.0)
    ("pelvic_drop_mae_deg", "max", 3.0),
    ("to_mae_ms", "max", 100.0),  # 82.6 today (160.2 before the walking toe's lift-off was timed by its speed)
)
BAR_SETS = {"shared": BARS, "rendered": RENDERED_BARS, "frontal": FRONTAL_BARS}


@dataclass(frozen=True)
class FootCall:
    """One foot of one clip: the truth and the engine's answer for it."""

    clip: str
    foot: Side
    true_fpa_deg: float | None
    found_fpa_deg: float | None
    true_direction: str | None
    found_direction: str | None  # None: no call (unclear, or not measured)
    direction_confidence: float
    true_knee_give_deg: float | None
    found_knee_give_deg: float | None
    true_landing: str | None
    found_landing: str | None
    landing_confidence: float
    true_twist_deg: float | None = None  # median over the foot's steps (+ = turns out at lift-off)
    found_twist_deg: float | None = None
    measured_landing: str | None = None  # the spring-or-bang call before the floor (for the reliability table)


@dataclass
class ClipScore:
    name: str
    source: str
    speed: str
    n_true: int = 0
    n_found: int = 0
    n_matched: int = 0  # same foot, within the window
    n_time_matched: int = 0  # either foot, within the window
    n_foot_right: int = 0  # of the time-matched, on the right foot
    ic_err_ms: list[float] = field(default_factory=list)
    to_err_ms: list[float] = field(default_factory=list)
    cadence_true_spm: float | None = None
    cadence_found_spm: float | None = None
    accepted: bool = False
    refusal_codes: tuple[str, ...] = ()
    expect_usable: bool = True
    expect_refusal: str | None = None
    error: str | None = None
    feet: list[FootCall] = field(default_factory=list)
    meta: dict[str, object] = field(default_factory=dict)
    seconds: float = 0.0
    # issue 11: per measured step, (true, found) of each frontal measure (steps the findings rest on)
    frontal: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    frontal_true_n: dict[str, int] = field(default_factory=dict)  # true steps with that measure in the clip
    # landing sound (truth's "sound" block; gait.analysis.sound)
    sound_expect_heard: bool | None = None
    sound_heard: bool = False
    sound_reason: str | None = None
    loudness_lr_true_db: float | None = None
    loudness_lr_found_db: float | None = None
    sound_offset_ms: float | None = None

    @property
    def refusal_ok(self) -> bool:
        if self.expect_usable:
            return self.accepted
        if self.accepted:
            return False
        return self.expect_refusal is None or self.expect_refusal in self.refusal_codes

    @property
    def cadence_err_pct(self) -> float | None:
        if self.cadence_true_spm is None:
            return None
        if self.cadence_found_spm is None:
            return 100.0  # a walking clip with no cadence: as wrong as it gets
        return 100.0 * abs(self.cadence_found_spm / self.cadence_true_spm - 1.0)


def match_contacts(true_s: Sequence[float], found_s: Sequence[float], window_s: float = MATCH_WINDOW_S
                   ) -> list[tuple[int, int]]:
    """One-to-one pairs (true index, found index) closer than ``window_s``, closest pairs first."""
    pairs = sorted(((abs(f - t), i, j) for i, t in enumerate(true_s) for j, f in enumerate(found_s)
                    if abs(f - t) <= window_s))
    used_t: set[int] = set()
    used_f: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i not in used_t and j not in used_f:
            used_t.add(i)
            used_f.add(j)
            out.append((i, j))
    return sorted(out)


def direction_of(fpa_deg: float) -> str:
    from gait.analysis.findings import landing_direction

    return landing_direction(fpa_deg)


def _majority(values: Iterable[str | None]) -> str | None:
    known = [v for v in values if v]
    if not known:
        return None
    names, counts = np.unique(known, return_counts=True)
    return str(names[int(np.argmax(counts))])


def score_clip(truth: Truth, analysis: object) -> ClipScore:
    """Compare one analysis (``gait.pipeline.Analysis``) with its truth."""
    from gait.analysis.findings import unclear_below_floor

    a = analysis
    score = ClipScore(name=truth.clip.name, source=truth.source, speed=truth.speed.value, meta=truth.meta,
                      expect_usable=truth.expect_usable, expect_refusal=truth.expect_refusal)
    seen = truth.seen_contacts
    found = list(a.contacts)
    score.n_true, score.n_found = len(seen), len(found)
    for side in Side:
        t_side = [c for c in seen if c.foot is side]
        f_side = [s for s in found if s.foot is side]
        for i, j in match_contacts([c.ic_s for c in t_side], [s.contact_s for s in f_side]):
            score.n_matched += 1
            score.ic_err_ms.append(1000.0 * (f_side[j].contact_s - t_side[i].ic_s))
            if t_side[i].to_s is not None and f_side[j].toe_off_s is not None:
                score.to_err_ms.append(1000.0 * (f_side[j].toe_off_s - t_side[i].to_s))
    any_pairs = match_contacts([c.ic_s for c in seen], [s.contact_s for s in found])
    score.n_time_matched = len(any_pairs)
    score.n_foot_right = sum(seen[i].foot is found[j].foot for i, j in any_pairs)
    score.cadence_true_spm = truth.cadence_spm
    score.cadence_found_spm = a.cadence.cadence_spm if a.cadence is not None else None
    score.accepted = bool(a.quality.usable)
    score.refusal_codes = tuple(p.code for p in a.quality.problems if p.blocking)
    for side in Side:
        mine = [c for c in truth.contacts if c.foot is side]
        fpas = [c.fpa_deg for c in mine if c.fpa_deg is not None]
        gives = [c.knee_give_deg for c in mine if c.knee_give_deg is not None]
        twists = [c.twist_deg for c in mine if c.twist_deg is not None]
        true_fpa = float(np.median(fpas)) if fpas else None
        true_dir = direction_of(true_fpa) if true_fpa is not None else _majority(c.direction for c in mine)
        summary = a.feet.get(side)
        found_dir, dir_conf, found_fpa = None, 0.0, None
        found_landing, land_conf, found_give = None, 0.0, None
        if summary is not None:
            dir_conf = float(summary.direction_confidence)
            found_fpa = None if math.isnan(summary.foot_angle_median_deg) else float(summary.foot_angle_median_deg)
            if summary.landing_direction and not unclear_below_floor(dir_conf):
                found_dir = summary.landing_direction
            land_conf = float(summary.landing_confidence)
            if summary.landing and not unclear_below_floor(land_conf):
                found_landing = summary.landing
            give = summary.knee_give_median_deg
            found_give = None if give is None or math.isnan(give) else float(give)
        score.feet.append(FootCall(
            clip=score.name, foot=side, true_fpa_deg=true_fpa, found_fpa_deg=found_fpa, true_direction=true_dir,
            found_direction=found_dir, direction_confidence=dir_conf,
            true_knee_give_deg=float(np.median(gives)) if gives else None, found_knee_give_deg=found_give,
            true_landing=_majority(c.landing for c in mine), found_landing=found_landing,
            landing_confidence=land_conf, true_twist_deg=float(np.median(twists)) if twists else None,
            found_twist_deg=(None if summary is None or math.isnan(summary.twist_median_deg)
                             else float(summary.twist_median_deg)),
            measured_landing=summary.landing if summary is not None else None))
    _score_frontal(score, truth, a)
    _score_sound(score, truth, a)
    return score


FRONTAL_MATCH_WINDOW_S = 0.3  # a frontal measure belongs to its stance: a contact found a little off still counts
# (figure name, truth and step field, confidence field)
FRONTAL_FIGURES = (("valgus_mae_deg", "knee_valgus_deg", "knee_valgus_confidence"),
                   ("pelvic_drop_mae_deg", "pelvic_drop_deg", "pelvic_drop_confidence"),
                   ("eversion_mae_deg", "rearfoot_eversion_deg", "rearfoot_eversion_confidence"),
                   ("step_width_mae_leg", "step_width_leg", "step_width_confidence"))


def _score_frontal(score: ClipScore, truth: Truth, a: object) -> None:
    """Pairs each frontal step the app would use (confidence >= min_step_confidence) with its true stance."""
    from gait.thresholds import value

    frontal = getattr(a, "frontal", None)
    for figure, key, conf_key in FRONTAL_FIGURES:
        true_steps = [c for c in truth.seen_contacts if getattr(c, key) is not None]
        score.frontal_true_n[figure] = len(true_steps)
        pairs: list[tuple[float, float]] = []
        for step in (frontal.steps if frontal is not None else ()):
            found = getattr(step, key)
            if math.isnan(found) or getattr(step, conf_key) < value("min_step_confidence"):
                continue
            mine = [c for c in true_steps if c.foot is step.stance.foot
                    and abs(c.ic_s - step.stance.contact_s) <= FRONTAL_MATCH_WINDOW_S]
            if mine:
                near = min(mine, key=lambda c: abs(c.ic_s - step.stance.contact_s))
                pairs.append((float(getattr(near, key)), float(found)))
        score.frontal[figure] = pairs


def _score_sound(score: ClipScore, truth: Truth, a: object) -> None:
    """Left-minus-right loudness against a synthetic soundtrack's truth (``tools.synth.soundtrack``)."""
    sound = getattr(a, "sound", None)
    if sound is not None:
        score.sound_heard, score.sound_reason, score.sound_offset_ms = sound.heard, sound.reason, sound.offset_ms
        score.loudness_lr_found_db = sound.lr_diff_db if sound.heard else None
    told = truth.meta.get("sound")
    if isinstance(told, dict):
        score.sound_expect_heard = bool(told.get("expect_heard"))
        lr = told.get("lr_diff_db")
        score.loudness_lr_true_db = float(lr) if isinstance(lr, (int, float)) and score.sound_expect_heard else None


def is_sound_copy(s: ClipScore) -> bool:
    """A rendered clip copied only to carry a soundtrack: its pictures are already scored as the original."""
    told = s.meta.get("sound")
    return isinstance(told, dict) and bool(told.get("copy_of"))


def sound_figures(scores: Sequence[ClipScore]) -> dict[str, float]:
    """``loudness_lr_err_db``: mean |found - true| left-minus-right dB over clips whose steps should be heard
    (a clip declined wrongly counts its whole true difference plus the 2 dB bar: missing is wrong);
    ``sound_calls_ok``: % of sound-truth clips heard or declined as their truth says."""
    told = [s for s in scores if s.sound_expect_heard is not None]
    if not told:
        return {}
    errs = []
    for s in told:
        if s.loudness_lr_true_db is None:
            continue
        if s.loudness_lr_found_db is None:
            errs.append(abs(s.loudness_lr_true_db) + 2.0)
        else:
            errs.append(abs(s.loudness_lr_found_db - s.loudness_lr_true_db))
    out = {"sound_calls_ok": 100.0 * sum(s.sound_heard == s.sound_expect_heard for s in told) / len(told)}
    if errs:
        out["loudness_lr_err_db"] = mean(errs)
    return out




def mean(xs: Sequence[float]) -> float:
    return float(np.mean(xs)) if len(xs) else float("nan")


def overall(scores: Sequence[ClipScore]) -> dict[str, float]:
    """The summary figures over all clips (percentages 0-100, times in ms)."""
    with_copies = scores
    scores = [s for s in scores if not is_sound_copy(s)]
    n_true = sum(s.n_true for s in scores)
    n_found = sum(s.n_found for s in scores)
    n_matched = sum(s.n_matched for s in scores)
    ic = [e for s in scores for e in s.ic_err_ms]
    to = [e for s in scores for e in s.to_err_ms]
    cad = [s.cadence_err_pct for s in scores if s.cadence_err_pct is not None]
    n_time = sum(s.n_time_matched for s in scores)
    out: dict[str, float] = {
        "clips": float(len(scores)),
        "ic_recall": 100.0 * n_matched / n_true if n_true else float("nan"),
        "ic_precision": 100.0 * n_matched / n_found if n_found else (100.0 if n_true == 0 else 0.0),
        "ic_mae_ms": mean([abs(e) for e in ic]),
        "ic_bias_ms": mean(ic),
        "to_mae_ms": mean([abs(e) for e in to]),
        "lr_correct": 100.0 * sum(s.n_foot_right for s in scores) / n_time if n_time else float("nan"),
        "cadence_err_pct": mean(cad),
        "refusals_ok": 100.0 * sum(s.refusal_ok for s in scores) / len(scores) if scores else float("nan"),
    }
    feet = [f for s in scores for f in s.feet]
    fpa = [(f.true_fpa_deg, f.found_fpa_deg) for f in feet if f.true_fpa_deg is not None]
    if fpa:
        measured = [(t, e) for t, e in fpa if e is not None]
        out["fpa_mae_deg"] = mean([abs(e - t) for t, e in measured]) if measured else float("nan")
        out["fpa_slope"] = (float(np.polyfit([t for t, _ in measured], [e for _, e in measured], 1)[0])
                            if len(measured) >= 3 and np.ptp([t for t, _ in measured]) > 0 else float("nan"))
        out["fpa_measured_pct"] = 100.0 * len(measured) / len(fpa)
    judged = [f for f in feet if f.true_direction is not None and _clear_of_boundary(f)]
    if judged:
        out["direction_agreement_pct"] = 100.0 * sum(f.found_direction == f.true_direction for f in judged) / len(judged)
        out["direction_calls_pct"] = 100.0 * sum(f.found_direction is not None for f in judged) / len(judged)
    gives = [(f.true_knee_give_deg, f.found_knee_give_deg) for f in feet if f.true_knee_give_deg is not None]
    if gives:
        out["knee_give_mae_deg"] = mean([abs(e - t) for t, e in gives if e is not None])
    twists = [(f.true_twist_deg, f.found_twist_deg) for f in feet if f.true_twist_deg is not None]
    if twists:
        measured_twists = [(tr, e) for tr, e in twists if e is not None]
        out["twist_mae_deg"] = mean([abs(e - tr) for tr, e in measured_twists])
        out["twist_measured_pct"] = 100.0 * len(measured_twists) / len(twists)
    landings = [f for f in feet if f.true_landing is not None]
    if landings:
        out["landing_agreement_pct"] = 100.0 * sum(f.found_landing == f.true_landing for f in landings) / len(landings)
        out["landing_calls_pct"] = 100.0 * sum(f.found_landing is not None for f in landings) / len(landings)
        # A call shown (at or above the floor) that is wrong: the false statement to a runner to avoid.
        out["landing_wrong_calls"] = float(sum(f.found_landing not in (None, f.true_landing) for f in landings))
    for figure, _, _ in FRONTAL_FIGURES:
        n_true = sum(s.frontal_true_n.get(figure, 0) for s in scores)
        if n_true:
            pairs = [p for s in scores for p in s.frontal.get(figure, [])]
            out[figure] = mean([abs(f - t) for t, f in pairs])
            out[figure.replace("_mae_", "_measured_pct_").rsplit("_pct_", 1)[0] + "_pct"] = 100.0 * len(pairs) / n_true
    out.update(sound_figures(with_copies))
    return out


def _clear_of_boundary(f: FootCall) -> bool:
    """Feet whose true angle is more than the doubt margin from a category boundary (issue 9's rule)."""
    from gait.thresholds import value

    if f.true_fpa_deg is None:
        return True  # an annotator's call: no angle to test
    doubt = value("fpa_doubt_deg")
    return all(abs(f.true_fpa_deg - b) > doubt for b in (value("fpa_in_below_deg"), value("fpa_out_above_deg")))


def failures(figures: dict[str, float], bars: Sequence[tuple[str, str, float]] = BARS, word: str = "bar") -> list[str]:
    out = []
    for key, kind, bar in bars:
        if word == "target" and key not in figures:
            continue  # a target of a truth this folder does not have (e.g. foot angles of hand annotations)
        got = figures.get(key, float("nan"))
        if math.isnan(got) or (got < bar if kind == "min" else got > bar):
            out.append(f"{key}={got:.1f} misses its {word} ({'>=' if kind == 'min' else '<='} {bar:g})")
    return out


def final_line(figures: dict[str, float]) -> str:
    parts = []
    for key, val in figures.items():
        if key == "clips":
            parts.append(f"clips={int(val)}")
        elif key == "fpa_slope":
            parts.append(f"{key}={val:.2f}")
        elif key.endswith("_leg"):
            parts.append(f"{key}={val:.3f}")
        else:
            parts.append(f"{key}={val:.1f}")
    return " ".join(parts)
