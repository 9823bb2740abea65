"""Pictures of the frontal measures: the landing frame with the measured lines drawn on it.

From the front: hip-knee-ankle of the landing leg (the knee's angle) and the waistband or the
line between the hips (the pelvis's tilt). From behind: knee-ankle-heel (the heel's roll). One picture per foot and view,
of the step whose value is closest to the foot's median.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

from gait.analysis.frontal import FRONT, Frontal, FrontalStep
from gait.analysis.pose import PoseTrack
from gait.names import Side
from gait.output.draw import Thumb, decode_jpeg, nearest_thumb

_LEG = {Side.L: (66, 135, 245), Side.R: (245, 130, 48)}  # RGB, as the landing pictures
_HIPS = (255, 214, 0)
_GUIDE = (255, 255, 255)


def _pt(p: np.ndarray) -> tuple[int, int]:
    return int(round(float(p[0]))), int(round(float(p[1])))


def measured_picture(thumb: Thumb, step: FrontalStep, size_px: int = 360) -> bytes:
    """PNG: the crop around the person at ``step.frame_s`` (hips down) with the measured lines.

    Front: hip-knee-ankle (leg colour), the straight hip-ankle line (white, dashed look by
    thinness) and, yellow, the line whose tilt pelvic drop follows: the waistband where it was
    measured from it, else the line between the hips. Rear: knee-ankle-heel with the shank's line continued.
    """
    if not step.points_px or not thumb.jpeg:
        return b""
    img = decode_jpeg(thumb.jpeg)
    origin = np.array(thumb.box_px[:2], float)
    hip_l, hip_r, hip, knee, ankle, heel = ((np.array(p) - origin) * thumb.scale for p in step.points_px)
    pts = np.array([hip_l, hip_r, hip, knee, ankle, heel])
    if not np.isfinite(pts).all():
        return b""
    # Hips down, so the lines are large on a phone and the legs still show whose they are.
    top = min(hip_l[1], hip_r[1]) - 0.25 * abs(heel[1] - hip[1])
    top = int(max(0, top))
    img = img[top:]
    pts = pts - np.array([0, top])
    zoom = size_px / max(1, img.shape[0])
    img = np.ascontiguousarray(cv2.resize(img, (max(1, int(img.shape[1] * zoom)), size_px),
                                          interpolation=cv2.INTER_CUBIC))
    hip_l, hip_r, hip, knee, ankle, heel = pts * zoom
    seam = ([((np.array(p) - origin) * thumb.scale - np.array([0, top])) * zoom for p in step.waist_px]
            if len(step.waist_px) == 2 else None)
    thick = max(2, int(round(size_px / 120)))
    colour = _LEG[step.stance.foot]
    if step.view == FRONT:
        cv2.line(img, _pt(hip), _pt(ankle), _GUIDE, 1, cv2.LINE_AA)
        for a, b in ((hip, knee), (knee, ankle)):
            cv2.line(img, _pt(a), _pt(b), colour, thick, cv2.LINE_AA)
        if seam is not None and np.isfinite(np.array(seam)).all():
            cv2.line(img, _pt(seam[0]), _pt(seam[1]), _HIPS, thick, cv2.LINE_AA)  # the waistband measured
        else:
            cv2.line(img, _pt(hip_l), _pt(hip_r), _HIPS, thick, cv2.LINE_AA)
        for p in (hip, knee, ankle, hip_l, hip_r):
            cv2.circle(img, _pt(p), thick + 1, (0, 0, 0), -1, cv2.LINE_AA)
    else:
        shank = ankle - knee
        reach = ankle + shank / max(1e-6, float(np.linalg.norm(shank))) * 1.3 * float(np.linalg.norm(heel - ankle))
        cv2.line(img, _pt(ankle), _pt(reach), _GUIDE, 1, cv2.LINE_AA)
        for a, b in ((knee, ankle), (ankle, heel)):
            cv2.line(img, _pt(a), _pt(b), colour, thick, cv2.LINE_AA)
        for p in (knee, ankle, heel):
            cv2.circle(img, _pt(p), thick + 1, (0, 0, 0), -1, cv2.LINE_AA)
    ok, buf = cv2.imencode(".png", cv2.cvtColor(img, cv2.COLOR_RGB2BGR))
    return buf.tobytes() if ok else b""


def _typical(steps: Sequence[FrontalStep], attr: str, median: float) -> FrontalStep | None:
    mine = [s for s in steps if s.points_px and not math.isnan(getattr(s, attr))]
    if not mine:
        return None
    if math.isnan(median):
        median = float(np.median([getattr(s, attr) for s in mine]))
    return min(mine, key=lambda s: abs(getattr(s, attr) - median))


def frontal_pictures(frontal: Frontal, raw: PoseTrack, thumbs: Sequence[Thumb]) -> dict[str, bytes]:
    """``{"front_L": PNG, "front_R": ..., "rear_L": ..., "rear_R": ...}`` for the feet that have steps."""
    if not thumbs or not frontal.steps:
        return {}
    out = {}
    for side in Side:
        foot = frontal.feet[side]
        for view, attr, median in ((FRONT, "knee_valgus_deg", foot.knee_valgus.median),
                                   ("rear", "rearfoot_eversion_deg", foot.rearfoot_eversion.median)):
            step = _typical([s for s in frontal.steps if s.stance.foot is side and s.view == view], attr, median)
            if step is None:
                continue
            thumb = nearest_thumb(thumbs, step.frame_s)
            png = measured_picture(thumb, step) if thumb is not None else b""
            if png:
                out[f"{view}_{side.value}"] = png
    return out
