"""Video in: real timestamps, sampling at most 30 Hz, rotation, and 4K kept small. No pose model here."""

from __future__ import annotations

import itertools
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from gait.thresholds import value
from gait.analysis.video import DecodeStats, VideoInfo, iter_frames, prefetched, probe, turned
from tests import clips
from tests.clips import PORTRAIT_HEVC, SOCKS, TREADMILL_SIDE, real_clip

SOCKS_DURATION_S = 3.8  # clips README: 59 fps, 3.8 s
TIME_TOLERANCE_S = 0.1
SAMPLING_SLACK_S = 0.0025  # iter_frames allows 2 ms so a 29.97 fps clip is not thinned against a 30 Hz grid


@pytest.fixture(scope="module")
def derived_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "derived_clips"


def _times(path: Path, info: VideoInfo | None = None) -> np.ndarray:
    info = info or probe(path)
    return np.array([frame.time_s for frame in iter_frames(path, info)])


def _container_times(path: Path) -> np.ndarray:
    return np.array([t for t, _ in clips.decoded_frames(path)])


# --- probe ---------------------------------------------------------------------------------------


def test_probe_reads_the_socks_clip_facts():
    info = probe(real_clip(SOCKS))
    assert (info.width_px, info.height_px, info.rotation_deg) == (1920, 1080, 0)
    assert info.nominal_fps == pytest.approx(59.0, abs=0.1)
    assert info.duration_s == pytest.approx(SOCKS_DURATION_S, abs=TIME_TOLERANCE_S)
    assert info.analysis_window_s == info.duration_s and not info.truncated_window


# --- timestamps ----------------------------------------------------------------------------------


def test_socks_timestamps_are_strictly_increasing_and_real():
    times = _times(real_clip(SOCKS))
    assert times[0] == 0.0
    assert np.all(np.diff(times) > 0)
    assert times[-1] == pytest.approx(SOCKS_DURATION_S, abs=TIME_TOLERANCE_S)


def test_frame_times_are_the_containers_own(derived_dir):
    """On a variable-frame-rate clip, index / fps would be wrong: each analysed time must be a real pts."""
    path = clips.write_variable_rate(real_clip(SOCKS), derived_dir / "socks_variable_rate.mp4")
    real = _container_times(path)
    assert np.ptp(np.diff(real)) > 0.01, "the derived clip should really have irregular frame intervals"
    times = _times(path)
    nearest = np.abs(times[:, None] - real[None, :]).min(axis=1)
    assert nearest.max() < 1e-6
    assert times[-1] == pytest.approx(SOCKS_DURATION_S, abs=TIME_TOLERANCE_S)


def test_slow_motion_240fps_keeps_real_time(derived_dir):
    path = clips.write_slow_motion(real_clip(SOCKS), derived_dir / "socks_slow_motion_240.mp4")
    info = probe(path)
    assert info.nominal_fps == pytest.approx(240.0, rel=0.01)
    assert info.duration_s == pytest.approx(SOCKS_DURATION_S, abs=TIME_TOLERANCE_S)
    times = _times(path, info)
    assert times[-1] == pytest.approx(SOCKS_DURATION_S, abs=TIME_TOLERANCE_S)


# --- sampling at most 30 Hz, without dropping what is there --------------------------------------


def _assert_sampled_at_most(times: np.ndarray, rate_hz: float, source_fps: float, duration_s: float) -> None:
    """At most ``rate_hz`` on average and in any second, never bunched, and not thinned more than needed.

    iter_frames keeps a fixed time grid, so from a 59 fps clip it takes mostly every second frame
    and, about once a second, two neighbours (1/59 s apart) to stay on the 30 Hz grid.
    """
    assert (len(times) - 1) / (times[-1] - times[0]) <= rate_hz * 1.01
    per_second = np.searchsorted(times, times + 1.0, side="left") - np.arange(len(times))
    assert per_second.max() <= rate_hz + 1
    assert np.diff(times).min() >= 0.5 / rate_hz - SAMPLING_SLACK_S
    expected = duration_s * min(rate_hz, source_fps)
    assert len(times) >= 0.9 * expected


@pytest.mark.parametrize("name", [SOCKS, TREADMILL_SIDE])
def test_real_clips_are_sampled_at_most_30hz(name):
    path = real_clip(name)
    info = probe(path)
    _assert_sampled_at_most(_times(path, info), value("analysis_rate_hz"), info.nominal_fps, info.duration_s)


def test_slow_motion_240fps_is_sampled_at_most_30hz(derived_dir):
    path = clips.write_slow_motion(real_clip(SOCKS), derived_dir / "socks_slow_motion_240.mp4")
    info = probe(path)
    times = _times(path, info)
    _assert_sampled_at_most(times, value("analysis_rate_hz"), info.nominal_fps, info.duration_s)
    assert len(times) <= info.duration_s * value("analysis_rate_hz") + 2


