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
    from gait.analysis.findings import credible, unclear_below_floor
    from gait.pipeline import cadence_confidence

    codes: list[str] = []
    for a in results.values():
        codes += [f.code for f in credible(a.findings) if f.code not in codes]
    st.session_state["analysis.findings"] = codes
    run = results.get("run")
    # The cadence cue is about running, so only the run's cadence is passed on, and only a clear one.
    clear = run is not None and run.cadence is not None and not unclear_below_floor(cadence_confidence(run.cadence))
    st.session_state["analysis.cadence_spm"] = run.cadence.cadence_spm if clear else None


_POLL_S = 0.25
_MAX_NAME_CHARS = 60


def _upload_bytes(upload) -> memoryview:
    """The upload's bytes without a copy (a memoryview on Streamlit's buffer)."""
    getbuffer = getattr(upload, "getbuffer", None)
    return getbuffer() if getbuffer is not None else memoryview(upload.getvalue())


def _upload_size(upload) -> int:
    with _upload_bytes(upload) as view:
        return len(view)


def upload_digest(upload) -> str:
    """SHA-256 of an upload (which clip it is), hashed in place."""
    import hashlib

    with _upload_bytes(upload) as view:
        return hashlib.sha256(view).hexdigest()


def display_name(name: str) -> str:
    """The upload's name as shown back to its owner: no folders, no markdown, bounded length."""
    import os
    import re

    base = os.path.basename(str(name).replace("\\", "/")) or "clip"
    base = re.sub(r"[^\w .()-]", "-", base)  # markdown and HTML characters become "-"
    return base if len(base) <= _MAX_NAME_CHARS else base[: _MAX_NAME_CHARS - 3] + "..."


def analyse_upload(speed, upload) -> None:
    """Analyse one uploaded clip (see ``analyse_uploads``)."""
    analyse_uploads([(speed, upload)])


def analyse_uploads(items) -> None:
    """Analyse uploaded clips ``[(speed, upload), ...]`` as jobs on the analysis engine, all at once.

    Each clip's bytes go to the engine (``gait.service.jobs``: this process's workers, or a Redis
    broker and workers on other machines), where a worker writes them to its own private file
    and deletes it after the analysis. Each clip gets a progress bar that shows its place in the
    queue while it waits, then its progress. Leaving the page cancels the clips still running.
    Results (never uploads or bytes) go to ``analysis.results`` / ``analysis.errors`` / ``analysis.hash``.
    """
    import time
    from contextlib import ExitStack

    from gait.errors import GaitError
    from gait.service import jobs

    from gait.pipeline import overall_progress

    state = results_state()
    shown: dict = {}
    with ExitStack() as cleanup:
        waiting = []
        bars = {speed: st.progress(0.0, text=f"{speed.label}: starting") for speed, _ in items}
        cleanup.callback(lambda: [bar.empty() for bar in bars.values()])
        # The biggest clip first: when workers are short, a person's clips then finish close together.
        for speed, upload in sorted(items, key=lambda item: -_upload_size(item[1])):
            digest = upload_digest(upload)
            try:
                with _upload_bytes(upload) as view:
                    job = jobs.submit(view, speed)
            except GaitError as err:
                _record(state, speed, upload, digest, error=err)
                continue
            cleanup.callback(job.cancel)  # a no-op once done; the engine drops the clip's bytes
            waiting.append((speed, upload, digest, job))
        while waiting:
            for speed, upload, digest, job in list(waiting):
                if job.done():
                    try:
                        _record(state, speed, upload, digest, result=job.result())
                    except GaitError as err:
                        _record(state, speed, upload, digest, error=err)
                    bars[speed].progress(1.0, text=f"{speed.label}: done")
                    waiting.remove((speed, upload, digest, job))
                    continue
                place = job.place_in_queue()
                if place:
                    # Busy server: the person sees where they are, and that it moves.
                    bars[speed].progress(0.0, text=f"{speed.label}: waiting for a free slot — number {place} "
                                         "in the queue")
                else:
                    # One bar over the whole analysis, never going back; the text gives the bar's own figure.
                    shown[speed] = max(shown.get(speed, 0.0), overall_progress(job.stage, job.fraction))
                    bars[speed].progress(shown[speed], text=f"{speed.label}: {job.stage.lower()} "
                                         f"({100 * shown[speed]:.0f}%)")
            if waiting:
                time.sleep(_POLL_S)
    _publish_for_other_pages()


