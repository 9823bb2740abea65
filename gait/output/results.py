"""Results as data: the documented JSON of one analysis, and a readable text summary."""

from __future__ import annotations

import math
from typing import Any

from gait.analysis.findings import (UNCLEAR, cadence_target_spm, credible_dicts, landing_direction, step_landing,
                                   unclear_below_floor, yes_no_label)
from gait.names import Side
from gait.pipeline import SCHEMA_VERSION, Analysis, cadence_confidence, step_confidence
from gait.output.words import cadence_is_clear, cadence_unclear_text
from gait.output.sound_results import sound_text, sound_to_dict, step_loudness


def _num(x: float | None, digits: int = 1) -> float | None:
    """JSON has no NaN: a value we could not measure is null."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return round(float(x), digits)


def _shown(category: str | None, confidence: float) -> str | None:
    return None if category is None else (UNCLEAR if unclear_below_floor(confidence) else category)


# (JSON name of the value, FrontalFoot field, JSON name of the call) - issue 11
FRONTAL_FIELDS = (("knee_valgus_deg", "knee_valgus", "knee_falls_in"),
                  ("pelvic_drop_deg", "pelvic_drop", "hip_drops"),
                  ("step_width_leg", "step_width", "feet_cross"),
                  ("rearfoot_eversion_deg", "rearfoot_eversion", "heel_rolls_in"))


def _frontal_step(step: Any | None) -> dict[str, Any]:
    """A step's frontal values and their confidences (null when not measured)."""
    out: dict[str, Any] = {}
    for key, _, _ in FRONTAL_FIELDS:
        v = getattr(step, key) if step is not None else None
        c = getattr(step, key.rsplit("_", 1)[0] + "_confidence") if step is not None else 0.0
        out[key] = _num(v, 3 if key.endswith("_leg") else 1)
        out[key.rsplit("_", 1)[0] + "_confidence"] = round(float(c), 2) if out[key] is not None else None
    return out


def _frontal_foot(foot: Any) -> dict[str, Any]:
    """Per foot: each frontal measure's median, spread, steps, confidence and the call (unclear below the floor)."""
    out: dict[str, Any] = {}
    for key, attr, call in FRONTAL_FIELDS:
        m = getattr(foot, attr)
        digits = 3 if key.endswith("_leg") else 1
        out[key] = _num(m.median, digits)
        out[key.rsplit("_", 1)[0] + "_iqr" + key[key.rfind("_"):]] = _num(m.iqr, digits)
        out[key.rsplit("_", 1)[0] + "_steps"] = m.n_steps
        out[key.rsplit("_", 1)[0] + "_confidence"] = m.confidence
        out[call] = yes_no_label(m.flagged, m.confidence)
    out["pelvic_drop_from"] = getattr(foot, "pelvic_drop_from", "") or None  # "waistband" or "hips"
    return out


def frontal_to_dict(a: Analysis) -> dict[str, Any] | None:
    f = a.frontal
    if f is None:
        return None
    rear = f.rear
    return {
        "feet": {side.value: _frontal_foot(foot) for side, foot in f.feet.items()},
        "knee_valgus_lr_diff_deg": _num(f.valgus_lr_diff_deg),
        "rear_view": {"filmed": rear.filmed, "usable": rear.usable, "reason": rear.reason,
                      "from_s": _num(rear.from_s, 2), "to_s": _num(rear.to_s, 2), "steps": len(rear.steps)},
        "rear_steps": [{"foot": s.stance.foot.value, "contact_s": _num(s.stance.contact_s, 3),
                        "rearfoot_eversion_deg": _num(s.rearfoot_eversion_deg),
                        "rearfoot_eversion_confidence": round(s.rearfoot_eversion_confidence, 2)}
                       for s in f.steps if s.view == "rear"],
    }