def test_explicit_rate_is_honoured():
    path = real_clip(SOCKS)
    info = probe(path)
    times = np.array([f.time_s for f in iter_frames(path, info, rate_hz=10.0)])
    _assert_sampled_at_most(times, 10.0, info.nominal_fps, info.duration_s)


# --- rotation -----------------------------------------------------------------------------------


def test_portrait_hevc_probe_reports_rotation_and_upright_size():
    info = probe(real_clip(PORTRAIT_HEVC))
    assert info.codec == "hevc"
    assert info.rotation_deg in (90, 270)
    assert (info.width_px, info.height_px) == (608, 1080)
    assert info.height_px > info.width_px
    with av.open(str(real_clip(PORTRAIT_HEVC))) as container:  # stored sideways
        stored = container.streams.video[0].codec_context
        assert (stored.width, stored.height) == (1080, 608)


def test_portrait_hevc_frames_come_out_upright():
    path = real_clip(PORTRAIT_HEVC)
    info = probe(path)
    frames = list(iter_frames(path, info))
    assert frames
    assert all(f.rgb.shape[0] > f.rgb.shape[1] for f in frames)
    assert max(frames[0].rgb.shape[:2]) <= value("analysis_long_side_px")


def _match_score(picture_gray: np.ndarray, template_gray: np.ndarray) -> float:
    return float(cv2.matchTemplate(picture_gray, np.ascontiguousarray(template_gray), cv2.TM_CCOEFF_NORMED).max())


def test_portrait_hevc_is_turned_the_right_way():
    """The upright portrait frame must match the socks clip's picture, not its upside-down or mirrored copy."""
    landscape = next(iter_frames(real_clip(SOCKS), probe(real_clip(SOCKS)))).rgb
    portrait = next(iter_frames(real_clip(PORTRAIT_HEVC), probe(real_clip(PORTRAIT_HEVC)))).rgb
    picture = cv2.cvtColor(landscape, cv2.COLOR_RGB2GRAY)
    template = cv2.cvtColor(portrait, cv2.COLOR_RGB2GRAY)
    height = picture.shape[0]
    width = int(round(template.shape[1] * height / template.shape[0]))
    template = cv2.resize(template, (width, height), interpolation=cv2.INTER_AREA)
    upright = _match_score(picture, template)
    wrong = {"upside_down": template[::-1, ::-1], "flipped_vertically": template[::-1],
             "mirrored": template[:, ::-1]}
    assert upright > 0.9
    for name, turned in wrong.items():
        assert upright > _match_score(picture, turned) + 0.3, name


# --- 4K HEVC stays small in memory ---------------------------------------------------------------


@pytest.fixture(scope="module")
def clip_4k(derived_dir) -> tuple[Path, str]:
    return clips.write_4k(real_clip(SOCKS), derived_dir / "socks_4k.mp4")


def test_4k_probe_reports_full_size(clip_4k):
    path, codec = clip_4k
    info = probe(path)
    assert (info.width_px, info.height_px) == (3840, 2160)
    assert info.codec == ("hevc" if codec == "libx265" else "h264")
    assert info.duration_s >= 2.5


def test_4k_frames_are_downscaled_for_pose(clip_4k):
    path, _ = clip_4k
    info = probe(path)
    n_frames = 0
    for frame in iter_frames(path, info):
        long_px = int(value("analysis_long_side_px"))
        assert max(frame.rgb.shape[:2]) <= long_px
        assert frame.rgb.shape == (round(long_px * 9 / 16), long_px, 3)  # 16:9 kept, 3840 -> the analysis size
        n_frames += 1
    assert n_frames >= 20


# --- slow motion: droppable frames are not decoded, timing stays real ------------------------------


@pytest.fixture(scope="module")
def droppable_120(derived_dir) -> Path:
    """120 fps HEVC with 3 droppable frames after each reference frame (a reference every 1/30 s)."""
    return clips.write_droppable_slow_motion(real_clip(SOCKS), derived_dir / "socks_droppable_120.mp4", fps=120)


def test_slow_motion_skips_droppable_frames_and_keeps_real_times(droppable_120):
    info = probe(droppable_120)
    full, skipped = DecodeStats(), DecodeStats()
    all_times = np.array([f.time_s for f in iter_frames(droppable_120, info, skip_nonref=False, stats=full)])
    times = np.array([f.time_s for f in iter_frames(droppable_120, info, stats=skipped)])
    assert skipped.skipped_nonref and not skipped.restarted
    assert skipped.decoded_frames <= 0.3 * full.decoded_frames  # 1 in 4 frames decoded
    real = _container_times(droppable_120)
    assert np.abs(times[:, None] - real[None, :]).min(axis=1).max() < 1e-6  # every time a real pts
    _assert_sampled_at_most(times, value("analysis_rate_hz"), info.nominal_fps, info.duration_s)
    assert abs(len(times) - len(all_times)) <= 2
    # Each kept frame is at most one sampling step (plus the 2 ms slack) after its grid point.
    step_s = 1.0 / value("analysis_rate_hz")
    grid_s = np.arange(len(times)) * step_s
    assert np.all(times[: len(grid_s)] - grid_s[: len(times)] <= step_s + SAMPLING_SLACK_S + 1e-9)


