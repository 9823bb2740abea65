"""Findings: per-step categories, per-foot summaries with confidence, and plain-words meaning.

Rules are data (``RULES``): a finding is one row, one sourced threshold and one test.
"""

from __future__ import annotations

import math

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from gait.analysis.measures import StepMeasures
from gait.names import Side
from gait.thresholds import value

IN, STRAIGHT, OUT = "in", "straight", "out"
SPRING, BANG = "spring", "bang"
UNCLEAR = "unclear"  # a category below the confidence floor, wherever it is shown


def landing_direction(angle_deg: float) -> str | None:
    """Coarse category of a foot angle (+ = toe out)."""
    if np.isnan(angle_deg):
        return None
    if angle_deg < value("fpa_in_below_deg"):
        return IN
    if angle_deg > value("fpa_out_above_deg"):
        return OUT
    return STRAIGHT


def step_angle_confidence(m: StepMeasures) -> float:
    """0-1: how far to trust one step's foot angle.

    The 2D angle (heel and toe in the picture) carries their visibility; one from the foot's
    own pixels, the outline fit's confidence; one from the 3D world landmarks alone, a share of
    their visibility (``fpa_3d_only_weight``: they follow the true angle less than half).
    """
    if np.isnan(m.foot_angle_deg):
        return 0.0
    conf = float(np.clip(m.landmark_visibility, 0.0, 1.0))
    if m.foot_angle_deg == m.foot_angle_2d_deg:
        return conf
    if not np.isnan(m.foot_angle_px_deg) and m.foot_angle_deg == m.foot_angle_px_deg:
        return float(np.clip(m.foot_angle_px_confidence, 0.0, 1.0))
    return conf * value("fpa_3d_only_weight")


def spring_probability(give_deg: float, running: bool, scatter_deg: float = 0.0) -> float:
    """0-1: the chance that the knee truly gives at least the stiff threshold (a spring), given a measured give.

    The measured give follows the true one only weakly from the front (``knee_give_seen_*``, fitted against
    rendered truth): measured = offset + slope x true + scatter, the scatter heavy-tailed (Student-t) so
    that one foot measured far off is not a certain call, and the slope itself unsure (averaged over).
    The true give before measuring is taken as normal about the threshold (``knee_give_prior_sd_deg``):
    equally likely stiff or soft, so the answer rests on the measurement, not on an assumed share of
    stiff landings.
    ``scatter_deg``: this foot's own step-to-step spread, used where it is wider than the method's.
    """
    if not math.isfinite(give_deg):
        return 0.5
    threshold = value("knee_give_run_deg" if running else "knee_give_walk_deg")
    prior_sd = value("knee_give_prior_sd_deg")
    true_deg = threshold + prior_sd * np.linspace(-5.0, 5.0, 1001)[:, None]
    sd = max(value("knee_give_seen_sd_deg"), scatter_deg)
    dof = value("knee_give_seen_tail_dof")
    # The slope itself is unsure (it may be ~0): average over it (Gauss-Hermite nodes of its normal).
    nodes, weights = np.polynomial.hermite_e.hermegauss(9)
    slopes = value("knee_give_seen_slope") + value("knee_give_seen_slope_sd") * nodes[None, :]
    z = (give_deg - value("knee_give_seen_offset_deg") - slopes * true_deg) / sd
    likelihood = ((1.0 + z * z / dof) ** (-(dof + 1.0) / 2.0)) @ (weights / weights.sum())
    true_deg = true_deg[:, 0]
    posterior = likelihood * np.exp(-0.5 * ((true_deg - threshold) / prior_sd) ** 2)
    above = float(np.sum(posterior[true_deg > threshold]) + 0.5 * np.sum(posterior[true_deg == threshold]))
    return above / float(np.sum(posterior))


def two_way_confidence(p_right: float) -> float:
    """A two-way call's confidence on the app's 0-1 scale: how far its chance of being right is above a coin toss.

    0 = a coin toss (50 % right), 1 = certain; the chance right is (1 + confidence) / 2, so the finding
    floor (0.4) asks for a 70 % chance. Quoting the chance itself would put every two-way call, even a
    coin toss, above the floor.
    """
    return float(np.clip(2.0 * p_right - 1.0, 0.0, 1.0))


