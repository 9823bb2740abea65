"""Shared test setup: the repo root on sys.path (pages import ``pages.ui``), clip locations."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def walk_result():
    """One real analysis of the socks walk, shared by the page tests (it takes a few seconds)."""
    clips = ROOT.parent / "shared" / "clips"
    socks = clips / "walk_toward_camera_socks.mp4"
    if not socks.exists():
        pytest.skip(f"real clips not found at {clips}")
    from gait.pipeline import analyze

    return analyze(socks, "walk")
