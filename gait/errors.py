"""Typed errors: each carries a message a runner understands and a concrete fix."""

from __future__ import annotations


class GaitError(Exception):
    """A problem with the user's input that the user can fix.

    Parameters
    ----------
    code : str
        Stable machine-readable code, e.g. ``"not_a_video"``.
    user_message : str
        What went wrong, in plain words.
    fix : str
        What to do about it.
    """

    def __init__(self, code: str, user_message: str, fix: str) -> None:
        super().__init__(f"{code}: {user_message}")
        self.code = code
        self.user_message = user_message
        self.fix = fix

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.user_message, "fix": self.fix}


class VideoError(GaitError):
    """The file cannot be decoded as a usable video."""


class AnalysisError(GaitError):
    """The video decodes, but the analysis cannot run on it."""
