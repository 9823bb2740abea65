"""Before you start: what the app does, the red-flag safety screen, the self-check and privacy notes."""

import streamlit as st

from gait.advice.safety import RED_FLAGS, evaluate_answers
from pages.ui import phone_layout, remembered_checkbox

phone_layout()

st.title("Before you start")
st.markdown(
    "- **Film** 10 barefoot steps toward your phone: a walk, a fast walk and an easy run.\n"
    "- **See** how each foot lands (pointing straight, in or out; springy or banging) and your cadence.\n"
    "- **Get** exercises matched to what we see, and a back-to-running plan."
)

st.subheader("Safety check")
st.markdown("Tick any that apply to you.")
answers = {flag.flag_id: remembered_checkbox(flag.question, key=f"safety.flag.{flag.flag_id}") for flag in RED_FLAGS}
outcome = evaluate_answers(answers)
st.session_state["safety.cleared"] = outcome.cleared

if outcome.cleared:
    with st.container(border=True):
        st.markdown("None apply: you can go on with the self-check.")
        st.page_link("pages/guide.py", label="**Continue to the filming guide**", icon=":material/arrow_forward:", width="stretch")
else:
    reasons = "\n".join(f"- {reason}" for reason in outcome.reasons)
    st.error(
        "**See a clinician first — do not self-assess.**\n\n"
        f"{reasons}\n\n"
        "Please see a doctor or physiotherapist before using this app. "
        "If the pain or swelling is severe or came on suddenly, get help today."
    )

st.divider()
st.caption(
    "**A self-check, not a diagnosis.** SpringCheck shows how your feet land on video; it cannot "
    "examine your knee or tell you what is wrong with it."
)
st.caption(
    "**Privacy.** Your videos are processed on the server running this app, in temporary files "
    "that are deleted after the analysis. Nothing is stored, logged or sent anywhere else."
)
