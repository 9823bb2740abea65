"""SpringCheck entry point: declares the pages and the navigation."""

import streamlit as st

st.set_page_config(page_title="SpringCheck", page_icon="🦶", layout="centered")

PAGES = [
    st.Page("pages/start.py", title="Before you start", icon="🩺", url_path="start", default=True),
    st.Page("pages/guide.py", title="Filming guide", icon="🎥", url_path="guide"),
    st.Page("pages/analyse.py", title="Upload and analyse", icon="⬆️", url_path="analyse"),
    st.Page("pages/results.py", title="Results", icon="📊", url_path="results"),
    st.Page("pages/exercises.py", title="Exercises", icon="🏋️", url_path="exercises"),
    st.Page("pages/back_to_running.py", title="Back to running", icon="🏃", url_path="back_to_running"),
    st.Page("pages/report.py", title="Report", icon="📄", url_path="report"),
]

st.navigation(PAGES, position="top").run()
