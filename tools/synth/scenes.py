"""Clip specifications and the named sets (pure python)."""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field

from .gait import SOFT_GIVE, STIFF_GIVE

SKINS = {
    "light": (0.93, 0.78, 0.67),
    "fair": (0.87, 0.68, 0.55),
    "medium": (0.76, 0.57, 0.42),
    "olive": (0.64, 0.47, 0.33),
    "brown": (0.47, 0.32, 0.22),
    "dark": (0.30, 0.20, 0.14),
}
COLOURS = {
    "black": (0.08, 0.08, 0.09),
    "navy": (0.10, 0.14, 0.35),
    "grey": (0.45, 0.46, 0.48),
    "red": (0.70, 0.12, 0.12),
    "green": (0.15, 0.45, 0.22),
    "white": (0.92, 0.92, 0.90),
    "blue": (0.20, 0.40, 0.80),
    "orange": (0.90, 0.50, 0.12),
    "purple": (0.42, 0.22, 0.55),
    "teal": (0.10, 0.50, 0.50),
}
FLOORS = {
    "grey_concrete": ("plain", (0.55, 0.55, 0.53), None),
    "tan_carpet": ("plain", (0.62, 0.52, 0.40), None),
    "checker_tiles": ("checker", (0.80, 0.80, 0.78), (0.35, 0.35, 0.37)),
    "wood_boards": ("stripes", (0.55, 0.38, 0.22), (0.47, 0.31, 0.17)),
    "green_track": ("plain", (0.25, 0.42, 0.28), None),
    "red_track": ("stripes", (0.62, 0.25, 0.20), (0.95, 0.95, 0.95)),
    "blue_mat": ("checker", (0.25, 0.35, 0.55), (0.30, 0.40, 0.60)),
}
WALLS = {
    "white": (0.90, 0.90, 0.88),
    "beige": (0.82, 0.76, 0.64),
    "sky": (0.62, 0.76, 0.90),
    "sage": (0.60, 0.68, 0.58),
    "grey": (0.55, 0.56, 0.60),
}


@dataclass
class ClipSpec:
    name: str
    speed: str = "walk"  # walk | fast_walk | run | stand
    seed: int = 0
    duration_s: float = 4.0
    fps: int = 30
    width_px: int = 720
    height_px: int = 1280
    codec: str = "h264"  # h264 | hevc
    cam_height_m: float = 0.6
    distance_end_m: float = 4.0
    tilt_deg: float = 0.0
    roll_deg: float = 0.0
    yaw_deg: float = 0.0
    fov_deg: float = 65.0
    lateral_m: float = 0.0  # walking line offset to the camera's right
    path_yaw_deg: float = 0.0  # 0 = straight toward the camera
    camera_follow: bool = False  # camera moves back with the person
    treadmill: bool = False  # on a belt: the person stays at distance_end_m, planted feet carried back
    in_place: bool = False  # walking or running on the spot at distance_end_m (no belt: feet land where they left)
    distance_start_m: float | None = None  # place the walk by where it starts instead (a walk back from the phone)
    fpa: dict = field(default_factory=lambda: {"L": 5.0, "R": 5.0})
    landing: str = "spring"  # spring | bang
    twist: dict = field(default_factory=lambda: {"L": 0.0, "R": 0.0})
    valgus: dict = field(default_factory=lambda: {"L": 0.0, "R": 0.0})  # knee falling in, peak added in loading
    eversion: dict = field(default_factory=lambda: {"L": 0.0, "R": 0.0})  # rearfoot roll, peak in loading
    step_width_m: float | None = None  # None: the speed preset's
    pelvic_drop_deg: float | None = None  # None: the speed preset's
    phenotype: dict = field(default_factory=dict)
    skin: str = "medium"
    top: str = "grey"
    bottom: str = "black"
    bottom_kind: str = "shorts"  # shorts | leggings
    floor: str = "grey_concrete"
    wall: str = "white"
    usable: bool = True
    refusal: str | None = None
    crf: int | None = None

    def give(self) -> dict:
        table = SOFT_GIVE if self.landing == "spring" else STIFF_GIVE
        sp = self.speed if self.speed in table else "walk"
        return {"L": table[sp], "R": table[sp]}

    def to_dict(self) -> dict:
        return asdict(self)