def _record(state: dict, speed, upload, digest: str, result=None, error=None) -> None:  # noqa: ANN001
    if error is not None:
        state["errors"][speed.value] = {"message": error.user_message, "fix": error.fix,
                                        "name": display_name(upload.name)}
        state["results"].pop(speed.value, None)
    else:
        from dataclasses import replace

        from gait.analysis.filming import with_answers

        # The runner's own file name, not the private temporary copy's (it goes into the PDF).
        result = replace(result, video=replace(result.video, name=display_name(upload.name)))
        state["results"][speed.value] = with_answers(result, filming_answers())
        state["errors"].pop(speed.value, None)
    state["hash"][speed.value] = digest


def quality_report(speed) -> None:
    """The per-clip quality report: what we saw and, for problems, the concrete fix."""
    state = results_state()
    err = state["errors"].get(speed.value)
    if err:
        st.error(f"**{err['name']}**: {err['message']}\n\n**What to do:** {err['fix']}")
        return
    from gait.analysis.filming import differences
    from gait.output.words import clip_facts

    a = state["results"][speed.value]
    q = a.quality
    facts = f"**{display_name(a.video.name)}**: " + clip_facts(a.to_dict())
    if q.usable and differences(q):
        st.warning(f"Clip usable, but filmed differently from the guide (see below). {facts}")
    elif q.usable:
        st.success(f"Clip usable. {facts}")
    else:
        st.warning(f"We can't judge your landing from this clip. {facts}")
    for p in q.problems:
        text = f"**{p.message}** {p.fix}"
        (st.error if p.blocking else st.info)(text)
    for note in q.notes:
        st.caption(note)
    from pages.sound_ui import sound_note  # the landing-sound check (gait.analysis.sound)

    if (heard := sound_note(getattr(a, "sound", None))):
        st.caption(heard)


_ANSWERS = {"filming.barefoot": ("Barefoot", "Shoes or socks"), "filming.aid": ("No", "Yes, a stick or crutch")}


def filming_answers():  # noqa: ANN201 - gait.analysis.filming.FilmingAnswers
    """The runner's answers to "barefoot? walking aid?" (None where not answered)."""
    from gait.analysis.filming import FilmingAnswers

    bare = st.session_state.get("saved.filming.barefoot")
    aid = st.session_state.get("saved.filming.aid")
    return FilmingAnswers(barefoot=None if bare is None else bare == _ANSWERS["filming.barefoot"][0],
                          walking_aid=None if aid is None else aid == _ANSWERS["filming.aid"][1])


def filming_questions() -> None:
    """Two quick questions the clip cannot answer honestly; the answers become notes on every clip."""
    from gait.analysis.filming import with_answers

    def _save(key: str) -> None:
        st.session_state[f"saved.{key}"] = st.session_state[key]
        results = results_state()["results"]
        answers = filming_answers()
        for speed, a in list(results.items()):
            results[speed] = with_answers(a, answers)

    for key, question in (("filming.barefoot", "In these clips, were your feet bare?"),
                          ("filming.aid", "Did you use a walking aid?")):
        options = _ANSWERS[key]
        saved = st.session_state.get(f"saved.{key}")
        st.radio(question, options, index=options.index(saved) if saved in options else None, key=key,
                 horizontal=True, on_change=_save, args=(key,))


def remembered_checkbox(label: str, key: str) -> bool:
    """A checkbox whose tick survives leaving the page (Streamlit drops state of widgets not shown)."""
    saved = f"saved.{key}"

    def _save() -> None:
        st.session_state[saved] = st.session_state[key]

    return st.checkbox(label, key=key, value=st.session_state.get(saved, False), on_change=_save)
