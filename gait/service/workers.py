"""A bounded pool of analysis processes shared by everyone using the app.

At most ``n_workers`` clips are analysed at once (by default one more than the cores,
within the memory available; see ``default_workers``), each in its own worker process with its own warm pose model; the rest wait in first-come order and
can ask for their place in the queue. Separate processes, not threads: the pose model
runs one frame at a time per process, a clip's memory is bounded by its own process,
and a crash in a decoder takes down one worker (restarted), never the app.

Each worker is started as ``python -m gait.service.workers --fd N`` and talks to the app over
a private socket pair (pickled messages between our own two processes):

app -> worker: ``("analyze", job_id, path, speed, settings)``, ``("cancel", job_id)``, ``("stop",)``
worker -> app: ``("ready", pid)``, ``("progress", job_id, stage, fraction)``,
``("result", job_id, Analysis)``, ``("error", job_id, class name, code, message, fix)``,
``("cancelled", job_id)``, ``("failed", job_id, exception class name)``
"""

from __future__ import annotations

import argparse
import atexit
import collections
import ctypes
import gc
import itertools
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from gait.errors import AnalysisError, GaitError, VideoError
from gait.names import Speed
from gait.analysis.video import DecodeSettings

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
# Heuristic limits, not thresholds of the analysis: what one small server can take.
DEFAULT_JOB_TIMEOUT_S = 300.0  # a 30 s 4K clip takes ~60 s on a busy 2-core machine; 5x that is a hang
DEFAULT_MAX_WAITING = 24  # beyond this a newcomer is told to come back, rather than wait many minutes
DEFAULT_JOBS_PER_WORKER = 40  # a worker is replaced after this many clips, so slow leaks cannot pile up
WORKER_BUDGET_MB = 700.0  # a worker peaks at ~430 MB on 1080p and ~600 MB on 30 s of 4K (python -m gait.bench)
_WORKER_START_TIMEOUT_S = 120.0
_PROGRESS_INTERVAL_S = 0.1  # at most ten progress messages a second per clip
_POLL_S = 0.25

_ERROR_CLASSES: dict[str, type[GaitError]] = {"GaitError": GaitError, "VideoError": VideoError,
                                              "AnalysisError": AnalysisError}


def _failed() -> AnalysisError:
    return AnalysisError("analysis_failed", "Something went wrong on our side while analysing this clip.",
                         "Try again; if it happens again, film a new clip with the phone's camera app.")


def _timed_out() -> AnalysisError:
    return AnalysisError("analysis_timeout", "The analysis took too long and was stopped.",
                         "Try a shorter clip (10 steps, about 6-10 s), or try again in a few minutes.")


def _busy() -> AnalysisError:
    return AnalysisError("server_busy", "Too many people are analysing clips right now.",
                         "Try again in a few minutes.")


