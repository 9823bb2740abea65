"""A real broker and real worker processes on this machine: for the distributed tests and the bench.

``LocalCluster(n_workers)`` starts Debian's ``redis-server`` on a free loopback port (no
disk, no password: it never leaves 127.0.0.1) and ``n_workers`` separate worker processes,
each exactly what another machine would run::

    SPRINGCHECK_BROKER=redis://HOST:6379/0 python -m dramatiq gait.service.jobs --processes 1 --threads 1

and stops them all on exit. Each worker is its own process group, so ``kill_worker`` can end
one the way a machine dies (SIGKILL, no goodbye).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = "redis-server"


def redis_server_path() -> str | None:
    return shutil.which(REDIS_SERVER) or next((p for p in ("/usr/bin/redis-server", "/usr/sbin/redis-server")
                                                if os.path.exists(p)), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalCluster:
    """redis-server plus ``n_workers`` worker processes; ``url`` is the broker address for ``jobs.configure``."""

    def __init__(self, n_workers: int = 2, *, heartbeat_s: float | None = None, threads: int = 1,
                 log_dir: str | os.PathLike[str] | None = None, nice: int = 0,
                 worker_env: dict[str, str] | None = None) -> None:
        self.n_workers, self.threads, self.nice = n_workers, threads, nice
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.env = {**os.environ, "SPRINGCHECK_BROKER": self.url, "GLOG_minloglevel": "2", "TF_CPP_MIN_LOG_LEVEL": "2",
                    "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
        if heartbeat_s:
            self.env["SPRINGCHECK_HEARTBEAT_S"] = str(heartbeat_s)
        self.env.update(worker_env or {})
        self._own_log_dir = log_dir is None  # a folder of our own is removed at stop
        self.log_dir = Path(log_dir or tempfile.mkdtemp(prefix="springcheck-cluster-"))
        self.redis: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self._logs: list = []

    # --- redis ---

    def start(self, wait_s: float = 120.0) -> LocalCluster:
        server = redis_server_path()
        if server is None:
            raise FileNotFoundError("redis-server is not installed (apt-get install redis-server)")
        self.redis = subprocess.Popen([server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                       "--appendonly", "no", "--protected-mode", "yes"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        client = self.client()
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except Exception:  # noqa: BLE001 - not listening yet
                if time.monotonic() > deadline or self.redis.poll() is not None:
                    self.stop()
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.1)
        for _ in range(self.n_workers):
            self.add_worker()
        self.wait_for_workers(self.n_workers, wait_s)
        return self

    def client(self):  # noqa: ANN201 - redis.Redis
        import redis

        return redis.Redis.from_url(self.url)

    # --- workers ---

    def add_worker(self) -> subprocess.Popen:
        log = open(self.log_dir / f"worker{len(self.workers)}.log", "wb")  # noqa: SIM115 - closed in stop()
        self._logs.append(log)
        cmd = [sys.executable, "-m", "dramatiq", "gait.service.jobs", "--processes", "1",
               "--threads", str(self.threads)]
        if self.nice:
            cmd = ["nice", "-n", str(self.nice), *cmd]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.workers.append(proc)
        return proc

    def live_workers(self) -> int:
        from gait.service.jobs import HEARTBEAT_S, WORKERS_KEY

        heartbeat_s = float(self.env.get("SPRINGCHECK_HEARTBEAT_S", HEARTBEAT_S))
        return int(self.client().zcount(WORKERS_KEY, time.time() - heartbeat_s, "+inf"))

    def wait_for_workers(self, n: int, wait_s: float = 120.0) -> None:
        deadline = time.monotonic() + wait_s
        while self.live_workers() < n:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {self.live_workers()} of {n} workers started; logs in {self.log_dir}")
            time.sleep(0.2)

    def worker_of_pid(self, pid: int) -> subprocess.Popen | None:
        """The worker (its whole process group) that the process ``pid`` belongs to."""
        try:
            group = os.getpgid(pid)
        except ProcessLookupError:
            return None
        return next((w for w in self.workers if w.poll() is None and w.pid == group), None)

    def kill_worker(self, worker: subprocess.Popen) -> None:
        """End a worker the way a machine dies: SIGKILL to its whole process group, no goodbye."""
        try:
            os.killpg(worker.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        worker.wait()

    def stop(self) -> None:
        for w in self.workers:
            if w.poll() is None:
                try:
                    os.killpg(w.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for w in self.workers:
            try:
                w.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill_worker(w)
        if self.redis is not None and self.redis.poll() is None:
            self.redis.terminate()
            try:
                self.redis.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.redis.kill()
                self.redis.wait()
        for log in self._logs:
            log.close()
        if self._own_log_dir:
            shutil.rmtree(self.log_dir, ignore_errors=True)

    def __enter__(self) -> LocalCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
