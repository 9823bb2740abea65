"""The filming guide as data: the steps (title, text, picture), the pre-filming checklist and
the phone how-tos. Pages only render what is here.

The filming set-up serves the analysis: a front view from about knee height shows foot
direction and knee give best, 4-6 m leaves room for about 10 steps while the feet stay big
enough in the frame, and starting already in motion skips the first, atypical steps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from gait.advice import guide_pictures

__all__ = [
    "CHECKLIST",
    "GUIDE_STEPS",
    "PHONE_HOW_TOS",
    "ChecklistItem",
    "GuideStep",
    "PhoneHowTo",
    "UnknownChecklistItemError",
    "checklist_remaining",
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


GUIDE_STEPS: tuple[GuideStep, ...] = (
    GuideStep(
        step_id="barefoot",
        title="Barefoot, knees and ankles showing",
        text="Take off your shoes and socks and wear shorts or leggings, so the camera can see your "
        "knees, ankles and feet.",
        picture=guide_pictures.barefoot_and_shorts,
    ),
    GuideStep(
        step_id="phone_height",
        title="Phone still, at about knee height",
        text="Prop the phone on a shoe, a bag or a step so it stands still at about knee height. "
        "Upright or sideways both work. Don't hold it: a moving phone spoils the measurements.",
        picture=guide_pictures.phone_at_knee_height,
    ),
    GuideStep(
        step_id="distance",
        title="4–6 m away, pointing along your path",
        text="Stand 4–6 metres (about 5–8 big strides) in front of the phone. Point the phone "
        "straight along the line you will walk, so you come straight toward it.",
        picture=guide_pictures.distance_and_aim,
    ),
    GuideStep(
        step_id="light",
        title="Good light on you",
        text="Film in daylight or a bright room, with the light falling on you. Avoid a bright "
        "window behind you: it turns you into a dark shape.",
        picture=guide_pictures.good_light,
    ),
    GuideStep(
        step_id="ten_steps",
        title="Start moving, then 10 steps toward the phone",
        text="Start recording, begin walking a few steps back so you are already moving, then "
        "walk 10 steps straight toward the phone. Look ahead, not at the phone.",
        picture=guide_pictures.ten_steps_toward_phone,
    ),
    GuideStep(
        step_id="three_takes",
        title="Three takes: walk, fast walk, easy run",
        text="Film three separate clips: your normal walk, a fast walk, and an easy, "
        "comfortable run. Stop if running hurts more than a little (above 3 out of 10).",
        picture=guide_pictures.three_takes,
    ),
    GuideStep(
        step_id="upload",
        title="Upload from your gallery",
        text="On the Upload page, tap the upload box for each speed and pick the clip from your "
        "phone's photos or files.",
        picture=guide_pictures.upload_from_gallery,
    ),
)

CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem("barefoot", "I am barefoot"),
    ChecklistItem("knees_ankles_visible", "My knees and ankles are visible (shorts or leggings)"),
    ChecklistItem("phone_still_knee_height", "The phone is propped still at about knee height"),
    ChecklistItem("distance", "I start 4–6 m away from the phone"),
    ChecklistItem("straight_path", "The phone points straight along my path"),
    ChecklistItem("good_light", "The light is good, with no bright window behind me"),
    ChecklistItem("moving_before_first_step", "I start moving before the first step"),
    ChecklistItem("ten_steps", "I walk 10 steps straight toward the phone"),
    ChecklistItem("three_takes", "I film three takes: walk, fast walk, easy run"),
)

_CHECKLIST_IDS = frozenset(item.item_id for item in CHECKLIST)

# Menus differ between phone makers and OS versions, so the steps stay general where they vary.
PHONE_HOW_TOS: tuple[PhoneHowTo, ...] = (
    PhoneHowTo(
        platform="iPhone",
        film_steps=(
            "Open the **Camera** app and swipe to **Video**.",
            "1080p at 30 or 60 fps is plenty (**Settings → Camera → Record Video**). "
            "Slow motion also works.",
            "Tap the red button to start, walk your 10 steps, then tap it again to stop.",
        ),
        upload_steps=(
            "On the Upload page, tap the upload box.",
            "Choose **Photo Library** and pick the clip.",
            "If the upload is slow, set **Settings → Camera → Formats → Most Compatible** for the "
            "next clips, or trim the clip (open it in Photos → **Edit**) to just the 10 steps.",
        ),
        note="4K clips work but are large and slow to upload.",
    ),
    PhoneHowTo(
        platform="Android",
        film_steps=(
            "Open the **Camera** app and switch to **Video**.",
            "Choose 1080p (Full HD) in the camera settings if you can; the name and place of the "
            "setting differ between phones.",
            "Tap record, walk your 10 steps, then tap stop.",
        ),
        upload_steps=(
            "On the Upload page, tap the upload box.",
            "Choose **Files**, **Gallery** or **Photos** (the options differ between phones) and "
            "pick the clip.",
            "If the upload is slow, trim the clip in your gallery app to just the 10 steps.",
        ),
        note="Any normal video from the camera app works; you don't need a special mode.",
    ),
)


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
