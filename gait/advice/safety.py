"""Red-flag safety screen: the questions as data and a pure function that evaluates the answers.

Any red flag means "see a clinician first, do not self-assess": these are signs that knee
pain may not be runner's knee (patellofemoral pain) and needs an examination. The list
follows the red flags usually screened before treating anterior knee pain (infection or
inflammation, fracture, mechanical block, haemarthrosis, patellar dislocation, non-mechanical
pain, neurological signs, referred hip pain in adolescents).

References
----------
Crossley KM et al. (2016) 2016 Patellofemoral pain consensus statement from the 4th
International Patellofemoral Pain Research Retreat, Manchester. Part 1. Br J Sports Med 50:839-843.
Stiell IG et al. (1996) Derivation of a decision rule for the use of radiography in acute knee
injuries (Ottawa knee rule). Ann Emerg Med 26:405-413.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

__all__ = [
    "RED_FLAGS",
    "Gate",
    "gate",
    "report_sentence",
    "RedFlag",
    "SafetyOutcome",
    "UnknownRedFlagError",
    "evaluate_answers",
    "red_flag_by_id",
]


@dataclass(frozen=True)
class RedFlag:
    """One yes/no red-flag question.

    Attributes
    ----------
    flag_id : str
        Stable identifier (used as widget key and in tests).
    question : str
        What the user ticks, phrased as a statement about themselves.
    reason : str
        One plain line saying why this needs a clinician rather than a self-check.
    """

    flag_id: str
    question: str
    reason: str


class UnknownRedFlagError(ValueError):
    """An answer names a red flag that is not in :data:`RED_FLAGS` (a programming error)."""

    def __init__(self, flag_id: str) -> None:
        self.flag_id = flag_id
        known = ", ".join(flag.flag_id for flag in RED_FLAGS)
        super().__init__(f"Unknown red flag id {flag_id!r}; known ids: {known}")


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        flag_id="hot_red_swollen_or_fever",
        question="My knee is hot, red or swollen, or I have a fever",
        reason="A hot, red or swollen knee or a fever can mean an infection or inflammation in the joint.",
    ),
    RedFlag(
        flag_id="cannot_bear_weight",
        question="I cannot put weight on the leg or cannot walk four steps",
        reason="Not being able to take weight can mean a fracture or another serious injury.",
    ),
    RedFlag(
        flag_id="locks_or_gives_way",
        question="My knee locks (gets stuck) or gives way",
        reason="Locking or giving way can mean a torn meniscus or ligament.",
    ),
    RedFlag(
        flag_id="rapid_swelling_after_injury",
        question="My knee swelled up a lot or within hours after an injury",
        reason="Big or fast swelling after an injury can mean bleeding inside the joint from a tear or fracture.",
    ),
    RedFlag(
        flag_id="kneecap_dislocation",
        question="My kneecap has slipped out of place (dislocated)",
        reason="After a kneecap dislocation the knee needs checking for damage and its own rehab plan.",
    ),
    RedFlag(
        flag_id="constant_pain_night_or_rest",
        question="I have constant pain at night or at rest",
        reason="Pain that does not ease with rest is not typical of runner's knee and needs checking for other causes.",
    ),
    RedFlag(
        flag_id="numbness_or_weakness",
        question="I have numbness, pins and needles or weakness in the leg or foot",
        reason="Numbness or weakness points to a nerve or the back, not the knee.",
    ),
    RedFlag(
        flag_id="teenager_hip_or_groin_pain",
        question="I am a teenager (under 18) with hip or groin pain",
        reason="In a growing teenager, knee pain with hip or groin pain can come from the hip's growth plate and needs prompt checking.",
    ),
)

_FLAGS_BY_ID: dict[str, RedFlag] = {flag.flag_id: flag for flag in RED_FLAGS}


@dataclass(frozen=True)
class SafetyOutcome:
    """Result of the safety screen.

    Attributes
    ----------
    cleared : bool
        True when no red flag was ticked, so the self-check may go on.
    ticked_flags : tuple of RedFlag
        The ticked flags, in the order of :data:`RED_FLAGS`.
    """

    cleared: bool
    ticked_flags: tuple[RedFlag, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """One line per ticked flag saying why a clinician should look first."""
        return tuple(flag.reason for flag in self.ticked_flags)


def red_flag_by_id(flag_id: str) -> RedFlag:
    """Return the red flag with this id.

    Raises
    ------
    UnknownRedFlagError
        If no red flag has this id.
    """
    try:
        return _FLAGS_BY_ID[flag_id]
    except KeyError:
        raise UnknownRedFlagError(flag_id) from None


def evaluate_answers(answers: Mapping[str, bool]) -> SafetyOutcome:
    """Evaluate the yes/no answers to the red-flag questions.

    Parameters
    ----------
    answers : Mapping[str, bool]
        Answer per flag id; True means "applies to me". Flags left out count as "no".

    Returns
    -------
    SafetyOutcome
        Cleared when nothing applies; otherwise the ticked flags with their reasons.

    Raises
    ------
    UnknownRedFlagError
        If an answer names an unknown flag id (a typo would otherwise silently clear the user).
    """
    for flag_id in answers:
        red_flag_by_id(flag_id)
    ticked = tuple(flag for flag in RED_FLAGS if answers.get(flag.flag_id, False))
    return SafetyOutcome(cleared=not ticked, ticked_flags=ticked)


class Gate(str, Enum):
    """Where the runner stands on the safety screen; only ``CLEAR`` and ``SEEN_CLINICIAN`` let the
    self-check (upload, analysis, results, report) go on."""

    UNANSWERED = "unanswered"  # nothing ticked, and "none of these apply" not confirmed either
    CLEAR = "clear"  # the runner confirmed that none apply
    STOP = "stop"  # a red flag is ticked: see a clinician first
    SEEN_CLINICIAN = "seen_clinician"  # a red flag is ticked and the runner confirmed a clinician has seen it

    @property
    def may_go_on(self) -> bool:
        return self in (Gate.CLEAR, Gate.SEEN_CLINICIAN)


def gate(answers: Mapping[str, bool], none_apply: bool, seen_clinician: bool) -> Gate:
    """The gate from the ticked flags and the runner's two confirmations.

    "None apply" only counts when nothing is ticked: the runner has to answer, an untouched
    screen is not a "no". A ticked flag stops the self-check until the runner confirms a
    clinician has seen the problem.
    """
    outcome = evaluate_answers(answers)
    if not outcome.cleared:
        return Gate.SEEN_CLINICIAN if seen_clinician else Gate.STOP
    return Gate.CLEAR if none_apply else Gate.UNANSWERED


def report_sentence(answers: Mapping[str, bool], state: Gate) -> str:
    """What the PDF says about the safety screen, so a physio knows what the runner answered."""
    outcome = evaluate_answers(answers)
    if state is Gate.SEEN_CLINICIAN:
        ticked = "; ".join(flag.question.rstrip(".") for flag in outcome.ticked_flags)
        return ("Safety check: the runner ticked a red flag (" + ticked + ") and confirmed that a doctor or "
                "physiotherapist has seen it before they used this self-check.")
    if state is Gate.STOP:
        return "Safety check: a red flag is ticked and no clinician has been confirmed. See a clinician first."
    if state is Gate.CLEAR:
        return "Safety check: the runner answered that none of the red flags apply."
    return "Safety check: not answered."
