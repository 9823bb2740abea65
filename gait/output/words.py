"""Plain words for results, shared by the results page and the PDF so both say the same thing.

Everything here reads the documented results JSON (``gait.output.results.analysis_to_dict``)
and applies the one rule of doubt: below the confidence floor a value reads "unclear", with
the reason, never as a fact (``gait.analysis.findings.unclear_below_floor``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gait.analysis.findings import UNCLEAR, unclear_below_floor
from gait.names import Side, Speed

DIRECTION_SHORT = {"in": "in", "straight": "straight", "out": "out"}
LANDING_SHORT = {"spring": "spring", "bang": "bang"}
NOT_MEASURED = "\u2013"  # a dash, never "None"


def pct(x: float | None) -> str:
    return NOT_MEASURED if x is None else f"{100 * float(x):.0f}%"


def cadence_is_clear(summary: Mapping[str, Any]) -> bool:
    """A cadence to show as a number: measured and its confidence at or above the floor."""
    conf = summary.get("cadence_confidence")
    return summary.get("cadence_spm") is not None and conf is not None and not unclear_below_floor(float(conf))


def cadence_unclear_text(summary: Mapping[str, Any]) -> str:
    """Why a measured cadence is shown as unclear, in plain words with its range."""
    lo, hi = summary.get("cadence_low_spm"), summary.get("cadence_high_spm")
    where = f"somewhere between {lo:.0f} and {hi:.0f} steps/min" if lo is not None and hi is not None else ""
    why = _CADENCE_UNCLEAR_WHY.get(summary.get("cadence_method") or "", _CADENCE_UNCLEAR_WHY["contacts"])
    return f"Cadence: unclear \u2014 {where}; {why} (confidence {pct(summary.get('cadence_confidence'))})."


# Why a cadence is unclear, by how it was found (gait.analysis.events.Cadence.method).
_CADENCE_UNCLEAR_WHY = {
    "contacts": "the steps found were too few or too uneven to pin it down",
    "leg_rhythm": ("the landings were too unsure to count, and the legs' rhythm alone cannot pin it down "
                   "closer over so few steps toward or away from the phone"),
    "hip_rhythm": "the hips' up-and-down rhythm was too faint or too short to pin it down",
}


def cadence_range_text(summary: Mapping[str, Any]) -> str:
    lo, hi = summary.get("cadence_low_spm"), summary.get("cadence_high_spm")
    rng = f"most likely between {lo:.0f} and {hi:.0f}; " if lo is not None and hi is not None else ""
    return f"{rng}confidence {pct(summary.get('cadence_confidence'))}"


def _cell(category: str | None, confidence: float | None, short: Mapping[str, str]) -> str:
    if category is None:
        return "not judged"
    if category == UNCLEAR or unclear_below_floor(float(confidence or 0.0)):
        return f"unclear ({pct(confidence)})"
    return f"{short.get(category, category)} ({pct(confidence)})"


def across_speeds_rows(analyses: Mapping[str, Mapping[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """The across-speeds table, one column per speed, so it fits a phone (at most 4 columns).

    Returns (header, rows); every cell is text ("unclear (25%)", "straight (62%)", a dash).
    """
    speeds = [s for s in Speed if s.value in analyses]
    header = [""] + [s.label for s in speeds]
    rows: list[list[str]] = []

    def cadence(d: Mapping[str, Any]) -> str:
        s = d["summary"]
        if s.get("cadence_spm") is None:
            return NOT_MEASURED
        return f"{s['cadence_spm']:.0f}" if cadence_is_clear(s) else f"unclear ({pct(s.get('cadence_confidence'))})"

    rows.append(["Cadence (steps/min)"] + [cadence(analyses[s.value]) for s in speeds])
    for side in Side:
        for label, key, conf_key, short in (
                (f"{side.label.capitalize()} foot points", "landing_direction", "direction_confidence",
                 DIRECTION_SHORT),
                (f"{side.label.capitalize()} foot: spring or bang", "landing", "landing_confidence", LANDING_SHORT),
                (f"{side.label.capitalize()} knee falls in", "knee_falls_in", "knee_valgus_confidence", {})):
            cells = []
            for s in speeds:
                d = analyses[s.value]
                f = d["summary"]["feet"].get(side.value)
                if not d["quality"]["usable"]:
                    cells.append("clip not usable")
                elif not f:
                    cells.append(NOT_MEASURED)
                else:
                    cells.append(_cell(f.get(key), f.get(conf_key), short))
            rows.append([label] + cells)
    return header, rows


def clip_facts(d: Mapping[str, Any]) -> str:
    """What the runner needs to know about a clip, without pixel sizes or frame rates."""
    q, v = d["quality"], d["video"]
    parts = []
    if v.get("duration_s") is not None:
        parts.append(f"{v['duration_s']:.1f} s clip")
    parts.append(f"you are seen in {q.get('person_frames_pct') or 0:.0f}% of it")
    parts.append(f"feet clear in {q.get('feet_visible_pct') or 0:.0f}%")
    parts.append(f"{q.get('steps_found', 0)} steps found")
    return " \u00b7 ".join(parts)


def steps_in_time_order(steps: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(steps, key=lambda s: s.get("contact_s") or 0.0)


def hip_line_words(foot_summary: dict | None) -> str:
    """What the yellow line of a frontal picture is: the waistband where pelvic drop was read from it."""
    if (foot_summary or {}).get("pelvic_drop_from") == "waistband":
        return "along your waistband, whose tilt the hip's drop follows"
    return "between the hips"
