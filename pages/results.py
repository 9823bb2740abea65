"""Results: per speed and per foot, with pictures, charts, cadence and links to exercises."""

from __future__ import annotations

import altair as alt
import streamlit as st

from gait.advice.exercises import FOR_YOU_PER_FINDING, exercise_anchor, exercises_for
from gait.analysis.filming import differences
from gait.analysis.findings import credible, walking_cadence_range_spm, yes_no_label
from gait.names import Side, Speed
from gait.output.results import analysis_to_dict
from gait.thresholds import value
from gait.output.words import (across_speeds_rows, cadence_is_clear, cadence_range_text, cadence_unclear_text,
                               steps_in_time_order)
from gait.validation.cli import how_sure_text
from pages.landing_viewer import landing_viewer
from pages.frontal_ui import knee_and_hip
from pages import journey
from pages.ui import phone_layout, results_state
from pages.sound_ui import landing_sound_section, loudness_across_speeds

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
    if cadence_is_clear(cad):
        lo, hi = cad["cadence_target_spm"]  # computed once, by findings.cadence_target_spm
        st.metric("Cadence", f"{cad['cadence_spm']:.0f} steps/min", help=cadence_range_text(cad))
        st.write(f"+5–10 % would be **{lo:.0f}–{hi:.0f} steps/min** (shorter, quicker, quieter steps)."
                 if speed.is_running else "Walking cadence is usually {}–{} steps/min.".format(*walking_cadence_range_spm()))
    elif cad["cadence_spm"] is not None:
        # Doubt is not printed as a number: no big figure, no cadence cue.
        st.markdown(f"**{cadence_unclear_text(cad)}**")
    if a.quality.usable and (diffs := differences(a.quality)):
        # What was filmed against what was asked, and what it means for the results below.
        st.info("**Filmed differently from the guide.**\n\n" + "\n".join(f"- {p.message}" for p in diffs),
                icon=":material/info:")
    if not a.quality.usable:
        st.warning("This clip cannot support findings: " + " ".join(p.message + " " + p.fix
                                                                        for p in a.quality.problems if p.blocking))
        knee_and_hip(a, d)  # a walk back seen from behind still shows the heel
        continue
    for side in Side:
        f = d["summary"]["feet"].get(side.value)
        if not f:
            continue
        st.subheader(f"{side.label.capitalize()} foot")
        clear_direction = f["landing_direction"] not in (None, "unclear")
        if side in a.pictures:
            # A photo alone is tall and narrow: shown smaller, so it does not fill a phone's screen.
            st.image(a.pictures[side], width="stretch" if clear_direction else 280, caption=(
                f"A typical {side.label} landing (ringed). Right: its foot angle on the floor, seen from above, "
                "as you walk up the page; green = straight." if clear_direction else
                f"A typical {side.label} landing (ringed). No direction is drawn: it is not clear enough."))
        if f["landing_direction"] == "unclear":
            st.markdown(f"**Landing direction: unclear** — measured about {f['foot_angle_median_deg']:.0f}°, but our "
                        f"confidence ({pct(f['direction_confidence'])}) is below the floor for a finding, so no "
                        "exercise rests on it")
        elif f["landing_direction"]:
            st.markdown(f"**Lands {WORDS[f['landing_direction']]}** — about {f['foot_angle_median_deg']:.0f}° "
                        f"(spread {f['foot_angle_iqr_deg']:.0f}°), confidence {pct(f['direction_confidence'])}")
        else:
            st.markdown(f"**Landing direction:** not judged ({f['reason']})")
        if f["landing"] == "unclear":
            st.markdown("**Spring or bang: unclear** — from the front, the knee's give we can measure does not yet tell a "
                        "soft landing from a stiff one reliably "
                        f"(confidence {pct(f['landing_confidence'])}, below the floor for a finding), so no "
                        "exercise rests on it")
        elif f["landing"]:
            st.markdown(f"**{WORDS[f['landing']].capitalize()}** — knee gives about {f['knee_give_median_deg']:.0f}° "
                        f"after contact, confidence {pct(f['landing_confidence'])}")
        else:
            st.markdown("**Spring or bang:** not judged" + (f" ({f['reason']})" if f["reason"] else ""))
        twist = yes_no_label(f["twist_at_lift_off"], f["twist_confidence"])
        st.markdown(f"**Twist at lift-off:** {twist}" + (f" (confidence {pct(f['twist_confidence'])})"
                                                         if f["twist_at_lift_off"] is not None else ""))

    knee_and_hip(a, d)
    landing_sound_section(d)

    st.subheader("What it means and what to do")
    shown_findings = credible(a.findings)  # a weak signal is not a finding and drives no exercise
    if not shown_findings:
        st.success("Nothing here stands out clearly. The hip and knee exercises are still the core of "
                   "runner's-knee care.")
    for fnd in shown_findings:
        who = f" ({fnd.foot.label} foot)" if fnd.foot else ""
        st.markdown(f"**{fnd.title}{who}** — confidence {pct(fnd.confidence)}  \n{fnd.meaning}")
        finding_links(fnd.code)

    steps = [s for s in steps_in_time_order(d["steps"]) if s["foot_angle_deg"] is not None]
    if steps:
        rows = [{"step": i + 1, "foot": "left" if s["foot"] == "L" else "right", "foot angle (°)": s["foot_angle_deg"],
                 "knee give (°)": s["knee_give_deg"], "time (s)": s["contact_s"]} for i, s in enumerate(steps)]
        # Mid green, half see-through: visible on the light and the dark theme alike.
        band = alt.Chart(alt.Data(values=[{"lo": 0, "hi": 15}])).mark_rect(opacity=0.3, color="#3fae5a").encode(
            y="lo:Q", y2="hi:Q")
        points = alt.Chart(alt.Data(values=rows)).mark_circle(size=90, opacity=1).encode(
            x=alt.X("step:O", title="step, in time order", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("foot angle (°):Q", title="foot angle (° toe-out)"),
            color=alt.Color("foot:N", title=None, legend=alt.Legend(orient="bottom"),
                            scale=alt.Scale(domain=["left", "right"], range=["#4287f5", "#f58230"])),
            tooltip=["step:O", "foot:N", "foot angle (°):Q", "knee give (°):Q", "time (s):Q"])
        # The title as a caption: a chart title is clipped at the top on a phone.
        st.caption("Foot angle per step, + = toe-out (green band = straight, 0–15° toe-out)")
        st.altair_chart((band + points).properties(height=220), width="stretch")
    if a.strip:
        st.caption("Step by step: each landing, in time order (the landing foot is ringed)")
        strip = sorted(a.strip, key=lambda item: item[1])
        st.image([png for _, _, png in strip], width=96,
                 caption=[f"{foot.label} · {t:.1f} s" for foot, t, _ in strip])
    landing_viewer(speed.value, a.viewer)

if len(order) > 1:
    st.header("Across speeds")
    header, rows = across_speeds_rows({speed.value: analysis_to_dict(state["results"][speed.value])
                                       for speed in order})
    # st.table: plain text that wraps on a phone, no toolbar; one column per speed keeps it narrow.
    st.table({h or " ": [r[i] for r in rows] for i, h in enumerate(header)}, hide_index=True)
    st.caption(f"In brackets: how sure we are. Below {100 * value('min_finding_confidence'):.0f}% a result reads "
               "\"unclear\" and drives no exercise.")
    loudness_across_speeds([(speed.label, analysis_to_dict(state["results"][speed.value])) for speed in order])

st.page_link("pages/analyse.py", label="Add or change clips", icon=":material/upload:")
journey.next_step("pages/results.py", "Next: your exercises")
