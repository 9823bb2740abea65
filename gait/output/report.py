"""The PDF report a physiotherapist can read: clips and their quality, findings per speed and foot,
landing pictures, per-step charts, the exercises chosen, the plan, and then vs now.

Built from the saved-results bundle (:mod:`gait.output.compare`), so the app and the CLI make the same
report. Charts are Altair specs rendered to PNG by vl-convert, fully offline. Text uses DejaVu Sans
(shipped inside matplotlib's wheel) because the PDF core fonts are Latin-1 only.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from fpdf import FPDF, FontFace, XPos, YPos

from gait.output.compare import Change, change_sentences, compare
from gait.output.fonts import font_dir as _font_dir
from gait.errors import GaitError
from gait.analysis.findings import credible_dicts, unclear_below_floor, walking_cadence_range_spm, yes_no_label
from gait.names import Side, Speed
from gait.output.words import cadence_is_clear, cadence_unclear_text
from gait.thresholds import value
from gait.output.sound_results import sound_text
from gait.output.report_sound import loudness_chart_png, loudness_rows

if TYPE_CHECKING:
    from gait.advice.exercises import Exercise
    from gait.advice.plan import Plan


PAGE_MARGIN_MM = 18.0
BODY_PT, SMALL_PT, H1_PT, H2_PT, H3_PT = 10.0, 8.5, 20.0, 14.0, 11.5
LINE_MM = 5.0
#: Height of a landing picture on the page; two sit side by side.
PICTURE_HEIGHT_MM = 62.0
CHART_WIDTH_PX, CHART_HEIGHT_PX = 540, 140
HEADING_FILL = (229, 236, 244)
ACCENT = (33, 86, 140)
GREY = (90, 90, 90)

INTRO = (
    "This is a self-check made by the runner with one phone camera. It is not a diagnosis and not a "
    "clinical gait analysis. Timing (steps, cadence, stance time) is the most reliable part from a front "
    "view; knee angles are less reliable; foot rotation (the landing direction) is the least reliable, so it "
    "is given as a coarse category (in / straight / out) from several steps, with a confidence. A clip that "
    "cannot support a finding gets none, with the reason. Foot angle: positive = toes out; 0\u201315\u00b0 "
    "counts as straight. The landing pictures draw the measured angle beside the photo, as the floor seen "
    "from above with the runner walking up the page, and only where the direction is clear. Cadence: steps "
    f"per minute, both feet counted. Below {100 * value('min_finding_confidence'):.0f} % confidence a result "
    "reads \u201cunclear\u201d and drives no exercise."
)
EXERCISE_NOTE = (
    "Hip and knee strengthening is the core treatment for runner's knee; the foot and ankle and landing "
    "exercises are a sensible adjunct, not a cure on their own."
)
DIRECTION_WORDS = {"in": "points in", "straight": "straight (toward the camera)", "out": "points out",
                   "unclear": "unclear"}
LANDING_WORDS = {"spring": "spring (soft landing, rolls through)", "bang": "bang (abrupt landing)",
                 "unclear": "unclear"}
FOOT_COLOURS = {"left": "#2b6cb0", "right": "#dd6b20"}


class ReportError(GaitError):
    """The report cannot be made (for example, no usable font on this machine)."""


def _pct(x: float | None) -> str:
    return "\u2013" if x is None else f"{100 * x:.0f} %"


class _Doc(FPDF):
    """A4 portrait with a running footer, in DejaVu Sans (the core fonts are Latin-1 only)."""

    family = "DejaVu"

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 7.5)
        self.set_text_color(*GREY)
        self.cell(0, 4, f"SpringCheck self-check, not a diagnosis \u00b7 page {self.page_no()} of {{nb}}",
                  align="C")
        self.set_text_color(0, 0, 0)


def _new_doc() -> _Doc:
    pdf = _Doc(orientation="P", unit="mm", format="A4")
    fonts = _font_dir()
    if fonts is None:
        raise ReportError("no_font", "The report cannot be made: no font with the needed characters is installed.",
                          "Install matplotlib or the DejaVu fonts (fonts-dejavu-core) on the server.")
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(PAGE_MARGIN_MM, PAGE_MARGIN_MM, PAGE_MARGIN_MM)
    pdf.set_auto_page_break(True, margin=PAGE_MARGIN_MM)
    pdf.set_title("SpringCheck report")
    pdf.set_creator("SpringCheck")
    pdf.add_page()
    return pdf


# ---- small writing helpers ---------------------------------------------------------------------

def _h1(pdf: _Doc, text: str) -> None:
    pdf.set_font(pdf.family, "B", H1_PT)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 10, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)


def _h2(pdf: _Doc, text: str, keep_mm: float = 40.0) -> None:
    # Never leave a heading alone at the bottom of a page.
    if pdf.will_page_break(keep_mm):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(pdf.family, "B", H2_PT)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(*ACCENT)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.set_draw_color(0, 0, 0)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)


def _h3(pdf: _Doc, text: str, keep_mm: float = 25.0) -> None:
    if pdf.will_page_break(keep_mm):
        pdf.add_page()
    pdf.ln(1.5)
    pdf.set_font(pdf.family, "B", H3_PT)
    pdf.cell(0, 6.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _para(pdf: _Doc, text: str, size: float = BODY_PT, grey: bool = False) -> None:
    pdf.set_font(pdf.family, "", size)
    if grey:
        pdf.set_text_color(*GREY)
    pdf.multi_cell(0, LINE_MM * size / BODY_PT, text, markdown=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1)


def _bullets(pdf: _Doc, items: Sequence[str], size: float = BODY_PT) -> None:
    pdf.set_font(pdf.family, "", size)
    for item in items:
        pdf.set_x(pdf.l_margin + 2)
        pdf.multi_cell(0, LINE_MM * size / BODY_PT, "\u2022  " + item, markdown=True,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _table(pdf: _Doc, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
           size: float = SMALL_PT) -> None:
    pdf.set_font(pdf.family, "", size)
    with pdf.table(col_widths=tuple(widths), text_align="LEFT", line_height=4.2 * size / SMALL_PT,
                   borders_layout="HORIZONTAL_LINES", padding=(1.2, 1.5),
                   headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL), width=pdf.epw) as table:
        for cells in [header, *rows]:
            row = table.row()
            for text in cells:
                row.cell(str(text))
    pdf.ln(2)


# ---- sections ----------------------------------------------------------------------------------

def _quality_section(pdf: _Doc, analyses: Mapping[str, dict[str, Any]]) -> None:
    _h2(pdf, "Clips analysed")
    rows = []
    for speed, d in analyses.items():
        v, q = d["video"], d["quality"]
        rows.append([Speed(speed).label, v["name"],
                     _video_cell(v, q),
                     f"person {q.get('person_frames_pct', 0):.0f} %, feet {q.get('feet_visible_pct', 0):.0f} %",
                     f"{q.get('view', '?')}, {str(q.get('travel', '?')).replace('_', ' ')}",
                     str(q.get("steps_found", len(d["steps"]))),
                     "yes" if q["usable"] else "no"])
    _table(pdf, ["Speed", "Clip", "Video", "Seen in frames", "View", "Steps", "Usable"], rows,
           (17, 33, 41, 26, 24, 15, 18))
    notes = []
    for speed, d in analyses.items():
        label = Speed(speed).label
        for p in d["quality"]["problems"]:
            kind = "Problem" if p.get("blocking") else "Note"
            notes.append(f"**{label} \u2013 {kind}:** {p['message']} Fix: {p['fix']}")
        for n in d["quality"].get("notes", []):
            notes.append(f"**{label} \u2013 note:** {n}")
    if notes:
        _bullets(pdf, notes, SMALL_PT + 0.5)


def _video_cell(v: Mapping[str, Any], q: Mapping[str, Any]) -> str:
    """Length and frame rate, plainly (no pixel sizes: they say nothing to a physio)."""
    parts = []
    if v.get("duration_s") is not None:
        parts.append(f"{float(v['duration_s']):.1f} s long")
    if q.get("frame_rate_hz") is not None:
        parts.append(f"{float(q['frame_rate_hz']):.0f} frames a second")
    return ", ".join(parts) or "\u2013"


def _floor_text() -> str:
    return f"{100 * value('min_finding_confidence'):.0f} %"


def _summary_section(pdf: _Doc, analyses: Mapping[str, dict[str, Any]]) -> None:
    """One line per speed: the whole result at a glance."""
    _h2(pdf, "At a glance")
    rows = []
    for speed, d in analyses.items():
        feet = d["summary"]["feet"]
        cad = d["summary"]["cadence_spm"]
        usable = d["quality"]["usable"]

        def foot(side: str, key: str) -> str:
            f = feet.get(side) or {}
            if not usable:
                return "\u2013"
            if not f.get(key):
                return "not judged"
            # One rule of doubt everywhere: below the floor a category is only "unclear".
            conf = f.get("direction_confidence" if key == "landing_direction" else "landing_confidence", 0.0)
            return (f"unclear ({_pct(conf)})" if unclear_below_floor(float(conf or 0.0))
                    else f"{f[key]} ({_pct(conf)})")

        cad_text = ("\u2013" if cad is None else f"{cad:.0f}" if cadence_is_clear(d["summary"])
                    else f"unclear ({_pct(d['summary'].get('cadence_confidence'))})")
        rows.append([Speed(speed).label, cad_text,
                     foot("L", "landing_direction"), foot("R", "landing_direction"),
                     foot("L", "landing"), foot("R", "landing"),
                     str(len(credible_dicts(d["findings"])))])
    _table(pdf, ["Speed", "Cadence (steps/min)", "Left lands", "Right lands", "Left spring/bang",
                 "Right spring/bang", "Findings"], rows, (20, 26, 24, 24, 26, 26, 18))


def _foot_rows(feet: Mapping[str, dict[str, Any]]) -> list[list[str]]:
    def cell(side: Side, what: str) -> str:
        f = feet.get(side.value)
        if not f:
            return "no steps seen"
        if what == "direction":
            if f["landing_direction"] is None:
                return "not judged" + (f": {f['reason']}" if f.get("reason") else "")
            if f["landing_direction"] == "unclear" or unclear_below_floor(f.get("direction_confidence") or 0.0):
                return (f"unclear: confidence {_pct(f['direction_confidence'])} is below the {_floor_text()} floor "
                        f"for a finding (measured median {f['foot_angle_median_deg']:.0f}\u00b0)")
            spread = f.get("foot_angle_iqr_deg")
            return (f"{DIRECTION_WORDS[f['landing_direction']]}; median {f['foot_angle_median_deg']:.0f}\u00b0"
                    + (f" (spread {spread:.0f}\u00b0)" if spread is not None else "")
                    + f"; confidence {_pct(f['direction_confidence'])}")
        if what == "landing":
            if f["landing"] is None:
                return "not judged" + (f": {f['reason']}" if f.get("reason") else "")
            if f["landing"] == "unclear" or unclear_below_floor(f.get("landing_confidence") or 0.0):
                return (f"unclear: confidence {_pct(f['landing_confidence'])} is below the {_floor_text()} floor "
                        "for a finding")
            give = f.get("knee_give_median_deg")
            return (LANDING_WORDS[f["landing"]] + (f"; knee gives {give:.0f}\u00b0 after contact" if give is not None
                                                   else "") + f"; confidence {_pct(f['landing_confidence'])}")
        if what == "twist":
            t = f["twist_at_lift_off"]
            text = yes_no_label(t, f.get("twist_confidence") or 0.0)
            return text + (f" (confidence {_pct(f.get('twist_confidence'))})" if t is not None else "")
        return str(f["n_steps"])

    return [[label] + [cell(side, what) for side in Side] for label, what in
            (("Steps measured", "n"), ("Landing direction", "direction"), ("Spring or bang", "landing"),
             ("Twist at lift-off", "twist"))]


def _pictures_row(pdf: _Doc, speed: str, pictures: Mapping[tuple[str, str], bytes],
                  feet: Mapping[str, Any] | None = None) -> None:
    from PIL import Image

    shown = [(side, pictures[(speed, side.value)]) for side in Side if (speed, side.value) in pictures]
    if not shown:
        return
    if pdf.will_page_break(PICTURE_HEIGHT_MM + 10):
        pdf.add_page()
    y = pdf.get_y()
    slot_w = pdf.epw / 2
    for i, (side, png) in enumerate(shown):
        w_px, h_px = Image.open(io.BytesIO(png)).size
        h = PICTURE_HEIGHT_MM
        w = min(slot_w - 6, h * w_px / h_px)
        h = w * h_px / w_px
        x = pdf.l_margin + i * slot_w + (slot_w - w) / 2
        pdf.image(io.BytesIO(png), x=x, y=y, w=w, h=h)
        pdf.set_xy(pdf.l_margin + i * slot_w, y + h + 1)
        pdf.set_font(pdf.family, "", SMALL_PT)
        pdf.set_text_color(*GREY)
        f = (feet or {}).get(side.value) or {}
        # The floor diagram is drawn beside the photo only when the direction is clear (gait.output.draw).
        clear = f.get("landing_direction") not in (None, "unclear")
        pdf.cell(slot_w, 4, f"Typical {side.label} landing" + ("; right: its angle seen from above" if clear
                                                                else " (ringed)"), align="C")
        pdf.set_text_color(0, 0, 0)
    pdf.set_xy(pdf.l_margin, y + PICTURE_HEIGHT_MM + 7)


def foot_angle_chart_png(steps: Sequence[Mapping[str, Any]], title: str) -> bytes | None:
    """PNG of the per-step foot angles with the "straight" band; None when no step has an angle."""
    import altair as alt
    import vl_convert

    rows = [{"step": i + 1, "foot": "left" if s["foot"] == "L" else "right", "angle_deg": s["foot_angle_deg"]}
            for i, s in enumerate(sorted(steps, key=lambda s: s.get("contact_s") or 0.0))
            if s.get("foot_angle_deg") is not None]
    if not rows:
        return None
    band = alt.Chart(alt.Data(values=[{"lo": 0, "hi": 15}])).mark_rect(opacity=0.13, color="green").encode(
        y=alt.Y("lo:Q"), y2="hi:Q")
    points = alt.Chart(alt.Data(values=rows)).mark_circle(size=110, opacity=0.9).encode(
        x=alt.X("step:O", title="step (in time order)", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("angle_deg:Q", title="foot angle (\u00b0, + = toes out)"),
        color=alt.Color("foot:N", title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=list(FOOT_COLOURS), range=list(FOOT_COLOURS.values()))))
    chart = (band + points).properties(width=CHART_WIDTH_PX, height=CHART_HEIGHT_PX,
                                       title=alt.Title(title, anchor="start", fontSize=12))
    spec = chart.configure(font="DejaVu Sans").configure_view(strokeWidth=0).to_dict()
    _register_chart_fonts()
    return vl_convert.vegalite_to_png(vl_spec=spec, scale=2.5)


@functools.cache
def _register_chart_fonts() -> None:
    # The same font in charts and text; vl-convert otherwise picks whatever the system has.
    import vl_convert

    fonts = _font_dir()
    if fonts is not None:
        vl_convert.register_font_directory(str(fonts))


def _chart(pdf: _Doc, png: bytes) -> None:
    from PIL import Image

    w_px, h_px = Image.open(io.BytesIO(png)).size
    w = pdf.epw
    h = w * h_px / w_px
    if pdf.will_page_break(h + 2):
        pdf.add_page()
    pdf.image(io.BytesIO(png), x=pdf.l_margin, y=pdf.get_y(), w=w, h=h)
    pdf.set_y(pdf.get_y() + h + 2)


def _key_frames_row(pdf: _Doc, speed: str, key_frames: Mapping[str, bytes]) -> None:
    """The typical landing of each foot frame by frame (from the landing viewer), full width."""
    from PIL import Image

    jpeg = key_frames.get(speed)
    if not jpeg:
        return
    w_px, h_px = Image.open(io.BytesIO(jpeg)).size
    w = pdf.epw
    h = w * h_px / w_px
    if pdf.will_page_break(h + 12):
        pdf.add_page()
    _para(pdf, "**Frame by frame** (top: the typical left landing; bottom: the typical right one): before contact, "
               "contact (green frame), mid-stance, lift-off (red frame); time from contact on each frame.",
          SMALL_PT + 0.5)
    pdf.image(io.BytesIO(jpeg), x=pdf.l_margin, y=pdf.get_y(), w=w, h=h)
    pdf.set_y(pdf.get_y() + h + 3)


def key_frames_of(analyses: Mapping[str, Any]) -> dict[str, bytes]:
    """``{speed: JPEG}`` key frames of the typical landings, from :class:`gait.pipeline.Analysis` objects."""
    from gait.output.viewer import key_frames_jpeg

    out = {}
    for sp, a in analyses.items():
        landing = getattr(a, "viewer", None)
        jpeg = key_frames_jpeg(landing) if landing is not None and a.quality.usable else None
        if jpeg:
            out[Speed(sp).value] = jpeg
    return out


def _speed_section(pdf: _Doc, speed: str, d: dict[str, Any], pictures: Mapping[tuple[str, str], bytes],
                   key_frames: Mapping[str, bytes] | None = None) -> None:
    sp = Speed(speed)
    # Keep the heading, cadence, foot table and pictures of one speed on one page.
    has_pictures = any((speed, side.value) in pictures for side in Side)
    _h2(pdf, f"{sp.label}: {d['video']['name']}", keep_mm=65 + (PICTURE_HEIGHT_MM + 10 if has_pictures else 0))
    s = d["summary"]
    if s["cadence_spm"] is not None and not cadence_is_clear(s):
        _para(pdf, f"**{cadence_unclear_text(s)}**")
    elif s["cadence_spm"] is not None:
        lo, hi = (s.get("cadence_target_spm") or [None, None])[:2]
        text = f"**Cadence {s['cadence_spm']:.0f} steps/min**"
        if s.get("cadence_low_spm") is not None:
            text += (f" (68 % range {s['cadence_low_spm']:.0f}\u2013{s['cadence_high_spm']:.0f}, "
                     f"confidence {_pct(s.get('cadence_confidence'))})")
        if lo is not None:
            text += f". +5\u201310 % would be {lo:.0f}\u2013{hi:.0f} steps/min"
        text += (". For running, +5\u201310 % of one's own cadence lowers the load on the knee." if sp.is_running
                 else ". Walking cadence is usually {}\u2013{} steps/min; the +5\u201310 % cue is meant for running.".format(
                     *walking_cadence_range_spm()))
        _para(pdf, text)
    else:
        _para(pdf, "**Cadence:** not measured from this clip.")
    if not d["quality"]["usable"]:
        reasons = " ".join(f"{p['message']} {p['fix']}" for p in d["quality"]["problems"] if p.get("blocking"))
        _para(pdf, "**No foot findings:** this clip cannot support them. " + reasons)
        _frontal_section(pdf, speed, d, pictures)  # a walk back seen from behind still shows the heel
        return
    _table(pdf, ["", "Left foot", "Right foot"], _foot_rows(s["feet"]), (28, 73, 73), size=SMALL_PT + 0.5)
    _pictures_row(pdf, speed, pictures, s["feet"])
    _key_frames_row(pdf, speed, key_frames or {})
    # The chart before the findings: text can run on to the next page, a picture cannot.
    png = foot_angle_chart_png(d["steps"], f"{sp.label}: foot angle per step (green band = straight)")
    if png:
        _chart(pdf, png)
    _frontal_section(pdf, speed, d, pictures)
    _sound_part(pdf, sp, d)
    _h3(pdf, "Findings and what they mean", keep_mm=15)
    findings = credible_dicts(d["findings"])  # a weak signal is no finding (older data files may hold some)
    if not findings:
        _para(pdf, "Nothing stands out clearly in this clip. The hip and knee exercises remain the core of "
                   "runner's-knee care.")
    for f in findings:
        who = f" ({Side(f['foot']).label} foot)" if f.get("foot") else ""
        _bullets(pdf, [f"**{f['title']}{who}**, confidence {_pct(f['confidence'])}: {f['meaning']}"])


def _sound_part(pdf: _Doc, sp: Speed, d: dict[str, Any]) -> None:
    """How loud each landing is (gait.analysis.sound), or why we could not hear the steps."""
    line = sound_text(d["summary"].get("landing_sound"), d["summary"]["feet"])
    if not line:
        return
    _para(pdf, f"**Landing sound:** {line}")
    png = loudness_chart_png(d["steps"], f"{sp.label}: landing loudness per step (dB at 1 m from the phone)",
                             CHART_WIDTH_PX, CHART_HEIGHT_PX, FOOT_COLOURS)
    if png:
        _register_chart_fonts()
        _chart(pdf, png)


def _loudness_section(pdf: _Doc, analyses: Mapping[str, dict[str, Any]]) -> None:
    rows = loudness_rows(analyses)
    if not rows:
        return
    _h3(pdf, "How loud each landing is, by speed")
    _table(pdf, ["Speed", "Left (dB at 1 m)", "Right (dB at 1 m)", "Left \u2013 right", "Sound"], rows,
           (20, 26, 26, 24, 78))
    _para(pdf, "From the clip's sound, corrected to 1 m from the phone by the person's size in the picture. Phones "
               "record at different levels, so compare left with right, and speeds filmed the same way. Quieter "
               "landings go with lower loading (Tate & Milner 2017).", size=SMALL_PT + 0.5, grey=True)


def _exercise_section(pdf: _Doc, exercises: Sequence[Exercise]) -> None:
    from gait.advice.exercises import AFTER_RUN_NOTE

    _h2(pdf, "Exercises chosen")
    _para(pdf, EXERCISE_NOTE)
    rows = [[ex.name, ex.trains, ex.dose, "after a run or on a rest day" if ex.after_run_only else ""]
            for ex in exercises]
    _table(pdf, ["Exercise", "What it trains", "Dose", "When"], rows, (38, 52, 58, 26))
    if any(ex.after_run_only for ex in exercises):
        _para(pdf, AFTER_RUN_NOTE, SMALL_PT, grey=True)


def _plan_section(pdf: _Doc, plan: Plan) -> None:
    from gait.advice.plan import PAIN_RULES_SOURCE, Outcome, answers_text

    _h2(pdf, "Back-to-running plan")
    _para(pdf, f"**The runner's answers:** {answers_text(plan.inputs)}", SMALL_PT + 0.5)
    if plan.outcome is Outcome.SEE_CLINICIAN_STRENGTH_ONLY:
        _para(pdf, plan.clinician_note or "See a clinician before running; strength work only for now.")
    else:
        if plan.start_note:
            _para(pdf, f"**Start:** {plan.start_note}")
        _para(pdf, plan.goal_note)
        _para(pdf, f"**Cadence cue:** {plan.cadence_cue}")
        rows = [[str(w.week), w.phase.value + (" (easier week)" if w.step_back else ""),
                 f"{w.weekly_distance_km:.1f}", f"{w.long_run_km:.1f}", str(w.strength_days)] for w in plan.weeks]
        _table(pdf, ["Week", "Phase", "Running km", "Longest run km", "Strength days"], rows, (14, 60, 34, 36, 30))
    _h3(pdf, "Pain rules")
    _bullets(pdf, list(plan.pain_rules), SMALL_PT + 0.5)
    _para(pdf, PAIN_RULES_SOURCE, SMALL_PT, grey=True)
    if plan.marathon_note:
        _para(pdf, f"**Marathon:** {plan.marathon_note}", SMALL_PT + 0.5)


def _compare_section(pdf: _Doc, changes: Sequence[Change], then_date: str | None, now_date: str | None) -> None:
    _h2(pdf, "Then and now")
    _para(pdf, f"Then: results from {then_date or 'an earlier data file (no date)'}. "
               f"Now: results from {now_date or 'this report'}.")
    _bullets(pdf, change_sentences(changes), SMALL_PT + 0.5)
    mark = {True: "better", False: "worse", None: ""}
    rows = [[Speed(c.speed).label, c.what, c.then, c.now, c.change, mark[c.improved]] for c in changes]
    _table(pdf, ["Speed", "What", "Then", "Now", "Change", ""], rows, (18, 42, 31, 31, 38, 14))


def _normalise_pictures(pictures: Mapping[tuple[Any, Any], bytes] | None) -> dict[tuple[str, str], bytes]:
    # Speed is a str-Enum whose hash is its name, not its value: key by plain strings.
    # Keys other than a foot ("front_L", "rear_R": the frontal pictures) stay as they are.
    return {(Speed(sp).value, Side(ft).value if str(ft) in ("L", "R", "Side.L", "Side.R") else str(ft)): png
            for (sp, ft), png in (pictures or {}).items() if png}


def pictures_of(analyses: Mapping[str, Any]) -> dict[tuple[str, str], bytes]:
    """``{(speed, foot): PNG}`` landing pictures, and ``{(speed, "front_L"): PNG}`` ... frontal ones,
    from :class:`gait.pipeline.Analysis` objects keyed by speed."""
    out = {(Speed(sp).value, side.value): png for sp, a in analyses.items() for side, png in a.pictures.items()}
    for sp, a in analyses.items():
        frontal = getattr(a, "frontal", None)
        for key, png in (frontal.pictures.items() if frontal is not None else ()):
            out[(Speed(sp).value, key)] = png
    return out


_FRONTAL_ROWS = (("Knee falls in (knee's angle at landing)", "knee_valgus_deg", "knee_falls_in"),
                 ("Hip drops on the other side", "pelvic_drop_deg", "hip_drops"),
                 ("Feet cross the midline (step width)", "step_width_leg", "feet_cross"),
                 ("Heel rolls in after landing (from behind)", "rearfoot_eversion_deg", "heel_rolls_in"))


def _frontal_across_speeds(pdf: _Doc, bundle: dict[str, Any]) -> None:
    from gait.output.compare import FRONTAL_CALLS, across_speeds

    rows = across_speeds(bundle)
    if len({r["speed"] for r in rows}) < 2:
        return
    _h2(pdf, "Knee, hip and heel across speeds", keep_mm=30)
    whats = [what for _, _, what, _ in FRONTAL_CALLS]
    _table(pdf, ["Speed", "Foot", *[w.capitalize() for w in whats]], [[r["speed"], r["foot"], *[r[w] for w in whats]]
                                                                       for r in rows], (20, 14, 35, 35, 35, 35),
           size=SMALL_PT)


def _frontal_section(pdf: _Doc, speed: str, d: dict[str, Any], pictures: Mapping[tuple[str, str], bytes]) -> None:
    """Knee and hip from the front, heel from behind (issue 11): a table per foot and the measured pictures."""
    frontal = d["summary"].get("frontal")
    if not frontal:
        return
    feet = frontal.get("feet") or {}

    def cell(side: Side, key: str, call: str) -> str:
        f = feet.get(side.value) or {}
        v = f.get(key)
        if v is None:
            return "not measured"
        prefix = key.rsplit("_", 1)[0]
        shown = f"{v:.2f} leg lengths" if key.endswith("_leg") else f"{round(v)}\u00b0"
        return f"{f[call]}; {shown} on {f[prefix + '_steps']} steps; confidence {_pct(f[prefix + '_confidence'])}"

    rows = [[label] + [cell(side, key, call) for side in Side] for label, key, call in _FRONTAL_ROWS]
    if all(r[1] == r[2] == "not measured" for r in rows):
        if frontal.get("rear_view", {}).get("reason"):
            _para(pdf, frontal["rear_view"]["reason"], size=SMALL_PT + 0.5, grey=True)
        return
    _h3(pdf, "Knee and hip from the front, heel from behind", keep_mm=40)
    _table(pdf, ["", "Left", "Right"], rows, (42, 66, 66), size=SMALL_PT + 0.5)
    if frontal.get("rear_view", {}).get("reason"):
        _para(pdf, frontal["rear_view"]["reason"], size=SMALL_PT + 0.5, grey=True)
    shown = [(k, pictures[(speed, k)]) for k in ("front_L", "front_R", "rear_L", "rear_R") if (speed, k) in pictures]
    if not shown:
        return
    from PIL import Image

    if pdf.will_page_break(PICTURE_HEIGHT_MM + 10):
        pdf.add_page()
    y = pdf.get_y()
    slot_w = pdf.epw / max(2, len(shown))
    for i, (key, png) in enumerate(shown):
        w_px, h_px = Image.open(io.BytesIO(png)).size
        h = PICTURE_HEIGHT_MM
        w = min(slot_w - 4, h * w_px / h_px)
        h = w * h_px / w_px
        pdf.image(io.BytesIO(png), x=pdf.l_margin + i * slot_w + (slot_w - w) / 2, y=y, w=w, h=h)
        pdf.set_xy(pdf.l_margin + i * slot_w, y + h + 1)
        pdf.set_font(pdf.family, "", SMALL_PT)
        pdf.set_text_color(*GREY)
        view, foot = key.split("_")
        line = "waistband" if (feet.get(foot) or {}).get("pelvic_drop_from") == "waistband" else "hip line"
        pdf.cell(slot_w, 4, f"{Side(foot).label}: " + (f"hip \u2192 knee \u2192 ankle, {line}" if view == "front"
                                                         else "knee \u2192 ankle \u2192 heel"), align="C")
        pdf.set_text_color(0, 0, 0)
    pdf.set_xy(pdf.l_margin, y + PICTURE_HEIGHT_MM + 7)


def make_pdf(bundle: dict[str, Any], pictures: Mapping[tuple[Any, Any], bytes] | None = None,
             exercises: Sequence[Exercise] | None = None, plan: Plan | None = None,
             compare_with: dict[str, Any] | None = None, key_frames: Mapping[Any, bytes] | None = None,
             safety_note: str | None = None) -> bytes:
    """The report as PDF bytes.

    Parameters
    ----------
    bundle : saved results (:func:`gait.output.compare.bundle` / :func:`gait.output.compare.load_bundle`).
    pictures : ``{(speed, foot): PNG}`` landing pictures, e.g. from :func:`pictures_of`.
    exercises : the exercises chosen for the findings; the section is left out when None.
    plan : a back-to-running plan; the section is left out when None.
    compare_with : an earlier bundle; adds a then-vs-now section.
    key_frames : ``{speed: JPEG}`` the typical landings frame by frame, e.g. from :func:`key_frames_of`.
    safety_note : what the runner answered on the red-flag safety screen (:func:`gait.advice.safety.report_sentence`).

    Raises
    ------
    ReportError
        When no usable font is installed.
    """
    pics = _normalise_pictures(pictures)
    analyses = bundle["analyses"]
    pdf = _new_doc()
    _h1(pdf, "SpringCheck report")
    pdf.set_font(pdf.family, "", BODY_PT)
    speeds = ", ".join(Speed(s).label.lower() for s in analyses)
    made = f"Results of {bundle['created']} \u00b7 " if bundle.get("created") else ""
    pdf.cell(0, 6, f"{made}Report made {date.today().isoformat()} \u00b7 {speeds}",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    _h3(pdf, "What this is and isn't")
    _para(pdf, INTRO)
    if safety_note:
        _para(pdf, safety_note)
    _summary_section(pdf, analyses)
    _loudness_section(pdf, analyses)
    _quality_section(pdf, analyses)
    for speed, d in analyses.items():
        _speed_section(pdf, speed, d, pics, {Speed(sp).value: j for sp, j in (key_frames or {}).items()})
    _frontal_across_speeds(pdf, bundle)
    if exercises:
        _exercise_section(pdf, exercises)
    if plan is not None:
        _plan_section(pdf, plan)
    if compare_with is not None:
        _compare_section(pdf, compare(compare_with, bundle), compare_with.get("created"), bundle.get("created"))
    return bytes(pdf.output())
