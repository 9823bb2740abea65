"""Many users at once: the embedded analysis engine, and a real server driven by several browsers together.

The engine tests run the Dramatiq actor on the in-process broker with one worker thread (the
app's default with ``SPRINGCHECK_WORKERS=1``) and the real pose model on short clips; the
server test starts ``streamlit run`` with one worker, so clips must queue, and checks that
every session gets its own result while the server's memory stays bounded. The same with a
real Redis broker and separate worker processes is in ``test_distributed.py``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import cv2
import numpy as np
import pytest

from gait.errors import AnalysisError, GaitError, VideoError
from gait.service import jobs
from tests import clips
from tests.clips import PORTRAIT_HEVC, SOCKS, real_clip
from tests.test_bad_inputs import assert_friendly

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "artifacts" / "screenshots"
SERVER_TREE_MAX_MB = 1500.0  # the app with its workers, while several people analyse at once
WAIT_S = 240.0


@pytest.fixture(scope="module")
def derived_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.getbasetemp() / "derived_clips"


@pytest.fixture(scope="module")
def gradient(derived_dir) -> Path:
    """A short valid clip with nobody in it: a quick, complete analysis (~1.5 s)."""
    return clips.write_gradient(derived_dir / "gradient_2.5s.mp4", seconds=2.5)


@pytest.fixture(scope="module")
def one_worker():
    """The embedded engine with a single worker thread, so clips queue."""
    jobs.configure(None)
    jobs.start_local_workers(1)
    yield
    jobs.stop_local_workers()


def _wait_running(job, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while job.place_in_queue() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert job.place_in_queue() == 0


# --- the embedded engine ------------------------------------------------------------------------------


def test_clips_wait_in_order_and_know_their_place(one_worker, gradient):
    submitted = [jobs.submit_file(gradient, "walk") for _ in range(3)]
    places = [job.place_in_queue() for job in submitted]
    # The first may already run (0); behind it the places count up one by one.
    assert places[1] >= 1 and places[2] == places[1] + 1, places
    finished: list[int] = []
    deadline = time.monotonic() + WAIT_S
    while len(finished) < len(submitted) and time.monotonic() < deadline:
        for i, job in enumerate(submitted):
            if i not in finished and job.done():
                finished.append(i)
        time.sleep(0.02)
    assert finished == [0, 1, 2]  # first come, first served, one at a time
    for job in submitted:
        assert "no_person" in {p.code for p in job.result().quality.problems}


def test_cancelled_waiting_clip_leaves_the_queue(one_worker, gradient):
    first, second, third = (jobs.submit_file(gradient, "walk") for _ in range(3))
    _wait_running(first)
    assert third.place_in_queue() == 2
    second.cancel()
    assert second.done() and third.place_in_queue() == 1
    with pytest.raises(GaitError):
        second.result()
    assert first.result(WAIT_S) and third.result(WAIT_S)


def test_errors_keep_their_type_and_message_through_the_engine(one_worker, tmp_path):
    path = clips.write_png_named_mp4(tmp_path / "photo.mp4")
    with pytest.raises(VideoError) as caught:
        jobs.submit_file(path, "walk").result(WAIT_S)
    assert caught.value.code == "no_video_stream"
    assert_friendly(caught.value)


def test_an_analysis_that_runs_too_long_is_stopped_kindly(one_worker, gradient):
    with pytest.raises(AnalysisError) as caught:
        jobs.submit_file(real_clip(SOCKS), "walk", time_limit_s=0.5).result(WAIT_S)
    assert caught.value.code == "analysis_timeout"
    assert_friendly(caught.value)
    assert jobs.submit_file(gradient, "walk").result(WAIT_S)


def test_a_full_queue_turns_newcomers_away_kindly(one_worker, gradient):
    submitted = []
    try:
        with pytest.raises(AnalysisError) as caught:
            for _ in range(3):
                submitted.append(jobs.submit_file(gradient, "walk", max_waiting=1))
    finally:
        for job in submitted:
            job.cancel()
    assert caught.value.code == "server_busy"
    assert_friendly(caught.value)


def test_a_running_clip_left_behind_stops_and_leaves_nothing(one_worker, gradient):
    job = jobs.submit_file(real_clip(SOCKS), "walk")
    deadline = time.monotonic() + 60
    while job.fraction == 0.0 and time.monotonic() < deadline:
        job.refresh()
        time.sleep(0.02)
    job.cancel()  # the person left the page mid-analysis
    assert jobs.STORE.status(job.id) is None and jobs.STORE.clip(job.id) is None
    assert jobs.submit_file(gradient, "walk").result(WAIT_S)  # the worker stopped it and goes on
    assert jobs.STORE.status(job.id) is None


def test_a_reused_worker_gives_exactly_a_fresh_analysis(one_worker):
    """Workers keep their model between clips; a clip's result must not depend on what came before."""
    from gait.pipeline import analyze
    from gait.analysis.pose import MediaPipePose
    from gait.output.results import analysis_to_dict

    jobs.submit_file(real_clip(PORTRAIT_HEVC), "walk").result(WAIT_S)  # another walker first
    pooled = analysis_to_dict(jobs.submit_file(real_clip(SOCKS), "walk").result(WAIT_S))
    fresh = analysis_to_dict(analyze(real_clip(SOCKS), "walk", estimator=MediaPipePose()))
    assert pooled["steps"] == fresh["steps"]
    assert pooled["summary"] == fresh["summary"]


