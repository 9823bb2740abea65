"""Command line: ``python -m gait analyze CLIP --speed walk|fast_walk|run [--json OUT]``,
``python -m gait report RESULT.json [MORE.json ...] --pdf OUT.pdf [--compare EARLIER.json]``."""

from __future__ import annotations

import argparse
import json
import logging
import sys

from gait.errors import GaitError
from gait.names import Speed


def _progress(stage: str, fraction: float) -> None:
    sys.stderr.write(f"\r{stage}: {100 * fraction:5.1f}%   ")
    sys.stderr.flush()


def _analyze(args: argparse.Namespace) -> int:
    from gait.pipeline import analyze
    from gait.output.results import analysis_to_dict, summary_text

    try:
        result = analyze(args.clip, args.speed, progress=None if args.quiet else _progress)
    except GaitError as err:
        sys.stderr.write(f"\nSorry: {err.user_message}\nWhat to do: {err.fix}\n")
        return 2
    if not args.quiet:
        sys.stderr.write("\n")
    data = analysis_to_dict(result)
    sys.stdout.write(summary_text(data) + "\n")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2)
    return 0


def _report(args: argparse.Namespace) -> int:
    from gait.output.compare import finding_codes, merge_bundles, read_data_file
    from gait.advice.exercises import FOR_YOU_PER_FINDING, exercises_for
    from gait.output.report import make_pdf

    try:
        results = merge_bundles(read_data_file(path) for path in args.results)
        earlier = read_data_file(args.compare) if args.compare else None
        # Same short programme as the exercises page: the core plus the top picks per finding.
        pdf = make_pdf(results, exercises=exercises_for(finding_codes(results), per_finding=FOR_YOU_PER_FINDING),
                       compare_with=earlier)
    except GaitError as err:
        sys.stderr.write(f"Sorry: {err.user_message}\nWhat to do: {err.fix}\n")
        return 2
    try:
        with open(args.pdf, "wb") as fh:
            fh.write(pdf)
    except OSError as err:
        sys.stderr.write(f"Sorry: we could not write {args.pdf}: {err.strerror or err}.\n"
                         "What to do: choose a folder you can write to.\n")
        return 2
    speeds = ", ".join(results["analyses"])
    sys.stdout.write(f"Wrote {args.pdf} ({speeds}{'; compared with ' + args.compare if args.compare else ''})\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gait", description="SpringCheck gait analysis")
    sub = parser.add_subparsers(dest="command", required=True)
    p_an = sub.add_parser("analyze", help="analyse one clip of walking or running toward the phone")
    p_an.add_argument("clip")
    p_an.add_argument("--speed", choices=[s.value for s in Speed], required=True)
    p_an.add_argument("--json", help="write the results as JSON to this file")
    p_an.add_argument("--quiet", action="store_true", help="no progress output")
    p_ex = sub.add_parser("exercises", help="list the exercise library")
    p_ex.add_argument("--json", action="store_true", help="print the library as JSON")
    p_re = sub.add_parser("report", help="make the PDF report from saved results (JSON)")
    p_re.add_argument("results", nargs="+", help="saved results: one analysis (analyze --json) or a data file")
    p_re.add_argument("--pdf", required=True, help="write the PDF report to this file")
    p_re.add_argument("--compare", help="an earlier data file to compare with (then vs now)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.command == "analyze":
        return _analyze(args)
    if args.command == "report":
        return _report(args)
    if args.command == "exercises":
        from gait.advice.exercises import library_as_dicts

        rows = library_as_dicts()
        if args.json:
            sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        else:
            sys.stdout.write("\n".join(f"{r['id']}: {r['name']}" for r in rows) + "\n")
        return 0
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
