"""The command line: friendly failure on a bad file, the exercise list as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_cli_bad_file_exits_nonzero_with_friendly_message(tmp_path):
    bad = tmp_path / "empty.mp4"
    bad.write_bytes(b"")
    out = subprocess.run([sys.executable, "-m", "gait", "analyze", str(bad), "--speed", "walk"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode != 0
    assert "empty" in out.stderr and "What to do" in out.stderr
    assert "Traceback" not in out.stderr


def test_cli_exercises_json():
    out = subprocess.run([sys.executable, "-m", "gait", "exercises", "--json"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0
    rows = json.loads(out.stdout)
    assert len(rows) >= 18 and all("id" in r for r in rows)
