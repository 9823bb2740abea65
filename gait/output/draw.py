"""Pictures: the landing frame with the legs' skeleton, and the measured foot angle drawn on the floor.

During the analysis only a JPEG crop around the legs is kept per frame (a few kB),
so memory stays small; the pictures are drawn afterwards for the steps that matter.

The foot angle is measured on the floor (``gait.analysis.foot_angle``), not along the pose
model's heel and toe points, which at knee height are a few pixels apart and point almost
anywhere. So the angle is never drawn on the photo: it is drawn beside it as the floor seen
from above (``floor_diagram``), in the number's own convention, so picture and words agree.

Floor diagram convention: seen from above, the runner walks up the page, their left foot on
the page's left. Foot angle + = toe out: the left foot's toe turns to the page's left, the
right foot's to the page's right; 0 = straight ahead (straight toward the camera).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from gait.names import LEG, Side
from gait.analysis.frames import LegFrameStore

# Skeleton segments (BlazePose indices) worth drawing for a runner: trunk and legs.
# The foot's own segments (ankle-heel-toe) are left out: at knee height the model's heel and toe are
# a few pixels apart and their line often points sideways or backwards, against the measured angle.
_SEGMENTS = ((11, 12), (11, 23), (12, 24), (23, 24), (23, 25), (25, 27), (24, 26), (26, 28))
_COLOUR = {Side.L: (66, 135, 245), Side.R: (245, 130, 48)}  # RGB: blue left, orange right


@dataclass(frozen=True)
class Thumb:
    """A JPEG crop around the legs in one frame and where it sits in the analysis frame."""

    time_s: float
    jpeg: bytes
    box_px: tuple[float, float, float, float]  # x0, y0, x1, y1 in the analysis frame (may reach beyond it)
    scale: float  # crop pixels per analysis-frame pixel


def thumbs_of_crops(store: LegFrameStore) -> list[Thumb]:
    """The pose pass's leg crops on the frames the pose model saw, as the pictures' source.

    The landing viewer keeps a crop around the legs of every frame anyway (full-resolution pixels,
    hips down, as the pictures show); drawing from them, not from a crop of the whole person
    compressed for every frame, saves ~1 ms of CPU a frame and shows the legs sharper.
    """
    return [Thumb(time_s=c.time_s, jpeg=c.jpeg, scale=c.scale,
                  box_px=(c.origin_px[0], c.origin_px[1], c.origin_px[0] + store.out_w / c.scale,
                          c.origin_px[1] + store.out_h / c.scale))
            for c in store.crops if c.posed]


_THUMB_WITHIN_S = 0.1  # a picture's frame is at most this far from the moment it shows (else none is drawn)


def nearest_thumb(thumbs: Sequence[Thumb], time_s: float) -> Thumb | None:
    """The thumb nearest ``time_s``, or None when none lies within ``_THUMB_WITHIN_S`` (the pass's
    rolling store dropped that stretch of a very long clip): a picture shows its own moment or nothing."""
    if not thumbs:
        return None
    best = min(thumbs, key=lambda t: abs(t.time_s - time_s))
    return best if abs(best.time_s - time_s) <= _THUMB_WITHIN_S else None


def decode_jpeg(data: bytes) -> np.ndarray:
    return cv2.cvtColor(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def landing_picture(thumb: Thumb, landmarks_px: np.ndarray, foot: Side, size_px: int = 420,
                    angle_deg: float | None = None) -> bytes:
    """PNG of a landing: the legs' skeleton on the frame, the landing foot ringed, and, when
    ``angle_deg`` is given (the foot angle shown in words, + = toe out), the floor diagram
    of that angle beside it (``floor_diagram``). With no angle, no direction is drawn at all.

    ``landmarks_px`` is (33, 2) in analysis-frame pixels; NaN points are skipped. The
    picture shows the body from the hips down, ``size_px`` tall.
    """
    img = decode_jpeg(thumb.jpeg)
    x0, y0 = thumb.box_px[0], thumb.box_px[1]
    pts = (landmarks_px - np.array([x0, y0])) * thumb.scale
    # Hips down, so the feet are large on a phone screen.
    legs = pts[23:33][np.isfinite(pts[23:33]).all(axis=1)]
    if legs.shape[0] >= 4:
        top = int(max(0, legs[:, 1].min() - 0.1 * (legs[:, 1].max() - legs[:, 1].min())))
        img, pts = img[top:], pts - np.array([0, top])
    zoom = size_px / img.shape[0]
    img = cv2.resize(img, (max(1, int(img.shape[1] * zoom)), size_px), interpolation=cv2.INTER_CUBIC)
    pts = pts * zoom
    thick = max(2, int(round(size_px / 150)))
    for a, b in _SEGMENTS:
        if not np.isfinite(pts[[a, b]]).all():
            continue
        side = Side.L if a % 2 == 1 and b % 2 == 1 else Side.R if a % 2 == 0 and b % 2 == 0 else None
        colour = _COLOUR[side] if side else (230, 230, 230)
        cv2.line(img, _pt(pts[a]), _pt(pts[b]), colour, thick, cv2.LINE_AA)
    # Which foot this is about: a ring around its ankle and heel, no direction implied.
    leg = LEG[foot]
    ring = pts[[leg.ankle, leg.heel]]
    ring = ring[np.isfinite(ring).all(axis=1)]
    if ring.shape[0]:
        cv2.circle(img, _pt(ring.mean(axis=0)), int(round(0.06 * size_px)), (0, 0, 0), thick + 2, cv2.LINE_AA)
        cv2.circle(img, _pt(ring.mean(axis=0)), int(round(0.06 * size_px)), _COLOUR[foot], thick, cv2.LINE_AA)
    if angle_deg is not None and np.isfinite(angle_deg):
        panel = floor_diagram_rgb(floor_diagram(angle_deg, foot, height_px=size_px))
        gap = np.full((size_px, max(2, size_px // 60), 3), 255, np.uint8)
        img = np.concatenate([img, gap, panel], axis=1)
    ok, buf = cv2.imencode(".png", cv2.cvtColor(img, cv2.COLOR_RGB2BGR))
    return buf.tobytes() if ok else b""


def step_picture(thumb: Thumb, landmarks_px: np.ndarray, foot: Side, size_px: int = 200) -> bytes:
    """PNG of one step for the step strip: the skeleton and the ringed foot, no direction drawn."""
    return landing_picture(thumb, landmarks_px, foot, size_px=size_px, angle_deg=None)


# ---- the floor seen from above ------------------------------------------------------------------

_FOOT_RGB = {Side.L: (43, 108, 176), Side.R: (221, 107, 32)}  # same blue/orange as the charts
_FOOT_FILL = {Side.L: (196, 216, 240), Side.R: (250, 214, 186)}
_STRAIGHT_RGB = (46, 160, 67)
_INK = (25, 25, 25)
_PAPER = (255, 255, 255)
_DIAGRAM_WIDTH_SHARE = 0.8  # panel width per panel height
_FOOT_LEN_SHARE = 0.42  # footprint length per panel height
_SUPERSAMPLE = 3  # drawn larger, then shrunk: smooth edges without an anti-aliasing polygon filler


@dataclass(frozen=True)
class FloorDiagram:
    """Where the floor diagram puts things, in panel pixels (x right, y down); see the module's convention."""

    foot: Side
    angle_deg: float  # + = toe out
    width_px: int
    height_px: int
    heel_px: tuple[float, float]
    toe_px: tuple[float, float]  # end of the heel-to-toe line (the foot's axis at ``angle_deg``)
    ahead_px: tuple[float, float]  # end of the dashed straight-ahead line from the heel
    straight_lo_deg: float  # the "straight" wedge, in the same convention
    straight_hi_deg: float


