"""Score the engine against ground truth: ``python -m gait.validate [DIR ...]``.

For every clip in each folder with a truth file beside it (hand annotations of real clips,
or rendered walkers' exact truth; see ``gait.truth``) the engine runs as the app runs it,
and per clip and overall we report: contact recall and precision (a found contact within
150 ms of a true one, same foot), contact timing error (mean absolute and bias), toe-off
error, left/right correct, cadence error, landing direction, foot angle, knee give and
spring-or-bang where the truth has them, and whether the clip was accepted or refused and
why. The last line is ``key=value`` pairs; ``--check`` exits 1 when a figure misses its bar
(CI), ``--write VALIDATION.md`` keeps the figures.

With no folder given it scores the shared annotated clips (``../shared/clips``) and the
committed rendered set (``tests/rendered``).
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from gait.errors import GaitError
from gait.names import Side
from gait.truth import Truth, TruthError, find_truths, load_truth

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FOLDERS = (REPO.parent / "shared" / "clips", REPO / "tests" / "rendered")
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
)
BARS: tuple[tuple[str, str, float], ...] = (
    ("ic_recall", "min", 90.0),  # target 95: reached 92.7 on the shared clips (2026-11-29)
    ("ic_precision", "min", 95.0),
    ("ic_mae_ms", "max", 35.0),
    ("lr_correct", "min", 100.0),
    ("cadence_err_pct", "max", 3.0),
    ("refusals_ok", "min", 100.0),
)
# The committed rendered set (tests/rendered): regression floors a little under what the engine
# reaches today, far from the targets (see VALIDATION.md); raised as the engine improves.
RENDERED_BARS: tuple[tuple[str, str, float], ...] = (
    ("ic_recall", "min", 70.0),
    ("ic_precision", "min", 70.0),
    ("ic_mae_ms", "max", 45.0),
    ("lr_correct", "min", 85.0),
    ("refusals_ok", "min", 75.0),
    ("fpa_mae_deg", "max", 4.5),  # 3.3 today (target 4)
    ("fpa_slope", "min", 0.8),  # 1.17 today (target 0.85-1.15)
    ("fpa_slope", "max", 1.3),
    ("fpa_measured_pct", "min", 55.0),  # 66.7 today: an angle must not quietly go missing
)
BAR_SETS = {"shared": BARS, "rendered": RENDERED_BARS}


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


def _direction_of(fpa_deg: float) -> str:
    from gait.findings import landing_direction

    return landing_direction(fpa_deg)


def _majority(values: Iterable[str | None]) -> str | None:
    known = [v for v in values if v]
    if not known:
        return None
    names, counts = np.unique(known, return_counts=True)
    return str(names[int(np.argmax(counts))])


def score_clip(truth: Truth, analysis: object) -> ClipScore:
    """Compare one analysis (``gait.pipeline.Analysis``) with its truth."""
    from gait.findings import unclear_below_floor

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
        true_fpa = float(np.median(fpas)) if fpas else None
        true_dir = _direction_of(true_fpa) if true_fpa is not None else _majority(c.direction for c in mine)
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
            landing_confidence=land_conf))
    return score


def run_clip(truth: Truth, cache_dir: Path | None) -> ClipScore:
    from gait.pipeline import analyze

    t0 = time.perf_counter()
    try:
        analysis = analyze(truth.clip, truth.speed, keep_pictures=False, pose_cache_dir=cache_dir)
    except GaitError as err:
        score = ClipScore(name=truth.clip.name, source=truth.source, speed=truth.speed.value, meta=truth.meta,
                          n_true=len(truth.seen_contacts), cadence_true_spm=truth.cadence_spm,
                          expect_usable=truth.expect_usable, expect_refusal=truth.expect_refusal,
                          refusal_codes=(err.code,), error=err.user_message)
    else:
        score = score_clip(truth, analysis)
    score.seconds = time.perf_counter() - t0
    return score


def _mean(xs: Sequence[float]) -> float:
    return float(np.mean(xs)) if len(xs) else float("nan")


def overall(scores: Sequence[ClipScore]) -> dict[str, float]:
    """The summary figures over all clips (percentages 0-100, times in ms)."""
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
        "ic_mae_ms": _mean([abs(e) for e in ic]),
        "ic_bias_ms": _mean(ic),
        "to_mae_ms": _mean([abs(e) for e in to]),
        "lr_correct": 100.0 * sum(s.n_foot_right for s in scores) / n_time if n_time else float("nan"),
        "cadence_err_pct": _mean(cad),
        "refusals_ok": 100.0 * sum(s.refusal_ok for s in scores) / len(scores) if scores else float("nan"),
    }
    feet = [f for s in scores for f in s.feet]
    fpa = [(f.true_fpa_deg, f.found_fpa_deg) for f in feet if f.true_fpa_deg is not None]
    if fpa:
        measured = [(t, e) for t, e in fpa if e is not None]
        out["fpa_mae_deg"] = _mean([abs(e - t) for t, e in measured]) if measured else float("nan")
        out["fpa_slope"] = (float(np.polyfit([t for t, _ in measured], [e for _, e in measured], 1)[0])
                            if len(measured) >= 3 and np.ptp([t for t, _ in measured]) > 0 else float("nan"))
        out["fpa_measured_pct"] = 100.0 * len(measured) / len(fpa)
    judged = [f for f in feet if f.true_direction is not None and _clear_of_boundary(f)]
    if judged:
        out["direction_agreement_pct"] = 100.0 * sum(f.found_direction == f.true_direction for f in judged) / len(judged)
        out["direction_calls_pct"] = 100.0 * sum(f.found_direction is not None for f in judged) / len(judged)
    gives = [(f.true_knee_give_deg, f.found_knee_give_deg) for f in feet if f.true_knee_give_deg is not None]
    if gives:
        out["knee_give_mae_deg"] = _mean([abs(e - t) for t, e in gives if e is not None])
    landings = [f for f in feet if f.true_landing is not None]
    if landings:
        out["landing_agreement_pct"] = 100.0 * sum(f.found_landing == f.true_landing for f in landings) / len(landings)
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
        else:
            parts.append(f"{key}={val:.1f}")
    return " ".join(parts)


def _fmt(x: float | None, digits: int = 0) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def clip_row(s: ClipScore) -> str:
    outcome = "accepted" if s.accepted else "refused: " + (", ".join(s.refusal_codes) or "?")
    expected = "accept" if s.expect_usable else "refuse" + (f" ({s.expect_refusal})" if s.expect_refusal else "")
    ic = [abs(e) for e in s.ic_err_ms]
    return (f"| {s.name} | {s.speed} | {s.n_true} | {s.n_found} | {s.n_matched} | "
            f"{s.n_foot_right}/{s.n_time_matched} | {_fmt(_mean(ic))} | {_fmt(_mean(s.ic_err_ms))} | "
            f"{_fmt(_mean([abs(e) for e in s.to_err_ms]))} | {_fmt(s.cadence_found_spm, 1)} "
            f"({_fmt(s.cadence_true_spm, 1)}) | {outcome} | {expected} | {'yes' if s.refusal_ok else 'NO'} |")


CLIP_HEADER = ("| clip | speed | true contacts | found | matched (same foot, 150 ms) | right foot | "
               "IC MAE ms | IC bias ms | TO MAE ms | cadence (truth) | outcome | expected | outcome ok |\n"
               "|---|---|---|---|---|---|---|---|---|---|---|---|---|")


def feet_table(scores: Sequence[ClipScore]) -> str:
    rows = ["| clip | foot | true angle deg | found deg | true direction | found (confidence) | "
            "true knee give deg | found | true landing | found (confidence) |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for s in scores:
        for f in s.feet:
            if f.true_direction is None and f.true_knee_give_deg is None and f.true_landing is None:
                continue
            rows.append(f"| {s.name} | {f.foot.value} | {_fmt(f.true_fpa_deg, 1)} | {_fmt(f.found_fpa_deg, 1)} | "
                        f"{f.true_direction or '-'} | {f.found_direction or 'unclear'} "
                        f"({100 * f.direction_confidence:.0f} %) | {_fmt(f.true_knee_give_deg, 1)} | "
                        f"{_fmt(f.found_knee_give_deg, 1)} | {f.true_landing or '-'} | "
                        f"{f.found_landing or 'unclear'} ({100 * f.landing_confidence:.0f} %) |")
    return "\n".join(rows) if len(rows) > 2 else ""


def markdown_section(title: str, scores: Sequence[ClipScore], bars_used: Sequence[tuple[str, str, float]]) -> str:
    """One folder's figures: the key=value line, its bars and targets, per clip, groups, reliability, feet."""
    figures = overall(scores)
    targets = {(k, kind): bar for k, kind, bar in TARGETS}
    bars = "\n".join(f"- `{k}` {'>=' if kind == 'min' else '<='} {bar:g}"
                     + (f" (target {targets[k, kind]:g})" if targets.get((k, kind), bar) != bar else "")
                     for k, kind, bar in bars_used)
    misses = failures(figures, bars_used)
    short = failures(figures, TARGETS, word="target")
    lines = [
        f"## {title}",
        "",
        "```",
        final_line(figures),
        "```",
        "",
        "Bars CI enforces (`python -m gait.validate --check`):",
        "",
        bars,
        "",
        ("All bars met." if not misses else "Missed: " + "; ".join(misses) + "."),
        "",
        ("All targets met." if not short else "Targets not yet met: " + "; ".join(short) + "."),
        "",
        "### Per clip",
        "",
        CLIP_HEADER,
        *[clip_row(s) for s in scores],
    ]
    groups = groups_table(scores)
    if groups:
        lines += ["", "### By speed, camera height, distance and frame rate (usable rendered clips)", "", groups]
    reliability = reliability_table(scores)
    if reliability:
        lines += ["", "### Does the landing-direction confidence mean what it says?", "",
                  "Every foot with a measured angle, by the confidence the app states for it; right = the "
                  "measured category equals the truth.", "", reliability]
    feet = feet_table(scores)
    if feet:
        lines += ["", "### Per foot (landing direction, knee give, spring or bang)", "", feet]
    return "\n".join(lines) + "\n"