def test_pose_model_reset_equals_a_fresh_model():
    """Landmarks, world landmarks and visibility after ``reset`` are a new model's, bit for bit."""
    from gait.analysis.pose import MediaPipePose, track_pose
    from gait.analysis.video import iter_frames, probe

    def frames(name: str):
        path = real_clip(name)
        return iter_frames(path, probe(path))

    fresh = track_pose(frames(SOCKS), MediaPipePose())
    reused = MediaPipePose()
    track_pose(frames(PORTRAIT_HEVC), reused)
    reused.reset()
    again = track_pose(frames(SOCKS), reused)
    for a, b in ((fresh.image_xy, again.image_xy), (fresh.world_xyz_m, again.world_xyz_m),
                 (fresh.visibility, again.visibility)):
        np.testing.assert_array_equal(a, b)


def test_the_one_thread_pose_graph_equals_mediapipes_own():
    """Our graph runs on one thread instead of one per core, fed by our own lean ``process`` (no
    namedtuple class made per frame), with mediapipe's landmark smoothing done in our code (gait.analysis.landmark_filter); its landmarks are mediapipe's stock smoothed Pose's
    but for float rounding (same model, same calculators, same filter)."""
    import mediapipe as mp

    from gait.analysis.pose import MediaPipePose, PersonFinder, track_pose
    from gait.analysis.video import iter_frames, probe

    class Stock(MediaPipePose):
        def _new(self):  # noqa: ANN202
            return mp.solutions.pose.Pose(static_image_mode=False, model_complexity=1, smooth_landmarks=True,
                                          enable_segmentation=False, min_detection_confidence=0.5,
                                          min_tracking_confidence=0.5)

        def reset(self) -> None:  # mediapipe's own smoothing keeps state a blank frame leaves: rebuild
            if self._dirty:
                self._pose.close()
                self._pose = self._new()
                self._dirty, self._fresh = False, True

    path = real_clip(SOCKS)
    ours = track_pose(iter_frames(path, probe(path)), PersonFinder(MediaPipePose()))  # with its resets
    stock = track_pose(iter_frames(path, probe(path)), PersonFinder(Stock(own_filter=False)))
    assert ours.unfiltered is not None and stock.unfiltered is None
    np.testing.assert_array_equal(ours.detected, stock.detected)
    for a, b in ((ours.image_xy_px, stock.image_xy_px), (ours.world_xyz_m, stock.world_xyz_m),
                 (ours.visibility, stock.visibility)):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-3)  # pixels, metres, 0-1


