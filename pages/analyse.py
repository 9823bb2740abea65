"""Upload and analyse: one slot per speed, a progress bar per clip, a quality report with fixes."""

from __future__ import annotations

import streamlit as st

from gait.names import Speed
from gait.service import jobs
from pages import journey
from pages.ui import analyse_uploads, filming_questions, phone_layout, quality_report, results_state, upload_digest

HERE = "pages/analyse.py"
phone_layout()
journey.top(HERE)
st.title("Upload and analyse")
st.write("Add one clip per speed. Any of the three is fine; all three show how your landing changes with speed.")

state = results_state()
jobs.warm_up()  # embedded: the worker threads start while the person picks clips
uploads = {}
for speed in Speed:
    # No type= filter: phones name files in many ways; decoding decides what is a video.
    uploads[speed] = st.file_uploader(f"{speed.label} clip", key=f"upload.{speed.value}",
                                      help="A video of 10 steps toward the phone, from your gallery.")

st.markdown("**Two quick questions** (the video cannot tell us these for sure):")
filming_questions()

pending = [s for s, f in uploads.items() if f is not None and state["hash"].get(s.value) != upload_digest(f)]
if st.button("Analyse", type="primary", disabled=not pending, width="stretch"):
    analyse_uploads([(speed, uploads[speed]) for speed in pending])
    st.rerun()  # the button goes grey once nothing is left to analyse, and the reports show
elif not any(uploads.values()) and not state["results"]:
    st.info("Choose a clip above, then tap Analyse. Not filmed yet? See the filming guide.")

for speed in Speed:
    if speed.value in state["errors"] or speed.value in state["results"]:
        st.subheader(speed.label)
        quality_report(speed)

if state["results"]:
    journey.next_step(HERE, "See your results")
else:
    st.caption("Keep this page open while your clips are analysed: closing it or losing the connection "
               "stops the analysis. A finished analysis survives a reload for a while.")
