"""Landing direction from the foot's own pixels, seen by a camera looking along the floor.

BlazePose sees the whole person at 256 px, where a foot is a few pixels and its heel is
a guess; the foot progression angle (FPA) built on it barely follows the truth. Here the
planted foot is looked at in the full-resolution frame and its outline is explained by a
camera model:

1. The floor as seen by the phone (``FloorView``): a pinhole camera with the focal length of a
   typical phone (``assumed_fov_long_side_deg``), no roll, and a pitch found from the planted
   feet themselves: a foot further away sits higher in the picture and its leg looks
   shorter, and for a pinhole camera over a floor ``row = horizon_row + (camera height / leg
   length) * leg_px`` (Hartley & Zisserman 2004, ch. 8: the horizon as the floor's vanishing
   line). A straight-line fit over the contacts gives the horizon row and the camera height in
   leg lengths. A proportional bias of the leg length (knee bend, where the hip landmark sits)
   changes only the slope, not the horizon.
2. The walking direction on the floor: the line through the contacts, back-projected.
3. Per stance, the foot's silhouette below mid-shin (the difference to the empty floor, or to
   the floor colour around it) is matched by a simple 3D foot (``FOOT_SECTIONS``) placed on the
   floor under the shin, turned through candidate angles and projected with the same camera.
   A camera at knee height sees the foot almost end-on: its length is squeezed to a few pixels,
   so the angle shows in how far the toes reach sideways of the shin and in the outline's
   shape. Projecting through the camera also removes the bias of a foot off the optical axis
   (seen obliquely, its straight-ahead direction points at the walking direction's vanishing
   point, not straight down the picture).

Sign convention: + = toe out (module ``gait.analysis.measures``). Where the pixels cannot support an
angle (foot too small, no contrast, fit no better than its neighbours), the result is NaN.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np

from gait.analysis.jpeg import encode_jpeg
from gait.analysis.waistband import WaistLine, waist_line
from gait.names import Side
from gait.thresholds import value

log = logging.getLogger(__name__)

# A generic adult foot in foot lengths (heel back = 0, second-toe tip = 1): per section along the
# foot, half-width on the big-toe side, half-width on the little-toe side, height of its top.
# Shape from foot anthropometry: ball width ~0.38, heel width ~0.27, instep height ~0.25 of foot
# length, ankle joint 0.15 along and 0.33 up (Hawes & Sovak 1994; the rendered walker's mesh).
FOOT_SECTIONS = np.array([
    # along, medial, lateral, top
    [0.00, 0.08, 0.08, 0.18],
    [0.06, 0.13, 0.13, 0.30],
    [0.25, 0.14, 0.15, 0.30],
    [0.50, 0.17, 0.16, 0.24],
    [0.72, 0.20, 0.18, 0.13],
    [0.88, 0.18, 0.13, 0.08],
    [1.00, 0.06, 0.06, 0.04],
])
_ANKLE_ALONG = 0.15  # ankle joint (middle of the shin) along the foot, foot lengths
_SHIN_HALF_WIDTH = 0.14  # half-width of the lower shin, foot lengths
_CUT_HEIGHT = 0.50  # the silhouette is compared below this height, foot lengths (above it: the shin only)


@dataclass(frozen=True)
class FloorView:
    """A pinhole camera over a flat floor; lengths in leg lengths (hip to ankle).

    ``pitch_deg`` > 0 = looking down; ``roll_deg`` = the picture turned counter-clockwise.
    """

    focal_px: float
    centre_px: tuple[float, float]  # principal point (x, y) in the full-resolution picture
    pitch_deg: float
    camera_height_legs: float
    roll_deg: float = 0.0

    @property
    def horizon_row_px(self) -> float:
        return self.centre_px[1] - self.focal_px * math.tan(math.radians(self.pitch_deg))

    def _axes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        p = math.radians(self.pitch_deg)
        right = np.array([1.0, 0.0, 0.0])
        up = np.array([0.0, math.cos(p), math.sin(p)])
        forward = np.array([0.0, -math.sin(p), math.cos(p)])
        return right, up, forward

    def project(self, points: np.ndarray) -> np.ndarray:
        """World points (..., 3) as (x right, height, distance ahead of the camera) -> pixels (..., 2)."""
        right, up, forward = self._axes()
        q = np.asarray(points, dtype=np.float64) - np.array([0.0, self.camera_height_legs, 0.0])
        xc, yc, zc = q @ right, q @ up, q @ forward
        zc = np.where(zc > 1e-9, zc, np.nan)
        du, dv = self.focal_px * xc / zc, -self.focal_px * yc / zc
        r = math.radians(self.roll_deg)
        # Roll turns the picture counter-clockwise; image v grows downward.
        du, dv = math.cos(r) * du + math.sin(r) * dv, -math.sin(r) * du + math.cos(r) * dv
        return np.stack([self.centre_px[0] + du, self.centre_px[1] + dv], axis=-1)

    def to_floor(self, pixels: np.ndarray) -> np.ndarray:
        """Pixels (..., 2) -> floor points (..., 2) as (x right, distance ahead); NaN above the horizon."""
        px = np.asarray(pixels, dtype=np.float64)
        du, dv = px[..., 0] - self.centre_px[0], px[..., 1] - self.centre_px[1]
        r = math.radians(self.roll_deg)
        du, dv = math.cos(r) * du - math.sin(r) * dv, math.sin(r) * du + math.cos(r) * dv
        right, up, forward = self._axes()
        ray = (du[..., None] * right - dv[..., None] * up) / self.focal_px + forward
        down = ray[..., 1]
        t = np.where(down < -1e-9, -self.camera_height_legs / np.where(down < -1e-9, down, -1.0), np.nan)
        return np.stack([t * ray[..., 0], t * ray[..., 2]], axis=-1)


def assumed_focal_px(width_px: int, height_px: int) -> float:
    """Focal length of a typical phone main camera for a picture of this size (no lens data in videos)."""
    half = math.radians(value("assumed_fov_long_side_deg")) / 2.0
    return 0.5 * max(width_px, height_px) / math.tan(half)


def picture_box_px(frames_rgb: list[np.ndarray]) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1): the camera's picture inside frames that may carry black bars.

    A portrait video exported into a landscape frame (or the other way) is pillarboxed: the
    lens's field of view spans the picture, not the frame, so focal length and centre come
    from the picture. Bars are the edge rows/columns dark in every given frame.
    """
    if not frames_rgb:
        return (0, 0, 0, 0)
    h, w = frames_rgb[0].shape[:2]
    # Brightest channel of any frame, per pixel: elementwise maxima (numpy's max over a last axis of 3
    # is ~15x slower on a 1080p frame; the same values).
    bright = np.zeros((h, w), np.uint8)
    for f in frames_rgb:
        if f.shape[:2] == (h, w):
            for c in range(f.shape[2]):
                np.maximum(bright, f[..., c], out=bright)
    cols = np.flatnonzero(np.percentile(bright, 98, axis=0) > _BAR_LEVEL)
    rows = np.flatnonzero(np.percentile(bright, 98, axis=1) > _BAR_LEVEL)
    if cols.size == 0 or rows.size == 0:
        return (0, 0, w, h)
    x0, y0, x1, y1 = int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1
    # Exports centre the picture: bars come in even pairs. A dark wall on one side is not a bar.
    if abs(x0 - (w - x1)) > _BAR_PAIR_SLACK * w:
        x0, x1 = 0, w
    if abs(y0 - (h - y1)) > _BAR_PAIR_SLACK * h:
        y0, y1 = 0, h
    if (x1 - x0) < 0.3 * w or (y1 - y0) < 0.3 * h:
        return (0, 0, w, h)  # a dark scene, not bars
    return (x0, y0, x1, y1)


