"""Saved results: the data file (all analysed speeds in one JSON document) and then-vs-now comparison.

The data file is ``{"springcheck_results": 1, "created": "YYYY-MM-DD", "analyses": {speed: result}}``
where each result is the documented JSON of one analysis (:func:`gait.output.results.analysis_to_dict`).
A single result as the CLI writes it (``schema_version`` and ``speed`` at the top) also loads,
as a one-speed bundle. Loading never trusts the file: every problem is a :class:`DataFileError`
with a message a runner understands and a fix.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from gait.errors import GaitError
from gait.names import Side, Speed
from gait.pipeline import SCHEMA_VERSION

BUNDLE_KEY = "springcheck_results"
BUNDLE_VERSION = 1

#: Fields the report and the comparison read; a result without them cannot be shown.
_REQUIRED: tuple[tuple[str, ...], ...] = (
    ("speed",), ("video", "name"), ("quality", "usable"), ("quality", "problems"), ("steps",),
    ("summary", "cadence_spm"), ("summary", "feet"), ("findings",),
)
_FOOT_REQUIRED = ("n_steps", "foot_angle_median_deg", "landing_direction", "direction_confidence", "landing",
                  "landing_confidence", "twist_at_lift_off", "knee_give_median_deg")

#: A cadence change smaller than this is within what one clip can tell apart (heuristic: the
#: cadence's own 68 % range from one clip is typically +-2-5 %).
CADENCE_SAME_PCT = 2.0


class DataFileError(GaitError):
    """A saved-results file that cannot be read back."""


def _fix_upload() -> str:
    return "Choose the data file SpringCheck gave you (a .json file), not the PDF or a video."


# ---- data file ---------------------------------------------------------------------------------

def bundle(analyses: Mapping[str, dict[str, Any]] | Iterable[dict[str, Any]], created: date | None = None
           ) -> dict[str, Any]:
    """One data file holding every analysed speed.

    Parameters
    ----------
    analyses : speed value -> result dict, or result dicts (each names its own ``speed``).
    created : the date the results were made; today when None.
    """
    items = analyses.values() if isinstance(analyses, Mapping) else analyses
    by_speed = {Speed(d["speed"]).value: d for d in items}
    ordered = {s.value: by_speed[s.value] for s in Speed if s.value in by_speed}  # walk, fast walk, run
    return {BUNDLE_KEY: BUNDLE_VERSION, "created": (created or date.today()).isoformat(), "analyses": ordered}


def dump_bundle(b: dict[str, Any]) -> bytes:
    """The data file's bytes (UTF-8 JSON)."""
    return json.dumps(b, indent=2, ensure_ascii=False).encode("utf-8")


def merge_bundles(bundles: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Merge by speed; a later bundle's speed replaces an earlier one's. The newest date is kept."""
    merged: dict[str, dict[str, Any]] = {}
    dates = []
    for b in bundles:
        merged.update(b["analyses"])
        if b.get("created"):
            dates.append(b["created"])
    out = bundle(merged)
    out["created"] = max(dates) if dates else None
    return out


def load_bundle(data: bytes | str) -> dict[str, Any]:
    """Read a data file (or one CLI result) back into a bundle.

    Raises
    ------
    DataFileError
        code ``not_json``, ``not_springcheck``, ``newer_version``, ``missing_fields`` or ``no_results``.
    """
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        doc = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise DataFileError("not_json", "This file is not a SpringCheck data file: it is not JSON text.",
                            _fix_upload()) from None
    if not isinstance(doc, dict):
        raise DataFileError("not_springcheck", "This file is JSON, but not a SpringCheck data file.", _fix_upload())
    if BUNDLE_KEY in doc:
        version = doc[BUNDLE_KEY]
        _check_version(version, BUNDLE_VERSION)
        analyses = doc.get("analyses")
        if not isinstance(analyses, dict):
            raise _missing("the list of analysed clips")
        created = doc.get("created")
    elif "schema_version" in doc and "speed" in doc:
        analyses = {"single": doc}
        created = None
    else:
        raise DataFileError("not_springcheck", "This file is JSON, but not a SpringCheck data file.", _fix_upload())
    if not analyses:
        raise DataFileError("no_results", "This data file holds no analysed clips.",
                            "Analyse at least one clip, then download the data file again.")
    checked = {}
    for result in analyses.values():
        _check_result(result)
        checked[result["speed"]] = result
    out = bundle(checked)
    out["created"] = created if isinstance(created, str) else None
    return out


def read_data_file(path: str | Path) -> dict[str, Any]:
    """:func:`load_bundle` of a file on disk; an unreadable file is a :class:`DataFileError` too."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise DataFileError("cannot_read", f"We could not open {path}: {err.strerror or err}.",
                            "Check the file name and that the file exists.") from None
    try:
        return load_bundle(data)
    except DataFileError as err:
        # With several files on one command line, say which one is wrong.
        raise DataFileError(err.code, f"{Path(path).name}: {err.user_message}", err.fix) from None


