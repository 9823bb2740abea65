"""Back-to-running plan: a gradual build-up with pain-monitoring rules and a cadence cue.

Pure functions over frozen dataclasses. The plan is driven by one number per
week, the running distance, grown by a named rule (:data:`MAX_WEEKLY_INCREASE_PCT`)
with an easier week every :data:`STEP_BACK_EVERY_N_WEEKS` weeks; sessions are
derived from it. Every input that means more pain maps to an equal or easier
plan, which the tests check as a property.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import Enum

from gait.analysis.findings import cadence_target_spm
from gait.errors import GaitError
from gait.thresholds import value

# --- Tunables (value, unit, source) -------------------------------------------------------------

#: Most the weekly distance may grow over the last normal week. Common clinical rule of thumb;
#: Nielsen et al. 2014 JOSPT found no injury-rate difference between 10 % and 20-25 % in
#: novices—so 10 % is a conservative choice.
MAX_WEEKLY_INCREASE_PCT = 10.0
#: Smallest allowed weekly increase. Heuristic: at 3-5 km a week, 10 % is a few hundred metres,
#: less than one walk break, and would keep a returning runner in run-walk for months.
MIN_WEEKLY_INCREASE_KM = 1.0
#: Every n-th week is easier. Common coaching practice (heuristic).
STEP_BACK_EVERY_N_WEEKS = 4
#: Distance of an easier week relative to the last normal week (heuristic).
STEP_BACK_FACTOR = 0.8
PLAN_WEEKS = 12
STRENGTH_ONLY_WEEKS = 2
#: Hip and knee strength sessions a week (Crossley et al. 2016 BJSM; Willy et al. 2019 JOSPT).
STRENGTH_DAYS_PER_WEEK = 3

#: Pain (0-10) at or above which no running plan is given: see a clinician first (expert opinion).
REST_PAIN_CLINICIAN_0_10 = 4
RUN_PAIN_CLINICIAN_0_10 = 6
#: Pain during a run that is acceptable if it settles by the next morning
#: (pain-monitoring approach as in Esculier et al. 2018 BJSM).
ACCEPTABLE_RUN_PAIN_0_10 = 3

#: Start at this share of the pre-pain weekly distance, by running pain 0..5 (heuristic, monotone).
START_FRACTION_BY_RUN_PAIN = (0.7, 0.7, 0.6, 0.5, 0.35, 0.25)
#: ... times this, by pain at rest 0..3 (heuristic, monotone).
START_FACTOR_BY_REST_PAIN = (1.0, 0.85, 0.7, 0.55)
#: Minimum weeks of run-walk, by running pain 0..5 and by rest pain 0..3 (heuristic).
RUN_WALK_WEEKS_BY_RUN_PAIN = (0, 0, 1, 1, 2, 3)
RUN_WALK_WEEKS_BY_REST_PAIN = (0, 1, 2, 2)
#: Smallest first session: minutes of running per session (heuristic).
MIN_START_RUN_MIN = 6.0

#: Only to turn minutes into approximate kilometres; a typical easy pace (heuristic).
EASY_PACE_MIN_PER_KM = 6.5
#: While the knee gets used to running, run every other day at most (expert opinion).
MAX_EARLY_RUNS_PER_WEEK = 3
#: Per-session running minutes at which run-walk turns continuous, and continuous turns into
#: building distance with one longer run (heuristic).
CONTINUOUS_MIN_RUN_MIN = 20.0
BUILD_MIN_RUN_MIN = 30.0
#: Shortest easy run worth its own day once building distance (heuristic).
MIN_EASY_RUN_KM = 4.0
#: Long run as a share of the week: with two runs a week, and with three or more (heuristic).
LONG_RUN_SHARE_TWO_RUNS = 0.6
LONG_RUN_SHARE = 0.4
#: Run-walk intervals by per-session running minutes: (up to minutes, run min, walk min).
RUN_WALK_INTERVALS = ((8.0, 1, 2), (12.0, 2, 2), (16.0, 3, 2), (20.0, 5, 1), (math.inf, 8, 1))

#: Cadence cue: +5-10 % of one's own (Heiderscheit et al. 2011 MSSE); the one table is gait.thresholds.
CADENCE_INCREASE_PCT = (value("cadence_gain_low_pct"), value("cadence_gain_high_pct"))
CADENCE_RANGE_SPM = (120.0, 230.0)


MAX_WEEKLY_KM = 250.0
_PROJECTION_WEEKS = 260


#: Marathon training only after 8-12 weeks of pain-free running at 30+ km a week (expert opinion).
#: The same number is the marathon goal's base volume, so the note and the goal never disagree.
MARATHON_BASE_WEEKLY_KM = 30.0
MARATHON_BASE_WEEKS = (8, 12)


class PlanInputError(GaitError):
    """Inputs a plan cannot be made from."""


class Goal(str, Enum):
    PAIN_FREE = "pain_free"
    FIVE_K = "5k"
    TEN_K = "10k"
    HALF = "half"
    MARATHON = "marathon"

    @property
    def label(self) -> str:
        """The goal as the runner picks it (one name for every page and the PDF)."""
        return GOAL_NAMES[self]


GOAL_NAMES: dict[Goal, str] = {Goal.PAIN_FREE: "Run pain-free again", Goal.FIVE_K: "5 km", Goal.TEN_K: "10 km",
                               Goal.HALF: "Half marathon", Goal.MARATHON: "Marathon"}


class Phase(str, Enum):
    STRENGTH_ONLY = "strength only"
    RUN_WALK = "run-walk"
    CONTINUOUS = "continuous"
    BUILD_DISTANCE = "build distance"

    @property
    def order(self) -> int:
        """Higher is harder."""
        return list(Phase).index(self)


class Outcome(str, Enum):
    RUNNING_PLAN = "running_plan"
    SEE_CLINICIAN_STRENGTH_ONLY = "see_clinician_strength_only"


class SessionKind(str, Enum):
    RUN_WALK = "run-walk"
    EASY_RUN = "easy run"
    LONG_RUN = "long run"


@dataclass(frozen=True)
class GoalTarget:
    """What a goal needs, in weekly and long-run distance (heuristic, typical beginner plans)."""

    label: str
    weekly_distance_km: float
    long_run_km: float


GOAL_TARGETS: dict[Goal, GoalTarget] = {
    Goal.PAIN_FREE: GoalTarget("running 30 minutes non-stop, pain-free, three times a week", 14.0, 5.5),
    Goal.FIVE_K: GoalTarget("a 5 km run", 15.0, 6.0),
    Goal.TEN_K: GoalTarget("a 10 km run", 25.0, 10.0),
    Goal.HALF: GoalTarget("a half marathon", 40.0, 16.0),
    # The plan only rebuilds a base; marathon training is a separate plan (see marathon_note).
    Goal.MARATHON: GoalTarget("a base for marathon training", MARATHON_BASE_WEEKLY_KM, 14.0),
}

PAIN_RULES: tuple[str, ...] = (
    f"During a run, pain up to {ACCEPTABLE_RUN_PAIN_0_10}/10 is acceptable if it has settled by the next morning.",
    f"Pain above {ACCEPTABLE_RUN_PAIN_0_10}/10 during a run, or a knee that is worse the next morning: step back a week "
    "(repeat the previous week's running).",
    "Pain at rest that appears or keeps rising: stop running and see a clinician "
    "(physiotherapist or doctor).",
    "Strength work on rest days or after a run; never the thigh exercises right before a run.",
)
PAIN_RULES_SOURCE = "Pain-monitoring and load management as in Esculier JF et al. 2018, Br J Sports Med."
STRENGTH_NOTE = "Hip and knee strength (see Exercises): on rest days or after a run."


@dataclass(frozen=True)
class PlanInputs:
    """What the runner tells us. Validated on creation; raises :class:`PlanInputError`."""

    pain_at_rest_0_10: float
    pain_running_0_10: float
    weekly_distance_before_km: float
    longest_run_before_km: float
    runs_per_week: int
    goal: Goal
    cadence_spm: float | None = None
    #: After the last run, was the knee worse the next morning? None: not answered / not run yet.
    pain_next_morning_worse: bool | None = None
    #: How far the runner can run now with pain of at most 3/10 (km); None: not answered.
    can_run_now_km: float | None = None

    def __post_init__(self) -> None:
        _check_number("Pain at rest", self.pain_at_rest_0_10, 0, 10, "Pick a number from 0 to 10.")
        _check_number("Pain when running", self.pain_running_0_10, 0, 10, "Pick a number from 0 to 10.")
        _check_number("Weekly distance", self.weekly_distance_before_km, 0, MAX_WEEKLY_KM,
                      f"Enter your usual weekly distance in km (0 to {MAX_WEEKLY_KM:.0f}).")
        _check_number("Longest run", self.longest_run_before_km, 0, MAX_WEEKLY_KM,
                      "Enter your longest run in a usual week, in km.")
        if self.weekly_distance_before_km > 0 and self.longest_run_before_km > self.weekly_distance_before_km:
            raise PlanInputError(
                "longest_run_over_weekly",
                f"Your longest run ({self.longest_run_before_km:g} km) is longer than your whole week "
                f"({self.weekly_distance_before_km:g} km).",
                "Enter a usual week: the longest run is part of the weekly total.",
            )
        if isinstance(self.runs_per_week, bool) or self.runs_per_week not in range(2, 7):
            raise PlanInputError("runs_per_week", f"{self.runs_per_week!r} runs a week is not something we plan for.",
                                 "Pick 2 to 6 runs a week.")
        try:
            object.__setattr__(self, "goal", Goal(self.goal))
        except ValueError:
            raise PlanInputError("goal", f"{self.goal!r} is not a goal we know.",
                                 "Pick one of: " + ", ".join(g.value for g in Goal) + ".") from None
        if self.pain_next_morning_worse not in (None, True, False):
            raise PlanInputError("next_morning", f"{self.pain_next_morning_worse!r} is not an answer we know.",
                                 "Say whether the knee was worse the next morning, or leave it empty.")
        if self.can_run_now_km is not None:
            _check_number("Distance you can run now", self.can_run_now_km, 0, MAX_WEEKLY_KM,
                          "Enter how far you can run now in km (0 if you cannot run yet), or leave it empty.")
        if self.cadence_spm is not None:
            lo, hi = CADENCE_RANGE_SPM
            _check_number("Cadence", self.cadence_spm, lo, hi,
                          f"Enter your running cadence in steps per minute ({lo:.0f}-{hi:.0f}), or leave it empty.")


def _check_number(name: str, value: object, low: float, high: float, fix: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise PlanInputError("not_a_number", f"{name} must be a number, not {value!r}.", fix)
    if not low <= value <= high:
        raise PlanInputError("out_of_range", f"{name} of {value:g} is outside {low:g} to {high:g}.", fix)


@dataclass(frozen=True)
class Session:
    kind: SessionKind
    description: str
    running_km: float


@dataclass(frozen=True)
class PlanWeek:
    week: int
    phase: Phase
    step_back: bool
    sessions: tuple[Session, ...]
    weekly_distance_km: float
    long_run_km: float
    strength_days: int
    note: str


@dataclass(frozen=True)
class Plan:
    inputs: PlanInputs
    outcome: Outcome
    weeks: tuple[PlanWeek, ...]
    pain_rules: tuple[str, ...]
    cadence_cue: str
    goal_reached: bool
    goal_week: int | None
    goal_note: str
    marathon_note: str
    clinician_note: str | None
    #: Why the plan starts the way it does, when the answers changed the start (shown above the weeks).
    start_note: str | None = None


# --- Building blocks ----------------------------------------------------------------------------


def _floor_01(x: float) -> float:
    """Round down to 0.1 km (down, so rounding never breaks the growth rule)."""
    return math.floor(x * 10 + 1e-9) / 10


def needs_clinician(inputs: PlanInputs) -> bool:
    """True when pain is too high for any running plan."""
    return (inputs.pain_at_rest_0_10 >= REST_PAIN_CLINICIAN_0_10
            or inputs.pain_running_0_10 >= RUN_PAIN_CLINICIAN_0_10)


def max_next_week_km(last_normal_week_km: float) -> float:
    """Most a week may hold after a normal week of ``last_normal_week_km``."""
    return last_normal_week_km + max(last_normal_week_km * MAX_WEEKLY_INCREASE_PCT / 100, MIN_WEEKLY_INCREASE_KM)


def is_step_back_week(week: int) -> bool:
    return week % STEP_BACK_EVERY_N_WEEKS == 0


def weekly_loads(start_km: float, cap_km: float, n_weeks: int, first_running_week: int = 1) -> list[tuple[float, bool]]:
    """Weekly running distance and step-back flag for ``n_weeks`` weeks, growing by the rule up to ``cap_km``.

    Weeks before ``first_running_week`` hold no running; easier weeks stay on every n-th week of the plan.
    """
    loads: list[tuple[float, bool]] = [(0.0, False)] * min(n_weeks, first_running_week - 1)
    last_normal: float | None = None
    for week in range(first_running_week, n_weeks + 1):
        if is_step_back_week(week) and last_normal is not None:
            loads.append((_floor_01(last_normal * STEP_BACK_FACTOR), True))
            continue
        km = min(start_km, cap_km) if last_normal is None else min(cap_km, _floor_01(max_next_week_km(last_normal)))
        loads.append((km, False))
        last_normal = km
    return loads


def _early_runs(inputs: PlanInputs) -> int:
    return min(inputs.runs_per_week, MAX_EARLY_RUNS_PER_WEEK)


def start_weekly_km(inputs: PlanInputs) -> float:
    """First week's running distance: a pain-scaled share of the pre-pain week, never below a short run-walk."""
    run_idx = min(math.ceil(inputs.pain_running_0_10), len(START_FRACTION_BY_RUN_PAIN) - 1)
    rest_idx = min(math.ceil(inputs.pain_at_rest_0_10), len(START_FACTOR_BY_REST_PAIN) - 1)
    share = START_FRACTION_BY_RUN_PAIN[run_idx] * START_FACTOR_BY_REST_PAIN[rest_idx]
    floor_km = _early_runs(inputs) * MIN_START_RUN_MIN / EASY_PACE_MIN_PER_KM
    cap_km = GOAL_TARGETS[inputs.goal].weekly_distance_km
    if inputs.can_run_now_km is not None:
        # Start from what the knee takes today, not from the old week.
        cap_km = min(cap_km, inputs.can_run_now_km * _early_runs(inputs))
    return _floor_01(min(cap_km, max(floor_km, share * inputs.weekly_distance_before_km)))


