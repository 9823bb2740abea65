"""Analyses as Dramatiq jobs: in this process by default, on Redis and workers anywhere when configured.

With no configuration the app runs the analysis actor on Dramatiq's in-process ``StubBroker``
with a ``Worker`` of a few threads in its own process (``start_local_workers``): nothing to
install or start. With ``SPRINGCHECK_BROKER=redis://HOST:6379/0`` the same actor runs on a
``RedisBroker`` and the analyses happen in worker processes started on any machine with::

    SPRINGCHECK_BROKER=redis://HOST:6379/0 uv run dramatiq gait.service.jobs --processes 2 --threads 1

What travels where (``Store``, one Redis database or, embedded, a dict):

- ``springcheck:clip:<id>``: the uploaded bytes; the worker writes them to its own private
  temporary file, and deletes both after the analysis (kept until then, so a clip whose
  worker died can be run again by another);
- ``springcheck:job:<id>``: the job's state, stage, progress, tries and, at the end, the
  result (pickled ``Analysis``) or the friendly error; the app deletes it when it reads the
  result, or when the person leaves (cancel);
- ``springcheck:waiting``: ids not started yet, in submission order, for places in the queue;
- the Dramatiq message itself carries only the id, the speed and the decode settings.

Time limits are Dramatiq's ``TimeLimit``. A worker that dies mid-analysis stops its
heartbeat; Dramatiq's Redis broker then puts its unacknowledged message back on the queue
and another worker runs the clip again (at most ``MAX_TRIES`` times). The app never waits
for ever: a running job with no news for ``stall_s`` seconds, or a waiting one with no live
worker anywhere, ends with "please try again".
"""

from __future__ import annotations

import ctypes
import gc
import json
import logging
import os
import pickle
import shutil
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import Middleware, TimeLimitExceeded

from gait.analysis.video import DecodeSettings
from gait.errors import AnalysisError, GaitError, VideoError
from gait.names import Speed

log = logging.getLogger(__name__)

BROKER_ENV = "SPRINGCHECK_BROKER"
QUEUE = "springcheck"
PREFIX = "springcheck"
# Heuristic limits, not thresholds of the analysis: what one small server can take.
JOB_TIME_LIMIT_S = 300.0  # a 30 s 4K clip takes ~60 s on a busy 2-core machine; 5x that is a hang
MAX_TRIES = 2  # a clip whose worker died is run once more; a clip that kills workers is not retried for ever
DEFAULT_MAX_WAITING = 24  # beyond this a newcomer is told to come back, rather than wait many minutes
KEEP_S = 3600  # anything of a job left behind (an app that died) expires after an hour
WORKER_BUDGET_MB = 700.0  # a worker peaks at ~430 MB on 1080p and ~600 MB on 30 s of 4K (python -m gait.bench)
_PROGRESS_INTERVAL_S = 0.1  # at most ten progress writes a second per clip
_CANCEL_CHECK_S = 0.25


def _env_s(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, "")) or default
    except ValueError:
        return default


# A live worker beats every HEARTBEAT_S / 4; one silent for HEARTBEAT_S is dead and its clip goes back in the queue.
HEARTBEAT_S = _env_s("SPRINGCHECK_HEARTBEAT_S", 15.0)
# No news of a running clip for this long (death, requeue, a new worker's model loading) means "please try again".
STALL_S = _env_s("SPRINGCHECK_STALL_S", 4 * HEARTBEAT_S + 30.0)


def _failed() -> AnalysisError:
    return AnalysisError("analysis_failed", "Something went wrong on our side while analysing this clip.",
                         "Try again; if it happens again, film a new clip with the phone's camera app.")


def _timed_out() -> AnalysisError:
    return AnalysisError("analysis_timeout", "The analysis took too long and was stopped.",
                         "Try a shorter clip (10 steps, about 6-10 s), or try again in a few minutes.")


def _busy() -> AnalysisError:
    return AnalysisError("server_busy", "Too many people are analysing clips right now.",
                         "Try again in a few minutes.")


def _unreachable() -> AnalysisError:
    return AnalysisError("service_unreachable", "We cannot reach the analysis service right now.",
                         "Try again in a few minutes; if it keeps happening, tell whoever runs this app.")


