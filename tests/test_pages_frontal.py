"""AppTest of the results page's knee/hip/heel section, on rendered walkers (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_pages_analysis import all_text, app_on

FRONTAL = Path(__file__).resolve().parent / "rendered" / "frontal"


@pytest.fixture(scope="module")
def frontal_results():
    from gait.pipeline import analyze

    front = FRONTAL / "frontal_walk_valgus10_3_drop6.mp4"
    rear = FRONTAL / "rear_walk_eversion0_10.mp4"
    if not front.exists() or not rear.exists():
        pytest.skip("rendered frontal clips missing")
    return {"walk": analyze(front, "walk"), "fast_walk": analyze(rear, "walk")}


@pytest.mark.slow
def test_results_show_knee_hip_and_heel_with_pictures_and_no_false_certainty(frontal_results):
    at = app_on("pages/results.py", **{"analysis.results": frontal_results, "analysis.errors": {},
                                       "analysis.hash": {}})
    text = all_text(at)
    assert "Knee and hip from the front, heel from behind" in text
    assert "Knee falls inward on landing" in text
    # The front clip has no walk back: said in words, not left blank.
    assert "did not see you walk back" in text
    # The walk away is refused for the front findings, yet its heel is shown (with its doubt).
    assert "Heel rolls in after landing (from behind)" in text
    assert "walking away" in text.lower()
    # Pelvic drop and eversion are capped below the floor: never a plain yes.
    assert "Hip drops on the other side: yes" not in text
    assert "Heel rolls in after landing (from behind): yes" not in text
    imgs = at.get("imgs") + at.get("image")
    shown = " ".join(str(getattr(i, "proto", "")) for i in imgs)
    assert "hip \u2192 knee" in shown or "hip → knee" in shown, "the measured-lines picture is missing"