def no_running_weeks(inputs: PlanInputs) -> int:
    """Weeks of walking and strength before any running: one when the answers break the pain rule
    the plan is built on (more than 3/10 during runs, a knee worse the next morning, or no running
    possible today); the run-walk then starts from week two."""
    return int(inputs.pain_running_0_10 > ACCEPTABLE_RUN_PAIN_0_10 or inputs.pain_next_morning_worse is True
               or inputs.can_run_now_km == 0)


def start_note(inputs: PlanInputs) -> str | None:
    """Why the plan starts the way it does, in plain words; None when nothing needs saying."""
    rule = ACCEPTABLE_RUN_PAIN_0_10
    why = []
    if inputs.pain_running_0_10 > rule:
        why.append(f"pain of {inputs.pain_running_0_10:g}/10 when you run is above the {rule}/10 this plan allows")
    if inputs.pain_next_morning_worse is True:
        why.append("your knee was worse the next morning after running, which by the pain rules means stepping back")
    if inputs.can_run_now_km == 0:
        why.append("you cannot run yet without more pain")
    if why:
        return ("No running in week 1: " + "; ".join(why) + ". Walk briskly for 20–30 minutes, and cycle or swim "
                f"if it stays within {rule}/10, plus the hip and knee strength exercises. Start the run-walk in "
                f"week 2 only if walking stays within {rule}/10 and the knee is no worse the next morning. If the "
                "pain does not settle within two weeks, see a physiotherapist or doctor.")
    if inputs.can_run_now_km is not None and start_weekly_km(inputs) < start_weekly_km(
            replace(inputs, can_run_now_km=None)):
        return (f"Week 1 starts from what you can run now (about {inputs.can_run_now_km:g} km at a time), "
                "not from your weekly distance before the pain.")
    return None