def _check_version(version: object, newest: int) -> None:
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DataFileError("not_springcheck", "This file looks like a SpringCheck data file, but its version "
                            "mark is broken.", _fix_upload())
    if version > newest:
        raise DataFileError("newer_version", "This data file was made by a newer version of SpringCheck than "
                            "this one.", "Open it with the newer SpringCheck, or analyse the clips again here.")


def _missing(what: str) -> DataFileError:
    return DataFileError("missing_fields", f"This data file is incomplete: {what} is missing.",
                         "Download the data file again from SpringCheck; do not edit it by hand.")


def _check_result(result: object) -> None:
    if not isinstance(result, dict):
        raise _missing("an analysed clip")
    if "schema_version" not in result:
        raise _missing("the results' version")
    _check_version(result["schema_version"], SCHEMA_VERSION)
    for path in _REQUIRED:
        node: Any = result
        for key in path:
            if not isinstance(node, dict) or key not in node:
                raise _missing("'" + ".".join(path) + "'")
            node = node[key]
    if result["speed"] not in {s.value for s in Speed}:
        raise _missing(f"a known speed (found {result['speed']!r})")
    for side, foot in result["summary"]["feet"].items():
        if side not in {s.value for s in Side} or not isinstance(foot, dict):
            raise _missing("the per-foot summary")
        for key in _FOOT_REQUIRED:
            if key not in foot:
                raise _missing(f"'{key}' for the {Side(side).label} foot")


