"""Report: the PDF for a physiotherapist, the data file, and then vs now. All logic is in gait.output.compare/report."""

from __future__ import annotations

from datetime import date

import streamlit as st

from gait.output.compare import (DataFileError, bundle, change_sentences, changes_as_rows, compare, dump_bundle,
                          finding_codes, load_bundle)
from gait.errors import GaitError
from gait.advice.exercises import exercises_for
from gait.advice.plan import Goal, Plan, PlanInputs, make_plan, usable_cadence_spm
from gait.output.report import key_frames_of, make_pdf, pictures_of
from gait.output.results import analysis_to_dict
from pages.ui import phone_layout

#: Where a page may leave a ready-made back-to-running plan (the back-to-running page does not yet).
PLAN_KEY = "plan.result"
#: Largest data file accepted, MB (one is a few tens of kB).
DATA_FILE_LIMIT_MB = 2
#: Same short programme as the exercises page's "For you" list.
EXERCISES_PER_FINDING = 3
GOAL_NAMES = {Goal.PAIN_FREE: "Run pain-free again", Goal.FIVE_K: "5 km", Goal.TEN_K: "10 km",
              Goal.HALF: "Half marathon", Goal.MARATHON: "Marathon"}


def plan_from_questions() -> Plan | None:
    """The back-to-running questions again, only if the runner wants a plan in the report."""
    if not st.toggle("Add a back-to-running plan to the PDF", key="report.with_plan"):
        return None
    pain_rest = st.slider("Pain at rest today (0 = none, 10 = worst)", 0, 10, 0, key="report.pain_rest")
    pain_run = st.slider("Pain when you run (0 = none, 10 = worst)", 0, 10, 2, key="report.pain_run")
    weekly_km = st.number_input("Before the pain: km per week", 0.0, 250.0, 20.0, 1.0, format="%.1f",
                                key="report.weekly_km")
    longest_km = st.number_input("Before the pain: longest run in a usual week (km)", 0.0, 250.0, 8.0, 1.0,
                                 format="%.1f", key="report.longest_km")
    runs = st.slider("Runs per week you have time for", 2, 6, 3, key="report.runs")
    goal = st.selectbox("Your goal", list(Goal), format_func=GOAL_NAMES.__getitem__, index=1, key="report.goal")
    cadence = usable_cadence_spm(st.session_state.get("analysis.cadence_spm"))
    try:
        return make_plan(PlanInputs(pain_rest, pain_run, weekly_km, longest_km, runs, goal, cadence))
    except GaitError as err:
        st.error(f"{err.user_message} {err.fix}")
        return None


phone_layout()
st.title("Report")
results = st.session_state.get("analysis.results") or {}
if not results:
    st.info("No results yet: analyse at least one clip first, then come back here for your report.")
    st.page_link("pages/analyse.py", label="Upload and analyse", icon=":material/upload:")
    st.stop()

st.markdown("Two downloads: a **PDF** to keep or show a physiotherapist (clips and their quality, findings "
            "per speed and foot with pictures and charts, your exercises), and a **data file** to load here "
            "next time, to see what changed.")

now = bundle({speed: analysis_to_dict(a) for speed, a in results.items()})
today = date.today().isoformat()

plan = st.session_state.get(PLAN_KEY)
if not isinstance(plan, Plan):
    plan = plan_from_questions()

st.subheader("Compare with an earlier data file")
# A data file is a few tens of kB: a small limit, not the videos' 400 MB.
upload = st.file_uploader("The SpringCheck data file (.json) you downloaded last time", type=["json"],
                          max_upload_size=DATA_FILE_LIMIT_MB)
earlier = None
if upload is not None:
    try:
        earlier = load_bundle(upload.getvalue())
    except DataFileError as err:
        st.error(f"**{upload.name}**: {err.user_message}\n\n**What to do:** {err.fix}")
if earlier is not None:
    changes = compare(earlier, now)
    st.markdown(f"**Then:** {earlier.get('created') or 'earlier (no date in the file)'} · **Now:** {today}")
    st.markdown("\n".join(f"- {s}" for s in change_sentences(changes)))
    # st.table: plain text that wraps on a phone, no toolbar; a dash where a value is missing.
    st.table([{k: ("\u2013" if v is None else v) for k, v in row.items()} for row in changes_as_rows(changes)],
             hide_index=True)
    st.caption("Small differences can be measurement noise: a clip holds only a few steps, and the foot's "
               "direction is the least reliable measure.")

st.subheader("Download")
try:
    pdf = make_pdf(now, pictures_of(results), exercises_for(finding_codes(now), per_finding=EXERCISES_PER_FINDING),
                   plan, earlier, key_frames=key_frames_of(results))
except GaitError as err:
    st.error(f"{err.user_message}\n\n**What to do:** {err.fix}")
else:
    st.download_button("Download PDF report", pdf, file_name=f"springcheck-report-{today}.pdf",
                       mime="application/pdf", icon=":material/picture_as_pdf:", type="primary", width="stretch")
st.download_button("Download data file (JSON)", dump_bundle(now), file_name=f"springcheck-data-{today}.json",
                   mime="application/json", icon=":material/download:", width="stretch")
st.caption("SpringCheck keeps nothing once you close the page: save both files if you want them later.")
