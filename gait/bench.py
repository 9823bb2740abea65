"""``python -m gait.bench``: speed and memory figures (the command lives in gait.service.bench)."""

from gait.service.bench import main

if __name__ == "__main__":
    raise SystemExit(main())
