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
