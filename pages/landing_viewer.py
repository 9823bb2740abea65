"""The landing viewer on the results page (not a page of its own): frame by frame, left and right
side by side, and the slow-motion clip for a physio. The pictures come from ``gait.output.viewer``.

Each speed's viewer is a fragment: a tap on a button or the slider reruns only the viewer.
"""

from __future__ import annotations

import streamlit as st

from gait.analysis.frames import LandingFrames, LandingStep
from gait.names import Side
from gait.output import viewer

# Thumb-sized controls (Streamlit's own buttons are 40 px; a thumb wants 48 or more).
_CSS = """<style>
[class*="st-key-viewer-controls"] button { min-height: 56px; font-size: 1.15rem; }
[class*="st-key-viewer-controls"] { gap: 0.5rem; }
</style>"""


def _keys(speed: str) -> tuple[str, str]:
    return f"viewer.{speed}.step", f"viewer.{speed}.frame"


def _order(landing: LandingFrames) -> list[int]:
    """Picker order: the typical left and right landings first, then every step in time."""
    typical = [i for side in Side for i, s in enumerate(landing.steps) if s.typical and s.foot is side]
    return typical + [i for i in range(len(landing.steps)) if i not in typical]


def _label(landing: LandingFrames, i: int) -> str:
    s = landing.steps[i]
    if s.typical:
        return f"Typical {s.foot.label} landing (step {i + 1}, {s.contact_s:.2f} s)"
    return viewer.step_label(s, i + 1)


def _go_to_step(speed: str, landing: LandingFrames, i: int) -> None:
    step_key, frame_key = _keys(speed)
    i = max(0, min(len(landing.steps) - 1, i))
    st.session_state[step_key] = i
    s = landing.steps[i]
    # A new step opens at its contact.
    st.session_state[frame_key] = s.contact_idx - s.first_idx


def _move_frame(speed: str, step: LandingStep, by: int) -> None:
    _, frame_key = _keys(speed)
    st.session_state[frame_key] = max(0, min(step.n_frames - 1, st.session_state.get(frame_key, 0) + by))


def _frame_caption(landing: LandingFrames, step: LandingStep, idx: int) -> str:
    ms = viewer.time_from_contact_ms(landing, step, idx)
    mark = " · **contact**" if idx == step.contact_idx else " · **lift-off**" if idx == step.toe_off_idx else ""
    return (f"Frame {idx - step.first_idx + 1} of {step.n_frames} · {ms:+.0f} ms from contact{mark} · "
            f"{landing.frame_rate_hz:.0f} frames/s")


def _clip(speed: str, landing: LandingFrames) -> tuple[bytes, str, str] | None:
    """The physio clip, made once per analysis and kept with the results (a few hundred kB)."""
    store = st.session_state.setdefault("viewer.clips", {})
    key = (speed, landing.n_bytes, tuple(round(s.contact_s, 3) for s in landing.steps))
    if key not in store:
        store[key] = viewer.export_clip(landing)
    return store[key]


def landing_viewer(speed: str, landing: LandingFrames | None) -> None:
    """The viewer for one speed's clip; nothing when the clip has no landings to show."""
    if landing is None or not landing.steps:
        return
    st.subheader("Watch each landing, frame by frame")
    st.caption("From just before the foot touches down to lift-off, every frame the phone filmed (every frame of a "
               "slow-motion clip). Blue: left leg, orange: right leg. Yellow arrow: heel → toe of the landing "
               "foot as the pose model places it; dashed white line: straight at the camera. Magenta: the landing "
               "leg's hip-to-ankle line with its knee ringed (knee falling in) and the line through the hips (hip "
               "drop). The skeleton between the frames the pose model looked at is interpolated.")
    st.markdown(_CSS, unsafe_allow_html=True)
    _frames(speed, landing)
    if viewer.typical_pair(landing) is not None:
        _pair(speed, landing)


@st.fragment
def _frames(speed: str, landing: LandingFrames) -> None:
    step_key, frame_key = _keys(speed)
    if step_key not in st.session_state or not 0 <= st.session_state[step_key] < len(landing.steps):
        _go_to_step(speed, landing, _order(landing)[0])
    st.selectbox("Which landing", _order(landing), format_func=lambda i: _label(landing, i), key=step_key,
                 on_change=lambda: _go_to_step(speed, landing, st.session_state[step_key]))
    i = st.session_state[step_key]
    step = landing.steps[i]
    st.session_state[frame_key] = max(0, min(step.n_frames - 1, st.session_state.get(frame_key, 0)))
    at = st.session_state[frame_key]
    idx = step.first_idx + at
    st.image(viewer.frame_jpeg(landing, step, idx), width="stretch")
    st.markdown(_frame_caption(landing, step, idx))
    with st.container(horizontal=True, key=f"viewer-controls-{speed}-frames"):
        st.button("◀ Frame", key=f"viewer.{speed}.prev_frame", width="stretch", disabled=at == 0,
                  on_click=_move_frame, args=(speed, step, -1))
        st.button("Frame ▶", key=f"viewer.{speed}.next_frame", width="stretch", disabled=at == step.n_frames - 1,
                  on_click=_move_frame, args=(speed, step, 1))
    # The slider reads in ms from contact; each position is one frame of the clip.
    st.select_slider("Frame", options=list(range(step.n_frames)), key=frame_key, label_visibility="collapsed",
                     format_func=lambda k: f"{viewer.time_from_contact_ms(landing, step, step.first_idx + k):+.0f} ms",
                     disabled=step.n_frames < 2)
    with st.container(horizontal=True, key=f"viewer-controls-{speed}-steps"):
        st.button("Step", key=f"viewer.{speed}.prev_step", width="stretch", disabled=i == 0, icon=":material/skip_previous:",
                  on_click=_go_to_step, args=(speed, landing, i - 1))
        st.button("Step", key=f"viewer.{speed}.next_step", width="stretch", disabled=i == len(landing.steps) - 1,
                  icon=":material/skip_next:",
                  on_click=_go_to_step, args=(speed, landing, i + 1))


@st.fragment
def _pair(speed: str, landing: LandingFrames) -> None:
    st.subheader("Left and right together")
    first, last = viewer.pair_offsets(landing)
    key = f"viewer.{speed}.pair"
    st.session_state.setdefault(key, 0)
    st.session_state[key] = max(first, min(last, st.session_state[key]))
    picture = viewer.pair_frame(landing, st.session_state[key])
    if picture is not None:
        st.image(viewer.jpeg(picture), width="stretch")
    period_ms = 1000.0 / max(landing.frame_rate_hz, 1.0)
    st.select_slider("Time from each foot's contact", options=list(range(first, last + 1)), key=key,
                     format_func=lambda k: f"{k * period_ms:+.0f} ms",
                     help="Both typical landings, locked to their contact: 0 ms is the frame each foot touches down.")
    st.caption(f"Played together, {viewer.SLOW_FACTOR}× slower than real time:")
    clip = _clip(speed, landing)
    if clip is None:
        return
    data, mime, ext = clip
    if mime == "video/mp4":
        st.video(data, format=mime, loop=True, muted=True)
    else:
        st.image(data, width="stretch")
    st.download_button("Download the slow-motion clip for your physio", data=data, mime=mime,
                       file_name=f"springcheck-{speed}-landings.{ext}", key=f"viewer.{speed}.download",
                       icon=":material/download:", width="stretch")
