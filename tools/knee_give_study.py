"""Where the spring-or-bang error model comes from, and what a front view can show of the knee's give.

    uv run python -m tools.knee_give_study [--cache DIR] FOLDER ...   # rendered clips with .frames.npz truth

Prints, against the rendered walkers' per-frame truth (``tools/synth/truth.py``):

1. the measured give (``gait.analysis.measures.knee_give_deg``) against the true one, per step and per
   foot: the line and scatter behind ``knee_give_seen_*`` in gait.thresholds (slope's SD by bootstrap
   over clips);
2. what the picture could show at best: signals computed from the true 2D/3D points (no pose error),
   e.g. how much the hip rises above the stance ankle after contact, in leg lengths (most of its power
   comes from the ankle's own motion: the hip alone tells soft from stiff far less well);
3. the same hip signal from the pose track (per-foot AUC of telling soft from stiff, against that of
   the measured give);
4. the frame rate the give needs: the true flexion curve sampled at 30/60/120 Hz;
5. (``--pixels``) the hips followed in the full-resolution pixels instead of the pose's hip points.

A developer's study (reads clips, runs the engine with an optional pose cache); nothing in the app uses it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

STIFF_MAX_GIVE = {"walk": 10.0, "fast_walk": 10.0, "run": 18.0}  # the renderer's label cut (tools/synth/truth.py)


def _auc(score: np.ndarray, positive: np.ndarray) -> float:
    pos, neg = score[positive], score[~positive]
    if not pos.size or not neg.size:
        return float("nan")
    return float(np.mean([(p > n) + 0.5 * (p == n) for p in pos for n in neg]))


def _smooth(x: np.ndarray, n: int) -> np.ndarray:
    n = max(3, n | 1)
    return np.convolve(np.pad(x, n // 2, mode="edge"), np.ones(n) / n, mode="valid")


def engine_rows(folders: list[Path], cache: Path | None) -> list[dict]:
    """Each rendered clip's steps from the engine, its cleaned track and its truth."""
    import gait.pipeline as pipeline
    from gait.errors import GaitError
    from gait.validation.truth import find_truths, load_truth

    grabbed: dict = {}
    measure = pipeline.measure_steps

    def keep(track, stances, running, period_s, pixels=None):
        grabbed["track"] = track
        return measure(track, stances, running, period_s, pixels=pixels)

    pipeline.measure_steps = keep
    rows = []
    try:
        for folder in folders:
            for path in find_truths(folder):
                frames = path.with_name(path.name.replace(".json", ".frames.npz"))
                truth = load_truth(path, clip_dir=folder)
                if truth.source != "rendered" or not frames.exists():
                    continue
                grabbed.clear()
                try:
                    a = pipeline.analyze(truth.clip, truth.speed, keep_pictures=False, pose_cache_dir=cache)
                except GaitError:
                    continue
                meta = json.loads(path.read_text())
                rows.append({"name": truth.clip.name, "path": truth.clip, "speed": meta["speed"], "running": truth.speed.is_running,
                             "meta": meta, "frames": dict(np.load(frames)), "track": grabbed.get("track"),
                             "steps": a.steps})
    finally:
        pipeline.measure_steps = measure
    return rows


def _true_contact(row: dict, stance) -> dict | None:
    for c in row["meta"]["contacts"]:
        if c["foot"] == stance.foot.value and c["ic_time_s"] is not None and abs(c["ic_time_s"] - stance.contact_s) < 0.15:
            return c
    return None


