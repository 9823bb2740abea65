"""Security: upload limits, XSRF, type by decoding, no user-controlled paths, private temp files, clean logs."""

from __future__ import annotations

import ast
import logging
import shutil
import stat
import tempfile
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from gait.errors import GaitError
from gait.names import Speed
from tests import clips
from tests.clips import SOCKS, real_clip

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".streamlit" / "config.toml"
MAX_UPLOAD_MB = (100, 400)  # big enough for a 30 s 4K clip (~200 MB), small enough for a few at once in memory
SECRET_NAME = "jane-doe-left-knee-2024.mp4"  # what a person might call their clip; must never reach a log


class Upload:
    """What Streamlit's UploadedFile offers the upload helper."""

    def __init__(self, data: bytes, name: str) -> None:
        self._data, self.name = data, name

    def getvalue(self) -> bytes:
        return self._data


@pytest.fixture()
def private_tmp(tmp_path, monkeypatch) -> Path:
    """tempfile's folder for this test, so anything left behind is seen."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture(scope="module")
def gradient(tmp_path_factory) -> Path:
    return clips.write_gradient(tmp_path_factory.getbasetemp() / "derived_clips" / "gradient_2.5s.mp4", seconds=2.5)


# --- configuration ---------------------------------------------------------------------------------


def test_config_limits_uploads_hides_errors_and_keeps_xsrf_protection():
    config = tomllib.loads(CONFIG.read_text())
    assert MAX_UPLOAD_MB[0] <= config["server"]["maxUploadSize"] <= MAX_UPLOAD_MB[1]
    assert config["server"]["enableXsrfProtection"] is True
    assert config["client"]["showErrorDetails"] is False  # no tracebacks in the browser


@pytest.mark.slow
@pytest.mark.browser
def test_upload_without_the_xsrf_token_is_refused_by_a_real_server():
    from tests.test_concurrency import start_server, stop_server

    proc, url = start_server()
    try:
        request = urllib.request.Request(f"{url}/_stcore/upload_file/some-session/some-file", method="PUT",
                                         data=b"not checked before the token", headers={"Content-Type": "video/mp4"})
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request, timeout=10)
        assert caught.value.code == 403
        assert "XSRF" in caught.value.read().decode()
    finally:
        stop_server(proc)


# --- the file's type is decided by decoding it, never by its name ----------------------------------


def test_uploaders_accept_any_name():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/analyse.py")
    at.run()
    uploaders = at.get("file_uploader")
    assert len(uploaders) == len(Speed)
    for uploader in uploaders:
        assert list(uploader.proto.type) == [], "decoding decides what is a video, not the extension"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["clip.txt", "clip", "clip.MOV.jpg"])
def test_a_video_with_any_name_is_analysed(tmp_path, gradient, name):
    from gait.pipeline import analyze

    path = tmp_path / name
    shutil.copy(gradient, path)
    result = analyze(path, "walk")
    assert result.video.width_px == 640 and "no_person" in {p.code for p in result.quality.problems}


def test_a_photo_named_like_a_video_is_refused(tmp_path):
    from gait.pipeline import analyze

    with pytest.raises(GaitError) as caught:
        analyze(clips.write_png_named_mp4(tmp_path / "clip.mp4"), "walk")
    assert caught.value.code == "no_video_stream"


# --- temporary files: private, named by us, always removed ------------------------------------------


def test_private_copy_is_private_named_by_us_and_removed(private_tmp):
    from gait.service.jobs import private_copy

    upload = Upload(b"0123456789" * 100_000, "../../etc/" + SECRET_NAME)
    with private_copy(upload.getvalue()) as path:
        assert path.read_bytes() == upload.getvalue()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert path.parent.parent == private_tmp
        assert "jane" not in str(path) and "etc" not in str(path.relative_to(private_tmp))
    assert list(private_tmp.iterdir()) == []


def test_private_copy_is_removed_when_the_analysis_raises(private_tmp):
    from gait.service.jobs import private_copy

    with pytest.raises(RuntimeError, match="analysis blew up"):
        with private_copy(b"x" * 1000):
            raise RuntimeError("analysis blew up")
    assert list(private_tmp.iterdir()) == []


class _Stopped(Exception):
    """Like Streamlit's StopException: raised in the script when the person leaves mid-analysis."""


class _Job:
    def __init__(self, outcome) -> None:  # noqa: ANN001
        self.outcome, self.cancelled = outcome, False
        self.stage, self.fraction = "Finding your joints", 0.5

    def done(self) -> bool:
        if isinstance(self.outcome, _Stopped):
            raise self.outcome  # as Streamlit does when the person leaves the page mid-way
        return True

    def result(self):  # noqa: ANN201
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return self.outcome

    def place_in_queue(self) -> int:
        return 0

    def cancel(self) -> None:
        self.cancelled = True


class _Engine:
    """Stands in for ``gait.service.jobs.submit``: records what the app gave the engine."""

    def __init__(self, outcome) -> None:  # noqa: ANN001
        self.outcome, self.sent, self.jobs = outcome, [], []

    def submit(self, data, speed, settings=None, **kw):  # noqa: ANN001, ANN201
        self.sent.append((bytes(data), speed, settings, kw))
        job = _Job(self.outcome)
        self.jobs.append(job)
        return job


@pytest.mark.parametrize("name", ["../../" + SECRET_NAME, "/tmp/" + SECRET_NAME, "C:\\Users\\jane\\" + SECRET_NAME,
                                  SECRET_NAME + "\x00.png", "-rf " + SECRET_NAME])
