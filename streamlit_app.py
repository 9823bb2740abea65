"""SpringCheck entry point: declares the pages and the navigation (the steps are in pages/journey.py)."""

import streamlit as st

from pages import journey

st.set_page_config(page_title="SpringCheck", page_icon="🦶", layout="centered")

# Hidden: each page carries its own labelled menu ("Step 3 of 7 · all steps") and a next-step button;
# Streamlit's menu turns into a sidebar on a phone that stays open over the page after a tap.
page = st.navigation(journey.pages(), position="hidden")
journey.restore_session()  # after a reload: results and answers back from server memory
try:
    page.run()
finally:
    journey.save_session()  # also when the page stops early or switches to another
