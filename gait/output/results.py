"""Results as data: the documented JSON of one analysis, and a readable text summary."""

from __future__ import annotations

import math
from typing import Any

from gait.analysis.findings import (UNCLEAR, cadence_target_spm, landing_direction, step_landing, unclear_below_floor,
                                   yes_no_label)
from gait.names import Side
from gait.pipeline import SCHEMA_VERSION, Analysis, cadence_confidence, step_confidence


def _num(x: float | None, digits: int = 1) -> float | None:
    """JSON has no NaN: a value we could not measure is null."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return round(float(x), digits)


def _shown(category: str | None, confidence: float) -> str | None:
    return None if category is None else (UNCLEAR if unclear_below_floor(confidence) else category)


def analysis_to_dict(a: Analysis) -> dict[str, Any]:
    q = a.quality
    steps = []
    for m in a.steps:
        landing, _ = step_landing(m, a.running) if q.landing_ok else (None, 0.0)
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
            "confidence": round(min(f.direction_confidence, f.landing_confidence)
                                if f.landing is not None else f.direction_confidence, 2),
            "reason": f.reason,
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
                    "view": q.view.value, "travel": q.travel, "steps_found": q.steps_found,
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
            # The one +5-10 % range (findings.cadence_target_spm), so JSON, PDF and pages agree.
            "cadence_target_spm": list(cadence_target_spm(cad.cadence_spm)) if cad else None,
            "feet": feet,
        },
        "findings": [{"code": f.code, "foot": f.foot.value if f.foot else None, "title": f.title,
                      "meaning": f.meaning, "confidence": f.confidence} for f in a.findings],
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
    if s["cadence_spm"] is not None:
        lines.append(f"  cadence: {s['cadence_spm']:.0f} steps/min ({s['cadence_low_spm']:.0f}-{s['cadence_high_spm']:.0f}, "
                     f"from {s['cadence_method'].replace('_', ' ')}); +5-10 % would be "
                     f"{s['cadence_target_spm'][0]:.0f}-{s['cadence_target_spm'][1]:.0f}")
    if not q["usable"]:
        lines.append("  No findings: this clip cannot support them (see the problems above).")
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
    for f in d["findings"]:
        lines.append(f"  finding: {f['title']}{' (' + f['foot'] + ')' if f['foot'] else ''}: {f['meaning']}")
    return "\n".join(lines)
