"""Benchmark: how long an analysis takes against the clip's own length, and how much memory it needs.

``python -m gait.bench [CLIPS...] [--speed walk]``

Default clips: those in ``../shared/clips/`` that walk toward the camera, plus a
generated 10 s 1080p 60 fps clip (the socks clip looped, written in a child
process so its encoder does not count toward our memory peak).

Per clip it prints:
- decode ms/frame: ``iter_frames`` alone at analysis settings (<= 30 Hz, long side 960 px);
- pose ms/frame: time inside ``MediaPipePose.process`` during ``track_pose`` over those frames;
- analysis/duration: wall time of ``pipeline.analyze`` (warm model) over the clip's duration;
- naive/duration: decode + pose only, but at full resolution and every frame, over the duration;
- peak RSS (``ru_maxrss``) after the clip's analysis, in MB.

The last line sums over all clips (total wall time / total duration) and gives the
peak RSS of the analysis passes, which run before any naive pass:
``analysis_over_duration=<x> naive_over_duration=<y> peak_rss_mb=<z>``.
"""

from __future__ import annotations

import argparse
import logging
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from gait.errors import GaitError
from gait.names import Speed
from gait.pose import FramePose, MediaPipePose, track_pose
from gait.video import iter_frames, probe

CLIPS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "clips"
TOWARD_CAMERA_GLOB = "walk_toward_camera_*"
LOOP_SOURCE = "walk_toward_camera_socks.mp4"
LOOP_DURATION_S = 10.0
LOOP_FPS = 60  # the 59 fps source played 1.7 % fast: the timing load, not the walk, is what is measured


class TimedPose:
    """A pose estimator that adds up the time spent inside the wrapped model."""

    def __init__(self, inner: MediaPipePose) -> None:
        self.inner = inner
        self.total_s = 0.0
        self.n_frames = 0

    def process(self, rgb: np.ndarray) -> FramePose | None:
        t0 = time.perf_counter()
        try:
            return self.inner.process(rgb)
        finally:
            self.total_s += time.perf_counter() - t0
            self.n_frames += 1

    def reset(self) -> None:
        self.inner.reset()


@dataclass
class ClipResult:
    name: str
    duration_s: float
    n_frames: int = 0
    decode_ms_per_frame: float = float("nan")
    pose_ms_per_frame: float = float("nan")
    analysis_s: float = float("nan")
    peak_rss_mb: float = float("nan")
    naive_n_frames: int = 0
    naive_s: float = float("nan")


def peak_rss_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def bench_analysis(path: Path, speed: Speed, estimator: MediaPipePose) -> ClipResult:
    from gait.pipeline import analyze  # the pipeline imports drawing code; keep --make-loop light

    info = probe(path)
    result = ClipResult(name=path.name, duration_s=info.duration_s)

    t0 = time.perf_counter()
    n = sum(1 for _ in iter_frames(path, info))
    result.decode_ms_per_frame = 1000.0 * (time.perf_counter() - t0) / max(n, 1)

    estimator.reset()
    timed = TimedPose(estimator)
    track_pose(iter_frames(path, info), timed)
    result.n_frames = timed.n_frames
    result.pose_ms_per_frame = 1000.0 * timed.total_s / max(timed.n_frames, 1)

    estimator.reset()  # a fresh tracker, built before the clock starts, like the app's warm pool
    t0 = time.perf_counter()
    analyze(path, speed, estimator=estimator)
    result.analysis_s = time.perf_counter() - t0
    result.peak_rss_mb = peak_rss_mb()
    return result


def bench_naive(path: Path, result: ClipResult, estimator: MediaPipePose) -> None:
    """Decode + pose on every frame at full size: what the pipeline would cost without its limits."""
    info = probe(path)
    estimator.reset()
    frames = iter_frames(path, info, rate_hz=info.nominal_fps, long_side_px=max(info.width_px, info.height_px))
    t0 = time.perf_counter()
    track = track_pose(frames, estimator)
    result.naive_s = time.perf_counter() - t0
    result.naive_n_frames = track.n_frames


