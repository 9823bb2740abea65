"""Back to running page: a few questions in, a week-by-week plan out. All logic is in gait.advice.plan.

The answers are kept when the page is left and after a reload (``journey.keep``). Only a plan the
runner saves goes into the PDF: opening the page, or changing answers without saving, changes nothing.
"""

from __future__ import annotations

import altair as alt
import streamlit as st

from gait.advice.plan import (
    ACCEPTABLE_RUN_PAIN_0_10,
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
from gait.errors import GaitError
from pages import journey
from pages.ui import phone_layout

HERE = "pages/back_to_running.py"
PLAN_KEY = journey.PLAN_KEY
NEXT_MORNING = {False: "Same as before the run, or better", True: "Worse than before the run"}


def chart_rows(plan: Plan) -> list[dict]:
    """The chart's rows, ending with a column that names the plan.

    Streamlit's chart takes new data with the same columns whose last column's first and last
    cells are unchanged for "rows added to the old data" and keeps the old bars (week 10 of the
    previous plan next to the new list). A last column that differs between plans avoids that.
    """
    rows = plan_chart_rows(plan)
    name = "/".join(f"{r['distance_km']:g}" for r in rows)
    return [{**r, "plan": name} for r in rows]


def distance_chart(plan: Plan) -> alt.Chart:
    return (
        alt.Chart(alt.Data(values=chart_rows(plan)))
        .mark_bar(cornerRadiusTopLeft=3, cornerRadiusTopRight=3)
        .encode(
            x=alt.X("week:O", title="Week", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("distance_km:Q", title="km per week"),
            color=alt.Color("kind:N", title=None, legend=alt.Legend(orient="bottom"),
                            scale=alt.Scale(domain=["normal week", "easier week"], range=["#2b78b5", "#9fc3e0"])),
            tooltip=[alt.Tooltip("week:O", title="Week"), alt.Tooltip("phase:N", title="Phase"),
                     alt.Tooltip("distance_km:Q", title="Running (km in the week)", format=".1f"),
                     alt.Tooltip("long_run_km:Q", title="Longest run (km)", format=".1f")],
        )
        .properties(height=240)
    )


def show_pain_rules() -> None:
    st.warning("**Pain rules**\n\n" + "\n".join(f"- {rule}" for rule in PAIN_RULES), icon=":material/traffic:")
    st.caption(PAIN_RULES_SOURCE)


def week_title(week) -> str:  # noqa: ANN001
    if week.weekly_distance_km <= 0:
        return f"Week {week.week} · walking and strength, no running"
    return (f"Week {week.week} · {week.phase.value} · {week.weekly_distance_km:.1f} km"
            + (" · easier week" if week.step_back else ""))


def save_toggle(plan: Plan) -> None:
    """The runner puts the plan into the report; while on, the report follows the answers."""
    if st.toggle("Put this plan in my report", **journey.keep("plan.in_report", False)):
        st.session_state[PLAN_KEY] = plan
        st.caption("Your report will hold this plan, with your answers.")
    else:
        st.session_state.pop(PLAN_KEY, None)
        st.caption("Not in your report yet.")


phone_layout()
journey.top(HERE)
st.title("Back to running")
st.markdown("A gradual plan: how much to run each week, with simple pain rules that tell you when to "
            "step back. Answer a few questions; the plan updates as you go. Your answers are kept when you "
            "leave this page.")

pain_rest = st.slider("Pain at rest today (0 = none, 10 = worst)", 0, 10, **journey.keep("plan.pain_rest", 0))
pain_running = st.slider("Pain when you run (0 = none, 10 = worst)", 0, 10, **journey.keep("plan.pain_running", 2))
next_morning = st.radio("The morning after your last run, your knee was…", list(NEXT_MORNING),
                        format_func=NEXT_MORNING.__getitem__, **journey.keep("plan.next_morning", None))
st.caption(f"The pain rule this plan is built on: up to {ACCEPTABLE_RUN_PAIN_0_10}/10 during a run is fine if it "
           "has settled by the next morning. Not run since the pain started? Leave it unanswered.")
can_run_km = st.number_input(f"How far can you run now with pain of {ACCEPTABLE_RUN_PAIN_0_10}/10 or less? "
                             "(km, 0 if you cannot run yet)",
                             min_value=0.0, max_value=250.0, step=0.5, format="%.1f", placeholder="e.g. 3",
                             **journey.keep("plan.can_run_now_km", None))
weekly_km = st.number_input("Before the pain: km per week", min_value=0.0, max_value=250.0, step=1.0,
                            format="%.1f", **journey.keep("plan.weekly_km", 20.0))
longest_km = st.number_input("Before the pain: longest run in a usual week (km)", min_value=0.0,
                             max_value=250.0, step=1.0, format="%.1f", **journey.keep("plan.longest_km", 8.0))
runs = st.slider("Runs per week you have time for", 2, 6, **journey.keep("plan.runs", 3))
goal = st.selectbox("Your goal", list(Goal), format_func=lambda g: g.label, **journey.keep("plan.goal", Goal.FIVE_K))

cadence = usable_cadence_spm(st.session_state.get("analysis.cadence_spm"))
if cadence is not None:
    st.caption(f"Running cadence from your analysis: about {cadence:.0f} steps/min.")
else:
    cadence = st.number_input("Your running cadence, steps per minute (optional)", min_value=120.0,
                              max_value=230.0, step=1.0, format="%.0f", placeholder="e.g. 164",
                              **journey.keep("plan.cadence_spm", None))

try:
    plan = make_plan(PlanInputs(pain_rest, pain_running, weekly_km, longest_km, runs, goal, cadence,
                                next_morning, can_run_km))
except GaitError as err:
    st.error(f"{err.user_message} {err.fix}")
    st.stop()

if plan.outcome is Outcome.SEE_CLINICIAN_STRENGTH_ONLY:
    st.error(plan.clinician_note or "", icon=":material/medical_services:")
    st.page_link("pages/exercises.py", label="Open the hip and knee strength exercises",
                 icon=":material/fitness_center:", query_params=journey.link_params())
    show_pain_rules()
    save_toggle(plan)
    journey.next_step(HERE)
    st.stop()

show_pain_rules()
st.subheader("Cadence cue")
st.info(plan.cadence_cue, icon=":material/music_note:")

st.subheader("Your plan")
if plan.start_note:
    st.warning(plan.start_note, icon=":material/directions_walk:")
if plan.goal_reached:
    st.success(plan.goal_note)
else:
    st.info(plan.goal_note)
st.altair_chart(distance_chart(plan), width="stretch")
st.caption(f"{STRENGTH_NOTE} Distances in run-walk weeks are rough: minutes count, not kilometres.")

for week in plan.weeks:
    with st.expander(week_title(week), expanded=week.week == 1):
        if week.sessions:
            st.markdown("\n".join(f"- {s.description}" for s in week.sessions))
        st.markdown(f"- Hip and knee strength: {week.strength_days} days")
        st.caption(week.note)

st.subheader("When could I train for a marathon?")
st.markdown(plan.marathon_note)
st.caption(f"Goal volumes are typical of beginner plans: {GOAL_TARGETS[goal].label} needs about "
           f"{GOAL_TARGETS[goal].weekly_distance_km:.0f} km a week.")

st.divider()
save_toggle(plan)
journey.next_step(HERE)
