"""Exercises page: the library, a programme for the user's findings, and one exercise by link."""

from __future__ import annotations

import streamlit as st

from gait.errors import GaitError
from gait.advice.exercises import (
    AFTER_RUN_NOTE,
    FOR_YOU_PER_FINDING,
    EXERCISE_QUERY_PARAM,
    LIBRARY_INTRO,
    Exercise,
    exercise_picture,
    exercise_picture_caption,
    exercises_for,
    exercises_in_group,
    finding_label,
    get_exercise,
    groups,
    known_findings,
    matched_findings,
)
from pages import journey
from pages.ui import phone_layout, svg



def show_exercise(ex: Exercise, matches: tuple[str, ...] | None = None) -> None:
    """Everything about one exercise; ``matches`` are the user's findings it serves (None: not asked)."""
    if matches:
        st.markdown("**Matches your result:** " + "; ".join(finding_label(c) for c in matches))
    elif matches is not None:
        st.markdown("**Core for runner's knee:** everyone does this one.")
    svg(exercise_picture(ex.id), exercise_picture_caption(ex.id))
    if ex.after_run_only:
        st.warning(AFTER_RUN_NOTE, icon=":material/schedule:")
    if ex.prerequisite:
        st.info(f"**Before you start:** {ex.prerequisite}\n\n{ex.warning}")
    st.markdown(f"**What it trains:** {ex.trains}")
    st.markdown(f"**Why it matters:** {ex.why}")
    st.markdown("**How to do it**\n\n" + "\n".join(f"{i}. {step}" for i, step in enumerate(ex.steps, start=1)))
    st.markdown(f"**Dose:** {ex.dose}")
    st.markdown(f"**How to progress:** {ex.progress}")
    st.markdown(f"**Avoid:** {ex.avoid}")
    st.caption(f"Evidence: {ex.evidence}. Source: {ex.source}")


def _expander_label(ex: Exercise) -> str:
    return ex.name + ("  ·  after your run" if ex.after_run_only else "")


phone_layout()
journey.top("pages/exercises.py")
st.title("Exercises")
st.markdown(LIBRARY_INTRO)

focus_id = st.query_params.get(EXERCISE_QUERY_PARAM)
if focus_id:
    try:
        focused = get_exercise(focus_id)
    except GaitError as err:
        st.warning(f"{err.user_message} {err.fix}")
    else:
        with st.container(border=True):
            st.subheader(focused.name)
            show_exercise(focused)
    if st.button("Show all exercises", type="primary", width="stretch"):
        del st.query_params[EXERCISE_QUERY_PARAM]
        st.rerun()

findings = st.session_state.get("analysis.findings")
if isinstance(findings, (list, tuple)):
    st.header("For you")
    codes = known_findings(findings)
    if codes:
        st.markdown("From your results: " + "; ".join(finding_label(c) for c in codes) + ".")
    else:
        st.markdown("Your results showed nothing that needs extra foot or landing work.")
    st.caption("The hip and knee core comes first, then the exercises that match your results, best first.")
    for ex in exercises_for(findings, per_finding=FOR_YOU_PER_FINDING):
        with st.expander(_expander_label(ex)):
            show_exercise(ex, matched_findings(ex, findings))

st.header("All exercises")
for group in groups():
    st.subheader(group.label)
    st.caption(group.description)
    for ex in exercises_in_group(group):
        with st.expander(_expander_label(ex)):
            show_exercise(ex)

journey.next_step("pages/exercises.py")
