"""python -m tools.synth render --set ci --out tests/rendered [--seed 1] [--only NAME ...] [--jobs 2]"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m tools.synth")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("render", help="render a set of clips with truth")
    r.add_argument("--set", default="ci", help="ci | ci_usable | refuse | holdout | frontal | frontal_holdout | treadmill | in_place | there_and_back | away_and_back")
    r.add_argument("--seed", type=int, default=1)
    r.add_argument("--out", required=True)
    r.add_argument("--only", nargs="*", help="clip names to render")
    r.add_argument("--jobs", type=int, default=2)
    r.add_argument("--duration", type=float, help="override every clip's length (s), for smoke tests")
    ls = sub.add_parser("list", help="print the clip specs of a set")
    ls.add_argument("--set", default="ci")
    ls.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)

    from .render import render_job as _render_one
    from .scenes import clip_set

    specs = clip_set(a.set, a.seed)
    if a.cmd == "list":
        for s in specs:
            print(json.dumps(s.to_dict()))
        return 0
    if a.only:
        specs = [s for s in specs if s.name in set(a.only)]
    if a.duration:
        for s in specs:
            s.duration_s = a.duration
    # A walk there and back is rendered as its two walks, then joined (tools.synth.join).
    joined = a.set in ("there_and_back", "away_and_back")
    jobs = [(s.to_dict(), str(Path(a.out) / "parts") if joined else a.out) for s in specs]
    # longest first
    jobs.sort(key=lambda j: -j[0]["duration_s"] * j[0]["fps"] * j[0]["width_px"] * j[0]["height_px"])
    if a.jobs <= 1:
        results = [_render_one(j) for j in jobs]
    else:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=a.jobs, mp_context=mp.get_context("spawn")) as ex:
            results = list(ex.map(_render_one, jobs))
    for name, dt, diag in results:
        print(f"{name}: {dt:.0f} s  {diag}")
    if joined:
        from .join import join_set

        for name in join_set(Path(a.out), away_first=a.set == "away_and_back"):
            print(f"{name}: joined")
    return 0


if __name__ == "__main__":
    sys.exit(main())