def measured_vs_true(rows: list[dict]) -> None:
    steps, feet = [], {}
    for r in rows:
        for m in r["steps"]:
            c = _true_contact(r, m.stance)
            if c is None or np.isnan(m.knee_give_deg):
                continue
            steps.append((c["knee_give_deg"], m.knee_give_deg, r["running"]))
            feet.setdefault((r["name"], m.stance.foot.value), []).append((c["knee_give_deg"], m.knee_give_deg))
    s = np.array(steps, float)
    b, a = np.polyfit(s[:, 0], s[:, 1], 1)
    print(f"1. measured vs true give, {len(s)} steps: slope {b:.3f}, offset {a:.2f} deg, scatter "
          f"{np.std(s[:, 1] - a - b * s[:, 0], ddof=2):.2f} deg, correlation {np.corrcoef(s[:, 0], s[:, 1])[0, 1]:.2f}")
    names = sorted(feet)
    f = np.array([np.median(np.array(feet[k]), axis=0) for k in names])
    b, a = np.polyfit(f[:, 0], f[:, 1], 1)
    clips = sorted({k[0] for k in names})
    rng = np.random.default_rng(0)
    boot = []
    for _ in range(2000):
        pick = [i for c in rng.choice(clips, len(clips)) for i, k in enumerate(names) if k[0] == c]
        if np.ptp(f[pick, 0]) > 0:
            boot.append(np.polyfit(f[pick, 0], f[pick, 1], 1)[0])
    print(f"   per foot ({len(f)} feet, median over steps): slope {b:.3f} (SD {np.std(boot):.3f} by bootstrap over "
          f"{len(clips)} clips), offset {a:.2f} deg, scatter {np.std(f[:, 1] - a - b * f[:, 0], ddof=2):.2f} deg")


def truth_signals(rows: list[dict]) -> None:
    """2. How far the hips move after contact in the true points (no pose error), soft vs stiff."""
    out = []
    for r in rows:
        fr, fps, t = r["frames"], r["meta"]["fps"], r["frames"]["time_s"]
        leg_px = 0.5 * sum(np.abs(fr[f"ankle_{s}_2d"][:, 1] - fr[f"hip_{s}_2d"][:, 1]) for s in "LR")
        scale = _smooth(leg_px, int(fps))
        leg_m = r["meta"]["subject"]["leg_length_m"]
        for c in r["meta"]["contacts"]:
            if c["ic_time_s"] is None:
                continue
            i0, s = int(np.searchsorted(t, c["ic_time_s"])), c["foot"]
            j = i0 + int(round(0.1 * fps))
            if j >= len(t):
                continue
            g2 = (fr[f"ankle_{s}_2d"][:, 1] - fr[f"hip_{s}_2d"][:, 1]) / scale
            hip2 = -fr[f"hip_{s}_2d"][:, 1] / scale  # the hip alone, without the stance ankle
            hip3 = 0.5 * (fr["hip_L_3d"][:, 1] + fr["hip_R_3d"][:, 1]) / leg_m
            out.append((r["running"], c["knee_give_deg"] > STIFF_MAX_GIVE[r["speed"]], g2[j] - g2[i0], hip3[j] - hip3[i0],
                        hip2[j] - hip2[i0]))
    for running in (False, True):
        x = np.array([o[1:] for o in out if o[0] == running], float)
        if not x.size:
            continue
        soft = x[:, 0] > 0
        print(f"2. true points, {'running' if running else 'walking'} ({len(x)} steps): hip rise 0-100 ms after contact, "
              f"leg lengths, image {x[soft, 1].mean():+.3f} soft / {x[~soft, 1].mean():+.3f} stiff, "
              f"3D {x[soft, 2].mean():+.3f} / {x[~soft, 2].mean():+.3f}; AUC {_auc(-x[:, 1], soft):.2f} "
              f"(the hip alone, without the stance ankle: {_auc(-x[:, 3], soft):.2f})")


