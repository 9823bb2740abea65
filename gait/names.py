"""Names used across the flow: sides, speeds, landmark sets. Sign conventions live here.

Sign conventions (stated once):
- foot angle: positive = toe pointing out (away from the body's midline), 0 = straight ahead.
- knee flexion: 0 deg = straight knee, positive = bent.
- image coordinates: x to the right, y down, in pixels of the upright analysis frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from gait.analysis.pose import LM


class Side(str, Enum):
    """The person's own left or right foot."""

    L = "L"
    R = "R"

    @property
    def other(self) -> Side:
        return Side.R if self is Side.L else Side.L

    @property
    def label(self) -> str:
        return "left" if self is Side.L else "right"


class Speed(str, Enum):
    """The three takes the guide asks for."""

    WALK = "walk"
    FAST_WALK = "fast_walk"
    RUN = "run"

    @property
    def label(self) -> str:
        return {"walk": "Walk", "fast_walk": "Fast walk", "run": "Easy run"}[self.value]

    @property
    def is_running(self) -> bool:
        return self is Speed.RUN


@dataclass(frozen=True)
class LegLandmarks:
    hip: int
    knee: int
    ankle: int
    heel: int
    toe: int


LEG = {
    Side.L: LegLandmarks(LM.L_HIP, LM.L_KNEE, LM.L_ANKLE, LM.L_HEEL, LM.L_TOE),
    Side.R: LegLandmarks(LM.R_HIP, LM.R_KNEE, LM.R_ANKLE, LM.R_HEEL, LM.R_TOE),
}
