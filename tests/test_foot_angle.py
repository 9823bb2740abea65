"""Known answers for the foot-pixel angle: a pinhole camera over a floor, and a model foot of set angle."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gait.analysis.foot_angle import (FloorView, FootPixels, fit_foot, floor_view_from_contacts, foot_points, model_mask,
                             pixel_foot_angles, place_foot, walking_heading)
from gait.names import Side

FOCAL_PX = 1507.0
CENTRE = (540.0, 960.0)
FOOT_LEGS = 0.27


def _floor_angle_deg(view: FloorView, heel_px: np.ndarray, toe_px: np.ndarray, side: Side) -> float:
    heel, toe = view.to_floor(heel_px), view.to_floor(toe_px)
    d = toe - heel
    # Walking toward the camera: forward = -distance; a left foot's outside is +x (picture right).
    out = 1.0 if side is Side.L else -1.0
    return math.degrees(math.atan2(out * d[0], -d[1]))


@pytest.mark.parametrize("height_legs", [0.35, 0.6, 1.1])
@pytest.mark.parametrize("lateral_legs", [-1.0, 0.0, 0.8])
@pytest.mark.parametrize("pitch_deg", [-3.0, 0.0, 5.0])
@pytest.mark.parametrize("fpa_deg", [-15.0, 0.0, 12.0, 25.0])
def test_back_projection_gives_the_floor_angle_back(height_legs, lateral_legs, pitch_deg, fpa_deg):
    """A foot line on the floor, projected and back-projected, keeps its angle, wherever it stands."""
    view = FloorView(FOCAL_PX, CENTRE, pitch_deg, height_legs)
    for side in Side:
        heel_floor = np.array([lateral_legs, 5.0])
        pts = place_foot(np.array([[0.0, 0.0, 0.0], [FOOT_LEGS, 0.0, 0.0]]), FOOT_LEGS,
                         heel_floor, 0.0, fpa_deg, side)
        heel_px, toe_px = view.project(pts)
        assert _floor_angle_deg(view, heel_px, toe_px, side) == pytest.approx(fpa_deg, abs=1e-6)


def test_project_and_to_floor_are_inverse_and_horizon_is_where_pitch_puts_it():
    view = FloorView(FOCAL_PX, CENTRE, 4.0, 0.5, roll_deg=2.0)
    floor = np.array([[0.3, 3.0], [-1.0, 8.0], [0.0, 20.0]])
    px = view.project(np.stack([floor[:, 0], np.zeros(3), floor[:, 1]], axis=1))
    np.testing.assert_allclose(view.to_floor(px), floor, atol=1e-9)
    far = FloorView(FOCAL_PX, CENTRE, 4.0, 0.5).project(np.array([0.0, 0.0, 1e7]))
    assert far[1] == pytest.approx(view.horizon_row_px, abs=0.1)


def test_above_the_horizon_is_not_on_the_floor():
    view = FloorView(FOCAL_PX, CENTRE, 0.0, 0.5)
    assert np.all(np.isnan(view.to_floor(np.array([500.0, 900.0]))))


@pytest.mark.parametrize("pitch_deg,height_legs", [(0.0, 0.35), (3.0, 0.6), (-4.0, 1.0)])
def test_floor_view_from_contacts_recovers_pitch_and_height(pitch_deg, height_legs):
    """Contacts at 3-9 leg lengths: their rows and leg sizes give the horizon and the camera height."""
    true = FloorView(FOCAL_PX, CENTRE, pitch_deg, height_legs)
    dist = np.linspace(3.0, 9.0, 8)
    rows = true.project(np.stack([np.zeros(8), np.zeros(8), dist], axis=1))[:, 1]
    # A leg of 1 leg length standing at that distance (top and bottom projected).
    tops = true.project(np.stack([np.zeros(8), np.ones(8), dist], axis=1))[:, 1]
    found = floor_view_from_contacts(rows, rows - tops, FOCAL_PX, CENTRE)
    assert found is not None
    assert found.pitch_deg == pytest.approx(pitch_deg, abs=0.5)
    assert found.camera_height_legs == pytest.approx(height_legs, rel=0.05)


def test_floor_view_needs_contacts_at_several_distances():
    assert floor_view_from_contacts(np.array([1000.0, 1001.0, 999.0]), np.array([300.0, 301.0, 299.0]),
                                    FOCAL_PX, CENTRE) is None
    assert floor_view_from_contacts(np.array([]), np.array([]), FOCAL_PX, CENTRE) is None


def test_walking_heading_of_a_path_at_an_angle():
    view = FloorView(FOCAL_PX, CENTRE, 0.0, 0.6)
    yaw = math.radians(10.0)
    dist = np.linspace(8.0, 3.0, 6)
    x = 0.2 + (8.0 - dist) * math.tan(yaw)  # drifting toward the picture's right while approaching
    px = view.project(np.stack([x, np.zeros(6), dist], axis=1))
    assert math.degrees(walking_heading(view, px)) == pytest.approx(10.0, abs=1e-6)


@pytest.mark.parametrize("height_legs,lateral_legs", [(0.35, 0.0), (0.7, 0.0), (0.7, -0.6), (1.1, 0.5)])
@pytest.mark.parametrize("fpa_deg", [-10.0, 5.0, 20.0])
def test_model_foot_fit_finds_a_rendered_model_foot(height_legs, lateral_legs, fpa_deg):
    """The outline of the model foot at a known angle (and a slightly wrong start position) is fitted back."""
    view = FloorView(FOCAL_PX, CENTRE, 1.0, height_legs)
    ankle = np.array([lateral_legs, 4.0])
    origin = view.project(np.array([lateral_legs, 0.0, 4.0])) - 80.0
    seen, _ = model_mask(view, (160, 160), origin, FOOT_LEGS, ankle, 0.0, fpa_deg, Side.L)
    fit = fit_foot(view, seen, origin, FOOT_LEGS, ankle + np.array([0.02, 0.04]), 0.0, Side.L)
    assert fit.fpa_deg == pytest.approx(fpa_deg, abs=2.5)
    assert fit.score > 0.9


def test_foot_points_shape():
    foot, shin = foot_points(FOOT_LEGS)
    assert foot.shape[1] == 3 and shin.shape[1] == 3
    assert foot[:, 0].max() == pytest.approx(FOOT_LEGS)


def test_no_pixels_means_no_angle():
    assert pixel_foot_angles(FootPixels(), None, [], False) == []


def test_overlap_counted_in_the_models_box_equals_the_whole_crop_iou():
    """The fit's fast overlap (drawn and counted in each model's own box) gives exactly the IoU of
    whole-crop masks from ``model_mask``, also for models partly outside the crop and noisy outlines."""
    from gait.analysis.foot_angle import _model_overlaps

    rng = np.random.default_rng(3)
    for trial in range(12):
        view = FloorView(FOCAL_PX, CENTRE, rng.uniform(-3, 8), rng.uniform(0.3, 1.0))
        ankle = np.array([rng.uniform(-0.4, 0.4), rng.uniform(3.0, 8.0)])
        side = Side.L if trial % 2 else Side.R
        size, scale = int(rng.integers(40, 200)), float(rng.choice([1.0, 0.6]))
        origin = view.project(np.array([ankle[0], 0.0, ankle[1]])) - size / scale / 2 + rng.uniform(-25, 25, 2)
        seen, _ = model_mask(view, (size, size), origin, FOOT_LEGS, ankle, 0.0, rng.uniform(-15, 25), side, scale)
        seen = seen.astype(bool) | (rng.random((size, size)) < 0.05)
        ankles = ankle + rng.uniform(-0.1, 0.1, (6, 2))
        for fpa in (-30.0, 0.0, 40.0):
            fast = _model_overlaps(view, seen, origin, FOOT_LEGS, ankles, 0.05, fpa, side, scale)
            for a, got in zip(ankles, fast):
                mask, cut = model_mask(view, seen.shape, origin, FOOT_LEGS, a, 0.05, fpa, side, scale)
                m, s = mask[max(cut, 0):].astype(bool), seen[max(cut, 0):]
                union = np.count_nonzero(m | s)
                assert got == (np.count_nonzero(m & s) / union if union else 0.0)


def test_picture_box_finds_pillarbox_bars_but_not_a_dark_wall():
    from gait.analysis.foot_angle import camera_of_box, picture_box_px

    rng = np.random.default_rng(0)
    scene = rng.integers(40, 220, (1080, 1920, 3), dtype=np.uint8)
    pillarboxed = scene.copy()
    pillarboxed[:, :656] = 0
    pillarboxed[:, 1264:] = 3  # near-black, as an encoder leaves it
    assert picture_box_px([pillarboxed]) == (656, 0, 1264, 1080)
    # The lens spans the picture: a 608 px wide portrait picture has the focal length of a portrait frame.
    assert camera_of_box((656, 0, 1264, 1080))[0] == pytest.approx(camera_of_box((0, 0, 608, 1080))[0])
    assert camera_of_box((656, 0, 1264, 1080))[1] == (960.0, 540.0)
    dark_wall = scene.copy()
    dark_wall[:, :500] = 10  # one dark side of the room
    assert picture_box_px([dark_wall]) == (0, 0, 1920, 1080)
    assert picture_box_px([scene]) == (0, 0, 1920, 1080)