def _no_workers() -> AnalysisError:
    return AnalysisError("no_workers", "The analysis service is not running right now.",
                         "Try again in a few minutes; if it keeps happening, tell whoever runs this app.")


_ERROR_CLASSES: dict[str, type[GaitError]] = {"GaitError": GaitError, "VideoError": VideoError,
                                              "AnalysisError": AnalysisError}


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
    """Embedded analyses at once: ``SPRINGCHECK_WORKERS`` if set, else one more than the cores, within memory.

    One more than the cores because an analysis leaves its core idle now and then (waiting for
    frames, handing results over) and because one person's three clips then all run at once.
    Each is budgeted ``WORKER_BUDGET_MB`` of the memory available when the workers start.
    """
    env = os.environ.get("SPRINGCHECK_WORKERS", "")
    if env.strip().isdigit() and int(env) > 0:
        return int(env)
    by_cores = (os.cpu_count() or 1) + 1
    available_mb = _available_mb()
    by_memory = int(available_mb // WORKER_BUDGET_MB) if available_mb != float("inf") else by_cores
    return max(1, min(by_cores, by_memory))


# --- where jobs' bytes, states and results live -----------------------------------------------------


def _job_key(job_id: str) -> str:
    return f"{PREFIX}:job:{job_id}"


def _clip_key(job_id: str) -> str:
    return f"{PREFIX}:clip:{job_id}"


WAITING_KEY = f"{PREFIX}:waiting"
WORKERS_KEY = f"{PREFIX}:workers"  # worker id -> last heartbeat (epoch s)
SEQ_KEY = f"{PREFIX}:seq"  # submission counter (no clip in it)

# Workers only ever update a job that still exists: a job the app has given up on stays gone.
_UPDATE_LUA = ("""
if redis.call('exists', KEYS[1]) == 0 then return -1 end
local tries = 0
if ARGV[1] ~= '' then tries = redis.call('hincrby', KEYS[1], ARGV[1], 1) end
for i = 2, #ARGV, 2 do redis.call('hset', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('expire', KEYS[1], %d)
return tries
""" % KEEP_S)


class RedisStore:
    """Jobs in Redis (the broker's own server): shared by the app and workers on any machine."""

    def __init__(self, url: str) -> None:
        import redis

        self.r = redis.Redis.from_url(url)
        self._update = self.r.register_script(_UPDATE_LUA)

    def create(self, job_id: str, data: bytes | memoryview) -> None:
        seq = self.r.incr(SEQ_KEY)  # strictly increasing across every app: first come, first place
        pipe = self.r.pipeline()
        pipe.set(_clip_key(job_id), bytes(data), ex=KEEP_S)
        pipe.hset(_job_key(job_id), mapping={"state": "waiting", "stage": "Waiting", "fraction": 0.0,
                                             "updated": time.time(), "tries": 0})
        pipe.expire(_job_key(job_id), KEEP_S)
        pipe.zadd(WAITING_KEY, {job_id: seq})
        pipe.execute()

    def waiting(self) -> int:
        return int(self.r.zcard(WAITING_KEY))

    def place(self, job_id: str) -> int:
        rank = self.r.zrank(WAITING_KEY, job_id)
        return 0 if rank is None else rank + 1

    def update(self, job_id: str, incr: str = "", **fields: Any) -> int:
        """Set ``fields`` on an existing job (and add 1 to ``incr``); -1 if the job is gone."""
        args: list[Any] = [incr]
        for k, v in fields.items():
            args += [k, v]
        return int(self._update(keys=[_job_key(job_id)], args=args))

    def status(self, job_id: str) -> dict[str, str] | None:
        names = ("state", "stage", "fraction", "updated", "tries", "outcome", "worker")
        got = self.r.hmget(_job_key(job_id), *names)
        if got[0] is None:
            return None
        return {k: v.decode() for k, v in zip(names, got) if v is not None}

    def started(self, job_id: str, worker: str) -> int:
        self.r.zrem(WAITING_KEY, job_id)
        return self.update(job_id, "tries", state="running", stage="Starting", fraction=0.0, updated=time.time(),
                           worker=worker)

    def finish(self, job_id: str, result: Any = None, error: GaitError | None = None) -> None:
        if error is not None:
            payload = json.dumps({"class": type(error).__name__, "code": error.code, "message": error.user_message,
                                  "fix": error.fix})
            self.update(job_id, state="done", outcome="error", error=payload, updated=time.time())
        else:
            self.update(job_id, state="done", outcome="result", result=pickle.dumps(result), updated=time.time())

    def outcome(self, job_id: str) -> tuple[Any, GaitError | None]:
        kind, result, error = self.r.hmget(_job_key(job_id), "outcome", "result", "error")
        if kind == b"result":
            # Our own workers' pickles through our own private Redis (which also holds the clips).
            return pickle.loads(result), None
        if kind == b"error":
            e = json.loads(error)
            return None, _ERROR_CLASSES.get(e["class"], GaitError)(e["code"], e["message"], e["fix"])
        return None, _failed()

    def clip(self, job_id: str) -> bytes | None:
        return self.r.get(_clip_key(job_id))

    def drop_clip(self, job_id: str) -> None:
        self.r.delete(_clip_key(job_id))

    def forget(self, job_id: str) -> None:
        """Everything of a job goes: its bytes, its state and result, its place in the queue."""
        pipe = self.r.pipeline()
        pipe.delete(_clip_key(job_id), _job_key(job_id))
        pipe.zrem(WAITING_KEY, job_id)
        pipe.execute()

    def beat(self, worker: str) -> None:
        pipe = self.r.pipeline()
        pipe.zadd(WORKERS_KEY, {worker: time.time()})
        pipe.zremrangebyscore(WORKERS_KEY, "-inf", time.time() - KEEP_S)  # workers long gone
        pipe.execute()

    def gone(self, worker: str) -> None:
        self.r.zrem(WORKERS_KEY, worker)

    def live_workers(self) -> int:
        return int(self.r.zcount(WORKERS_KEY, time.time() - HEARTBEAT_S, "+inf"))

    def worker_alive(self, worker: str) -> bool:
        last = self.r.zscore(WORKERS_KEY, worker)
        return last is not None and last >= time.time() - HEARTBEAT_S


class MemoryStore:
    """The same in this process's memory, for the embedded workers (no server)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, dict[str, Any]] = {}
        self._clips: dict[str, bytes] = {}
        self._waiting: dict[str, float] = {}
        self._seq = 0

    def create(self, job_id: str, data: bytes | memoryview) -> None:
        with self._lock:
            self._seq += 1
            self._clips[job_id] = bytes(data)
            self._jobs[job_id] = {"state": "waiting", "stage": "Waiting", "fraction": 0.0, "updated": time.time(),
                                  "tries": 0}
            self._waiting[job_id] = self._seq

    def waiting(self) -> int:
        with self._lock:
            return len(self._waiting)

    def place(self, job_id: str) -> int:
        with self._lock:
            if job_id not in self._waiting:
                return 0
            mine = self._waiting[job_id]
            return 1 + sum(1 for seq in self._waiting.values() if seq < mine)

    def update(self, job_id: str, incr: str = "", **fields: Any) -> int:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return -1
            if incr:
                job[incr] = int(job.get(incr, 0)) + 1
            job.update(fields)
            return int(job.get(incr, 0)) if incr else 0

    def status(self, job_id: str) -> dict[str, str] | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return None if job is None else {k: str(v) for k, v in job.items() if k not in ("result", "error")}

    def started(self, job_id: str, worker: str) -> int:
        with self._lock:
            self._waiting.pop(job_id, None)
        return self.update(job_id, "tries", state="running", stage="Starting", fraction=0.0, updated=time.time(),
                           worker=worker)

    def finish(self, job_id: str, result: Any = None, error: GaitError | None = None) -> None:
        self.update(job_id, state="done", outcome="error" if error is not None else "result", result=result,
                    error=error, updated=time.time())

    def outcome(self, job_id: str) -> tuple[Any, GaitError | None]:
        with self._lock:
            job = self._jobs.get(job_id) or {}
        if job.get("outcome") == "result":
            return job["result"], None
        if job.get("outcome") == "error":
            return None, job["error"]
        return None, _failed()

    def clip(self, job_id: str) -> bytes | None:
        with self._lock:
            return self._clips.get(job_id)

    def drop_clip(self, job_id: str) -> None:
        with self._lock:
            self._clips.pop(job_id, None)

    def forget(self, job_id: str) -> None:
        with self._lock:
            self._clips.pop(job_id, None)
            self._jobs.pop(job_id, None)
            self._waiting.pop(job_id, None)

    def beat(self, worker: str) -> None:
        pass

    def gone(self, worker: str) -> None:
        pass

    def live_workers(self) -> int:
        return 1 if _LOCAL_WORKER is not None else 0

    def worker_alive(self, worker: str) -> bool:
        return _LOCAL_WORKER is not None  # threads of this process; a stuck one is ended by its time limit


# --- the broker: Redis when configured, else in this process -------------------------------------


class _WorkerSetup(Middleware):
    """Each worker takes only as many messages as it has threads (so queue places hold), and beats."""

    def __init__(self, store: RedisStore | MemoryStore) -> None:
        self.store = store
        self._stop = threading.Event()

    def before_worker_boot(self, broker, worker) -> None:  # noqa: ANN001
        worker.queue_prefetch = worker.worker_threads

    def after_worker_boot(self, broker, worker) -> None:  # noqa: ANN001
        if sweep_stale_copies():
            log.warning("removed clips left by worker processes that died")
        threading.Thread(target=_ESTIMATORS.preload, args=(worker.worker_threads,), daemon=True).start()
        if isinstance(self.store, RedisStore):
            threading.Thread(target=self._beat, args=(broker,), name="springcheck-heartbeat", daemon=True).start()

    def before_worker_shutdown(self, broker, worker) -> None:  # noqa: ANN001
        self._stop.set()
        try:
            self.store.gone(worker_id())
        except Exception:  # noqa: BLE001 - the broker may be gone already
            pass

    def _beat(self, broker) -> None:  # noqa: ANN001
        # Dramatiq's Redis broker counts a worker alive while it fetches; a worker busy with one long
        # clip fetches nothing, so it beats here too, or another worker would re-run its clip.
        beats = f"{broker.namespace}:__heartbeats__"
        while True:
            try:
                broker.client.zadd(beats, {broker.broker_id: int(time.time() * 1000)})
                self.store.beat(worker_id())
            except Exception:  # noqa: BLE001 - Redis briefly away: try again next beat
                log.warning("heartbeat failed")
            if self._stop.wait(HEARTBEAT_S / 4):
                return


_TIME_LIMIT_CHECK_MS = 100  # how often the time limits are checked (Dramatiq's default: once a second)


def _middleware() -> list:
    """Dramatiq's default middleware, with a job over its time limit stopped within 0.1 s of it."""
    from dramatiq.middleware import TimeLimit, default_middleware

    return [TimeLimit(interval=_TIME_LIMIT_CHECK_MS) if m is TimeLimit else m() for m in default_middleware]


def _make_broker(url: str) -> tuple[dramatiq.Broker, RedisStore | MemoryStore]:
    if url:
        from dramatiq.brokers.redis import MAINTENANCE_SCALE, RedisBroker

        # Maintenance (putting dead workers' messages back) on 1 in 10 fetches: an idle worker
        # fetches about once a second, so a dead worker's clip is back in the queue within seconds.
        broker: dramatiq.Broker = RedisBroker(url=url, namespace=f"{PREFIX}-dramatiq", middleware=_middleware(),
                                              heartbeat_timeout=int(HEARTBEAT_S * 1000),
                                              maintenance_chance=MAINTENANCE_SCALE // 10,
                                              dead_message_ttl=KEEP_S * 1000)
        store: RedisStore | MemoryStore = RedisStore(url)
    else:
        broker, store = StubBroker(middleware=_middleware()), MemoryStore()
    broker.add_middleware(_WorkerSetup(store))
    return broker, store


BROKER, STORE = _make_broker(os.environ.get(BROKER_ENV, "").strip())
dramatiq.set_broker(BROKER)


def distributed() -> bool:
    return isinstance(STORE, RedisStore)


def worker_id() -> str:
    """This worker process as the app sees it (host:pid:broker): it beats under this name, and jobs name it."""
    return f"{socket.gethostname()}:{os.getpid()}:{getattr(BROKER, 'broker_id', 'local')[:8]}"


# --- the worker's side ------------------------------------------------------------------------------


class _Cancelled(Exception):
    pass


class _Estimators:
    """Warm pose models, one per concurrent analysis, reused (and reset) clip after clip."""

    def __init__(self) -> None:
        self._free: list = []
        self._lock = threading.Lock()

    def take(self):  # noqa: ANN201 - a MediaPipePose
        with self._lock:
            if self._free:
                return self._free.pop()
        from gait.analysis.pose import MediaPipePose

        return MediaPipePose()

    def preload(self, n: int) -> None:
        """Load models until ``n`` are ready, so the first clips do not wait for one (~1 s each).

        The analysis code is imported here too: the first clip would otherwise import it (~1.4 CPU s
        with no bytecode cache, 0.6 s with one), alone, while the other clips wait on the import lock.
        """
        import gait.pipeline  # noqa: F401
        from gait.analysis.pose import MediaPipePose

        while True:
            with self._lock:
                if len(self._free) >= n:
                    return
            made = MediaPipePose()
            with self._lock:
                self._free.append(made)

    def give_back(self, estimator) -> None:  # noqa: ANN001
        estimator.reset()  # MediaPipe's video mode is stateful
        with self._lock:
            self._free.append(estimator)


_ESTIMATORS = _Estimators()


def _give_back_memory() -> None:
    """Return freed heap to the system between clips (~50 MB a worker after a 1080p clip)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: the memory is reused by the next clip instead


_COPY_PREFIX = "springcheck-clip-"


def _zombie(pid: int) -> bool:
    """A killed process that nobody has reaped yet (containers often have no init to do it)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def sweep_stale_copies() -> int:
    """Remove private copies left by worker processes that died mid-analysis (a kill leaves no time to
    clean up); run when a worker starts. Folders are named after their process; live ones stay."""
    removed = 0
    for folder in Path(tempfile.gettempdir()).glob(f"{_COPY_PREFIX}*"):
        try:
            pid = int(folder.name[len(_COPY_PREFIX):].split("-")[0])
            os.kill(pid, 0)
            if not _zombie(pid):
                continue  # its process is still running
        except ProcessLookupError:
            pass
        except (ValueError, PermissionError):
            continue  # not ours to judge
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


@contextmanager
def private_copy(data: bytes) -> Iterator[Path]:
    """The clip in a file only this worker's user can read, in a new private folder; both removed on exit.

    The folder (mode 0700) and file (0600) get random names from ``tempfile``; the upload's own
    name never travels to the worker, so it can never become part of a path.
    """
    folder = tempfile.mkdtemp(prefix=f"{_COPY_PREFIX}{os.getpid()}-")
    try:
        fd, path = tempfile.mkstemp(dir=folder, suffix=".video")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        yield Path(path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@dramatiq.actor(queue_name=QUEUE, max_retries=0, time_limit=int(JOB_TIME_LIMIT_S * 1000))
def analyse_clip(job_id: str, speed: str, settings: dict | None = None) -> None:
    """Analyse the clip stored under ``job_id``; the outcome goes to the store, never an exception."""
    store = STORE
    estimator = None
    try:
        tries = store.started(job_id, worker_id())
        if tries < 0:  # cancelled, or the app gave up on it: nothing to do
            store.drop_clip(job_id)
            return
        if tries > MAX_TRIES:
            log.error("job %s: its worker died %d times; not tried again", job_id, tries - 1)
            store.finish(job_id, error=_failed())
            return
        data = store.clip(job_id)
        if data is None:
            store.finish(job_id, error=_failed())
            return
        clock = {"sent": 0.0, "checked": time.monotonic()}

        def progress(stage: str, fraction: float) -> None:
            now = time.monotonic()
            if now - clock["checked"] >= _CANCEL_CHECK_S:
                clock["checked"] = now
                if store.status(job_id) is None:
                    raise _Cancelled
            if now - clock["sent"] >= _PROGRESS_INTERVAL_S or fraction >= 1.0:
                clock["sent"] = now
                if store.update(job_id, stage=stage, fraction=float(fraction), updated=time.time()) < 0:
                    raise _Cancelled

        from gait.pipeline import analyze

        with private_copy(data) as path:
            del data
            estimator = _ESTIMATORS.take()
            result = analyze(path, speed, progress=progress, estimator=estimator,
                             settings=DecodeSettings(**settings) if settings else None)
        store.finish(job_id, result=result)
    except _Cancelled:
        pass
    except GaitError as err:
        store.finish(job_id, error=err)
    except TimeLimitExceeded:
        log.warning("job %s stopped after %.0f s", job_id, JOB_TIME_LIMIT_S)
        store.finish(job_id, error=_timed_out())
    except Exception:  # noqa: BLE001 - reported as a failed clip, traceback in the worker's log
        log.exception("job %s failed", job_id)
        store.finish(job_id, error=_failed())
    finally:
        store.drop_clip(job_id)
        if estimator is not None:
            _ESTIMATORS.give_back(estimator)
        _give_back_memory()


# --- the app's side ---------------------------------------------------------------------------------


def configure(url: str | None) -> None:
    """Point this process at another broker (a ``redis://`` URL) or, with None, back to the embedded one.

    The app reads ``SPRINGCHECK_BROKER`` once at import; this is for tests and tools that switch.
    """
    global BROKER, STORE
    stop_local_workers()
    BROKER, STORE = _make_broker((url or "").strip())
    dramatiq.set_broker(BROKER)
    analyse_clip.broker = BROKER
    BROKER.declare_actor(analyse_clip)


_LOCAL_WORKER: dramatiq.Worker | None = None
_LOCAL_LOCK = threading.Lock()


def start_local_workers(n_threads: int | None = None) -> None:
    """Embedded mode: analyse in this process with ``n_threads`` worker threads (once; stopped at exit)."""
    global _LOCAL_WORKER
    if distributed():
        return
    with _LOCAL_LOCK:
        if _LOCAL_WORKER is not None:
            return
        import atexit

        BROKER.emit_after("process_boot")  # starts the time-limit watcher, as the dramatiq command does
        worker = dramatiq.Worker(BROKER, worker_threads=n_threads or default_workers(), worker_timeout=100)
        worker.start()
        _LOCAL_WORKER = worker
        atexit.register(stop_local_workers)


def stop_local_workers() -> None:
    global _LOCAL_WORKER
    with _LOCAL_LOCK:
        if _LOCAL_WORKER is not None:
            _LOCAL_WORKER.stop(timeout=5000)
            _LOCAL_WORKER = None


def warm_up() -> None:
    """Ready the workers while the person picks clips (embedded: start the threads, load their models)."""
    start_local_workers()


def preload_models(n: int) -> None:
    """Load ``n`` pose models in this process now (the bench, before its clock starts)."""
    _ESTIMATORS.preload(n)


class Job:
    """One clip's analysis as the app sees it: place in the queue, progress, result."""

    def __init__(self, job_id: str, store: RedisStore | MemoryStore, stall_s: float) -> None:
        self.id = job_id
        self._store = store
        self._stall_s = stall_s
        self._submitted = time.monotonic()
        self._last_news = time.monotonic()
        self._last_key: tuple = ()
        self._running_since: float | None = None
        self.state, self.stage, self.fraction = "waiting", "Waiting", 0.0
        self._outcome: tuple[Any, GaitError | None] | None = None

    def refresh(self) -> None:
        """Read the job's state once (the app polls this a few times a second)."""
        if self._outcome is not None:
            return
        try:
            self._refresh()
        except Exception:  # noqa: BLE001 - the broker briefly unreachable: no news, which the stall limit bounds
            log.warning("job %s: broker unreachable", self.id)
            if time.monotonic() - self._last_news > self._stall_s:
                self._end(None, _unreachable())

    def _refresh(self) -> None:
        status = self._store.status(self.id)
        if status is None:
            self._end(None, _failed())
            return
        self.state, self.stage = status.get("state", "waiting"), status.get("stage", "")
        self.fraction = float(status.get("fraction", 0.0))
        key = (self.state, status.get("updated"), status.get("tries"))
        now = time.monotonic()
        if key != self._last_key:
            self._last_key, self._last_news = key, now
        elif self.state == "running" and self._store.worker_alive(status.get("worker", "")):
            self._last_news = now  # a long stage without progress, on a worker that still beats
        if self.state == "running" and self._running_since is None:
            self._running_since = now
        if self.state == "done":
            result, error = self._store.outcome(self.id)
            self._store.forget(self.id)  # the result is read: nothing of the clip stays in the broker
            self._end(result, error)
        elif self.state == "running" and now - self._last_news > self._stall_s:
            log.error("job %s: no news for %.0f s (its worker died?)", self.id, now - self._last_news)
            self._give_up(_failed())
        elif self.state == "running" and now - (self._running_since or now) > JOB_TIME_LIMIT_S * MAX_TRIES + self._stall_s:
            log.error("job %s: still running after every time limit", self.id)  # stuck where no limit reaches
            self._give_up(_timed_out())
        elif self.state == "waiting" and now - self._last_news > self._stall_s and self._store.live_workers() == 0:
            self._give_up(_no_workers())

    def place_in_queue(self) -> int:
        """1 for the next to start, 2 after that, ...; 0 once it is running or done."""
        if self._outcome is not None:
            return 0
        try:
            return self._store.place(self.id)
        except Exception:  # noqa: BLE001 - broker briefly unreachable: refresh() bounds how long that may last
            return 0

    def done(self) -> bool:
        self.refresh()
        return self._outcome is not None

    def wait(self, timeout_s: float | None = None, poll_s: float = 0.1) -> bool:
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while not self.done():
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(poll_s)
        return True

    def result(self, timeout_s: float | None = None):  # noqa: ANN201 - gait.pipeline.Analysis
        """The Analysis; raises the analysis's GaitError (or a friendly one for a crash or a timeout)."""
        if not self.wait(timeout_s):
            raise TimeoutError(f"job {self.id} still running")
        assert self._outcome is not None
        result, error = self._outcome
        if error is not None:
            raise error
        return result

    def cancel(self) -> None:
        """Give up on this clip: its bytes, state and place go now; a worker running it stops at its next frame."""
        if self._outcome is None:
            self._give_up(_failed())

    def _give_up(self, error: GaitError) -> None:
        try:
            self._store.forget(self.id)
        except Exception:  # noqa: BLE001 - unreachable broker: its keys expire after KEEP_S anyway
            log.warning("job %s: could not remove it from the broker", self.id)
        self._end(None, error)

    def _end(self, result: Any, error: GaitError | None) -> None:
        self.state, self._outcome = "done", (result, error)


def submit(data: bytes | memoryview, speed: Speed | str, settings: DecodeSettings | None = None, *,
           max_waiting: int = DEFAULT_MAX_WAITING, stall_s: float | None = None,
           time_limit_s: float | None = None) -> Job:
    """Queue one clip's bytes; returns at once. Raises ``AnalysisError("server_busy")`` when the queue is full.

    ``stall_s``: no news of the job for this long ends it with "please try again" (default ``STALL_S``);
    ``time_limit_s``: this job's time limit instead of ``JOB_TIME_LIMIT_S``.
    """
    speed = Speed(speed)
    start_local_workers()
    job_id = uuid.uuid4().hex
    try:
        if STORE.waiting() >= max_waiting:
            raise _busy()
        STORE.create(job_id, data)
        options = {"time_limit": int(time_limit_s * 1000)} if time_limit_s else {}
        analyse_clip.send_with_options(args=(job_id, speed.value, asdict(settings) if settings is not None else None),
                                       **options)
    except GaitError:
        raise
    except Exception as exc:  # noqa: BLE001 - Redis down or refusing: a friendly message, never a traceback
        log.error("could not queue a clip: %s", type(exc).__name__)
        try:
            STORE.forget(job_id)
        except Exception:  # noqa: BLE001 - still unreachable; the keys expire after KEEP_S
            pass
        raise _unreachable() from None
    return Job(job_id, STORE, STALL_S if stall_s is None else stall_s)


def submit_file(path: str | os.PathLike[str], speed: Speed | str, settings: DecodeSettings | None = None,
                **kw: Any) -> Job:
    """``submit`` the bytes of a file (the command line and the bench)."""
    return submit(Path(path).read_bytes(), speed, settings, **kw)