def _rand_look(rng: random.Random) -> dict:
    return {
        "phenotype": {
            "gender": round(rng.uniform(0.0, 1.0), 2),
            "height": round(rng.uniform(0.35, 0.7), 2),
            "weight": round(rng.uniform(0.3, 0.7), 2),
            "muscle": round(rng.uniform(0.3, 0.7), 2),
            "age": round(rng.uniform(0.35, 0.6), 2),
            "proportions": round(rng.uniform(0.3, 0.7), 2),
        },
        "skin": rng.choice(list(SKINS)),
        "top": rng.choice(list(COLOURS)),
        "bottom": rng.choice(["black", "navy", "grey", "blue", "purple", "teal", "red"]),
        "bottom_kind": rng.choice(["shorts", "leggings"]),
        "floor": rng.choice(list(FLOORS)),
        "wall": rng.choice(list(WALLS)),
    }


# The committed CI set: (name, overrides). Looks are drawn from the seed.
CI_CLIPS = [
    ("walk_fpa5_15_soft", dict(speed="walk", fpa={"L": 5, "R": 15}, landing="spring", fps=30, cam_height_m=0.6, distance_end_m=4.0, tilt_deg=-3, roll_deg=1.0)),
    ("walk_fpa0_0_stiff", dict(speed="walk", fpa={"L": 0, "R": 0}, landing="bang", fps=60, cam_height_m=0.3, distance_end_m=3.5, tilt_deg=2, roll_deg=-1.5)),
    ("walk_fpa-5_10_twist10", dict(speed="walk", fpa={"L": -5, "R": 10}, twist={"L": 10, "R": 10}, landing="spring", fps=60, codec="hevc", cam_height_m=1.0, distance_end_m=5.0, tilt_deg=-6)),
    ("walk_fpa20_25_stiff", dict(speed="walk", fpa={"L": 20, "R": 25}, landing="bang", fps=30, cam_height_m=0.6, distance_end_m=6.0, width_px=1280, height_px=720, tilt_deg=-2)),
    ("walk_fpa-15_5_twist20", dict(speed="walk", fpa={"L": -15, "R": 5}, twist={"L": 20, "R": 0}, landing="spring", fps=120, duration_s=3.0, cam_height_m=0.45, distance_end_m=3.5, tilt_deg=0, roll_deg=2.0)),
    ("fastwalk_fpa10_10_soft", dict(speed="fast_walk", fpa={"L": 10, "R": 10}, landing="spring", fps=60, cam_height_m=0.6, distance_end_m=4.5, tilt_deg=-2, lateral_m=0.25)),
    ("fastwalk_fpa15_-5_stiff", dict(speed="fast_walk", fpa={"L": 15, "R": -5}, landing="bang", fps=30, codec="hevc", cam_height_m=0.8, distance_end_m=5.5, width_px=1280, height_px=720, tilt_deg=-4)),
    ("run_fpa5_5_soft", dict(speed="run", fpa={"L": 5, "R": 5}, landing="spring", fps=60, duration_s=3.0, cam_height_m=0.6, distance_end_m=4.0, tilt_deg=-2)),
    ("run_fpa0_20_stiff", dict(speed="run", fpa={"L": 0, "R": 20}, landing="bang", fps=120, duration_s=2.5, cam_height_m=0.3, distance_end_m=4.0, tilt_deg=3, roll_deg=-1.0)),
    ("run_fpa-5_25_soft_twist10", dict(speed="run", fpa={"L": -5, "R": 25}, twist={"L": 10, "R": 10}, landing="spring", fps=60, codec="hevc", duration_s=3.0, cam_height_m=1.0, distance_end_m=6.0, tilt_deg=-5)),
    ("run_fpa10_15_stiff_land", dict(speed="run", fpa={"L": 10, "R": 15}, landing="bang", fps=30, duration_s=3.0, cam_height_m=0.7, distance_end_m=7.0, width_px=1280, height_px=720, tilt_deg=-1, twist={"L": 20, "R": 0})),
    ("walk_fpa10_0_hd", dict(speed="walk", fpa={"L": 10, "R": 0}, landing="spring", fps=30, width_px=1080, height_px=1920, cam_height_m=0.5, distance_end_m=3.0, tilt_deg=0, twist={"L": 0, "R": 10})),
]
# Full HD for the usable clips (BlazePose needs the far, early frames big enough);
# walks last 5 s (~9 steps) except at 120 fps.
for _name, _kw in CI_CLIPS:
    _land = _kw.get("width_px", 720) > _kw.get("height_px", 1280)
    _kw["width_px"], _kw["height_px"] = (1920, 1080) if _land else (1080, 1920)
    if _kw["speed"] != "run" and _kw.get("fps", 30) < 120:
        _kw["duration_s"] = 5.0
    elif _kw["speed"] != "run":
        _kw["duration_s"] = 3.5

