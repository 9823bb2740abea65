"""The PDF's landing-sound parts (gait.analysis.sound): a per-step loudness chart and the across-speeds rows.

Reads only the documented JSON; results saved before the sound was measured have no
``landing_sound`` and give nothing here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gait.analysis.findings import UNCLEAR
from gait.names import Speed


def _cell(db: object) -> str:
    if db is None:
        return "not heard"
    return UNCLEAR if db == UNCLEAR else f"{float(db):.0f}"  # type: ignore[arg-type]


def loudness_rows(analyses: Mapping[str, dict[str, Any]]) -> list[list[str]]:
    """One row per speed: left, right (dB at 1 m), left minus right, the sound/picture offset, or the reason."""
    rows = []
    for speed, d in analyses.items():
        sound = d.get("summary", {}).get("landing_sound")
        if not sound:
            continue
        label = Speed(speed).label
        if not sound.get("heard"):
            rows.append([label, "\u2013", "\u2013", "\u2013", str(sound.get("message") or "not heard")])
            continue
        feet = d["summary"]["feet"]
        lr = sound.get("left_minus_right_db")
        rows.append([label, _cell(feet.get("L", {}).get("landing_loudness_db")),
                     _cell(feet.get("R", {}).get("landing_loudness_db")),
                     "\u2013" if lr is None else (UNCLEAR if lr == UNCLEAR else f"{lr:+.1f} dB"),
                     f"sound {sound['audio_video_offset_ms']:+.0f} ms from the landings seen"])
    return rows


def loudness_chart_png(steps: Sequence[Mapping[str, Any]], title: str, width_px: int, height_px: int,
                       colours: Mapping[str, str]) -> bytes | None:
    """PNG of each heard step's loudness at 1 m; None when no step was heard clearly."""
    import altair as alt
    import vl_convert

    rows = [{"step": i + 1, "foot": "left" if s["foot"] == "L" else "right", "db": s["landing_loudness_db"]}
            for i, s in enumerate(sorted(steps, key=lambda s: s.get("contact_s") or 0.0))
            if isinstance(s.get("landing_loudness_db"), (int, float))]
    if not rows:
        return None
    chart = alt.Chart(alt.Data(values=rows)).mark_circle(size=110, opacity=0.9).encode(
        x=alt.X("step:O", title="step (in time order)", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("db:Q", title="dB at 1 m (higher = louder)", scale=alt.Scale(zero=False)),
        color=alt.Color("foot:N", title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=list(colours), range=list(colours.values()))))
    spec = chart.properties(width=width_px, height=height_px, title=alt.Title(title, anchor="start", fontSize=12)
                            ).configure(font="DejaVu Sans").configure_view(strokeWidth=0).to_dict()
    return vl_convert.vegalite_to_png(vl_spec=spec, scale=2.5)
