"""Render one clip: anny body + gait -> pyrender (EGL) -> H.264/HEVC, plus truth JSON/NPZ."""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path

os.environ.setdefault("PYOPENGL_PLATFORM", "egl")

import numpy as np

from . import __version__
from .body import Body, load_body
from .camera import Camera
from .gait import FootSettings, GaitConfig, Walker, _align
from .rig import SIDE_SIGN, SIDES, forward_kinematics, rot_x, rot_y, rot_z, skin, unit
from .scenes import COLOURS, FLOORS, SKINS, WALLS, ClipSpec
from .truth import POINTS, contacts_truth, landmarks

CONTACT_MM = 5.0


# ---------------------------------------------------------------- poses
class StandPose:
    """Standing still with both feet flat, raising both arms overhead and lowering them."""

    def __init__(self, body: Body, period_s: float = 2.4):
        self.rig = body.rig
        self.period = period_s

    def pose(self, t):
        rig = self.rig
        rot = {}
        a = 0.5 * (1 - math.cos(2 * math.pi * t / self.period)) * math.radians(150)
        for s in SIDES:
            sg = SIDE_SIGN[s]
            hang = unit(np.array([sg * math.sin(math.radians(8)), -math.cos(math.radians(8)), 0.0]))
            a0 = unit(rig.head(f"lowerarm01.{s}") - rig.head(f"upperarm01.{s}"))
            f0 = unit(rig.head(f"wrist.{s}") - rig.head(f"lowerarm01.{s}"))
            R = rot_z(sg * a)
            rot[f"upperarm01.{s}"] = R @ _align(a0, hang)
            rot[f"lowerarm01.{s}"] = R @ rot_x(-math.radians(10)) @ _align(f0, hang)
        return {"t": t, "root": rig.root().copy(), "rot": rot, "contact": {"L": True, "R": True}}


# ---------------------------------------------------------------- scene
def vertex_normals(V, F):
    fn = np.cross(V[F[:, 1]] - V[F[:, 0]], V[F[:, 2]] - V[F[:, 0]])
    vn = np.zeros_like(V)
    for k in range(3):
        np.add.at(vn, F[:, k], fn)
    n = np.linalg.norm(vn, axis=1, keepdims=True)
    return vn / np.maximum(n, 1e-12)


TORSO_BONES = ("root", "pelvis", "spine05", "spine04", "spine03")
WAIST_ABOVE_ROOT_M = 0.07  # the waistband (bottom garment below, top above), on the iliac crests
WAIST_RIGID_ABOVE_M = 0.02  # the torso up to this far above the waistband moves with the pelvis
WAIST_BLEND_M = 0.06  # ... and over this much more blends into the trunk


def waist_on_pelvis(body: Body) -> tuple[np.ndarray, np.ndarray]:
    """Skin weights and bone indices with the waistband bound to the pelvis (the ``root`` bone).

    A garment's waistband sits on the pelvis and tilts with it (pelvic drop). anny binds the
    waist mostly to spine04/05, which the gait keeps upright, so its waistband tilted at only
    ~0.35 of the pelvis (checked on exact skinned vertices). The torso below the waistband and
    2 cm above it now follow the root bone; over the next 6 cm the weights blend back to anny's.
    """
    names = body.rig.names
    root = names.index("root")
    dom = np.array([names[j] for j in body.dominant])
    torso = np.array([any(d.startswith(p) for p in TORSO_BONES) for d in dom])
    y = body.vertices[:, 1]
    top_y = body.rig.root()[1] + WAIST_ABOVE_ROOT_M + WAIST_RIGID_ABOVE_M
    alpha = np.where(torso, np.clip((top_y + WAIST_BLEND_M - y) / WAIST_BLEND_M, 0.0, 1.0), 0.0)
    W, I = body.weights.copy(), body.indices.copy()
    for v in np.flatnonzero(alpha > 0):
        # One slot for the root bone (anny pads unused slots with bone 0, the root, at weight 0):
        # the first it has, else the slot of the smallest weight.
        own = np.flatnonzero(I[v] == root)
        k = int(own[0]) if own.size else int(np.argmin(W[v]))
        if not own.size:
            I[v, k], W[v, k] = root, 0.0
        W[v] *= 1.0 - alpha[v]
        W[v, k] += alpha[v]
    assert np.allclose(W.sum(axis=1), body.weights.sum(axis=1))
    return W, I