REFUSE_CLIPS = [
    ("refuse_no_walking", dict(speed="stand", duration_s=4.0, fps=30, usable=False, refusal="no_walking", cam_height_m=0.7, distance_end_m=4.0)),
    ("refuse_oblique", dict(speed="walk", path_yaw_deg=45.0, duration_s=4.0, fps=30, usable=False, refusal="oblique_path", cam_height_m=0.7, distance_end_m=4.5, lateral_m=1.0)),
    ("refuse_camera_moving", dict(speed="walk", camera_follow=True, duration_s=4.0, fps=30, usable=False, refusal="camera_moving", cam_height_m=0.6, distance_end_m=4.0)),
    ("refuse_legs_only", dict(speed="walk", duration_s=4.0, fps=30, usable=False, refusal="legs_only", cam_height_m=0.35, distance_end_m=2.0, tilt_deg=-12, fov_deg=55)),
]


# Issue 11: set knee valgus, pelvic drop and step width (walking toward the phone) and rearfoot
# eversion (walking away: the walk back seen from behind), camera 0.3-1.0 m high and turned a
# little off the path. Small frames (540x960) to keep rendering and the repository light.
_SMALL = dict(width_px=540, height_px=960, fps=30)
FRONTAL_CLIPS = [
    ("frontal_walk_valgus10_3_drop6", dict(speed="walk", valgus={"L": 10, "R": 3}, pelvic_drop_deg=6.0, step_width_m=0.10, landing="spring", duration_s=4.0, cam_height_m=0.5, distance_end_m=3.5, yaw_deg=4.0, lateral_m=0.15, tilt_deg=-2, **_SMALL)),
    ("frontal_walk_valgus0_8_narrow", dict(speed="walk", valgus={"L": 0, "R": 8}, pelvic_drop_deg=3.0, step_width_m=-0.03, landing="spring", duration_s=4.0, cam_height_m=0.9, distance_end_m=4.0, yaw_deg=-5.0, lateral_m=-0.1, tilt_deg=-6, roll_deg=1.0, **_SMALL)),
    ("frontal_fastwalk_valgus12_0_drop8_wide", dict(speed="fast_walk", valgus={"L": 12, "R": 0}, pelvic_drop_deg=8.0, step_width_m=0.18, landing="spring", duration_s=3.5, cam_height_m=0.3, distance_end_m=4.0, yaw_deg=3.0, tilt_deg=2, **_SMALL)),
    ("frontal_run_valgus4_10_drop5", dict(speed="run", valgus={"L": 4, "R": 10}, pelvic_drop_deg=5.0, step_width_m=0.05, landing="spring", duration_s=2.5, cam_height_m=0.7, distance_end_m=4.5, yaw_deg=-3.0, lateral_m=0.1, tilt_deg=-3, width_px=540, height_px=960, fps=60)),
    # closer at the end (2.5 m), as the guide's walk ends near the phone
    ("frontal_walk_valgus6_9_close", dict(speed="walk", valgus={"L": 6, "R": 9}, pelvic_drop_deg=5.0, step_width_m=0.08, landing="spring", duration_s=4.5, cam_height_m=0.6, distance_end_m=2.5, yaw_deg=-4.0, lateral_m=0.1, tilt_deg=-4, **_SMALL)),
    ("frontal_fastwalk_valgus0_12_close", dict(speed="fast_walk", valgus={"L": 0, "R": 12}, pelvic_drop_deg=7.0, step_width_m=0.02, landing="spring", duration_s=3.5, cam_height_m=0.8, distance_end_m=2.5, yaw_deg=5.0, tilt_deg=-5, **_SMALL)),
    ("rear_walk_eversion12_6_close", dict(speed="walk", eversion={"L": 12, "R": 6}, path_yaw_deg=180.0, duration_s=2.8, cam_height_m=0.7, distance_end_m=6.0, yaw_deg=2.0, tilt_deg=-2, usable=False, refusal="walking_away", **_SMALL)),
    ("rear_walk_eversion8_2", dict(speed="walk", eversion={"L": 8, "R": 2}, path_yaw_deg=180.0, duration_s=3.2, cam_height_m=0.4, distance_end_m=7.0, yaw_deg=3.0, tilt_deg=4, usable=False, refusal="walking_away", **_SMALL)),
    ("rear_walk_eversion0_10", dict(speed="walk", eversion={"L": 0, "R": 10}, path_yaw_deg=180.0, duration_s=3.2, cam_height_m=0.7, distance_end_m=7.0, yaw_deg=-4.0, lateral_m=0.1, tilt_deg=-4, usable=False, refusal="walking_away", **_SMALL)),
]


