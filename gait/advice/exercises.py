"""The exercise library: typed records, finding -> exercise ranking and queries.

The content lives in ``gait/advice/data/exercises.toml`` and ``findings.toml`` (data,
not branches), read by :mod:`gait.advice.exercise_data`, and the pictures in
:mod:`gait.advice.exercise_pictures`. This module turns the data into
frozen :class:`Exercise` records once, at import, and checks it, so a broken
record fails loudly in tests rather than on a runner's phone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from enum import Enum
from typing import Any

from gait.advice import exercise_data as data
from gait.advice import exercise_pictures as pictures
from gait.errors import GaitError

logger = logging.getLogger(__name__)

#: URL path of the exercises page (``st.Page(..., url_path=EXERCISES_URL_PATH)``).
EXERCISES_URL_PATH = "exercises"
#: Query parameter naming one exercise; query parameters survive navigation, anchors do not.
EXERCISE_QUERY_PARAM = "ex"

_STEPS_MIN, _STEPS_MAX = 3, 6


class ExerciseError(GaitError):
    """An unknown exercise id, or a broken record in the exercise data."""


class Group(str, Enum):
    """The four families of exercises, in the order the page shows them."""

    HIP_KNEE = "hip_knee"
    FOOT_ANKLE = "foot_ankle"
    RELEASE = "release"
    SPRING = "spring"

    @property
    def label(self) -> str:
        return data.GROUP_TEXT[self.value][0]

    @property
    def description(self) -> str:
        return data.GROUP_TEXT[self.value][1]


class Finding(str, Enum):
    """Finding codes emitted by the analysis engine (exact strings)."""

    TOE_OUT = "toe_out"
    TOE_IN = "toe_in"
    BANG = "bang"
    TWIST_AT_LIFT_OFF = "twist_at_lift_off"
    LOW_CADENCE = "low_cadence"
    LEFT_RIGHT_DIFFERENCE = "left_right_difference"
    # issue 11: from the front and from behind
    KNEE_IN = "knee_in"
    HIP_DROP = "hip_drop"
    FEET_CROSS = "feet_cross"
    HEEL_ROLLS_IN = "heel_rolls_in"
    LOUD_LANDING = "loud_landing"


@dataclass(frozen=True)
class Exercise:
    """One exercise, everything the page needs to show it.

    ``findings`` is derived from the ranked table ``FINDING_EXERCISES`` so the
    two can never disagree.
    """

    id: str
    name: str
    group: Group
    trains: str
    why: str
    findings: tuple[str, ...]
    steps: tuple[str, ...]
    dose: str
    progress: str
    avoid: str
    evidence: str
    source: str
    after_run_only: bool = False
    prerequisite: str = ""
    warning: str = ""

    @property
    def link(self) -> str:
        return exercise_link(self.id)


def _invalid(detail: str, source: str = "") -> ExerciseError:
    where = f" ({source})" if source else ""
    return ExerciseError(
        "exercise_data_invalid",
        f"The exercise library{where} is broken: {detail}",
        "This is a bug in SpringCheck; please report it.",
    )


def load_library(
    records: Iterable[Mapping[str, Any]],
    finding_table: Mapping[str, tuple[str, ...]],
    *,
    source: str = "",
) -> tuple[Exercise, ...]:
    """Build and check :class:`Exercise` records from plain data.

    Parameters
    ----------
    records : iterable of mapping
        One mapping per exercise (see :mod:`gait.advice.exercise_data`).
    finding_table : mapping of str to tuple of str
        Finding code -> exercise ids, best first.
    source : str, optional
        Where the data came from (the data files), named in error messages.

    Returns
    -------
    tuple of Exercise
        In the order given.

    Raises
    ------
    ExerciseError
        On a duplicate id, an empty field, an unknown group, finding or id,
        a wrong number of steps, or spring work without its safety text.
    """
    records = list(records)
    ids = [str(r.get("id", "")) for r in records]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise _invalid(f"duplicate ids {duplicates}", source)
    served: dict[str, list[str]] = {i: [] for i in ids}
    for code, ranked in finding_table.items():
        if code not in {f.value for f in Finding}:
            raise _invalid(f"unknown finding code {code!r}", source)
        for ex_id in ranked:
            if ex_id not in served:
                raise _invalid(f"finding {code!r} names unknown exercise {ex_id!r}", source)
            served[ex_id].append(code)
    library = []
    for record in records:
        fields = dict(record)
        try:
            group = Group(fields.pop("group"))
            exercise = Exercise(
                group=group,
                findings=tuple(served[fields["id"]]),
                steps=tuple(fields.pop("steps")),
                **fields,
            )
        except (KeyError, TypeError, ValueError) as err:
            raise _invalid(f"record {fields.get('id')!r}: {err}", source) from err
        _check(exercise, source)
        library.append(exercise)
    return tuple(library)


def _check(ex: Exercise, source: str = "") -> None:
    for name in ("id", "name", "trains", "why", "dose", "progress", "avoid", "evidence", "source"):
        if not str(getattr(ex, name)).strip():
            raise _invalid(f"{ex.id!r} has an empty {name!r}", source)
    if not ex.findings:
        raise _invalid(f"{ex.id!r} serves no finding", source)
    if not _STEPS_MIN <= len(ex.steps) <= _STEPS_MAX or not all(s.strip() for s in ex.steps):
        raise _invalid(f"{ex.id!r} needs {_STEPS_MIN}-{_STEPS_MAX} non-empty steps", source)
    if ex.group is Group.SPRING and not (ex.prerequisite and ex.warning):
        raise _invalid(f"spring exercise {ex.id!r} needs a prerequisite and a warning", source)


_LIBRARY: tuple[Exercise, ...] = load_library(data.EXERCISES, data.FINDING_EXERCISES, source=data.SOURCE_LABEL)
_BY_ID: dict[str, Exercise] = {ex.id: ex for ex in _LIBRARY}

#: Finding code -> exercise ids, best first (checked at import).
FINDING_EXERCISES: Mapping[str, tuple[str, ...]] = data.FINDING_EXERCISES
#: Hip-and-knee exercises every programme includes: the evidence-based core for runner's knee.
HIP_KNEE_CORE: tuple[str, ...] = data.HIP_KNEE_CORE
#: Honest opening text for the exercises page.
LIBRARY_INTRO: str = data.LIBRARY_INTRO
#: Note shown on quad-heavy exercises.
AFTER_RUN_NOTE: str = data.AFTER_RUN_NOTE

for _core_id in HIP_KNEE_CORE:
    if _core_id not in _BY_ID or _BY_ID[_core_id].group is not Group.HIP_KNEE:
        raise _invalid(f"core exercise {_core_id!r} missing or not in the hip_knee group", data.SOURCE_LABEL)
# The groups and finding codes are code (enums); the data must name exactly those.
if list(data.GROUP_TEXT) != [g.value for g in Group]:
    raise _invalid(f"the groups should be {[g.value for g in Group]}, in that order", data.SOURCE_LABEL)
_label_missing = sorted({f.value for f in Finding} - set(data.FINDING_LABELS))
_label_unknown = sorted(set(data.FINDING_LABELS) - {f.value for f in Finding})
if _label_missing or _label_unknown:
    raise _invalid(f"[labels] lacks {_label_missing} and has unknown findings {_label_unknown}", data.SOURCE_LABEL)
_missing_pictures = set(_BY_ID) - set(pictures.picture_ids())
if _missing_pictures:
    raise _invalid(f"no picture for {sorted(_missing_pictures)}")


def all_exercises() -> tuple[Exercise, ...]:
    """Every exercise, in library order."""
    return _LIBRARY


def groups() -> tuple[Group, ...]:
    """The groups, in the order the page shows them."""
    return tuple(Group)


def exercises_in_group(group: Group | str) -> tuple[Exercise, ...]:
    """Exercises of one group, in library order."""
    wanted = Group(group)
    return tuple(ex for ex in _LIBRARY if ex.group is wanted)


def get_exercise(exercise_id: str) -> Exercise:
    """Look one exercise up by id.

    Raises
    ------
    ExerciseError
        If no exercise has this id.
    """
    try:
        return _BY_ID[exercise_id]
    except KeyError:
        raise ExerciseError(
            "unknown_exercise",
            f"We don't have an exercise called {exercise_id!r}.",
            "Pick one from the list of all exercises.",
        ) from None


def finding_label(code: str) -> str:
    """Plain title of a finding code, e.g. ``"toe_out"`` -> ``"Foot lands pointing out"``.

    Raises
    ------
    ExerciseError
        If the code is not a known finding.
    """
    try:
        return data.FINDING_LABELS[Finding(code).value]
    except ValueError:
        raise ExerciseError(
            "unknown_finding",
            f"{code!r} is not a finding SpringCheck knows.",
            "This is a bug in SpringCheck; please report it.",
        ) from None


def known_findings(findings: Iterable[str]) -> list[str]:
    """Known finding codes in the order given, de-duplicated; unknown ones are logged and skipped."""
    known: list[str] = []
    valid = {f.value for f in Finding}
    for code in findings:
        if code not in valid:
            # A newer engine may emit codes this library has no exercises for yet.
            logger.warning("no exercises for unknown finding code %r", code)
        elif code not in known:
            known.append(code)
    return known


#: Exercises per finding in a person's programme ("For you", the results' links, the PDF): short on a phone.
FOR_YOU_PER_FINDING = 3


def exercises_for(findings: Iterable[str], per_finding: int | None = None) -> list[Exercise]:
    """A ranked, de-duplicated programme for a set of findings.

    The hip-and-knee core comes first (it is the treatment with the strongest
    evidence for runner's knee), then each finding's exercises, taking the best
    one for every finding before the second-best of any. Unknown codes are
    skipped with a logged warning.

    Parameters
    ----------
    findings : iterable of str
        Finding codes, e.g. ``["toe_out", "bang"]``; may be empty.
    per_finding : int, optional
        Take at most this many exercises from each finding's ranking (to keep
        a programme short); all of them when None.
    """
    if per_finding is not None and per_finding < 0:
        raise ValueError(f"per_finding must be >= 0, got {per_finding}")
    codes = known_findings(findings)
    ordered: list[str] = list(HIP_KNEE_CORE)
    longest = max((len(FINDING_EXERCISES[c]) for c in codes), default=0)
    if per_finding is not None:
        longest = min(longest, per_finding)
    for rank in range(longest):
        for code in codes:
            ranked = FINDING_EXERCISES[code]
            if rank < len(ranked) and ranked[rank] not in ordered:
                ordered.append(ranked[rank])
    return [_BY_ID[i] for i in ordered]


def matched_findings(exercise: Exercise, findings: Iterable[str]) -> tuple[str, ...]:
    """The user's finding codes (in their order) that this exercise serves."""
    return tuple(dict.fromkeys(c for c in findings if c in exercise.findings))


def exercise_picture(exercise_id: str) -> str:
    """SVG line drawing of one exercise (with a ``<title>`` for screen readers)."""
    return pictures.exercise_svg(get_exercise(exercise_id).id)


def exercise_picture_caption(exercise_id: str) -> str:
    """One-line description of the picture, for a caption."""
    return pictures.picture_title(get_exercise(exercise_id).id)


def exercise_anchor(exercise_id: str) -> str:
    """Anchor of one exercise on the exercises page: the value of the ``ex`` query parameter."""
    return get_exercise(exercise_id).id


def exercise_link(exercise_id: str) -> str:
    """Relative URL that opens the exercises page on one exercise: ``exercises?ex=<id>``."""
    return f"{EXERCISES_URL_PATH}?{EXERCISE_QUERY_PARAM}={exercise_anchor(exercise_id)}"


def library_as_dicts() -> list[dict[str, Any]]:
    """The library as plain JSON-ready dicts (for ``python -m gait exercises --json``)."""
    rows = []
    for ex in _LIBRARY:
        row = asdict(ex)
        row["group"] = ex.group.value
        row["findings"] = list(ex.findings)
        row["steps"] = list(ex.steps)
        row["link"] = exercise_link(ex.id)
        rows.append(row)
    return rows