def test_a_model_that_found_nobody_is_kept_and_equals_a_fresh_model():
    """A graph that found no one holds no state: its reset is skipped (a first frame costs ~50 ms),
    and what it finds next is a fresh model's, bit for bit."""
    from gait.analysis.pose import MediaPipePose, track_pose
    from gait.analysis.video import iter_frames, probe

    path = real_clip(SOCKS)
    fresh = track_pose(iter_frames(path, probe(path)), MediaPipePose())
    searched = MediaPipePose()
    blank = np.zeros((720, 1280, 3), np.uint8)
    assert all(searched.process(blank) is None for _ in range(3))
    graph = searched._pose
    searched.reset()
    assert searched._pose is graph  # not rebuilt
    again = track_pose(iter_frames(path, probe(path)), searched)
    for a, b in ((fresh.image_xy, again.image_xy), (fresh.world_xyz_m, again.world_xyz_m),
                 (fresh.visibility, again.visibility)):
        np.testing.assert_array_equal(a, b)
    assert searched._dirty
    searched.reset()
    assert not searched._dirty  # it found someone: reset (by a blank frame)


# --- a real server, several people at once ------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_rss_mb(pid: int) -> float:
    """VmRSS of ``pid`` and all its descendants (MB), read from /proc (no psutil here)."""
    from gait.service.bench import tree_rss_mb as tree

    return tree(pid)


def start_server(env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false", "--server.port", str(port),
                             "--server.address", "127.0.0.1"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    pytest.fail("streamlit did not start")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def one_worker_server():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    proc, url = start_server({"SPRINGCHECK_WORKERS": "1"})
    yield proc, url
    stop_server(proc)


class MemoryWatch:
    """Peak summed RSS of a process tree, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_mb, self.samples = pid, 0.0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, tree_rss_mb(self.pid))
            self.samples += 1
            self._stop.wait(0.25)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@pytest.mark.browser
def test_three_people_at_once_each_get_their_own_result(one_worker_server, derived_dir):
    proc, url = one_worker_server
    three_people_at_once(proc, url, derived_dir, "concurrent")


def three_people_at_once(proc: subprocess.Popen, url: str, derived_dir: Path, shot_name: str,
                         tree_max_mb: float = SERVER_TREE_MAX_MB) -> None:
    """Three browsers upload three different clips and tap Analyse together; each sees only its own."""
    from playwright.sync_api import expect, sync_playwright

    small = clips.write_transformed(real_clip(SOCKS), derived_dir / "socks_720p.mp4",
                                    lambda rgb: cv2.resize(rgb, (1280, 720), interpolation=cv2.INTER_AREA))
    # Each person's clip, and the file name their own quality report must show (and no one else's).
    people = [(clip, clip.name) for clip in (real_clip(SOCKS), real_clip(PORTRAIT_HEVC), small)]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw, MemoryWatch(proc.pid) as memory:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        pages = []
        for clip, _ in people:
            page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
            page.goto(f"{url}/analyse")
            page.wait_for_selector("text=Upload and analyse", timeout=60_000)
            page.locator('input[type="file"]').nth(0).set_input_files(str(clip))
            expect(page.get_by_role("button", name="Analyse")).to_be_enabled(timeout=60_000)  # upload arrived
            pages.append(page)
        for page in pages:
            page.get_by_role("button", name="Analyse").click()
        saw_queue = False
        deadline = time.monotonic() + WAIT_S
        pending = list(range(len(pages)))
        while pending and time.monotonic() < deadline:
            for i in list(pending):
                body = pages[i].inner_text("body")
                saw_queue = saw_queue or "in the queue" in body
                if "steps found" in body or "What to do" in body:  # a quality report, or a refusal
                    pending.remove(i)
            pages[0].wait_for_timeout(300)
        assert not pending, "some sessions never got a result"
        for i, ((_, size), page) in enumerate(zip(people, pages)):
            page.wait_for_timeout(500)
            page.screenshot(path=str(SHOTS / f"{shot_name}_{i}.png"), full_page=True)
            body = page.inner_text("body")
            assert "Traceback" not in body and "What to do" not in body, body[:500]
            assert size in body, f"session {i} should show its own clip, {size}"
            for _, other in people:
                if other != size:
                    assert other not in body, f"session {i} shows another person's clip ({other})"
        browser.close()
    assert saw_queue, "with fewer workers than clips, someone must have seen their place in the queue"
    assert memory.samples > 10
    assert memory.peak_mb < tree_max_mb, f"server and workers peaked at {memory.peak_mb:.0f} MB"
