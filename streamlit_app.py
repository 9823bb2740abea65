"""SpringCheck entry point: declares the pages and the navigation."""

import streamlit as st

st.set_page_config(page_title="SpringCheck", page_icon="🦶", layout="centered")

PAGES = [
    st.Page("pages/start.py", title="Before you start", icon=":material/health_and_safety:", url_path="start", default=True),
    st.Page("pages/guide.py", title="Filming guide", icon=":material/videocam:", url_path="guide"),
    st.Page("pages/analyse.py", title="Upload and analyse", icon=":material/upload:", url_path="analyse"),
    st.Page("pages/results.py", title="Results", icon=":material/bar_chart:", url_path="results"),
    st.Page("pages/exercises.py", title="Exercises", icon=":material/fitness_center:", url_path="exercises"),
    st.Page("pages/back_to_running.py", title="Back to running", icon=":material/directions_run:", url_path="back_to_running"),
    st.Page("pages/report.py", title="Report", icon=":material/description:", url_path="report"),
]

st.navigation(PAGES, position="top").run()
