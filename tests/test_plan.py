"""Back-to-running plan: the growth rule, monotonic pain, honest goals, pain rules, re-planning."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gait.errors import GaitError
from gait.advice.plan import (
    GOAL_TARGETS,
    MAX_WEEKLY_INCREASE_PCT,
    MIN_WEEKLY_INCREASE_KM,
    PLAN_WEEKS,
    STEP_BACK_EVERY_N_WEEKS,
    Goal,
    Outcome,
    Phase,
    Plan,
    PlanInputError,
    PlanInputs,
    adjust_week,
    cadence_cue,
    make_plan,
    plan_chart_rows,
    start_weekly_km,
    usable_cadence_spm,
    weekly_loads,
)

TOL_KM = 1e-9


@st.composite
def plan_inputs(draw, rest=st.integers(0, 10), running=st.integers(0, 10)) -> PlanInputs:
    weekly = draw(st.floats(0, 150, allow_nan=False))
    return PlanInputs(
        pain_at_rest_0_10=draw(rest),
        pain_running_0_10=draw(running),
        weekly_distance_before_km=weekly,
        longest_run_before_km=draw(st.floats(0, 1)) * weekly,
        runs_per_week=draw(st.integers(2, 6)),
        goal=draw(st.sampled_from(list(Goal))),
        cadence_spm=draw(st.one_of(st.none(), st.floats(140, 200))),
    )


def _with_pain(inputs: PlanInputs, rest: float, running: float) -> PlanInputs:
    return PlanInputs(rest, running, inputs.weekly_distance_before_km, inputs.longest_run_before_km,
                      inputs.runs_per_week, inputs.goal, inputs.cadence_spm)


def _distances(plan: Plan) -> list[float]:
    return [w.weekly_distance_km for w in plan.weeks]


# --- The growth rule -----------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(plan_inputs(rest=st.integers(0, 3), running=st.integers(0, 5)))
def test_no_week_exceeds_the_last_normal_week_by_more_than_the_rule(inputs):
    plan = make_plan(inputs)
    assert plan.outcome is Outcome.RUNNING_PLAN
    last_normal = None
    for week in plan.weeks:
        if week.weekly_distance_km == 0:  # a walking week before any running (pain above the rule)
            assert last_normal is None and week.phase is Phase.STRENGTH_ONLY
            continue
        if last_normal is not None:
            allowed = max(last_normal * (1 + MAX_WEEKLY_INCREASE_PCT / 100), last_normal + MIN_WEEKLY_INCREASE_KM)
            assert week.weekly_distance_km <= allowed + TOL_KM, (week.week, week.weekly_distance_km, last_normal)
        if week.step_back:
            assert week.week % STEP_BACK_EVERY_N_WEEKS == 0
            assert week.weekly_distance_km < last_normal
        else:
            last_normal = week.weekly_distance_km
    assert max(_distances(plan)) <= GOAL_TARGETS[inputs.goal].weekly_distance_km + TOL_KM


@settings(max_examples=200, deadline=None)
@given(plan_inputs(rest=st.integers(0, 3), running=st.integers(0, 5)))
def test_sessions_add_up_to_no_more_than_the_week(inputs):
    for week in make_plan(inputs).weeks:
        assert sum(s.running_km for s in week.sessions) <= week.weekly_distance_km + 1e-6
        assert week.long_run_km == max((s.running_km for s in week.sessions), default=0.0)
        assert len(week.sessions) <= inputs.runs_per_week


def test_weekly_loads_known_answer():
    assert weekly_loads(10.0, 100.0, 8) == [
        (10.0, False), (11.0, False), (12.1, False), (9.6, True),
        (13.3, False), (14.6, False), (16.0, False), (12.8, True),
    ]
    # Small volumes grow by the 1 km floor; the cap holds.
    assert weekly_loads(3.0, 100.0, 3) == [(3.0, False), (4.0, False), (5.0, False)]
    assert weekly_loads(24.0, 25.0, 3) == [(24.0, False), (25.0, False), (25.0, False)]
    assert weekly_loads(5.0, 5.0, 0) == []


# --- More pain never gives a harder plan ---------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(plan_inputs(), st.integers(0, 10), st.integers(0, 10))
def test_higher_pain_never_gives_a_harder_plan(inputs, extra_rest, extra_running):
    worse = _with_pain(inputs, min(10, inputs.pain_at_rest_0_10 + extra_rest),
                       min(10, inputs.pain_running_0_10 + extra_running))
    easy, hard = make_plan(inputs), make_plan(worse)
    assert hard.weeks[0].weekly_distance_km <= easy.weeks[0].weekly_distance_km
    assert hard.weeks[0].phase.order <= easy.weeks[0].phase.order
    assert sum(_distances(hard)) <= sum(_distances(easy)) + TOL_KM
    for a, b in zip(easy.weeks, hard.weeks):
        assert b.weekly_distance_km <= a.weekly_distance_km + TOL_KM


@pytest.mark.parametrize(("weekly_km", "runs", "goal"), [(0, 3, Goal.FIVE_K), (12, 2, Goal.PAIN_FREE),
                                                        (25, 3, Goal.TEN_K), (45, 5, Goal.HALF),
                                                        (80, 6, Goal.MARATHON)])
def test_pain_grid_is_monotonic(weekly_km, runs, goal):
    # Every pair on the 11 x 11 pain grid, so a single non-monotone table entry cannot slip through.
    plans = {(r, p): make_plan(PlanInputs(r, p, weekly_km, weekly_km / 3, runs, goal))
             for r in range(11) for p in range(11)}
    for (r, p), plan in plans.items():
        for worse in ((r + 1, p), (r, p + 1)):
            if worse in plans:
                harder = plans[worse]
                assert all(b <= a + TOL_KM for a, b in zip(_distances(plan), _distances(harder))), (r, p, worse)
                assert harder.weeks[0].phase.order <= plan.weeks[0].phase.order


def test_start_distance_known_answers():
    assert start_weekly_km(PlanInputs(0, 2, 20, 8, 3, Goal.FIVE_K)) == 12.0  # 0.6 of 20
    assert start_weekly_km(PlanInputs(1, 2, 20, 8, 3, Goal.TEN_K)) == 10.2  # 0.6 * 0.85 of 20
    assert start_weekly_km(PlanInputs(0, 0, 0, 0, 3, Goal.FIVE_K)) == 2.7  # 3 x 6 min at 6.5 min/km
    assert start_weekly_km(PlanInputs(0, 0, 100, 30, 5, Goal.FIVE_K)) == 15.0  # never above the goal


# --- Goal reached, or why not ---------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(plan_inputs())
def test_plan_reaches_the_goal_or_says_why_not(inputs):
    plan = make_plan(inputs)
    target = GOAL_TARGETS[inputs.goal]
    assert plan.goal_note.strip()
    if plan.goal_reached:
        week = plan.weeks[plan.goal_week - 1]
        assert week.weekly_distance_km >= target.weekly_distance_km
        assert week.long_run_km >= target.long_run_km
        assert week.phase is Phase.BUILD_DISTANCE
    else:
        assert plan.goal_week is None
        assert any(s in plan.goal_note for s in ("Not within", "not part of this plan", "No running plan"))
    assert "not a promise" in plan.marathon_note or "get it checked" in plan.marathon_note


def test_marathon_is_never_promised():
    plan = make_plan(PlanInputs(0, 0, 60, 20, 5, Goal.MARATHON))
    assert not plan.goal_reached
    assert "not part of this plan" in plan.goal_note
    assert "8–12 weeks" in plan.marathon_note and "30 km" in plan.marathon_note


def test_typical_plan_known_answer():
    plan = make_plan(PlanInputs(0, 2, 20, 8, 3, Goal.FIVE_K))
    assert len(plan.weeks) == PLAN_WEEKS
    assert _distances(plan)[:6] == [12.0, 13.2, 14.5, 11.6, 15.0, 15.0]
    assert [w.phase for w in plan.weeks[:3]] == [Phase.RUN_WALK, Phase.CONTINUOUS, Phase.BUILD_DISTANCE]
    assert plan.weeks[0].sessions[0].description.startswith("3 × (8 min run / 1 min walk)")
    assert plan.goal_reached and plan.goal_week == 5
    assert [w.week for w in plan.weeks if w.step_back] == [4, 8, 12]
    assert all(w.strength_days == 3 for w in plan.weeks)
    rows = plan_chart_rows(plan)
    assert [r["distance_km"] for r in rows] == _distances(plan)
    assert rows[3]["kind"] == "easier week"


def test_beginner_far_from_half_marathon_is_told_why_not():
    plan = make_plan(PlanInputs(0, 0, 0, 0, 3, Goal.HALF))
    assert not plan.goal_reached
    assert "Not within 12 weeks" in plan.goal_note and "40 km a week" in plan.goal_note
    assert plan.weeks[0].sessions[0].description.startswith("6 × (1 min run / 2 min walk)")


# --- Too much pain: clinician, strength only --------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(plan_inputs(rest=st.integers(0, 10), running=st.integers(0, 10)))
def test_bad_pain_gives_clinician_and_strength_only(inputs):
    plan = make_plan(inputs)
    bad = inputs.pain_at_rest_0_10 >= 4 or inputs.pain_running_0_10 >= 6
    assert (plan.outcome is Outcome.SEE_CLINICIAN_STRENGTH_ONLY) == bad
    if bad:
        assert "clinician" in plan.clinician_note
        assert all(w.weekly_distance_km == 0 and w.phase is Phase.STRENGTH_ONLY and w.strength_days > 0
                   for w in plan.weeks)
    else:
        assert plan.clinician_note is None and plan.weeks[1].weekly_distance_km > 0
        # Above the 3/10 rule the plan starts with a walking week and says why; otherwise it runs at once.
        above_rule = inputs.pain_running_0_10 > 3
        assert (plan.weeks[0].weekly_distance_km == 0) == above_rule
        assert (plan.start_note is not None and "No running in week 1" in plan.start_note) == above_rule


@pytest.mark.parametrize(("rest", "running", "clinician"), [(3, 5, False), (4, 0, True), (0, 6, True), (10, 10, True)])
def test_pain_boundaries(rest, running, clinician):
    plan = make_plan(PlanInputs(rest, running, 20, 8, 3, Goal.TEN_K))
    assert (plan.outcome is Outcome.SEE_CLINICIAN_STRENGTH_ONLY) == clinician


def test_pain_rules_are_stated():
    rules = " ".join(make_plan(PlanInputs(0, 1, 20, 8, 3, Goal.TEN_K)).pain_rules)
    assert "3/10" in rules and "next morning" in rules and "step back" in rules and "clinician" in rules


# --- Re-planning after a pain report --------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(plan_inputs(rest=st.integers(0, 3), running=st.integers(0, 5)), st.integers(1, PLAN_WEEKS),
       st.integers(0, 5), st.booleans())
def test_adjust_week_steps_back_when_worse(inputs, week, pain_during, worse):
    plan = make_plan(inputs)
    done = plan.weeks[week - 1]
    nxt = adjust_week(plan, week, pain_during, worse)
    assert nxt.week == week + 1
    if worse or pain_during > 3:
        assert nxt.step_back
        assert nxt.weekly_distance_km < done.weekly_distance_km or done.weekly_distance_km == nxt.weekly_distance_km == 0
        if week >= 2:
            assert nxt.weekly_distance_km <= plan.weeks[week - 2].weekly_distance_km
        assert nxt.phase.order <= done.phase.order
        assert "Stepped back" in nxt.note
    elif week < PLAN_WEEKS:
        assert nxt == plan.weeks[week]
    else:
        assert nxt.weekly_distance_km == done.weekly_distance_km


def test_adjust_week_known_answer_and_high_pain():
    plan = make_plan(PlanInputs(0, 2, 20, 8, 3, Goal.FIVE_K))
    stepped = adjust_week(plan, 3, 2, pain_next_morning_worse=True)
    assert stepped.weekly_distance_km == 11.6  # min(week 2's 13.2, 0.8 x 14.5)
    assert stepped.phase is Phase.CONTINUOUS
    stop = adjust_week(plan, 3, 7, pain_next_morning_worse=False)
    assert stop.weekly_distance_km == 0 and stop.phase is Phase.STRENGTH_ONLY and "clinician" in stop.note


@pytest.mark.parametrize("week", [0, PLAN_WEEKS + 1, True, 2.0])
def test_adjust_week_rejects_weeks_outside_the_plan(week):
    plan = make_plan(PlanInputs(0, 2, 20, 8, 3, Goal.FIVE_K))
    with pytest.raises(PlanInputError, match="not in this plan"):
        adjust_week(plan, week, 2, False)


def test_adjust_week_rejects_impossible_pain():
    plan = make_plan(PlanInputs(0, 2, 20, 8, 3, Goal.FIVE_K))
    with pytest.raises(PlanInputError, match="outside 0 to 10"):
        adjust_week(plan, 1, 11, False)


# --- Impossible inputs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"pain_at_rest_0_10": 11}, "Pain at rest of 11 is outside 0 to 10"),
        ({"pain_running_0_10": -1}, "Pain when running of -1 is outside"),
        ({"pain_running_0_10": math.nan}, "must be a number"),
        ({"weekly_distance_before_km": -5}, "Weekly distance"),
        ({"weekly_distance_before_km": 10, "longest_run_before_km": 12}, "longer than your whole week"),
        ({"runs_per_week": 7}, "runs a week"),
        ({"runs_per_week": 1}, "runs a week"),
        ({"goal": "ultra"}, "not a goal"),
        ({"cadence_spm": 40}, "Cadence of 40"),
        ({"pain_at_rest_0_10": "3"}, "must be a number"),
    ],
)
def test_impossible_inputs_raise_a_friendly_typed_error(kwargs, message):
    base = {"pain_at_rest_0_10": 0, "pain_running_0_10": 2, "weekly_distance_before_km": 20,
            "longest_run_before_km": 8, "runs_per_week": 3, "goal": Goal.TEN_K}
    with pytest.raises(PlanInputError, match=message) as info:
        PlanInputs(**{**base, **kwargs})
    assert isinstance(info.value, GaitError) and info.value.user_message and info.value.fix


def test_goal_given_as_text_is_accepted():
    assert PlanInputs(0, 2, 20, 8, 3, "half").goal is Goal.HALF


# --- Cadence cue ------------------------------------------------------------------------------------


def test_cadence_cue_known_answers():
    assert "168–176 steps/min" in cadence_cue(160)
    assert "shorter, quicker, quieter" in cadence_cue(160)
    assert "5–10 % more" in cadence_cue(None)
    assert "aim for 168–176" in make_plan(PlanInputs(0, 2, 20, 8, 3, Goal.TEN_K, 160.0)).cadence_cue.lower()


@settings(max_examples=200, deadline=None)
@given(st.floats(120, 230))
def test_cadence_cue_is_five_to_ten_percent_up(cadence):
    lo, hi = (int(x) for x in cadence_cue(cadence).split(" steps/min")[0].split("Aim for ")[1].split("–"))
    assert lo <= hi
    assert cadence * 1.05 - 1e-6 <= lo and hi <= cadence * 1.10 + 1e-6


@pytest.mark.parametrize(("value", "expected"), [(164.0, 164.0), (None, None), (math.nan, None), (30, None),
                                                  ("170", None), (True, None)])
def test_usable_cadence(value, expected):
    assert usable_cadence_spm(value) == expected


# --- The answers the pain rule needs: next morning, and how far the runner can run now -----------


@pytest.mark.parametrize("running", [4, 5])
def test_pain_above_the_rule_starts_with_walking_and_says_why(running):
    plan = make_plan(PlanInputs(0, running, 20, 8, 3, Goal.FIVE_K))
    assert plan.outcome is Outcome.RUNNING_PLAN
    first = plan.weeks[0]
    assert first.weekly_distance_km == 0 and not first.sessions and first.phase is Phase.STRENGTH_ONLY
    assert "walk" in first.note.lower()
    assert f"pain of {running}/10 when you run is above the 3/10" in plan.start_note
    assert plan.weeks[1].phase is Phase.RUN_WALK and plan.weeks[1].weekly_distance_km > 0
    # Easier weeks stay on every 4th week of the plan.
    assert [w.week for w in plan.weeks if w.step_back] == [4, 8, 12]


def test_pain_within_the_rule_runs_from_week_one_without_a_note():
    plan = make_plan(PlanInputs(0, 3, 20, 8, 3, Goal.FIVE_K))
    assert plan.weeks[0].weekly_distance_km > 0 and plan.start_note is None


def test_knee_worse_next_morning_means_a_walking_week_first():
    calm = make_plan(PlanInputs(0, 2, 20, 8, 3, Goal.FIVE_K, pain_next_morning_worse=False))
    worse = make_plan(PlanInputs(0, 2, 20, 8, 3, Goal.FIVE_K, pain_next_morning_worse=True))
    assert calm.weeks[0].weekly_distance_km > 0 and calm.start_note is None
    assert worse.weeks[0].weekly_distance_km == 0
    assert "worse the next morning" in worse.start_note
    assert all(b.weekly_distance_km <= a.weekly_distance_km for a, b in zip(calm.weeks, worse.weeks))


def test_distance_you_can_run_now_caps_the_start():
    before = make_plan(PlanInputs(0, 2, 40, 12, 3, Goal.TEN_K))
    now = make_plan(PlanInputs(0, 2, 40, 12, 3, Goal.TEN_K, can_run_now_km=2.0))
    assert before.weeks[0].weekly_distance_km == 24.0  # 0.6 of 40, capped at the goal's 25
    assert now.weeks[0].weekly_distance_km == 6.0  # 2 km a session x 3 early runs
    assert "what you can run now (about 2 km" in now.start_note
    cannot = make_plan(PlanInputs(0, 2, 40, 12, 3, Goal.TEN_K, can_run_now_km=0.0))
    assert cannot.weeks[0].weekly_distance_km == 0 and "cannot run yet" in cannot.start_note


@pytest.mark.parametrize(("field", "bad", "match"), [("pain_next_morning_worse", "yes", "not an answer"),
                                                     ("can_run_now_km", -1.0, "outside")])
def test_new_answers_are_checked(field, bad, match):
    with pytest.raises(PlanInputError, match=match):
        PlanInputs(0, 2, 20, 8, 3, Goal.FIVE_K, **{field: bad})


def test_one_cadence_range_everywhere():
    """Results page, back-to-running cue and the finding all quote findings.cadence_target_spm."""
    from gait.analysis.findings import cadence_finding, cadence_target_spm

    assert cadence_target_spm(170.0) == (179, 187)  # 178.5 and 187.0, rounded inward
    assert cadence_target_spm(150.0) == (158, 165)
    assert "179–187 steps/min" in cadence_cue(170.0)
    assert "158-165 steps/min" in cadence_finding(150.0, True, 0.9).meaning


def test_marathon_note_and_goal_volume_are_one_number():
    from gait.advice.plan import MARATHON_BASE_WEEKLY_KM

    assert GOAL_TARGETS[Goal.MARATHON].weekly_distance_km == MARATHON_BASE_WEEKLY_KM
    note = make_plan(PlanInputs(0, 0, 60, 20, 5, Goal.MARATHON)).marathon_note
    assert f"{MARATHON_BASE_WEEKLY_KM:.0f} km a week" in note
