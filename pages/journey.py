"""The runner's journey through the app (shared UI code, not a page).

- The steps in order, one list that ``streamlit_app.py`` turns into the navigation.
- A labelled menu at the top of every page ("Step 3 of 7 · all steps"): an expander of links, so it
  takes no room until tapped and is closed again on the page it leads to (Streamlit's own menu
  becomes a sidebar on a phone that stays open over the page after a tap).
- The obvious next step as a full-width button at the end of each page.
- The safety gate: with a red flag ticked, upload, analysis, results and report wait until the
  runner confirms a clinician has seen it.
- Answers and results that survive a page switch (``keep``) and a reload (an in-memory snapshot
  under a random key in the address, :mod:`gait.service.sessions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from gait.advice.safety import RED_FLAGS, Gate, gate, report_sentence
from gait.service.sessions import SessionStore


@dataclass(frozen=True)
class Step:
    path: str
    title: str
    icon: str
    url_path: str
    #: The next-step button's words on the page before this one.
    go_label: str


STEPS: tuple[Step, ...] = (
    Step("pages/start.py", "Before you start", ":material/health_and_safety:", "start", "Back to the safety check"),
    Step("pages/guide.py", "Filming guide", ":material/videocam:", "guide", "Next: how to film"),
    Step("pages/analyse.py", "Upload and analyse", ":material/upload:", "analyse", "Next: upload your clips"),
    Step("pages/results.py", "Results", ":material/bar_chart:", "results", "Next: see your results"),
    Step("pages/exercises.py", "Exercises", ":material/fitness_center:", "exercises", "Next: your exercises"),
    Step("pages/back_to_running.py", "Back to running", ":material/directions_run:", "back_to_running",
         "Next: back to running"),
    Step("pages/report.py", "Report", ":material/description:", "report", "Next: your report"),
)

#: Pages of the self-check that a red flag stops (the advice pages stay open, with a word).
GATED = ("pages/analyse.py", "pages/results.py", "pages/report.py")

#: Where the back-to-running page leaves the plan the runner saved for the report ("saved.": kept on reload).
PLAN_KEY = "saved.plan.result"

#: The address parameter that holds the snapshot key.
SESSION_PARAM = "s"
#: Session-state keys worth keeping across a reload: results, and every remembered answer.
#: Never widget keys (Streamlit refuses some, like uploads) and never uploads or bytes.
KEPT_PREFIXES = ("analysis.", "saved.")


def step_of(path: str) -> tuple[int, Step]:
    """1-based position and the step for a page path."""
    for n, step in enumerate(STEPS, start=1):
        if step.path == path:
            return n, step
    raise KeyError(f"{path!r} is not a step of the journey")


def pages() -> list:
    """The navigation, in journey order; the first step is the default page."""
    return [st.Page(s.path, title=s.title, icon=s.icon, url_path=s.url_path, default=n == 1)
            for n, s in enumerate(STEPS, start=1)]


# ---- reload survival --------------------------------------------------------------------------

@st.cache_resource
def _store() -> SessionStore:
    return SessionStore()


def link_params() -> dict[str, str] | None:
    """Query parameters for a link or page switch: the snapshot key, so the address keeps naming it."""
    key = st.session_state.get("journey.key")
    return {SESSION_PARAM: key} if key else None


def restore_session() -> None:
    """Before a page runs: after a reload, bring back the snapshot named in the address."""
    if not st.session_state.get("journey.checked"):
        st.session_state["journey.checked"] = True
        key = st.query_params.get(SESSION_PARAM)
        snapshot = _store().get(key)
        if snapshot:
            for name, val in snapshot.items():
                st.session_state.setdefault(name, val)
            st.session_state["journey.key"] = key
            st.session_state["journey.restored"] = True
        elif key:
            st.session_state["journey.expired"] = True  # a key we no longer hold: say so, once
    key = st.session_state.get("journey.key")
    if key and st.query_params.get(SESSION_PARAM) != key:
        st.query_params[SESSION_PARAM] = key  # a page switch clears the address's parameters


def save_session() -> None:
    """After a page ran: keep results and answers in server memory under the address's key."""
    values: dict[str, Any] = {k: v for k, v in st.session_state.items()
                              if isinstance(k, str) and k.startswith(KEPT_PREFIXES)}
    if not any(values.values()):
        return  # nothing of the runner's yet: no key, no entry
    key = st.session_state.get("journey.key")
    if not key:
        from gait.service.sessions import new_key

        key = st.session_state["journey.key"] = new_key()
    _store().put(key, values)
    try:
        if st.query_params.get(SESSION_PARAM) != key:
            st.query_params[SESSION_PARAM] = key
    except Exception:  # noqa: BLE001 - only while Streamlit is already switching page; the next run sets it
        pass


