"""Small UI helpers shared by the page scripts (the only place with shared Streamlit code)."""

from __future__ import annotations

import streamlit as st

# Phone first: no sideways scroll, big tap targets, images and charts never wider than the screen.
_PHONE_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { overflow-x: hidden; }
[data-testid="stMainBlockContainer"], .block-container { padding-left: 1rem; padding-right: 1rem; max-width: 46rem; }
img, svg, canvas { max-width: 100%; height: auto; }
button, [role="checkbox"], label { min-height: 44px; }
.stMarkdown p, .stMarkdown li { font-size: 1.02rem; line-height: 1.5; }
[data-testid="stCheckbox"] label p { font-size: 1rem; }
</style>
"""


def phone_layout() -> None:
    """Inject the phone-friendly CSS; call once at the top of every page."""
    st.markdown(_PHONE_CSS, unsafe_allow_html=True)


def svg(markup: str, caption: str | None = None) -> None:
    """Show an SVG made by the project, scaled to the screen width."""
    st.markdown(
        f'<div style="width:100%;max-width:32rem;margin:auto">{markup}</div>',
        unsafe_allow_html=True,
    )
    if caption:
        st.caption(caption)


# ---- analysis state: results (never uploads or bytes) in a few namespaced keys ----------------

def results_state() -> dict:
    """``analysis.results`` (speed -> Analysis), ``analysis.errors`` (speed -> dict), ``analysis.hash``."""
    st.session_state.setdefault("analysis.results", {})
    st.session_state.setdefault("analysis.errors", {})
    st.session_state.setdefault("analysis.hash", {})
    return {"results": st.session_state["analysis.results"], "errors": st.session_state["analysis.errors"],
            "hash": st.session_state["analysis.hash"]}


def _publish_for_other_pages() -> None:
    """Finding codes and a cadence for the exercises and back-to-running pages."""
    results = st.session_state["analysis.results"]
    codes: list[str] = []
    for a in results.values():
        codes += [f.code for f in a.findings if f.code not in codes]
    st.session_state["analysis.findings"] = codes
    run = results.get("run")
    # The cadence cue is about running, so only the run's cadence is passed on.
    st.session_state["analysis.cadence_spm"] = run.cadence.cadence_spm if run and run.cadence else None


def analyse_upload(speed, upload) -> None:
    """Analyse one uploaded clip from a private temporary file that is always deleted."""
    import hashlib
    import os
    import tempfile

    from gait.errors import GaitError
    from gait.pipeline import analyze

    state = results_state()
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    bar = st.progress(0.0, text=f"{speed.label}: starting")

    def progress(stage: str, fraction: float) -> None:
        bar.progress(fraction, text=f"{speed.label}: {stage} ({100 * fraction:.0f}%)")

    fd, path = tempfile.mkstemp(prefix="springcheck-", suffix=".video")  # mode 0600: private to us
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        del data
        result = analyze(path, speed, progress=progress)
    except GaitError as err:
        state["errors"][speed.value] = {"message": err.user_message, "fix": err.fix, "name": upload.name}
        state["results"].pop(speed.value, None)
    else:
        state["results"][speed.value] = result
        state["errors"].pop(speed.value, None)
    finally:
        os.unlink(path)
        bar.empty()
    state["hash"][speed.value] = digest
    _publish_for_other_pages()


def quality_report(speed) -> None:
    """The per-clip quality report: what we saw and, for problems, the concrete fix."""
    state = results_state()
    err = state["errors"].get(speed.value)
    if err:
        st.error(f"**{err['name']}**: {err['message']}\n\n**What to do:** {err['fix']}")
        return
    a = state["results"][speed.value]
    q = a.quality
    facts = (f"{a.video.width_px}×{a.video.height_px}, {a.video.duration_s:.1f} s · analysed at "
             f"{q.frame_rate_hz:.0f} frames/s · person seen in {q.person_frames_pct:.0f}% of frames · "
             f"feet clear in {q.feet_visible_pct:.0f}% · {q.steps_found} steps found")
    if q.usable:
        st.success(f"Clip usable. {facts}")
    else:
        st.warning(f"We can't judge your landing from this clip. {facts}")
    for p in q.problems:
        text = f"**{p.message}** {p.fix}"
        (st.error if p.blocking else st.info)(text)
    for note in q.notes:
        st.caption(note)


def remembered_checkbox(label: str, key: str) -> bool:
    """A checkbox whose tick survives leaving the page (Streamlit drops state of widgets not shown)."""
    saved = f"saved.{key}"

    def _save() -> None:
        st.session_state[saved] = st.session_state[key]

    return st.checkbox(label, key=key, value=st.session_state.get(saved, False), on_change=_save)