def _available_mb() -> float:
    """MemAvailable from /proc/meminfo in MB (infinite where there is no /proc)."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return float("inf")


def default_workers() -> int:
    """Concurrent analyses: ``SPRINGCHECK_WORKERS`` if set, else one more than the cores, within memory.

    One more than the cores because an analysis leaves its core idle now and then (waiting for
    frames, handing results over) and because one person's three clips then all run at once:
    on 2 cores three 10 s clips took 0.51 of their duration with 3 workers, 0.58 with 2 (python -m gait.bench).
    Each worker is budgeted ``WORKER_BUDGET_MB`` of the memory available when the pool starts.
    """
    env = os.environ.get("SPRINGCHECK_WORKERS", "")
    if env.strip().isdigit() and int(env) > 0:
        return int(env)
    by_cores = (os.cpu_count() or 1) + 1
    available_mb = _available_mb()
    by_memory = int(available_mb // WORKER_BUDGET_MB) if available_mb != float("inf") else by_cores
    return max(1, min(by_cores, by_memory))


def expected_cost(path: str | os.PathLike[str]) -> float:
    """A rough relative cost of analysing a clip, so a person's longest clip can be queued first.

    Pose costs the same per analysed frame at any size (<= 30 Hz); decoding grows with every
    frame's pixels: about 2 ms per 1080p (2 megapixel) frame against ~20 ms of pose per analysed
    frame (python -m gait.bench). Unreadable files cost 0 (they are refused at once).
    """
    from gait.analysis.video import probe

    try:
        info = probe(path)
    except GaitError:
        return 0.0
    megapixels = info.width_px * info.height_px / 1e6
    decode_per_pose = 0.1 * (megapixels / 2.0) * (info.nominal_fps / 30.0)
    return info.analysis_window_s * (1.0 + decode_per_pose)


class Job:
    """One clip's analysis: waiting, running or done. Safe to read from any thread."""

    def __init__(self, pool: AnalysisPool, job_id: int, path: str, speed: Speed,
                 settings: DecodeSettings | None) -> None:
        self._pool = pool
        self.id = job_id
        self.path = path
        self.speed = speed
        self.settings = settings
        self.state = "waiting"  # waiting -> running -> done
        self.stage, self.fraction = "Waiting", 0.0
        self.cancelled = False
        self._result = None
        self._error: GaitError | None = None
        self._done = threading.Event()

    def place_in_queue(self) -> int:
        """1 for the next to start, 2 after that, ...; 0 once it is running or done."""
        return self._pool._place_of(self)

    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout_s: float | None = None) -> bool:
        return self._done.wait(timeout_s)

    def result(self, timeout_s: float | None = None):  # noqa: ANN201 - gait.pipeline.Analysis (imported lazily)
        """The Analysis; raises the analysis's GaitError (or a friendly one for a crash or a timeout)."""
        if not self._done.wait(timeout_s):
            raise TimeoutError(f"job {self.id} still running")
        if self._error is not None:
            raise self._error
        return self._result

    def cancel(self) -> None:
        """Give up on this clip: a waiting job leaves the queue, a running one is stopped at its next frame."""
        self._pool._cancel(self)

    def _finish(self, result=None, error: GaitError | None = None) -> None:  # noqa: ANN001
        self._result, self._error = result, error
        self.state = "done"
        self._done.set()


