"""The PDF report: text read back with pypdf, pictures embedded, and the ``report`` CLI."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from gait.output.compare import bundle, dump_bundle, finding_codes
from gait.advice.exercises import exercises_for
from gait.names import Side, Speed
from gait.advice.plan import Goal, PlanInputs, make_plan
from gait.output.report import DIRECTION_WORDS, INTRO, make_pdf, pictures_of
from tests.test_compare import foot, result

ROOT = Path(__file__).resolve().parents[1]
CLIPS = Path(__file__).resolve().parents[2] / "shared" / "clips"
SOCKS = CLIPS / "walk_toward_camera_socks.mp4"


def pdf_text(pdf: bytes) -> str:
    """All text, whitespace collapsed (table cells wrap over lines)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def n_images(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def png(width_px: int = 60, height_px: int = 110, red: int = 200) -> bytes:
    buf = io.BytesIO()
    # Different pictures must differ: fpdf2 stores identical images once.
    Image.new("RGB", (width_px, height_px), (red, 80, 40)).save(buf, format="PNG")
    return buf.getvalue()


# ---- real analysis ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def socks_analysis():
    if not SOCKS.exists():
        pytest.skip(f"real clips not found at {CLIPS}")
    from gait.pipeline import analyze

    return analyze(SOCKS, "walk")


@pytest.fixture(scope="module")
def socks_bundle(socks_analysis):
    from gait.output.results import analysis_to_dict

    return bundle({"walk": analysis_to_dict(socks_analysis)})


@pytest.mark.slow
def test_pdf_from_real_analysis_contains_the_findings(socks_analysis, socks_bundle):
    pdf = make_pdf(socks_bundle, pictures_of({"walk": socks_analysis}),
                   exercises_for(finding_codes(socks_bundle), per_finding=3))
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    d = socks_bundle["analyses"]["walk"]
    assert f"Cadence {d['summary']['cadence_spm']:.0f} steps/min" in text
    assert "Left foot" in text and "Right foot" in text
    for side in "LR":
        f = d["summary"]["feet"][side]
        assert f["landing_direction"], "the socks clip should judge both feet's direction"
        if f["landing_direction"] == "unclear":  # below the floor: said as doubt, with the reason
            assert (f"unclear: confidence {100 * f['direction_confidence']:.0f} % is below the" in text
                    and f"(measured median {f['foot_angle_median_deg']:.0f}\u00b0)" in text)
        else:
            assert f"{DIRECTION_WORDS[f['landing_direction']]}; median {f['foot_angle_median_deg']:.0f}\u00b0" in text
    for finding in d["findings"]:
        who = f" ({Side(finding['foot']).label} foot)" if finding["foot"] else ""
        assert finding["title"] + who in text
    assert d["video"]["name"] in text
    assert " ".join(INTRO.split()) in text  # the "what this is and isn't" paragraph, whole
    assert "not a diagnosis" in text


@pytest.mark.slow
def test_pdf_from_real_analysis_embeds_landing_pictures(socks_analysis, socks_bundle):
    assert socks_analysis.pictures, "the socks clip should give landing pictures"
    without = make_pdf(socks_bundle)
    pictures = pictures_of({"walk": socks_analysis})
    with_pictures = make_pdf(socks_bundle, pictures)
    assert n_images(without) == 1  # the foot-angle chart
    frontal = [key for key in pictures if key[1].startswith("front")]
    assert len(pictures) == len(socks_analysis.pictures) + len(frontal)
    assert n_images(with_pictures) == 1 + len(socks_analysis.pictures) + len(frontal)
    assert "Typical left landing" in pdf_text(with_pictures)


# ---- hand-made results -------------------------------------------------------------------------

def test_every_section_with_unicode_text():
    walk = result("walk", 112.0, left=foot("out", 19.0, "bang", 4.0, True),
                  findings=[{"code": "toe_out", "foot": "L", "title": "Foot lands pointing out",
                             "meaning": "Turned out \u2013 rolls in \u2192 twists the shin (\u00b0).", "confidence": 0.6}])
    run = result("run", None, usable=False)
    now = bundle([walk, run], created=date(2025, 6, 1))
    then = bundle([result("walk", 102.0, left=foot("out", 24.0, "bang", 3.0, True))], created=date(2025, 3, 1))
    plan = make_plan(PlanInputs(0, 2, 20.0, 8.0, 3, Goal.TEN_K, 165.0))
    exercises = exercises_for(finding_codes(now), per_finding=3)
    text = pdf_text(make_pdf(now, exercises=exercises, plan=plan, compare_with=then))
    assert "Results of 2025-06-01" in text
    assert "Turned out \u2013 rolls in \u2192 twists the shin (\u00b0)." in text
    assert "Foot lands pointing out (left foot), confidence 60 %" in text
    assert "points out; median 19\u00b0" in text and "bang (abrupt landing); knee gives 4\u00b0" in text
    assert "No foot findings: this clip cannot support them. We see you from the side. Film from the front." in text
    assert "+5\u201310 % would be 118\u2013123 steps/min" in text
    for ex in exercises:
        assert ex.name in text
    assert "Back-to-running plan" in text and plan.cadence_cue in text
    assert f"{plan.weeks[-1].week} {plan.weeks[-1].phase.value}" in text
    assert "Then and now" in text and "Then: results from 2025-03-01" in text
    assert "Walk, cadence changed: 102 steps/min \u2192 112 steps/min, +10 steps/min (+10 %)." in text
    assert "Easy run clip not filmed analysed only now" in text
    assert "page 1 of" in text


def test_sections_left_out_when_not_given():
    text = pdf_text(make_pdf(bundle([result("run", 160.0)])))
    assert "Exercises chosen" not in text and "Back-to-running plan" not in text and "Then and now" not in text
    assert "For running, +5\u201310 % of one's own cadence lowers the load on the knee." in text


def test_clinician_plan_shows_the_note_not_weeks():
    plan = make_plan(PlanInputs(6, 7, 20.0, 8.0, 3, Goal.FIVE_K, None))
    text = pdf_text(make_pdf(bundle([result("walk")]), plan=plan))
    assert (plan.clinician_note or "")[:40] in text
    assert "Running km" not in text and "Pain rules" in text


def test_pictures_are_embedded_whatever_the_key_type():
    b = bundle([result("walk"), result("run")])
    base = n_images(make_pdf(b))
    assert base == 2  # one chart per usable speed
    pics = {(Speed.WALK, Side.L): png(red=10), ("walk", "R"): png(red=20), ("run", Side.L): png(120, 90),
            ("run", "R"): None}
    assert n_images(make_pdf(b, pics)) == base + 3


def test_no_font_is_a_typed_error(monkeypatch):
    import gait.output.report

    monkeypatch.setattr(gait.output.report, "_font_dir", lambda: None)
    with pytest.raises(gait.output.report.ReportError, match="no font") as err:
        make_pdf(bundle([result("walk")]))
    assert err.value.code == "no_font" and "DejaVu" in err.value.fix


# ---- CLI ---------------------------------------------------------------------------------------

def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gait", "report", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=180)


def test_cli_report_merges_files_and_compares(tmp_path):
    (tmp_path / "walk.json").write_text(json.dumps(result("walk", 110.0)))  # a single CLI result
    (tmp_path / "run.json").write_bytes(dump_bundle(bundle([result("run", 165.0)])))  # a data file
    (tmp_path / "old.json").write_bytes(dump_bundle(bundle([result("run", 150.0)], created=date(2025, 1, 5))))
    out = tmp_path / "report.pdf"
    done = run_cli(str(tmp_path / "walk.json"), str(tmp_path / "run.json"), "--pdf", str(out),
                   "--compare", str(tmp_path / "old.json"))
    assert done.returncode == 0, done.stderr
    assert "Wrote" in done.stdout
    text = pdf_text(out.read_bytes())
    assert "Walk: walk.mp4" in text and "Easy run: run.mp4" in text
    assert "Easy run, cadence got better: 150 steps/min \u2192 165 steps/min" in text
    assert "Exercises chosen" in text


@pytest.mark.parametrize("content, words", [
    ("{broken", "not JSON"),
    ('{"springcheck_results": 7, "analyses": {}}', "newer version"),
])
def test_cli_report_bad_file_exits_nonzero_with_friendly_message(tmp_path, content, words):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    out = tmp_path / "report.pdf"
    done = run_cli(str(bad), "--pdf", str(out))
    assert done.returncode != 0
    assert "bad.json" in done.stderr and words in done.stderr and "What to do" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_cli_report_missing_file(tmp_path):
    done = run_cli(str(tmp_path / "missing.json"), "--pdf", str(tmp_path / "r.pdf"))
    assert done.returncode != 0 and "missing.json" in done.stderr and "Traceback" not in done.stderr


def test_at_a_glance_prints_doubt_as_unclear():
    """Issue 8: a left foot "out" at 18 % confidence must read "unclear" in the PDF's at-a-glance table."""
    from io import BytesIO

    from pypdf import PdfReader

    from gait.output.report import make_pdf

    feet = {side: {"n_steps": 4, "foot_angle_median_deg": 19.0, "foot_angle_iqr_deg": 3.0,
                   "landing_direction": "out", "direction_confidence": conf, "landing": "spring",
                   "landing_confidence": 0.9, "twist_at_lift_off": False, "twist_median_deg": 1.0,
                   "twist_confidence": 0.9, "knee_give_median_deg": 15.0, "stance_median_s": 0.6,
                   "confidence": conf, "reason": None} for side, conf in (("L", 0.18), ("R", 0.9))}
    data = {"schema_version": 1, "speed": "walk",
            "video": {"name": "walk.mp4", "codec": "h264", "width_px": 1080, "height_px": 1920, "rotation_deg": 0,
                      "nominal_fps": 30.0, "duration_s": 6.0, "analysed_s": 6.0},
            "quality": {"usable": True, "problems": [], "notes": [], "person_frames_pct": 100,
                        "feet_visible_pct": 100, "view": "front", "travel": "approach", "steps_found": 8,
                        "frame_rate_hz": 30.0},
            "steps": [], "summary": {"cadence_spm": 110.0, "cadence_low_spm": 108.0, "cadence_high_spm": 112.0,
                                     "cadence_method": "contacts", "cadence_confidence": 0.9,
                                     "cadence_target_spm": [116, 121], "feet": feet},
            "findings": []}
    pdf = make_pdf({"analyses": {"walk": data}}, exercises=[])
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    glance = text[text.index("At a glance"):]
    assert "unclear" in glance.split("Findings")[1][:200]


def test_json_cadence_reads_unclear_below_the_floor(socks_analysis):
    """The data file says what the page shows: the cadence, or "unclear" when its interval is too wide."""
    from dataclasses import replace

    from gait.analysis.findings import UNCLEAR
    from gait.output.results import analysis_to_dict

    clear = analysis_to_dict(socks_analysis)["summary"]
    assert clear["cadence_shown"] == clear["cadence_spm"] and clear["cadence_shown"] is not None
    wide = replace(socks_analysis.cadence, low_spm=90.0, high_spm=150.0)  # +-25 %: confidence 0.1
    doubtful = analysis_to_dict(replace(socks_analysis, cadence=wide))["summary"]
    assert doubtful["cadence_shown"] == UNCLEAR and doubtful["cadence_spm"] is not None
    assert analysis_to_dict(replace(socks_analysis, cadence=None))["summary"]["cadence_shown"] is None