# ---- answers that survive a page switch -------------------------------------------------------

def keep(key: str, default: Any = None) -> dict[str, Any]:
    """Widget arguments that remember its answer when the page is left (Streamlit drops the state
    of widgets that are not shown) and after a reload. Use as ``st.slider(..., **keep("plan.pain", 2))``
    and pass no value or index: the value comes from the session state set here."""
    saved = f"saved.{key}"

    def _save() -> None:
        st.session_state[saved] = st.session_state[key]

    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(saved, default)
    return {"key": key, "on_change": _save}


def answered(key: str) -> bool:
    """Whether the runner has changed this kept widget (not just looked at its default)."""
    return f"saved.{key}" in st.session_state


# ---- the safety gate --------------------------------------------------------------------------

def safety_answers() -> dict[str, bool]:
    return {f.flag_id: bool(st.session_state.get(f"saved.safety.flag.{f.flag_id}", False)) for f in RED_FLAGS}


def safety_gate() -> Gate:
    return gate(safety_answers(), bool(st.session_state.get("saved.safety.none_apply")),
                bool(st.session_state.get("saved.safety.seen_clinician")))


def safety_for_report() -> str:
    """The PDF's sentence on the safety screen."""
    return report_sentence(safety_answers(), safety_gate())


# ---- what every page shows --------------------------------------------------------------------

def top(path: str) -> None:
    """The menu and "step n of 7" at the top of a page; on a gated page, the safety gate."""
    _leave_pages_folder_mode()
    n, here = step_of(path)
    with st.expander(f"Step {n} of {len(STEPS)} · {here.title} · all steps", icon=":material/menu:"):
        for i, step in enumerate(STEPS, start=1):
            st.page_link(step.path, label=f"{i}. {step.title}", icon=step.icon, width="stretch",
                         query_params=link_params(), disabled=step.path == path)
    if st.session_state.pop("journey.restored", False):
        st.toast("Your results and answers are back (kept in this server's memory for up to 2 hours).")
    if st.session_state.pop("journey.expired", False):
        st.info("Your earlier results and answers are no longer kept (after 2 hours, or when the app "
                "restarted). Please start again; a downloaded data file can be loaded on the Report page.")
    state = safety_gate()
    if state is Gate.STOP:
        if path in GATED:
            st.error("**You ticked a red flag on the safety check.** Please see a doctor or physiotherapist "
                     "before using this self-check. If one has already seen it, say so on the safety check "
                     "and you can go on.", icon=":material/medical_services:")
            go(STEPS[0], "Go to the safety check", primary=True)
            st.stop()
        st.warning("You ticked a red flag on the safety check: go through this page with your clinician.",
                   icon=":material/medical_services:")


def go(step: Step, label: str | None = None, primary: bool = True) -> None:
    """A full-width button to ``step`` (keeps the snapshot key in the address)."""
    if st.button(label or step.go_label, type="primary" if primary else "secondary", width="stretch",
                 icon=":material/arrow_forward:", key=f"journey.go.{step.url_path}"):
        st.switch_page(step.path, query_params=link_params())


def next_step(path: str, label: str | None = None) -> None:
    """The obvious next step, as the last thing on the page."""
    n, _ = step_of(path)
    if n < len(STEPS):
        st.divider()
        go(STEPS[n], label)


def _leave_pages_folder_mode() -> None:
    """Opening a page's address first on a fresh server (a reload, a bookmark) makes Streamlit run
    that page alone, as an old-style app with a menu of file names, because a ``pages/`` folder
    exists; only running ``streamlit_app.py`` (``st.navigation``) switches that off. Switch it off
    and run again through the real navigation."""
    from streamlit import config
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        # AppTest starts every run this way (it resets the flag), and a rerun would drop the run's
        # taps and uploads; there the page simply runs on. A browser meets it once, on first load.
        if not config.get_option("global.appTest"):
            st.rerun()
