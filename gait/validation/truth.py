"""Ground truth for ``gait.validate``: hand annotations of real clips and rendered walkers' truth.

Both formats share one shape (see ``../shared/clips/annotations/README.md`` and
``tools/synth/README.md``): a JSON file naming its ``clip``, the clip's ``fps``, and
``contacts``, one per stance in time order, each with ``foot`` ("L"/"R", the person's own
side), ``ic_frame`` / ``to_frame`` (0-based decode indices, null when outside the clip) and
optionally ``direction`` ("straight"/"in"/"out"/"unknown"). Rendered truth adds exact
``ic_time_s`` / ``to_time_s``, ``fpa_deg``, ``knee_give_deg``, ``landing`` and ``twist_deg``.

What the app should do with the clip (analyse it, or refuse it and why) is ``expect`` in the
truth file when given; otherwise a clip with no annotated contacts must be refused (nobody
walks), and ``EXPECTED`` below holds the shared clips whose truth file is silent about a
refusal the product asks for.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from pathlib import Path

from gait.errors import GaitError
from gait.names import Side, Speed

VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi")

# The product's answer for shared clips whose annotation does not state it (PRODUCT.md: the
# app analyses a front view of a walk toward the phone; a side view is refused with a fix).
EXPECTED: dict[str, tuple[bool, str | None]] = {
    "run_treadmill_side.mp4": (False, "side_view"),
}


FRONTAL_KEYS = ("knee_valgus_deg", "pelvic_drop_deg", "step_width_leg", "rearfoot_eversion_deg")


class TruthError(GaitError):
    """A truth file that cannot be read."""


@dataclass(frozen=True)
class TrueContact:
    foot: Side
    ic_s: float | None  # None: the stance began before the clip
    ic_unc_s: float
    to_s: float | None
    direction: str | None  # "straight" / "in" / "out"; None when unknown
    fpa_deg: float | None = None
    knee_give_deg: float | None = None
    landing: str | None = None  # "spring" / "bang"
    twist_deg: float | None = None
    # issue 11 (rendered truth): knee valgus (FPPA peak in loading), contralateral pelvic drop,
    # step width in leg lengths, rearfoot eversion after contact (walks away only)
    knee_valgus_deg: float | None = None
    pelvic_drop_deg: float | None = None
    step_width_leg: float | None = None
    rearfoot_eversion_deg: float | None = None


@dataclass(frozen=True)
class Truth:
    clip: Path
    source: str  # "annotated" or "rendered"
    speed: Speed
    fps: float
    contacts: tuple[TrueContact, ...]
    cadence_spm: float | None
    expect_usable: bool
    expect_refusal: str | None  # the refusal code the product asks for, when one is named
    meta: dict[str, object]

    @property
    def seen_contacts(self) -> tuple[TrueContact, ...]:
        return tuple(c for c in self.contacts if c.ic_s is not None)

    def span_s(self) -> tuple[float, float] | None:
        times = [c.ic_s for c in self.seen_contacts if c.ic_s is not None]
        return (min(times), max(times)) if times else None


def _time(entry: dict[str, object], frame_key: str, time_key: str, fps: float) -> float | None:
    exact = entry.get(time_key)
    if isinstance(exact, (int, float)) and math.isfinite(float(exact)):
        return float(exact)
    frame = entry.get(frame_key)
    if isinstance(frame, (int, float)):
        return float(frame) / fps
    return None


def _speed(data: dict[str, object], clip: Path) -> Speed:
    given = data.get("speed")
    if isinstance(given, str) and given in {s.value for s in Speed}:
        return Speed(given)
    # Annotations of real clips do not say which take it is; the app's slot does. Go by the name.
    return Speed.RUN if "run" in clip.stem.lower() else Speed.WALK


def _expectation(data: dict[str, object], clip: Path, n_seen: int) -> tuple[bool, str | None]:
    expect = data.get("expect")
    if isinstance(expect, dict) and isinstance(expect.get("usable"), bool):
        refusal = expect.get("refusal")
        return bool(expect["usable"]), refusal if isinstance(refusal, str) else None
    if clip.name in EXPECTED:
        return EXPECTED[clip.name]
    if n_seen == 0:
        return False, "no_walking"
    return True, None


def load_truth(path: Path, clip_dir: Path | None = None) -> Truth:
    """Read one truth file; its clip is looked for beside it, one folder up, or in ``clip_dir``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise TruthError("bad_truth", f"Could not read the truth file {path.name}: {err}",
                         "Check that it is the JSON described in the annotations README.") from err
    if not isinstance(data, dict) or "contacts" not in data or "clip" not in data:
        raise TruthError("not_truth", f"{path.name} has no 'clip' and 'contacts'.", "Not a truth file; skip it.")
    name = str(data["clip"])
    candidates = [path.parent / name, path.parent.parent / name] + ([clip_dir / name] if clip_dir else [])
    clip = next((c for c in candidates if c.exists()), None)
    if clip is None:
        raise TruthError("clip_missing", f"The clip {name} named by {path.name} is not there.",
                         "Put the clip beside its truth file or one folder up.")
    fps = float(data.get("fps") or 0.0)
    if fps <= 0:
        raise TruthError("bad_truth", f"{path.name} gives no frame rate.", "Add 'fps'.")
    contacts = []
    for entry in data["contacts"]:
        direction = entry.get("direction")
        contacts.append(TrueContact(
            foot=Side(entry["foot"]),
            ic_s=_time(entry, "ic_frame", "ic_time_s", fps),
            ic_unc_s=float(entry.get("ic_unc") or 0) / fps,
            to_s=_time(entry, "to_frame", "to_time_s", fps),
            direction=direction if direction in ("straight", "in", "out") else None,
            fpa_deg=_opt_float(entry.get("fpa_deg")),
            knee_give_deg=_opt_float(entry.get("knee_give_deg")),
            landing=entry.get("landing") if entry.get("landing") in ("spring", "bang") else None,
            twist_deg=_opt_float(entry.get("twist_deg")),
            **{key: _opt_float(entry.get(key)) for key in FRONTAL_KEYS},
        ))
    n_seen = sum(c.ic_s is not None for c in contacts)
    usable, refusal = _expectation(data, clip, n_seen)
    cadence = _opt_float(data.get("cadence_spm"))
    meta = {k: data[k] for k in ("camera", "subject", "settings", "notes", "fps", "sound") if k in data}
    if str(data.get("source")) == "rendered" and _generator_version(data) < _WAIST_ON_PELVIS:
        # Rendered before the waistband was bound to the pelvis: its waist barely tilts with the
        # pelvis in the picture (gain ~0.35), so the pelvis's truth is not what the picture shows.
        contacts = [replace(c, pelvic_drop_deg=None) for c in contacts]
    if isinstance(data.get("settings"), dict) and data["settings"].get("view") == "rear":
        # Rendered walks away: knee and hip truth are for the front view; only the heel's counts here.
        contacts = [replace(c, knee_valgus_deg=None, pelvic_drop_deg=None, step_width_leg=None) for c in contacts]
    else:
        contacts = [replace(c, rearfoot_eversion_deg=None) for c in contacts]
    return Truth(clip=clip, source=str(data.get("source") or "annotated"), speed=_speed(data, clip), fps=fps,
                 contacts=tuple(contacts), cadence_spm=cadence, expect_usable=usable, expect_refusal=refusal,
                 meta=meta)


_WAIST_ON_PELVIS = (0, 2, 0)  # tools.synth version from which the waistband follows the pelvis (waist_on_pelvis)


def _generator_version(data: dict) -> tuple[int, ...]:
    """The rendered clip's tools.synth version ("tools.synth 0.2.0" -> (0, 2, 0)); (0,) when not given."""
    words = str(data.get("generator") or "").split()
    try:
        return tuple(int(p) for p in words[-1].split(".")) if words else (0,)
    except ValueError:
        return (0,)


def _opt_float(x: object) -> float | None:
    return float(x) if isinstance(x, (int, float)) and math.isfinite(float(x)) else None


def find_truths(folder: Path) -> list[Path]:
    """Truth files in a folder and in its ``annotations/`` subfolder (JSON with 'clip' and 'contacts')."""
    out = []
    for where in (folder, folder / "annotations"):
        if not where.is_dir():
            continue
        for path in sorted(where.glob("*.json")):
            if path.name.endswith(".frames.json"):
                continue
            try:
                head = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(head, dict) and "clip" in head and "contacts" in head:
                out.append(path)
    return out
