"""Line drawings of the exercises, made by code as small SVGs.

Each picture is a stick figure (or a foot) on a light rounded card, so it reads
the same on light and dark themes. The pale figure is the start position, the
dark one the end position; blue arrows show the movement, orange marks bands,
balls and ropes. No ``id`` attributes or ``<defs>``: many pictures share one
page, and duplicate ids would make them reference each other.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

Point = tuple[float, float]

WIDTH_PX, HEIGHT_PX = 240, 160
GROUND_Y_PX = 140.0

INK = "#1f2a33"
GHOST = "#b4bcc4"
MOVE = "#2b78b5"
ACCENT = "#d2602a"
CARD = "#f7f5f0"
EDGE = "#d6cfbf"
PROP = "#d9d0bb"
FLOOR = "#9c927d"

# Body segment lengths in picture units (about 1.5 cm each for a 175 cm runner).
TRUNK, NECK, HEAD_R = 46.0, 11.0, 8.0
THIGH, SHIN, FOOT = 28.0, 27.0, 11.0
UPPER_ARM, FOREARM = 22.0, 21.0

Leg = tuple[float, float, float]  # thigh, shin, foot directions, degrees from straight down (+ = towards +x)
Arm = tuple[float, float]  # upper arm, forearm directions, same convention


def _step(p: Point, angle_deg: float, length: float) -> Point:
    a = math.radians(angle_deg)
    return (p[0] + length * math.sin(a), p[1] + length * math.cos(a))


def _pts(points: Sequence[Point]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _line(points: Sequence[Point], colour: str = INK, width: float = 5.0, dash: bool = False) -> str:
    extra = ' stroke-dasharray="6 6"' if dash else ""
    return (
        f'<polyline points="{_pts(points)}" fill="none" stroke="{colour}" stroke-width="{width}" '
        f'stroke-linecap="round" stroke-linejoin="round"{extra}/>'
    )


def _circle(c: Point, r: float, fill: str, stroke: str = "none") -> str:
    return f'<circle cx="{c[0]:.1f}" cy="{c[1]:.1f}" r="{r}" fill="{fill}" stroke="{stroke}" stroke-width="3"/>'


def _rect(x: float, y: float, w: float, h: float, fill: str = PROP) -> str:
    return f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="3" fill="{fill}"/>'


def _person(
    hip: Point,
    trunk_deg: float,
    legs: Sequence[Leg],
    arms: Sequence[Arm],
    colour: str = INK,
) -> str:
    """Stick figure by forward kinematics: each segment's direction in degrees from straight down."""
    up = 180.0 - trunk_deg  # the trunk points up, leaning forward by trunk_deg
    neck = _step(hip, up, TRUNK)
    parts = [_circle(_step(neck, up, NECK), HEAD_R, colour), _line([hip, neck], colour)]
    for thigh, shin, foot in legs:
        knee = _step(hip, thigh, THIGH)
        ankle = _step(knee, shin, SHIN)
        parts.append(_line([hip, knee, ankle, _step(ankle, foot, FOOT)], colour))
    for upper, fore in arms:
        elbow = _step(neck, upper, UPPER_ARM)
        parts.append(_line([neck, elbow, _step(elbow, fore, FOREARM)], colour, 4.0))
    return "".join(parts)


def _arrow(start: Point, end: Point, bend: float = 0.0, colour: str = MOVE) -> str:
    """A movement arrow, curved sideways by ``bend`` picture units."""
    mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy) or 1.0
    ctrl = (mx - dy / length * bend, my + dx / length * bend)
    hx, hy = end[0] - ctrl[0], end[1] - ctrl[1]
    h = math.hypot(hx, hy) or 1.0
    ux, uy = hx / h, hy / h
    left = (end[0] - 9 * ux + 5 * uy, end[1] - 9 * uy - 5 * ux)
    right = (end[0] - 9 * ux - 5 * uy, end[1] - 9 * uy + 5 * ux)
    return (
        f'<path d="M{start[0]:.1f},{start[1]:.1f} Q{ctrl[0]:.1f},{ctrl[1]:.1f} {end[0]:.1f},{end[1]:.1f}" '
        f'fill="none" stroke="{colour}" stroke-width="3" stroke-linecap="round"/>'
        f'<polygon points="{_pts([end, left, right])}" fill="{colour}"/>'
    )


