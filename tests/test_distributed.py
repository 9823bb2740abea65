"""The analysis engine for real: Debian's redis-server and two separate Dramatiq worker processes.

Everything is started here and stopped at the end (``gait.service.cluster.LocalCluster``); the
app's side runs in this process, pointed at the broker with ``jobs.configure``. Clips are the
short real ones (3.8 s), so a whole module takes about a minute on two cores.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import cv2
import pytest

from gait.errors import AnalysisError, GaitError, VideoError
from gait.service import jobs
from gait.service.cluster import LocalCluster, redis_server_path
from tests import clips
from tests.clips import PORTRAIT_HEVC, SOCKS, real_clip
from tests.test_bad_inputs import assert_friendly

pytestmark = [pytest.mark.distributed, pytest.mark.slow]

WAIT_S = 240.0  # the longest any test waits for a result: the clips take ~10 s each on a busy machine
HEARTBEAT_S = 2.0  # a killed worker's clip goes back in the queue within seconds


@pytest.fixture(scope="module")
def worker_tmp(tmp_path_factory) -> Path:
    """The workers' own temporary folder, where their private copies of clips are written."""
    return tmp_path_factory.mktemp("worker_tmp")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, worker_tmp):
    if redis_server_path() is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run installs it)")
    with LocalCluster(2, heartbeat_s=HEARTBEAT_S, log_dir=tmp_path_factory.mktemp("workers"),
                      worker_env={"TMPDIR": str(worker_tmp)}) as running:
        # The app's side in this process: same broker, same heartbeat as the workers.
        old_heartbeat = jobs.HEARTBEAT_S
        jobs.HEARTBEAT_S = HEARTBEAT_S
        jobs.configure(running.url)
        try:
            yield running
        finally:
            jobs.configure(None)
            jobs.HEARTBEAT_S = old_heartbeat


