"""Back to running page: a few questions in, a week-by-week plan out. All logic is in gait.advice.plan."""

from __future__ import annotations

import altair as alt
import streamlit as st

from gait.errors import GaitError
from gait.advice.plan import (
    GOAL_TARGETS,
    PAIN_RULES,
    PAIN_RULES_SOURCE,
    STRENGTH_NOTE,
    Goal,
    Outcome,
    Plan,
    PlanInputs,
    make_plan,
    plan_chart_rows,
    usable_cadence_spm,
)
from pages.ui import phone_layout

GOAL_NAMES = {
    Goal.PAIN_FREE: "Run pain-free again",
    Goal.FIVE_K: "5 km",
    Goal.TEN_K: "10 km",
    Goal.HALF: "Half marathon",
    Goal.MARATHON: "Marathon",
}


def distance_chart(plan: Plan) -> alt.Chart:
    return (
        alt.Chart(alt.Data(values=plan_chart_rows(plan)))
        .mark_bar(cornerRadiusTopLeft=3, cornerRadiusTopRight=3)
        .encode(
            x=alt.X("week:O", title="Week", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("distance_km:Q", title="km per week"),
            color=alt.Color("kind:N", title=None, legend=alt.Legend(orient="bottom"),
                            scale=alt.Scale(domain=["normal week", "easier week"], range=["#2b78b5", "#9fc3e0"])),
            tooltip=["week:O", "phase:N", "distance_km:Q", "long_run_km:Q"],
        )
        .properties(height=240)
    )


def show_pain_rules() -> None:
    st.warning("**Pain rules**\n\n" + "\n".join(f"- {rule}" for rule in PAIN_RULES), icon=":material/traffic:")
    st.caption(PAIN_RULES_SOURCE)


phone_layout()
st.title("Back to running")
st.markdown("A gradual plan: how much to run each week, with simple pain rules that tell you when to "
            "step back. Answer a few questions; the plan updates as you go.")

pain_rest = st.slider("Pain at rest today (0 = none, 10 = worst)", 0, 10, 0)
pain_running = st.slider("Pain when you run (0 = none, 10 = worst)", 0, 10, 2)
weekly_km = st.number_input("Before the pain: km per week", min_value=0.0, max_value=250.0, value=20.0, step=1.0, format="%.1f")
longest_km = st.number_input("Before the pain: longest run in a usual week (km)", min_value=0.0,
                             max_value=250.0, value=8.0, step=1.0, format="%.1f")
runs = st.slider("Runs per week you have time for", 2, 6, 3)
goal = st.selectbox("Your goal", list(Goal), format_func=GOAL_NAMES.__getitem__, index=1)

cadence = usable_cadence_spm(st.session_state.get("analysis.cadence_spm"))
if cadence is not None:
    st.caption(f"Running cadence from your analysis: about {cadence:.0f} steps/min.")
else:
    cadence = st.number_input("Your running cadence, steps per minute (optional)", min_value=120.0,
                              max_value=230.0, value=None, step=1.0, format="%.0f", placeholder="e.g. 164")

try:
    plan = make_plan(PlanInputs(pain_rest, pain_running, weekly_km, longest_km, runs, goal, cadence))
except GaitError as err:
    st.error(f"{err.user_message} {err.fix}")
    st.stop()
st.session_state["plan.result"] = plan  # the report page puts this plan in the PDF

if plan.outcome is Outcome.SEE_CLINICIAN_STRENGTH_ONLY:
    st.error(plan.clinician_note or "", icon=":material/medical_services:")
    st.markdown("[Open the hip and knee strength exercises](exercises)")
    show_pain_rules()
    st.stop()

show_pain_rules()
st.subheader("Cadence cue")
st.info(plan.cadence_cue, icon=":material/music_note:")

st.subheader("Your plan")
if plan.goal_reached:
    st.success(plan.goal_note)
else:
    st.info(plan.goal_note)
st.altair_chart(distance_chart(plan), width="stretch")
st.caption(f"{STRENGTH_NOTE} Distances in run-walk weeks are rough: minutes count, not kilometres.")

for week in plan.weeks:
    title = f"Week {week.week} · {week.phase.value} · {week.weekly_distance_km:.1f} km"
    with st.expander(title + (" · easier week" if week.step_back else ""), expanded=week.week == 1):
        st.markdown("\n".join(f"- {s.description}" for s in week.sessions))
        st.markdown(f"- Hip and knee strength: {week.strength_days} days")
        st.caption(week.note)

st.subheader("When could I train for a marathon?")
st.markdown(plan.marathon_note)
st.caption(f"Goal volumes are typical of beginner plans: {GOAL_TARGETS[goal].label} needs about "
           f"{GOAL_TARGETS[goal].weekly_distance_km:.0f} km a week.")