def make_loop_clip(dst: Path, duration_s: float = LOOP_DURATION_S, fps: int = LOOP_FPS) -> Path:
    """Loop the socks clip into a ``duration_s`` H.264 clip at ``fps``, 1920x1080, timestamps k/fps."""
    import av

    src = CLIPS_DIR / LOOP_SOURCE
    n_out = int(round(duration_s * fps))
    time_base = Fraction(1, fps)
    with av.open(str(dst), "w") as out:
        stream = out.add_stream("libx264", rate=fps, options={"preset": "ultrafast", "crf": "20"})
        stream.width, stream.height, stream.pix_fmt = 1920, 1080, "yuv420p"
        stream.codec_context.time_base = time_base
        k = 0
        while k < n_out:
            with av.open(str(src)) as container:
                for frame in container.decode(container.streams.video[0]):
                    if k >= n_out:
                        break
                    frame = frame.reformat(width=1920, height=1080, format="yuv420p")
                    frame.pts, frame.time_base = k, time_base
                    for packet in stream.encode(frame):
                        out.mux(packet)
                    k += 1
        for packet in stream.encode(None):
            out.mux(packet)
    return dst


def default_clips() -> list[Path]:
    if not CLIPS_DIR.is_dir():
        raise SystemExit(f"No clips given and {CLIPS_DIR} does not exist.")
    return sorted(CLIPS_DIR.glob(TOWARD_CAMERA_GLOB))


def _row(r: ClipResult) -> str:
    return (f"{r.name:<44} {r.duration_s:5.1f} s  frames {r.n_frames:4d}  "
            f"decode {r.decode_ms_per_frame:6.1f} ms/frame  pose {r.pose_ms_per_frame:6.1f} ms/frame  "
            f"analysis/duration {r.analysis_s / r.duration_s:5.2f}  "
            f"naive/duration {r.naive_s / r.duration_s:5.2f} ({r.naive_n_frames} frames)  "
            f"peak RSS {r.peak_rss_mb:6.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gait.bench", description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="*", type=Path,
                        help="clips to time (default: the toward-camera clips and a 10 s loop)")
    parser.add_argument("--speed", choices=[s.value for s in Speed], default=Speed.WALK.value)
    parser.add_argument("--make-loop", type=Path, help=argparse.SUPPRESS)  # used by the child process
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    if args.make_loop:
        make_loop_clip(args.make_loop)
        return 0

    with tempfile.TemporaryDirectory(prefix="springcheck_bench_") as tmp:
        clips = list(args.clips)
        if not clips:
            clips = default_clips()
            loop = Path(tmp) / f"loop_{LOOP_DURATION_S:.0f}s_1080p{LOOP_FPS}.mp4"
            t0 = time.perf_counter()
            # A child process, so the encoder's memory does not count toward our peak.
            subprocess.run([sys.executable, "-m", "gait.bench", "--make-loop", str(loop)], check=True,
                           cwd=Path(__file__).resolve().parents[1])
            print(f"made {loop.name} in {time.perf_counter() - t0:.1f} s")
            clips.append(loop)

        speed = Speed(args.speed)
        estimator = MediaPipePose()  # one model, reset before each pass (as the app's pool does)
        done: list[tuple[Path, ClipResult]] = []
        for path in clips:
            try:
                done.append((path, bench_analysis(path, speed, estimator)))
            except GaitError as err:
                print(f"skipped {path.name}: {err.user_message}")
                continue
            print(f"analysed {path.name}", flush=True)
        if not done:
            return 2
        analysis_peak_mb = peak_rss_mb()
        for path, result in done:
            bench_naive(path, result, estimator)
            print(f"naive pass {path.name}", flush=True)
        results = [result for _, result in done]

    print()
    for r in results:
        print(_row(r))
    total_s = sum(r.duration_s for r in results)
    print(f"naive passes raised peak RSS to {peak_rss_mb():.0f} MB")
    print(f"analysis_over_duration={sum(r.analysis_s for r in results) / total_s:.2f} "
          f"naive_over_duration={sum(r.naive_s for r in results) / total_s:.2f} "
          f"peak_rss_mb={analysis_peak_mb:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
