"""The landing viewer: frames kept in the one decode pass, the controls, the physio clip and key frames."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import av
import cv2
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from gait.analysis.events import Stance
from gait.analysis.frames import LandingFrames, LegFrameStore, landing_frames, landing_windows
from gait.analysis.video import DecodeStats, Frame, iter_frames, probe
from gait.names import Side
from gait.output import viewer
from tests import clips

FPS = 240
SIZE_PX = (320, 240)


def _level(i: int) -> int:
    """Grey level of frame ``i`` of the synthetic clip: neighbours differ by 7 (JPEG and H.264 keep it)."""
    return 20 + (7 * i) % 210


def _legs_xy() -> np.ndarray:
    """A standing person's landmarks (33, 3), 0-1 of the picture: legs in the middle."""
    xy = np.full((33, 3), 0.5)
    for idx, (x, y) in {23: (0.42, 0.30), 24: (0.58, 0.30), 25: (0.42, 0.50), 26: (0.58, 0.50),
                        27: (0.42, 0.70), 28: (0.58, 0.70), 29: (0.41, 0.72), 30: (0.59, 0.72),
                        31: (0.40, 0.78), 32: (0.60, 0.78)}.items():
        xy[idx, :2] = (x, y)
    return xy


def _step(foot: Side, contact_s: float, toe_off_s: float | None, angle_deg: float = 5.0) -> SimpleNamespace:
    return SimpleNamespace(stance=Stance(foot, contact_s, toe_off_s, 0, 0), foot_angle_deg=angle_deg)