# ---- then vs now -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """One measure, then and now.

    ``improved`` is True/False when the change is clearly for the better/worse for a knee,
    None when it is neither, too small to tell, or one side was not judged. ``changed`` is
    True for a real difference, False for "the same", None when the two cannot be compared.
    """

    speed: str
    what: str
    then: str
    now: str
    change: str
    improved: bool | None
    changed: bool | None


_DIRECTION_WORDS = {"in": "points in", "straight": "straight", "out": "points out", "unclear": "unclear"}


def _fmt_num(x: float) -> str:
    return f"{x:.0f}"


def _signed(x: float, unit: str) -> str:
    # A real minus sign reads better than a hyphen; the PDF font carries it.
    return ("+" if x > 0 else "\u2212" if x < 0 else "\u00b1") + f"{abs(x):.0f}{unit}"


def _delta(then: float | None, now: float | None, prefix: str = "") -> list[str]:
    """The size of a change in degrees, or nothing when it is unknown or rounds to zero."""
    if then is None or now is None or round(now - then) == 0:
        return []
    return [prefix + _signed(round(now - then), "\u00b0")]


def compare_cadence(speed: str, then: dict[str, Any], now: dict[str, Any]) -> Change:
    """Cadence then vs now; only for running is higher clearly better (+5-10 % lowers knee load)."""
    a, b = then["summary"]["cadence_spm"], now["summary"]["cadence_spm"]
    if a is None or b is None:
        return Change(speed, "cadence", "not measured" if a is None else f"{_fmt_num(a)} steps/min",
                      "not measured" if b is None else f"{_fmt_num(b)} steps/min", "cannot compare", None, None)
    diff = b - a
    pct = 100.0 * diff / a
    text = f"{_signed(round(diff), ' steps/min')} ({_signed(round(pct), ' %')})"
    changed = round(diff) != 0 and abs(pct) >= CADENCE_SAME_PCT
    if round(diff) == 0:
        improved, text = None, "no change"
    elif not changed:
        improved = None
        text += ", about the same"
    elif Speed(speed).is_running:
        improved = diff > 0
    else:
        improved = None  # walking cadence follows the chosen pace, not knee load
    return Change(speed, "cadence", f"{_fmt_num(a)} steps/min", f"{_fmt_num(b)} steps/min", text, improved, changed)


def _direction_text(f: dict[str, Any] | None) -> str:
    if not f or f.get("landing_direction") is None:
        return "not judged"
    angle = f.get("foot_angle_median_deg")
    return _DIRECTION_WORDS[f["landing_direction"]] + (f", {angle:.0f}\u00b0" if angle is not None else "")


def compare_direction(speed: str, side: Side, then: dict | None, now: dict | None) -> Change:
    """Landing direction: reaching "straight" is better, leaving it worse, in <-> out is neither."""
    what = f"{side.label} foot landing direction"
    a, b = (then or {}).get("landing_direction"), (now or {}).get("landing_direction")
    if a is None or b is None or "unclear" in (a, b):
        return Change(speed, what, _direction_text(then), _direction_text(now), "cannot compare", None, None)
    parts = ["same" if a == b else f"{a} \u2192 {b}"]
    parts += _delta(then.get("foot_angle_median_deg"), now.get("foot_angle_median_deg"))
    improved = None if a == b else (True if b == "straight" else False if a == "straight" else None)
    return Change(speed, what, _direction_text(then), _direction_text(now), ", ".join(parts), improved, a != b)


def _landing_text(f: dict[str, Any] | None) -> str:
    if not f or f.get("landing") is None:
        return "not judged"
    give = f.get("knee_give_median_deg")
    return f["landing"] + (f", knee gives {give:.0f}\u00b0" if give is not None else "")


def compare_landing(speed: str, side: Side, then: dict | None, now: dict | None) -> Change:
    """Spring or bang: bang -> spring is better; the knee's give is shown as the size of the change."""
    what = f"{side.label} foot spring or bang"
    a, b = (then or {}).get("landing"), (now or {}).get("landing")
    if a is None or b is None or "unclear" in (a, b):
        return Change(speed, what, _landing_text(then), _landing_text(now), "cannot compare", None, None)
    parts = ["same" if a == b else f"{a} \u2192 {b}"]
    parts += _delta(then.get("knee_give_median_deg"), now.get("knee_give_median_deg"), "knee give ")
    improved = None if a == b else b == "spring"
    return Change(speed, what, _landing_text(then), _landing_text(now), ", ".join(parts), improved, a != b)


def compare_twist(speed: str, side: Side, then: dict | None, now: dict | None) -> Change:
    what = f"{side.label} foot twist at lift-off"
    words = {True: "yes", False: "no", None: "not judged"}
    a, b = (then or {}).get("twist_at_lift_off"), (now or {}).get("twist_at_lift_off")
    if a is None or b is None:
        return Change(speed, what, words[a], words[b], "cannot compare", None, None)
    if a == b:
        return Change(speed, what, words[a], words[b], "same", None, False)
    return Change(speed, what, words[a], words[b], "gone" if a else "new", not b, True)


# Issue 11: (JSON call, JSON value, what, unit) - "yes" is the finding; older files lack them ("cannot compare").
FRONTAL_CALLS = (("knee_falls_in", "knee_valgus_deg", "knee falls in", "\u00b0"),
                 ("hip_drops", "pelvic_drop_deg", "hip drops on the other side", "\u00b0"),
                 ("feet_cross", "step_width_leg", "feet cross the midline", " leg"),
                 ("heel_rolls_in", "rearfoot_eversion_deg", "heel rolls in (from behind)", "\u00b0"))


def _frontal_text(f: dict[str, Any] | None, call: str, key: str, unit: str) -> str:
    if not f or f.get(call) is None or f.get(key) is None:
        return "not measured"
    v = f[key]
    return f"{f[call]}, " + (f"{v:.2f}{unit}" if unit == " leg" else f"{round(v)}{unit}")