def run_walk_weeks(inputs: PlanInputs) -> int:
    run_idx = min(math.ceil(inputs.pain_running_0_10), len(RUN_WALK_WEEKS_BY_RUN_PAIN) - 1)
    rest_idx = min(math.ceil(inputs.pain_at_rest_0_10), len(RUN_WALK_WEEKS_BY_REST_PAIN) - 1)
    return max(RUN_WALK_WEEKS_BY_RUN_PAIN[run_idx], RUN_WALK_WEEKS_BY_REST_PAIN[rest_idx])


def _session_minutes(weekly_km: float, runs: int) -> float:
    return weekly_km / runs * EASY_PACE_MIN_PER_KM


def _phase_for(weekly_km: float, inputs: PlanInputs) -> Phase:
    minutes = _session_minutes(weekly_km, _early_runs(inputs))
    if minutes >= BUILD_MIN_RUN_MIN:
        return Phase.BUILD_DISTANCE
    return Phase.CONTINUOUS if minutes >= CONTINUOUS_MIN_RUN_MIN else Phase.RUN_WALK


def _long_and_easy_km(weekly_km: float, runs: int, goal: Goal) -> tuple[float, float]:
    """Long run and each other run; rounded last, so no easy run outgrows the long one."""
    share = LONG_RUN_SHARE_TWO_RUNS if runs == 2 else LONG_RUN_SHARE
    long_km = max(weekly_km / runs, min(weekly_km * share, GOAL_TARGETS[goal].long_run_km))
    return _floor_01(long_km), _floor_01((weekly_km - long_km) / (runs - 1))