def pose_signals(rows: list[dict]) -> None:
    """3. The same hip rise from the pose track, per foot, against the measured give."""
    from gait.analysis.geometry import leg_length_px
    from gait.names import LEG

    feet: dict = {}
    for r in rows:
        tr = r["track"]
        if tr is None:
            continue
        scale = leg_length_px(tr, window_s=1.0)
        for m in r["steps"]:
            c = _true_contact(r, m.stance)
            if c is None:
                continue
            leg = LEG[m.stance.foot]
            g = (tr.image_px[:, leg.ankle, 1] - tr.image_px[:, leg.hip, 1]) / scale
            rise = np.interp(m.stance.contact_s + 0.15, tr.time_s, g) - np.interp(m.stance.contact_s, tr.time_s, g)
            e = feet.setdefault((r["name"], m.stance.foot.value),
                                [r["running"], c["knee_give_deg"] > STIFF_MAX_GIVE[r["speed"]], [], []])
            e[2].append(rise)
            e[3].append(m.knee_give_deg)
    for running in (False, True):
        f = [(v[1], np.nanmedian(v[2]), np.nanmedian(v[3])) for v in feet.values() if v[0] == running]
        if not f:
            continue
        x = np.array(f, float)
        soft = x[:, 0] > 0
        print(f"3. pose track, {'running' if running else 'walking'} ({len(x)} feet): AUC soft vs stiff, hip rise "
              f"0-150 ms after the found contact {_auc(-x[:, 1], soft):.2f}, measured give {_auc(x[:, 2], soft):.2f} "
              f"(hip rise {np.mean(x[soft, 1]):+.3f} soft / {np.mean(x[~soft, 1]):+.3f} stiff leg lengths)")


def frame_rate(rows: list[dict]) -> None:
    """4. The true flexion curve sampled at 30/60/120 Hz: give = peak in the first 40 % of stance - at contact."""
    err: dict[int, list[float]] = {30: [], 60: [], 120: []}
    for r in rows:
        fr, fps, t = r["frames"], r["meta"]["fps"], r["frames"]["time_s"]
        for c in r["meta"]["contacts"]:
            if c["ic_time_s"] is None or c["to_time_s"] is None:
                continue
            flex = fr["knee_flexion_deg"][:, 0 if c["foot"] == "L" else 1]
            ic, to = c["ic_time_s"], c["to_time_s"]
            for rate in err:
                step = int(round(fps / rate))
                if rate > fps:
                    continue
                for phase in range(step):
                    idx = np.arange(phase, len(t), step)
                    at = idx[np.abs(t[idx] - ic) <= 0.5 / rate]
                    win = idx[(t[idx] >= ic) & (t[idx] <= ic + 0.4 * (to - ic))]
                    if at.size and win.size:
                        err[rate].append(flex[win].max() - flex[at].min() - c["knee_give_deg"])
    for rate, e in err.items():
        if e:
            e_ = np.abs(np.array(e))
            print(f"4. true flexion sampled at {rate} Hz ({len(e)} steps): give off by {e_.mean():.1f} deg on average, "
                  f"{np.percentile(e_, 95):.1f} deg at the 95th percentile")


