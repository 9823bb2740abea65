"""The exercise library as data, read from ``gait/advice/data/exercises.toml`` and ``findings.toml``.

The texts live in those files (data, not code); this module reads them once, at import,
checks every field's type (a broken field names the file and the field) and exposes
them as plain Python values. :mod:`gait.advice.exercises` then builds the typed records
and checks how they fit together. Adding an exercise is one record in ``exercises.toml``,
its place in the rankings in ``findings.toml`` and one picture in
:mod:`gait.advice.exercise_pictures`. Which findings an exercise serves is taken from
the ranking only, so the ranking and the records cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gait.advice.datafiles import DATA_DIR, Fields, data_file_label, read_data_file

__all__ = [
    "AFTER_RUN_NOTE",
    "EXERCISES",
    "EXERCISES_FILE",
    "FINDINGS_FILE",
    "FINDING_EXERCISES",
    "FINDING_LABELS",
    "GROUP_TEXT",
    "HIP_KNEE_CORE",
    "LIBRARY_INTRO",
    "SOURCE_LABEL",
    "ExerciseData",
    "load_exercise_data",
]

EXERCISES_FILE: Path = DATA_DIR / "exercises.toml"
FINDINGS_FILE: Path = DATA_DIR / "findings.toml"

_RECORD_FIELDS = (
    "id", "name", "group", "trains", "why", "steps", "dose", "progress", "avoid", "evidence", "source",
    "after_run_only", "prerequisite", "warning",
)


@dataclass(frozen=True)
class ExerciseData:
    """Everything the two exercise data files hold, as plain values."""

    library_intro: str
    after_run_note: str
    #: Group id -> (label, description), in the order the page shows them.
    group_text: dict[str, tuple[str, str]]
    #: One plain mapping per exercise, evidence and source written out in full.
    exercises: tuple[dict[str, Any], ...]
    finding_labels: dict[str, str]
    #: Finding code -> exercise ids, best first.
    finding_exercises: dict[str, tuple[str, ...]]
    hip_knee_core: tuple[str, ...]


def _record(
    row: Fields, groups: dict[str, Fields], evidence: dict[str, str], sources: dict[str, str]
) -> dict[str, Any]:
    row.only(*_RECORD_FIELDS)
    record: dict[str, Any] = {
        "id": row.text("id"),
        "name": row.text("name"),
        "group": row.choice("group", groups),
        "trains": row.text("trains"),
        "why": row.text("why"),
        "steps": row.texts("steps"),
        "dose": row.text("dose"),
        "progress": row.text("progress"),
        "avoid": row.text("avoid"),
    }
    record["evidence"] = evidence[row.choice("evidence", evidence)]
    record["source"] = sources[row.choice("source", sources)]
    if row.flag("after_run_only"):
        record["after_run_only"] = True
    # A group's prerequisite and warning (spring work) apply to each of its exercises.
    group = groups[record["group"]]
    for key in ("prerequisite", "warning"):
        value = row.optional_text(key, group.optional_text(key))
        if value:
            record[key] = value
    return record


def load_exercise_data(exercises_file: Path = EXERCISES_FILE, findings_file: Path = FINDINGS_FILE) -> ExerciseData:
    """Read and type-check the two exercise data files.

    Raises
    ------
    gait.advice.datafiles.DataFileError
        If a file is missing, not TOML, or has a missing, empty, unknown or wrongly typed
        field, or a duplicate exercise id; the message names the file and the field.
    """
    top = read_data_file(exercises_file)
    top.only("intro", "after_run_note", "evidence", "sources", "group", "exercise")
    evidence = top.text_table("evidence")
    sources = top.text_table("sources")
    groups: dict[str, Fields] = {}
    for row in top.tables("group", "id"):
        row.only("id", "label", "description", "prerequisite", "warning")
        group_id = row.text("id")
        if group_id in groups:
            raise row.error("id", f"repeats the group id {group_id!r}")
        groups[group_id] = row
    exercises: list[dict[str, Any]] = []
    for row in top.tables("exercise", "id"):
        record = _record(row, groups, evidence, sources)
        if any(ex["id"] == record["id"] for ex in exercises):
            raise row.error("id", f"repeats the exercise id {record['id']!r}")
        exercises.append(record)

    findings = read_data_file(findings_file)
    findings.only("hip_knee_core", "labels", "exercises")
    return ExerciseData(
        library_intro=top.text("intro"),
        after_run_note=top.text("after_run_note"),
        group_text={gid: (row.text("label"), row.text("description")) for gid, row in groups.items()},
        exercises=tuple(exercises),
        finding_labels=findings.text_table("labels"),
        finding_exercises=findings.texts_table("exercises"),
        hip_knee_core=findings.texts("hip_knee_core"),
    )


_DATA = load_exercise_data()

#: Where the library comes from, for messages about how its parts fit together.
SOURCE_LABEL = f"{data_file_label(EXERCISES_FILE)} and {data_file_label(FINDINGS_FILE)}"
#: Honest opening text for the exercises page.
LIBRARY_INTRO: str = _DATA.library_intro
#: Note shown on quad-heavy exercises.
AFTER_RUN_NOTE: str = _DATA.after_run_note
#: Group id -> (label, description), in the order the page shows them.
GROUP_TEXT: dict[str, tuple[str, str]] = _DATA.group_text
#: Finding code -> plain title.
FINDING_LABELS: dict[str, str] = _DATA.finding_labels
#: Finding code -> exercise ids, ranked best first. The engine's finding codes are the keys.
FINDING_EXERCISES: dict[str, tuple[str, ...]] = _DATA.finding_exercises
#: Everyone gets these, findings or not (Crossley 2016; Willy 2019; Lack 2015).
HIP_KNEE_CORE: tuple[str, ...] = _DATA.hip_knee_core
#: Every exercise record, in the order the library shows them within a group.
EXERCISES: tuple[dict[str, Any], ...] = _DATA.exercises