def analysis_to_dict(a: Analysis) -> dict[str, Any]:
    q = a.quality
    steps = []
    front_by_stance = {id(s.stance): s for s in (a.frontal.steps if a.frontal is not None else ())
                       if s.view == "front"}
    for m in a.steps:
        landing, land_conf = step_landing(m, a.running) if q.landing_ok else (None, 0.0)
        landing = _shown(landing, land_conf)  # one step's call below the floor is "unclear" too
        steps.append({
            "foot": m.stance.foot.value,
            "contact_s": _num(m.stance.contact_s, 3),
            "toe_off_s": _num(m.stance.toe_off_s, 3),
            "stance_s": _num(m.stance.duration_s, 3),
            "foot_angle_deg": _num(m.foot_angle_deg),
            "foot_angle_2d_deg": _num(m.foot_angle_2d_deg),
            "landing_direction": landing_direction(m.foot_angle_deg),
            "landing": landing,
            "twist_deg": _num(m.twist_deg),
            "knee_give_deg": _num(m.knee_give_deg),
            "stop_rate_per_s": _num(m.stop_rate_per_s),
            "hip_jolt_ratio": _num(m.hip_jolt_ratio, 2),
            "confidence": step_confidence(m, a.running),
            **_frontal_step(front_by_stance.get(id(m.stance))),
            **step_loudness(a.sound, m.stance.foot, m.stance.contact_s),
        })
    feet = {}
    for side, f in a.feet.items():
        feet[side.value] = {
            "n_steps": f.n_steps,
            "foot_angle_median_deg": _num(f.foot_angle_median_deg),
            "foot_angle_iqr_deg": _num(f.foot_angle_iqr_deg),
            # One rule of doubt: below the confidence floor a category is "unclear" (the measured one beside it).
            "landing_direction": _shown(f.landing_direction, f.direction_confidence),
            "landing_direction_measured": f.landing_direction,
            "direction_confidence": f.direction_confidence,
            "landing": _shown(f.landing, f.landing_confidence),
            "landing_measured": f.landing,
            "landing_confidence": f.landing_confidence,
            "twist_at_lift_off": f.twist_at_lift_off,
            "twist_median_deg": _num(f.twist_median_deg),
            "twist_confidence": f.twist_confidence,
            "knee_give_median_deg": _num(f.knee_give_median_deg),
            "stance_median_s": _num(f.stance_median_s, 3),
            # The least sure of the calls this foot shows (a landing reading "unclear" is not a call).
            "confidence": round(min(f.direction_confidence, f.landing_confidence)
                                if f.landing is not None and not unclear_below_floor(f.landing_confidence)
                                else f.direction_confidence, 2),
            "reason": f.reason,
            **(_frontal_foot(a.frontal.feet[side]) if a.frontal is not None else {}),
            **sound_to_dict(a.sound, side),
        }
    cad = a.cadence
    return {
        "schema_version": SCHEMA_VERSION,
        "speed": a.speed.value,
        "video": {"name": a.video.name, "codec": a.video.codec, "width_px": a.video.width_px,
                  "height_px": a.video.height_px, "rotation_deg": a.video.rotation_deg,
                  "nominal_fps": _num(a.video.nominal_fps, 2), "duration_s": _num(a.video.duration_s, 2),
                  "analysed_s": _num(a.video.analysis_window_s, 2)},
        "quality": {"usable": q.usable, "problems": [p.to_dict() for p in q.problems], "notes": list(q.notes),
                    "person_frames_pct": _num(q.person_frames_pct, 0), "feet_visible_pct": _num(q.feet_visible_pct, 0),
                    "view": q.view.value, "travel": q.travel, "turn_s": _num(q.turn_s, 2), "away_first": q.away_first,
                    "steps_found": q.steps_found,
                    "steady_from_s": _num(a.steady_span_s[0], 2) if a.steady_span_s else None,
                    "steady_to_s": _num(a.steady_span_s[1], 2) if a.steady_span_s else None,
                    "frame_rate_hz": _num(q.frame_rate_hz, 1)},
        "steps": steps,
        "summary": {
            "cadence_spm": _num(cad.cadence_spm) if cad else None,
            "cadence_low_spm": _num(cad.low_spm) if cad else None,
            "cadence_high_spm": _num(cad.high_spm) if cad else None,
            "cadence_method": cad.method if cad else None,
            "cadence_confidence": round(cadence_confidence(cad), 2) if cad else None,
            # What the page, PDF and CLI show: the number, or "unclear" below the confidence floor.
            "cadence_shown": (None if cad is None else _num(cad.cadence_spm) if not unclear_below_floor(
                cadence_confidence(cad)) else UNCLEAR),
            # The one +5-10 % range (findings.cadence_target_spm), so JSON, PDF and pages agree.
            "cadence_target_spm": list(cadence_target_spm(cad.cadence_spm)) if cad else None,
            "feet": feet,
            "frontal": frontal_to_dict(a),
            "landing_sound": sound_to_dict(a.sound),
        },
        "findings": [{"code": f.code, "foot": f.foot.value if f.foot else None, "title": f.title,
                      "meaning": f.meaning, "confidence": f.confidence} for f in a.findings],
        # What the landing viewer holds (counts only: its frames never go into the data file).
        "viewer": a.viewer.to_dict() if a.viewer is not None else None,
    }


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def summary_text(d: dict[str, Any]) -> str:
    """A readable summary of one result dict (what the CLI prints)."""
    lines = [f"SpringCheck: {d['video']['name']} ({d['speed'].replace('_', ' ')})"]
    q = d["quality"]
    lines.append(f"  video: {d['video']['width_px']}x{d['video']['height_px']}, {d['video']['duration_s']} s, "
                 f"analysed at {q['frame_rate_hz']} frames/s; person seen in {q['person_frames_pct']}% of frames; "
                 f"view: {q['view']}, {q['travel']}; steps found: {q['steps_found']}")
    for p in q["problems"]:
        lines.append(f"  {'PROBLEM' if p['blocking'] else 'note'}: {p['message']} Fix: {p['fix']}")
    for n in q["notes"]:
        lines.append(f"  note: {n}")
    s = d["summary"]
    if s["cadence_spm"] is not None and not cadence_is_clear(s):
        lines.append(f"  {cadence_unclear_text(s)}")
    elif s["cadence_spm"] is not None:
        lines.append(f"  cadence: {s['cadence_spm']:.0f} steps/min ({s['cadence_low_spm']:.0f}-{s['cadence_high_spm']:.0f}, "
                     f"from {s['cadence_method'].replace('_', ' ')}); +5-10 % would be "
                     f"{s['cadence_target_spm'][0]:.0f}-{s['cadence_target_spm'][1]:.0f}")
    if not q["usable"]:
        lines.append("  No findings: this clip cannot support them (see the problems above).")
        lines.extend(frontal_text(s))
        return "\n".join(lines)
    for side in (Side.L, Side.R):
        f = s["feet"].get(side.value)
        if not f:
            continue
        direction = (f"{f['landing_direction']} ({f['foot_angle_median_deg']}° median, "
                     f"confidence {_pct(f['direction_confidence'])})" if f["landing_direction"] else "not judged")
        landing = (f"{f['landing']} (confidence {_pct(f['landing_confidence'])})" if f["landing"] else "not judged")
        twist = yes_no_label(f["twist_at_lift_off"], f["twist_confidence"])
        lines.append(f"  {side.label} foot, {f['n_steps']} steps: lands {direction}; landing {landing}; "
                     f"twist at lift-off: {twist}" + (f"  [{f['reason']}]" if f["reason"] else ""))
    lines.extend(frontal_text(s))
    heard = sound_text(s.get("landing_sound"), s["feet"])
    if heard:
        lines.append(f"  sound: {heard}")
    for f in credible_dicts(d["findings"]):
        lines.append(f"  finding: {f['title']}{' (' + f['foot'] + ')' if f['foot'] else ''}: {f['meaning']}")
    return "\n".join(lines)


