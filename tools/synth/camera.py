"""Pinhole phone camera (pure numpy).

World axes as in ``rig``: x = the camera's right, y = up, z = toward the camera along
its (untilted) optical axis; the camera stands at (x_m, height_m, z_m) and looks toward
-z. Pixel coordinates are continuous: (0,0) is the top-left corner of the stored frame,
the centre of pixel (i, j) is (i + 0.5, j + 0.5); u grows right, v grows down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .rig import rot_x, rot_y, rot_z


@dataclass
class Camera:
    width_px: int
    height_px: int
    fov_deg: float  # across the longer side of the picture
    height_m: float
    tilt_deg: float = 0.0  # + = looking up
    roll_deg: float = 0.0  # about the optical axis, + = camera turned counter-clockwise
    yaw_deg: float = 0.0  # + = looking toward -x (left in the picture turns to centre)
    x_m: float = 0.0
    z_m: float = 0.0

    @property
    def focal_px(self) -> float:
        return 0.5 * max(self.width_px, self.height_px) / math.tan(math.radians(self.fov_deg) / 2)

    @property
    def orientation(self) -> str:
        return "portrait" if self.height_px > self.width_px else "landscape"

    def rotation(self) -> np.ndarray:
        """Camera-to-world rotation (OpenGL camera: x right, y up, looking along -z)."""
        return rot_y(math.radians(self.yaw_deg)) @ rot_x(math.radians(self.tilt_deg)) @ rot_z(math.radians(self.roll_deg))

    def position(self, z_m: float | None = None) -> np.ndarray:
        return np.array([self.x_m, self.height_m, self.z_m if z_m is None else z_m])

    def pose(self, z_m: float | None = None) -> np.ndarray:
        M = np.eye(4)
        M[:3, :3] = self.rotation()
        M[:3, 3] = self.position(z_m)
        return M

    def project(self, X, z_m: float | None = None) -> np.ndarray:
        """World points (...,3) -> pixels (...,2); NaN behind the camera."""
        X = np.asarray(X, float)
        Xc = (X - self.position(z_m)) @ self.rotation()  # R^T (X - C)
        depth = -Xc[..., 2]
        f = self.focal_px
        with np.errstate(divide="ignore", invalid="ignore"):
            u = self.width_px / 2 + f * Xc[..., 0] / depth
            v = self.height_px / 2 - f * Xc[..., 1] / depth
        out = np.stack([u, v], axis=-1)
        out[depth <= 1e-6] = np.nan
        return out
