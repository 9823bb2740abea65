"""Files that are not usable videos: a typed error with a stable code and a message a runner understands.

Each bad file is made in a temporary folder (tests/clips.py). The message must
say what went wrong without programmer words and say what to do.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from gait.errors import GaitError, VideoError
from gait.pipeline import analyze
from gait.output.results import analysis_to_dict
from gait.thresholds import value
from tests import clips
from tests.clips import SOCKS, real_clip

REPO = Path(__file__).resolve().parents[1]
WALK_CADENCE_RANGE_SPM = (90.0, 140.0)  # the socks walk: ~117 steps/min from its contacts

# What a friendly message must not contain: traces, OS errors, FFmpeg and Python internals.
_TECHNICAL = re.compile(r"Traceback|Errno|errno|Exception|moov atom|Invalid data|av\.error|FFmpeg|\.py\b|None\b")
# A fix starts by telling the person what to do.
_DO_WORDS = ("Film", "Upload", "Record", "Walk", "Export", "Try", "Use", "Put")


def assert_friendly(err: GaitError) -> None:
    for text in (err.user_message, err.fix):
        assert text and text.strip(), "message and fix must not be empty"
        assert not _TECHNICAL.search(text), text
        assert text[0].isupper() and text.rstrip().endswith("."), text
    assert err.fix.startswith(_DO_WORDS), err.fix


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _truncated_30(path: Path) -> Path:
    return clips.write_truncated(real_clip(SOCKS), path, 0.30)


def _short(path: Path) -> Path:
    return clips.write_first_seconds(real_clip(SOCKS), path, 0.5)


# name -> (file maker, file name, expected code)
BAD_FILES: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    "png_renamed_mp4": (clips.write_png_named_mp4, "photo.mp4", "no_video_stream"),
    # The real clip keeps its index (moov) at the end: its first 30 % has no readable index at all.
    "truncated_30pct": (_truncated_30, "cut.mp4", "not_a_video"),
    "empty": (_empty, "empty.mp4", "empty_file"),
    "random_bytes": (clips.write_random_bytes, "noise.mp4", "not_a_video"),
    "pdf_like": (clips.write_pdf_like, "document.mp4", "not_a_video"),
    "audio_only": (clips.write_audio_only, "voice.mp4", "no_video_stream"),
    "half_second_clip": (_short, "short.mp4", "too_short"),
    "absurd_resolution": (clips.write_absurd_header, "huge.y4m", "absurd_resolution"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_gives_typed_friendly_error(tmp_path, case):
    make, name, code = BAD_FILES[case]
    path = make(tmp_path / name)
    with pytest.raises(VideoError) as caught:
        analyze(path, "walk")
    assert caught.value.code == code
    assert_friendly(caught.value)
    assert caught.value.to_dict() == {"code": code, "message": caught.value.user_message, "fix": caught.value.fix}


def test_missing_file_gives_typed_friendly_error(tmp_path):
    with pytest.raises(VideoError) as caught:
        analyze(tmp_path / "never_uploaded.mp4", "walk")
    assert caught.value.code == "missing_file"
    assert_friendly(caught.value)


def test_truncated_real_clip_really_lost_its_index():
    # Guards the "truncated_30pct" case: if the shared clip were re-muxed with its index first,
    # cutting it would leave a readable start and that case would test something else.
    assert clips.mp4_top_level_boxes(real_clip(SOCKS))[-1] == "moov"


# --- a cut-off upload that still holds a readable start -----------------------------------------


@pytest.fixture(scope="module")
def faststart(tmp_path_factory) -> Path:
    """The socks clip re-encoded with its index first, so a cut copy still opens."""
    derived_dir = tmp_path_factory.getbasetemp() / "derived_clips"
    path = clips.write_faststart(real_clip(SOCKS), derived_dir / "socks_faststart.mp4")
    assert clips.mp4_top_level_boxes(path)[:2] == ["ftyp", "moov"]
    return path


@pytest.fixture(scope="module")
def cut_70pct(faststart, tmp_path_factory) -> dict | GaitError:
    """The result (or the friendly refusal) for the faststart clip cut after 70 % of its bytes (~2.8 s)."""
    path = clips.write_truncated(faststart, tmp_path_factory.mktemp("cut") / "cut_70pct.mp4", 0.70)
    try:
        return analysis_to_dict(analyze(path, "walk"))
    except GaitError as err:  # refusing is also acceptable, if it is friendly
        return err


@pytest.mark.slow
def test_cut_short_upload_with_two_seconds_left_is_analysed_with_a_note(cut_70pct):
    if isinstance(cut_70pct, GaitError):
        assert_friendly(cut_70pct)
        return
    notes = " ".join(cut_70pct["quality"]["notes"])
    assert re.search(r"cut short: we could read (2|3)\.\d s of 3\.8 s", notes), notes


@pytest.mark.slow
def test_cut_short_upload_shows_no_wrong_cadence(cut_70pct):
    if isinstance(cut_70pct, GaitError):
        return
    cadence_spm = cut_70pct["summary"]["cadence_spm"]
    assert cadence_spm is None or WALK_CADENCE_RANGE_SPM[0] <= cadence_spm <= WALK_CADENCE_RANGE_SPM[1]


@pytest.mark.slow
def test_cut_short_upload_with_under_two_seconds_left_is_refused(faststart, tmp_path):
    path = clips.write_truncated(faststart, tmp_path / "cut_30pct.mp4", 0.30)
    with pytest.raises(GaitError) as caught:
        analyze(path, "walk")
    assert caught.value.code in {"too_short", "no_frames", "truncated"}
    assert_friendly(caught.value)


# --- the command line -------------------------------------------------------------------------


def test_cli_refuses_a_photo_with_the_friendly_message(tmp_path):
    path = clips.write_png_named_mp4(tmp_path / "photo.mp4")
    with pytest.raises(VideoError) as caught:
        analyze(path, "walk")
    out_json = tmp_path / "out.json"
    done = subprocess.run([sys.executable, "-m", "gait", "analyze", str(path), "--speed", "walk", "--quiet",
                           "--json", str(out_json)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert caught.value.user_message in done.stderr
    assert caught.value.fix in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not out_json.exists()


# --- videos that decode but cannot (all) be judged: a result whose quality report says why --------

_PROBLEM_DO_WORDS = (*_DO_WORDS, "Make", "Tilt", "Start", "Keep")
CADENCE_SAME_WALK_PCT = 5.0  # the same walk, turned: timing must not move more than this


def assert_friendly_problem(problem: dict) -> None:
    for text in (problem["message"], problem["fix"]):
        assert text and not _TECHNICAL.search(text), text
        assert text[0].isupper() and text.rstrip().endswith("."), text
    assert problem["fix"].startswith(_PROBLEM_DO_WORDS), problem["fix"]


@pytest.fixture(scope="module")
def derived_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.getbasetemp() / "derived_clips"


@pytest.fixture(scope="module")
def socks_result() -> dict:
    return analysis_to_dict(analyze(real_clip(SOCKS), "walk"))


def _socks_as(turn: Callable) -> Callable[[Path], Path]:
    return lambda d: clips.write_transformed(real_clip(SOCKS), d / f"socks_{turn.__name__}.mp4", turn)


def _first_4s(name: str) -> Callable[[Path], Path]:
    return lambda d: clips.write_first_seconds(real_clip(name), d / f"first_4s_{name}", 4.0)


# name -> (clip maker in a folder, speed, problem codes of which at least one must be reported)
PICTURE_CASES: dict[str, tuple[Callable[[Path], Path], str, set[str]]] = {
    "no_person": (lambda d: clips.write_gradient(d / "gradient.mp4"), "walk", {"no_person"}),
    "very_dark": (_socks_as(clips.darkened), "walk", {"too_dark"}),
    # The walker's feet leave the cropped picture part-way: "cut off" or "not clearly visible".
    "feet_cut_off": (_socks_as(clips.feet_cropped), "walk", {"feet_cut_off"}),
    "two_people": (_socks_as(clips.two_people), "walk", {"two_people"}),
    "filmed_from_the_side": (_first_4s(clips.TREADMILL_SIDE), "run", {"side_view"}),
    "walking_away": (_first_4s(clips.AWAY_REAR), "walk", {"walking_away"}),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(PICTURE_CASES))
def test_unjudgeable_picture_gets_a_friendly_reason(derived_dir, case):
    make, speed, expected = PICTURE_CASES[case]
    result = analysis_to_dict(analyze(make(derived_dir), speed))
    problems = result["quality"]["problems"]
    codes = {p["code"] for p in problems}
    assert codes & expected, codes
    for problem in problems:
        assert_friendly_problem(problem)
    if any(p["blocking"] for p in problems):
        assert not result["quality"]["usable"] and result["findings"] == []


@pytest.mark.slow
def test_ten_minute_clip_is_analysed_over_a_bounded_window_with_a_note(derived_dir):
    path = clips.write_long_still(real_clip(SOCKS), derived_dir / "still_10min.mp4", seconds=600.0)
    result = analyze(path, "walk")
    assert result.video.duration_s == pytest.approx(600.0, abs=1.0)
    assert result.video.truncated_window and result.video.analysis_window_s == value("max_analysis_window_s")
    assert any("600 s long; we analysed its first 30 s" in note for note in result.quality.notes)


def _near_category_edge(angle_deg: float) -> bool:
    edges = (value("fpa_in_below_deg"), value("fpa_out_above_deg"))
    return min(abs(angle_deg - edge) for edge in edges) < value("fpa_doubt_deg")


@pytest.mark.slow
@pytest.mark.parametrize(("turn", "rotation_deg", "word"), [(clips.upside_down, 180, "upside down"),
                                                           (clips.quarter_turned, 270, "sideways")])
def test_phone_turned_without_a_tag_is_turned_upright_with_a_note(derived_dir, socks_result, turn, rotation_deg, word):
    result = analysis_to_dict(analyze(_socks_as(turn)(derived_dir), "walk"))
    assert result["video"]["rotation_deg"] == rotation_deg
    assert (result["video"]["width_px"], result["video"]["height_px"]) == (1920, 1080)
    assert any(word in note and "turned it upright" in note for note in result["quality"]["notes"])
    assert result["quality"]["usable"], result["quality"]["problems"]
    # The same walk: the same cadence and steps, and landing directions that agree within the stated doubt.
    cadence, upright = result["summary"]["cadence_spm"], socks_result["summary"]["cadence_spm"]
    assert 100.0 * abs(cadence - upright) / upright <= CADENCE_SAME_WALK_PCT
    for foot in ("L", "R"):
        mine = sum(s["foot"] == foot for s in result["steps"])
        theirs = sum(s["foot"] == foot for s in socks_result["steps"])
        assert abs(mine - theirs) <= 1
        a, b = result["summary"]["feet"][foot], socks_result["summary"]["feet"][foot]
        if a["landing_direction"] and b["landing_direction"] and a["landing_direction"] != b["landing_direction"]:
            assert _near_category_edge(b["foot_angle_median_deg"]) or _near_category_edge(a["foot_angle_median_deg"])
            assert abs(a["foot_angle_median_deg"] - b["foot_angle_median_deg"]) <= value("fpa_doubt_deg")


def test_upright_clips_are_not_turned(socks_result):
    assert socks_result["video"]["rotation_deg"] == 0
    assert not any("turned it upright" in note for note in socks_result["quality"]["notes"])
    assert "two_people" not in {p["code"] for p in socks_result["quality"]["problems"]}


# --- through the app's upload path: every kind ends with a message, and no file is left behind ------


class _Upload:
    """What Streamlit's UploadedFile offers the upload helper."""

    def __init__(self, path: Path, name: str) -> None:
        self._data, self.name = path.read_bytes(), name

    def getvalue(self) -> bytes:
        return self._data


@pytest.mark.slow
def test_bad_files_through_the_upload_path_leave_no_temporary_files(tmp_path, monkeypatch):
    import tempfile

    import streamlit as st

    from gait.names import Speed
    from pages import ui

    made = tmp_path / "made"
    made.mkdir()
    paths = [BAD_FILES[case][0](made / BAD_FILES[case][1]) for case in BAD_FILES]
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    for start in range(0, len(paths), len(Speed)):
        batch = list(zip(Speed, paths[start:start + len(Speed)]))
        ui.analyse_uploads([(speed, _Upload(path, path.name)) for speed, path in batch])
        assert list(private_tmp.iterdir()) == []
        for speed, path in batch:
            error = st.session_state["analysis.errors"][speed.value]
            assert error["name"] == path.name
            assert error["message"] and error["fix"] and not _TECHNICAL.search(error["message"] + error["fix"])
