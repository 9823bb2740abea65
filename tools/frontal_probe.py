"""Why pelvic drop, rearfoot eversion and knee valgus miss their bars: probes against rendered truth.

    uv run python -m tools.frontal_probe tests/rendered/frontal /tmp/fho --cache /tmp/pc_pelvis

A developer's tool (never part of the app). It reads each rendered clip's per-frame truth
(``NAME.frames.npz``: projected hip, knee, ankle, heel) and runs the engine (pose cached with
``--cache``), and prints per set of clips:

- pelvis: the waistband (the strongest colour edge across the body above the hips, placed from
  the TRUE hips, so an upper bound for any landmark-placed version) against the true hip line's
  tilt, frame by frame (correlation, gain) and per step (the drop's MAE), beside the same
  per-step drop from the exact projected hips;
- BlazePose's hip and knee widths over the true ones (why the knee angle reads low);
- eversion per step from behind: the engine's knee-ankle-heel method on exact projected joints
  and on BlazePose's; and the size of what it has to see: how far the true ankle moves sideways
  over the true heel from contact to the peak, in pixels of the clip, per 10 deg of eversion.
"""

from __future__ import annotations

import argparse
import ast
import json
import math
from pathlib import Path

import numpy as np


def _contacts(meta: dict) -> list[dict]:
    c = meta["contacts"]
    return ast.literal_eval(c) if isinstance(c, str) else c


def _view(meta: dict) -> str:
    settings = meta["settings"]
    settings = ast.literal_eval(settings) if isinstance(settings, str) else settings
    return str(settings.get("view", "front"))


def _frames_bgr(clip: Path) -> list[np.ndarray]:
    import cv2

    cap = cv2.VideoCapture(str(clip))
    out = []
    while True:
        ok, im = cap.read()
        if not ok:
            break
        out.append(im)
    return out


def hip_line_tilt_deg(hip_l: np.ndarray, hip_r: np.ndarray) -> np.ndarray:
    """+ = the right hip lower in the picture (as ``gait.analysis.frontal.hip_tilt_deg``)."""
    d = np.asarray(hip_r, float) - np.asarray(hip_l, float)
    return np.degrees(np.arctan2(d[..., 1], np.abs(d[..., 0])))


def waistband_tilt_deg(img_bgr: np.ndarray, hip_l: np.ndarray, hip_r: np.ndarray) -> float:
    """Tilt of the strongest near-horizontal colour edge over the hips (top/bottom garment seam),
    same sign as ``hip_line_tilt_deg``; NaN when the band is too small or has no edge."""
    import cv2

    c, w = 0.5 * (hip_l + hip_r), float(np.linalg.norm(hip_l - hip_r))
    if not np.isfinite(w) or w < 8:
        return float("nan")
    x0, x1 = int(max(0, min(hip_l[0], hip_r[0]) - 0.1 * w)), int(max(hip_l[0], hip_r[0]) + 0.1 * w)
    y0, y1 = int(max(0, c[1] - 1.2 * w)), int(c[1] + 0.2 * w)
    crop = img_bgr[y0:y1, x0:x1]
    if crop.shape[0] < 6 or crop.shape[1] < 6:
        return float("nan")
    lab = cv2.cvtColor(cv2.GaussianBlur(crop.astype(np.float32), (0, 0), 1.0) / 255.0, cv2.COLOR_BGR2Lab)
    g = np.linalg.norm(lab[2:] - lab[:-2], axis=2)
    pts = []
    for j in range(g.shape[1]):
        col = g[:, j]
        k = int(np.argmax(col))
        if 0 < k < col.size - 1 and col[k] > 8.0:
            a, b, cc = col[k - 1], col[k], col[k + 1]
            den = a - 2 * b + cc
            pts.append((j, k + 1 + (0.5 * (a - cc) / den if den < 0 else 0.0)))
    if len(pts) < 6:
        return float("nan")
    p = np.array(pts, float)
    keep = np.ones(len(p), bool)
    for _ in range(3):  # trimmed least squares: the arms and the hem stray off the seam
        fit = np.polyfit(p[keep, 0], p[keep, 1], 1)
        res = np.abs(p[:, 1] - np.polyval(fit, p[:, 0]))
        keep = res < max(1.0, 2.5 * float(np.median(res[keep])))
    # Facing the phone the right hip is on the picture's left: picture-right lower = right hip higher.
    return -math.degrees(math.atan(fit[0]))