@pytest.fixture(scope="module")
def derived(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("distributed_clips")
    small = clips.write_transformed(real_clip(SOCKS), d / "socks_720p.mp4",
                                    lambda rgb: cv2.resize(rgb, (1280, 720), interpolation=cv2.INTER_AREA))
    return {"gradient": clips.write_gradient(d / "gradient_2.5s.mp4", seconds=2.5), "small": small}


def _wait(predicate, timeout_s: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _running(job: jobs.Job) -> bool:
    job.refresh()
    return job.state == "running" or job.done()


def _clip_marks(path: Path) -> list[bytes]:
    """Three 48-byte pieces of the clip, from inside its frames: if the broker holds the clip, it holds these."""
    data = path.read_bytes()
    return [data[int(len(data) * f): int(len(data) * f) + 48] for f in (0.3, 0.6, 0.9)]


def _values(client) -> list[bytes]:  # noqa: ANN001
    """Every value in the Redis database, whatever its type."""
    out: list[bytes] = []
    for key in client.scan_iter():
        kind = client.type(key)
        if kind == b"string":
            out.append(client.get(key))
        elif kind == b"hash":
            out += list(client.hvals(key))
        elif kind == b"list":
            out += client.lrange(key, 0, -1)
        elif kind in (b"set", b"zset"):
            out += list(client.smembers(key) if kind == b"set" else client.zrange(key, 0, -1))
    return out


def test_several_sessions_at_once_each_get_their_own_result(cluster, derived):
    # Four people at once on two workers: each result is the analysis of that person's own clip.
    people = [(real_clip(SOCKS), (1920, 1080)), (real_clip(PORTRAIT_HEVC), (608, 1080)),
              (derived["small"], (1280, 720)), (derived["gradient"], (640, 360))]
    submitted = [(jobs.submit_file(path, "walk"), size) for path, size in people]
    seen_progress = set()
    deadline = time.monotonic() + WAIT_S
    while not all(job.done() for job, _ in submitted):
        assert time.monotonic() < deadline, "some sessions never got a result"
        seen_progress |= {round(job.fraction, 1) for job, _ in submitted if job.state == "running"}
        time.sleep(0.1)
    for job, (width_px, height_px) in submitted:
        analysis = job.result()
        assert (analysis.video.width_px, analysis.video.height_px) == (width_px, height_px)
    assert len(seen_progress - {0.0}) >= 2, f"live progress should move; saw {sorted(seen_progress)}"
    gradient = submitted[3][0].result()
    assert "no_person" in {p.code for p in gradient.quality.problems}
    assert submitted[0][0].result().quality.steps_found >= 4


def test_queue_places_count_down_in_order(cluster, derived):
    busy = [jobs.submit_file(real_clip(SOCKS), "walk") for _ in range(2)]
    _wait(lambda: all(_running(j) for j in busy), what="both workers to start")
    queued = [jobs.submit_file(derived["gradient"], "walk") for _ in range(3)]
    assert [j.place_in_queue() for j in queued] == [1, 2, 3]
    queued[1].cancel()  # someone leaves the page: the one behind moves up
    assert [queued[0].place_in_queue(), queued[2].place_in_queue()] == [1, 2]
    with pytest.raises(GaitError):
        queued[1].result()
    started: list[int] = []
    deadline = time.monotonic() + WAIT_S
    while len(started) < 2:
        assert time.monotonic() < deadline
        for i in (0, 2):
            if i not in started and queued[i].place_in_queue() == 0:
                started.append(i)
        time.sleep(0.02)
    assert started == [0, 2], "first come, first served"
    for job in (*busy, queued[0], queued[2]):
        assert job.result(WAIT_S) is not None


def test_errors_keep_their_type_and_fix_through_the_broker(cluster, tmp_path):
    path = clips.write_png_named_mp4(tmp_path / "photo.mp4")
    with pytest.raises(VideoError) as caught:
        jobs.submit_file(path, "walk").result(WAIT_S)
    assert caught.value.code == "no_video_stream"
    assert_friendly(caught.value)


def test_a_job_over_its_time_limit_is_stopped_kindly(cluster, derived):
    # 0.3 s: far less than any machine takes to pose the clip's 115 frames (limits are checked every 0.1 s)
    with pytest.raises(AnalysisError) as caught:
        jobs.submit_file(real_clip(SOCKS), "walk", time_limit_s=0.3).result(WAIT_S)
    assert caught.value.code == "analysis_timeout"
    assert_friendly(caught.value)
    assert jobs.submit_file(derived["gradient"], "walk").result(WAIT_S)  # the worker goes on


def _worker_running(job: jobs.Job) -> int:
    status = jobs.STORE.r.hget(f"{jobs.PREFIX}:job:{job.id}", "worker")
    return int(status.decode().split(":")[1])


def test_killing_a_worker_mid_analysis_runs_the_clip_again(cluster):
    job = jobs.submit_file(real_clip(SOCKS), "walk")
    _wait(lambda: _running(job) and job.fraction > 0.0, what="the analysis to start")
    victim = cluster.worker_of_pid(_worker_running(job))
    assert victim is not None
    cluster.kill_worker(victim)
    t0 = time.monotonic()
    try:
        analysis = job.result(WAIT_S)  # the other worker takes the clip over
        assert analysis.video.width_px == 1920 and analysis.quality.steps_found >= 4
        assert time.monotonic() - t0 < 120
    finally:
        cluster.add_worker()
        cluster.wait_for_workers(2)


def test_when_every_worker_dies_the_person_is_told_to_try_again(cluster):
    job = jobs.submit_file(real_clip(SOCKS), "walk", stall_s=8.0)
    _wait(lambda: _running(job) and job.fraction > 0.0, what="the analysis to start")
    for worker in list(cluster.workers):
        if worker.poll() is None:
            cluster.kill_worker(worker)
    t0 = time.monotonic()
    try:
        with pytest.raises(AnalysisError) as caught:
            job.result(60.0)  # never a hang
        assert time.monotonic() - t0 < 30
        assert caught.value.code in {"analysis_failed", "no_workers"}
        assert_friendly(caught.value)
        assert "try again" in caught.value.fix.lower()
    finally:
        cluster.add_worker()
        cluster.add_worker()
        cluster.wait_for_workers(2)


def test_the_broker_holds_no_clip_afterwards(cluster, derived):
    for path in (real_clip(SOCKS), derived["small"]):
        jobs.submit_file(path, "walk").result(WAIT_S)
    # Jobs given up on above (cancelled, or their workers killed) have left nothing either.
    client = cluster.client()
    keys = [k.decode() for k in client.scan_iter()]
    assert not [k for k in keys if k.startswith(("springcheck:clip:", "springcheck:job:"))], keys
    assert client.zcard(jobs.WAITING_KEY) == 0
    values = _values(client)
    for path in (real_clip(SOCKS), real_clip(PORTRAIT_HEVC), derived["small"]):
        for mark in _clip_marks(path):
            assert not any(mark in v for v in values), f"the broker still holds part of {path.name}"
    assert not any(len(v) > 100_000 for v in values), "something clip-sized is left in the broker"


def test_the_worker_removes_its_private_copy(cluster, derived, worker_tmp):
    job = jobs.submit_file(real_clip(SOCKS), "walk")
    copies: set[str] = set()
    while not job.done():  # while it runs, the worker's private copy is there
        copies |= {str(p.relative_to(worker_tmp)) for p in worker_tmp.rglob("*.video")}
        time.sleep(0.05)
    assert job.result().video.width_px == 1920
    assert copies, "the worker should have written its private copy in its own temporary folder"
    # Nothing left behind, not even by the workers killed above: their replacements swept it at start.
    assert not any(worker_tmp.iterdir()), sorted(p.name for p in worker_tmp.iterdir())


@pytest.mark.browser
def test_three_people_in_browsers_through_the_broker(cluster, tmp_path_factory):
    """The real app (``streamlit run`` with ``SPRINGCHECK_BROKER``), three browsers at once, two workers."""
    from tests.test_concurrency import CHROMIUM, start_server, stop_server, three_people_at_once

    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    proc, url = start_server({"SPRINGCHECK_BROKER": cluster.url, "SPRINGCHECK_HEARTBEAT_S": str(HEARTBEAT_S)})
    try:
        # The server analyses nothing itself here: its memory stays far below the embedded bound.
        three_people_at_once(proc, url, tmp_path_factory.mktemp("browser_clips"), "distributed", tree_max_mb=700.0)
    finally:
        stop_server(proc)
    assert not [k for k in cluster.client().scan_iter("springcheck:clip:*")]


def test_a_broker_that_cannot_be_reached_gets_a_kind_message():
    """SPRINGCHECK_BROKER pointing at nothing: the person is told to try later, never shown a traceback."""
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    jobs.configure(f"redis://127.0.0.1:{port}/0")
    try:
        with pytest.raises(AnalysisError) as caught:
            jobs.submit(b"a clip", "walk")
    finally:
        jobs.configure(None)
    assert caught.value.code == "service_unreachable"
    assert_friendly(caught.value)