def camera_of_box(box: tuple[int, int, int, int]) -> tuple[float, tuple[float, float]]:
    """(assumed focal length px, principal point) of a picture at ``box`` (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    return assumed_focal_px(x1 - x0, y1 - y0), (0.5 * (x0 + x1), 0.5 * (y0 + y1))


def floor_view_from_contacts(floor_rows_px: np.ndarray, leg_px: np.ndarray, focal_px: float,
                             centre_px: tuple[float, float], roll_deg: float = 0.0,
                             floor_cols_px: np.ndarray | None = None) -> FloorView | None:
    """The camera's pitch and height from where the planted feet sit and how big the legs look.

    For a foot at distance Z, ``row - horizon = f * H / Z`` and ``leg_px = f * L / Z``, so
    ``row = horizon + (H / L) * leg_px``: a straight line over the contacts (robust: refitted
    without the worst residual when there are enough). None when the contacts do not span enough
    distance for the fit (``min_floor_fit_leg_ratio``) or the fit is not a camera above a floor.
    """
    rows, legs = np.asarray(floor_rows_px, float), np.asarray(leg_px, float)
    if floor_cols_px is not None and roll_deg:
        # Rows as they would be with the picture turned level.
        r = math.radians(roll_deg)
        du, dv = np.asarray(floor_cols_px, float) - centre_px[0], rows - centre_px[1]
        rows = centre_px[1] + math.sin(r) * du + math.cos(r) * dv
    ok = np.isfinite(rows) & np.isfinite(legs) & (legs > 0)
    rows, legs = rows[ok], legs[ok]
    if rows.size < 3 or legs.max() < value("min_floor_fit_leg_ratio") * legs.min():
        return None
    slope, horizon = np.polyfit(legs, rows, 1)
    if rows.size >= 5:
        resid = np.abs(rows - (horizon + slope * legs))
        keep = resid < max(3.0 * np.median(resid), 1.0)
        if keep.sum() >= 4:
            slope, horizon = np.polyfit(legs[keep], rows[keep], 1)
    if not 0.05 < slope < 3.0:
        return None
    pitch_deg = math.degrees(math.atan2(centre_px[1] - horizon, focal_px))
    # The fit's slope is H/L measured along the picture's rows; with pitch, rows stretch by 1/cos^2.
    height_legs = float(slope) * math.cos(math.radians(pitch_deg)) ** 2
    return FloorView(focal_px=focal_px, centre_px=centre_px, pitch_deg=pitch_deg, camera_height_legs=height_legs,
                     roll_deg=roll_deg)


def roll_from_shanks_deg(knee_px: np.ndarray, ankle_px: np.ndarray) -> float:
    """The picture's roll from the planted legs: in mid-stance a shank stands about upright, and its
    sideways lean (a few degrees, mirrored between the legs) averages out over left and right steps."""
    d = np.asarray(ankle_px, float) - np.asarray(knee_px, float)
    ok = np.all(np.isfinite(d), axis=1) & (d[:, 1] > 0)
    if ok.sum() < 4:
        return 0.0
    return float(np.degrees(np.median(np.arctan2(d[ok, 0], d[ok, 1]))))


def walking_heading(view: FloorView, contact_px: np.ndarray) -> float:
    """Direction of travel on the floor (radians; 0 = straight at the camera, + = toward the picture's right)
    from the contacts' positions, fitted as one straight line (lateral position against distance)."""
    floor = view.to_floor(np.asarray(contact_px, float))
    ok = np.all(np.isfinite(floor), axis=1)
    if ok.sum() < 3:
        return 0.0
    x, z = floor[ok, 0], floor[ok, 1]
    if np.ptp(z) < 0.5:  # less than half a leg of travel: no direction to speak of
        return 0.0
    dx_dz = np.polyfit(z, x, 1)[0]
    # Walking toward the camera is travel toward smaller distance: heading vector (-dx/dz, -1).
    return float(math.atan2(-dx_dz, 1.0))


def foot_points(foot_len_legs: float) -> tuple[np.ndarray, np.ndarray]:
    """The model foot and a stub of shin as 3D points (along, outward, up) in leg lengths, heel back at 0."""
    foot = [(along, w, z) for along, med, lat, top in FOOT_SECTIONS for w in (-med, lat) for z in (0.0, top)]
    shin = [(_ANKLE_ALONG + a, w, z) for a in (-_SHIN_HALF_WIDTH, _SHIN_HALF_WIDTH)
            for w in (-_SHIN_HALF_WIDTH, _SHIN_HALF_WIDTH) for z in (0.15, _CUT_HEIGHT)]
    return np.array(foot) * foot_len_legs, np.array(shin) * foot_len_legs


def place_foot(points: np.ndarray, foot_len_legs: float, ankle_floor: np.ndarray, heading_rad: float,
               fpa_deg: float, side: Side) -> np.ndarray:
    """Foot-frame points -> world (x right, height, distance): ankle above ``ankle_floor``, turned by FPA.

    Walking toward the camera with heading 0 the foot points to -distance; the person's left is the
    picture's right, so a left foot's outward side is +x and toe-out turns its toe toward +x.
    """
    out_sign = 1.0 if side is Side.L else -1.0
    ang = heading_rad + out_sign * math.radians(fpa_deg)
    fwd = np.array([math.sin(ang), -math.cos(ang)])  # (x, distance) of the toe direction
    outward = out_sign * np.array([math.cos(ang), math.sin(ang)])
    heel = np.asarray(ankle_floor, float) - fwd * (_ANKLE_ALONG * foot_len_legs)
    xz = heel + np.outer(points[:, 0], fwd) + np.outer(points[:, 1], outward)
    return np.stack([xz[:, 0], points[:, 2], xz[:, 1]], axis=1)


@dataclass(frozen=True)
class FootFit:
    """The best-matching model foot in one picture of a planted foot."""

    fpa_deg: float
    score: float  # overlap of model and seen outline (intersection over union, 0-1)
    margin: float  # score lost by turning the model 10 deg either way (how sharply the angle is pinned)


def _hull_mask(shape: tuple[int, int], pts_px: np.ndarray, origin: np.ndarray, sub: int,
               scale: float = 1.0) -> np.ndarray:
    import cv2

    mask = np.zeros(shape, np.uint8)
    if not np.all(np.isfinite(pts_px)):
        return mask
    hull = cv2.convexHull(np.round((pts_px - origin) * scale * sub).astype(np.int32))
    cv2.fillConvexPoly(mask, hull, 1, lineType=cv2.LINE_8, shift=int(math.log2(sub)))
    return mask


def model_mask(view: FloorView, shape: tuple[int, int], origin_px: np.ndarray, foot_len_legs: float,
               ankle_floor: np.ndarray, heading_rad: float, fpa_deg: float, side: Side,
               scale: float = 1.0) -> tuple[np.ndarray, int]:
    """Silhouette of the model (foot and shin stub) in a crop at ``origin_px``; and the crop row of the cut."""
    foot, shin = foot_points(foot_len_legs)
    foot_px = view.project(place_foot(foot, foot_len_legs, ankle_floor, heading_rad, fpa_deg, side))
    shin_px = view.project(place_foot(shin, foot_len_legs, ankle_floor, heading_rad, fpa_deg, side))
    mask = _hull_mask(shape, foot_px, origin_px, 4, scale) | _hull_mask(shape, shin_px, origin_px, 4, scale)
    cut_row = (int(np.ceil((np.nanmax(shin_px[1::2, 1]) - origin_px[1]) * scale)) if np.all(np.isfinite(shin_px))
               else 0)
    return mask, cut_row


def _model_overlaps(view: FloorView, seen: np.ndarray, origin_px: np.ndarray, foot_len_legs: float,
                    ankles_floor: np.ndarray, heading_rad: float, fpa_deg: float, side: Side,
                    scale: float = 1.0) -> list[float]:
    """Overlap (IoU, below the shin cut) of ``seen`` with ``model_mask`` at many ankle positions, one angle.

    The same numbers as building each ``model_mask`` and comparing whole crops, but the points are
    placed and projected in one numpy call and each model is drawn and counted only inside its own
    bounding box (the fit tries ~35 positions an angle; a foot covers a small part of its crop).
    """
    import cv2

    foot, shin = foot_points(foot_len_legs)
    out_sign = 1.0 if side is Side.L else -1.0
    ang = heading_rad + out_sign * math.radians(fpa_deg)
    fwd = np.array([math.sin(ang), -math.cos(ang)])
    outward = out_sign * np.array([math.cos(ang), math.sin(ang)])
    heels = np.asarray(ankles_floor, float) - fwd * (_ANKLE_ALONG * foot_len_legs)  # (K, 2), as in place_foot
    k = heels.shape[0]

    def placed_px(points: np.ndarray) -> np.ndarray:
        xz = heels[:, None, :] + np.outer(points[:, 0], fwd)[None] + np.outer(points[:, 1], outward)[None]
        world = np.stack([xz[..., 0], np.broadcast_to(points[:, 2], xz.shape[:2]), xz[..., 1]], axis=-1)
        return view.project(world.reshape(-1, 3)).reshape(k, points.shape[0], 2)

    foot_px, shin_px = placed_px(foot), placed_px(shin)
    h, w = seen.shape
    # Seen pixels in the rows from r down: |model or seen| = |model| + |seen| - |both|.
    seen_from_row = np.concatenate([np.cumsum(np.count_nonzero(seen, axis=1)[::-1])[::-1], [0]])
    out = []
    for i in range(k):
        cut = (int(np.ceil((np.nanmax(shin_px[i, 1::2, 1]) - origin_px[1]) * scale))
               if np.all(np.isfinite(shin_px[i])) else 0)
        cut = min(max(cut, 0), h)
        # As _hull_mask: 1/4-pixel points (shift 2), a shape with any non-finite point is not drawn.
        hulls = [cv2.convexHull(np.round((pts - origin_px) * scale * 4).astype(np.int32))
                 for pts in (foot_px[i], shin_px[i]) if np.all(np.isfinite(pts))]
        inter = drawn = 0
        if hulls:
            allp = np.concatenate(hulls).reshape(-1, 2)
            x0, y0 = max(0, int(allp[:, 0].min()) >> 2), max(0, int(allp[:, 1].min()) >> 2)
            x1, y1 = min(w, (int(allp[:, 0].max()) >> 2) + 2), min(h, (int(allp[:, 1].max()) >> 2) + 2)
            if x1 > x0 and y1 > max(y0, cut):
                local = np.zeros((y1 - y0, x1 - x0), np.uint8)
                for hull in hulls:
                    cv2.fillConvexPoly(local, hull - np.int32([4 * x0, 4 * y0]), 1, lineType=cv2.LINE_8, shift=2)
                m = local[max(0, cut - y0):].astype(bool)
                inter = np.count_nonzero(m & seen[max(cut, y0):y1, x0:x1])
                drawn = np.count_nonzero(m)
        union = drawn + int(seen_from_row[cut]) - inter
        out.append(inter / union if union else 0.0)
    return out


def fit_foot(view: FloorView, seen: np.ndarray, origin_px: np.ndarray, foot_len_legs: float,
             ankle_floor: np.ndarray, heading_rad: float, side: Side, scale: float = 1.0) -> FootFit:
    """Turn and shift the model foot until its outline best matches ``seen`` (a crop's foot mask).

    Grid search (angle every ``_STEP_DEG``, position within +-``_SHIFT_FOOT`` foot lengths), then a
    finer angle search at the best position. The outline is compared below the shin cut only.
    """
    seen = seen.astype(bool)

    def scores(fpa: float, offsets: list[tuple[float, float]]) -> list[float]:
        ankles = np.array([ankle_floor + np.array([dx, dz]) for dx, dz in offsets])
        return _model_overlaps(view, seen, origin_px, foot_len_legs, ankles, heading_rad, fpa, side, scale)

    step = foot_len_legs * _SHIFT_STEP_FOOT
    shifts = step * np.arange(-_SHIFT_N, _SHIFT_N + 1)
    best = (-1.0, 0.0, 0.0, 0.0)
    coarse = [(dx, dz) for dx in shifts for dz in np.arange(-3, 4) * 2.0 * step]
    for fpa in np.arange(_FPA_RANGE_DEG[0], _FPA_RANGE_DEG[1] + 1e-9, 10.0):
        for (dx, dz), s in zip(coarse, scores(fpa, coarse)):
            if s > best[0]:
                best = (s, fpa, dx, dz)
    _, fpa0, dx0, dz0 = best
    fine = {}
    near_best = [(dx, dz) for dx in (dx0 - step / 2, dx0, dx0 + step / 2) for dz in (dz0 - step, dz0, dz0 + step)]
    for fpa in np.arange(fpa0 - 10.0, fpa0 + 10.0 + 1e-9, 1.0):
        fine[fpa] = max([0.0, *scores(fpa, near_best)])
    angles = np.array(sorted(fine))
    scores_by_angle = np.array([fine[a] for a in angles])
    k = int(np.argmax(scores_by_angle))
    # Centre of the near-best angles: the outline is often matched equally over a few degrees.
    near = scores_by_angle >= scores_by_angle[k] - 0.01
    fpa = float(np.mean(angles[near]))
    ends = [scores_by_angle[0], scores_by_angle[-1]]
    return FootFit(fpa_deg=fpa, score=float(scores_by_angle[k]), margin=float(scores_by_angle[k] - max(ends)))


_FPA_RANGE_DEG = (-40.0, 60.0)
_SHIFT_STEP_FOOT = 0.08
_SHIFT_N = 2


# --- pixels kept during the one decode pass ------------------------------------------------------

_CROP_MAX_SIDE_PX = 320  # a stored foot crop is at most this big (downscaled when the foot is closer)
_CROP_HALF_LEGS = 0.40  # crop half-size around the ankle, leg lengths (foot and lower shin)
_BACKGROUND_FRAMES = 32  # whole frames kept (thinned evenly over the clip) to see the floor without the foot
_JPEG_QUALITY = 92
_BAR_PAIR_SLACK = 0.05  # the two bars of a pair differ by at most this share of the frame
_BAR_LEVEL = 24  # brightest (98th percentile) level of a black bar's column or row, 0-255 (JPEG noise)
_DECODED_BG_MAX_BYTES = 64 * 2**20  # decoded floor pictures kept while fitting (ten at 1080p, two at 4K)


@dataclass(frozen=True)
class _Crop:
    time_s: float
    origin_px: tuple[float, float]  # full-resolution position of the crop's top-left corner
    scale: float  # crop pixels per full-resolution pixel (<= 1)
    size_px: tuple[int, int]  # (width, height) in full-resolution pixels
    jpeg: bytes


def _encode(rgb: np.ndarray) -> bytes:
    return encode_jpeg(rgb, _JPEG_QUALITY)


def _decode(jpeg: bytes) -> np.ndarray:
    import cv2

    bgr = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    return bgr[..., ::-1]


class FootPixels:
    """Full-resolution pixels of the feet, gathered frame by frame during the pose pass.

    Per analysed frame, a JPEG crop around each ankle (placed from that frame's landmarks;
    bounded: at most ``_CROP_MAX_SIDE_PX`` a side, ~10-20 kB) and, thinned evenly over the clip, up
    to ``_BACKGROUND_FRAMES`` whole frames as JPEG to see the floor where a foot later lands. A 30 s
    clip at 30 frames/s keeps about 20-40 MB. Which crop shows which foot is settled later from
    the cleaned track's ankle positions, so a later left/right swap does not matter.
    """

    def __init__(self, expected_frames: int = 0) -> None:
        self.full_size_px: tuple[int, int] = (0, 0)
        self.crops: list[tuple[_Crop, ...]] = []  # per frame with a person: one crop per leg
        self.backgrounds: list[tuple[float, bytes]] = []
        self.waist: list[WaistLine] = []  # the waistband seam per frame where one was found
        # Whole frames are kept at every step-th frame, the step doubling (and every other one dropped)
        # whenever _BACKGROUND_FRAMES are kept. Starting at the step that half the expected frames would
        # reach keeps exactly the same frames while encoding about 40 instead of 80 whole pictures.
        self._bg_step = 1
        while expected_frames // 2 > (_BACKGROUND_FRAMES - 1) * self._bg_step:
            self._bg_step *= 2
        self._seen = 0

    def picture_box_px(self) -> tuple[int, int, int, int]:
        """Where the camera's picture is in the full-resolution frame (``picture_box_px``; no bars: all).

        Asked after the pass (by the foot angle and the outline fit): found once, then kept.
        """
        if not self.backgrounds:
            return (0, 0, *self.full_size_px)
        if getattr(self, "_box", None) is None:
            self._box = picture_box_px([_decode(jpeg) for _, jpeg in self.backgrounds[:3]])
        return self._box

    @property
    def n_bytes(self) -> int:
        return sum(len(c.jpeg) for cs in self.crops for c in cs) + sum(len(b) for _, b in self.backgrounds)

    def see(self, time_s: float, full_rgb: np.ndarray | None, image_xy: np.ndarray | None) -> None:
        """Keep what is needed of one frame (``image_xy``: the pose's landmarks, 0-1 of the picture)."""
        from gait.names import LEG

        if full_rgb is None:
            return
        h, w = full_rgb.shape[:2]
        self.full_size_px = (w, h)
        if self._seen % self._bg_step == 0:
            self.backgrounds.append((time_s, _encode(full_rgb)))
            if len(self.backgrounds) >= _BACKGROUND_FRAMES:
                del self.backgrounds[1::2]
                self._bg_step *= 2
        self._seen += 1
        if image_xy is None or not np.all(np.isfinite(image_xy[:, :2])):
            return
        line = waist_line(time_s, full_rgb, image_xy)  # the waistband, for pelvic drop (gait.analysis.waistband)
        if line is not None:
            self.waist.append(line)
        crops = []
        for side in Side:
            leg = LEG[side]
            ankle = image_xy[leg.ankle, :2] * (w, h)
            leg_px = float(np.linalg.norm((image_xy[leg.hip, :2] - image_xy[leg.ankle, :2]) * (w, h)))
            half = int(_CROP_HALF_LEGS * leg_px) + 8
            x0, y0 = int(max(0, ankle[0] - half)), int(max(0, ankle[1] - half))
            x1, y1 = int(min(w, ankle[0] + half)), int(min(h, ankle[1] + half))
            if x1 - x0 < 8 or y1 - y0 < 8:
                continue
            patch = full_rgb[y0:y1, x0:x1]
            scale = min(1.0, _CROP_MAX_SIDE_PX / max(x1 - x0, y1 - y0))
            if scale < 1.0:
                import cv2

                patch = cv2.resize(patch, (max(1, round((x1 - x0) * scale)), max(1, round((y1 - y0) * scale))),
                                   interpolation=cv2.INTER_AREA)
            crops.append(_Crop(time_s, (float(x0), float(y0)), scale, (x1 - x0, y1 - y0), _encode(patch)))
        self.crops.append(tuple(crops))


# --- per stance ----------------------------------------------------------------------------------

_FOOT_FLAT = (0.2, 0.5)  # share of stance: after foot-flat, before heel rise
_FRAMES_PER_STANCE = 3
_BG_PER_STANCE = 7  # floor pictures per stance (the most recent ones before the foot came)
_BG_CLEAR_S = 0.3  # a floor picture counts only this long before contact (the foot is still in the air)


@dataclass(frozen=True)
class PixelAngle:
    """One stance's angle from its pixels, with what it rests on."""

    fpa_deg: float  # NaN = the pixels could not support an angle
    confidence: float  # 0-1
    n_frames: int


_NONE = PixelAngle(float("nan"), 0.0, 0)


def _foot_mask(crop: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """Foot (and leg) pixels: where the crop differs from the empty floor (Otsu threshold, with a floor)."""
    import cv2

    diff = np.abs(crop.astype(np.int16) - floor.astype(np.int16)).sum(axis=2)
    d8 = np.clip(diff, 0, 255).astype(np.uint8)
    otsu, _ = cv2.threshold(d8, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # Otsu splits foot from floor; 0.6 of it keeps the foot's shaded edge; 15 levels is compression noise.
    mask = (diff > max(15.0, 0.6 * otsu)).astype(np.uint8)
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8)).astype(bool)


def _cut(full: np.ndarray, crop: _Crop, shape: tuple[int, int]) -> np.ndarray:
    import cv2

    x0, y0 = int(crop.origin_px[0]), int(crop.origin_px[1])
    patch = full[y0:y0 + crop.size_px[1], x0:x0 + crop.size_px[0]]
    if patch.shape[:2] != shape:
        patch = cv2.resize(patch, (shape[1], shape[0]), interpolation=cv2.INTER_AREA)
    return patch


def pixel_foot_angles(pixels: FootPixels, track, stances: list, running: bool,
                      wanted: list[bool] | None = None) -> list[PixelAngle]:
    """Per stance, the foot angle from the planted foot's own pixels (see the module notes).

    ``wanted``: per stance, whether its outline is fitted (the fit is most of the cost); every
    stance still helps to find the floor. Default: all.
    """

    from gait.analysis.geometry import leg_length_px
    from gait.names import LEG

    if not pixels.crops or not stances or pixels.full_size_px[0] == 0:
        return [_NONE] * len(stances)
    to_full = pixels.full_size_px[0] / track.frame_size_px[0]
    crop_times = np.array([cs[0].time_s if cs else np.nan for cs in pixels.crops])
    bg_times = np.array([t for t, _ in pixels.backgrounds])
    legs_full = leg_length_px(track) * to_full

    decoded: dict[int, np.ndarray] = {}  # whole floor pictures, newest last, bounded in bytes

    def background(j: int) -> np.ndarray:
        # Neighbouring stances share most of their floor pictures; a 1080p one is ~3 ms to decode.
        if j not in decoded:
            decoded[j] = _decode(pixels.backgrounds[j][1])
            while len(decoded) > 1 and sum(a.nbytes for a in decoded.values()) > _DECODED_BG_MAX_BYTES:
                del decoded[next(iter(decoded))]
        return decoded[j]

    seen: list[list[tuple[_Crop, np.ndarray, np.ndarray]]] = []  # per stance: (crop, mask, ankle px)
    floor_rows, leg_px, ankle_x = [], [], []
    knees, ankles = [], []  # mid-stance shank ends, for the picture's roll
    for st in stances:
        leg = LEG[st.foot]
        end = st.toe_off_idx if st.toe_off_s is not None else st.contact_idx + int(round(0.3 * track.rate_hz))
        n = max(1, end - st.contact_idx)
        idxs = np.unique(np.linspace(st.contact_idx + _FOOT_FLAT[0] * n, st.contact_idx + _FOOT_FLAT[1] * n,
                                     _FRAMES_PER_STANCE).round().astype(int))
        idxs = idxs[idxs < track.time_s.shape[0]]
        before = np.flatnonzero(bg_times < st.contact_s - _BG_CLEAR_S)[-_BG_PER_STANCE:]
        if before.size < 3:
            after_s = (st.toe_off_s if st.toe_off_s is not None else st.contact_s + 0.6) + 1.0
            before = np.flatnonzero((bg_times < st.contact_s - _BG_CLEAR_S) | (bg_times > after_s))[:_BG_PER_STANCE]
        mine: list[tuple[_Crop, np.ndarray, np.ndarray]] = []
        rows = []
        picked = []  # (frame, crop, its pixels, ankle px)
        for i in idxs:
            ankle = track.image_px[i, leg.ankle] * to_full
            k = int(np.nanargmin(np.abs(crop_times - track.time_s[i]))) if np.any(np.isfinite(crop_times)) else -1
            if k < 0 or not np.all(np.isfinite(ankle)) or before.size < 3 or not pixels.crops[k]:
                continue
            crop = min(pixels.crops[k], key=lambda c: float(np.hypot(c.origin_px[0] + c.size_px[0] / 2 - ankle[0],
                                                                      c.origin_px[1] + c.size_px[1] / 2 - ankle[1])))
            picked.append((i, crop, _decode(crop.jpeg), ankle))
        # Each floor picture is cut for all of the stance's frames at once (decoded once per stance).
        floors = [[] for _ in picked]
        for j in before if picked else ():
            bg = background(int(j))
            for n, (_, crop, rgb, _) in enumerate(picked):
                floors[n].append(_cut(bg, crop, rgb.shape[:2]))
        for (i, crop, rgb, ankle), cuts in zip(picked, floors):
            floor = np.median(np.stack(cuts), axis=0)
            mask = _foot_mask(rgb, floor)
            # The lowest foot pixel near the ankle's column: where the sole meets the floor.
            col = (ankle[0] - crop.origin_px[0]) * crop.scale
            band = int(max(2, 0.10 * legs_full[i] * crop.scale))
            sub = mask[:, max(0, int(col) - band): int(col) + band + 1]
            hit = np.flatnonzero(sub.any(axis=1))
            if hit.size:
                rows.append(crop.origin_px[1] + (hit[-1] + 0.5) / crop.scale)
            mine.append((crop, mask, ankle))
        seen.append(mine)
        for i in idxs:
            knees.append(track.image_px[i, leg.knee] * to_full)
            ankles.append(track.image_px[i, leg.ankle] * to_full)
        floor_rows.append(float(np.median(rows)) if rows else np.nan)
        leg_px.append(float(np.nanmedian(legs_full[idxs])) if idxs.size else np.nan)
        ankle_x.append(float(np.median([a[0] for _, _, a in mine])) if mine else np.nan)
    focal, centre = camera_of_box(pixels.picture_box_px())
    roll = roll_from_shanks_deg(np.array(knees), np.array(ankles))
    view = floor_view_from_contacts(np.array(floor_rows), np.array(leg_px), focal, centre, roll, np.array(ankle_x))
    if view is None:
        log.info("no floor view from %d contacts", len(stances))
        return [_NONE] * len(stances)
    contact_px = np.stack([np.array(ankle_x), np.array(floor_rows)], axis=1)
    heading = walking_heading(view, contact_px)
    foot_len = value("foot_to_leg_length_ratio")
    out = []
    wanted = wanted if wanted is not None else [True] * len(stances)
    for st, mine, row, legp, ax, want in zip(stances, seen, floor_rows, leg_px, ankle_x, wanted):
        if not want:
            out.append(_NONE)
            continue
        if not mine or not np.isfinite(row) or not legp >= value("min_leg_px_for_foot_pixels"):
            log.debug("stance %s at %.2f s: no pixel angle (leg %.0f px, floor row %.0f)", st.foot.value,
                      st.contact_s, legp, row)
            out.append(_NONE)
            continue
        base = view.to_floor(np.array([ax, row]))
        # The lowest row under the ankle is the sole's front edge; the ankle stands ~0.3 foot behind it.
        base = base + 0.3 * foot_len * np.array([-math.sin(heading), math.cos(heading)])
        fits = [fit_foot(view, mask, np.array(crop.origin_px), foot_len, base, heading, st.foot, crop.scale)
                for crop, mask, _ in mine]
        good = [f for f in fits if f.score >= value("min_foot_outline_iou")]
        if not good:
            out.append(PixelAngle(float("nan"), 0.0, 0))
            continue
        log.debug("stance %s at %.2f s: leg %.0f px, fits %s", st.foot.value, st.contact_s, legp,
                  [(round(f.fpa_deg, 1), round(f.score, 2)) for f in fits])
        angles = np.array([f.fpa_deg for f in good])
        spread = float(np.ptp(angles)) if angles.size > 1 else 10.0
        conf = float(np.clip(np.mean([f.score for f in good]), 0, 1) * np.clip(1.0 - spread / 20.0, 0.2, 1.0)
                     * min(1.0, len(good) / _FRAMES_PER_STANCE))
        out.append(PixelAngle(float(np.median(angles)), round(conf, 2), len(good)))
    return out
