"""Report: the PDF for a physiotherapist, the data file, and then vs now. All logic is in gait.output.compare/report."""

from __future__ import annotations

from datetime import date

import streamlit as st

from gait.output.compare import (DataFileError, bundle, change_sentences, changes_as_rows, compare, dump_bundle,
                          finding_codes, load_bundle)
from gait.errors import GaitError
from gait.advice.exercises import FOR_YOU_PER_FINDING, exercises_for
from gait.advice.plan import Plan
from gait.output.report import key_frames_of, make_pdf, pictures_of
from gait.output.results import analysis_to_dict
from pages import journey
from pages.ui import phone_layout

#: Largest data file accepted, MB (one is a few tens of kB).
DATA_FILE_LIMIT_MB = 2


phone_layout()
journey.top("pages/report.py")
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

# Only a plan the runner made and saved on the back-to-running page; never a default one.
plan = st.session_state.get(journey.PLAN_KEY)
if isinstance(plan, Plan):
    st.markdown(f"**Back-to-running plan:** included (goal: {plan.inputs.goal.label}, "
                f"{len(plan.weeks)} weeks).")
else:
    plan = None
    st.markdown("**Back-to-running plan:** not included. Make one and switch on *Put this plan in my report*.")
    journey.go(journey.step_of("pages/back_to_running.py")[1], "Make a back-to-running plan", primary=False)

st.subheader("Compare with an earlier data file")
# A data file is a few tens of kB: a small limit, not the videos' 400 MB.
upload = st.file_uploader("The SpringCheck data file (.json) you downloaded last time", type=["json"],
                          key="report.earlier", max_upload_size=DATA_FILE_LIMIT_MB)
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
    pdf = make_pdf(now, pictures_of(results), exercises_for(finding_codes(now), per_finding=FOR_YOU_PER_FINDING),
                   plan, earlier, key_frames=key_frames_of(results), safety_note=journey.safety_for_report())
except GaitError as err:
    st.error(f"{err.user_message}\n\n**What to do:** {err.fix}")
else:
    st.download_button("Download PDF report", pdf, file_name=f"springcheck-report-{today}.pdf",
                       mime="application/pdf", icon=":material/picture_as_pdf:", type="primary", width="stretch")
st.download_button("Download data file (JSON)", dump_bundle(now), file_name=f"springcheck-data-{today}.json",
                   mime="application/json", icon=":material/download:", width="stretch")
st.caption("SpringCheck keeps nothing once you close the page: save both files if you want them later.")