def body_colours(body: Body, spec: ClipSpec) -> np.ndarray:
    names = body.rig.names
    dom = np.array([names[j] for j in body.dominant])
    skin_c = np.array(SKINS[spec.skin])
    col = np.tile(skin_c, (len(dom), 1))
    top = np.array(COLOURS[spec.top])
    bottom = np.array(COLOURS[spec.bottom])
    V = body.vertices

    def has(prefixes):
        return np.array([any(d.startswith(p) for p in prefixes) for d in dom])

    col[has(("spine", "clavicle", "shoulder01", "upperarm01"))] = top
    shorts = has(("root", "pelvis", "upperleg01"))
    upper2 = has(("upperleg02",))
    knee_y = body.rig.knee("L")[1]
    if spec.bottom_kind == "leggings":
        legs = shorts | upper2 | has(("lowerleg01", "lowerleg02"))
        ankle_y = body.rig.ankle("L")[1] + 0.04
        legs &= V[:, 1] > ankle_y
    else:
        legs = shorts | (upper2 & (V[:, 1] > knee_y + 0.12))
    col[legs] = bottom
    # waistband: torso below it is the bottom garment, above it the top
    torso = has(TORSO_BONES)
    seam_y = body.rig.root()[1] + WAIST_ABOVE_ROOT_M
    col[torso & (V[:, 1] < seam_y)] = bottom
    col[torso & (V[:, 1] >= seam_y)] = top
    # hair: top and back of the head
    eye_y = body.rig.head("eye.L")[1]
    head_z = body.rig.head("head")[2]
    headv = has(("head", "neck03"))
    hair = headv & ((V[:, 1] > eye_y + 0.035) | ((V[:, 1] > eye_y - 0.06) & (V[:, 2] < head_z - 0.03)))
    col[hair] = (0.12, 0.08, 0.05)
    col[has(("eye",))] = (0.9, 0.9, 0.9)
    return col


def floor_mesh(pyrender, kind_key: str, x_range=(-60, 60), z_range=(-45, 6)):
    kind, ca, cb = FLOORS[kind_key]
    quads = []
    if kind == "plain":
        quads.append((x_range[0], x_range[1], z_range[0], z_range[1], ca))
    elif kind == "checker":
        step = 1.0
        for i, x in enumerate(np.arange(x_range[0], x_range[1], step)):
            for j, z in enumerate(np.arange(z_range[0], z_range[1], step)):
                quads.append((x, x + step, z, z + step, ca if (i + j) % 2 == 0 else cb))
    else:  # stripes along the walking direction
        x = x_range[0]
        i = 0
        while x < x_range[1]:
            w = 0.35 if kind_key == "wood_boards" else (1.2 if i % 2 == 0 else 0.08)
            quads.append((x, x + w, z_range[0], z_range[1], ca if i % 2 == 0 else cb))
            x += w
            i += 1
    P, C, I = [], [], []
    for k, (x0, x1, z0, z1, c) in enumerate(quads):
        P += [(x0, 0, z0), (x1, 0, z0), (x1, 0, z1), (x0, 0, z1)]
        C += [c] * 4
        b = 4 * k
        I += [(b, b + 2, b + 1), (b, b + 3, b + 2)]
    P = np.array(P, np.float32)
    N = np.tile(np.array([0, 1, 0], np.float32), (len(P), 1))
    C = np.concatenate([np.array(C, np.float32), np.ones((len(C), 1), np.float32)], 1)
    mat = pyrender.MetallicRoughnessMaterial(metallicFactor=0.0, roughnessFactor=1.0, alphaMode="OPAQUE")
    prim = pyrender.Primitive(positions=P, normals=N, indices=np.array(I, np.uint32), color_0=C, material=mat)
    return pyrender.Mesh([prim])


def wall_mesh(pyrender, colour, z=-45.0):
    P = np.array([(-60, -1, z), (60, -1, z), (60, 40, z), (-60, 40, z)], np.float32)
    N = np.tile(np.array([0, 0, 1], np.float32), (4, 1))
    mat = pyrender.MetallicRoughnessMaterial(baseColorFactor=list(colour) + [1.0], metallicFactor=0.0, roughnessFactor=1.0)
    prim = pyrender.Primitive(positions=P, normals=N, indices=np.array([(0, 1, 2), (0, 2, 3)], np.uint32), material=mat)
    return pyrender.Mesh([prim])


