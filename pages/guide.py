"""Filming guide: a picture per step, a checklist to tick before filming, and phone how-tos."""

import streamlit as st

from gait.advice.guide import CHECKLIST, GUIDE_STEPS, PHONE_HOW_TOS, checklist_remaining
from pages import journey
from pages.ui import phone_layout, remembered_checkbox, svg

HERE = "pages/guide.py"
phone_layout()
journey.top(HERE)

st.title("Filming guide")
st.markdown("Seven quick steps. It takes about five minutes.")

for step_number, step in enumerate(GUIDE_STEPS, start=1):
    st.subheader(f"{step_number}. {step.title}")
    svg(step.picture())
    st.markdown(step.text)

st.subheader("Ready to film?")
st.markdown("Tick each one when it's true.")
ticked = {item.item_id: remembered_checkbox(item.label, key=f"guide.check.{item.item_id}") for item in CHECKLIST}
remaining = checklist_remaining(ticked)
if remaining == 0:
    with st.container(border=True):
        st.markdown("Film your three takes, then upload them.")
        st.page_link("pages/analyse.py", label="**All set — go to Upload**", icon=":material/upload:", width="stretch")
else:
    st.info(f"{remaining} of {len(CHECKLIST)} still to tick.")

st.subheader("How to film and upload")
for how_to in PHONE_HOW_TOS:
    with st.expander(how_to.platform):
        st.markdown("**Film**\n\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(how_to.film_steps, start=1)))
        st.markdown("**Upload**\n\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(how_to.upload_steps, start=1)))
        st.caption(how_to.note)

journey.next_step(HERE, "Next: upload your clips" if remaining == 0 else "I've filmed already: upload my clips")