def test_too_sparse_reference_frames_fall_back_to_decoding_every_frame(derived_dir):
    """60 fps with 3 droppable frames per reference leaves 15 fps: skipping would thin the 30 Hz sampling."""
    path = clips.write_droppable_slow_motion(real_clip(SOCKS), derived_dir / "socks_droppable_60.mp4", fps=60)
    info = probe(path)
    stats = DecodeStats()
    times = np.array([f.time_s for f in iter_frames(path, info, stats=stats)])
    assert stats.skipped_nonref and stats.restarted
    reference = np.array([f.time_s for f in iter_frames(path, info, skip_nonref=False)])
    np.testing.assert_array_equal(times, reference)


def test_clips_below_twice_the_sampling_rate_are_decoded_in_full():
    path = real_clip(TREADMILL_SIDE)
    info = probe(path)
    assert info.nominal_fps < 2 * value("analysis_rate_hz")
    stats = DecodeStats()
    n = sum(1 for _ in iter_frames(path, info, stats=stats))
    assert n > 0 and not stats.skipped_nonref


# --- turning a picture that has no rotation tag -----------------------------------------------------


def test_turned_info_swaps_sides_and_adds_rotation():
    info = probe(real_clip(PORTRAIT_HEVC))
    quarter = turned(info, 90)
    assert (quarter.width_px, quarter.height_px) == (info.height_px, info.width_px)
    assert quarter.rotation_deg == (info.rotation_deg + 90) % 360
    assert turned(info, 0) is info
    assert turned(turned(info, 180), 180) == info


@pytest.mark.parametrize(("turn", "extra_deg"), [(clips.upside_down, 180), (clips.quarter_turned, 270)])
def test_turned_clip_comes_out_like_the_upright_one(derived_dir, turn, extra_deg):
    """A picture turned without a tag, turned back by ``turned``, matches the original frame by frame."""
    src = real_clip(SOCKS)
    path = clips.write_transformed(src, derived_dir / f"socks_{turn.__name__}.mp4", turn)
    upright = [f.rgb for f in itertools.islice(iter_frames(src, probe(src)), 0, 60, 20)]
    back = [f.rgb for f in itertools.islice(iter_frames(path, turned(probe(path), extra_deg)), 0, 60, 20)]
    for a, b in zip(upright, back, strict=True):
        assert a.shape == b.shape
        assert np.abs(a.astype(int) - b.astype(int)).mean() < 4.0  # re-encoding noise only


# --- limits and the read-ahead thread ----------------------------------------------------------------


def test_decoding_stops_at_the_frame_cap(monkeypatch):
    """A file whose frames never advance in time must not be decoded for ever."""
    import gait.analysis.video as video

    monkeypatch.setattr(video, "_MAX_SOURCE_FPS", 10.0)  # cap = (window + 1 s) * 10 frames
    path = real_clip(SOCKS)
    info = probe(path)
    stats = DecodeStats()
    sum(1 for _ in iter_frames(path, info, stats=stats))
    assert stats.decoded_frames == int((info.analysis_window_s + 1.0) * 10.0) + 1


def test_prefetched_gives_the_same_frames_in_order():
    path = real_clip(SOCKS)
    info = probe(path)
    direct = [f.time_s for f in iter_frames(path, info)]
    ahead = [f.time_s for f in prefetched(iter_frames(path, info), depth_frames=3)]
    assert ahead == direct


def test_prefetched_raises_the_producers_error_in_the_consumer():
    def broken():
        yield from iter_frames(real_clip(SOCKS), probe(real_clip(SOCKS)))
        raise RuntimeError("decoder broke")

    with pytest.raises(RuntimeError, match="decoder broke"):
        for _ in prefetched(broken(), depth_frames=2):
            pass


def test_prefetched_stops_its_thread_when_the_consumer_stops():
    import threading

    before = {t.ident for t in threading.enumerate()}
    frames = prefetched(iter_frames(real_clip(SOCKS), probe(real_clip(SOCKS))), depth_frames=2)
    next(frames)
    frames.close()
    left = [t for t in threading.enumerate() if t.ident not in before and t.name == "springcheck-decode"]
    assert not [t for t in left if t.is_alive()]