def _value_text(value: float | None, unit: str, call: str, confidence: float) -> str:
    if value is None:
        return "not measured"
    shown = f"{value:.2f} leg lengths" if unit == "leg" else f"{round(value)}°"
    return f"{shown} ({call}, confidence {_pct(confidence)})"


def frontal_text(summary: dict[str, Any]) -> list[str]:
    """Knee, hip, step width and (from behind) heel, per foot, for the CLI."""
    lines = []
    for side in (Side.L, Side.R):
        f = ((summary.get("frontal") or {}).get("feet") or {}).get(side.value)
        if not f:
            continue
        parts = [f"knee falls in: {_value_text(f['knee_valgus_deg'], 'deg', f['knee_falls_in'], f['knee_valgus_confidence'])}",
                 f"hip drops: {_value_text(f['pelvic_drop_deg'], 'deg', f['hip_drops'], f['pelvic_drop_confidence'])}",
                 f"step width: {_value_text(f['step_width_leg'], 'leg', f['feet_cross'], f['step_width_confidence'])}",
                 f"heel rolls in (from behind): {_value_text(f['rearfoot_eversion_deg'], 'deg', f['heel_rolls_in'], f['rearfoot_eversion_confidence'])}"]
        if any("not measured" not in p for p in parts):
            lines.append(f"  {side.label} foot, front and back: " + "; ".join(parts))
    front = summary.get("frontal") or {}
    rear = front.get("rear_view") or {}
    if rear.get("reason"):
        lines.append(f"  walk back: {rear['reason']}")
    return lines
