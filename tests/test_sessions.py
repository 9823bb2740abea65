"""The in-memory snapshot store behind "a reload keeps your results": expiry, bound, keys."""

from __future__ import annotations

import pytest

from gait.service.sessions import KEY_BYTES, SessionStore, is_valid_key, new_key


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_put_then_get_returns_the_values():
    store = SessionStore(clock=Clock())
    key = new_key()
    store.put(key, {"analysis.results": {"walk": "A"}, "saved.plan.goal": "5k"})
    assert store.get(key) == {"analysis.results": {"walk": "A"}, "saved.plan.goal": "5k"}


def test_snapshot_expires_after_its_time_to_live_and_a_save_restarts_it():
    clock = Clock()
    store = SessionStore(ttl_s=100, clock=clock)
    key = new_key()
    store.put(key, {"x": 1})
    clock.now += 99
    assert store.get(key) == {"x": 1}
    store.put(key, {"x": 2})  # saving again restarts the clock
    clock.now += 99
    assert store.get(key) == {"x": 2}
    clock.now += 1
    assert store.get(key) is None
    assert len(store) == 0


def test_at_most_max_entries_and_the_least_recently_used_goes_first():
    store = SessionStore(max_entries=3, clock=Clock())
    keys = [new_key() for _ in range(4)]
    for k in keys[:3]:
        store.put(k, {"k": k})
    assert store.get(keys[0]) is not None  # used: now the most recent
    store.put(keys[3], {"k": keys[3]})
    assert len(store) == 3
    assert store.get(keys[1]) is None  # the least recently used was dropped
    assert all(store.get(k) is not None for k in (keys[0], keys[2], keys[3]))


def test_keys_are_long_random_and_distinct():
    keys = {new_key() for _ in range(500)}
    assert len(keys) == 500
    for k in keys:
        assert is_valid_key(k)
        assert len(k) >= (KEY_BYTES * 8) // 6  # 128 bits in URL-safe base64
    assert KEY_BYTES >= 16


@pytest.mark.parametrize("bad", ["", "abc", None, 12, "../../etc/passwd", "a" * 200, "x y" * 10])
def test_anything_not_shaped_like_a_key_is_never_found_and_cannot_be_stored(bad):
    store = SessionStore(clock=Clock())
    assert store.get(bad) is None
    with pytest.raises(ValueError, match="session key"):
        store.put(bad, {"x": 1})


def test_unknown_key_gives_nothing():
    store = SessionStore(clock=Clock())
    store.put(new_key(), {"x": 1})
    assert store.get(new_key()) is None


def test_restored_dicts_are_copies_not_shared_with_the_store():
    store = SessionStore(clock=Clock())
    key = new_key()
    results = {"walk": "A"}
    store.put(key, {"analysis.results": results})
    results["run"] = "B"  # the session changes its dict after saving
    got = store.get(key)
    assert got == {"analysis.results": {"walk": "A"}}
    got["analysis.results"]["fast_walk"] = "C"  # and a restored session changes its copy
    assert store.get(key) == {"analysis.results": {"walk": "A"}}


def test_drop_forgets_and_bad_settings_are_refused():
    store = SessionStore(clock=Clock())
    key = new_key()
    store.put(key, {"x": 1})
    store.drop(key)
    store.drop(key)
    assert store.get(key) is None
    with pytest.raises(ValueError):
        SessionStore(ttl_s=0)
    with pytest.raises(ValueError):
        SessionStore(max_entries=0)