def _run_walk_text(minutes: float) -> str:
    for upto, run_min, walk_min in RUN_WALK_INTERVALS:
        if minutes < upto:
            reps = max(1, round(minutes / run_min))
            return f"{reps} × ({run_min} min run / {walk_min} min walk)"
    raise AssertionError("RUN_WALK_INTERVALS ends with infinity")


_PHASE_NOTES = {
    Phase.RUN_WALK: "Walk briskly for 5 minutes first. Flat routes: downhill loads the kneecap most.",
    Phase.CONTINUOUS: "Easy pace: you can talk in full sentences.",
    Phase.BUILD_DISTANCE: "One longer run a week; keep every run easy.",
}


def build_week(week: int, phase: Phase, weekly_km: float, step_back: bool, inputs: PlanInputs, note: str = "") -> PlanWeek:
    """One week's sessions for a given phase and running distance."""
    if phase is Phase.STRENGTH_ONLY or weekly_km <= 0:
        return PlanWeek(week, Phase.STRENGTH_ONLY, step_back, (), 0.0, 0.0, STRENGTH_DAYS_PER_WEEK,
                        note or "No running this week. " + STRENGTH_NOTE)
    if phase is Phase.BUILD_DISTANCE:
        runs = min(inputs.runs_per_week, max(_early_runs(inputs), math.floor(weekly_km / MIN_EASY_RUN_KM)))
        long_km, easy_km = _long_and_easy_km(weekly_km, runs, inputs.goal)
        sessions = (Session(SessionKind.LONG_RUN, f"Long easy run: {long_km:.1f} km", long_km),) + tuple(
            Session(SessionKind.EASY_RUN, f"Easy run: {easy_km:.1f} km", easy_km) for _ in range(runs - 1)
        )
    else:
        runs = _early_runs(inputs)
        each_km = _floor_01(weekly_km / runs)
        long_km = each_km
        minutes = _session_minutes(weekly_km, runs)
        if phase is Phase.RUN_WALK:
            text, kind = f"{_run_walk_text(minutes)}, about {each_km:.1f} km of running", SessionKind.RUN_WALK
        else:
            text, kind = f"Easy run, {round(minutes)} min non-stop (about {each_km:.1f} km)", SessionKind.EASY_RUN
        sessions = tuple(Session(kind, text, each_km) for _ in range(runs))
    notes = [note] if note else []
    if step_back:
        notes.append("Easier week: about a fifth less running, so the body can catch up.")
    notes.append(_PHASE_NOTES[phase])
    return PlanWeek(week, phase, step_back, sessions, weekly_km, long_km, STRENGTH_DAYS_PER_WEEK, " ".join(notes))