def clip_set(name: str, seed: int) -> list[ClipSpec]:
    rng = random.Random(seed)
    if name == "frontal_holdout":
        # Fresh frontal clips from the seed: the figures on clips the measures were never looked at with.
        out = []
        for i in range(6):
            look = _rand_look(rng)
            rear = i >= 4
            sp = "walk" if rear else rng.choice(["walk", "walk", "fast_walk", "run"])
            kw = dict(speed=sp, landing="spring", width_px=540, height_px=960, fps=60 if sp == "run" else 30,
                      cam_height_m=round(rng.uniform(0.3, 1.0), 2), yaw_deg=round(rng.choice([-1, 1]) * rng.uniform(2, 6), 1),
                      tilt_deg=round(rng.uniform(-5, 2), 1), roll_deg=round(rng.uniform(-1.5, 1.5), 1),
                      lateral_m=round(rng.uniform(-0.2, 0.2), 2))
            if rear:
                kw.update(path_yaw_deg=180.0, duration_s=3.2, distance_end_m=7.0, usable=False, refusal="walking_away",
                          eversion={"L": rng.choice([0, 3, 6, 9, 12]), "R": rng.choice([0, 3, 6, 9, 12])})
                if kw["cam_height_m"] < 0.5:
                    kw["tilt_deg"] = 4.0  # the head stays in the picture close up
            else:
                kw.update(duration_s=2.5 if sp == "run" else 4.0, distance_end_m=round(rng.uniform(3.5, 4.5), 1),
                          valgus={"L": rng.choice([0, 3, 6, 9, 12]), "R": rng.choice([0, 3, 6, 9, 12])},
                          pelvic_drop_deg=float(rng.choice([2, 4, 6, 8])),
                          step_width_m=round(rng.uniform(-0.03, 0.18), 2))
            out.append(ClipSpec(name=f"frontal_holdout_{seed}_{i:02d}_{'rear' if rear else sp}", seed=seed * 1000 + 200 + i,
                                **{**look, **kw}))
        return out
    if name in ("treadmill", "in_place"):
        # Facing the phone without coming nearer. treadmill (the product's "in place"): the person stays
        # put, the belt carries each planted foot back at the walking speed. in_place: walking and
        # running on the spot on a still floor: steps without travel.
        belt = name == "treadmill"
        out = []
        for i, sp in enumerate(["walk", "fast_walk", "run", "walk"]):
            look = _rand_look(rng)
            kw = dict(speed=sp, treadmill=belt, in_place=not belt, landing=rng.choice(["spring", "bang"]),
                      fpa={"L": rng.choice([-10, -5, 0, 5, 10, 15, 20]), "R": rng.choice([-10, -5, 0, 5, 10, 15, 20])},
                      fps=rng.choice([30, 60]), cam_height_m=round(rng.uniform(0.3, 1.0), 2),
                      distance_end_m=round(rng.uniform(2.5, 4.0 if belt else 4.5), 1),
                      tilt_deg=round(rng.uniform(-5, 2), 1),
                      roll_deg=round(rng.uniform(-1.5, 1.5), 1), lateral_m=round(rng.uniform(-0.15, 0.15), 2),
                      duration_s=3.0 if sp == "run" else 4.0, width_px=540, height_px=960)
            out.append(ClipSpec(name=f"{name}_{seed}_{i:02d}_{sp}", seed=seed * 1000 + (300 if belt else 400) + i,
                                **{**look, **kw}))
        return out
    if name in ("there_and_back", "away_and_back"):
        # Toward the phone and back, as the seed's self-test: each clip is rendered as two parts, the
        # walk toward the phone ("_a") and the walk away from where it ended ("_b", the same walker and
        # camera), joined into one clip by tools.synth.join (no turn on the spot is rendered).
        # "away_and_back" joins them the other way: recording started at the phone, the walk away to
        # the start, then the walk toward the phone.
        out = []
        for i in range(3):
            look = _rand_look(rng)
            cam = dict(cam_height_m=round(rng.uniform(0.4, 0.9), 2), yaw_deg=round(rng.uniform(-4, 4), 1),
                       tilt_deg=round(rng.uniform(-4, 1), 1), lateral_m=round(rng.uniform(-0.15, 0.15), 2),
                       width_px=540, height_px=960, fps=30, duration_s=4.0, speed="walk")
            near = round(rng.uniform(2.6, 3.3), 1)  # the head stays in the picture at the turn
            clip = f"{name}_{seed}_{i:02d}"
            out.append(ClipSpec(name=f"{clip}_a", seed=seed * 1000 + 500 + i, distance_end_m=near, **{**look, **cam}))
            out.append(ClipSpec(name=f"{clip}_b", seed=seed * 1000 + 500 + i, distance_start_m=near, path_yaw_deg=180.0,
                                **{**look, **cam}))
        return out
    if name == "frontal":
        out = []
        for i, (nm, kw) in enumerate(FRONTAL_CLIPS):
            look = _rand_look(rng)
            out.append(ClipSpec(name=nm, seed=seed * 1000 + 100 + i, **{**look, **kw}))
        return out
    if name in ("ci", "ci_usable", "refuse"):
        entries = {"ci": CI_CLIPS + REFUSE_CLIPS, "ci_usable": CI_CLIPS, "refuse": REFUSE_CLIPS}[name]
        out = []
        for i, (nm, kw) in enumerate(entries):
            look = _rand_look(rng)
            out.append(ClipSpec(name=nm, seed=seed * 1000 + i, **{**look, **kw}))
        return out
    if name == "holdout":
        out = []
        speeds = ["walk", "walk", "fast_walk", "run", "run", "walk", "fast_walk", "run"]
        for i, sp in enumerate(speeds):
            look = _rand_look(rng)
            fpa = {"L": rng.choice([-15, -10, -5, 0, 5, 10, 15, 20, 25]), "R": rng.choice([-10, -5, 0, 5, 10, 15, 20])}
            landscape = rng.random() < 0.3
            kw = dict(
                speed=sp,
                fpa=fpa,
                twist={"L": rng.choice([0, 0, 10, 20]), "R": rng.choice([0, 0, 10, 20])},
                landing=rng.choice(["spring", "bang"]),
                fps=rng.choice([30, 60, 60, 120]),
                codec=rng.choice(["h264", "hevc"]),
                cam_height_m=round(rng.uniform(0.3, 1.0), 2),
                distance_end_m=round(rng.uniform(3.5 if not landscape else 5.5, 7.0), 1),
                tilt_deg=round(rng.uniform(-5, 3), 1),
                roll_deg=round(rng.uniform(-2, 2), 1),
                lateral_m=round(rng.uniform(-0.3, 0.3), 2),
                duration_s=3.0 if sp == "run" else 5.0,
                width_px=1080,
                height_px=1920,
            )
            if kw["fps"] == 120:
                kw["duration_s"] = 2.5 if sp == "run" else 3.5
            if landscape:
                kw.update(width_px=1920, height_px=1080)
            out.append(ClipSpec(name=f"holdout_{seed}_{i:02d}_{sp}", seed=seed * 1000 + i, **{**look, **kw}))
        return out
    raise ValueError(f"unknown set {name!r}")
