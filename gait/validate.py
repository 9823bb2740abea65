"""``python -m gait.validate``: the engine against ground truth (the command lives in gait.validation.cli)."""

from gait.validation.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
