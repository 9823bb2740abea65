"""Score the engine against ground truth: ``python -m gait.validate [DIR ...]``.

For every clip in each folder with a truth file beside it (hand annotations of real clips,
or rendered walkers' exact truth; see ``gait.validation.truth``) the engine runs as the app runs it,
and per clip and overall we report: contact recall and precision (a found contact within
150 ms of a true one, same foot), contact timing error (mean absolute and bias), toe-off
error, left/right correct, cadence error, landing direction, foot angle, knee give and
spring-or-bang where the truth has them, and whether the clip was accepted or refused and
why. The last line is ``key=value`` pairs; ``--check`` exits 1 when a figure misses its bar
(CI), ``--write VALIDATION.md`` keeps the figures.

With no folder given it scores the shared annotated clips (``../shared/clips``) and the
committed rendered set (``tests/rendered``).
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from gait.errors import GaitError
from gait.validation.truth import Truth, TruthError, find_truths, load_truth
from gait.validation.report import clip_row, feet_table, markdown, shown
from gait.validation.score import (BAR_SETS, BARS, RENDERED_BARS, TARGETS, ClipScore, FootCall,  # noqa: F401
                                   failures, final_line, match_contacts, overall, score_clip)

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]
# tests/rendered/frontal: small walkers with set knee valgus, pelvic drop, step width and (walking away)
# rearfoot eversion (issue 11); kept apart so their far, small bodies do not move the contact figures.
DEFAULT_FOLDERS = (REPO.parent / "shared" / "clips", REPO / "tests" / "rendered", REPO / "tests" / "rendered" / "frontal")


def run_clip(truth: Truth, cache_dir: Path | None) -> ClipScore:
    from gait.pipeline import analyze

    t0 = time.perf_counter()
    try:
        analysis = analyze(truth.clip, truth.speed, keep_pictures=False, pose_cache_dir=cache_dir)
    except GaitError as err:
        score = ClipScore(name=truth.clip.name, source=truth.source, speed=truth.speed.value, meta=truth.meta,
                          n_true=len(truth.seen_contacts), cadence_true_spm=truth.cadence_spm,
                          expect_usable=truth.expect_usable, expect_refusal=truth.expect_refusal,
                          refusal_codes=(err.code,), error=err.user_message)
    else:
        score = score_clip(truth, analysis)
    score.seconds = time.perf_counter() - t0
    return score




def collect(folders: Sequence[Path]) -> list[Truth]:
    truths = []
    for folder in folders:
        if not folder.is_dir():
            sys.stderr.write(f"no such folder: {folder}\n")
            continue
        for path in find_truths(folder):
            try:
                truths.append(load_truth(path, clip_dir=folder))
            except TruthError as err:
                sys.stderr.write(f"{path}: {err.user_message}\n")
    return truths


SUMMARY_FILE = Path(__file__).resolve().parent / "summary.json"


def write_summary(sections: Sequence[tuple[Path, Sequence[ClipScore], str]], held_out: bool = False) -> None:
    """The headline figures the app quotes ("how sure are we"), per kind of truth.

    Kinds this run did not score keep their last figures. ``held_out``: the folders are rendered
    clips never tuned on (a fresh seed, not committed); their figures go to ``rendered_heldout``.
    """
    import json

    try:
        out: dict[str, dict[str, float]] = json.loads(SUMMARY_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        out = {}
    by_kind: dict[str, list[ClipScore]] = {}
    for _, scores, bar_name in sections:
        kind = "real" if bar_name == "shared" else "frontal" if bar_name == "frontal" else "rendered"
        by_kind.setdefault(kind + "_heldout" if held_out and kind != "real" else kind, []).extend(scores)
    for key, scores in by_kind.items():
        figures = overall(scores)
        out[key] = {
            k: round(v, 3 if k.endswith("_leg") else 1) for k, v in figures.items()
            if isinstance(v, float) and math.isfinite(v)}
    SUMMARY_FILE.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def how_sure_text() -> str | None:
    """One or two sentences on measured accuracy for the results page, from the last validation run."""
    import json

    try:
        data = json.loads(SUMMARY_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    real, rendered, frontal = data.get("real", {}), data.get("rendered", {}), data.get("frontal", {})
    parts = []
    if "ic_recall" in real and "ic_mae_ms" in real:
        parts.append(f"On filmed walks and runs whose landings were marked by hand, we found "
                     f"{real['ic_recall']:.0f} % of the landings, timed within {real['ic_mae_ms']:.0f} ms on average")
    if "fpa_mae_deg" in rendered:
        held_out = data.get("rendered_heldout", {})
        fresh = (f", and by {held_out['fpa_mae_deg']:.0f}° on walkers it was never tuned on"
                 if "fpa_mae_deg" in held_out else "")
        parts.append(f"on computer-made walkers with known feet, the landing direction was off by "
                     f"{rendered['fpa_mae_deg']:.0f}° on average where we could measure it "
                     f"({rendered.get('fpa_measured_pct', 0):.0f} % of feet){fresh}")
    if "knee_give_mae_deg" in rendered and "landing_calls_pct" in rendered:
        calls = rendered["landing_calls_pct"]
        parts.append(f"the knee's give after landing was off by {rendered['knee_give_mae_deg']:.0f}° on average, so "
                     + ("spring or bang always reads \"unclear\" for now" if calls == 0 else
                        f"spring or bang is called on {calls:.0f} % of feet, right on "
                        f"{rendered.get('landing_agreement_pct', 0):.0f} %"))
    if "valgus_mae_deg" in frontal:
        hips = (f"the hip's drop by {frontal['pelvic_drop_mae_deg']:.0f}° where your waistband showed (elsewhere it "
                "reads \"unclear\"); the heel's roll is not yet measured well enough and always reads \"unclear\""
                if "pelvic_drop_mae_deg" in frontal else
                "the hip's drop and the heel's roll are not yet measured well enough and always read \"unclear\"")
        parts.append(f"the knee's inward angle was off by {frontal['valgus_mae_deg']:.0f}° and the step width by "
                     f"{frontal.get('step_width_mae_leg', float('nan')):.2f} leg lengths; {hips}")
    return ("; ".join(parts) + ".") if parts else None


def _bar_set_for(folder: Path, truths: Sequence[Truth], chosen: str | None) -> str:
    if chosen:
        return chosen
    if folder.name == "frontal" and truths and all(t.source == "rendered" for t in truths):
        return "frontal"
    return "rendered" if truths and all(t.source == "rendered" for t in truths) else "shared"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gait.validate", description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, help="folders of clips with truth files beside them "
                        "(or in an annotations/ subfolder); default: ../shared/clips and tests/rendered")
    parser.add_argument("--check", action="store_true", help="exit 1 when a figure misses its bar")
    parser.add_argument("--write", type=Path, help="write the figures as markdown to this file")
    parser.add_argument("--held-out", action="store_true",
                        help="with --write: the folders hold rendered clips never tuned on (a fresh seed); their "
                             "figures are kept apart in summary.json and quoted as such")
    parser.add_argument("--cache", type=Path, help="reuse pose tracks kept in this folder (developers)")
    parser.add_argument("--only", help="score only clips whose name contains this")
    parser.add_argument("--bars", choices=sorted(BAR_SETS),
                        help="which bars --check holds every folder to (default: 'rendered' for a folder of "
                        "rendered walkers, 'shared' (the issues' targets) otherwise)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    os.environ.setdefault("GLOG_minloglevel", "2")  # mediapipe's C++ chatter, before it is imported
    folders = args.folders or [f for f in DEFAULT_FOLDERS if f.is_dir()]
    sections: list[tuple[Path, list[ClipScore], str]] = []
    for folder in folders:
        truths = collect([folder])
        if args.only:
            truths = [t for t in truths if args.only in t.clip.name]
        if not truths:
            continue
        scores = []
        for truth in truths:
            score = run_clip(truth, args.cache)
            scores.append(score)
            sys.stdout.write(clip_row(score).strip("| ").replace(" | ", "  ") + f"  [{score.seconds:.0f} s]\n")
            sys.stdout.flush()
        sections.append((folder, scores, _bar_set_for(folder, truths, args.bars)))
    if not sections:
        sys.stderr.write("No clips with truth files found in: " + ", ".join(map(str, folders)) + "\n")
        return 2
    every = [s for _, scores, _ in sections for s in scores]
    feet = feet_table(every)
    if feet:
        sys.stdout.write(feet + "\n")
    if args.write:
        args.write.write_text(markdown(sections), encoding="utf-8")
        write_summary(sections, held_out=args.held_out)
    missed = False
    for folder, scores, bar_name in sections:
        figures = overall(scores)
        for miss in failures(figures, BAR_SETS[bar_name]):
            missed = True
            sys.stdout.write(f"BAR MISSED ({shown(folder)}, {bar_name} bars): {miss}\n")
        if len(sections) > 1:
            sys.stdout.write(f"{shown(folder)}: {final_line(figures)}\n")
    sys.stdout.write(final_line(overall(every)) + "\n")
    return 1 if (args.check and missed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
