"""Did the phone move? The room behind the person, compared about a second apart (gait.analysis.scene)."""

from __future__ import annotations

from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from gait.analysis.foot_angle import _encode
from gait.analysis.scene import _SMALL_PX, _small_gray, background_change, phone_moved
from gait.thresholds import value
from tests.clips import AWAY_REAR, SOCKS, real_clip

W, H, RATE_HZ, SECONDS = 960, 540, 30.0, 4.0


def _room(seed: int = 0) -> np.ndarray:
    """A textured room (blotches of every size), bigger than the picture so it can be zoomed."""
    rng = np.random.default_rng(seed)
    noise = rng.uniform(0, 255, (H // 8, W // 8, 3)).astype(np.float32)
    return np.clip(cv2.resize(noise, (W, H), interpolation=cv2.INTER_CUBIC), 0, 255).astype(np.uint8)


def _person_track():
    """A person standing in the middle of the picture (their box is masked out)."""
    time_s = np.arange(0, SECONDS, 1 / RATE_HZ)
    pts = np.zeros((time_s.size, 33, 2))
    pts[:, :, 0] = np.linspace(430, 530, 33)
    pts[:, :, 1] = np.linspace(150, 450, 33)
    return SimpleNamespace(time_s=time_s, image_px=pts, frame_size_px=(W, H))


def _pixels(frame_at) -> SimpleNamespace:
    times = np.arange(0, SECONDS, 0.25)
    return SimpleNamespace(backgrounds=[(float(t), _encode(frame_at(t))) for t in times], full_size_px=(W, H))


def _zoomed(img: np.ndarray, scale: float) -> np.ndarray:
    m = cv2.getRotationMatrix2D((W / 2, H / 2), 0.0, scale)
    return cv2.warpAffine(img, m, (W, H), borderMode=cv2.BORDER_REFLECT)


def test_a_still_phone_and_a_shaking_hand_leave_the_room_put():
    room = _room()
    rng = np.random.default_rng(1)
    shake = {t: rng.integers(-3, 4, 2) for t in np.arange(0, SECONDS, 0.25)}
    pixels = _pixels(lambda t: np.roll(room, tuple(shake[t]), axis=(0, 1)))
    assert background_change(pixels, _person_track()) < value("scene_moved_level")
    assert phone_moved(pixels, _person_track()) is False


def test_a_phone_carried_backward_shrinks_the_room_around_the_person():
    room = _room()
    # Walking backward at ~1.3 m/s in front of a wall ~6 m away: the room shrinks ~20 % a second.
    pixels = _pixels(lambda t: _zoomed(room, 1.0 / (1.0 + 0.2 * t)))
    assert background_change(pixels, _person_track()) > value("scene_moved_level")
    assert phone_moved(pixels, _person_track()) is True


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (960, 540), (3840, 2160), (640, 360)])
def test_frames_shrunk_while_decoded_match_frames_decoded_whole_then_shrunk(size):
    w, h = size
    rng = np.random.default_rng(3)
    noise = rng.uniform(0, 255, (h // 16, w // 16, 3)).astype(np.float32)
    rgb = np.clip(cv2.resize(noise, (w, h), interpolation=cv2.INTER_CUBIC), 0, 255).astype(np.uint8)
    jpeg = _encode(rgb)
    got = _small_gray(jpeg, (w, h))
    k = _SMALL_PX / max(w, h)
    whole = cv2.cvtColor(cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2GRAY)
    want = cv2.resize(whole, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA).astype(np.float32)
    assert got.shape == want.shape
    assert np.median(np.abs(got - want)) < 1.0  # levels of 255; the check's bar is scene_moved_level (4)
    assert np.percentile(np.abs(got - want), 99) < 4.0


def test_a_plain_room_cannot_tell():
    plain = np.full((H, W, 3), 128, np.uint8)
    assert phone_moved(_pixels(lambda t: plain), _person_track()) is None
    assert phone_moved(None, _person_track()) is None


@pytest.mark.slow
@pytest.mark.parametrize(("name", "moved"), [(AWAY_REAR, True), (SOCKS, False)])
def test_real_clips_a_carried_phone_and_a_still_one(name, moved):
    from gait.analysis.identity import consistent_sides
    from gait.analysis.pose import MediaPipePose
    from gait.analysis.signal import clean
    from gait.analysis.video import DecodeSettings, probe
    from gait.pipeline import _pose_of_clip

    path = real_clip(name)
    raw, _, _, extra = _pose_of_clip(path, probe(path), MediaPipePose(), DecodeSettings(), None, False, {})
    assert phone_moved(extra.foot_pixels, clean(consistent_sides(raw))) is moved


def _treadmill_walk(room_at) -> object:
    """A synthetic walker stepping in place, facing the phone, with whole frames of ``room_at(t)``."""
    from gait.analysis.foot_angle import FootPixels
    from gait.names import Speed
    from gait.pipeline import analyze_track
    from tests.synthetic import Walker, fake_info, make_track

    walker = Walker(treadmill=True)
    info = fake_info(walker)
    pixels = FootPixels()
    pixels.full_size_px = (info.width_px, info.height_px)
    pixels.backgrounds = [(float(t), _encode(room_at(t, info.width_px, info.height_px)))
                          for t in np.arange(0, walker.duration_s, 0.25)]
    return analyze_track(make_track(walker), info, Speed.WALK, foot_pixels=pixels)


def _room_of(w: int, h: int) -> np.ndarray:
    noise = np.random.default_rng(3).uniform(0, 255, (h // 8, w // 8, 3)).astype(np.float32)
    return np.clip(cv2.resize(noise, (w, h), interpolation=cv2.INTER_CUBIC), 0, 255).astype(np.uint8)


def test_stepping_in_place_before_a_still_room_is_a_treadmill_and_before_a_moving_one_a_carried_phone():
    still = _treadmill_walk(lambda t, w, h: _room_of(w, h))
    assert still.quality.travel == "in_place"
    assert "camera_moving" not in {p.code for p in still.quality.problems}

    def receding(t, w, h):
        m = cv2.getRotationMatrix2D((w / 2, h / 2), 0.0, 1.0 / (1.0 + 0.2 * t))
        return cv2.warpAffine(_room_of(w, h), m, (w, h), borderMode=cv2.BORDER_REFLECT)

    carried = _treadmill_walk(receding)
    assert "camera_moving" in {p.code for p in carried.quality.problems}
    assert not carried.quality.usable
