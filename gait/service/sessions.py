"""A small in-memory store that lets a finished analysis survive a page reload.

A reload or a dropped connection starts a new Streamlit session with empty state. The app
keeps a snapshot of a person's results and answers here, under a random key that it puts in
the page's address (``?s=KEY``); a reload of that address finds the snapshot again.

Nothing is written to disk: entries live in this process's memory only, expire
:data:`TTL_S` after their last save, and at most :data:`MAX_ENTRIES` are kept (the least
recently used goes first), so memory stays bounded however many people use the app. The key
is the only way in, so it is long and random (:func:`secrets.token_urlsafe`), never derived
from anything about the person or their clip.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["KEY_BYTES", "MAX_ENTRIES", "TTL_S", "SessionStore", "is_valid_key", "new_key"]

#: How long a snapshot survives after its last save (s). Long enough to reload, come back from
#: another app or a dropped connection during one sitting; short enough to not hold results all day.
TTL_S = 2 * 60 * 60
#: Most snapshots kept at once. An analysis of three clips with its pictures is a few MB.
MAX_ENTRIES = 64
#: Random bytes in a key: 128 bits, so keys cannot be guessed or enumerated.
KEY_BYTES = 16

_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


def new_key() -> str:
    """A fresh unguessable key (URL-safe text, 128 random bits)."""
    return secrets.token_urlsafe(KEY_BYTES)


def is_valid_key(key: object) -> bool:
    """True for text shaped like a key from :func:`new_key` (anything else is never looked up)."""
    return isinstance(key, str) and bool(_KEY_RE.match(key))


def _copy_values(values: Mapping[str, Any]) -> dict[str, Any]:
    # One level deep: the session's dicts (speed -> result) are changed in place by the pages,
    # so the store and a restored session must not share them. Results themselves are frozen.
    return {k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v) for k, v in values.items()}


class SessionStore:
    """Snapshots by key, expiring ``ttl_s`` after their last save, at most ``max_entries`` of them.

    Thread-safe: Streamlit runs each session's script in its own thread.

    Parameters
    ----------
    ttl_s : seconds a snapshot lives after its last :meth:`put`.
    max_entries : most snapshots kept; the least recently used is dropped first.
    clock : seconds, monotonic; injectable for tests.
    """

    def __init__(self, ttl_s: float = TTL_S, max_entries: int = MAX_ENTRIES,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if ttl_s <= 0 or max_entries < 1:
            raise ValueError(f"ttl_s must be > 0 and max_entries >= 1, not {ttl_s!r} and {max_entries!r}")
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()

    def __len__(self) -> int:
        with self._lock:
            self._drop_expired(self._clock())
            return len(self._entries)

    def _drop_expired(self, now: float) -> None:
        for key in [k for k, (saved, _) in self._entries.items() if now - saved >= self.ttl_s]:
            del self._entries[key]

    def put(self, key: str, values: Mapping[str, Any]) -> None:
        """Save (or replace) the snapshot under ``key``; restarts its time to live."""
        if not is_valid_key(key):
            raise ValueError("not a session key made by new_key()")
        now = self._clock()
        with self._lock:
            self._drop_expired(now)
            self._entries.pop(key, None)
            self._entries[key] = (now, _copy_values(values))
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def get(self, key: object) -> dict[str, Any] | None:
        """A copy of the snapshot under ``key``, or None when unknown, expired or not a key."""
        if not is_valid_key(key):
            return None
        now = self._clock()
        with self._lock:
            self._drop_expired(now)
            entry = self._entries.get(key)  # type: ignore[arg-type]
            if entry is None:
                return None
            self._entries.move_to_end(key)  # type: ignore[arg-type]
            return _copy_values(entry[1])

    def drop(self, key: object) -> None:
        """Forget the snapshot under ``key`` (no error when there is none)."""
        with self._lock:
            self._entries.pop(key, None)  # type: ignore[arg-type]