def _ground(y: float = GROUND_Y_PX) -> str:
    return _line([(14, y), (226, y)], FLOOR, 2.5)


# A right footprint seen from above, toes up, heel at the origin; roughly 80 units long.
_FOOT_OUTLINE: tuple[Point, ...] = (
    (0, 4), (9, 0), (13, -14), (14, -34), (18, -54), (17, -66), (8, -72), (-6, -73),
    (-16, -66), (-16, -50), (-9, -32), (-9, -14), (-8, 0),
)
_TOES: tuple[tuple[Point, float], ...] = (
    ((-10, -82), 6.5), ((0, -82), 4.0), ((7, -79), 3.6), ((13, -75), 3.2), ((18, -69), 2.8),
)


def _on_foot(heel: Point, angle_deg: float, p: Point) -> Point:
    """Place a footprint point: heel at ``heel``, foot turned ``angle_deg`` clockwise from pointing up."""
    a = math.radians(angle_deg)
    return (heel[0] + p[0] * math.cos(a) - p[1] * math.sin(a), heel[1] + p[0] * math.sin(a) + p[1] * math.cos(a))


def _footprint(heel: Point, angle_deg: float, colour: str = INK) -> str:
    """Top view of a right foot (big toe on the left)."""
    outline = [_on_foot(heel, angle_deg, p) for p in _FOOT_OUTLINE]
    parts = [
        f'<polygon points="{_pts(outline)}" fill="none" stroke="{colour}" stroke-width="4" stroke-linejoin="round"/>'
    ]
    parts += [_circle(_on_foot(heel, angle_deg, c), r, colour) for c, r in _TOES]
    return "".join(parts)


# A foot from the side (toes to +x, y down), heel contact at the origin; open outline from the
# back of the shin round the heel, along the sole and back up the front of the shin.
_SHIN_BACK: tuple[Point, ...] = ((-12, -84), (-9, -34), (-13, -14))
_HEEL: tuple[Point, ...] = ((-11, -3), (-2, 1))
_BALL: Point = (58.0, 1.0)
_TOE: tuple[Point, ...] = ((76, -1), (76, -8), (60, -12))
_TOP: tuple[Point, ...] = ((30, -24), (12, -40))
_SHIN_FRONT: tuple[Point, ...] = ((8, -84),)


def _turn(p: Point, about: Point, angle_deg: float) -> Point:
    """Rotate ``p`` about ``about``; positive angles lift a point in front (y down)."""
    a = math.radians(angle_deg)
    dx, dy = p[0] - about[0], p[1] - about[1]
    return (about[0] + dx * math.cos(a) + dy * math.sin(a), about[1] - dx * math.sin(a) + dy * math.cos(a))


def _side_foot(heel: Point, lift_deg: float = 0.0, arch: float = 4.0, toe_deg: float = 0.0, colour: str = INK) -> str:
    """Side view of a lower leg and foot standing with the heel at ``heel``.

    ``lift_deg`` lifts the forefoot about the heel, ``arch`` raises the middle
    of the sole, ``toe_deg`` bends the toes up about the ball of the foot.
    """
    def place(p: Point) -> Point:
        return (heel[0] + p[0], heel[1] + p[1])

    toes = [_turn(_turn(t, _BALL, toe_deg), (0, 0), lift_deg) for t in _TOE]
    ball = _turn(_BALL, (0, 0), lift_deg)
    front = [_turn(t, (0, 0), lift_deg) for t in _TOP]
    mid = _turn((30, 1 - 2 * arch), (0, 0), lift_deg)
    start = [place(p) for p in _SHIN_BACK + _HEEL]
    rest = [place(p) for p in [ball, *toes, *front, *_SHIN_FRONT]]
    m, b = place(mid), rest[0]
    d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in start)
    d += f" Q{m[0]:.1f},{m[1]:.1f} {b[0]:.1f},{b[1]:.1f} L" + " L".join(f"{x:.1f},{y:.1f}" for x, y in rest[1:])
    return (
        f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="4" '
        f'stroke-linecap="round" stroke-linejoin="round"/>'
    )


