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
from gait.results import analysis_to_dict
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
