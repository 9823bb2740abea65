"""What was filmed against what the guide asked: fewer steps, shoes on, a walking aid.

Only what the clip honestly shows is detected here: the number of steady steps. Shoes and
a walking aid cannot be told apart reliably from a front view at knee height, so they are not
guessed: the runner answers two quick questions on upload (``FilmingAnswers``) and the
answers become notes on each clip, carried into the results page, the data file and the PDF.
Every difference is a non-blocking ``Problem``: the clip is still used, and the message says
what the difference means for the result.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from gait.analysis.quality import Problem, Quality
from gait.thresholds import value

if TYPE_CHECKING:
    from gait.pipeline import Analysis

FEWER_STEPS = "fewer_steps_than_asked"
THERE_AND_BACK = "walked_there_and_back"
SHOES_ON = "shoes_on"
WALKING_AID = "walking_aid"
#: Codes that come from the runner's answers (replaced when the answers change).
ANSWER_CODES = (SHOES_ON, WALKING_AID)


@dataclass(frozen=True)
class FilmingAnswers:
    """The runner's own account of the clips; None = not answered (then nothing is said)."""

    barefoot: bool | None = None
    walking_aid: bool | None = None


def fewer_steps_problem(steady_steps: int) -> Problem | None:
    """A note when the steady walk holds fewer steps than the guide asks for (None when enough)."""
    asked = int(value("asked_steps"))
    if steady_steps >= value("min_steady_steps_as_asked") or steady_steps <= 0:
        return None
    per_foot = steady_steps // 2
    return Problem(FEWER_STEPS,
                   f"We found {steady_steps} steady steps; the guide asks for {asked}. Each foot's result rests on "
                   f"only about {per_foot} steps, so it is less sure: the confidence shown counts this, and a "
                   "result below the floor reads \"unclear\".",
                   f"Walk {asked} steps next time: start 10-12 steps away, already walking, and keep going until "
                   "you reach the phone.", blocking=False)


def answer_problems(answers: FilmingAnswers) -> tuple[Problem, ...]:
    """Notes from the runner's answers: what shoes or a walking aid mean for the result."""
    out = []
    if answers.barefoot is False:
        out.append(Problem(SHOES_ON, "You filmed in shoes or socks; the guide asks for bare feet. Shoes change how "
                           "the foot lands (often more heel-first and stiffer) and hide its shape, so the landing "
                           "direction is the shoe's and spring-or-bang may differ from barefoot.",
                           "For a picture of your own feet, film barefoot next time.", blocking=False))
    if answers.walking_aid is True:
        out.append(Problem(WALKING_AID, "You used a walking aid (a stick or crutch). It takes load off one leg, so "
                           "these results describe walking with it, and a left-right difference may come from the "
                           "aid.", "Keep using it if you need it; do not drop it for the video. Show this report to "
                           "your physiotherapist.", blocking=False))
    return tuple(out)


def quality_with_answers(quality: Quality, answers: FilmingAnswers) -> Quality:
    """The quality report with the answers' notes in place of any earlier ones (safe to call again)."""
    kept = tuple(p for p in quality.problems if p.code not in ANSWER_CODES)
    return replace(quality, problems=kept + answer_problems(answers))


def with_answers(analysis: Analysis, answers: FilmingAnswers) -> Analysis:
    """The analysis with the runner's answers as notes on its clip (safe to call again with new answers)."""
    return replace(analysis, quality=quality_with_answers(analysis.quality, answers))


def there_and_back_problem(turn_s: float | None, away_first: bool = False) -> Problem | None:
    """A note when the person walked toward the phone and back, or away and back (``Quality.turn_s``;
    None otherwise)."""
    if turn_s is None:
        return None
    if away_first:
        what = (f"You walked away from the phone, then back toward it. Your results come from the walk toward it "
                f"(from {turn_s:.1f} s); on the walk away we only look at your heels from behind.")
    else:
        what = (f"You walked toward the phone and back. Your results come from the walk toward it (up to "
                f"{turn_s:.1f} s); on the walk back we only look at your heels from behind.")
    return Problem(THERE_AND_BACK, what,
                   "That is fine. The walk toward the phone is what counts: 10 steps, ending near the phone.",
                   blocking=False)


def differences(quality: Quality) -> tuple[Problem, ...]:
    """The differences from the guide in a quality report (for a "usable, but..." summary)."""
    return tuple(p for p in quality.problems if p.code in (FEWER_STEPS, THERE_AND_BACK, *ANSWER_CODES))