def _track(duration_s: float, size_px: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    grid = np.arange(0.0, duration_s, 1 / 30)
    return grid, np.repeat((_legs_xy()[None, :, :2] * np.array(size_px)), grid.size, axis=0)


@pytest.fixture(scope="module")
def clip_240(tmp_path_factory) -> Path:
    """2.2 s at 240 frames/s, every frame a different grey (so a repeated or skipped frame shows)."""
    dst = tmp_path_factory.mktemp("viewer") / "grey_240.mp4"
    frames = ((i / FPS, np.full((SIZE_PX[1], SIZE_PX[0], 3), _level(i), np.uint8)) for i in range(int(2.2 * FPS)))
    return clips.write_clip(dst, frames, time_base=Fraction(1, FPS), rate=FPS, codec_options={"crf": "4"})


def test_240fps_kept_frames_are_the_real_consecutive_frames_around_contact(clip_240):
    info = probe(clip_240)
    stats = DecodeStats()
    store = LegFrameStore()
    n_sampled = 0
    for frame in iter_frames(clip_240, info, stats=stats, every_frame=True):
        store.see(frame, _legs_xy())
        n_sampled += 1
    # One pass: every frame decoded once (each one a reference: none left out, so the viewer needs no
    # second look), the pose model's share sampled at 30 Hz.
    assert stats.decoded_frames == int(2.2 * FPS) and not stats.restarted and not stats.frames_left_out
    assert n_sampled == pytest.approx(2.2 * 30, abs=2)
    grid, image_px = _track(2.2, info_size := (info.width_px, info.height_px))
    contact_s, toe_off_s = 0.800, 1.200
    landing = landing_frames(store, grid, image_px, [_step(Side.L, contact_s, toe_off_s)], {Side.L: 5.0})
    assert landing is not None and len(landing.steps) == 1
    step = landing.steps[0]
    times = np.array([f.time_s for f in landing.frames[step.first_idx: step.last_idx + 1]])
    # Every frame from 150 ms before contact to lift-off, 1/240 s = 4.17 ms apart.
    assert np.allclose(np.diff(times) * 1000.0, 1000.0 / FPS, atol=0.1)
    assert contact_s - 0.150 - 1e-4 <= times[0] < contact_s - 0.150 + 1 / FPS
    assert abs(times[-1] - toe_off_s) < 1 / FPS
    assert step.n_frames == pytest.approx((0.150 + toe_off_s - contact_s) * FPS, abs=2)
    assert landing.frame_rate_hz == pytest.approx(FPS, rel=0.01)
    assert abs(landing.frames[step.contact_idx].time_s - contact_s) <= 0.5 / FPS
    assert step.toe_off_idx == step.last_idx
    # Each kept picture is the frame of its own time (grey level), not a neighbour or a repeat.
    for f in landing.frames[step.first_idx: step.last_idx + 1]:
        crop = cv2.imdecode(np.frombuffer(f.jpeg, np.uint8), cv2.IMREAD_GRAYSCALE)
        centre = crop[crop.shape[0] // 4: 3 * crop.shape[0] // 4, crop.shape[1] // 4: 3 * crop.shape[1] // 4]
        assert abs(float(np.median(centre)) - _level(round(f.time_s * FPS))) <= 3, f.time_s
    # Only the pose model's frames are "posed"; the others' skeleton is interpolated.
    posed = [f.posed for f in landing.frames[step.first_idx: step.last_idx + 1]]
    assert 0 < sum(posed) <= len(posed) / 6
    assert info_size == SIZE_PX


@pytest.fixture(scope="module")
def droppable_grey_120(tmp_path_factory) -> Path:
    """5 s of slow motion at 120 frames/s, 3 droppable frames after each reference one (as phones make
    slow motion), every frame a different grey; one key frame a second, so windows are reached by seeking."""
    dst = tmp_path_factory.mktemp("viewer") / "grey_droppable_120.mp4"
    frames = ((i / 120, np.full((SIZE_PX[1], SIZE_PX[0], 3), _level(i), np.uint8)) for i in range(5 * 120))
    params = "bframes=3:b-pyramid=0:b-adapt=0:keyint=120:min-keyint=120:scenecut=0:log-level=error"
    return clips.write_clip(dst, frames, codec="libx265", time_base=Fraction(1, 120), rate=120,
                            codec_options={"crf": "4", "x265-params": params}, encoder_picks_types=True)


def _store_after_the_pass(path: Path) -> tuple[LegFrameStore, object, DecodeStats]:
    """The landing viewer's store as the pose pass leaves it: every decoded frame's legs."""
    info = probe(path)
    stats = DecodeStats()
    store = LegFrameStore()
    for frame in iter_frames(path, info, stats=stats, every_frame=True):
        store.see(frame, _legs_xy())
    return store, info, stats


def test_slow_motion_landings_get_every_frame_though_the_pass_skipped_droppable_ones(droppable_grey_120):
    import functools

    from gait.analysis.video import iter_window_planes

    path = droppable_grey_120
    store, info, stats = _store_after_the_pass(path)
    # The pose pass decoded only the reference frames (1 in 4).
    assert stats.frames_left_out and not stats.restarted and stats.decoded_frames <= 0.3 * 5 * 120
    store.source = functools.partial(iter_window_planes, path, info, first_time_s=stats.first_time_s)
    grid, image_px = _track(5.0, (info.width_px, info.height_px))
    contacts = ((Side.L, 0.80, 1.10), (Side.R, 1.20, 1.50), (Side.L, 3.55, 3.90))  # the last one a seek away
    landing = landing_frames(store, grid, image_px, [_step(f, c, t) for f, c, t in contacts],
                             {Side.L: 5.0, Side.R: 5.0})
    assert landing is not None and len(landing.steps) == 3 and landing.frame_rate_hz == pytest.approx(120, rel=0.01)
    for step, (_, contact_s, toe_off_s) in zip(landing.steps, contacts):
        frames = landing.frames[step.first_idx: step.last_idx + 1]
        times = np.array([f.time_s for f in frames])
        assert np.allclose(np.diff(times), 1 / 120, atol=1e-4)  # every frame, none twice
        assert contact_s - 0.150 - 1e-4 <= times[0] < contact_s - 0.150 + 1 / 120
        assert abs(times[-1] - toe_off_s) < 1 / 120
        for f in frames:  # each picture is the frame of its own time
            crop = cv2.imdecode(np.frombuffer(f.jpeg, np.uint8), cv2.IMREAD_GRAYSCALE)
            centre = crop[crop.shape[0] // 4: 3 * crop.shape[0] // 4, crop.shape[1] // 4: 3 * crop.shape[1] // 4]
            assert abs(float(np.median(centre)) - _level(round(f.time_s * 120))) <= 3, f.time_s
    # Frames outside the windows were never decoded for the viewer.
    assert len(store.crops) < stats.decoded_frames + 3 * 60


def _synthetic_frames(duration_s: float = 3.0, rate_hz: float = 60.0) -> list[Frame]:
    """Frames as ``iter_frames(every_frame=True)`` hands them out: 30 Hz sampled, the rest in between."""
    frames, between = [], []
    step = int(rate_hz // 30)
    for i in range(int(duration_s * rate_hz)):
        rgb = np.full((SIZE_PX[1], SIZE_PX[0], 3), _level(i), np.uint8)
        cv2.putText(rgb, str(i), (120, 130), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (255, 255, 255), 2)
        if i % step:
            between.append((i / rate_hz, rgb))
            continue
        frames.append(Frame(time_s=i / rate_hz, rgb=rgb, source_idx=i, between=tuple(between)))
        between = []
    return frames


def synthetic_landing(contacts: tuple[tuple[Side, float, float | None], ...] = (
        (Side.L, 0.5, 1.0), (Side.R, 1.0, 1.5), (Side.L, 1.5, 2.0), (Side.R, 2.0, 2.5)),
        max_bytes: float | None = None, store_max_bytes: float | None = None) -> LandingFrames | None:
    store = LegFrameStore(max_bytes=store_max_bytes)
    for frame in _synthetic_frames():
        store.see(frame, _legs_xy())
    grid, image_px = _track(3.0, SIZE_PX)
    steps = [_step(foot, c, t, angle_deg=5.0 + k) for k, (foot, c, t) in enumerate(contacts)]
    return landing_frames(store, grid, image_px, steps, {Side.L: 7.0, Side.R: 8.0}, max_bytes=max_bytes)


def test_windows_typical_steps_and_bytes():
    landing = synthetic_landing()
    assert landing is not None and len(landing.steps) == 4
    # Angles 5, 6, 7, 8 deg in turn; medians 7 (left) and 8 (right): the steps nearest them.
    assert landing.typical(Side.L).contact_s == 1.5 and landing.typical(Side.R).contact_s == 2.0
    for s in landing.steps:
        assert landing.frames[s.first_idx].time_s == pytest.approx(s.contact_s - 0.15, abs=1 / 60)
        assert s.first_idx <= s.contact_idx < s.toe_off_idx == s.last_idx
    assert landing.n_bytes == sum(len(f.jpeg) for f in landing.frames)
    assert landing.n_bytes < 6e6
    # Nothing of the frames goes into the JSON summary.
    summary = json.dumps(landing.to_dict())
    assert len(summary) < 400 and landing.to_dict()["frames"] == len(landing.frames)


def test_byte_budget_keeps_the_typical_steps_first():
    full = synthetic_landing()
    typical = [full.typical(Side.L), full.typical(Side.R)]
    both = {k for s in typical for k in range(s.first_idx, s.last_idx + 1)}
    budget = sum(len(full.frames[k].jpeg) for k in both)
    small = synthetic_landing(max_bytes=budget)
    # Exactly the two typical landings fit; every other step needs frames beyond the budget.
    assert small is not None and small.n_bytes <= budget
    assert [s.contact_s for s in small.steps] == sorted(s.contact_s for s in typical)
    assert small.steps_left_out == 2 and all(s.typical for s in small.steps)
    left = typical[0]
    left_only = synthetic_landing(max_bytes=sum(len(f.jpeg) for f in full.frames[left.first_idx: left.last_idx + 1]))
    assert [s.contact_s for s in left_only.steps] == [left.contact_s]  # the left one alone still fits
    assert synthetic_landing(max_bytes=1000) is None  # not even one landing: no viewer


def test_rolling_store_is_bounded_and_drops_the_oldest():
    store = LegFrameStore(max_bytes=200_000)
    for frame in _synthetic_frames():
        store.see(frame, _legs_xy())
    assert store.n_bytes <= 200_000 and store.dropped > 0
    assert store.crops[0].time_s > 0  # the oldest went first
    # A step whose start was dropped is not shown (its window would begin after contact).
    grid, image_px = _track(3.0, SIZE_PX)
    landing = landing_frames(store, grid, image_px, [_step(Side.L, 0.2, 0.7)], {Side.L: 5.0})
    assert landing is None


def test_no_steps_no_person_no_viewer():
    assert synthetic_landing(contacts=()) is None
    store = LegFrameStore()
    for frame in _synthetic_frames(1.0):
        store.see(frame, None)  # nobody seen: nothing kept
    assert len(store.crops) == 0


def test_pipeline_gives_no_viewer_without_usable_steps():
    from gait.pipeline import analyze_track
    from gait.names import Speed
    from tests.synthetic import Walker, fake_info, make_track

    w = Walker(duration_s=2.5)
    raw = make_track(w)
    store = LegFrameStore()
    for frame in _synthetic_frames(2.5):
        store.see(frame, _legs_xy())
    # The same walk, refused as not a usable clip (e.g. a blocking problem): no steps, no viewer.
    result = analyze_track(raw, fake_info(w), Speed.WALK, leg_frames=store)
    if result.quality.usable and result.steps:
        pytest.fail("a 2.5 s synthetic walk was expected to be too short for findings")
    assert result.viewer is None


def test_drawn_frame_marks_contact_and_lift_off_and_shows_time():
    landing = synthetic_landing()
    step = landing.steps[1]
    plain = viewer.draw_frame(landing, step, step.contact_idx + 1)
    contact = viewer.draw_frame(landing, step, step.contact_idx)
    lift = viewer.draw_frame(landing, step, step.toe_off_idx)
    h, w = contact.shape[:2]
    assert (h, w) == (int(landing.crop_size_px[1] * viewer.ZOOM), int(landing.crop_size_px[0] * viewer.ZOOM))
    # Green border on contact, red on lift-off, none between.
    edge = (slice(0, 3), slice(w // 3, 2 * w // 3))
    assert contact[edge][..., 1].mean() > 150 and contact[edge][..., 0].mean() < 100
    assert lift[edge][..., 0].mean() > 150 and lift[edge][..., 1].mean() < 100
    assert not (plain[edge][..., 1].mean() > 150 and plain[edge][..., 0].mean() < 100)
    assert viewer.time_from_contact_ms(landing, step, step.contact_idx) == pytest.approx(0.0, abs=1000 / 120)
    # The overlay hook draws on every frame (for knee valgus and pelvic drop).
    calls = []
    viewer.draw_frame(landing, step, step.contact_idx, overlays=[lambda img, pts, ctx: calls.append(ctx)])
    assert calls and calls[0].step == step and calls[0].time_from_contact_ms == pytest.approx(0.0, abs=9)


def test_exported_clip_decodes_with_every_frame():
    landing = synthetic_landing()
    first, last = viewer.pair_offsets(landing)
    data = viewer.export_mp4(landing)
    assert data and data[4:8] == b"ftyp"
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264" and stream.codec_context.pix_fmt == "yuv420p"
        n = sum(1 for _ in container.decode(stream))
        assert float(stream.average_rate) == pytest.approx(landing.frame_rate_hz / viewer.SLOW_FACTOR, rel=0.02)
    assert n == last - first + 1
    # The fallback: an animated WebP with the same frames.
    from PIL import Image

    webp = Image.open(io.BytesIO(viewer.export_webp(landing)))
    assert webp.format == "WEBP" and webp.n_frames == last - first + 1


def test_key_frames_show_both_feet():
    landing = synthetic_landing()
    img = cv2.imdecode(np.frombuffer(viewer.key_frames_jpeg(landing), np.uint8), cv2.IMREAD_COLOR)
    w, h = landing.crop_size_px
    assert img.shape[0] == 2 * h + 4 and img.shape[1] == 4 * w + 3 * 4
    only_left = synthetic_landing(contacts=((Side.L, 0.5, 1.0),))
    assert viewer.typical_pair(only_left) is None and viewer.export_mp4(only_left) is None
    one_row = cv2.imdecode(np.frombuffer(viewer.key_frames_jpeg(only_left), np.uint8), cv2.IMREAD_COLOR)
    assert one_row.shape[0] == h


# --- the controls (AppTest) ----------------------------------------------------------------------


def _viewer_script() -> None:
    import streamlit as st

    from pages.landing_viewer import landing_viewer

    landing_viewer("walk", st.session_state.get("test.landing"))


def _app(landing: LandingFrames | None) -> AppTest:
    at = AppTest.from_function(_viewer_script, default_timeout=30)
    at.session_state["test.landing"] = landing
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _caption(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "from contact" in m.value)


def test_controls_next_and_previous_frame():
    landing = synthetic_landing()
    at = _app(landing)
    step = landing.steps[at.session_state["viewer.walk.step"]]
    assert step.typical and step.foot is Side.L  # opens on the typical left landing, at contact
    assert at.session_state["viewer.walk.frame"] == step.contact_idx - step.first_idx
    assert "**contact**" in _caption(at)
    at.button(key="viewer.walk.next_frame").click().run()
    assert at.session_state["viewer.walk.frame"] == step.contact_idx - step.first_idx + 1
    assert "+17 ms" in _caption(at)  # 60 frames/s
    at.button(key="viewer.walk.prev_frame").click().run()
    at.button(key="viewer.walk.prev_frame").click().run()
    assert at.session_state["viewer.walk.frame"] == step.contact_idx - step.first_idx - 1
    assert "-17 ms" in _caption(at)


def test_slider_bounds_and_disabled_ends():
    landing = synthetic_landing()
    at = _app(landing)
    step = landing.steps[at.session_state["viewer.walk.step"]]
    slider = at.select_slider[0]
    assert list(slider.options) == [str(k) for k in range(step.n_frames)] or len(slider.options) == step.n_frames
    slider.set_value(step.n_frames - 1).run()
    assert at.button(key="viewer.walk.next_frame").disabled
    assert "**lift-off**" in _caption(at)
    at.button(key="viewer.walk.next_frame").click().run()
    assert at.session_state["viewer.walk.frame"] == step.n_frames - 1  # never past lift-off
    at.select_slider[0].set_value(0).run()
    assert at.button(key="viewer.walk.prev_frame").disabled
    assert "-150 ms" in _caption(at)


def test_controls_next_and_previous_step():
    landing = synthetic_landing()
    at = _app(landing)
    i = at.session_state["viewer.walk.step"]
    at.button(key="viewer.walk.next_step").click().run()
    assert at.session_state["viewer.walk.step"] == i + 1
    new = landing.steps[i + 1]
    assert at.session_state["viewer.walk.frame"] == new.contact_idx - new.first_idx  # opens at contact
    assert at.button(key="viewer.walk.next_step").disabled  # the last step
    for _ in range(len(landing.steps)):
        at.button(key="viewer.walk.prev_step").click().run()
    assert at.session_state["viewer.walk.step"] == 0
    assert at.button(key="viewer.walk.prev_step").disabled
    # The picker lists the typical left and right landings first.
    labels = list(at.selectbox[0].options)  # as shown
    assert labels[0].startswith("Typical left") and labels[1].startswith("Typical right")


def test_pair_slider_and_physio_download():
    landing = synthetic_landing()
    at = _app(landing)
    first, last = viewer.pair_offsets(landing)
    pair = at.select_slider[1]
    assert len(pair.options) == last - first + 1
    assert any("Left and right together" in s.value for s in at.subheader)
    assert len(at.get("download_button")) == 1


def test_no_landings_no_viewer():
    at = _app(None)
    assert not at.subheader and not at.button and not at.select_slider
    at = _app(synthetic_landing(contacts=()))
    assert not at.subheader and not at.button


@pytest.mark.slow
def test_results_page_shows_the_viewer_only_for_usable_clips(walk_result):
    def results(a):
        at = AppTest.from_file("streamlit_app.py", default_timeout=60)
        at.session_state["analysis.results"] = {"walk": a}
        at.session_state["analysis.errors"] = {}
        at.session_state["analysis.hash"] = {}
        at.run()
        at.switch_page("pages/results.py")
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    assert walk_result.viewer is not None and len(walk_result.viewer.steps) == len(walk_result.steps)
    at = results(walk_result)
    assert any("frame by frame" in s.value for s in at.subheader)
    at.button(key="viewer.walk.next_frame").click().run()
    assert not at.exception
    refused = replace(walk_result, quality=replace(walk_result.quality, usable=False), findings=(), steps=(),
                      viewer=None)
    at = results(refused)
    assert not any("frame by frame" in s.value for s in at.subheader)


def test_pdf_embeds_the_key_frames_of_each_usable_clip():
    from pypdf import PdfReader

    from gait.output.compare import bundle
    from gait.output.report import key_frames_of, make_pdf
    from tests.test_compare import result

    landing = synthetic_landing()
    analyses = {"walk": SimpleNamespace(viewer=landing, quality=SimpleNamespace(usable=True)),
                "run": SimpleNamespace(viewer=landing, quality=SimpleNamespace(usable=False)),
                "fast_walk": SimpleNamespace(viewer=None, quality=SimpleNamespace(usable=True))}
    frames = key_frames_of(analyses)
    assert list(frames) == ["walk"]  # an unusable clip or one without landings gives none

    def images(pdf: bytes) -> list[tuple[int, int]]:
        return [im.image.size for page in PdfReader(io.BytesIO(pdf)).pages for im in page.images]

    doc = bundle([result("walk", 112.0)])
    without, with_frames = make_pdf(doc), make_pdf(doc, key_frames=frames)
    w, h = landing.crop_size_px
    assert (4 * w + 12, 2 * h + 4) in images(with_frames) and (4 * w + 12, 2 * h + 4) not in images(without)
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(with_frames)).pages)
    assert "Frame by frame" in " ".join(text.split())


@pytest.mark.parametrize("rotation_deg", [0, 90, 180, 270])
def test_planes_crop_matches_the_upright_frame(rotation_deg):
    """A crop of the undecoded-to-RGB planes is the same picture as the crop of the upright RGB frame."""
    from gait.analysis.video import Planes, _upright

    rng = np.random.default_rng(rotation_deg)
    stored = cv2.GaussianBlur(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8), (7, 7), 0)
    frame = av.VideoFrame.from_ndarray(stored, format="rgb24").reformat(format="yuv420p")
    planes = Planes(frame.to_ndarray(format="yuv420p"), rotation_deg)
    upright = _upright(frame.to_ndarray(format="rgb24"), rotation_deg)
    assert planes.upright_size_px == (upright.shape[1], upright.shape[0])
    rgb, (x0, y0) = planes.crop_rgb(13, 21, 71, 87)
    assert x0 <= 13 and y0 <= 21 and x0 + rgb.shape[1] >= 71 and y0 + rgb.shape[0] >= 87
    expected = upright[y0: y0 + rgb.shape[0], x0: x0 + rgb.shape[1]].astype(int)
    assert rgb.shape == expected.shape
    assert np.abs(rgb.astype(int) - expected).mean() < 3.0  # the same pixels, up to colour rounding


@pytest.mark.parametrize("ahead", ["none", "same", "first_only", "wider"])
def test_landings_decoded_ahead_are_the_same_frames_and_never_decoded_twice(droppable_grey_120, ahead):
    from gait.analysis.video import iter_window_planes

    path = droppable_grey_120
    store, info, stats = _store_after_the_pass(path)
    decoded: list[float] = []
    threads: set[str] = set()

    def source(windows_s):
        import threading

        for time_s, planes in iter_window_planes(path, info, windows_s, first_time_s=stats.first_time_s):
            decoded.append(time_s)
            threads.add(threading.current_thread().name)
            yield time_s, planes

    store.source = source
    grid, image_px = _track(5.0, (info.width_px, info.height_px))
    steps = [_step(f, c, t) for f, c, t in ((Side.L, 0.80, 1.10), (Side.R, 1.20, 1.50), (Side.L, 3.55, 3.90))]
    windows = landing_windows([m.stance for m in steps])
    if ahead == "same":
        store.fill_ahead(windows)
    elif ahead == "first_only":  # the steps measured later reach past what was decoded ahead
        store.fill_ahead(windows[:1])
    elif ahead == "wider":
        store.fill_ahead([(lo - 0.1, hi + 0.1) for lo, hi in windows])
    landing = landing_frames(store, grid, image_px, steps, {Side.L: 5.0, Side.R: 5.0})
    assert landing is not None and len(landing.steps) == 3
    # Nothing decoded twice, but for the frame where the windows were cut (two halves decoded at once,
    # or the part decoded ahead and the rest).
    assert len(decoded) - len(set(np.round(decoded, 5))) <= (0 if ahead == "none" else 1)
    # 1.35 s of windows in all: decoded ahead in two threads at once, or by the caller.
    assert len(threads) == {"none": 1, "same": 2, "first_only": 2, "wider": 2}[ahead]
    for step, (lo, hi) in zip(landing.steps, windows):
        times = np.array([f.time_s for f in landing.frames[step.first_idx: step.last_idx + 1]])
        assert np.allclose(np.diff(times), 1 / 120, atol=1e-4)
        assert lo - 1e-4 <= times[0] < lo + 1 / 120 and abs(times[-1] - hi) < 1 / 120
        for f in landing.frames[step.first_idx: step.last_idx + 1]:
            crop = cv2.imdecode(np.frombuffer(f.jpeg, np.uint8), cv2.IMREAD_GRAYSCALE)
            assert abs(float(np.median(crop)) - _level(round(f.time_s * 120))) < 6


def test_a_slow_motion_clip_gone_before_its_landings_are_decoded_keeps_the_pass_frames(droppable_grey_120, tmp_path):
    import functools
    import shutil

    from gait.analysis.video import iter_window_planes

    path = tmp_path / "gone.mp4"
    shutil.copy(droppable_grey_120, path)
    store, info, stats = _store_after_the_pass(path)
    store.source = functools.partial(iter_window_planes, path, info, first_time_s=stats.first_time_s)
    path.unlink()  # the upload deleted (or unreadable) before the steps were known
    grid, image_px = _track(5.0, (info.width_px, info.height_px))
    landing = landing_frames(store, grid, image_px, [_step(Side.L, 0.80, 1.10)], {Side.L: 5.0})
    assert landing is not None and len(landing.steps) == 1
    times = np.array([f.time_s for f in landing.frames])
    assert np.allclose(np.diff(times), 1 / 30, atol=1e-3)  # the frames the pose model saw, no more


def test_landing_pictures_come_from_the_posed_crops_and_land_on_the_same_pixels():
    """Pictures are drawn on the pass's posed leg crops: a mark at a known frame pixel shows at the
    place the Thumb's box and scale put it, only posed frames count, and each keeps its time."""
    from gait.output.draw import decode_jpeg, thumbs_of_crops

    store = LegFrameStore()
    mark_px = np.array([0.42 * SIZE_PX[0], 0.70 * SIZE_PX[1]])  # the left ankle of _legs_xy
    for k, frame in enumerate(_synthetic_frames(duration_s=1.0)):
        rgb = frame.rgb.copy()
        cv2.circle(rgb, (int(mark_px[0]), int(mark_px[1])), 4, (255, 0, 0), -1)
        store.see(replace(frame, rgb=rgb), None if k == 7 else _legs_xy())
    thumbs = thumbs_of_crops(store)
    posed = [c for c in store.crops if c.posed]
    assert len(thumbs) == len(posed) == 29  # 30 sampled frames, one without a pose; no in-between frames
    assert [t.time_s for t in thumbs] == [c.time_s for c in posed]
    for thumb in thumbs[::7]:
        img = decode_jpeg(thumb.jpeg)
        x, y = ((mark_px - np.array(thumb.box_px[:2])) * thumb.scale).round().astype(int)
        assert img[y, x, 0] > 200 and img[y, x, 2] < 80  # red, not the grey around it
        w, h = ((np.array(thumb.box_px[2:]) - np.array(thumb.box_px[:2])) * thumb.scale).round()
        assert (w, h) == (img.shape[1], img.shape[0])


def test_a_picture_shows_its_own_moment_or_none():
    """Thumbs missing for a stretch (a very long clip's rolling store dropped it): no frame from another moment."""
    from gait.output.draw import Thumb, nearest_thumb

    thumbs = [Thumb(time_s=t, jpeg=b"x", box_px=(0.0, 0.0, 10.0, 10.0), scale=1.0)
              for t in list(np.arange(0.0, 1.0, 1 / 30)) + list(np.arange(3.0, 4.0, 1 / 30))]
    assert nearest_thumb(thumbs, 0.51).time_s == pytest.approx(0.5, abs=1 / 60)
    assert nearest_thumb(thumbs, 3.02).time_s == pytest.approx(3.033, abs=1 / 60)
    assert nearest_thumb(thumbs, 2.0) is None and nearest_thumb(thumbs, 1.2) is None
    assert nearest_thumb([], 0.5) is None
