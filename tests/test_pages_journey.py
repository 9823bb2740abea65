"""AppTest of the journey: the safety gate, the back-to-running form and what reaches the PDF.

Every page runs inside the app's navigation (``streamlit_app.py``), as a person meets it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from gait.advice.plan import Goal, Plan  # noqa: E402
from gait.advice.safety import RED_FLAGS  # noqa: E402

APP = str(ROOT / "streamlit_app.py")
PLAN_PAGE = "pages/back_to_running.py"
PLAN_KEY = "saved.plan.result"
TIMEOUT_S = 60


def app(page: str | None = None, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


@pytest.fixture(scope="module")
def toe_out_walk():
    """A quick synthetic analysis (no video, no pose model): enough for results and report pages."""
    from gait.names import Speed
    from gait.pipeline import analyze_track
    from tests.synthetic import Walker, fake_info, make_track

    w = Walker(foot_angle_deg=25.0)
    return analyze_track(make_track(w), fake_info(w), Speed.WALK)


def with_results(result) -> dict:
    return {"analysis.results": {"walk": result}, "analysis.errors": {}, "analysis.hash": {},
            "analysis.findings": [f.code for f in result.findings], "analysis.cadence_spm": None}


# ---- navigation: step n of 7, a labelled menu, the next step as a button --------------------

@pytest.mark.parametrize(("page", "step", "next_label"), [
    ("pages/guide.py", 2, "I've filmed already: upload my clips"),
    ("pages/exercises.py", 5, "Next: back to running"),
    (PLAN_PAGE, 6, "Next: your report"),
])
def test_every_page_shows_its_step_a_menu_and_ends_with_the_next_step(page, step, next_label):
    at = app(page)
    menu = [p.proto for p in at.get("page_link") if re.match(r"^\d\. ", p.proto.label)]
    assert [m.label.split(". ", 1)[1] for m in menu] == ["Before you start", "Filming guide", "Upload and analyse",
                                                         "Results", "Exercises", "Back to running", "Report"]
    assert [m.disabled for m in menu].index(True) == step - 1  # the page you are on
    menu_label = at.status[0].label  # AppTest files an expander with an icon under "status"
    assert menu_label == f"Step {step} of 7 · {menu[step - 1].label.split('. ', 1)[1]} · all steps"
    assert not at.status[0].proto.expanded  # closed until tapped
    assert buttons(at)[-1] == next_label


def test_next_step_button_opens_the_next_page():
    at = app("pages/exercises.py")
    at.button[-1].click().run()
    assert texts(at.title) == ["Back to running"]


# ---- the safety gate -------------------------------------------------------------------------

def tick_red_flag(at: AppTest, idx: int = 0) -> AppTest:
    at.switch_page("pages/start.py").run()
    at.checkbox[idx].check().run()
    return at


@pytest.mark.parametrize("page", ["pages/analyse.py", "pages/results.py", "pages/report.py"])
def test_a_red_flag_stops_upload_results_and_report(page, toe_out_walk):
    at = tick_red_flag(app(**with_results(toe_out_walk)))
    at.switch_page(page).run()
    assert not at.exception
    assert any("You ticked a red flag" in e for e in texts(at.error))
    assert len(at.get("file_uploader")) == 0 and len(at.get("download_button")) == 0
    assert not at.metric  # no results shown either
    assert buttons(at) == ["Go to the safety check"]


def test_confirming_a_clinician_opens_the_self_check_again_and_the_report_says_so(toe_out_walk, monkeypatch):
    import gait.output.report as report

    seen = {}
    real = report.make_pdf

    def spy(*args, **kwargs):
        seen.update(kwargs)
        seen["plan"] = args[3] if len(args) > 3 else kwargs.get("plan")
        return real(*args, **kwargs)

    monkeypatch.setattr(report, "make_pdf", spy)
    at = tick_red_flag(app(**with_results(toe_out_walk)), idx=2)
    at.checkbox[-1].check().run()  # "A doctor or physiotherapist has already seen this ..."
    assert buttons(at)[-1] == "Next: how to film"
    at.switch_page("pages/analyse.py").run()
    assert not at.error and len(at.get("file_uploader")) == 3
    at.switch_page("pages/report.py").run()
    assert not at.error
    note = seen["safety_note"]
    assert RED_FLAGS[2].question in note and "confirmed that a doctor or physiotherapist has seen it" in note
    pdf_text = pdf_to_text(real(*_pdf_args(at), safety_note=note))
    assert "has seen it" in pdf_text


def test_unanswered_safety_check_does_not_block_but_nothing_says_go_on(toe_out_walk):
    at = app("pages/results.py", **with_results(toe_out_walk))
    assert not at.error and at.metric
    at.switch_page("pages/start.py").run()
    assert not at.success and "None of these apply to me — continue" in buttons(at)


# ---- back to running: answers kept, no default plan in the PDF, the pain rule ----------------

def fill_plan_form(at: AppTest) -> AppTest:
    at.slider(key="plan.pain_rest").set_value(1)
    at.slider(key="plan.pain_running").set_value(2)
    at.radio(key="plan.next_morning").set_value(False)
    at.number_input(key="plan.can_run_now_km").set_value(4.0)
    at.number_input(key="plan.weekly_km").set_value(30.0)
    at.number_input(key="plan.longest_km").set_value(12.0)
    at.slider(key="plan.runs").set_value(4)
    at.selectbox(key="plan.goal").set_value(Goal.HALF)
    return at.run()


FILLED = {"plan.pain_rest": 1, "plan.pain_running": 2, "plan.next_morning": False, "plan.can_run_now_km": 4.0,
          "plan.weekly_km": 30.0, "plan.longest_km": 12.0, "plan.runs": 4, "plan.goal": Goal.HALF}


def form_values(at: AppTest) -> dict:
    return {"plan.pain_rest": at.slider(key="plan.pain_rest").value,
            "plan.pain_running": at.slider(key="plan.pain_running").value,
            "plan.next_morning": at.radio(key="plan.next_morning").value,
            "plan.can_run_now_km": at.number_input(key="plan.can_run_now_km").value,
            "plan.weekly_km": at.number_input(key="plan.weekly_km").value,
            "plan.longest_km": at.number_input(key="plan.longest_km").value,
            "plan.runs": at.slider(key="plan.runs").value,
            "plan.goal": at.selectbox(key="plan.goal").value}


def test_answers_are_kept_when_leaving_the_page_and_coming_back():
    at = fill_plan_form(app(PLAN_PAGE))
    assert form_values(at) == FILLED
    for page in ("pages/report.py", "pages/exercises.py", PLAN_PAGE):
        at.switch_page(page).run()
    assert not at.exception
    assert form_values(at) == FILLED
    assert any("Half marathon" in i or "a half marathon" in i for i in texts(at.info) + texts(at.success))


def test_opening_the_page_puts_no_plan_in_the_report_only_the_runner_does():
    at = app(PLAN_PAGE)
    assert PLAN_KEY not in at.session_state
    fill_plan_form(at)
    assert PLAN_KEY not in at.session_state  # answering is not yet choosing the plan for the report
    at.toggle(key="plan.in_report").set_value(True).run()
    saved = at.session_state[PLAN_KEY]
    assert isinstance(saved, Plan) and saved.inputs.goal is Goal.HALF and saved.inputs.can_run_now_km == 4.0
    at.slider(key="plan.pain_running").set_value(3).run()  # while on, the report follows the answers
    assert at.session_state[PLAN_KEY].inputs.pain_running_0_10 == 3
    at.switch_page("pages/exercises.py").run()
    at.switch_page(PLAN_PAGE).run()
    assert at.toggle(key="plan.in_report").value is True
    at.toggle(key="plan.in_report").set_value(False).run()
    assert PLAN_KEY not in at.session_state


def test_report_without_a_saved_plan_leaves_the_plan_out(toe_out_walk, monkeypatch):
    import gait.output.report as report

    calls = []
    monkeypatch.setattr(report, "make_pdf", lambda *a, **k: calls.append((a, k)) or b"%PDF-1.4")
    at = app(PLAN_PAGE, **with_results(toe_out_walk))  # the plan page was opened, nothing saved
    at.switch_page("pages/report.py").run()
    assert not at.exception
    assert calls and calls[-1][0][3] is None
    assert "Make a back-to-running plan" in buttons(at)
    fill_plan_form(at.switch_page(PLAN_PAGE).run())
    at.toggle(key="plan.in_report").set_value(True).run()
    at.switch_page("pages/report.py").run()
    plan = calls[-1][0][3]
    assert isinstance(plan, Plan) and plan.inputs.goal is Goal.HALF


def test_pain_above_the_rule_starts_with_walking_and_says_why():
    at = app(PLAN_PAGE)
    at.slider(key="plan.pain_running").set_value(4).run()
    assert any("No running in week 1" in w and "above the 3/10" in w for w in texts(at.warning))
    weeks = [e.label for e in at.expander]
    assert weeks[0] == "Week 1 · walking and strength, no running"
    assert weeks[1].startswith("Week 2 · run-walk")


def chart_table(at: AppTest):
    import pyarrow as pa

    charts = list(at.get("arrow_vega_lite_chart")) + list(at.get("vega_lite_chart"))
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec), pa.ipc.open_stream(charts[0].proto.data.data).read_all().to_pylist()


def test_chart_shows_the_current_plan_with_human_labels():
    at = app(PLAN_PAGE)
    fill_plan_form(at)
    spec, rows = chart_table(at)
    plan = make_plan_from(at)
    assert [r["distance_km"] for r in rows] == [w.weekly_distance_km for w in plan.weeks]
    week10 = next(e.label for e in at.expander if e.label.startswith("Week 10 "))
    assert f"{rows[9]['distance_km']:.1f} km" in week10
    titles = [t.get("title") for t in spec["encoding"]["tooltip"]]
    assert len(titles) == 4 and all(titles) and not any("_" in t for t in titles)
    # Streamlit keeps the old bars when the new data's last column starts and ends as before:
    # that column must change with the plan.
    at.number_input(key="plan.can_run_now_km").set_value(2.0).run()
    _, new_rows = chart_table(at)
    assert [r["distance_km"] for r in new_rows] == [w.weekly_distance_km for w in make_plan_from(at).weeks]
    assert new_rows != rows
    last = list(rows[0])[-1]
    assert {new_rows[0][last], new_rows[-1][last]}.isdisjoint({rows[0][last], rows[-1][last]})


def make_plan_from(at: AppTest) -> Plan:
    from gait.advice.plan import PlanInputs, make_plan

    v = form_values(at)
    return make_plan(PlanInputs(v["plan.pain_rest"], v["plan.pain_running"], v["plan.weekly_km"],
                                v["plan.longest_km"], v["plan.runs"], v["plan.goal"], None,
                                v["plan.next_morning"], v["plan.can_run_now_km"]))


def test_plan_page_sends_high_pain_to_a_clinician():
    at = app(PLAN_PAGE)
    at.slider(key="plan.pain_rest").set_value(6).run()
    assert any("clinician" in e for e in texts(at.error))
    assert not at.get("arrow_vega_lite_chart") and not at.expander


def test_plan_page_uses_the_analysis_cadence_and_the_one_cadence_range():
    at = app(PLAN_PAGE, **{"analysis.cadence_spm": 170.0})
    assert any("179–187" in i for i in texts(at.info))
    assert len(at.number_input) == 3  # no cadence box when the analysis gave one


def test_plan_page_explains_bad_input():
    at = app(PLAN_PAGE)
    assert len(at.number_input) == 4
    at.number_input(key="plan.weekly_km").set_value(10.0)
    at.number_input(key="plan.longest_km").set_value(12.0)
    at.run()
    assert any("longer than your whole week" in e for e in texts(at.error))


# ---- the PDF ---------------------------------------------------------------------------------

def _pdf_args(at: AppTest):
    from gait.output.compare import bundle
    from gait.output.report import pictures_of
    from gait.output.results import analysis_to_dict

    results = at.session_state["analysis.results"]
    return (bundle({s: analysis_to_dict(a) for s, a in results.items()}), pictures_of(results), None, None)


def pdf_to_text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def test_pdf_carries_the_runners_answers_the_start_note_and_the_safety_line(toe_out_walk):
    from gait.advice.plan import PlanInputs, make_plan
    from gait.output.compare import bundle
    from gait.output.report import make_pdf
    from gait.output.results import analysis_to_dict

    plan = make_plan(PlanInputs(1, 4, 30, 12, 4, Goal.HALF, None, True, 4.0))
    pdf = make_pdf(bundle({"walk": analysis_to_dict(toe_out_walk)}), None, None, plan,
                   safety_note="Safety check: the runner answered that none of the red flags apply.")
    text = " ".join(pdf_to_text(pdf).split())
    assert "none of the red flags apply" in text
    assert "when running 4/10" in text and "goal: Half marathon" in text and "can run now: 4 km" in text
    assert "No running in week 1" in text


# ---- a reload: results and answers come back from server memory -----------------------------

def test_a_new_session_with_the_address_key_gets_results_and_answers_back(toe_out_walk):
    # (Under AppTest only the first page runs through streamlit_app.py, where the snapshot is saved
    # and restored; a switched page runs on its own. The browser test reloads a real page.)
    answers = {f"saved.{k}": v for k, v in FILLED.items()}
    at = app(**with_results(toe_out_walk), **answers)
    key = at.query_params["s"][0]
    assert len(key) >= 22
    again = AppTest.from_file(APP, default_timeout=TIMEOUT_S)  # a reload: a new session with the address
    again.query_params["s"] = key
    again.run()
    assert not again.exception
    assert "walk" in again.session_state["analysis.results"]
    again.switch_page(PLAN_PAGE).run()
    assert form_values(again) == FILLED


def test_an_unknown_or_expired_key_restores_nothing_and_says_so():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.query_params["s"] = "A" * 22
    at.run()
    assert not at.exception
    assert any("no longer kept" in i for i in texts(at.info))
    assert "analysis.results" not in at.session_state