def pixel_hips(rows: list[dict]) -> None:
    """5. The hips' up-down motion from the full-resolution pixels: phase correlation, frame to frame, of a
    window 2.2 hip widths wide and 1.4 times as tall around the pose's mid-hip (waist, shorts and upper
    thighs move as one; narrower windows lose the texture). Frames it cannot follow take the pose's step."""
    import cv2

    from gait.analysis.geometry import leg_length_px
    from gait.analysis.pose import LM
    from gait.analysis.video import iter_frames, probe
    from gait.names import LEG

    feet: dict = {}
    for r in rows:
        tr = r["track"]
        if tr is None or not r["steps"]:
            continue
        info = probe(r["path"])
        frames = [(f.time_s, cv2.cvtColor(f.rgb, cv2.COLOR_RGB2GRAY).astype(np.float32))
                  for f in iter_frames(r["path"], info, rate_hz=30, long_side_px=1920)]
        ft = np.array([t for t, _ in frames])
        h_px, w_px = frames[0][1].shape
        sx = w_px / tr.frame_size_px[0]
        hip = 0.5 * (tr.image_px[:, LM.L_HIP] + tr.image_px[:, LM.R_HIP])
        hip_w = np.abs(tr.image_px[:, LM.L_HIP, 0] - tr.image_px[:, LM.R_HIP, 0])
        dy = [0.0]
        for i in range(1, len(frames)):
            t = frames[i - 1][0]
            cx, cy, hw = (np.interp(t, tr.time_s, v) for v in (hip[:, 0], hip[:, 1], hip_w))
            if not (np.isfinite(cx) and np.isfinite(cy) and np.isfinite(hw)):
                dy.append(np.nan)
                continue
            w = max(24, int(2.2 * hw * sx))
            h = max(24, int(1.4 * w))
            x0, y0 = int(cx * sx - w / 2), int(cy * sx - h / 2)
            if x0 < 0 or y0 < 0 or x0 + w > w_px or y0 + h > h_px:
                dy.append(np.nan)
                continue
            (_, shift), response = cv2.phaseCorrelate(frames[i - 1][1][y0:y0 + h, x0:x0 + w],
                                                      frames[i][1][y0:y0 + h, x0:x0 + w],
                                                      cv2.createHanningWindow((w, h), cv2.CV_32F))
            dy.append(shift if response > 0.2 else np.nan)
        pose_y = np.interp(ft, tr.time_s, hip[:, 1] * sx)
        dy = np.where(np.isfinite(dy), dy, np.diff(pose_y, prepend=pose_y[0]))
        y = np.cumsum(dy) / sx
        fr = r["frames"]
        true_y = np.interp(ft, fr["time_s"], 0.5 * (fr["hip_L_2d"][:, 1] + fr["hip_R_2d"][:, 1])
                           * tr.frame_size_px[0] / r["meta"]["width_px"])
        ok = np.isfinite(np.diff(true_y)) & np.isfinite(np.diff(y)) & np.isfinite(np.diff(pose_y))
        print(f"5. {r['name']}: frame-to-frame hip motion against the truth, correlation "
              f"{np.corrcoef(np.diff(true_y)[ok], np.diff(y)[ok])[0, 1]:.2f} from pixels, "
              f"{np.corrcoef(np.diff(true_y)[ok], np.diff(pose_y / sx)[ok])[0, 1]:.2f} from the pose")
        scale = np.interp(ft, tr.time_s, leg_length_px(tr, window_s=1.0))
        for m in r["steps"]:
            c = _true_contact(r, m.stance)
            if c is None:
                continue
            ankle = np.interp(ft, tr.time_s, tr.image_px[:, LEG[m.stance.foot].ankle, 1])
            g = (ankle - y) / scale
            t0 = m.stance.contact_s
            e = feet.setdefault((r["name"], m.stance.foot.value),
                                [r["running"], c["knee_give_deg"] > STIFF_MAX_GIVE[r["speed"]], []])
            e[2].append(np.interp(t0 + 0.15, ft, g) - np.interp(t0, ft, g))
    for running in (False, True):
        x = np.array([(v[1], np.median(v[2])) for v in feet.values() if v[0] == running], float)
        if x.size:
            print(f"5. pixel hips, {'running' if running else 'walking'} ({len(x)} feet): AUC soft vs stiff of the "
                  f"hip's rise above the stance ankle 0-150 ms after the found contact {_auc(-x[:, 1], x[:, 0] > 0):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.knee_give_study", description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--cache", type=Path, help="pose cache folder (as gait.validate --cache)")
    parser.add_argument("--pixels", action="store_true", help="also follow the hips in the full-resolution "
                        "pixels (decodes every clip again)")
    args = parser.parse_args()
    rows = engine_rows(args.folders, args.cache)
    measured_vs_true(rows)
    truth_signals(rows)
    pose_signals(rows)
    frame_rate(rows)
    if args.pixels:
        pixel_hips(rows)


if __name__ == "__main__":
    main()
