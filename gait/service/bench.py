"""Benchmark: analysis time against the clips' own length, per stage, beside the naive way; and memory.

``python -m gait.bench [CLIPS...] [--speed walk] [--clips-dir DIR] [--make-clips] [--4k] [--workers N]
[--processes 1,2,4]``

Without CLIPS it analyses the three takes the app asks for, generated from
``../shared/clips/walk_toward_camera_socks.mp4`` by looping and re-timing it with
real timestamps (kept in ``--clips-dir`` and reused):

- walk: 10 s, 1080p, 60 fps, H.264;
- fast walk: 10 s, 1080p, 60 fps, H.264, the walk played 1.3x faster;
- run: 10 s, 1080p, 120 fps slow motion (real time stamps), HEVC, played 1.6x faster.

``--4k`` adds a 30 s 3840x2160 60 fps HEVC clip, analysed on its own for the memory peak.
``--make-clips`` only writes the clips. Each clip is encoded in a child process, so the
encoder's memory never counts toward the peak.

Two runs are timed, the same clips in each:

- the app's way: all clips at once as jobs on the embedded engine (``gait.service.jobs``, Dramatiq's
  in-process broker; ``--workers`` threads, default as the app; warm models, longest clip first), frames downscaled to the
  pose model's size and sampled at <= 30 Hz, decoding read ahead in a thread;
- the naive way: one clip after another in one worker, every frame at full resolution,
  decoded in the same thread as the pose model.

``--processes 1,2,4`` also runs the clips through a real ``redis-server`` and that many separate
worker processes (``gait.service.cluster``), printing the throughput for each and, from the
measured CPU seconds per clip, what each added worker machine would add on paper.

Per clip it prints the stages (decode, pose, analysis = steps + measures, drawing,
the picture checks), the wall time and the worker's CPU time, both ways. Decode and
pose overlap in the app way (two threads), so they add up to more than the wall time. Memory is the peak of the summed
resident size (VmRSS) of this process and all its children, sampled every 50 ms.
A line gives the machine: its processor, what the pose model alone costs a frame (measured before
the timed run: the least of three runs over 60 frames of the first clip) and so the least share of
the clips' duration any run could take there (the frames posed x that cost, over the cores).
Per clip a line gives the landing viewer's cost: frames and MB kept, the rolling store's peak
during the pass, the CPU seconds spent cropping, and how long one slider step takes to draw (median).
The last line is
``analysis_over_duration=<x> naive_over_duration=<y> peak_rss_mb=<z>``: the app-way
wall time over the clips' total duration, the naive-way time over the same, and the
app-way memory peak (MB; including the 4K clip when ``--4k`` is given).
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from gait.errors import GaitError
from gait.names import Speed
from gait.analysis.video import NAIVE, DecodeSettings, probe

ROOT = Path(__file__).resolve().parents[2]
CLIPS_DIR = ROOT.parent / "shared" / "clips"
LOOP_SOURCE = "walk_toward_camera_socks.mp4"
DEFAULT_CLIPS_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "springcheck-bench"


@dataclass(frozen=True)
class ClipRecipe:
    """A benchmark clip made from the socks walk: looped, re-timed by ``speedup``, real timestamps k/fps."""

    name: str
    speed: Speed
    duration_s: float
    fps: int
    speedup: float
    size_px: tuple[int, int]
    codec: str
    options: tuple[tuple[str, str], ...]


# Like phones: 30/60 fps video with every frame a reference (P frames only); slow motion with
# 30 frames a second others refer to and the rest droppable (non-reference), as Apple's encoder
# settings offer (AVVideoAverageNonDroppableFrameRateKey) so playback can drop frames.
_X264 = (("preset", "ultrafast"), ("crf", "20"))
_X265 = (("preset", "ultrafast"), ("crf", "26"), ("x265-params", "log-level=error"))
_X265_SLOWMO = (("preset", "ultrafast"), ("crf", "26"), ("x265-params", "log-level=error:bframes=3:b-pyramid=0"))
THREE_TAKES = (
    ClipRecipe("walk_10s_1080p60.mp4", Speed.WALK, 10.0, 60, 1.0, (1920, 1080), "libx264", _X264),
    ClipRecipe("fast_walk_10s_1080p60.mp4", Speed.FAST_WALK, 10.0, 60, 1.3, (1920, 1080), "libx264", _X264),
    ClipRecipe("run_10s_1080p120_slowmo_hevc.mov", Speed.RUN, 10.0, 120, 1.6, (1920, 1080), "libx265", _X265_SLOWMO),
)
CLIP_4K = ClipRecipe("walk_30s_4k60_hevc.mov", Speed.WALK, 30.0, 60, 1.0, (3840, 2160), "libx265", _X265)
RECIPES = {r.name: r for r in (*THREE_TAKES, CLIP_4K)}


# --- making the clips ----------------------------------------------------------------------------


def _looped_source(src: Path) -> Iterator[tuple[float, object]]:
    """(time_s, frame) of ``src`` played over and over, time running on across the loops."""
    import av

    offset_s = 0.0
    while True:
        last_s = 0.0
        with av.open(str(src)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            step_s = 1.0 / float(stream.average_rate or 30)
            t0 = None
            for frame in container.decode(stream):
                t0 = frame.time if t0 is None else t0
                last_s = float(frame.time - t0)
                yield offset_s + last_s, frame
        offset_s += last_s + step_s


def write_clip(recipe: ClipRecipe, dst: Path) -> Path:
    """Encode ``recipe`` into ``dst`` (written under a temporary name, renamed when complete)."""
    import av

    tmp = dst.with_name(dst.stem + ".partial" + dst.suffix)
    time_base = Fraction(1, recipe.fps)
    width_px, height_px = recipe.size_px
    source = _looped_source(CLIPS_DIR / LOOP_SOURCE)
    current, upcoming = next(source), next(source)
    with av.open(str(tmp), "w") as out:
        stream = out.add_stream(recipe.codec, rate=recipe.fps, options=dict(recipe.options))
        stream.width, stream.height, stream.pix_fmt = width_px, height_px, "yuv420p"
        stream.codec_context.time_base = time_base
        for k in range(int(round(recipe.duration_s * recipe.fps))):
            # Output frame k shows the source as it was at k/fps * speedup (real time, re-timed).
            want_s = k / recipe.fps * recipe.speedup
            while upcoming[0] <= want_s + 1e-9:
                current, upcoming = upcoming, next(source)
            frame = current[1].reformat(width=width_px, height=height_px, format="yuv420p")
            frame.pts, frame.time_base = k, time_base
            frame.pict_type = av.video.frame.PictureType.NONE  # the encoder picks frame types, not the source
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    os.replace(tmp, dst)
    return dst


def ensure_clips(recipes: tuple[ClipRecipe, ...], clips_dir: Path) -> list[Path]:
    """Paths of the recipes' clips in ``clips_dir``, encoding (in a child process) those not there yet."""
    clips_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for recipe in recipes:
        dst = clips_dir / recipe.name
        if not dst.is_file():
            t0 = time.perf_counter()
            print(f"making {recipe.name} ...", flush=True)
            subprocess.run([sys.executable, "-m", "gait.bench", "--write-clip", recipe.name, str(dst)], check=True,
                           cwd=ROOT)
            print(f"made {recipe.name} in {time.perf_counter() - t0:.0f} s", flush=True)
        paths.append(dst)
    return paths


