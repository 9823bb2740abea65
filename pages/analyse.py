"""Upload and analyse: one slot per speed, a progress bar per clip, a quality report with fixes."""

from __future__ import annotations

import hashlib

import streamlit as st

from gait.names import Speed
from pages.ui import analyse_upload, phone_layout, quality_report, results_state

phone_layout()
st.title("Upload and analyse")
st.write("Add one clip per speed. Any of the three is fine; all three show how your landing changes with speed.")

state = results_state()
uploads = {}
for speed in Speed:
    uploads[speed] = st.file_uploader(f"{speed.label} clip", key=f"upload.{speed.value}",
                                      help="A video of 10 steps toward the phone, from your gallery.")

pending = [s for s, f in uploads.items() if f is not None
           and state["hash"].get(s.value) != hashlib.sha256(f.getvalue()).hexdigest()]
if st.button("Analyse", type="primary", disabled=not pending, width="stretch"):
    for speed in pending:
        analyse_upload(speed, uploads[speed])
elif not any(uploads.values()) and not state["results"]:
    st.info("Choose a clip above, then tap Analyse. Not filmed yet? See the filming guide.")

for speed in Speed:
    if speed.value in state["errors"] or speed.value in state["results"]:
        st.subheader(speed.label)
        quality_report(speed)

if state["results"]:
    st.page_link("pages/results.py", label="See your results", icon=":material/bar_chart:")
