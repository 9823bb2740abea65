"""Shape rules that keep the analysis package pure."""

from __future__ import annotations

import ast
from pathlib import Path

from gait.thresholds import THRESHOLDS

GAIT = Path(__file__).resolve().parents[1] / "gait"


def test_gait_never_imports_streamlit():
    for path in GAIT.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] == "streamlit" for n in names), path.name


def test_every_threshold_has_unit_and_source():
    for name, t in THRESHOLDS.items():
        assert t.unit and t.source and t.meaning, name
