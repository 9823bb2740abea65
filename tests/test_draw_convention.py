"""The landing pictures show what was measured: the floor diagram's foot line is at the number's angle.

Convention under test (gait.output.draw): the floor seen from above, the runner walking up the
page, their left foot on the page's left; + = toe out, so the left foot's toe turns to the page's
left and the right foot's to the page's right; 0 = straight ahead.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from gait.names import LEG, Side
from gait.output.draw import (Thumb, angle_words, drawn_angle_deg, floor_diagram, floor_diagram_png,
                              floor_diagram_rgb, landing_picture)

ANGLES_DEG = (-20.0, -7.0, 0.0, 7.0, 19.0, 40.0)


def _outward_sign(foot: Side) -> float:
    """Page x direction of the foot's outside, written out here independently of the drawer."""
    return -1.0 if foot is Side.L else 1.0


@pytest.mark.parametrize("foot", list(Side))
@pytest.mark.parametrize("angle_deg", ANGLES_DEG)
def test_geometry_gives_back_the_angle(foot, angle_deg):
    d = floor_diagram(angle_deg, foot)
    assert drawn_angle_deg(d) == pytest.approx(angle_deg, abs=1e-6)
    dx, dy = d.toe_px[0] - d.heel_px[0], d.toe_px[1] - d.heel_px[1]
    assert dy < 0, "the foot points up the page (the walking direction)"
    if angle_deg > 0:  # toe out: toward the foot's outside
        assert np.sign(dx) == _outward_sign(foot)
    elif angle_deg < 0:  # toe in: toward the middle
        assert np.sign(dx) == -_outward_sign(foot)
    else:
        assert abs(dx) < 1e-6
    # Everything stays inside the panel, also at wide angles.
    for x, y in (d.heel_px, d.toe_px, d.ahead_px):
        assert 0 <= x <= d.width_px and 0 <= y <= d.height_px


def _ink_direction_deg(rgb: np.ndarray, foot: Side) -> float:
    """The foot angle read from the drawn pixels: the dark heel-to-toe line between the words."""
    h = rgb.shape[0]
    band = rgb[int(0.2 * h): int(0.84 * h)]
    ys, xs = np.nonzero(np.all(band < 70, axis=2))
    assert xs.size > 50, "no heel-to-toe line drawn"
    pts = np.stack([xs, ys], axis=1).astype(float)
    centre = pts.mean(axis=0)
    _, _, vt = np.linalg.svd(pts - centre, full_matrices=False)
    d = vt[0] if vt[0][1] < 0 else -vt[0]  # point up the page
    return math.degrees(math.atan2(_outward_sign(foot) * d[0], -d[1]))


@pytest.mark.parametrize("foot", list(Side))
@pytest.mark.parametrize("angle_deg", (-15.0, 7.0, 19.0, 35.0))
def test_pixels_show_the_angle(foot, angle_deg):
    rgb = floor_diagram_rgb(floor_diagram(angle_deg, foot, height_px=420))
    assert _ink_direction_deg(rgb, foot) == pytest.approx(angle_deg, abs=2.5)


def test_left_and_right_are_mirror_images():
    h = 420
    for angle in (-10.0, 12.0, 30.0):
        left = np.all(floor_diagram_rgb(floor_diagram(angle, Side.L, h)) < 70, axis=2)[int(0.2 * h): int(0.84 * h)]
        right = np.all(floor_diagram_rgb(floor_diagram(angle, Side.R, h)) < 70, axis=2)[int(0.2 * h): int(0.84 * h)]
        mirrored = left[:, ::-1]
        overlap = np.logical_and(mirrored, right).sum() / max(1, np.logical_or(mirrored, right).sum())
        assert overlap > 0.6, angle


def test_label_words_match_the_number():
    assert angle_words(7.0) == "7\u00b0 toe-out"
    assert angle_words(-4.4) == "4\u00b0 toe-in"
    assert angle_words(0.3) == "0\u00b0"
    png = floor_diagram_png(12.0, Side.L)
    assert png.startswith(b"\x89PNG")


def _thumb(w: int = 240, h: int = 320) -> tuple[Thumb, np.ndarray]:
    img = np.full((h, w, 3), 90, np.uint8)
    ok, buf = cv2.imencode(".jpg", img)
    assert ok
    pts = np.full((33, 2), np.nan)
    for side, x in ((Side.L, 160.0), (Side.R, 80.0)):
        leg = LEG[side]
        pts[leg.hip] = (x, 100)
        pts[leg.knee] = (x, 200)
        pts[leg.ankle] = (x, 290)
        pts[leg.heel] = (x, 300)
        pts[leg.toe] = (x + 40, 295)  # a model toe pointing sideways: must not be drawn as a direction
    return Thumb(time_s=0.0, jpeg=buf.tobytes(), box_px=(0, 0, w, h), scale=1.0), pts


def test_landing_picture_draws_a_direction_only_when_given_one():
    thumb, pts = _thumb()
    bare = cv2.imdecode(np.frombuffer(landing_picture(thumb, pts, Side.L, size_px=300), np.uint8), 1)
    with_angle = cv2.imdecode(np.frombuffer(landing_picture(thumb, pts, Side.L, size_px=300, angle_deg=7.0),
                                            np.uint8), 1)
    assert bare.shape[0] == with_angle.shape[0] == 300
    # The diagram is added beside the photo; without an angle there is none.
    diagram_w = floor_diagram(7.0, Side.L, 300).width_px
    assert with_angle.shape[1] - bare.shape[1] >= diagram_w
    # The photo part shows no yellow heel-to-toe arrow (the model's foot points sideways here).
    hsv = cv2.cvtColor(bare, cv2.COLOR_BGR2HSV)
    yellow = (hsv[..., 0] > 20) & (hsv[..., 0] < 35) & (hsv[..., 1] > 150) & (hsv[..., 2] > 150)
    assert yellow.sum() == 0
