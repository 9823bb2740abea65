"""Results page section for issue 11: knee and hip from the front, heel from behind (pictures, words, charts)."""

from __future__ import annotations

from typing import Any

import altair as alt
import streamlit as st

from gait.names import Side
from gait.output.words import hip_line_words
from gait.thresholds import value

_COLOURS = alt.Scale(domain=["left", "right"], range=["#4287f5", "#f58230"])
# (JSON value, JSON call, label, how the value reads)
_LINES = (("knee_valgus_deg", "knee_falls_in", "Knee falls inward on landing", "{:.0f}° (knee's angle, + = in)"),
          ("pelvic_drop_deg", "hip_drops", "Hip drops on the other side", "{:.0f}° of drop"),
          ("step_width_leg", "feet_cross", "Feet cross the midline", "step width {:.2f} leg lengths"),
          ("rearfoot_eversion_deg", "heel_rolls_in", "Heel rolls in after landing (from behind)", "{:.0f}° of roll"))


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _line(f: dict[str, Any], key: str, call: str, label: str, fmt: str) -> str | None:
    v = f.get(key)
    if v is None:
        return None
    v = v if key.endswith("_leg") else round(v)  # no "-0°"
    conf = f[key.rsplit("_", 1)[0] + "_confidence"]
    said = f[call]
    if said == "unclear":
        return (f"**{label}: unclear** — measured {fmt.format(v)}, but our confidence ({_pct(conf)}) is below the "
                "floor for a finding")
    if said == "not judged":
        n = f[key.rsplit("_", 1)[0] + "_steps"]
        return f"**{label}:** not judged — {fmt.format(v)} on {n} clear step{'s' if n != 1 else ''} (need " \
               f"{int(value('min_steps_for_finding'))})"
    return f"**{label}: {said}** — {fmt.format(v)}, confidence {_pct(conf)}"


def knee_and_hip(a: Any, d: dict[str, Any]) -> None:
    """Per foot: the measured picture, one line per measure, then the per-step charts; the walk back last."""
    frontal = d["summary"].get("frontal")
    if not frontal or a.frontal is None:
        return
    st.subheader("Knee and hip from the front, heel from behind")
    for side in Side:
        f = frontal["feet"].get(side.value)
        lines = [ln for key, call, label, fmt in _LINES if (ln := _line(f or {}, key, call, label, fmt))]
        if not lines:
            continue
        st.markdown(f"**{side.label.capitalize()} leg**")
        if (png := a.frontal.pictures.get(f"front_{side.value}")):
            st.image(png, caption=f"A {side.label} landing, knee at its most inward: coloured line hip → knee → "
                     f"ankle, thin white line hip → ankle, yellow line {hip_line_words(f)}.", width="stretch")
        if (png := a.frontal.pictures.get(f"rear_{side.value}")):
            st.image(png, caption=f"The {side.label} heel from behind, rolled in the most: knee → ankle → heel; "
                     "thin white line: the shin's line continued.", width="stretch")
        st.markdown("  \n".join(lines))
    if frontal["knee_valgus_lr_diff_deg"] is not None and \
            frontal["knee_valgus_lr_diff_deg"] > value("knee_valgus_lr_diff_deg"):
        st.markdown(f"Your knees differ by about {frontal['knee_valgus_lr_diff_deg']:.0f}° between left and right.")
    rear = frontal["rear_view"]
    if rear["reason"]:
        st.info(rear["reason"])
    _charts(d)


def _charts(d: dict[str, Any]) -> None:
    rows = [{"step": i + 1, "foot": "left" if s["foot"] == "L" else "right", "knee (°)": s["knee_valgus_deg"],
             "step width (leg lengths)": s["step_width_leg"], "time (s)": s["contact_s"]}
            for i, s in enumerate(d["steps"]) if s.get("knee_valgus_deg") is not None]
    if rows:
        line = alt.Chart(alt.Data(values=[{"y": value("knee_valgus_fppa_deg")}])).mark_rule(
            color="#c0392b", strokeDash=[4, 4]).encode(y="y:Q")
        pts = alt.Chart(alt.Data(values=rows)).mark_circle(size=90).encode(
            x=alt.X("step:O", title="step"), y=alt.Y("knee (°):Q", title="knee angle (° in)"),
            color=alt.Color("foot:N", scale=_COLOURS), tooltip=["step:O", "foot:N", "knee (°):Q", "time (s):Q"])
        st.markdown("**Knee angle per step**")
        st.altair_chart((line + pts).properties(height=200), width="stretch")
        st.caption("Each dot is one landing's knee angle; above the red dashed line the knee falls in.")
        widths = [r for r in rows if r["step width (leg lengths)"] is not None]
        if widths:
            zero = alt.Chart(alt.Data(values=[{"y": value("crossover_step_width_leg")}])).mark_rule(
                color="#c0392b", strokeDash=[4, 4]).encode(y="y:Q")
            wpts = alt.Chart(alt.Data(values=widths)).mark_circle(size=90).encode(
                x=alt.X("step:O", title="step"), y=alt.Y("step width (leg lengths):Q"),
                color=alt.Color("foot:N", scale=_COLOURS), tooltip=["step:O", "foot:N", "step width (leg lengths):Q"])
            st.markdown("**Step width per step**")
            st.altair_chart((zero + wpts).properties(height=180), width="stretch")
            st.caption("Below the red dashed line the foot lands on or across the other foot's line.")
    rear = [{"step": i + 1, "foot": "left" if s["foot"] == "L" else "right", "heel roll (°)": s["rearfoot_eversion_deg"]}
            for i, s in enumerate(d["summary"]["frontal"]["rear_steps"]) if s["rearfoot_eversion_deg"] is not None]
    if rear:
        rpts = alt.Chart(alt.Data(values=rear)).mark_bar().encode(
            x=alt.X("step:O"), y=alt.Y("heel roll (°):Q"), color=alt.Color("foot:N", scale=_COLOURS))
        st.markdown("**Heel roll per step (from behind)**")
        st.altair_chart(rpts.properties(height=160), width="stretch")