def step_landing(m: StepMeasures, running: bool) -> tuple[str | None, float]:
    """Spring or bang for one step, with a 0-1 confidence (``two_way_confidence`` of ``spring_probability``).

    The knee's give decides. The foot's stop and the hips' jolt no longer move the confidence: against
    rendered truth they did not tell soft from stiff landings (per-step AUC 0.43 and 0.56, 122 steps).
    """
    if np.isnan(m.knee_give_deg):
        return None, 0.0
    p_spring = spring_probability(m.knee_give_deg, running)
    call = SPRING if p_spring >= 0.5 else BANG
    return call, round(two_way_confidence(max(p_spring, 1.0 - p_spring)), 2)


@dataclass(frozen=True)
class FootSummary:
    """One foot in one clip: typical values over its steps and the categories with confidence."""

    foot: Side
    n_steps: int
    foot_angle_median_deg: float
    foot_angle_iqr_deg: float
    landing_direction: str | None
    direction_confidence: float
    landing: str | None
    landing_confidence: float
    twist_median_deg: float
    twist_at_lift_off: bool | None
    twist_confidence: float
    knee_give_median_deg: float
    stance_median_s: float
    reason: str | None  # why a category is missing


def _normal_cdf(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def direction_probability(median_deg: float, angles_deg: np.ndarray, mean_step_confidence: float,
                          running: bool = False) -> float:
    """0-1: the chance that the foot's true angle lies in the category its median angle is in.

    The median's error is taken as normal, its spread from two sources: the method's own error
    on one foot (``fpa_foot_error_sd_deg``, measured against rendered truth), larger when the
    outline fits were poor (divided by their mean confidence), and the scatter of this foot's
    steps (robust SD). A median near a boundary or a foot whose steps disagree is less sure.
    """
    if np.isnan(median_deg) or angles_deg.size == 0:
        return 0.0
    scatter = 1.4826 * float(np.median(np.abs(angles_deg - median_deg)))
    method = value("fpa_foot_error_sd_run_deg" if running else "fpa_foot_error_sd_deg") / max(mean_step_confidence, 0.2)
    sd = math.hypot(method, scatter)
    lo, hi = value("fpa_in_below_deg"), value("fpa_out_above_deg")
    direction = landing_direction(median_deg)
    upper = hi if direction == STRAIGHT else (lo if direction == IN else math.inf)
    lower = lo if direction == STRAIGHT else (hi if direction == OUT else -math.inf)
    return float(_normal_cdf((upper - median_deg) / sd) - _normal_cdf((lower - median_deg) / sd))


def _step_count_factor(n: int) -> float:
    # Confidence grows with steps: 3 steps -> 0.6, 5+ -> 1.0.
    return float(min(1.0, n / 5.0))


def summarise_foot(foot: Side, steps: Sequence[StepMeasures], running: bool, landing_ok: bool) -> FootSummary:
    mine = [m for m in steps if m.stance.foot is foot]
    angled = [m for m in mine if step_angle_confidence(m) >= value("min_step_confidence")]
    n_min = int(value("min_steps_for_finding"))
    angles = np.array([m.foot_angle_deg for m in angled])
    median = float(np.median(angles)) if angles.size else float("nan")
    iqr = float(np.subtract(*np.percentile(angles, [75, 25]))) if angles.size else float("nan")
    direction, dir_conf, reason = None, 0.0, None
    if len(angled) >= int(value("min_steps_for_direction")):
        direction = landing_direction(median)
        mean_step_conf = float(np.mean([step_angle_confidence(m) for m in angled]))
        dir_conf = direction_probability(median, angles, mean_step_conf, running)
    else:
        n = len(angled)
        reason = f"only {n} clear step{'' if n == 1 else 's'} of this foot (need {int(value('min_steps_for_direction'))})"

    landing, land_conf = None, 0.0
    if landing_ok:
        judged = np.array([m.knee_give_deg for m in mine if not np.isnan(m.knee_give_deg)])
        if judged.size >= n_min:
            # The foot's median give, through the same error model: its error is mostly the foot's own
            # (left and right of one clip differ), so more steps do not narrow it; wild steps widen it.
            give = float(np.median(judged))
            scatter = 1.4826 * float(np.median(np.abs(judged - give)))
            p_spring = spring_probability(give, running, scatter)
            landing = SPRING if p_spring >= 0.5 else BANG
            land_conf = two_way_confidence(max(p_spring, 1.0 - p_spring))
        elif reason is None:
            reason = f"spring-or-bang could be judged on only {judged.size} steps (need {n_min})"

    twists = np.array([m.twist_deg for m in angled if not np.isnan(m.twist_deg)])
    twist_median = float(np.median(twists)) if twists.size else float("nan")
    twist_flag, twist_conf = None, 0.0
    if twists.size >= n_min:
        twisted = np.abs(twists) > value("twist_deg")
        twist_flag = bool(abs(twist_median) > value("twist_deg"))
        # Same direction on most steps is what makes a twist credible; rotation is the least
        # reliable thing a single camera measures, so this confidence is capped at 0.6.
        same_dir = float(np.mean(np.sign(twists) == np.sign(twist_median)))
        twist_conf = 0.6 * float(np.mean(twisted == twist_flag)) * same_dir * _step_count_factor(twists.size)
    gives = np.array([m.knee_give_deg for m in mine if not np.isnan(m.knee_give_deg)])
    stances = np.array([m.stance.duration_s for m in mine if m.stance.duration_s is not None])
    return FootSummary(foot=foot, n_steps=len(mine), foot_angle_median_deg=median, foot_angle_iqr_deg=iqr,
                       landing_direction=direction, direction_confidence=round(dir_conf, 2), landing=landing,
                       landing_confidence=round(land_conf, 2), twist_median_deg=twist_median,
                       twist_at_lift_off=twist_flag, twist_confidence=round(twist_conf, 2),
                       knee_give_median_deg=float(np.median(gives)) if gives.size else float("nan"),
                       stance_median_s=float(np.median(stances)) if stances.size else float("nan"), reason=reason)


@dataclass(frozen=True)
class Finding:
    """Something worth acting on, with what it means for the knee and how sure we are."""

    code: str  # also the key into the exercise mapping
    foot: Side | None
    title: str
    meaning: str
    confidence: float


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    meaning: str
    applies: Callable[[FootSummary], tuple[bool, float]]


RULES: tuple[Rule, ...] = (
    Rule("toe_out", "Foot lands pointing out",
         "A foot that lands turned out tends to roll in more as you load it, which can twist the shin "
         "under the knee. Strong hips and foot muscles help you control it.",
         lambda f: (f.landing_direction == OUT, f.direction_confidence)),
    Rule("toe_in", "Foot lands pointing in",
         "A foot that lands turned in often goes with the knee drifting in; hip strength helps keep "
         "the knee over the foot.",
         lambda f: (f.landing_direction == IN, f.direction_confidence)),
    Rule("bang", "Landing is abrupt (bang)",
         "The foot stops suddenly and the knee barely bends, so the impact goes straight up the leg. "
         "Quieter, softer landings lower the load on the knee.",
         lambda f: (f.landing == BANG, f.landing_confidence)),
    Rule("twist_at_lift_off", "Foot twists as it lifts off",
         "The foot turns as it pushes off, which can mean the foot and ankle muscles are not holding it "
         "steady; a sign to train, not a diagnosis.",
         lambda f: (bool(f.twist_at_lift_off), f.twist_confidence)),
)


def foot_findings(summaries: Sequence[FootSummary]) -> list[Finding]:
    out = []
    for summary in summaries:
        for rule in RULES:
            hit, conf = rule.applies(summary)
            # A weak signal is not advice: below the floor it stays an "unclear" in the foot's details.
            if hit and conf >= value("min_finding_confidence"):
                out.append(Finding(rule.code, summary.foot, rule.title, rule.meaning, conf))
    return out


def left_right_finding(summaries: Sequence[FootSummary]) -> Finding | None:
    by_foot = {s.foot: s for s in summaries}
    left, right = by_foot.get(Side.L), by_foot.get(Side.R)
    if left is None or right is None or left.landing_direction is None or right.landing_direction is None:
        return None
    diff = abs(left.foot_angle_median_deg - right.foot_angle_median_deg)
    if diff <= value("left_right_fpa_diff_deg"):
        return None
    conf = min(left.direction_confidence, right.direction_confidence)
    return Finding("left_right_difference", None, "Left and right feet land differently",
                   f"Your feet point about {diff:.0f}° differently. A clear difference between sides is worth "
                   "evening out with single-leg exercises, especially if the sore knee is on one side.", round(conf, 2))


def cadence_finding(cadence_spm: float | None, running: bool, confidence: float) -> Finding | None:
    if cadence_spm is None or not running or cadence_spm >= value("low_run_cadence_spm"):
        return None
    lo, hi = cadence_target_spm(cadence_spm)
    return Finding("low_cadence", None, "Cadence could rise a little",
                   f"At {cadence_spm:.0f} steps/min, shorter quicker steps ({lo:.0f}-{hi:.0f} steps/min, +5-10 %) "
                   "lower the load on the knee with each step (Heiderscheit et al. 2011).", round(confidence, 2))


def cadence_target_spm(cadence_spm: float) -> tuple[int, int]:
    """The +5 % to +10 % range the evidence supports, in whole steps/min rounded inward.

    The one place this range is computed: the results page, the back-to-running cue, the JSON
    and the PDF all call it, so they show the same two numbers (170 -> 179-187).
    """
    lo = math.ceil(round(cadence_spm * (1 + value("cadence_gain_low_pct") / 100), 6))
    hi = math.floor(round(cadence_spm * (1 + value("cadence_gain_high_pct") / 100), 6))
    return lo, hi


def walking_cadence_range_spm() -> tuple[int, int]:
    """The usual walking cadence, quoted by the results page and the PDF."""
    return round(value("walk_cadence_low_spm")), round(value("walk_cadence_high_spm"))


def unclear_below_floor(confidence: float) -> bool:
    """The one rule of doubt: a category below the confidence floor is shown as "unclear" everywhere."""
    return confidence < value("min_finding_confidence")


def credible(findings: Sequence[Finding]) -> list[Finding]:
    """The findings at or above the confidence floor: only these are shown as findings or drive exercises."""
    return [f for f in findings if not unclear_below_floor(f.confidence)]


def credible_dicts(findings: Sequence[dict]) -> list[dict]:
    """``credible`` for findings as saved in a data file (older files may hold weak ones)."""
    return [f for f in findings if not unclear_below_floor(float(f.get("confidence") or 0.0))]


def yes_no_label(flag: bool | None, confidence: float) -> str:
    """Plain words for a yes/no sign: below the finding floor a "yes" or "no" is only "unclear"."""
    if flag is None:
        return "not judged"
    if confidence < value("min_finding_confidence"):
        return "unclear"
    return "yes" if flag else "no"



# ---------------------------------------------------------------- knee and hip from the front, heel from behind
@dataclass(frozen=True)
class FrontalRule:
    code: str
    title: str
    meaning: str
    measure: str  # the ``FrontalFoot`` field it reads


FRONTAL_RULES: tuple[FrontalRule, ...] = (
    FrontalRule("knee_in", "Knee falls inward on landing",
                "As this foot takes your weight, the knee drifts in toward the other knee. That pulls the kneecap "
                "sideways out of its groove, the load runner's knee is sore from; strong side-hip and buttock "
                "muscles hold the knee over the foot.", "knee_valgus"),
    FrontalRule("hip_drop", "Hip drops on the other side",
                "When you stand on this leg, the other side of your pelvis sinks. The thigh then turns in and the "
                "knee follows; of the things a video shows, it is the one most linked to running injuries. "
                "Side-hip strength is what holds the pelvis level.", "pelvic_drop"),
    FrontalRule("feet_cross", "Feet cross the midline",
                "This foot lands on or across the line of the other foot, as if on a tightrope. The leg then slants "
                "inward, which loads the knee and hip from the side; aim for two lines a hand's width apart and "
                "slightly quicker steps.", "step_width"),
    FrontalRule("heel_rolls_in", "Heel rolls in a lot after landing (seen from behind)",
                "After landing, the heel tips inward more than usual and the shin turns in with it, which the "
                "knee has to absorb. Foot muscles (the one under the arch) and hip strength help control it.",
                "rearfoot_eversion"),
)


def frontal_findings(frontal: object) -> list[Finding]:
    """One finding per foot and frontal rule whose measure is beyond its threshold above the confidence floor."""
    feet = getattr(frontal, "feet", {}) or {}
    out = []
    for side in Side:
        foot = feet.get(side)
        if foot is None:
            continue
        for rule in FRONTAL_RULES:
            m = getattr(foot, rule.measure)
            if m.flagged and not unclear_below_floor(m.confidence):
                out.append(Finding(rule.code, side, rule.title, rule.meaning, m.confidence))
    return out
