"""AppTest: below the confidence floor nothing is printed as fact, and no developer output reaches the runner."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gait.analysis.findings import Finding
from gait.names import Side, Speed
from tests.test_pages_analysis import all_text, app_on


@pytest.fixture(scope="module")
def walker_result():
    from gait.pipeline import analyze_track
    from tests.synthetic import Walker, fake_info, make_track

    w = Walker(foot_angle_deg=8.0)
    return analyze_track(make_track(w), fake_info(w), Speed.WALK)


@pytest.fixture(scope="module")
def doubtful(walker_result):
    """The walker with every sign weak: a cadence range of 88-131, a bang at 36 %, findings at 18 and 36 %."""
    a = walker_result
    feet = {side: replace(f, landing="bang", landing_confidence=0.36) for side, f in a.feet.items()}
    weak = (Finding("left_right_difference", None, "Left and right feet land differently", "Your feet differ.", 0.18),
            Finding("bang", Side.L, "Landing is abrupt (bang)", "The foot stops suddenly.", 0.36))
    return replace(a, feet=feet, findings=weak, cadence=replace(a.cadence, low_spm=88.0, high_spm=131.0))


def test_results_page_shows_doubt_as_unclear_and_drives_no_exercise(doubtful):
    results = {"walk": doubtful, "fast_walk": replace(doubtful, speed=Speed.FAST_WALK)}
    at = app_on("pages/results.py", **{"analysis.results": results, "analysis.errors": {}, "analysis.hash": {}})
    text = all_text(at)
    # Cadence: no big number, said as unclear with its range.
    assert len(at.metric) == 0
    assert "Cadence: unclear" in text and "between 88 and 131" in text
    # Spring or bang below the floor: unclear, with the reason.
    assert "Spring or bang: unclear" in text and "below the floor" in text
    assert "Bangs (abrupt landing)" not in text
    # Weak findings are not findings, and link to no exercise.
    assert "Left and right feet land differently" not in text and "Landing is abrupt" not in text
    assert not [p for p in at.get("page_link") if p.proto.query_string.startswith("ex=")]
    # The across-speeds table: plain (no toolbar), one column per speed, confidences, no bare "bang", no "None".
    assert not at.dataframe
    table = at.table[0].value
    assert list(table.columns)[1:] == ["Walk", "Fast walk"]
    cells = [str(v) for v in table.to_numpy().ravel()]
    assert "unclear (36%)" in cells and "unclear (10%)" in cells
    assert "bang" not in cells and not any(c in ("None", "nan") for c in cells)


def test_clear_results_still_show_their_numbers(walker_result):
    at = app_on("pages/results.py", **{"analysis.results": {"walk": walker_result}, "analysis.errors": {},
                                       "analysis.hash": {}})
    assert at.metric[0].value.endswith("steps/min")
    assert "confidence" in at.metric[0].proto.help and "most likely between" in at.metric[0].proto.help


def test_quality_report_speaks_plainly_and_says_what_differs_from_the_guide(walker_result):
    named = replace(walker_result, video=replace(walker_result.video, name="My walk.mov"))
    at = app_on("pages/analyse.py", **{"analysis.results": {"walk": named}, "analysis.errors": {},
                                       "analysis.hash": {}})
    text = all_text(at)
    assert "My walk.mov" in text
    assert "frames/s" not in text and "\u00d7" not in text  # no frame rate or pixel size for the runner
    assert len(at.radio) == 2 and all(r.value is None for r in at.radio)  # asked, not assumed
    at.radio[0].set_value("Shoes or socks").run()
    at.radio[1].set_value("Yes, a stick or crutch").run()
    assert not at.exception
    text = all_text(at)
    assert "filmed differently from the guide" in text
    assert "shoes or socks" in text and "walking aid" in text
    codes = {p.code for p in at.session_state["analysis.results"]["walk"].quality.problems}
    assert {"shoes_on", "walking_aid"} <= codes
    # The results page says it too, beside the results it qualifies.
    at.switch_page("pages/results.py").run()
    assert not at.exception
    assert any("Filmed differently from the guide" in i.value and "shoes or socks" in i.value for i in at.info)
    at.switch_page("pages/analyse.py").run()
    # Changing an answer replaces its note.
    at.radio[0].set_value("Barefoot").run()
    codes = {p.code for p in at.session_state["analysis.results"]["walk"].quality.problems}
    assert "shoes_on" not in codes and "walking_aid" in codes
