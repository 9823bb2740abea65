"""The results page's "How loud each landing is" section and its column in the across-speeds table."""

from __future__ import annotations

from typing import Any

import altair as alt
import streamlit as st

from gait.analysis.findings import UNCLEAR

FOOT_COLOURS = alt.Scale(domain=["left", "right"], range=["#4287f5", "#f58230"])


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _level(f: dict[str, Any]) -> str:
    db = f.get("landing_loudness_db")
    if db is None:
        return "not heard"
    if db == UNCLEAR:
        return (f"unclear — measured about {f['landing_loudness_measured_db']:.0f} dB, but our confidence "
                f"({_pct(f['landing_loudness_confidence'])}) is below the floor")
    return f"{db:.0f} dB at 1 m, confidence {_pct(f['landing_loudness_confidence'])} ({f['landing_loudness_steps']} steps)"


def landing_sound_section(d: dict[str, Any]) -> None:
    """One speed's landing sounds from its result dict (``analysis_to_dict``), or why we could not hear them."""
    sound = d["summary"].get("landing_sound") or {}
    if not sound.get("heard") and not sound.get("message"):
        return  # not measured at all (a replayed pose track): nothing to say
    st.subheader("How loud each landing is")
    if not sound.get("heard"):
        st.info(f"**{sound['message']}** {sound.get('fix') or ''}")
        return
    feet = d["summary"]["feet"]
    for side, label in (("L", "Left"), ("R", "Right")):
        if side in feet:
            st.markdown(f"**{label} foot:** {_level(feet[side])}")
    lr = sound.get("left_minus_right_db")
    if lr == UNCLEAR:
        st.markdown(f"**Left vs right:** unclear (confidence {_pct(sound['left_minus_right_confidence'])})")
    elif lr is not None:
        louder = "left" if lr > 0 else "right"
        st.markdown(f"**Left vs right:** the {louder} foot is {abs(lr):.1f} dB louder"
                    if abs(lr) >= 1 else "**Left vs right:** about equally loud (within 1 dB)")
    rows = [{"step": i + 1, "foot": "left" if s["foot"] == "L" else "right", "loudness (dB at 1 m)": s["landing_loudness_db"],
             "confidence": s["landing_loudness_confidence"], "time (s)": s["contact_s"]}
            for i, s in enumerate(d["steps"]) if isinstance(s.get("landing_loudness_db"), float)]
    if rows:
        chart = alt.Chart(alt.Data(values=rows)).mark_circle(size=90).encode(
            x=alt.X("step:O", title="step"), y=alt.Y("loudness (dB at 1 m):Q", title="dB at 1 m", scale=alt.Scale(zero=False)),
            color=alt.Color("foot:N", scale=FOOT_COLOURS),
            tooltip=["step:O", "foot:N", "loudness (dB at 1 m):Q", "confidence:Q", "time (s):Q"])
        st.altair_chart(chart.properties(height=200, title="Landing loudness per step (higher = louder)"),
                        width="stretch")
    offset = sound.get("audio_video_offset_ms")
    st.caption("From the clip's sound: each landing's peak, corrected to 1 m from the phone using your size in the "
               "picture. Phones differ in how they record, so compare left with right, and speeds filmed the same "
               f"way. Sound and picture agree: the footfalls came {offset:+.0f} ms from the landings we saw."
               if offset is not None else "")


def loudness_across_speeds(results: list[tuple[str, dict[str, Any]]]) -> None:
    """A small table of its own (narrow enough for a phone): each speed's loudness per foot, or "not heard"."""
    rows = []
    for label, d in results:
        sound = d["summary"].get("landing_sound") or {}
        feet = d["summary"]["feet"]
        row = {"speed": label}
        for side, name in (("L", "left"), ("R", "right")):
            db = feet.get(side, {}).get("landing_loudness_db") if sound.get("heard") else None
            row[f"{name} (dB)"] = "not heard" if db is None else (db if db == UNCLEAR else f"{db:.0f}")
        lr = sound.get("left_minus_right_db")
        row["L − R (dB)"] = "–" if lr is None else (lr if lr == UNCLEAR else f"{lr:+.1f}")
        rows.append(row)
    if any(r["left (dB)"] != "not heard" or r["right (dB)"] != "not heard" for r in rows):
        st.markdown("**How loud each landing is, by speed** (dB at 1 m; running is usually louder than walking)")
        st.dataframe(rows, hide_index=True, width="stretch")


def sound_note(sound: Any) -> str | None:
    """One line for the clip's quality report: did the footsteps line up with the picture (``LandingSound``)?"""
    if sound is None:
        return None
    if not sound.heard:
        return sound.message
    return (f"Sound: we heard {sound.heard_pct:.0f}% of your steps, {abs(sound.offset_ms):.0f} ms "
            f"{'after' if sound.offset_ms >= 0 else 'before'} the landings we saw (sound and picture agree).")