# ---------------------------------------------------------------- video
class Encoder:
    def __init__(self, path: Path, spec: ClipSpec):
        import av

        self.av = av
        self.c = av.open(str(path), "w")
        codec = {"h264": "libx264", "hevc": "libx265"}[spec.codec]
        self.s = self.c.add_stream(codec, rate=spec.fps)
        self.s.width = spec.width_px
        self.s.height = spec.height_px
        self.s.pix_fmt = "yuv420p"
        from fractions import Fraction

        self.s.time_base = Fraction(1, spec.fps)
        crf = spec.crf or (21 if spec.codec == "h264" else 24)
        if spec.codec == "hevc":
            self.s.codec_context.codec_tag = "hvc1"
            self.s.options = {"crf": str(crf), "preset": "medium", "x265-params": "log-level=error"}
        else:
            self.s.options = {"crf": str(crf), "preset": "medium"}
        self.i = 0

    def write(self, rgb: np.ndarray):
        f = self.av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
        f.pts = self.i
        self.i += 1
        for p in self.s.encode(f):
            self.c.mux(p)

    def close(self):
        for p in self.s.encode():
            self.c.mux(p)
        self.c.close()


# ---------------------------------------------------------------- clip
def _walker_for(spec: ClipSpec, body: Body, t_last: float):
    import random

    rng = random.Random(spec.seed)
    give = spec.give()
    feet = {s: FootSettings(fpa_deg=float(spec.fpa[s]), knee_give_deg=give[s], twist_deg=float(spec.twist[s]),
                            knee_valgus_deg=float(spec.valgus[s]), rearfoot_eversion_deg=float(spec.eversion[s]))
            for s in SIDES}
    cfg = GaitConfig(
        speed=spec.speed,
        feet=feet,
        cadence_scale=rng.uniform(0.97, 1.03),
        speed_scale=0.0 if spec.in_place else rng.uniform(0.97, 1.03),
        phase_s=rng.uniform(0.0, 1.0),
        step_width_m=spec.step_width_m,
        pelvic_drop_deg=spec.pelvic_drop_deg,
    )
    return Walker(body.rig, cfg, 0.0, t_last)


