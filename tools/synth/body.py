"""The anny body (needs torch): rest mesh, skinning weights and the gait rig."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .rig import SIDES, Rig, foot_frame

# anny: z up, -y forward, +x the body's left -> walker frame: x left, y up, z forward
ANNY_TO_WALKER = np.array([[1.0, 0, 0], [0, 0, 1.0], [0, -1.0, 0]])

_MODEL = None


def _model():
    global _MODEL
    if _MODEL is None:
        import anny

        _MODEL = anny.Anny()
    return _MODEL


@dataclass
class Body:
    rig: Rig
    vertices: np.ndarray  # (V,3) rest, walker frame, floor y=0
    faces: np.ndarray  # (F,3)
    weights: np.ndarray  # (V,K)
    indices: np.ndarray  # (V,K)
    dominant: np.ndarray  # (V,) bone index with the largest weight
    foot_vids: dict  # side -> vertex ids bound mainly to foot/toe bones
    height_m: float
    leg_length_m: float
    phenotype: dict


def load_body(phenotype: dict | None = None) -> Body:
    import torch

    m = _model()
    phenotype = dict(phenotype or {})
    with torch.no_grad():
        _, ph, lc, fa = m.get_tensor_inputs(None, phenotype, None, None)
        coeffs = m._get_phenotype_blendshape_coefficients(ph, lc, fa)
        r = m.get_rest_model(coeffs)
    V = r["rest_vertices"][0].double().numpy() @ ANNY_TO_WALKER.T
    heads = r["rest_bone_heads"][0].double().numpy() @ ANNY_TO_WALKER.T
    names = list(m.bone_labels)
    parents = np.asarray(m.bone_parents, int)
    W = m.vertex_bone_weights.double().numpy()
    I = m.vertex_bone_indices.long().numpy()
    faces = m.get_triangular_faces().long().numpy()
    dom = I[np.arange(len(I)), W.argmax(1)]
    foot_vids = {}
    for s in SIDES:
        ids = [names.index(n) for n in names if n.endswith("." + s) and (n.startswith("foot") or n.startswith("toe"))]
        foot_vids[s] = np.nonzero(np.isin(dom, ids))[0]
    floor = min(V[foot_vids[s], 1].min() for s in SIDES)
    V[:, 1] -= floor
    heads[:, 1] -= floor
    heel, toe, heel_vid, toe_vid = {}, {}, {}, {}
    for s in SIDES:
        fv = foot_vids[s]
        ankle = heads[names.index(f"foot.{s}")]
        # heel pivot: lowest foot point with the toe lifted 8 degrees about the ankle
        d = V[fv] - ankle
        c, sn = math.cos(math.radians(8)), math.sin(math.radians(8))
        y_rot = d[:, 1] * c + d[:, 2] * sn  # pitch toe-up: z -> +y
        hv = int(fv[np.argmin(y_rot)])
        heel[s] = V[hv].copy()
        heel_vid[s] = hv
        t2 = [names.index(n) for n in names if n.startswith("toe2-") and n.endswith("." + s)]
        tv = np.nonzero(np.isin(dom, t2))[0]
        tvv = int(tv[np.argmax(V[tv, 2])])
        toe[s] = V[tvv].copy()
        toe_vid[s] = tvv
    rig = Rig(names, parents, heads, heel, toe, heel_vid, toe_vid)
    height = float(V[:, 1].max())
    leg = float(np.mean([heads[names.index(f"upperleg01.{s}"), 1] for s in SIDES]))
    return Body(rig, V, faces, W, I, dom, foot_vids, height, leg, phenotype)