def _drop_per_step(tilt: np.ndarray, steps: list[dict]) -> list[float]:
    if not np.isfinite(tilt).any():
        return [float("nan")] * len(steps)
    level = float(np.nanmedian(tilt))
    out = []
    for s in steps:
        a = s["ic_frame"]
        b = a + int(0.5 * (s["to_frame"] - a)) + 1
        sign = 1.0 if s["foot"] == "L" else -1.0
        seg = sign * (tilt[a:b] - level)
        out.append(float(np.nanmax(seg)) if np.isfinite(seg).any() else float("nan"))
    return out


def probe_pelvis(clips: list[Path]) -> None:
    true_d, exact_d, band_d = [], [], []
    for clip in clips:
        z = np.load(clip.with_suffix(".frames.npz"))
        meta = json.loads(clip.with_suffix(".json").read_text())
        frames = _frames_bgr(clip)
        n = min(len(frames), len(z["time_s"]))
        hl, hr = z["hip_L_2d"][:n].astype(float), z["hip_R_2d"][:n].astype(float)
        exact = hip_line_tilt_deg(hl, hr)
        band = np.array([waistband_tilt_deg(frames[f], hl[f], hr[f]) for f in range(n)])
        ok = np.isfinite(band) & np.isfinite(exact)
        if ok.sum() > 10:
            t, e = exact[ok] - np.median(exact[ok]), band[ok] - np.median(band[ok])
            print(f"  {clip.name:44s} waistband vs hip line: corr {np.corrcoef(t, e)[0, 1]:5.2f}, "
                  f"gain {np.polyfit(t, e, 1)[0]:5.2f} ({meta['subject']['clothes']})")
        steps = [s for s in _contacts(meta) if s["ic_frame"] is not None and s["to_frame"] is not None
                 and s.get("pelvic_drop_deg") is not None and s["to_frame"] < n]
        true_d += [s["pelvic_drop_deg"] for s in steps]
        exact_d += _drop_per_step(exact, steps)
        band_d += _drop_per_step(band, steps)
    t, x, b = (np.array(v, float) for v in (true_d, exact_d, band_d))
    ok = np.isfinite(b)
    print(f"  per step (n={t.size}): drop MAE on exact hips {np.nanmean(np.abs(x - t)):.2f} deg, "
          f"on the waistband {np.mean(np.abs(b[ok] - t[ok])):.2f} deg (n={ok.sum()}; its slope on the true drop "
          f"{np.polyfit(t[ok], b[ok], 1)[0]:.2f}: it cannot tell a small drop from a large one)")


def ankle_shift_px(ankle_x: np.ndarray, heel_x: np.ndarray) -> float:
    """How far the ankle moves sideways over the heel in a stretch of frames (px, peak to peak)."""
    rel = np.asarray(ankle_x, float) - np.asarray(heel_x, float)
    rel = rel[np.isfinite(rel)]
    return float(np.ptp(rel)) if rel.size else float("nan")


def probe_eversion_signal(clips: list[Path]) -> None:
    """The heel's roll as pixels: the true ankle's sideways shift over the true heel, contact to 0.6 of stance."""
    per_10, heel_px = [], []
    for clip in clips:
        z = np.load(clip.with_suffix(".frames.npz"))
        for c in _contacts(json.loads(clip.with_suffix(".json").read_text())):
            true = c.get("rearfoot_eversion_deg")
            if c["ic_frame"] is None or c["to_frame"] is None or not true or true < 5:
                continue  # small rolls: the ratio is all noise
            s, a = c["foot"], c["ic_frame"]
            b = min(len(z["time_s"]), a + int(0.6 * (c["to_frame"] - a)) + 1)
            per_10.append(10.0 * ankle_shift_px(z[f"ankle_{s}_2d"][a:b, 0], z[f"heel_{s}_2d"][a:b, 0]) / true)
            heel_px.append(float(np.linalg.norm(z[f"ankle_{s}_2d"][a] - z[f"heel_{s}_2d"][a])))
    if per_10:
        print(f"  eversion as pixels (n={len(per_10)} steps with >= 5 deg): 10 deg of roll moves the ankle "
              f"{np.median(per_10):.2f} px over the heel (median; {np.min(per_10):.2f}-{np.max(per_10):.2f}), "
              f"ankle to heel {np.median(heel_px):.1f} px at contact")