def compare_frontal(speed: str, side: Side, then: dict | None, now: dict | None) -> list[Change]:
    """Knee, hip, step width and heel then vs now: a "yes" gone is better, a new one worse; unclear cannot compare."""
    out = []
    for call, key, what, unit in FRONTAL_CALLS:
        a, b = (then or {}).get(call), (now or {}).get(call)
        label = f"{side.label} {what}"
        if a is None and b is None:
            continue
        ta, tb = _frontal_text(then, call, key, unit), _frontal_text(now, call, key, unit)
        if a not in ("yes", "no") or b not in ("yes", "no"):
            out.append(Change(speed, label, ta, tb, "cannot compare", None, None))
        elif a == b:
            out.append(Change(speed, label, ta, tb, "same", None, False))
        else:
            out.append(Change(speed, label, ta, tb, "gone" if a == "yes" else "new", a == "yes", True))
    return out


def across_speeds(b: dict[str, Any]) -> list[dict[str, str]]:
    """One row per speed and foot: the frontal calls with their values (the page's and the PDF's table)."""
    rows = []
    for speed in Speed:
        result = b["analyses"].get(speed.value)
        if result is None:
            continue
        feet = ((result["summary"].get("frontal") or {}).get("feet") or {})
        for side in Side:
            f = feet.get(side.value)
            if not f:
                continue
            row = {"speed": speed.label, "foot": side.label}
            for call, key, what, unit in FRONTAL_CALLS:
                row[what] = _frontal_text(f, call, key, unit)
            rows.append(row)
    return rows


def compare(then: dict[str, Any], now: dict[str, Any]) -> list[Change]:
    """What changed between two bundles, speed by speed (walk, fast walk, run), and by how much."""
    changes: list[Change] = []
    for speed in Speed:
        a, b = then["analyses"].get(speed.value), now["analyses"].get(speed.value)
        if a is None and b is None:
            continue
        if a is None or b is None:
            changes.append(Change(speed.value, "clip", "analysed" if a else "not filmed",
                                  "analysed" if b else "not filmed", "only now" if b else "only then", None, None))
            continue
        changes.append(compare_cadence(speed.value, a, b))
        if not (a["quality"]["usable"] and b["quality"]["usable"]):
            # Foot findings need a usable clip on both dates.
            which = ("then and now" if not (a["quality"]["usable"] or b["quality"]["usable"])
                     else "then" if not a["quality"]["usable"] else "now")
            changes.append(Change(speed.value, "foot findings", "usable" if a["quality"]["usable"] else "clip not usable",
                                  "usable" if b["quality"]["usable"] else "clip not usable",
                                  f"cannot compare: clip not usable {which}", None, None))
            continue
        for side in Side:
            fa, fb = a["summary"]["feet"].get(side.value), b["summary"]["feet"].get(side.value)
            changes.append(compare_direction(speed.value, side, fa, fb))
            changes.append(compare_landing(speed.value, side, fa, fb))
            changes.append(compare_twist(speed.value, side, fa, fb))
            changes.extend(compare_frontal(speed.value, side, fa, fb))
    return changes


def change_sentences(changes: Iterable[Change]) -> list[str]:
    """Short plain sentences: what got better, what got worse, what changed either way."""
    changes = list(changes)
    out = []
    for c in changes:
        if not c.changed:
            continue
        verdict = {True: "got better", False: "got worse", None: "changed"}[c.improved]
        # Cadence needs its size spelt out; the other measures' arrow already says what changed.
        size = f", {c.change}" if c.what == "cadence" else ""
        out.append(f"{Speed(c.speed).label}, {c.what} {verdict}: {c.then} \u2192 {c.now}{size}.")
    if not out:
        out.append("No clear change between the two dates.")
    elif any(c.changed is False for c in changes):
        out.append("Everything else is about the same.")
    return out


def changes_as_rows(changes: Iterable[Change]) -> list[dict[str, str]]:
    """Table rows (what a page or the PDF shows side by side)."""
    mark = {True: "better", False: "worse", None: ""}
    return [{"speed": Speed(c.speed).label, "what": c.what, "then": c.then, "now": c.now, "change": c.change,
             "verdict": mark[c.improved]} for c in changes]


def finding_codes(b: dict[str, Any]) -> list[str]:
    """Finding codes across all speeds, first seen first, for choosing exercises."""
    from gait.analysis.findings import credible_dicts

    codes: list[str] = []
    for result in b["analyses"].values():
        for f in credible_dicts(result["findings"]):
            if f["code"] not in codes:
                codes.append(f["code"])
    return codes