def markdown(sections: Sequence[tuple[Path, Sequence[ClipScore], str]]) -> str:
    """The whole VALIDATION.md: one section per folder, each held to its own bar set."""
    head = [
        "# Validation: the engine against ground truth",
        "",
        "Made by `python -m gait.validate --write VALIDATION.md` (no folder: the shared annotated clips and the "
        "committed rendered walkers). Do not edit by hand. A found contact matches a true one within 150 ms on the "
        "same foot; timing errors are found minus true (negative = early). Toe-off (TO) is compared for matched "
        "contacts whose toe-off both sides saw. Percentages are 0-100.",
        "",
        "",
    ]
    body = [markdown_section(f"{_shown(folder)} (bars: {bar_name})", scores, BAR_SETS[bar_name])
            for folder, scores, bar_name in sections]
    return "\n".join(head) + "\n".join(body)


def _group_value(s: ClipScore, key: str) -> str:
    camera = s.meta.get("camera") if isinstance(s.meta.get("camera"), dict) else {}
    if key == "speed":
        return s.speed
    if key == "camera height":
        h = camera.get("height_m")
        return "-" if h is None else ("<= 0.45 m" if h <= 0.45 else "0.5-0.7 m" if h <= 0.7 else "> 0.7 m")
    if key == "distance at the end":
        d = camera.get("distance_end_m")
        return "-" if d is None else ("<= 4 m" if d <= 4 else "4-5.5 m" if d <= 5.5 else "> 5.5 m")
    if key == "frame rate":
        fps = s.meta.get("fps")
        return "-" if fps is None else f"{float(fps):.0f} fps"
    return "-"