def _card(title: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH_PX} {HEIGHT_PX}" width="100%" '
        f'role="img"><title>{escape(title)}</title>'
        f'<rect x="1" y="1" width="{WIDTH_PX - 2}" height="{HEIGHT_PX - 2}" rx="14" fill="{CARD}" stroke="{EDGE}" stroke-width="2"/>'
        f"{body}</svg>"
    )


STAND_ARMS: tuple[Arm, Arm] = ((4, 8), (-4, 6))
LYING_ARMS: tuple[Arm, Arm] = ((-80, -84), (92, 100))  # bottom arm under the head, top arm along the body


def _side_lying_hip_abduction() -> str:
    hip, trunk = (140, 116), -86
    return (_ground(128) + _person(hip, trunk, [(90, 90, 160), (93, 93, 160)], LYING_ARMS, GHOST)
            + _person(hip, trunk, [(90, 90, 160), (118, 118, 200)], LYING_ARMS)
            + _arrow((208, 108), (198, 76), -8))


def _clamshell() -> str:
    # Seen from the front, bent hips and knees foreshorten: the legs point right, the top knee rises.
    hip, trunk = (116, 112), -86
    bottom = [(116, 114), (138, 121), (160, 123), (168, 128)]
    closed = [(116, 110), (138, 116), (159, 118)]
    opened = [(116, 110), (136, 90), (159, 118)]
    return (_ground(130) + _line(closed, GHOST) + _person(hip, trunk, [], LYING_ARMS)
            + _line(bottom) + _line(opened) + _arrow((170, 106), (146, 84), -8))


def _side_plank() -> str:
    return (_ground() + _person((110, 134), -66, [(87, 87, 170)], [(0, 90)], GHOST)
            + _person((112, 125), -77, [(77, 77, 170), (78, 78, 170)], [(0, 90), (120, 51)])
            + _arrow((124, 112), (124, 90)))


def _glute_bridge() -> str:
    arms = ((84, 88),)
    return (_ground() + _person((94, 133), -88, [(135, 22, 90)], arms, GHOST)
            + _person((100, 116), -106, [(106, -8, 90), (108, -6, 90)], arms)
            + _arrow((100, 104), (100, 82)))


def _step_down() -> str:
    return (_ground() + _rect(70, 126, 62, 14)
            + _person((114, 69), 0, [(0, 0, 90), (4, 4, 90)], STAND_ARMS, GHOST)
            + _person((107, 89), 15, [(60, -39, 90), (45, 20, 120)], [(60, 80), (50, 70)])
            + _arrow((152, 110), (152, 134)))


def _wall_sit() -> str:
    return (_rect(24, 16, 14, 124) + _ground()
            + _person((46, 82), 0, [(0, 0, 90), (4, 2, 90)], STAND_ARMS, GHOST)
            + _person((48, 110), 2, [(90, 0, 90), (88, 2, 90)], [(20, 60), (24, 70)])
            + _arrow((90, 78), (90, 100)))


def _band_turn(inwards: bool) -> str:
    # Right foot from above. Inversion turns the forefoot towards the big-toe side against a band
    # anchored on the little-toe side; eversion is the mirror image.
    turn = -16 if inwards else 16
    heel = (120.0, 140.0)
    medial, lateral = _on_foot(heel, turn, (-17, -52)), _on_foot(heel, turn, (19, -55))
    if inwards:
        band, anchor, arrow = [medial, lateral, (214.0, lateral[1])], (214.0, lateral[1]), ((128, 38), (96, 50), 10)
    else:
        band, anchor, arrow = [lateral, medial, (26.0, medial[1])], (26.0, medial[1]), ((112, 38), (146, 50), -10)
    return (_footprint(heel, 0, GHOST) + _footprint(heel, turn) + _line(band, ACCENT, 4)
            + _circle(anchor, 6, ACCENT) + _arrow(arrow[0], arrow[1], arrow[2]))


