"""requirements.txt is exported from uv.lock: pip users must get the locked versions (issue 10, item 11)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;]+)")


def _pins(text: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) for m in map(PIN.match, text.splitlines()) if m}


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv is not installed")
def test_requirements_match_the_lock():
    exported = subprocess.run(["uv", "export", "--frozen", "--no-dev", "--no-hashes", "--no-header"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout
    assert _pins((ROOT / "requirements.txt").read_text()) == _pins(exported), (
        "requirements.txt differs from uv.lock: regenerate it with "
        "`uv export --frozen --no-dev --no-hashes --no-header` (keep its three-line header)")


def test_starlette_is_below_1_for_pip_users_too():
    # starlette 1.x breaks Streamlit's /media route (images answer HTTP 500): pyproject pins <1.
    assert _pins((ROOT / "requirements.txt").read_text())["starlette"].split(".")[0] == "0"