# --- memory: this process and all its children ------------------------------------------------


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                kids += [int(k) for k in fh.read().split()]
    except OSError:
        pass
    return kids


def rss_mb(pid: int) -> float:
    """VmRSS of one process in MB (0 if it has gone)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


def tree_rss_mb(pid: int) -> float:
    """Summed VmRSS of ``pid`` and all its descendants, in MB."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += rss_mb(p)
        todo += _children(p)
    return total


class PeakMemory:
    """Samples this process tree's summed RSS in a thread; ``peak_mb`` is the largest seen."""

    def __init__(self, interval_s: float = 0.05) -> None:
        self.interval_s = interval_s
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, tree_rss_mb(os.getpid()))
            self._stop.wait(self.interval_s)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mb = max(self.peak_mb, tree_rss_mb(os.getpid()))


# --- the two runs -----------------------------------------------------------------------------


@dataclass
class Stages:
    """Seconds per stage for one clip, from ``Analysis.timing`` and the job's wall time."""

    n_frames: int = 0
    decode_s: float = float("nan")
    pose_s: float = float("nan")
    analysis_s: float = float("nan")  # steps + measures
    drawing_s: float = float("nan")
    checks_s: float = float("nan")  # orientation/two-people checks
    cpu_s: float = float("nan")  # CPU time of the worker process for this clip ("-" where clips share a process)
    wall_s: float = float("nan")  # from the job starting to its result
    wait_s: float = 0.0  # in the queue before that
    error: str = ""
    viewer: str = ""  # the landing viewer's figures (frames kept, bytes, one slider step's drawing time)


