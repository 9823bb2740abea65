"""The filming guide: the steps (title, text, picture), the pre-filming checklist and the
phone how-tos, read from ``gait/advice/data/guide.toml`` at import (the texts are data; the
pictures stay drawing code in :mod:`gait.advice.guide_pictures`). Pages only render what is here.

The filming set-up serves the analysis: a front view from about knee height shows foot
direction and knee give best, 4-6 m leaves room for about 10 steps while the feet stay big
enough in the frame, and starting already in motion skips the first, atypical steps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from gait.advice import guide_pictures
from gait.advice.datafiles import DATA_DIR, Fields, read_data_file

__all__ = [
    "CHECKLIST",
    "GUIDE_FILE",
    "GUIDE_STEPS",
    "PHONE_HOW_TOS",
    "ChecklistItem",
    "GuideData",
    "GuideStep",
    "PhoneHowTo",
    "UnknownChecklistItemError",
    "checklist_remaining",
    "load_guide",
]


@dataclass(frozen=True)
class GuideStep:
    """One step of the filming guide.

    Attributes
    ----------
    step_id : str
        Stable identifier.
    title : str
        Short heading.
    text : str
        One or two plain sentences (Markdown allowed).
    picture : Callable[[], str]
        Returns the step's SVG markup.
    """

    step_id: str
    title: str
    text: str
    picture: Callable[[], str]


@dataclass(frozen=True)
class ChecklistItem:
    """One tick-box the user ticks before filming."""

    item_id: str
    label: str


@dataclass(frozen=True)
class PhoneHowTo:
    """How to film and upload on one kind of phone."""

    platform: str
    film_steps: tuple[str, ...]
    upload_steps: tuple[str, ...]
    note: str


class UnknownChecklistItemError(ValueError):
    """A checklist answer names an item that is not in :data:`CHECKLIST` (a programming error)."""

    def __init__(self, item_id: str) -> None:
        self.item_id = item_id
        super().__init__(f"Unknown checklist item id {item_id!r}")


GUIDE_FILE: Path = DATA_DIR / "guide.toml"


@dataclass(frozen=True)
class GuideData:
    """Everything the guide data file holds, typed."""

    steps: tuple[GuideStep, ...]
    checklist: tuple[ChecklistItem, ...]
    phone_how_tos: tuple[PhoneHowTo, ...]


def _unique(row: Fields, key: str, value: str, seen: set[str]) -> str:
    if value in seen:
        raise row.error(key, f"repeats {value!r}")
    seen.add(value)
    return value


def load_guide(path: Path = GUIDE_FILE) -> GuideData:
    """Read and check the guide data file.

    Raises
    ------
    gait.advice.datafiles.DataFileError
        If the file is missing, not TOML, or has a missing, empty, unknown, repeated or wrongly
        typed field, or names a picture :mod:`gait.advice.guide_pictures` does not draw; the
        message names the file and the field.
    """
    top = read_data_file(path)
    top.only("step", "checklist", "phone")
    pictures = set(guide_pictures.__all__)
    steps, step_ids, checklist, item_ids = [], set[str](), [], set[str]()
    for row in top.tables("step", "id"):
        row.only("id", "title", "text", "picture")
        steps.append(GuideStep(
            step_id=_unique(row, "id", row.text("id"), step_ids),
            title=row.text("title"),
            text=row.text("text"),
            picture=getattr(guide_pictures, row.choice("picture", pictures)),
        ))
    for row in top.tables("checklist", "id"):
        row.only("id", "label")
        checklist.append(ChecklistItem(_unique(row, "id", row.text("id"), item_ids), row.text("label")))
    how_tos = []
    for row in top.tables("phone", "platform"):
        row.only("platform", "film_steps", "upload_steps", "note")
        how_tos.append(PhoneHowTo(
            platform=row.text("platform"),
            film_steps=row.texts("film_steps"),
            upload_steps=row.texts("upload_steps"),
            note=row.text("note"),
        ))
    return GuideData(tuple(steps), tuple(checklist), tuple(how_tos))


_GUIDE = load_guide()
GUIDE_STEPS: tuple[GuideStep, ...] = _GUIDE.steps
CHECKLIST: tuple[ChecklistItem, ...] = _GUIDE.checklist
PHONE_HOW_TOS: tuple[PhoneHowTo, ...] = _GUIDE.phone_how_tos
_CHECKLIST_IDS = frozenset(item.item_id for item in CHECKLIST)


def checklist_remaining(ticked: Mapping[str, bool]) -> int:
    """Count the checklist items not yet ticked.

    Parameters
    ----------
    ticked : Mapping[str, bool]
        Tick state per checklist item id; missing items count as unticked.

    Raises
    ------
    UnknownChecklistItemError
        If an id is not a checklist item (a typo would otherwise never let the user through).
    """
    for item_id in ticked:
        if item_id not in _CHECKLIST_IDS:
            raise UnknownChecklistItemError(item_id)
    return sum(1 for item in CHECKLIST if not ticked.get(item.item_id, False))