def _phases(loads: list[tuple[float, bool]], inputs: PlanInputs) -> list[Phase]:
    """Phase per week: run-walk for the pain-set minimum weeks, then by session length, moving up
    at most one phase a week and never back down (an easier week keeps its phase)."""
    order = list(Phase)
    phases: list[Phase] = []
    rest = no_running_weeks(inputs)
    for week, (km, _) in enumerate(loads, start=1):
        if km <= 0:
            phases.append(Phase.STRENGTH_ONLY)
            continue
        phase = Phase.RUN_WALK if week <= rest + run_walk_weeks(inputs) else _phase_for(km, inputs)
        if phases:
            last = phases[-1].order
            phase = order[max(last, min(phase.order, last + 1))]
        phases.append(phase)
    return phases


def _meets(target: GoalTarget, week: PlanWeek) -> bool:
    return (week.phase is Phase.BUILD_DISTANCE and week.weekly_distance_km >= target.weekly_distance_km
            and week.long_run_km >= target.long_run_km)


def _weeks_to(start_km: float, cap_km: float, inputs: PlanInputs) -> int | None:
    """First normal week at ``cap_km`` (continuing the rule past the plan), or None if never."""
    loads = weekly_loads(start_km, cap_km, _PROJECTION_WEEKS, no_running_weeks(inputs) + 1)
    for week, ((km, step_back), phase) in enumerate(zip(loads, _phases(loads, inputs)), start=1):
        if not step_back and km >= cap_km and phase is Phase.BUILD_DISTANCE:
            return week
    return None