@dataclass
class ClipRow:
    path: Path
    speed: Speed
    duration_s: float
    fast: Stages = field(default_factory=Stages)
    naive: Stages = field(default_factory=Stages)


def _stages(job, submitted_s: float, started_s: float, ended_s: float) -> Stages:  # noqa: ANN001
    try:
        analysis = job.result()
    except GaitError as err:
        return Stages(wall_s=ended_s - started_s, wait_s=started_s - submitted_s, error=err.code)
    t = analysis.timing
    n_frames = int(round(analysis.video.analysis_window_s * analysis.quality.frame_rate_hz))  # the analysed frames
    return Stages(n_frames=n_frames,
                  decode_s=t.get("decode_s", float("nan")), pose_s=t.get("pose_s", float("nan")),
                  analysis_s=t.get("steps_s", 0.0) + t.get("measures_s", 0.0), drawing_s=t.get("drawing_s", 0.0),
                  checks_s=t.get("people_check_s", 0.0), cpu_s=t.get("process_cpu_s", float("nan")),
                  wall_s=ended_s - started_s, wait_s=started_s - submitted_s, viewer=_viewer_figures(analysis))


def _viewer_figures(analysis) -> str:  # noqa: ANN001 - gait.pipeline.Analysis
    """The landing viewer's cost for one clip: what it keeps and how long one slider step takes to draw."""
    from gait.output.viewer import render_ms

    v = getattr(analysis, "viewer", None)
    if v is None:
        return "no landings to show"
    crops_s = analysis.timing.get("viewer_crops_s", float("nan"))
    return (f"{len(v.frames)} frames of {len(v.steps)} steps at {v.frame_rate_hz:.0f} fps, {v.n_bytes / 1e6:.1f} MB "
            f"kept (peak {v.store_peak_bytes / 1e6:.1f} MB during the pass, {crops_s:.1f} CPU s cropping); one "
            f"slider step drawn in {render_ms(v):.1f} ms")


def pose_model_ms(path: Path, n_frames: int = 60, batches: int = 3) -> float:
    """CPU ms one tracked frame costs the pose model alone on this machine (nothing else running).

    The frames are decoded first, at the app's size and rate, then fed to a warm model of the app's
    pool in video mode (after five frames, so the person detector has found the person); the
    process's CPU time over the model's calls is the model's. The least of ``batches`` runs over the
    frames: what the model costs when the machine lets it (one 40-frame run read 18.5-22.9 ms).
    """
    from gait.analysis.pose import default_pool
    from gait.analysis.video import iter_frames

    info = probe(path)
    frames = []
    for frame in iter_frames(path, info):
        frames.append(frame.rgb)
        if len(frames) >= n_frames + 5:
            break
    if len(frames) < 6:
        return float("nan")
    per_batch_ms = []
    with default_pool().borrow() as model:
        for rgb in frames[:5]:
            model.process(rgb)
        chunks = np.array_split(np.arange(5, len(frames)), max(1, batches))
        for chunk in chunks:
            t0 = time.process_time()
            for i in chunk:
                model.process(frames[i])
            per_batch_ms.append(1000.0 * (time.process_time() - t0) / max(1, len(chunk)))
    return float(min(per_batch_ms))


