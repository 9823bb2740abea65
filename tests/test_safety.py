"""The red-flag screen: nothing ticked clears, any flag stops the self-check with its reason."""

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gait.advice.safety import RED_FLAGS, SafetyOutcome, UnknownRedFlagError, evaluate_answers, red_flag_by_id

FLAG_IDS = [flag.flag_id for flag in RED_FLAGS]


def test_no_answers_clears():
    outcome = evaluate_answers({})
    assert outcome == SafetyOutcome(cleared=True, ticked_flags=())
    assert outcome.reasons == ()


def test_all_answered_no_clears():
    outcome = evaluate_answers({flag_id: False for flag_id in FLAG_IDS})
    assert outcome.cleared is True
    assert outcome.ticked_flags == ()


@pytest.mark.parametrize("flag", RED_FLAGS, ids=FLAG_IDS)
def test_each_single_flag_stops_with_its_reason(flag):
    answers = {flag_id: False for flag_id in FLAG_IDS} | {flag.flag_id: True}
    outcome = evaluate_answers(answers)
    assert outcome.cleared is False
    assert outcome.ticked_flags == (flag,)
    assert outcome.reasons == (flag.reason,)


def test_several_flags_keep_table_order():
    answers = {FLAG_IDS[5]: True, FLAG_IDS[0]: True, FLAG_IDS[2]: False}
    outcome = evaluate_answers(answers)
    assert outcome.cleared is False
    assert [flag.flag_id for flag in outcome.ticked_flags] == [FLAG_IDS[0], FLAG_IDS[5]]


def test_unknown_flag_id_raises_typed_error():
    with pytest.raises(UnknownRedFlagError, match="knee_is_fine"):
        evaluate_answers({"knee_is_fine": True})


def test_unknown_flag_id_raises_even_when_answered_no():
    # A misspelt id answered "no" must not slip through as "cleared".
    with pytest.raises(UnknownRedFlagError, match="cannot_bear_wieght"):
        evaluate_answers({"cannot_bear_wieght": False})


def test_red_flag_by_id():
    assert red_flag_by_id(FLAG_IDS[1]) is RED_FLAGS[1]
    with pytest.raises(UnknownRedFlagError, match="nope") as info:
        red_flag_by_id("nope")
    assert info.value.flag_id == "nope"
    assert isinstance(info.value, ValueError)


def test_table_covers_the_product_red_flags():
    # PRODUCT.md lists eight red flags; each needs a question and a one-line reason.
    assert len(RED_FLAGS) == 8
    assert len(set(FLAG_IDS)) == len(FLAG_IDS)
    assert len({flag.question for flag in RED_FLAGS}) == len(RED_FLAGS)
    for flag in RED_FLAGS:
        assert flag.question.strip() and flag.reason.strip()
        assert "\n" not in flag.reason
    joined = " ".join(flag.question.lower() for flag in RED_FLAGS)
    for words in ("hot", "fever", "weight", "locks", "gives way", "swelled", "dislocated", "night", "rest",
                  "numbness", "weakness", "teenager", "groin"):
        assert words in joined


def test_outcome_and_flags_are_frozen():
    outcome = evaluate_answers({})
    with pytest.raises(dataclasses.FrozenInstanceError):
        outcome.cleared = False  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        RED_FLAGS[0].reason = ""  # type: ignore[misc]


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(FLAG_IDS), st.booleans()))
def test_cleared_exactly_when_nothing_ticked(answers):
    outcome = evaluate_answers(answers)
    assert outcome.cleared == (not any(answers.values()))
    assert {flag.flag_id for flag in outcome.ticked_flags} == {k for k, v in answers.items() if v}


# ---- the gate: an answer is needed, a red flag stops until a clinician is confirmed ----------

from gait.advice.safety import Gate, gate, report_sentence  # noqa: E402


def test_untouched_screen_is_not_an_answer():
    assert gate({}, none_apply=False, seen_clinician=False) is Gate.UNANSWERED
    assert not Gate.UNANSWERED.may_go_on


def test_confirming_none_apply_clears():
    assert gate({f.flag_id: False for f in RED_FLAGS}, none_apply=True, seen_clinician=False) is Gate.CLEAR
    assert Gate.CLEAR.may_go_on


def test_a_red_flag_stops_even_if_none_apply_was_confirmed_before():
    answers = {RED_FLAGS[0].flag_id: True}
    assert gate(answers, none_apply=True, seen_clinician=False) is Gate.STOP
    assert not Gate.STOP.may_go_on


def test_a_red_flag_with_a_clinician_confirmed_may_go_on_and_the_report_says_so():
    answers = {RED_FLAGS[2].flag_id: True}
    state = gate(answers, none_apply=False, seen_clinician=True)
    assert state is Gate.SEEN_CLINICIAN and state.may_go_on
    sentence = report_sentence(answers, state)
    assert RED_FLAGS[2].question.rstrip(".") in sentence and "confirmed" in sentence
    assert RED_FLAGS[0].question not in sentence


def test_clinician_confirmation_alone_does_not_clear_an_unanswered_screen():
    assert gate({}, none_apply=False, seen_clinician=True) is Gate.UNANSWERED
    assert "none of the red flags apply" in report_sentence({}, Gate.CLEAR)