def _page_direction(angle_deg: float, foot: Side) -> np.ndarray:
    """Unit vector on the page (y down) of a foot at ``angle_deg`` (+ = toe out), walking up the page."""
    t = math.radians(angle_deg)
    outward = -1.0 if foot is Side.L else 1.0  # the left foot's outside is the page's left
    return np.array([outward * math.sin(t), -math.cos(t)])


def floor_diagram(angle_deg: float, foot: Side, height_px: int = 420) -> FloorDiagram:
    """The geometry of the floor diagram for a foot angle (+ = toe out, 0 = straight ahead)."""
    from gait.thresholds import value

    w, h = int(round(_DIAGRAM_WIDTH_SHARE * height_px)), int(height_px)
    d = _page_direction(angle_deg, foot)
    # The heel sits off-centre, away from where the toe points, so wide angles still fit.
    toe_side = 1.0 if d[0] > 0 else -1.0
    heel = np.array([w / 2 - toe_side * 0.14 * w, 0.80 * h])
    reach = 0.58 * h
    if abs(d[0]) > 1e-9:
        room = (w - 12.0 - heel[0]) if d[0] > 0 else (heel[0] - 12.0)
        reach = min(reach, room / abs(d[0]))
    toe = heel + d * reach
    ahead = heel + np.array([0.0, -0.62 * h])
    return FloorDiagram(foot=foot, angle_deg=float(angle_deg), width_px=w, height_px=h,
                        heel_px=(float(heel[0]), float(heel[1])), toe_px=(float(toe[0]), float(toe[1])),
                        ahead_px=(float(ahead[0]), float(ahead[1])),
                        straight_lo_deg=value("fpa_in_below_deg"), straight_hi_deg=value("fpa_out_above_deg"))


def drawn_angle_deg(diagram: FloorDiagram) -> float:
    """The foot angle the diagram shows, read back from its heel-to-toe line (+ = toe out)."""
    dx = diagram.toe_px[0] - diagram.heel_px[0]
    dy = diagram.toe_px[1] - diagram.heel_px[1]
    outward = -1.0 if diagram.foot is Side.L else 1.0
    return math.degrees(math.atan2(outward * dx, -dy))


