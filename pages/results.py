"""Results: per speed and per foot, with pictures, charts, cadence and links to exercises."""

from __future__ import annotations

import altair as alt
import streamlit as st

from gait.advice.exercises import FOR_YOU_PER_FINDING, exercise_anchor, exercises_for
from gait.analysis.findings import walking_cadence_range_spm, yes_no_label
from gait.names import Side, Speed
from gait.output.results import analysis_to_dict
from gait.validation.cli import how_sure_text
from pages import journey
from pages.ui import phone_layout, results_state

phone_layout()
journey.top("pages/results.py")
st.title("Your results")
state = results_state()
if not state["results"]:
    st.info("No results yet: analyse at least one clip first.")
    st.page_link("pages/analyse.py", label="Upload and analyse", icon=":material/upload:")
    st.stop()

st.caption("A self-check from one phone camera, not a diagnosis. Timing (steps, cadence) is the most reliable; "
           "foot direction the least. Each finding shows how sure we are." + (f" {how_sure}" if (how_sure := how_sure_text()) else ""))

WORDS = {"in": "pointing in", "straight": "straight (toward the camera)", "out": "pointing out",
         "spring": "springs (soft landing)", "bang": "bangs (abrupt landing)"}


def pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def finding_links(code: str) -> None:
    """In-app links (page_link keeps the session, so the results are still here on return)."""
    picks = [e for e in exercises_for([code]) if code in e.findings][:FOR_YOU_PER_FINDING]
    for e in picks:
        st.page_link("pages/exercises.py", label=e.name, icon=":material/fitness_center:",
                     query_params={"ex": exercise_anchor(e.id)})


order = [s for s in Speed if s.value in state["results"]]
for speed in order:
    a = state["results"][speed.value]
    d = analysis_to_dict(a)
    st.header(speed.label)
    cad = d["summary"]
    if cad["cadence_spm"]:
        lo, hi = cad["cadence_target_spm"]  # computed once, by findings.cadence_target_spm
        st.metric("Cadence", f"{cad['cadence_spm']:.0f} steps/min",
                  help=f"68 % range {cad['cadence_low_spm']:.0f}-{cad['cadence_high_spm']:.0f}; "
                       f"confidence {pct(cad['cadence_confidence'])}")
        st.write(f"+5–10 % would be **{lo:.0f}–{hi:.0f} steps/min** (shorter, quicker, quieter steps)."
                 if speed.is_running else "Walking cadence is usually {}–{} steps/min.".format(*walking_cadence_range_spm()))
    if not a.quality.usable:
        st.warning("This clip cannot support findings: " + " ".join(p.message + " " + p.fix
                                                                        for p in a.quality.problems if p.blocking))
        continue
    for side in Side:
        f = d["summary"]["feet"].get(side.value)
        if not f:
            continue
        st.subheader(f"{side.label.capitalize()} foot")
        if side in a.pictures:
            st.image(a.pictures[side], caption=f"A typical {side.label} landing. Yellow arrow: heel → toe. "
                     "Dashed white line: straight at the camera.", width="stretch")
        if f["landing_direction"] == "unclear":
            st.markdown(f"**Landing direction: unclear** — measured about {f['foot_angle_median_deg']:.0f}°, but our "
                        f"confidence ({pct(f['direction_confidence'])}) is below the floor for a finding")
        elif f["landing_direction"]:
            st.markdown(f"**Lands {WORDS[f['landing_direction']]}** — about {f['foot_angle_median_deg']:.0f}° "
                        f"(spread {f['foot_angle_iqr_deg']:.0f}°), confidence {pct(f['direction_confidence'])}")
        else:
            st.markdown(f"**Landing direction:** not judged ({f['reason']})")
        if f["landing"] == "unclear":
            st.markdown(f"**Spring or bang: unclear** — confidence {pct(f['landing_confidence'])} is below the floor "
                        "for a finding")
        elif f["landing"]:
            st.markdown(f"**{WORDS[f['landing']].capitalize()}** — knee gives about {f['knee_give_median_deg']:.0f}° "
                        f"after contact, confidence {pct(f['landing_confidence'])}")
        else:
            st.markdown("**Spring or bang:** not judged" + (f" ({f['reason']})" if f["reason"] else ""))
        twist = yes_no_label(f["twist_at_lift_off"], f["twist_confidence"])
        st.markdown(f"**Twist at lift-off:** {twist}" + (f" (confidence {pct(f['twist_confidence'])})"
                                                         if f["twist_at_lift_off"] is not None else ""))

    st.subheader("What it means and what to do")
    if not a.findings:
        st.success("Nothing here stands out. The hip and knee exercises are still the core of runner's-knee care.")
    for fnd in a.findings:
        who = f" ({fnd.foot.label} foot)" if fnd.foot else ""
        st.markdown(f"**{fnd.title}{who}** — confidence {pct(fnd.confidence)}  \n{fnd.meaning}")
        finding_links(fnd.code)

    steps = [s for s in d["steps"] if s["foot_angle_deg"] is not None]
    if steps:
        rows = [{"step": i + 1, "foot": "left" if s["foot"] == "L" else "right", "foot angle (°)": s["foot_angle_deg"],
                 "knee give (°)": s["knee_give_deg"], "time (s)": s["contact_s"]} for i, s in enumerate(steps)]
        band = alt.Chart(alt.Data(values=[{"lo": 0, "hi": 15}])).mark_rect(opacity=0.12, color="green").encode(
            y="lo:Q", y2="hi:Q")
        points = alt.Chart(alt.Data(values=rows)).mark_circle(size=90).encode(
            x=alt.X("step:O", title="step"), y=alt.Y("foot angle (°):Q", title="foot angle (° out)"),
            color=alt.Color("foot:N", scale=alt.Scale(domain=["left", "right"], range=["#4287f5", "#f58230"])),
            tooltip=["step:O", "foot:N", "foot angle (°):Q", "knee give (°):Q", "time (s):Q"])
        st.altair_chart((band + points).properties(height=220, title="Foot angle per step (green = straight)"),
                        width="stretch")
    if a.strip:
        st.caption("Step by step: each landing")
        st.image([png for _, _, png in a.strip], width=96,
                 caption=[f"{foot.value} {t:.1f}s" for foot, t, _ in a.strip])

if len(order) > 1:
    st.header("Across speeds")
    table = []
    for speed in order:
        d = analysis_to_dict(state["results"][speed.value])
        feet = d["summary"]["feet"]
        table.append({"speed": speed.label,
                      "cadence (steps/min)": round(d["summary"]["cadence_spm"]) if d["summary"]["cadence_spm"] else None,
                      "left lands": feet.get("L", {}).get("landing_direction"),
                      "right lands": feet.get("R", {}).get("landing_direction"),
                      "left": feet.get("L", {}).get("landing"), "right": feet.get("R", {}).get("landing")})
    st.dataframe(table, hide_index=True, width="stretch")

st.page_link("pages/analyse.py", label="Add or change clips", icon=":material/upload:")
journey.next_step("pages/results.py", "Next: your exercises")