def usable_cadence_spm(value: object) -> float | None:
    """A cadence from elsewhere (e.g. the analysis) if it is a plausible running cadence, else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    lo, hi = CADENCE_RANGE_SPM
    return float(value) if lo <= value <= hi else None


def cadence_cue(cadence_spm: float | None) -> str:
    """A short, concrete cadence cue: +5-10 % of the runner's own cadence."""
    lo_pct, hi_pct = CADENCE_INCREASE_PCT
    if cadence_spm is None:
        return ("Count your steps for 30 seconds on an easy run and double it; then aim for "
                f"{lo_pct:.0f}–{hi_pct:.0f} % more: shorter, quicker, quieter steps. A metronome app helps.")
    lo, hi = cadence_target_spm(cadence_spm)
    return (f"Aim for {lo}–{hi} steps/min (you run at about {cadence_spm:.0f}): "
            "shorter, quicker, quieter steps. A metronome app helps.")


def marathon_note(inputs: PlanInputs) -> str:
    """An honest estimate of when marathon training could start. Never a promise."""
    lo, hi = MARATHON_BASE_WEEKS
    rule = (f"Start marathon training only after about {lo}–{hi} weeks of pain-free running at "
            f"{MARATHON_BASE_WEEKLY_KM:.0f} km a week or more.")
    if needs_clinician(inputs):
        return rule + " That is a long way off while your knee hurts at this level: get it checked first."
    start = min(start_weekly_km(inputs), MARATHON_BASE_WEEKLY_KM)
    base_week = _weeks_to(start, MARATHON_BASE_WEEKLY_KM, inputs)
    if base_week is None:
        return rule + " At a safe build-up that is more than five years away; talk it through with a coach."
    first, last = base_week + lo, base_week + hi
    return (rule + f" If everything goes to plan you would reach {MARATHON_BASE_WEEKLY_KM:.0f} km a week "
            f"around week {base_week}, so the earliest start would be around week {first}–{last} "
            f"(about {first / 4.35:.0f}–{last / 4.35:.0f} months from now). This is an estimate, not a promise: "
            "a flare-up resets the count, and the marathon plan itself then takes several months more.")