def _toe_raises() -> str:
    return (_ground() + _side_foot((80, 138), 0, 4, 0, GHOST) + _side_foot((80, 138), 22, 4)
            + _arrow((168, 128), (160, 98), 8))


def _heel_raise_straight_knee() -> str:
    other: Leg = (8, -60, 40)
    return (_ground() + _rect(188, 14, 12, 126)
            + _person((134, 82), 0, [(0, 0, 90), other], [(60, 80)], GHOST)
            + _person((139, 73), 0, [(0, 0, 35), other], [(60, 82), (56, 80)])
            + _arrow((104, 112), (104, 84)))


def _heel_raise_bent_knee() -> str:
    return (_ground() + _rect(188, 14, 12, 126)
            + _person((124, 84), 8, [(20, -10, 90), (22, -8, 90)], [(62, 78)], GHOST)
            + _person((129, 75), 8, [(20, -10, 35), (22, -8, 35)], [(62, 80), (58, 78)])
            + _arrow((100, 112), (100, 84)))


def _short_foot() -> str:
    return (_ground() + _side_foot((80, 138), 0, 0, 0, GHOST) + _side_foot((80, 138), 0, 9)
            + _arrow((142, 151), (96, 151)))


def _single_leg_balance() -> str:
    return _ground() + _person((120, 84), 0, [(0, 0, 90), (80, 0, 70)], [(-70, -80), (70, 80)])


def _knee_to_wall() -> str:
    back: Leg = (-40, -10, 100)
    return (_rect(204, 16, 14, 124) + _ground()
            + _person((150, 90), 4, [(40, -2, 90), back], [(40, 70), (50, 80)], GHOST)
            + _person((150, 90), 10, [(52, 26, 90), back], [(40, 70), (50, 80)])
            + _arrow((186, 86), (202, 78), -6))


def _big_toe_mobility() -> str:
    return (_ground() + _side_foot((80, 138), 0, 4, 0, GHOST) + _side_foot((80, 138), 0, 4, 45)
            + _arrow((164, 132), (150, 102), 8))


def _foot_ball_release() -> str:
    return (_ground() + _circle((112, 125), 13, ACCENT) + _side_foot((76, 111), 0, 3)
            + _arrow((76, 151), (164, 151)) + _arrow((164, 151), (76, 151)))


def _pogo_hops() -> str:
    return (_ground() + _person((100, 84), 0, [(0, 0, 90), (6, 0, 90)], STAND_ARMS, GHOST)
            + _person((146, 70), 0, [(0, 0, 40), (6, 0, 40)], [(20, 40), (10, 30)])
            + _arrow((180, 110), (180, 80)) + _arrow((192, 80), (192, 110)))


def _quiet_landings() -> str:
    # A runner landing softly; one small sound arc at the landing foot (quiet, not none).
    arc = (f'<path d="M86,138 Q80,131 86,124" fill="none" stroke="{ACCENT}" stroke-width="2.5"/>'
           f'<path d="M80,141 Q71,131 80,121" fill="none" stroke="{ACCENT}" stroke-width="2"/>')
    return (_ground() + _person((110, 82), 6, [(-20, 4, 90), (40, 100, 110)], [(-30, -80), (30, 80)])
            + arc + _arrow((60, 150), (180, 150), -4))


def _a_skips() -> str:
    return (_ground() + _person((120, 82), 4, [(-4, 2, 90), (100, 6, 100)], [(-40, -10), (30, 130)])
            + _arrow((90, 148), (170, 148), -6))


