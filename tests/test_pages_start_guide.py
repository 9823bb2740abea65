"""UI tests for the "Before you start" and "Filming guide" pages.

st.page_link needs the navigation that streamlit_app.py declares (under a bare
AppTest.from_file("pages/start.py") it raises KeyError: 'url_pathname'), so these tests
run the real entry point and switch to the page under test.
"""

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
# Pages import `from pages.ui import ...`, so the repo root must be importable.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import re  # noqa: E402

import pytest  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from gait.advice.guide import CHECKLIST, GUIDE_STEPS  # noqa: E402
from gait.advice.safety import RED_FLAGS  # noqa: E402

APP_PATH = str(REPO_ROOT / "streamlit_app.py")
RUN_TIMEOUT_S = 30
CLINICIAN_MESSAGE = "See a clinician first — do not self-assess"


def _open(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP_PATH, default_timeout=RUN_TIMEOUT_S).run()
    assert not at.exception
    if page is not None:
        at.switch_page(page).run()
        assert not at.exception
    return at


def _page_links(at: AppTest) -> list[tuple[str, str]]:
    """(label without Markdown emphasis, url path) of every st.page_link shown, but the journey menu's."""
    return [(el.proto.label.replace("**", ""), el.proto.page) for el in at.get("page_link")
            if not re.match(r"^\d+\. ", el.proto.label)]


def _buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def _all_markdown(at: AppTest) -> str:
    return "\n".join(el.value for el in [*at.markdown, *at.caption])


def test_start_is_the_default_page_and_renders():
    at = _open()
    assert [t.value for t in at.title] == ["Before you start"]
    assert [c.label for c in at.checkbox] == [flag.question for flag in RED_FLAGS]
    text = _all_markdown(at)
    assert "10 barefoot steps" in text
    assert text.count("not a diagnosis") == 1
    assert "temporary files" in text and "deleted after the analysis" in text


NONE_APPLY = "None of these apply to me — continue"


def test_start_untouched_is_not_an_answer():
    """Nothing ticked is not yet "none apply": no go-ahead until the runner says so."""
    at = _open()
    assert at.session_state["safety.cleared"] is False
    assert not at.success and not at.error
    assert "You can go on" not in _all_markdown(at)
    assert _buttons(at) == [NONE_APPLY]


def test_start_confirming_none_apply_goes_to_the_guide_and_is_remembered():
    at = _open()
    at.button[0].click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Filming guide"]
    at.switch_page("pages/start.py").run()
    assert at.session_state["safety.cleared"] is True
    assert any("none of these apply" in s.value for s in at.success)
    assert _buttons(at) == ["Next: how to film"]  # the next step, as a full-width button


@pytest.mark.parametrize("flag_idx", range(len(RED_FLAGS)), ids=[f.flag_id for f in RED_FLAGS])
def test_start_red_flag_shows_clinician_message_and_no_continue(flag_idx):
    at = _open()
    at.checkbox[flag_idx].check().run()
    assert not at.exception
    assert at.session_state["safety.cleared"] is False
    assert len(at.error) == 1
    message = at.error[0].value
    assert CLINICIAN_MESSAGE in message
    assert RED_FLAGS[flag_idx].reason in message
    # Only the ticked flag's reason is explained.
    for other_idx, other in enumerate(RED_FLAGS):
        if other_idx != flag_idx:
            assert other.reason not in message
    assert _page_links(at) == [] and _buttons(at) == []  # no way on, only the clinician confirmation
    assert at.checkbox[-1].label.startswith("A doctor or physiotherapist has already seen this")


def test_start_unticking_the_flag_asks_again():
    at = _open()
    at.checkbox[0].check().run()
    assert at.session_state["safety.cleared"] is False
    at.checkbox[0].uncheck().run()
    assert not at.error
    assert _buttons(at) == [NONE_APPLY]


def test_guide_renders_every_step_picture_and_the_checklist():
    at = _open("pages/guide.py")
    assert [t.value for t in at.title] == ["Filming guide"]
    text = _all_markdown(at)
    for step in GUIDE_STEPS:
        assert step.picture() in text
        assert step.text in text
    assert text.count("<svg") == len(GUIDE_STEPS)
    assert [s.value for s in at.subheader][: len(GUIDE_STEPS)] == [
        f"{n}. {step.title}" for n, step in enumerate(GUIDE_STEPS, start=1)
    ]
    assert [c.label for c in at.checkbox] == [item.label for item in CHECKLIST]
    assert [e.label for e in at.expander] == ["iPhone", "Android"]


def test_guide_upload_link_only_when_all_ticked():
    at = _open("pages/guide.py")
    assert _page_links(at) == []
    assert _buttons(at) == ["I've filmed already: upload my clips"]
    assert f"{len(CHECKLIST)} of {len(CHECKLIST)} still to tick" in at.info[0].value

    for box in at.checkbox[:-1]:
        box.check()
    at.run()
    assert _page_links(at) == []
    assert f"1 of {len(CHECKLIST)} still to tick" in at.info[0].value

    at.checkbox[-1].check().run()
    assert not at.exception
    assert _page_links(at) == [("All set — go to Upload", "analyse")]
    assert not at.info


def test_checklist_ticks_survive_a_trip_to_another_page():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file("streamlit_app.py", default_timeout=60)
    at.run()
    at.switch_page("pages/guide.py")
    at.run()
    first = at.checkbox[0]
    first.check().run()
    at.switch_page("pages/results.py")
    at.run()
    at.switch_page("pages/guide.py")
    at.run()
    assert at.checkbox(key=first.key).value is True