def _strength_only_plan(inputs: PlanInputs) -> Plan:
    why = []
    if inputs.pain_at_rest_0_10 >= REST_PAIN_CLINICIAN_0_10:
        why.append(f"pain at rest of {inputs.pain_at_rest_0_10:g}/10")
    if inputs.pain_running_0_10 >= RUN_PAIN_CLINICIAN_0_10:
        why.append(f"pain of {inputs.pain_running_0_10:g}/10 when running")
    clinician = (f"With {' and '.join(why)}, please see a clinician (physiotherapist or doctor) before "
                 "starting to run again. Meanwhile, do the hip and knee strength exercises within 3/10 pain; "
                 "walking or cycling is fine if it does not make the knee worse.")
    weeks = tuple(build_week(w, Phase.STRENGTH_ONLY, 0.0, False, inputs) for w in range(1, STRENGTH_ONLY_WEEKS + 1))
    return Plan(inputs, Outcome.SEE_CLINICIAN_STRENGTH_ONLY, weeks, PAIN_RULES, cadence_cue(inputs.cadence_spm),
                False, None, "No running plan yet: the pain is too high for a safe start. " + clinician,
                marathon_note(inputs), clinician)


def make_plan(inputs: PlanInputs) -> Plan:
    """Make a back-to-running plan.

    Pain at rest of 4/10 or more, or 6/10 or more when running, gives no running
    plan: a clinician first, strength only. Otherwise :data:`PLAN_WEEKS` weeks
    that grow the weekly distance by the rule, up to the goal's volume.
    """
    if needs_clinician(inputs):
        return _strength_only_plan(inputs)
    target = GOAL_TARGETS[inputs.goal]
    start = start_weekly_km(inputs)
    loads = weekly_loads(start, target.weekly_distance_km, PLAN_WEEKS, no_running_weeks(inputs) + 1)
    weeks: list[PlanWeek] = []
    goal_week: int | None = None
    walk_note = ("No running this week: brisk walks, cycling or swimming within "
                 f"{ACCEPTABLE_RUN_PAIN_0_10}/10 pain, and the strength exercises. " + STRENGTH_NOTE)
    for week, ((km, step_back), phase) in enumerate(zip(loads, _phases(loads, inputs)), start=1):
        plan_week = build_week(week, phase, km, step_back, inputs, walk_note if km <= 0 else "")
        if goal_week is None and inputs.goal is not Goal.MARATHON and _meets(target, plan_week):
            goal_week = week
            plan_week = replace(plan_week, note="Goal volume reached: hold here rather than adding more. "
                                + plan_week.note)
        weeks.append(plan_week)
    return Plan(inputs, Outcome.RUNNING_PLAN, tuple(weeks), PAIN_RULES, cadence_cue(inputs.cadence_spm),
                goal_week is not None, goal_week, _goal_note(inputs, target, start, weeks, goal_week),
                marathon_note(inputs), None, start_note(inputs))


def _goal_note(inputs: PlanInputs, target: GoalTarget, start_km: float, weeks: list[PlanWeek],
               goal_week: int | None) -> str:
    if goal_week is not None:
        return (f"You should be ready for {target.label} around week {goal_week}, if the knee stays calm "
                "by the pain rules. Keep the same rules after that.")
    if inputs.goal is Goal.MARATHON:
        return ("A marathon is not part of this plan: it rebuilds a base first. Marathon training is a "
                "separate plan of several months; see the note on when it could start.")
    reached_km = max(w.weekly_distance_km for w in weeks)
    needed = _weeks_to(start_km, target.weekly_distance_km, inputs)
    more = "" if needed is None else f" At the same pace that takes about {max(needed - PLAN_WEEKS, 1)} more weeks."
    first = "" if not no_running_weeks(inputs) else f" in week {no_running_weeks(inputs) + 1}"
    return (f"Not within {PLAN_WEEKS} weeks. Starting at {start_km:.1f} km a week{first} and adding at most "
            f"{MAX_WEEKLY_INCREASE_PCT:.0f} % a week, with an easier week every {STEP_BACK_EVERY_N_WEEKS}th week, "
            f"you reach {reached_km:.1f} km a week; {target.label} needs about "
            f"{target.weekly_distance_km:.0f} km a week with a {target.long_run_km:.0f} km long run.{more}")