def _rope_skipping() -> str:
    rope = f'<path d="M88,55 C66,178 174,178 152,55" fill="none" stroke="{ACCENT}" stroke-width="3"/>'
    return (_ground(146) + rope
            + _person((120, 78), 0, [(-6, -4, -80), (6, 4, 80)], [(-30, -80), (30, 80)])
            + _arrow((186, 128), (186, 102)))


def _line_hops() -> str:
    return (_ground() + _line([(120, 132), (120, 148)], ACCENT, 5)
            + _person((80, 86), 4, [(10, -2, 110), (14, 0, 110)], STAND_ARMS, GHOST)
            + _person((158, 84), 4, [(10, -2, 110), (14, 0, 110)], STAND_ARMS)
            + _arrow((88, 60), (150, 60), -24))


def _zig_zag_runs() -> str:
    cones = [(30, 120), (70, 48), (110, 120), (150, 48), (190, 120)]
    parts = [f'<polygon points="{_pts([(x - 8, y + 8), (x + 8, y + 8), (x, y - 10)])}" fill="{ACCENT}"/>' for x, y in cones]
    path = [(x, y + (14 if i % 2 else -14)) for i, (x, y) in enumerate(cones)]
    return "".join(parts) + _line(path[:-1], MOVE, 3, dash=True) + _arrow(path[-2], path[-1])


_DRAWINGS: dict[str, tuple[str, Callable[[], str]]] = {
    "side-lying-hip-abduction": ("Lying on one side, lifting the straight top leg", _side_lying_hip_abduction),
    "clamshell": ("Lying on one side with knees bent, opening the top knee", _clamshell),
    "side-plank": ("Side plank on one forearm, hips lifted into a straight line", _side_plank),
    "glute-bridge": ("Lying on the back, lifting the hips into a bridge", _glute_bridge),
    "step-down": ("Standing on one leg on a low step, lowering the other heel to the floor", _step_down),
    "wall-sit": ("Sliding down a wall into a sitting hold", _wall_sit),
    "band-inversion": ("Foot seen from above turning inwards against a band", lambda: _band_turn(True)),
    "band-eversion": ("Foot seen from above turning outwards against a band", lambda: _band_turn(False)),
    "toe-raises": ("Foot from the side, lifting the forefoot with the heel down", _toe_raises),
    "heel-raise-straight-knee": ("Rising onto the toes on one leg on a step, knee straight", _heel_raise_straight_knee),
    "heel-raise-bent-knee": ("Rising onto the toes with knees bent, hands on a wall", _heel_raise_bent_knee),
    "short-foot": ("Foot from the side, doming the arch without curling the toes", _short_foot),
    "single-leg-balance": ("Balancing on one leg, the other knee lifted", _single_leg_balance),
    "knee-to-wall": ("Lunge facing a wall, front knee pushed forward to touch it", _knee_to_wall),
    "big-toe-mobility": ("Foot from the side, big toe bent gently upwards", _big_toe_mobility),
    "foot-ball-release": ("Foot rolling over a small ball", _foot_ball_release),
    "pogo-hops": ("Small springy hops on both feet", _pogo_hops),
    "quiet-landings": ("Running with soft, quiet landings", _quiet_landings),
    "a-skips": ("Skipping with one knee lifted to hip height", _a_skips),
    "rope-skipping": ("Skipping with a rope on the balls of the feet", _rope_skipping),
    "line-hops": ("Hopping side to side over a line on the floor", _line_hops),
    "zig-zag-runs": ("Running a zig-zag path between cones", _zig_zag_runs),
}


def picture_ids() -> tuple[str, ...]:
    """Ids of every exercise that has a picture."""
    return tuple(_DRAWINGS)


def picture_title(exercise_id: str) -> str:
    """The accessible description of one picture (also usable as a caption)."""
    return _DRAWINGS[exercise_id][0]


def exercise_svg(exercise_id: str) -> str:
    """The SVG markup for one exercise.

    Raises
    ------
    KeyError
        If there is no picture for this id (``gait.advice.exercises`` checks every exercise has one).
    """
    title, draw = _DRAWINGS[exercise_id]
    return _card(title, draw())
