"""SVG illustrations for the filming guide, drawn by code (no image files, no external fonts).

Every picture is a 320 x 200 viewBox on a light rounded rectangle, so it scales to a phone's
width and stays readable in dark mode. Text inside pictures is at least 16 units high: at a
360 px wide screen (about 328 px of content) that is about 16 px on screen.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "barefoot_and_shorts",
    "phone_at_knee_height",
    "distance_and_aim",
    "good_light",
    "ten_steps_toward_phone",
    "three_takes",
    "upload_from_gallery",
]

VIEW_WIDTH = 320
VIEW_HEIGHT = 200

INK = "#1f2933"
MUTED = "#9aa5b1"
PAPER = "#f7f9fb"
EDGE = "#cbd2d9"
# Matches the app theme's primary colour (.streamlit/config.toml).
ACCENT = "#1f7a5a"
ACCENT_LIGHT = "#d3ede3"
OK = "#15803d"
BAD = "#c2410c"
SUN = "#f5b700"
SHADOW = "#3e4c59"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

Point = tuple[float, float]


# ---------------------------------------------------------------- primitives


def _f(value: float) -> str:
    # Short numbers keep the markup small.
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(name: str, title: str, body: Sequence[str]) -> str:
    """Wrap drawing parts in an accessible, width-scaled SVG on a light card."""
    title_id = f"pic-{name}-title"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {VIEW_WIDTH} {VIEW_HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="{title_id}" '
        f'style="display:block;max-width:100%;height:auto;margin-bottom:0.6rem">',
        f'<title id="{title_id}">{title}</title>',
        f'<rect x="1" y="1" width="{VIEW_WIDTH - 2}" height="{VIEW_HEIGHT - 2}" rx="16" '
        f'fill="{PAPER}" stroke="{EDGE}" stroke-width="2"/>',
        *body,
        "</svg>",
    ]
    # One line: blank lines or indentation would break the HTML block inside Markdown.
    return "".join(parts)


def _line(p: Point, q: Point, stroke: str = INK, width: float = 3, dash: str | None = None) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_f(p[0])}" y1="{_f(p[1])}" x2="{_f(q[0])}" y2="{_f(q[1])}" '
        f'stroke="{stroke}" stroke-width="{_f(width)}" stroke-linecap="round"{dash_attr}/>'
    )


def _polyline(points: Sequence[Point], stroke: str = INK, width: float = 3, fill: str = "none") -> str:
    coords = " ".join(f"{_f(x)},{_f(y)}" for x, y in points)
    return (
        f'<polyline points="{coords}" fill="{fill}" stroke="{stroke}" stroke-width="{_f(width)}" '
        f'stroke-linecap="round" stroke-linejoin="round"/>'
    )


def _polygon(points: Sequence[Point], fill: str, stroke: str = "none", width: float = 0) -> str:
    coords = " ".join(f"{_f(x)},{_f(y)}" for x, y in points)
    return f'<polygon points="{coords}" fill="{fill}" stroke="{stroke}" stroke-width="{_f(width)}" stroke-linejoin="round"/>'


def _circle(c: Point, r: float, fill: str = "none", stroke: str = "none", width: float = 0, dash: str | None = None) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<circle cx="{_f(c[0])}" cy="{_f(c[1])}" r="{_f(r)}" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="{_f(width)}"{dash_attr}/>'
    )


def _rect(x: float, y: float, w: float, h: float, rx: float = 0, fill: str = "none",
          stroke: str = INK, width: float = 3, dash: str | None = None) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}" rx="{_f(rx)}" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{_f(width)}"{dash_attr}/>'
    )


def _path(d: str, stroke: str = INK, width: float = 3, fill: str = "none", dash: str | None = None) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<path d="{d}" fill="{fill}" stroke="{stroke}" stroke-width="{_f(width)}" '
        f'stroke-linecap="round" stroke-linejoin="round"{dash_attr}/>'
    )


def _text(p: Point, words: str, size: float = 18, anchor: str = "middle", fill: str = INK, weight: int = 600) -> str:
    return (
        f'<text x="{_f(p[0])}" y="{_f(p[1])}" font-family="{FONT}" font-size="{_f(size)}" '
        f'font-weight="{weight}" text-anchor="{anchor}" fill="{fill}">{words}</text>'
    )


def _arrow(p: Point, q: Point, stroke: str = ACCENT, width: float = 3.5, head: float = 9) -> list[str]:
    """A straight arrow from p to q with a filled head at q."""
    dx, dy = q[0] - p[0], q[1] - p[1]
    length = (dx * dx + dy * dy) ** 0.5
    ux, uy = dx / length, dy / length
    base = (q[0] - ux * head, q[1] - uy * head)
    left = (base[0] - uy * head * 0.6, base[1] + ux * head * 0.6)
    right = (base[0] + uy * head * 0.6, base[1] - ux * head * 0.6)
    return [_line(p, base, stroke, width), _polygon([q, left, right], stroke)]


def _badge_ok(c: Point, r: float = 13) -> list[str]:
    x, y = c
    return [
        _circle(c, r, fill=OK),
        _polyline([(x - r * 0.45, y + r * 0.02), (x - r * 0.1, y + r * 0.38), (x + r * 0.48, y - r * 0.35)], "#ffffff", 3.2),
    ]


def _badge_bad(c: Point, r: float = 13) -> list[str]:
    x, y = c
    k = r * 0.38
    return [
        _circle(c, r, fill=BAD),
        _line((x - k, y - k), (x + k, y + k), "#ffffff", 3.2),
        _line((x - k, y + k), (x + k, y - k), "#ffffff", 3.2),
    ]


def _phone(x: float, y: float, w: float, h: float, screen: str = ACCENT_LIGHT) -> list[str]:
    """A phone seen from the front (lens at the short top edge when upright)."""
    r = min(w, h) * 0.18
    lens_at = (x + w / 2, y + h * 0.1) if h >= w else (x + w * 0.1, y + h / 2)
    return [
        _rect(x, y, w, h, rx=r, fill=INK, stroke=INK, width=2),
        _rect(x + w * 0.14 if h >= w else x + w * 0.2, y + h * 0.2 if h >= w else y + h * 0.14,
              w * 0.72 if h >= w else w * 0.72, h * 0.7 if h >= w else h * 0.72, rx=2, fill=screen, stroke="none", width=0),
        _circle(lens_at, min(w, h) * 0.09, fill="#ffffff"),
    ]


# ---------------------------------------------------------------- people

# Joint positions in figure units: head top at y=0, soles at y=1, x=0 under the hip.
# Side-view poses face right (+x); "near" limbs are drawn dark, "far" limbs muted for depth.
_SIDE_POSES: dict[str, dict[str, Point]] = {
    "stand": {
        "head": (0.0, 0.08), "neck": (0.0, 0.18), "hip": (0.0, 0.52),
        "near_elbow": (0.01, 0.36), "near_hand": (0.02, 0.5), "far_elbow": (-0.01, 0.36), "far_hand": (0.0, 0.5),
        "near_knee": (0.01, 0.76), "near_ankle": (0.0, 0.97), "near_toe": (0.08, 0.99),
        "far_knee": (-0.01, 0.76), "far_ankle": (-0.02, 0.97), "far_toe": (0.06, 0.99),
    },
    "walk": {
        "head": (0.02, 0.08), "neck": (0.01, 0.18), "hip": (0.0, 0.52),
        "near_elbow": (-0.06, 0.35), "near_hand": (-0.1, 0.48), "far_elbow": (0.06, 0.35), "far_hand": (0.12, 0.47),
        "near_knee": (0.08, 0.76), "near_ankle": (0.15, 0.96), "near_toe": (0.23, 0.94),
        "far_knee": (-0.05, 0.76), "far_ankle": (-0.15, 0.95), "far_toe": (-0.08, 0.99),
    },
    "fast_walk": {
        "head": (0.05, 0.08), "neck": (0.03, 0.18), "hip": (0.0, 0.52),
        "near_elbow": (-0.09, 0.34), "near_hand": (-0.1, 0.46), "far_elbow": (0.08, 0.35), "far_hand": (0.18, 0.3),
        "near_knee": (0.1, 0.76), "near_ankle": (0.21, 0.95), "near_toe": (0.29, 0.92),
        "far_knee": (-0.07, 0.75), "far_ankle": (-0.21, 0.93), "far_toe": (-0.15, 0.99),
    },
    "run": {
        "head": (0.09, 0.08), "neck": (0.06, 0.18), "hip": (0.0, 0.5),
        "near_elbow": (-0.09, 0.33), "near_hand": (-0.04, 0.44), "far_elbow": (0.11, 0.35), "far_hand": (0.2, 0.27),
        "near_knee": (0.16, 0.64), "near_ankle": (0.11, 0.84), "near_toe": (0.19, 0.86),
        "far_knee": (-0.05, 0.74), "far_ankle": (-0.2, 0.87), "far_toe": (-0.24, 0.94),
    },
}


def _side_figure(foot: Point, height: float, pose: str, flip: bool = False, stroke: float = 5) -> list[str]:
    """A stick figure seen from the side, soles at `foot`, facing right (left if flip)."""
    joints = _SIDE_POSES[pose]
    sign = -1.0 if flip else 1.0

    def at(name: str) -> Point:
        jx, jy = joints[name]
        return (foot[0] + sign * jx * height, foot[1] - (1 - jy) * height)

    parts: list[str] = []
    for side, colour in (("far", MUTED), ("near", INK)):
        parts.append(_polyline([at("hip"), at(f"{side}_knee"), at(f"{side}_ankle"), at(f"{side}_toe")], colour, stroke))
        parts.append(_polyline([at("neck"), at(f"{side}_elbow"), at(f"{side}_hand")], colour, stroke))
        if side == "far":
            parts.append(_polyline([at("neck"), at("hip")], INK, stroke + 1.5))
    parts.append(_circle(at("head"), height * 0.075, fill=INK))
    return parts


def _front_figure(foot: Point, height: float, clothes: str = "shorts", silhouette: bool = False) -> list[str]:
    """A person seen from the front, soles centred at `foot`.

    clothes: "shorts" (bare knees and feet) or "trousers" (legs covered, shoes on).
    silhouette: draw the whole figure dark, as a back-lit person looks on video.
    """
    x0, y0 = foot

    def at(x: float, y: float) -> Point:
        return (x0 + x * height, y0 - (1 - y) * height)

    limb = SHADOW if silhouette else INK
    shirt = SHADOW if silhouette else ACCENT
    w = max(3.0, height * 0.045)
    parts: list[str] = []
    # Arms and legs first so the shirt and shorts sit on top.
    for s in (-1, 1):
        parts.append(_polyline([at(s * 0.11, 0.21), at(s * 0.15, 0.37), at(s * 0.16, 0.51)], limb, w))
        parts.append(_polyline([at(s * 0.065, 0.55), at(s * 0.075, 0.76), at(s * 0.075, 0.96)], limb, w))
    if clothes == "trousers":
        parts.append(_polygon([at(-0.1, 0.49), at(0.1, 0.49), at(0.11, 0.6), at(-0.11, 0.6)],
                              SHADOW if silhouette else "#7b8794"))
        for s in (-1, 1):
            parts.append(_polygon([at(s * 0.01, 0.58), at(s * 0.11, 0.5), at(s * 0.12, 0.95), at(s * 0.03, 0.95)],
                                  SHADOW if silhouette else "#7b8794"))
            parts.append(f'<ellipse cx="{_f(at(s * 0.085, 0.975)[0])}" cy="{_f(at(0, 0.975)[1])}" '
                         f'rx="{_f(height * 0.06)}" ry="{_f(height * 0.03)}" fill="{INK}"/>')
    else:
        for s in (-1, 1):
            parts.append(f'<ellipse cx="{_f(at(s * 0.085, 0.98)[0])}" cy="{_f(at(0, 0.98)[1])}" '
                         f'rx="{_f(height * 0.035)}" ry="{_f(height * 0.022)}" fill="{limb}"/>')
        parts.append(_polygon([at(-0.1, 0.49), at(0.1, 0.49), at(0.12, 0.64), at(0.015, 0.64), at(0, 0.58),
                               at(-0.015, 0.64), at(-0.12, 0.64)], SHADOW if silhouette else INK))
    parts.append(_polygon([at(-0.12, 0.19), at(0.12, 0.19), at(0.1, 0.51), at(-0.1, 0.51)], shirt, shirt, w * 0.6))
    parts.append(_circle(at(0, 0.09), height * 0.08, fill=limb))
    return parts


# A sole outline pointing right, in units of its length (x -0.5..0.5, heel at -0.5): round heel,
# narrow arch on the inner (+y) side, wide forefoot, round toes.
_SOLE: tuple[tuple[float, ...], ...] = (
    (-0.5, 0.0),
    (-0.5, -0.12, -0.34, -0.15, -0.18, -0.13),
    (0.0, -0.12, 0.18, -0.2, 0.36, -0.17),
    (0.53, -0.14, 0.53, 0.12, 0.36, 0.15),
    (0.22, 0.18, 0.08, 0.07, -0.12, 0.08),
    (-0.3, 0.12, -0.5, 0.12, -0.5, 0.0),
)
# Prints are drawn wider than true proportions: at this size a true-width sole reads as a dash.
_SOLE_WIDEN = 1.7


def _footprint(c: Point, length: float, fill: str = INK, inner_side_down: bool = True) -> str:
    """A sole print pointing right; inner_side_down says on which side the arch is (left vs right foot)."""
    x, y = c
    flip = 1 if inner_side_down else -1
    start, *curves = _SOLE
    d = f"M{_f(x + start[0] * length)},{_f(y + flip * start[1] * length * _SOLE_WIDEN)}"
    for curve in curves:
        pts = [(x + curve[k] * length, y + flip * curve[k + 1] * length * _SOLE_WIDEN) for k in range(0, 6, 2)]
        d += "C" + " ".join(f"{_f(px)},{_f(py)}" for px, py in pts)
    return f'<path d="{d}Z" fill="{fill}"/>'


def _ground(y: float, x1: float = 14, x2: float = VIEW_WIDTH - 14) -> str:
    return _line((x1, y), (x2, y), MUTED, 2.5)


def _bag(x: float, y_ground: float, w: float, h: float) -> list[str]:
    top = y_ground - h
    return [
        _path(f"M{_f(x + w * 0.3)},{_f(top)} q{_f(w * 0.2)},{_f(-h * 0.45)} {_f(w * 0.4)},0", INK, 3),
        _rect(x, top, w, h, rx=6, fill="#e4c590", stroke=INK, width=2.5),
    ]


# ---------------------------------------------------------------- the pictures


def barefoot_and_shorts() -> str:
    """Barefoot in shorts (knees and ankles visible) is right; long trousers and shoes are not."""
    ground = 182
    body = [
        _ground(ground),
        *_front_figure((92, ground), 150, clothes="trousers"),
        *_badge_bad((40, 36), 15),
        *_front_figure((228, ground), 150, clothes="shorts"),
    ]
    # Rings round the knees and the ankles: the joints the analysis must see.
    for joint_y in (ground - 0.24 * 150, ground - 0.03 * 150):
        body.append(f'<ellipse cx="228" cy="{_f(joint_y)}" rx="26" ry="11" fill="none" stroke="{OK}" stroke-width="3"/>')
    body += _badge_ok((282, 36), 15)
    return _svg("barefoot", "Barefoot and in shorts so the knees and ankles show; not long trousers and shoes", body)


def phone_at_knee_height() -> str:
    """The phone propped still on a bag at about knee height; upright or sideways both work."""
    ground = 182
    fig_height = 150
    knee_y = ground - 0.24 * fig_height
    body = [_ground(ground)]
    body += _bag(44, ground, 58, 26)
    # Phone stands upright on the bag, lens level with the knee.
    phone_h = 40
    phone_top = knee_y - phone_h * 0.1
    body += _phone(62, phone_top, 22, phone_h)
    lens = (73, knee_y)
    body += _side_figure((268, ground), fig_height, "stand", flip=True)
    body.append(_line((lens[0] + 14, knee_y), (262, knee_y), ACCENT, 2.5, dash="6 5"))
    body.append(_text((174, knee_y - 10), "knee height", 17, fill=ACCENT))
    # Upright or sideways: both fine.
    body += _phone(32, 22, 20, 36)
    body += _badge_ok((62, 24), 9)
    body += _phone(82, 30, 36, 20)
    body += _badge_ok((128, 24), 9)
    return _svg("phone-height", "The phone propped still on a bag at about knee height, upright or sideways", body)


def distance_and_aim() -> str:
    """Seen from above: the phone 4 to 6 metres away, pointing straight along the walking path."""
    axis_y = 92
    phone_x = 40
    person_x = 262
    body = [
        # The camera's field of view, centred on the path.
        _polygon([(phone_x + 8, axis_y), (300, axis_y - 58), (300, axis_y + 58)], ACCENT_LIGHT),
        _line((phone_x + 10, axis_y), (300, axis_y), ACCENT, 3, dash="8 6"),
    ]
    body += _phone(phone_x - 8, axis_y - 16, 14, 32, screen="#ffffff")
    # The walker is drawn from the side (clearer than a head seen from above), heading for the phone.
    body += _side_figure((person_x, axis_y + 34), 84, "walk", flip=True, stroke=4.5)
    body += _arrow((person_x - 30, axis_y + 44), (person_x - 74, axis_y + 44), INK, 3.5, 10)
    # Dimension line with the distance.
    dim_y = 170
    body += [
        _line((phone_x, dim_y - 10), (phone_x, dim_y + 10), INK, 2.5),
        _line((person_x, dim_y - 10), (person_x, dim_y + 10), INK, 2.5),
        *_arrow(((phone_x + person_x) / 2 - 40, dim_y), (phone_x + 2, dim_y), INK, 2.5, 9),
        *_arrow(((phone_x + person_x) / 2 + 40, dim_y), (person_x - 2, dim_y), INK, 2.5, 9),
        _rect((phone_x + person_x) / 2 - 40, dim_y - 16, 80, 30, rx=8, fill=PAPER, stroke="none", width=0),
        _text(((phone_x + person_x) / 2, dim_y + 8), "4–6 m", 22, weight=700),
    ]
    return _svg("distance", "Seen from above: the phone 4 to 6 metres away, pointing straight along your path", body)


def _light_scene(x0: float, window_behind_runner: bool) -> list[str]:
    """Half-width scene: phone on the left, runner on the right, window on one side."""
    ground = 182
    parts = [_ground(ground, x0 + 8, x0 + 146)]
    window_x = x0 + 118 if window_behind_runner else x0 + 12
    # A window: bright panes with a frame.
    parts.append(_rect(window_x, 52, 28, 62, rx=3, fill="#fff3bf", stroke=INK, width=2.5))
    parts.append(_line((window_x + 14, 52), (window_x + 14, 114), INK, 2))
    parts.append(_line((window_x, 83), (window_x + 28, 83), INK, 2))
    phone_x = x0 + 48 if not window_behind_runner else x0 + 18
    parts += _phone(phone_x, ground - 30, 14, 26)
    runner_x = x0 + 100 if window_behind_runner else x0 + 112
    if window_behind_runner:
        # Glow behind the runner: the camera sees a dark shape.
        parts.insert(1, _circle((window_x + 14, 83), 46, fill="#fff3bf"))
    else:
        for dy in (-16, 0, 16):
            parts += _arrow((window_x + 34, 83 + dy), (runner_x - 22, 100 + dy * 0.6), SUN, 3, 8)
    parts += _front_figure((runner_x, ground), 118, clothes="shorts", silhouette=window_behind_runner)
    return parts


def good_light() -> str:
    """Good light on the runner; no bright window behind the runner."""
    body = [*_light_scene(6, window_behind_runner=True), *_light_scene(166, window_behind_runner=False),
            _line((160, 20), (160, 184), EDGE, 2)]
    body += _badge_bad((30, 30), 14)
    body += _badge_ok((290, 30), 14)
    return _svg("light", "Light falling on you from behind the phone; not a bright window behind you", body)


def ten_steps_toward_phone() -> str:
    """Seen from above: already walking at the start line, then 10 steps straight to the phone."""
    axis_y = 118
    start_x = 62
    step_px = 20
    body = [
        # Run-up: faint prints before the start line show you are already moving.
        _footprint((20, axis_y - 12), 22, MUTED, inner_side_down=True),
        _footprint((40, axis_y + 12), 22, MUTED, inner_side_down=False),
        _line((start_x - 12, axis_y - 34), (start_x - 12, axis_y + 34), ACCENT, 3, dash="6 5"),
    ]
    for step_idx in range(10):
        side = -1 if step_idx % 2 == 0 else 1
        # Upper row is the left foot (arch toward the path's centre line, i.e. down), lower row the right.
        body.append(_footprint((start_x + 2 + step_idx * step_px, axis_y + side * 12), 22, INK, inner_side_down=side < 0))
    last_x = start_x + 9 * step_px
    body += _phone(last_x + 44, axis_y - 16, 14, 32, screen="#ffffff")
    # Bracket and label over the ten steps.
    bracket_y = axis_y - 36
    body += [
        _polyline([(start_x - 6, bracket_y + 8), (start_x - 6, bracket_y), (last_x + 8, bracket_y), (last_x + 8, bracket_y + 8)], INK, 2.5),
        _text(((start_x + last_x) / 2, bracket_y - 12), "10 steps", 22, weight=700),
    ]
    body += _arrow((start_x + 20, axis_y + 46), (last_x + 20, axis_y + 46), ACCENT, 3.5, 11)
    return _svg("ten-steps", "Seen from above: start already walking, then 10 steps straight toward the phone", body)


def three_takes() -> str:
    """Three clips: a normal walk, a fast walk and an easy run."""
    ground = 158
    takes = (("walk", "Walk", 52), ("fast_walk", "Fast walk", 160), ("run", "Easy run", 264))
    body = [_ground(ground)]
    for take_idx, (pose, label, centre_x) in enumerate(takes, start=1):
        body += _side_figure((centre_x, ground), 112, pose)
        body.append(_circle((centre_x - 36, 30), 13, fill=ACCENT))
        body.append(_text((centre_x - 36, 36), str(take_idx), 17, fill="#ffffff", weight=700))
        body.append(_text((centre_x, 186), label, 18, weight=700))
    # Speed lines behind the runner.
    for dy in (78, 94, 110):
        body.append(_line((214, dy), (230, dy), MUTED, 3))
    return _svg("three-takes", "Film three clips: 1 walk, 2 fast walk, 3 easy run", body)


def upload_from_gallery() -> str:
    """Tap the upload box, then pick the clip from the phone's gallery."""
    px, py, pw, ph = 96, 12, 128, 178
    body = [_rect(px, py, pw, ph, rx=16, fill=INK, stroke=INK, width=2),
            _rect(px + 8, py + 14, pw - 16, ph - 28, rx=6, fill="#ffffff", stroke="none", width=0)]
    # The app's upload box with an up arrow.
    box_x, box_y, box_w, box_h = px + 18, py + 24, pw - 36, 44
    body.append(_rect(box_x, box_y, box_w, box_h, rx=8, fill=ACCENT_LIGHT, stroke=ACCENT, width=2.5, dash="6 4"))
    body += _arrow((box_x + box_w / 2, box_y + box_h - 8), (box_x + box_w / 2, box_y + 8), ACCENT, 3.5, 10)
    # The gallery sheet: a grid of clips, one picked.
    grid_x, grid_y = px + 16, py + 96
    cell_w, cell_h, gap = 28, 28, 6
    for row in range(2):
        for col in range(3):
            cx = grid_x + col * (cell_w + gap)
            cy = grid_y + row * (cell_h + gap)
            picked = row == 0 and col == 1
            body.append(_rect(cx, cy, cell_w, cell_h, rx=4, fill=ACCENT if picked else "#d9e2ec",
                              stroke=ACCENT if picked else "none", width=2 if picked else 0))
            tri = [(cx + 10, cy + 8), (cx + 10, cy + 20), (cx + 20, cy + 14)]
            body.append(_polygon(tri, "#ffffff" if picked else MUTED))
    picked_centre = (grid_x + cell_w + gap + cell_w / 2, grid_y)
    body += _arrow(picked_centre, (picked_centre[0], box_y + box_h + 6), ACCENT, 3.5, 10)
    # A finger tapping the picked clip.
    body += _badge_ok((picked_centre[0] + 18, grid_y + 2), 10)
    # Side labels: 1 tap the box, 2 pick the clip.
    body += [
        _circle((56, py + 46), 15, fill=ACCENT), _text((56, py + 52), "1", 18, fill="#ffffff", weight=700),
        _circle((56, grid_y + 30), 15, fill=ACCENT), _text((56, grid_y + 36), "2", 18, fill="#ffffff", weight=700),
        *_arrow((74, py + 46), (box_x - 4, py + 46), INK, 2.5, 8),
        *_arrow((74, grid_y + 30), (grid_x - 4, grid_y + 30), INK, 2.5, 8),
    ]
    return _svg("upload", "Tap the upload box, then pick your clip from the gallery", body)
