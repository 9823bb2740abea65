"""AppTest of the exercises and back-to-running pages: they render what gait/ returns."""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the pages import `pages.ui` and `gait`
    sys.path.insert(0, str(ROOT))

from gait.advice.exercises import all_exercises, get_exercise  # noqa: E402

EXERCISES_PAGE = str(ROOT / "pages" / "exercises.py")
PLAN_PAGE = str(ROOT / "pages" / "back_to_running.py")
TIMEOUT_S = 60


def _run(path: str, query: dict[str, str] | None = None, state: dict | None = None) -> AppTest:
    """The page inside the app's navigation (its journey menu links need it)."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT_S)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()
    at.switch_page(path)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(elements) -> list[str]:
    return [e.value for e in elements]


def test_exercises_page_renders_every_exercise():
    at = _run(EXERCISES_PAGE)
    labels = [e.label for e in at.expander]
    for ex in all_exercises():
        assert sum(label.startswith(ex.name) for label in labels) == 1, ex.name
    assert "For you" not in _texts(at.header)
    assert any("hip and knee" in m.lower() for m in _texts(at.markdown)), "honest evidence intro missing"
    assert any("after your run" in label for label in labels)
    # Every exercise shows numbered steps, its dose and its source.
    markdown = "\n".join(_texts(at.markdown))
    assert markdown.count("**How to do it**") == len(all_exercises())
    assert "1. " in markdown and markdown.count("**Dose:**") == len(all_exercises())
    assert sum("Source:" in c for c in _texts(at.caption)) == len(all_exercises())


def test_query_parameter_shows_that_exercise_first_and_can_be_cleared():
    at = _run(EXERCISES_PAGE, query={"ex": "pogo-hops"})
    assert _texts(at.subheader)[0] == get_exercise("pogo-hops").name
    assert _texts(at.header)[0] == "All exercises"  # the focused exercise comes before the library
    assert any("20 or more pain-free single-leg heel raises" in i for i in _texts(at.info))
    at.button[0].click().run()
    assert "ex" not in at.query_params
    assert _texts(at.subheader)[0] != get_exercise("pogo-hops").name


def test_unknown_query_parameter_warns_instead_of_failing():
    at = _run(EXERCISES_PAGE, query={"ex": "moonwalk"})
    assert any("moonwalk" in w for w in _texts(at.warning))
    assert len(at.expander) == len(all_exercises())


def test_findings_in_session_give_a_for_you_section_first():
    at = _run(EXERCISES_PAGE, state={"analysis.findings": ["toe_out", "bang"]})
    assert _texts(at.header)[:2] == ["For you", "All exercises"]
    markdown = "\n".join(_texts(at.markdown))
    assert "From your results: Foot lands pointing out" in markdown
    assert "**Matches your result:** Foot lands pointing out" in markdown
    assert "**Core for runner's knee:**" in markdown
    # The library still lists everything below the programme.
    assert len(at.expander) > len(all_exercises())


def test_quad_exercises_carry_the_after_run_warning():
    at = _run(EXERCISES_PAGE, query={"ex": "step-down"})
    assert any("After your run, not before" in w for w in _texts(at.warning))


def _charts(at: AppTest) -> list:
    return list(at.get("vega_lite_chart")) + list(at.get("arrow_vega_lite_chart"))