def render_clip(spec: ClipSpec, out_dir: Path, log=print) -> dict:
    import pyrender

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    n = int(round(spec.duration_s * spec.fps))
    times = np.arange(n) / spec.fps
    t_last = times[-1]
    body = load_body(spec.phenotype)
    rig = body.rig
    stand = spec.speed == "stand"
    walker = None if stand else _walker_for(spec, body, t_last)
    mover = StandPose(body) if stand else walker

    # walker frame -> world
    Rw = rot_y(math.radians(spec.path_yaw_deg))
    if spec.distance_start_m is not None:  # placed by where the walk starts (a walk back from the phone)
        tw = np.array([spec.lateral_m, 0.0, -spec.distance_start_m]) - Rw @ mover.pose(0.0)["root"]
    else:
        end_root = mover.pose(t_last)["root"]
        target_end = np.array([spec.lateral_m, 0.0, -spec.distance_end_m])
        tw = target_end - Rw @ end_root
    tw[1] = 0.0

    cam = Camera(spec.width_px, spec.height_px, spec.fov_deg, spec.cam_height_m, spec.tilt_deg, spec.roll_deg, spec.yaw_deg)

    def cam_z(t_root_world_z):
        return t_root_world_z + spec.distance_end_m if spec.camera_follow else 0.0

    colours = np.concatenate([body_colours(body, spec), np.ones((len(body.vertices), 1))], 1).astype(np.float32)
    skin_w, skin_i = waist_on_pelvis(body)
    faces = body.faces.astype(np.uint32)
    scene = pyrender.Scene(bg_color=list(WALLS[spec.wall]) + [1.0], ambient_light=[0.38, 0.38, 0.38])
    scene.add(floor_mesh(pyrender, spec.floor))
    scene.add(wall_mesh(pyrender, WALLS[spec.wall]))
    light_pose = np.eye(4)
    light_pose[:3, :3] = rot_y(math.radians(25)) @ rot_x(math.radians(-50))
    scene.add(pyrender.DirectionalLight(color=[1, 1, 1], intensity=3.2), pose=light_pose)
    f = cam.focal_px
    camera = pyrender.IntrinsicsCamera(fx=f, fy=f, cx=spec.width_px / 2, cy=spec.height_px / 2, znear=0.05, zfar=200)
    cam_node = scene.add(camera, pose=cam.pose())
    renderer = pyrender.OffscreenRenderer(spec.width_px, spec.height_px)
    body_mat = pyrender.MetallicRoughnessMaterial(metallicFactor=0.0, roughnessFactor=0.75, alphaMode="OPAQUE")

    video = out_dir / f"{spec.name}.mp4"
    enc = Encoder(video, spec)
    P3 = {(p, s): np.zeros((n, 3)) for p in POINTS for s in SIDES}
    knee = np.zeros((n, 2))
    foot_min = np.zeros((n, 2))
    bbox = np.zeros((n, 4))
    cam_zs = np.zeros(n)
    rigid_err = 0.0
    t0 = time.time()
    node = None
    forward_w = Rw @ np.array([0.0, 0.0, 1.0])  # the walker's forward (+z) in the world
    for i, t in enumerate(times):
        pose = mover.pose(t)
        # On a treadmill the belt takes back what the walker gains: the same gait, the body kept
        # at its end position and each planted foot carried back at the walking speed.
        belt = -walker.v * (t - t_last) * forward_w if spec.treadmill and walker is not None else np.zeros(3)
        R, tt, posed = forward_kinematics(rig, pose["root"], pose["rot"])
        Vw = skin(body.vertices, skin_w, skin_i, R, tt)  # walker frame
        lm = landmarks(rig, pose)
        for s in SIDES:  # mesh vertices for heel and toe (skinned)
            lm[("heel", s)] = Vw[rig.heel_vid[s]]
            lm[("toe", s)] = Vw[rig.toe_vid[s]]
            rigid_err = max(rigid_err, float(np.linalg.norm(Vw[rig.heel_vid[s]] - landmarks(rig, pose)[("heel", s)])))
        V = Vw @ Rw.T + tw + belt
        root_w = Rw @ pose["root"] + tw + belt
        cz = cam_z(root_w[2])
        cam_zs[i] = cz
        scene.set_pose(cam_node, cam.pose(cz))
        for si, s in enumerate(SIDES):
            for p in POINTS:
                P3[(p, s)][i] = Rw @ lm[(p, s)] + tw + belt
            knee[i, si] = lm[("knee_flex", s)]
            foot_min[i, si] = V[body.foot_vids[s], 1].min()
        uv = cam.project(V, cz)
        bbox[i] = [np.nanmin(uv[:, 0]), np.nanmin(uv[:, 1]), np.nanmax(uv[:, 0]), np.nanmax(uv[:, 1])]
        N = vertex_normals(V, body.faces)
        prim = pyrender.Primitive(
            positions=V.astype(np.float32), normals=N.astype(np.float32), indices=faces, color_0=colours, material=body_mat
        )
        if node is not None:
            scene.remove_node(node)
        node = scene.add(pyrender.Mesh([prim]))
        rgb, _ = renderer.render(scene)
        enc.write(rgb)
        if i % 50 == 0:
            log(f"  {spec.name}: frame {i}/{n} ({(time.time() - t0) / (i + 1):.2f} s/frame)")
    enc.close()
    renderer.delete()
    per_frame_s = (time.time() - t0) / n

    # truth
    contacts = [] if stand else contacts_truth(walker, spec.fps, n, spec.speed)
    if stand or spec.refusal in ("oblique_path",):
        pass
    arrays = {"time_s": times}
    for p in POINTS:
        for s in SIDES:
            arrays[f"{p}_{s}_3d"] = P3[(p, s)]
            arrays[f"{p}_{s}_2d"] = np.stack([cam.project(P3[(p, s)][i], cam_zs[i]) for i in range(n)])
    arrays["knee_flexion_deg"] = knee
    arrays["foot_min_height_m"] = foot_min
    arrays["camera_z_m"] = cam_zs
    npz = out_dir / f"{spec.name}.frames.npz"
    np.savez_compressed(npz, **{k: v.astype(np.float32) if k != "time_s" else v for k, v in arrays.items()})

    # diagnostics: mesh contact vs contact model, framing
    diag = {"render_s_per_frame": round(per_frame_s, 3), "heel_vertex_vs_rigid_m": round(rigid_err, 5)}
    mesh_ic = []
    for c in contacts:
        si = SIDES.index(c["foot"])
        if c["ic_frame"] is None:
            continue
        f0 = c["ic_frame"]
        lo = max(0, f0 - 10)
        touch = np.nonzero(foot_min[lo : f0 + 10, si] <= CONTACT_MM / 1000)[0]
        mesh_ic.append(None if len(touch) == 0 else int(lo + touch[0]) - f0)
    diag["mesh_ic_minus_model_frames"] = mesh_ic
    diag["stance_foot_min_height_mm"] = None
    if contacts:
        vals = []
        for c in contacts:
            si = SIDES.index(c["foot"])
            a = c["ic_frame"] if c["ic_frame"] is not None else 0
            b = c["to_frame"] if c["to_frame"] is not None else n - 1
            vals.append(foot_min[a : b + 1, si])
        v = np.concatenate(vals)
        diag["stance_foot_min_height_mm"] = [round(float(v.min()) * 1000, 2), round(float(v.max()) * 1000, 2)]
    W, H = spec.width_px, spec.height_px
    inside = (bbox[:, 0] >= 0) & (bbox[:, 1] >= 0) & (bbox[:, 2] <= W) & (bbox[:, 3] <= H)
    diag["frames_body_fully_inside"] = int(inside.sum())
    diag["body_height_px_first_last"] = [round(float(bbox[0, 3] - bbox[0, 1]), 1), round(float(bbox[-1, 3] - bbox[-1, 1]), 1)]
    if walker is not None:
        diag["ik_clamped_stance"] = walker.clamped
        diag["ik_straight_knee_swing"] = walker.swing_clamped

    truth = {
        "clip": video.name,
        "source": "rendered",
        "generator": f"tools.synth {__version__}",
        "seed": spec.seed,
        "fps": spec.fps,
        "frames": n,
        "width_px": W,
        "height_px": H,
        "codec": spec.codec,
        "speed": spec.speed if not stand else "walk",
        "camera": {
            "height_m": spec.cam_height_m,
            "distance_end_m": spec.distance_end_m,
            "tilt_deg": spec.tilt_deg,
            "roll_deg": spec.roll_deg,
            "yaw_deg": spec.yaw_deg,
            "fov_deg": spec.fov_deg,
            "fov_axis": "long side",
            "orientation": cam.orientation,
            "focal_px": round(f, 3),
            "moving": spec.camera_follow,
        },
        "subject": {
            "height_m": round(body.height_m, 3),
            "leg_length_m": round(body.leg_length_m, 3),
            "hip_ankle_m": round(float(np.mean([walker.l1[s] + walker.l2[s] for s in SIDES])), 4) if walker else None,
            "skin": spec.skin,
            "clothes": f"{spec.top} top, {spec.bottom} {spec.bottom_kind}, barefoot",
            "floor": spec.floor,
            "background": spec.wall,
            "phenotype": spec.phenotype,
        },
        "settings": {
            "fpa_deg": {s: float(spec.fpa[s]) for s in SIDES},
            "knee_give_deg": {s: float(v) for s, v in spec.give().items()},
            "twist_deg": {s: float(spec.twist[s]) for s in SIDES},
            "knee_valgus_deg": {s: float(spec.valgus[s]) for s in SIDES},
            "rearfoot_eversion_deg": {s: float(spec.eversion[s]) for s in SIDES},
            "step_width_m": walker.p.step_width_m if walker is not None else None,
            "pelvic_drop_deg": walker.p.pelvic_drop_deg if walker is not None else None,
            "landing": spec.landing,
            "path_yaw_deg": spec.path_yaw_deg,
            "view": "rear" if abs(abs(spec.path_yaw_deg) - 180.0) < 60.0 else "front",
            "lateral_m": spec.lateral_m,
            "activity": ("stand_arm_raises" if stand else f"treadmill_{spec.speed}" if spec.treadmill
                         else f"in_place_{spec.speed}" if spec.in_place else spec.speed),
            "treadmill": spec.treadmill,
        },
        "expect": {"usable": spec.usable} if spec.usable else {"usable": False, "refusal": spec.refusal},
        "contacts": contacts,
        "cadence_spm": 0.0 if stand else round(60.0 * 2 / walker.T, 3),
        "speed_mps": 0.0 if stand else round(walker.v, 4),
        "per_frame": npz.name,
        "diagnostics": diag,
    }
    (out_dir / f"{spec.name}.json").write_text(json.dumps(truth, indent=1) + "\n")
    log(f"  {spec.name}: done, {per_frame_s:.2f} s/frame, {video.stat().st_size / 1e6:.2f} MB, diag {diag}")
    return truth


def render_job(args):
    """Worker entry (picklable): (ClipSpec as dict, out dir) -> (name, seconds, diagnostics)."""
    spec_dict, out = args
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass
    spec = ClipSpec(**spec_dict)
    t = time.time()
    truth = render_clip(spec, Path(out), log=lambda m: print(m, flush=True))
    return spec.name, time.time() - t, truth["diagnostics"]