def adjust_week(plan: Plan, week: int, pain_during_0_10: float, pain_next_morning_worse: bool) -> PlanWeek:
    """The week to do next, after reporting how week ``week`` (1-based) went.

    Pain up to 3/10 that settled: carry on with the plan. Pain above 3/10, or
    worse next morning: step back (the previous week's running, and at most
    :data:`STEP_BACK_FACTOR` of this week's). Pain of 6/10 or more: no running,
    see a clinician.
    """
    if isinstance(week, bool) or not isinstance(week, int) or not 1 <= week <= len(plan.weeks):
        raise PlanInputError("week", f"Week {week!r} is not in this plan.", f"Pick a week from 1 to {len(plan.weeks)}.")
    _check_number("Pain during the run", pain_during_0_10, 0, 10, "Pick a number from 0 to 10.")
    done = plan.weeks[week - 1]
    inputs = plan.inputs
    if plan.outcome is Outcome.SEE_CLINICIAN_STRENGTH_ONLY or pain_during_0_10 >= RUN_PAIN_CLINICIAN_0_10:
        return build_week(week + 1, Phase.STRENGTH_ONLY, 0.0, True, inputs,
                          "Pain of 6/10 or more: no running this week; please see a clinician. " + STRENGTH_NOTE)
    if pain_during_0_10 > ACCEPTABLE_RUN_PAIN_0_10 or pain_next_morning_worse:
        before = plan.weeks[week - 2].weekly_distance_km if week >= 2 else done.weekly_distance_km
        km = _floor_01(min(before, done.weekly_distance_km * STEP_BACK_FACTOR))
        phase = min(done.phase, _phase_for(km, inputs), key=lambda p: p.order)
        reason = "more than 3/10 pain during runs" if pain_during_0_10 > ACCEPTABLE_RUN_PAIN_0_10 else \
            "a knee that was worse the next morning"
        return build_week(week + 1, phase, km, True, inputs, f"Stepped back after {reason}.")
    if week < len(plan.weeks):
        return plan.weeks[week]
    return replace(done, week=week + 1, step_back=False,
                   note="The plan is done: keep this week's running and the same pain rules.")


def answers_text(inputs: PlanInputs) -> str:
    """The runner's answers in one plain line (for the PDF, so a physio sees what the plan rests on)."""
    morning = {None: "not answered", True: "worse", False: "same or better"}[inputs.pain_next_morning_worse]
    can_run = "not answered" if inputs.can_run_now_km is None else f"{inputs.can_run_now_km:g} km"
    cadence = "" if inputs.cadence_spm is None else f"; running cadence about {inputs.cadence_spm:.0f} steps/min"
    return (f"pain at rest {inputs.pain_at_rest_0_10:g}/10, when running {inputs.pain_running_0_10:g}/10; "
            f"knee the morning after a run: {morning}; can run now: {can_run}; before the pain "
            f"{inputs.weekly_distance_before_km:g} km a week, longest run {inputs.longest_run_before_km:g} km; "
            f"{inputs.runs_per_week} runs a week; goal: {inputs.goal.label}{cadence}.")


def plan_chart_rows(plan: Plan) -> list[dict[str, object]]:
    """One row per week for a chart of weekly distance."""
    return [
        {
            "week": w.week,
            "distance_km": w.weekly_distance_km,
            "long_run_km": w.long_run_km,
            "phase": w.phase.value,
            "kind": "easier week" if w.step_back else "normal week",
        }
        for w in plan.weeks
    ]
