"""Before you start: what the app does, the red-flag safety screen, the self-check and privacy notes."""

import streamlit as st

from gait.advice.safety import RED_FLAGS, Gate, evaluate_answers
from gait.service.sessions import TTL_S
from pages import journey
from pages.ui import phone_layout, remembered_checkbox

HERE = "pages/start.py"

phone_layout()
journey.top(HERE)

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
state = journey.safety_gate()
st.session_state["safety.cleared"] = state.may_go_on

if outcome.cleared:
    if state is Gate.CLEAR:
        st.success("You answered: none of these apply. You can go on with the self-check.")
        journey.next_step(HERE)
    else:
        # Nothing ticked is not yet an answer: the runner has to say so.
        st.divider()
        if st.button("None of these apply to me — continue", type="primary", width="stretch",
                     icon=":material/arrow_forward:", key="safety.none_apply_button"):
            st.session_state["saved.safety.none_apply"] = True
            journey.save_session()
            st.switch_page(journey.STEPS[1].path, query_params=journey.link_params())
else:
    reasons = "\n".join(f"- {reason}" for reason in outcome.reasons)
    st.error(
        "**See a clinician first — do not self-assess.**\n\n"
        f"{reasons}\n\n"
        "Please see a doctor or physiotherapist before using this app. "
        "If the pain or swelling is severe or came on suddenly, get help today."
    )
    seen = remembered_checkbox("A doctor or physiotherapist has already seen this, and I may go on with the "
                               "self-check", key="safety.seen_clinician")
    if seen:
        st.info("Noted: your report will say that you ticked a red flag and that a clinician has seen it.")
        journey.next_step(HERE)
    else:
        st.caption("Upload, analysis and results wait until you confirm this.")

st.divider()
st.caption(
    "**A self-check, not a diagnosis.** SpringCheck shows how your feet land on video; it cannot "
    "examine your knee or tell you what is wrong with it."
)
st.caption(
    "**Privacy.** Your videos are processed on the server running this app, in temporary files "
    "that are deleted after the analysis. Your results and answers stay in the server's memory for up to "
    f"{TTL_S // 3600} hours, so a reload does not lose them; nothing is written to disk, logged or sent anywhere "
    "else. The page's address opens them during that time: don't share it."
)
