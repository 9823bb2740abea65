"""Where the DejaVu fonts are, for the pictures and the PDF report.

Its own small module: the pictures drawn during an analysis need the fonts, and importing the
report's PDF library for them cost ~0.6 CPU s in the first analysis of each process.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path


def font_dir() -> Path | None:
    """matplotlib's bundled fonts, found without importing matplotlib (slow, writes a config dir)."""
    spec = importlib.util.find_spec("matplotlib")
    for root in (spec.submodule_search_locations or []) if spec else []:
        d = Path(root) / "mpl-data" / "fonts" / "ttf"
        if (d / "DejaVuSans.ttf").exists() and (d / "DejaVuSans-Bold.ttf").exists():
            return d
    system = Path("/usr/share/fonts/truetype/dejavu")
    return system if (system / "DejaVuSans.ttf").exists() else None