class _Worker:
    """One worker process and the app's end of its socket."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(
            os.pathsep), "GLOG_minloglevel": "2", "TF_CPP_MIN_LOG_LEVEL": "2"}
        try:
            self.proc = subprocess.Popen([sys.executable, "-m", "gait.service.workers", "--fd", str(theirs.fileno())],
                                         pass_fds=(theirs.fileno(),), cwd=ROOT, env=env,
                                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self._send_lock = threading.Lock()  # the slot thread and a cancelling page may send at once
        self.jobs_done = 0
        if not self.conn.poll(_WORKER_START_TIMEOUT_S):
            self.kill()
            raise RuntimeError("worker did not start")
        message = self.conn.recv()
        if message[0] != "ready":
            self.kill()
            raise RuntimeError(f"worker sent {message[0]!r} before ready")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def send(self, message: tuple) -> None:
        with self._send_lock:
            self.conn.send(message)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.conn.close()

    def stop(self) -> None:
        try:
            self.send(("stop",))
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()


class AnalysisPool:
    """At most ``n_workers`` analyses at once; the rest wait first come, first served.

    Parameters
    ----------
    n_workers : concurrent analyses (default: ``default_workers()``).
    job_timeout_s : a running analysis longer than this is stopped with a friendly error.
    max_waiting : more waiting clips than this are refused at once ("try again in a few minutes").
    jobs_per_worker : a worker process is replaced after this many clips.
    """

    def __init__(self, n_workers: int | None = None, *, job_timeout_s: float = DEFAULT_JOB_TIMEOUT_S,
                 max_waiting: int = DEFAULT_MAX_WAITING, jobs_per_worker: int = DEFAULT_JOBS_PER_WORKER) -> None:
        self.n_workers = n_workers or default_workers()
        self.job_timeout_s = job_timeout_s
        self.max_waiting = max_waiting
        self.jobs_per_worker = jobs_per_worker
        self._waiting: collections.deque[Job] = collections.deque()
        self._cond = threading.Condition()
        self._ids = itertools.count(1)
        self._closed = False
        self._warmed = False
        self._workers: list[_Worker | None] = [None] * self.n_workers
        self._worker_locks = [threading.Lock() for _ in range(self.n_workers)]
        self._running: list[Job | None] = [None] * self.n_workers
        self._slots = [threading.Thread(target=self._serve, args=(i,), name=f"springcheck-slot-{i}", daemon=True)
                       for i in range(self.n_workers)]
        for slot in self._slots:
            slot.start()

    # --- the app's side -------------------------------------------------------------------------

    def submit(self, path: str | os.PathLike[str], speed: Speed | str,
               settings: DecodeSettings | None = None) -> Job:
        """Queue one clip; returns at once. Raises ``AnalysisError("server_busy")`` when the queue is full."""
        job = Job(self, next(self._ids), str(Path(path).resolve()), Speed(speed), settings)
        with self._cond:
            if self._closed:
                raise RuntimeError("pool closed")
            if len(self._waiting) >= self.max_waiting:
                raise _busy()
            self._waiting.append(job)
            self._cond.notify()
        return job

    def start(self, wait: bool = True) -> None:
        """Start every worker now (otherwise each starts with its first clip); ``wait`` until their models are ready."""
        failed: list[BaseException] = []

        def start_one(slot: int) -> None:
            try:
                self._ensure_worker(slot)
            except (OSError, RuntimeError) as exc:  # the slot tries again with its first clip
                log.error("could not start an analysis worker: %s", type(exc).__name__)
                failed.append(exc)

        threads = [threading.Thread(target=start_one, args=(i,), daemon=True) for i in range(self.n_workers)]
        for t in threads:
            t.start()
        if wait:
            for t in threads:
                t.join()
            if failed:
                raise failed[0]

    def worker_pids(self) -> list[int]:
        return [w.pid for w in self._workers if w is not None and w.alive()]

    def warm_up(self) -> None:
        """Start the workers in the background once, so the first clip does not wait for a model."""
        with self._cond:
            if self._warmed:
                return
            self._warmed = True
        self.start(wait=False)

    def waiting(self) -> int:
        with self._cond:
            return len(self._waiting)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            waiting = list(self._waiting)
            self._waiting.clear()
            self._cond.notify_all()
        for job in waiting:
            job._finish(error=_failed())
        for i, worker in enumerate(self._workers):
            if worker is not None:
                worker.stop()
                self._workers[i] = None

    def _place_of(self, job: Job) -> int:
        with self._cond:
            for place, other in enumerate(self._waiting, start=1):
                if other is job:
                    return place
        return 0

    def _cancel(self, job: Job) -> None:
        with self._cond:
            job.cancelled = True
            if job in self._waiting:
                self._waiting.remove(job)
                job._finish(error=_failed())
                return
            slot = next((i for i, j in enumerate(self._running) if j is job), None)
            worker = self._workers[slot] if slot is not None else None
        if worker is not None:
            try:
                worker.send(("cancel", job.id))
            except OSError:
                pass

    # --- one slot: a thread that feeds one worker process -----------------------------------------

    def _ensure_worker(self, slot: int) -> _Worker:
        with self._worker_locks[slot]:
            worker = self._workers[slot]
            if worker is not None and worker.alive() and worker.jobs_done < self.jobs_per_worker:
                return worker
            self._workers[slot] = None
            if worker is not None:
                worker.stop()
            if self._closed:
                raise RuntimeError("pool closed")
            self._workers[slot] = _Worker()
            return self._workers[slot]

    def _serve(self, slot: int) -> None:
        while True:
            with self._cond:
                while not self._waiting and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                job = self._waiting.popleft()
                job.state = "running"
                self._running[slot] = job
            try:
                self._run(slot, job)
            except Exception:  # noqa: BLE001 - a slot must outlive any one job; the job still ends
                log.exception("analysis slot %d failed", slot)
                if not job.done():
                    job._finish(error=_failed())
            finally:
                with self._cond:
                    self._running[slot] = None

    def _run(self, slot: int, job: Job) -> None:
        try:
            worker = self._ensure_worker(slot)
        except (OSError, RuntimeError) as exc:
            log.error("could not start an analysis worker: %s", type(exc).__name__)
            job._finish(error=_failed())
            return
        deadline = time.monotonic() + self.job_timeout_s
        try:
            worker.send(("analyze", job.id, job.path, job.speed.value, job.settings))
            while True:
                # Checked on every message too: a stuck analysis may still send progress.
                if time.monotonic() > deadline:
                    log.warning("analysis %d stopped after %.0f s", job.id, self.job_timeout_s)
                    worker.kill()
                    self._workers[slot] = None
                    job._finish(error=_timed_out())
                    return
                if not worker.conn.poll(_POLL_S):
                    if not worker.alive():
                        raise EOFError
                    continue
                message = worker.conn.recv()
                kind, job_id = message[0], message[1]
                if job_id != job.id:
                    continue  # a late message about an earlier, cancelled clip
                if kind == "progress":
                    job.stage, job.fraction = message[2], message[3]
                    continue
                worker.jobs_done += 1
                if kind == "result":
                    job._finish(result=message[2])
                elif kind == "error":
                    cls = _ERROR_CLASSES.get(message[2], GaitError)
                    job._finish(error=cls(message[3], message[4], message[5]))
                else:  # "cancelled" or "failed"
                    job._finish(error=_failed())
                return
        except (EOFError, OSError):
            # The worker died (a decoder crash, or killed for memory): this clip fails, the next gets a new one.
            code = worker.proc.poll()
            log.error("analysis worker exited (code %s) during analysis %d", code, job.id)
            worker.kill()
            self._workers[slot] = None
            job._finish(error=_failed())


_SHARED: AnalysisPool | None = None
_SHARED_LOCK = threading.Lock()


def shared_pool() -> AnalysisPool:
    """The process-wide pool the app uses (created on first use, closed at exit)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = AnalysisPool()
            atexit.register(_SHARED.close)
        return _SHARED


