"""AppTest of the report page: downloads from a real analysis, then vs now, friendly errors."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gait.output.compare import bundle, dump_bundle

CLIPS = Path(__file__).resolve().parents[2] / "shared" / "clips"
SOCKS = CLIPS / "walk_toward_camera_socks.mp4"




def report_page(**state) -> AppTest:
    at = AppTest.from_file("streamlit_app.py", default_timeout=60)
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    at.switch_page("pages/report.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def download_labels(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_without_results_links_to_the_analyse_page():
    at = report_page()
    assert any("No results yet" in i.value for i in at.info)
    links = [link for link in at.get("page_link") if not link.proto.label[0].isdigit()]  # not the journey menu
    assert [link.proto.label for link in links] == ["Upload and analyse"]
    assert links[0].proto.page == "analyse"
    assert download_labels(at) == []


@pytest.mark.slow
def test_with_results_offers_both_downloads(walk_result):
    at = report_page(**{"analysis.results": {"walk": walk_result}, "analysis.findings": [],
                        "analysis.cadence_spm": None})
    assert download_labels(at) == ["Download PDF report", "Download data file (JSON)"]
    assert [u.label for u in at.file_uploader] == ["The SpringCheck data file (.json) you downloaded last time"]
    # Not a heading repeated as its own label, and a data file's limit, not the videos' 400 MB.
    assert at.file_uploader[0].label not in [h.value for h in at.subheader]
    assert at.file_uploader[0].proto.max_upload_size_mb <= 5
    assert not at.error


@pytest.mark.slow
def test_bad_data_file_gives_a_friendly_error(walk_result):
    at = report_page(**{"analysis.results": {"walk": walk_result}})
    at.file_uploader[0].set_value(("notes.json", b"this is not json", "application/json")).run()
    assert not at.exception
    assert len(at.error) == 1
    assert "notes.json" in at.error[0].value and "not JSON" in at.error[0].value
    assert "What to do" in at.error[0].value and "Traceback" not in at.error[0].value
    assert len(download_labels(at)) == 2  # the downloads still work


@pytest.mark.slow
def test_earlier_data_file_shows_then_vs_now(walk_result):
    from gait.output.results import analysis_to_dict

    earlier = copy.deepcopy(analysis_to_dict(walk_result))
    now_cadence = earlier["summary"]["cadence_spm"]
    earlier["summary"]["cadence_spm"] = now_cadence - 20
    at = report_page(**{"analysis.results": {"walk": walk_result}})
    at.file_uploader[0].set_value(("earlier.json", dump_bundle(bundle([earlier])), "application/json")).run()
    assert not at.exception and not at.error
    text = "\n".join(m.value for m in at.markdown)
    assert f"Walk, cadence changed: {now_cadence - 20:.0f} steps/min \u2192 {now_cadence:.0f} steps/min" in text
    assert not at.dataframe  # a plain table: no toolbar icons on a phone
    table = at.table[0].value
    assert list(table.columns) == ["speed", "what", "then", "now", "change", "verdict"]
    assert table.iloc[0]["what"] == "cadence"


@pytest.mark.slow
def test_no_plan_form_here_only_the_plan_the_runner_saved(walk_result):
    at = report_page(**{"analysis.results": {"walk": walk_result}})
    assert not at.exception and not at.error
    assert len(at.slider) == 0  # one plan form, on the back-to-running page
    assert any("not included" in m.value for m in at.markdown)
    assert len(download_labels(at)) == 2