def angle_words(angle_deg: float) -> str:
    """"7° toe-out", "4° toe-in", "0°": the angle as the diagram labels it (the toe's turn, not the
    category: 7° toe-out is still "straight")."""
    n = int(round(angle_deg))
    return f"{abs(n)}\u00b0 " + ("toe-out" if n > 0 else "toe-in") if n else "0\u00b0"


@functools.cache
def _font(size_px: int, bold: bool = False):  # noqa: ANN202 - a PIL font
    from PIL import ImageFont

    from gait.output.fonts import font_dir

    fonts = font_dir()
    if fonts is not None:
        return ImageFont.truetype(str(fonts / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size_px)
    return ImageFont.load_default(size=size_px)


def floor_diagram_rgb(diagram: FloorDiagram) -> np.ndarray:
    """The floor diagram as an RGB array (height_px, width_px, 3)."""
    from PIL import Image, ImageDraw

    k = _SUPERSAMPLE
    w, h = diagram.width_px * k, diagram.height_px * k
    img = Image.new("RGB", (w, h), _PAPER)
    heel = np.array(diagram.heel_px) * k
    foot = diagram.foot
    # The "straight" wedge, light green so it shows on paper and in dark mode alike (it is a picture).
    wedge_r = 0.55 * h
    angles = np.linspace(diagram.straight_lo_deg, diagram.straight_hi_deg, 24)
    wedge = [tuple(heel)] + [tuple(heel + _page_direction(a, foot) * wedge_r) for a in angles]
    layer = Image.new("RGB", (w, h), _PAPER)
    ImageDraw.Draw(layer).polygon(wedge, fill=_STRAIGHT_RGB)
    img = Image.blend(img, layer, 0.28)
    draw = ImageDraw.Draw(img)
    # Straight ahead: dashed grey from the heel up the page.
    ahead = np.array(diagram.ahead_px) * k
    n_dash = 14
    for i in range(0, n_dash, 2):
        p, q = heel + (ahead - heel) * i / n_dash, heel + (ahead - heel) * (i + 1) / n_dash
        draw.line([tuple(p), tuple(q)], fill=(120, 120, 120), width=2 * k)
    # The footprint along the measured direction, its big-toe side toward the body's middle.
    d = _page_direction(diagram.angle_deg, foot)
    to_right = np.array([-d[1], d[0]])  # the walker's right on the page
    medial = to_right if foot is Side.L else -to_right
    length = _FOOT_LEN_SHARE * h
    from gait.analysis.foot_angle import FOOT_SECTIONS

    medial_edge = [heel + length * (a * d + m * medial) for a, m, _, _ in FOOT_SECTIONS]
    lateral_edge = [heel + length * (a * d - lat * medial) for a, _, lat, _ in FOOT_SECTIONS[::-1]]
    outline = [tuple(p) for p in medial_edge + lateral_edge]
    draw.polygon(outline, fill=_FOOT_FILL[foot], outline=_FOOT_RGB[foot], width=2 * k)
    # Heel-to-toe line with an arrowhead: the measured angle itself.
    toe = np.array(diagram.toe_px) * k
    draw.line([tuple(heel), tuple(toe)], fill=_INK, width=3 * k)
    head = 0.045 * h
    for turn in (1.0, -1.0):
        back = -d * head + turn * to_right * head * 0.55
        draw.line([tuple(toe), tuple(toe + back)], fill=_INK, width=3 * k)
    draw.ellipse([tuple(heel - 4 * k), tuple(heel + 4 * k)], fill=_INK)
    # Words: which foot, the angle, and how to read it.
    big, small = _font(int(0.085 * h), bold=True), _font(int(0.052 * h))
    pad = 0.03 * h
    draw.text((pad, pad), f"{foot.label} foot", font=small, fill=_FOOT_RGB[foot])
    draw.text((pad, pad + 0.065 * h), angle_words(diagram.angle_deg), font=big, fill=_INK)
    lo, hi = int(round(diagram.straight_lo_deg)), int(round(diagram.straight_hi_deg))
    swatch = 0.035 * h
    y = h - pad - 0.12 * h
    draw.rectangle([pad, y + 0.005 * h, pad + swatch, y + 0.005 * h + swatch],
                   fill=tuple(int(0.28 * c + 0.72 * p) for c, p in zip(_STRAIGHT_RGB, _PAPER)))
    draw.text((pad + swatch + 0.02 * h, y), f"straight ({lo}\u2013{hi}\u00b0)", font=small, fill=_INK)
    draw.text((pad, y + 0.06 * h), "from above, walking \u2191", font=small, fill=(90, 90, 90))
    img = img.resize((diagram.width_px, diagram.height_px), Image.LANCZOS)
    return np.asarray(img, dtype=np.uint8).copy()


def floor_diagram_png(angle_deg: float, foot: Side, height_px: int = 420) -> bytes:
    """PNG of ``floor_diagram`` alone."""
    rgb = floor_diagram_rgb(floor_diagram(angle_deg, foot, height_px))
    ok, buf = cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    return buf.tobytes() if ok else b""


def _pt(p: np.ndarray) -> tuple[int, int]:
    return int(round(float(p[0]))), int(round(float(p[1])))
