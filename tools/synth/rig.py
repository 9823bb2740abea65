"""Skeleton and skinning in pure numpy.

World / walker axes (metres): x = the walker's left (= the camera's right when the
person walks toward the camera), y = up, z = the walking direction. The floor is y = 0.

A ``Rig`` holds the rest skeleton (bone heads and parents, in this frame, feet on the
floor) and the few mesh points the gait model needs (heel pivot, second-toe tip). It
is made from the anny body model by ``tools.synth.body`` (needs torch) or loaded from
``default_rig.json`` (the default anny body, for tests without torch).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SIDES = ("L", "R")
SIDE_SIGN = {"L": 1.0, "R": -1.0}  # +x is the walker's left

DEFAULT_RIG_PATH = Path(__file__).with_name("default_rig.json")


def rot_x(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]], float)


def rot_y(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]], float)


def rot_z(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]], float)


def rot_axis(axis, a: float) -> np.ndarray:
    k = np.asarray(axis, float)
    k = k / np.linalg.norm(k)
    K = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + np.sin(a) * K + (1 - np.cos(a)) * K @ K


def unit(v) -> np.ndarray:
    v = np.asarray(v, float)
    return v / np.linalg.norm(v)


def foot_frame(heading: float, pitch: float) -> np.ndarray:
    """Columns (lateral, up, forward) of a foot with this heading (rad, about +y, toward
    +x positive) and pitch (rad, toe up positive)."""
    return rot_y(heading) @ rot_x(-pitch)


@dataclass
class Rig:
    names: list[str]
    parents: np.ndarray  # (J,) int, -1 for root
    heads: np.ndarray  # (J,3) rest bone heads, walker frame, floor at y=0
    # per side: rest points of the foot
    heel: dict[str, np.ndarray]  # heel pivot (lowest heel point when the toe is up)
    toe: dict[str, np.ndarray]  # tip of the second toe
    heel_vid: dict[str, int] = field(default_factory=dict)  # mesh vertex ids (if a mesh)
    toe_vid: dict[str, int] = field(default_factory=dict)

    def j(self, name: str) -> int:
        return self.names.index(name)

    def head(self, name: str) -> np.ndarray:
        return self.heads[self.j(name)]

    # segment geometry
    def hip(self, s):
        return self.head(f"upperleg01.{s}")

    def knee(self, s):
        return self.head(f"lowerleg01.{s}")

    def ankle(self, s):
        return self.head(f"foot.{s}")

    def mtp(self, s):
        return self.head(f"toe2-1.{s}")

    def root(self):
        return self.head("root")

    def thigh_len(self, s):
        return float(np.linalg.norm(self.knee(s) - self.hip(s)))

    def shank_len(self, s):
        return float(np.linalg.norm(self.ankle(s) - self.knee(s)))

    def rest_heading(self, s) -> float:
        d = self.toe[s] - self.heel[s]
        return float(np.arctan2(d[0], d[2]))

    def rest_foot_frame(self, s) -> np.ndarray:
        return foot_frame(self.rest_heading(s), 0.0)

    def foot_local(self, s, p) -> np.ndarray:
        """Rest point p in the foot frame, relative to the ankle."""
        return self.rest_foot_frame(s).T @ (np.asarray(p, float) - self.ankle(s))

    def to_json(self) -> dict:
        return {
            "names": self.names,
            "parents": self.parents.tolist(),
            "heads": np.round(self.heads, 6).tolist(),
            "heel": {s: np.round(self.heel[s], 6).tolist() for s in SIDES},
            "toe": {s: np.round(self.toe[s], 6).tolist() for s in SIDES},
            "heel_vid": self.heel_vid,
            "toe_vid": self.toe_vid,
        }

    @classmethod
    def from_json(cls, d: dict) -> "Rig":
        return cls(
            names=list(d["names"]),
            parents=np.asarray(d["parents"], int),
            heads=np.asarray(d["heads"], float),
            heel={s: np.asarray(d["heel"][s], float) for s in SIDES},
            toe={s: np.asarray(d["toe"][s], float) for s in SIDES},
            heel_vid={k: int(v) for k, v in d.get("heel_vid", {}).items()},
            toe_vid={k: int(v) for k, v in d.get("toe_vid", {}).items()},
        )


def load_default_rig() -> Rig:
    return Rig.from_json(json.loads(DEFAULT_RIG_PATH.read_text()))


def forward_kinematics(rig: Rig, root_pos: np.ndarray, rot: dict[str, np.ndarray]):
    """World transforms of every bone.

    ``rot`` maps bone names to *world delta* rotations (posed = R @ rest, about the bone
    head); bones not named inherit their parent's. Returns (R (J,3,3), t (J,3)) such that
    a rest point x bound to bone j goes to R[j] @ x + t[j], and posed heads (J,3).
    """
    J = len(rig.names)
    R = np.zeros((J, 3, 3))
    t = np.zeros((J, 3))
    posed = np.zeros((J, 3))
    for j in range(J):  # parents come before children in anny's order
        p = rig.parents[j]
        name = rig.names[j]
        if p < 0:
            Rj = rot.get(name, np.eye(3))
            hj = np.asarray(root_pos, float)
        else:
            Rj = rot.get(name, R[p])
            hj = R[p] @ rig.heads[j] + t[p]
        R[j] = Rj
        posed[j] = hj
        t[j] = hj - Rj @ rig.heads[j]
    return R, t, posed


def skin(rest_vertices, weights, indices, R, t) -> np.ndarray:
    """Linear blend skinning: sum_k w_k (R_k v + t_k)."""
    M = np.concatenate([R, t[:, :, None]], axis=2)  # (J,3,4)
    Mv = np.einsum("vk,vkab->vab", weights, M[indices])  # (V,3,4)
    return np.einsum("vab,vb->va", Mv[:, :, :3], rest_vertices) + Mv[:, :, 3]
