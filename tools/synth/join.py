"""Join a walk toward the phone ("NAME_a") and the walk back from where it ended ("NAME_b") into one
clip NAME with truth: the "there_and_back" set (tools.synth.scenes), or the walk away first and the
walk toward the phone after it: the "away_and_back" set. The turn itself is not rendered: the walker
turns round from one frame to the next, at the same place."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np

from .render import Encoder
from .scenes import ClipSpec


def join_pair(parts: Path, name: str, out: Path, away_first: bool = False) -> dict:
    import av

    order = ("b", "a") if away_first else ("a", "b")
    a, b = (json.loads((parts / f"{name}_{part}.json").read_text()) for part in order)
    spec = ClipSpec(name=name, fps=a["fps"], width_px=a["width_px"], height_px=a["height_px"], codec=a["codec"])
    enc = Encoder(out / f"{name}.mp4", spec)
    for part in order:
        with av.open(str(parts / f"{name}_{part}.mp4")) as c:
            for frame in c.decode(video=0):
                enc.write(frame.to_ndarray(format="rgb24"))
    enc.close()
    n_a, shift_s = a["frames"], a["frames"] / a["fps"]
    contacts = list(a["contacts"])
    for c in b["contacts"]:
        c = dict(c)
        for key in ("ic_frame", "to_frame"):
            c[key] = None if c[key] is None else c[key] + n_a
        for key in ("ic_time_s", "to_time_s"):
            c[key] = None if c[key] is None else round(c[key] + shift_s, 6)
        contacts.append(c)
    za, zb = np.load(parts / a["per_frame"]), np.load(parts / b["per_frame"])
    per_frame = {k: np.concatenate([za[k], zb[k] + (shift_s if k == "time_s" else 0.0)]) for k in za.files}
    np.savez_compressed(out / f"{name}.frames.npz", **per_frame)
    truth = {**a, "clip": f"{name}.mp4", "frames": n_a + b["frames"], "contacts": contacts,
             "per_frame": f"{name}.frames.npz", "expect": {"usable": True}, "turn_time_s": round(shift_s, 6),
             "settings": {**a["settings"], "path_yaw_deg": 0.0,
                          "view": f"{'rear, then front' if away_first else 'front, then rear'} from turn_time_s"},
             "diagnostics": {"parts": {"a": a["diagnostics"], "b": b["diagnostics"]}}}
    (out / f"{name}.json").write_text(json.dumps(truth, indent=1))
    return truth


def join_set(out: Path, away_first: bool = False) -> list[str]:
    """Join every NAME_a / NAME_b pair rendered into OUT/parts, then drop the parts."""
    parts = out / "parts"
    names = sorted(p.name[: -len("_a.json")] for p in parts.glob("*_a.json"))
    for name in names:
        join_pair(parts, name, out, away_first)
    shutil.rmtree(parts)
    return names