# --- the worker process -----------------------------------------------------------------------------


class _Cancelled(Exception):
    pass


def _give_back_memory() -> None:
    """Return freed heap to the system between clips (~50 MB a worker after a 1080p clip)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: the memory is reused by the next clip instead


def _worker_main(fd: int) -> int:
    from gait.pipeline import analyze
    from gait.analysis.pose import MediaPipePose

    conn = Connection(fd)
    estimator = MediaPipePose()  # built once, reset after every clip (MediaPipe's video mode is stateful)
    conn.send(("ready", os.getpid()))
    pending: list[tuple] = []  # messages read while checking for a cancel

    def next_message() -> tuple:
        return pending.pop(0) if pending else conn.recv()

    while True:
        try:
            message = next_message()
        except EOFError:
            return 0  # the app has gone
        if message[0] == "stop":
            return 0
        if message[0] != "analyze":
            continue
        _, job_id, path, speed, settings = message
        last_sent = [0.0]

        def progress(stage: str, fraction: float, job_id: int = job_id) -> None:
            while conn.poll():
                incoming = conn.recv()
                if incoming[0] == "cancel" and incoming[1] == job_id:
                    raise _Cancelled
                if incoming[0] != "cancel":
                    pending.append(incoming)
            now = time.monotonic()
            if now - last_sent[0] >= _PROGRESS_INTERVAL_S or fraction >= 1.0:
                last_sent[0] = now
                conn.send(("progress", job_id, stage, fraction))

        try:
            result = analyze(path, speed, progress=progress, estimator=estimator, settings=settings)
        except _Cancelled:
            conn.send(("cancelled", job_id))
        except GaitError as err:
            conn.send(("error", job_id, type(err).__name__, err.code, err.user_message, err.fix))
        except Exception as exc:  # noqa: BLE001 - reported to the app as a failed clip, traceback in our log
            log.exception("analysis %d failed", job_id)
            conn.send(("failed", job_id, type(exc).__name__))
        else:
            conn.send(("result", job_id, result))
        finally:
            estimator.reset()
            result = None
            _give_back_memory()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gait.service.workers", description="one analysis worker process")
    parser.add_argument("--fd", type=int, required=True, help="the socket shared with the app")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return _worker_main(args.fd)


if __name__ == "__main__":
    raise SystemExit(main())