def test_the_upload_name_never_becomes_part_of_a_path(private_tmp, monkeypatch, name):
    """Only the bytes travel to the engine (whose worker names its own private copy); the name stays here."""
    from gait.service import jobs
    from pages import ui

    engine = _Engine(GaitError("not_a_video", "This file is not a video we can read.", "Film a new clip."))
    monkeypatch.setattr(jobs, "submit", engine.submit)
    ui.analyse_uploads([(Speed.WALK, Upload(b"not a video", name))])
    assert len(engine.sent) == 1
    assert engine.sent[0][0] == b"not a video"
    assert "jane" not in repr(engine.sent).lower()
    assert list(private_tmp.iterdir()) == []
    assert not (private_tmp.parent / SECRET_NAME).exists()


def test_leaving_mid_analysis_cancels_the_clip_and_removes_the_copy(private_tmp, monkeypatch):
    from gait.service import jobs
    from pages import ui

    engine = _Engine(_Stopped())
    monkeypatch.setattr(jobs, "submit", engine.submit)
    with pytest.raises(_Stopped):
        ui.analyse_uploads([(Speed.WALK, Upload(b"a clip", SECRET_NAME)), (Speed.RUN, Upload(b"another", "b.mp4"))])
    assert len(engine.jobs) == 2 and all(job.cancelled for job in engine.jobs)
    assert list(private_tmp.iterdir()) == []


@pytest.mark.parametrize(("name", "shown"), [
    ("walk.mp4", "walk.mp4"), ("../../etc/passwd", "passwd"), ("C:\\Users\\me\\IMG_0001.MOV", "IMG_0001.MOV"),
    ("[click me](javascript:alert(1)).mp4", "-click me-(javascript-alert(1)).mp4"),
    ("<img src=x onerror=alert(1)>.mp4", "-img src-x onerror-alert(1)-.mp4"), ("", "clip")])
def test_the_upload_name_is_shown_back_without_markup(name, shown):
    from pages.ui import display_name

    assert display_name(name) == shown


def test_a_very_long_name_is_shortened():
    from pages.ui import display_name

    assert len(display_name("a" * 500 + ".mp4")) <= 60


# --- logs: nothing a person uploaded or named -----------------------------------------------------------


@pytest.mark.slow
def test_an_analysis_logs_nothing_of_the_upload(tmp_path, caplog, private_tmp, monkeypatch):
    """DEBUG logs of a good clip, a damaged one and a refused one, in process and through the app's pool."""
    from gait.pipeline import analyze
    from pages import ui

    caplog.set_level(logging.DEBUG)
    good = tmp_path / SECRET_NAME
    shutil.copy(real_clip(SOCKS), good)
    damaged = clips.write_truncated(real_clip(SOCKS), tmp_path / ("cut-" + SECRET_NAME), 0.9)
    for path in (good, damaged):
        try:
            analyze(path, "walk")
        except GaitError:
            pass
    ui.analyse_uploads([(Speed.WALK, Upload(good.read_bytes(), SECRET_NAME)),
                        (Speed.RUN, Upload(b"%PDF-1.4 not a video", "cut-" + SECRET_NAME))])
    assert caplog.records, "the analysis should have logged something at DEBUG"
    assert "jane" not in caplog.text.lower()
    assert str(tmp_path) not in caplog.text


_LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
# Names whose values may carry what a person uploaded: the upload, its name, its path or its bytes.
_USER_DATA_NAMES = {"path", "paths", "upload", "uploads", "name", "filename", "file_name", "data", "src", "dst",
                    "fh", "frame", "rgb"}


def _log_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _LOG_METHODS
                and isinstance(node.func.value, ast.Name) and node.func.value.id in {"log", "logger", "logging"}):
            yield node


def _named(node: ast.AST) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            names.add(sub.id)
        elif isinstance(sub, ast.Attribute) and sub.attr != "__name__":
            names.add(sub.attr)
    return names


@pytest.mark.parametrize("folder", ["gait", "pages"])
def test_log_calls_never_pass_paths_names_or_uploads(folder):
    found = 0
    for source in sorted((ROOT / folder).glob("*.py")):
        for call in _log_calls(ast.parse(source.read_text())):
            found += 1
            message, *args = call.args
            assert not isinstance(message, ast.JoinedStr), f"{source.name}:{call.lineno}: no f-strings in logs"
            leaked = set().union(*(_named(a) for a in args + [k.value for k in call.keywords])) & _USER_DATA_NAMES
            assert not leaked, f"{source.name}:{call.lineno} logs {sorted(leaked)}"
    assert found or folder == "pages"


def test_nothing_under_gait_prints_except_the_benchmark_report():
    for source in sorted((ROOT / "gait").glob("*.py")):
        prints = [n.lineno for n in ast.walk(ast.parse(source.read_text()))
                  if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "print"]
        assert not prints or source.name == "bench.py", f"{source.name} prints at lines {prints}"


def test_a_worker_sweeps_copies_left_by_dead_workers(private_tmp):
    """A worker killed mid-analysis cannot delete its copy; the next worker to start removes it."""
    import subprocess
    import sys

    from gait.service.jobs import private_copy, sweep_stale_copies

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process that has ended: its pid names no one now
    left = private_tmp / f"springcheck-clip-{gone.pid}-abc"
    left.mkdir()
    (left / "x.video").write_bytes(b"a clip")
    with private_copy(b"a clip being analysed") as mine:
        assert sweep_stale_copies() == 1
        assert mine.exists(), "a live worker's copy stays"
    assert list(private_tmp.iterdir()) == []
