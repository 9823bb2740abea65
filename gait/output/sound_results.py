"""Landing sound as data: the JSON keys of ``gait.output.results`` and one line of text (CLI, PDF).

Per step ``landing_loudness_db`` (dB re full scale at 1 m from the phone), per foot the same
with its confidence, and the clip's verdict (heard, or "we could not hear your steps" and why,
the audio/video offset). One rule of doubt: below the confidence floor a level reads "unclear".
"""

from __future__ import annotations

import math

from gait.analysis.findings import UNCLEAR, unclear_below_floor
from gait.analysis.sound import LandingSound
from gait.names import Side


def shown_db(x: float | None, confidence: float) -> float | str | None:
    """A level as shown: None when not measured, "unclear" below the confidence floor."""
    if x is None or not math.isfinite(x):
        return None
    return UNCLEAR if unclear_below_floor(confidence) else round(float(x), 1)


def step_loudness(sound: LandingSound | None, foot: Side, contact_s: float) -> dict[str, object]:
    """Per-step JSON keys: ``landing_loudness_db`` (dB at 1 m; "unclear" below the floor; null when not heard)."""
    step = None
    if sound is not None and sound.heard:
        step = next((s for s in sound.steps if s.foot is foot and abs(s.contact_s - contact_s) < 1e-6), None)
    if step is None or not math.isfinite(step.loudness_db):
        return {"landing_loudness_db": None, "landing_loudness_confidence": 0.0, "landing_sound_onset_s": None,
                "landing_sound_above_floor_db": None}
    return {"landing_loudness_db": shown_db(step.loudness_db, step.confidence),
            "landing_loudness_confidence": step.confidence,
            "landing_sound_onset_s": None if step.onset_s is None else round(step.onset_s, 3),
            "landing_sound_above_floor_db": round(step.snr_db, 1)}


def sound_to_dict(sound: LandingSound | None, foot: Side | None = None) -> dict[str, object]:
    """Per foot (``foot`` given): ``landing_loudness_db`` and its confidence; else the clip's sound verdict."""
    if foot is not None:
        f = sound.feet.get(foot) if sound is not None and sound.heard else None
        if f is None:
            return {"landing_loudness_db": None, "landing_loudness_measured_db": None,
                    "landing_loudness_confidence": 0.0, "landing_loudness_steps": 0}
        measured = None if not math.isfinite(f.loudness_median_db) else f.loudness_median_db
        return {"landing_loudness_db": shown_db(measured, f.confidence), "landing_loudness_measured_db": measured,
                "landing_loudness_confidence": f.confidence, "landing_loudness_steps": f.n_heard}
    if sound is None:
        return {"heard": False, "reason": None, "message": None, "fix": None}
    return {"heard": sound.heard, "reason": sound.reason, "message": sound.message, "fix": sound.fix,
            "audio_video_offset_ms": sound.offset_ms, "offset_spread_ms": sound.offset_spread_ms,
            "noise_floor_dbfs": sound.noise_floor_dbfs, "contrast_db": sound.contrast_db,
            "heard_pct": sound.heard_pct,
            "left_minus_right_db": shown_db(sound.lr_diff_db, sound.lr_confidence),
            "left_minus_right_measured_db": sound.lr_diff_db, "left_minus_right_confidence": sound.lr_confidence,
            "unit": "dB re full scale, corrected to 1 m from the phone"}


def sound_text(sound: dict[str, object] | None, feet: dict[str, dict[str, object]]) -> str | None:
    """One line for the CLI summary and the PDF: the feet's loudness, or why we could not hear them."""
    if not sound:
        return None
    if not sound.get("heard"):
        return f"{sound['message']} {sound.get('fix') or ''}".strip() if sound.get("message") else None
    parts = []
    for side in Side:
        f = feet.get(side.value, {})
        db = f.get("landing_loudness_db")
        if db is None:
            parts.append(f"{side.label} not heard")
        elif db == UNCLEAR:
            parts.append(f"{side.label} unclear")
        else:
            parts.append(f"{side.label} {db:.0f} dB (confidence {100 * float(f['landing_loudness_confidence']):.0f}%)")
    lr = sound.get("left_minus_right_db")
    diff = "" if lr is None else ("; left minus right: unclear" if lr == UNCLEAR else f"; left minus right {lr:+.1f} dB")
    return ("landing loudness at 1 m: " + ", ".join(parts) + diff +
            f"; sound vs picture offset {sound['audio_video_offset_ms']:+.0f} ms")