def probe_engine(clips: list[Path], cache: str | None) -> None:
    import gait.analysis.frontal as fr
    from gait.analysis.pose import LM
    from gait.pipeline import analyze

    seen: list = []
    original = fr.measure_frontal_steps

    def spy(track, steps, all_steps, view):  # noqa: ANN001, ANN202 - a probe
        out = original(track, steps, all_steps, view)
        seen.append((track, out, view))
        return out

    fr.measure_frontal_steps = spy
    ev_true, ev_exact, ev_pose = [], [], []
    try:
        for clip in clips:
            meta = json.loads(clip.with_suffix(".json").read_text())
            z = np.load(clip.with_suffix(".frames.npz"))
            contacts = _contacts(meta)
            seen.clear()
            analyze(clip, meta["speed"], keep_pictures=False, pose_cache_dir=cache)
            for track, out, view in seen:
                k = meta["width_px"] / track.frame_size_px[0]
                f = np.clip(np.round(track.time_s * meta["fps"]).astype(int), 0, len(z["time_s"]) - 1)
                if view == fr.FRONT:
                    widths = []
                    for a, b, ta, tb in ((LM.L_HIP, LM.R_HIP, "hip_L_2d", "hip_R_2d"),
                                         (LM.L_KNEE, LM.R_KNEE, "knee_L_2d", "knee_R_2d")):
                        found = np.linalg.norm(track.image_px[:, a] - track.image_px[:, b], axis=1) * k
                        true = np.linalg.norm(z[ta][f] - z[tb][f], axis=1)
                        ok = np.isfinite(found) & (true > 10)
                        widths.append(float(np.median(found[ok] / true[ok])) if ok.any() else float("nan"))
                    print(f"  {clip.name:44s} BlazePose/true width: hips {widths[0]:.2f}, knees {widths[1]:.2f}")
                    continue
                for st in out:
                    mine = [c for c in contacts if c["foot"] == st.stance.foot.value and c["ic_time_s"] is not None
                            and c["to_frame"] is not None and abs(c["ic_time_s"] - st.stance.contact_s) < 0.3
                            and c.get("rearfoot_eversion_deg") is not None]
                    if not mine:
                        continue
                    c, side = mine[0], st.stance.foot
                    n = c["to_frame"] - c["ic_frame"]
                    fr_idx = np.arange(c["ic_frame"], min(len(z["time_s"]), c["ic_frame"] + int(0.6 * n) + 1))
                    s = side.value
                    exact = fr.bend_deg(z[f"knee_{s}_2d"][fr_idx], z[f"ankle_{s}_2d"][fr_idx],
                                        z[f"heel_{s}_2d"][fr_idx], side, fr.REAR)
                    ev_true.append(c["rearfoot_eversion_deg"])
                    ev_exact.append(float(np.max(exact) - exact[0]))
                    ev_pose.append(st.rearfoot_eversion_deg)
    finally:
        fr.measure_frontal_steps = original
    if ev_true:
        t, x, p = (np.array(v, float) for v in (ev_true, ev_exact, ev_pose))
        ok = np.isfinite(p)
        print(f"  eversion per step (n={t.size}, any confidence): MAE on exact joints {np.mean(np.abs(x - t)):.2f} deg, "
              f"on BlazePose's {np.mean(np.abs(p[ok] - t[ok])):.2f} deg (n={ok.sum()})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.frontal_probe", description=(__doc__ or "").splitlines()[0])
    ap.add_argument("dirs", nargs="+", type=Path)
    ap.add_argument("--cache", default=None, help="pose cache folder (as gait.validate --cache)")
    args = ap.parse_args(argv)
    for d in args.dirs:
        clips = sorted(p for p in d.glob("*.mp4") if p.with_suffix(".frames.npz").exists())
        front = [p for p in clips if _view(json.loads(p.with_suffix(".json").read_text())) == "front"]
        print(f"{d}: {len(clips)} clips, {len(front)} toward the phone")
        probe_pelvis(front)
        probe_eversion_signal([p for p in clips if p not in front])
        probe_engine(clips, args.cache)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