def cpu_name() -> str:
    """The processor's model name as Linux reports it ("" where it cannot be read)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def expected_cost(path: str | os.PathLike[str]) -> float:
    """A rough relative cost of analysing a clip, so the longest starts first: duration x (1 + decode share)."""
    try:
        info = probe(path)
    except GaitError:
        return 0.0
    megapixels = info.width_px * info.height_px / 1e6
    return info.analysis_window_s * (1.0 + 0.1 * (megapixels / 2.0) * (info.nominal_fps / 30.0))


def run_pool(rows: list[ClipRow], n_workers: int, settings: DecodeSettings | None, one_by_one: bool,
             timeout_s: float, cluster=None) -> tuple[float, float, float]:  # noqa: ANN001
    """Analyse ``rows`` as engine jobs; fills each row's stages. Returns (wall s, peak RSS MB, CPU s).

    Without ``cluster`` the jobs run on the embedded engine (the app's default: ``n_workers``
    worker threads in this process, warmed up first); with a ``gait.service.cluster.LocalCluster``
    they go through its Redis broker to its worker processes. CPU s is this process's own
    (embedded) or the sum of the clips' worker-process CPU (cluster: one clip per process at a time).
    """
    from gait.service import jobs

    if cluster is None:
        jobs.configure(None)
        jobs.start_local_workers(n_workers)
        jobs.preload_models(n_workers)  # every thread's pose model is loaded before the clock starts
    else:
        jobs.configure(cluster.url)
    try:
        order = sorted(rows, key=lambda r: -expected_cost(r.path))
        data = {row.path: row.path.read_bytes() for row in order}  # read before timing, as an upload would be
        with PeakMemory() as memory:
            cpu0_s = time.process_time()
            t0 = time.perf_counter()
            if one_by_one:
                for row in order:
                    start = time.perf_counter()
                    job = jobs.submit(data[row.path], row.speed, settings, time_limit_s=timeout_s, stall_s=timeout_s)
                    job.wait(poll_s=0.02)
                    _set(row, settings, _stages(job, start, start, time.perf_counter()))
            else:
                submitted = [(row, jobs.submit(data[row.path], row.speed, settings, time_limit_s=timeout_s,
                                               stall_s=timeout_s)) for row in order]
                started: dict[str, float] = {}
                ended: dict[str, float] = {}
                while len(ended) < len(submitted):
                    now = time.perf_counter()
                    for _, job in submitted:
                        if job.id in ended:
                            continue
                        if job.done():
                            ended[job.id] = now
                            started.setdefault(job.id, now)
                        elif job.state != "waiting" and job.id not in started:
                            started[job.id] = now
                    time.sleep(0.05)  # often enough for wall times, rarely enough to cost nothing
                for row, job in submitted:
                    stages = _stages(job, t0, started[job.id], ended[job.id])
                    if cluster is None:
                        # Threads of one process: its CPU clock counts every clip running beside this one.
                        stages.cpu_s = float("nan")
                    _set(row, settings, stages)
            wall_s = time.perf_counter() - t0
            cpu_s = time.process_time() - cpu0_s
        if cluster is not None:
            cpu_s = sum((r.naive if settings is NAIVE else r.fast).cpu_s for r in rows)
        return wall_s, memory.peak_mb, cpu_s
    finally:
        if cluster is None:
            jobs.stop_local_workers()
        else:
            jobs.configure(None)


def _set(row: ClipRow, settings: DecodeSettings | None, stages: Stages) -> None:
    if settings is NAIVE:
        row.naive = stages
    else:
        row.fast = stages


# --- report -------------------------------------------------------------------------------------


def _f(x: float, width: int = 6) -> str:
    return f"{x:{width}.1f}" if x == x else " " * (width - 1) + "-"


def _print_table(rows: list[ClipRow]) -> None:
    head = f"{'clip':<34} {'dur s':>5}  {'':6} {'frames':>6} {'decode':>6} {'pose':>6} {'anal.':>6} {'draw':>6} " \
           f"{'checks':>6} {'wait':>6} {'wall':>6} {'cpu':>6}  (seconds)"
    print(head)
    for r in rows:
        for label, s in (("app", r.fast), ("naive", r.naive)):
            name = r.path.name if label == "app" else ""
            dur = f"{r.duration_s:5.1f}" if label == "app" else " " * 5
            line = (f"{name:<34} {dur}  {label:<6} {s.n_frames:6d} {_f(s.decode_s)} {_f(s.pose_s)} {_f(s.analysis_s)} "
                    f"{_f(s.drawing_s)} {_f(s.checks_s)} {_f(s.wait_s)} {_f(s.wall_s)} {_f(s.cpu_s)}")
            print(line + (f"  refused: {s.error}" if s.error else ""))


def scaling(rows: list[ClipRow], counts: list[int], total_s: float, embedded_cpu_s: float) -> None:
    """Throughput through a real broker with 1, 2, 4 ... worker processes, and per added machine on paper."""
    from gait.service.cluster import LocalCluster, redis_server_path

    if redis_server_path() is None:
        print("scaling: skipped, redis-server is not installed (apt-get install redis-server)")
        return
    cores = os.cpu_count() or 1
    print()
    print(f"{'worker processes':>16} {'wall s':>7} {'video s/s':>9} {'x one':>6} {'cpu s':>6} {'load':>5}")
    base = None
    per_clip_cpu: list[float] = []
    for n in counts:
        load = os.getloadavg()[0]
        with LocalCluster(n) as cluster:
            time.sleep(3.0)  # the workers load their models in the background after they start
            wall_s, _, cpu_s = run_pool(rows, n, None, one_by_one=False, timeout_s=1800.0, cluster=cluster)
        per_clip_cpu += [r.fast.cpu_s for r in rows]
        throughput = total_s / wall_s
        base = base or throughput
        print(f"{n:>16d} {wall_s:>7.1f} {throughput:>9.2f} {throughput / base:>6.2f} {cpu_s:>6.1f} {load:>5.2f}")
    cpu_per_video_s = sum(per_clip_cpu) / (total_s * len(counts))
    mb_per_video_s = sum(r.path.stat().st_size for r in rows) / 1e6 / total_s
    machine = cores / cpu_per_video_s
    print(f"on paper: a clip costs {cpu_per_video_s:.2f} CPU s per second of video (measured in the worker "
          f"processes above; embedded {embedded_cpu_s / total_s:.2f}), so each added {cores}-core worker machine "
          f"adds up to {machine:.1f} s of video analysed per second: n machines give n x that (ratio (n+1)/n per "
          f"added machine) until the broker's network is full: {mb_per_video_s:.1f} MB per second of video "
          f"travel through it, {machine * mb_per_video_s:.0f} MB/s per machine.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gait.bench", description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="*", type=Path, help="clips to time (default: the three 10 s takes)")
    parser.add_argument("--speed", choices=[s.value for s in Speed], default=Speed.WALK.value,
                        help="take for the CLIPS given (default walk)")
    parser.add_argument("--clips-dir", type=Path, default=DEFAULT_CLIPS_DIR,
                        help=f"where generated clips are kept and reused (default {DEFAULT_CLIPS_DIR})")
    parser.add_argument("--make-clips", action="store_true", help="only write the three takes and the 4K clip")
    parser.add_argument("--4k", dest="with_4k", action="store_true",
                        help="also analyse the 30 s 4K 60 fps HEVC clip alone, for the memory peak")
    parser.add_argument("--workers", type=int, default=None,
                        help="embedded worker threads for the app's way (default: as the app, SPRINGCHECK_WORKERS "
                             "or one more than the cores)")
    parser.add_argument("--processes", default="",
                        help="also time the clips through a real redis-server and N separate worker processes, "
                             "for each N in this comma-separated list (e.g. 1,2,4)")
    parser.add_argument("--skip-naive", action="store_true", help="only the app's way (no ratio)")
    parser.add_argument("--write-clip", nargs=2, metavar=("RECIPE", "DST"), help=argparse.SUPPRESS)  # child process
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    if args.write_clip:
        write_clip(RECIPES[args.write_clip[0]], Path(args.write_clip[1]))
        return 0
    if not (CLIPS_DIR / LOOP_SOURCE).is_file() and (args.make_clips or not args.clips):
        raise SystemExit(f"{CLIPS_DIR / LOOP_SOURCE} is missing: it is the source of the benchmark clips.")
    if args.make_clips:
        ensure_clips((*THREE_TAKES, CLIP_4K), args.clips_dir)
        return 0

    if args.clips:
        rows = [ClipRow(p, Speed(args.speed), 0.0) for p in args.clips]
    else:
        paths = ensure_clips(THREE_TAKES, args.clips_dir)
        rows = [ClipRow(p, r.speed, 0.0) for p, r in zip(paths, THREE_TAKES)]
    usable = []
    for row in rows:
        try:
            row.duration_s = probe(row.path).duration_s
            usable.append(row)
        except GaitError as err:
            print(f"skipped {row.path.name}: {err.user_message}")
    rows = usable
    if not rows:
        return 2
    from gait.service.jobs import default_workers

    n_workers = args.workers or default_workers()
    total_s = sum(r.duration_s for r in rows)

    model_ms = pose_model_ms(rows[0].path)
    load_before = os.getloadavg()[0]
    wall_s, peak_mb, run_cpu_s = run_pool(rows, n_workers, None, one_by_one=False, timeout_s=1800.0)
    load_after = os.getloadavg()[0]
    naive_s, naive_peak_mb = float("nan"), float("nan")
    if not args.skip_naive:
        naive_s, naive_peak_mb, _ = run_pool(rows, 1, NAIVE, one_by_one=True, timeout_s=3600.0)

    print()
    _print_table(rows)
    print(f"app way: {len(rows)} clips at once in the embedded engine, {n_workers} worker thread(s): {wall_s:.1f} s "
          f"for {total_s:.1f} s of video = {wall_s / total_s:.2f} of their duration; peak RSS {peak_mb:.0f} MB")
    cpu_s = run_cpu_s
    cores = os.cpu_count() or 1
    print(f"app way used {cpu_s:.1f} CPU s: {cpu_s / total_s:.2f} of the duration on one core, "
          f"{cpu_s / cores / total_s:.2f} if spread perfectly over {cores} cores; load average "
          f"{load_before:.2f} before the run, {load_after:.2f} after (other work on the machine slows both ways)")
    posed = sum(r.fast.n_frames for r in rows)
    floor_s = posed * model_ms / 1000.0
    print(f"this machine ({cpu_name() or 'processor unknown'}, {cores} cores): the pose model alone costs "
          f"{model_ms:.1f} CPU ms a frame, so the {posed} frames posed need {floor_s:.1f} CPU s at least: "
          f"{floor_s / cores / total_s:.2f} of the duration over {cores} cores is as fast as any run can be here")
    for r in rows:
        print(f"landing viewer, {r.path.name}: {r.fast.viewer or r.fast.error}")
    print(f"naive way: one after another, full resolution, every frame: {naive_s:.1f} s = "
          f"{naive_s / total_s:.2f} of their duration; peak RSS {naive_peak_mb:.0f} MB "
          f"(gain {naive_s / wall_s:.1f}x)")
    if args.processes:
        scaling(rows, [int(n) for n in args.processes.split(",") if n.strip()], total_s, cpu_s)
    if args.with_4k:
        row = ClipRow(ensure_clips((CLIP_4K,), args.clips_dir)[0], CLIP_4K.speed, CLIP_4K.duration_s)
        k_wall_s, k_peak_mb, _ = run_pool([row], n_workers, None, one_by_one=True, timeout_s=1800.0)
        if not args.skip_naive:
            k_naive_s, k_naive_mb, _ = run_pool([row], 1, NAIVE, one_by_one=True, timeout_s=7200.0)
        else:
            k_naive_s = k_naive_mb = float("nan")
        _print_table([row])
        print(f"4K: {row.duration_s:.0f} s 3840x2160 60 fps HEVC in {k_wall_s:.1f} s, peak RSS {k_peak_mb:.0f} MB "
              f"(naive: {k_naive_s:.1f} s, peak RSS {k_naive_mb:.0f} MB)")
        peak_mb = max(peak_mb, k_peak_mb)
    print(f"analysis_over_duration={wall_s / total_s:.2f} naive_over_duration={naive_s / total_s:.2f} "
          f"peak_rss_mb={peak_mb:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