def groups_table(scores: Sequence[ClipScore]) -> str:
    """Figures by speed, camera height, distance and frame rate (rendered clips, which know them)."""
    rendered = [s for s in scores if s.source == "rendered" and s.expect_usable]
    if not rendered:
        return ""
    rows = ["| by | group | clips | ic_recall | ic_mae_ms | lr_correct | cadence_err_pct | fpa_mae_deg | "
            "direction_agreement_pct | knee_give_mae_deg | landing_agreement_pct |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for key in ("speed", "camera height", "distance at the end", "frame rate"):
        for value_ in sorted({_group_value(s, key) for s in rendered}):
            mine = [s for s in rendered if _group_value(s, key) == value_]
            f = overall(mine)
            cells = [_fmt(f.get(k), 1) for k in ("ic_recall", "ic_mae_ms", "lr_correct", "cadence_err_pct",
                                                 "fpa_mae_deg", "direction_agreement_pct", "knee_give_mae_deg",
                                                 "landing_agreement_pct")]
            rows.append(f"| {key} | {value_} | {len(mine)} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def reliability_table(scores: Sequence[ClipScore]) -> str:
    """Of the landing-direction calls made at a given confidence, how many were right."""
    calls = [f for s in scores for f in s.feet
             if f.true_direction is not None and f.found_fpa_deg is not None and f.direction_confidence > 0]
    if not calls:
        return ""
    rows = ["| stated confidence | feet | right (measured category = truth) |", "|---|---|---|"]
    for lo, hi in ((0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)):
        mine = [f for f in calls if lo <= f.direction_confidence < hi]
        if mine:
            right = sum(_direction_of(f.found_fpa_deg) == f.true_direction for f in mine)
            rows.append(f"| {100 * lo:.0f}-{min(100, 100 * hi):.0f} % | {len(mine)} | {100 * right / len(mine):.0f} % |")
    return "\n".join(rows)


def _shown(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(REPO.parent)).replace("main/", "", 1) if p.resolve().is_relative_to(
            REPO) else "../" + str(p.resolve().relative_to(REPO.parent))
    except ValueError:
        return str(p)


def collect(folders: Sequence[Path]) -> list[Truth]:
    truths = []
    for folder in folders:
        if not folder.is_dir():
            sys.stderr.write(f"no such folder: {folder}\n")
            continue
        for path in find_truths(folder):
            try:
                truths.append(load_truth(path, clip_dir=folder))
            except TruthError as err:
                sys.stderr.write(f"{path}: {err.user_message}\n")
    return truths


SUMMARY_FILE = Path(__file__).resolve().parent / "validation_summary.json"


def write_summary(sections: Sequence[tuple[Path, Sequence[ClipScore], str]]) -> None:
    """The headline figures the app quotes ("how sure are we"), per kind of truth."""
    import json

    out: dict[str, dict[str, float]] = {}
    for _, scores, bar_name in sections:
        figures = overall(scores)
        out["real" if bar_name == "shared" else "rendered"] = {
            k: round(v, 1) for k, v in figures.items() if isinstance(v, float) and math.isfinite(v)}
    SUMMARY_FILE.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def how_sure_text() -> str | None:
    """One or two sentences on measured accuracy for the results page, from the last validation run."""
    import json

    try:
        data = json.loads(SUMMARY_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    real, rendered = data.get("real", {}), data.get("rendered", {})
    parts = []
    if "ic_recall" in real and "ic_mae_ms" in real:
        parts.append(f"On filmed walks and runs whose landings were marked by hand, we found "
                     f"{real['ic_recall']:.0f} % of the landings, timed within {real['ic_mae_ms']:.0f} ms on average")
    if "fpa_mae_deg" in rendered:
        parts.append(f"on computer-made walkers with known feet, the landing direction was off by "
                     f"{rendered['fpa_mae_deg']:.0f}° on average where we could measure it "
                     f"({rendered.get('fpa_measured_pct', 0):.0f} % of feet)")
    return ("; ".join(parts) + ".") if parts else None


def _bar_set_for(folder: Path, truths: Sequence[Truth], chosen: str | None) -> str:
    if chosen:
        return chosen
    return "rendered" if truths and all(t.source == "rendered" for t in truths) else "shared"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gait.validate", description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, help="folders of clips with truth files beside them "
                        "(or in an annotations/ subfolder); default: ../shared/clips and tests/rendered")
    parser.add_argument("--check", action="store_true", help="exit 1 when a figure misses its bar")
    parser.add_argument("--write", type=Path, help="write the figures as markdown to this file")
    parser.add_argument("--cache", type=Path, help="reuse pose tracks kept in this folder (developers)")
    parser.add_argument("--only", help="score only clips whose name contains this")
    parser.add_argument("--bars", choices=sorted(BAR_SETS),
                        help="which bars --check holds every folder to (default: 'rendered' for a folder of "
                        "rendered walkers, 'shared' (the issues' targets) otherwise)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    os.environ.setdefault("GLOG_minloglevel", "2")  # mediapipe's C++ chatter, before it is imported
    folders = args.folders or [f for f in DEFAULT_FOLDERS if f.is_dir()]
    sections: list[tuple[Path, list[ClipScore], str]] = []
    for folder in folders:
        truths = collect([folder])
        if args.only:
            truths = [t for t in truths if args.only in t.clip.name]
        if not truths:
            continue
        scores = []
        for truth in truths:
            score = run_clip(truth, args.cache)
            scores.append(score)
            sys.stdout.write(clip_row(score).strip("| ").replace(" | ", "  ") + f"  [{score.seconds:.0f} s]\n")
            sys.stdout.flush()
        sections.append((folder, scores, _bar_set_for(folder, truths, args.bars)))
    if not sections:
        sys.stderr.write("No clips with truth files found in: " + ", ".join(map(str, folders)) + "\n")
        return 2
    every = [s for _, scores, _ in sections for s in scores]
    feet = feet_table(every)
    if feet:
        sys.stdout.write(feet + "\n")
    if args.write:
        args.write.write_text(markdown(sections), encoding="utf-8")
        write_summary(sections)
    missed = False
    for folder, scores, bar_name in sections:
        figures = overall(scores)
        for miss in failures(figures, BAR_SETS[bar_name]):
            missed = True
            sys.stdout.write(f"BAR MISSED ({_shown(folder)}, {bar_name} bars): {miss}\n")
        if len(sections) > 1:
            sys.stdout.write(f"{_shown(folder)}: {final_line(figures)}\n")
    sys.stdout.write(final_line(overall(every)) + "\n")
    return 1 if (args.check and missed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
