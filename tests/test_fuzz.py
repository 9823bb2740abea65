"""Fuzzing: mutated real clips through ``analyze`` end in a result or a friendly GaitError, never anything else.

Mutations are seeded (the same cases every run): flipped bytes anywhere or in the
container's index, deleted, duplicated or zeroed chunks, and truncations, applied
to real phone clips with the index at the end (HEVC .mov, H.264 .mp4) and at the
front (where a cut file still opens). Cases run in a fixed order until the time
budget is spent, so the test stays bounded on a slow machine.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from gait.errors import GaitError
from gait.pipeline import analyze
from gait.output.results import analysis_to_dict
from tests.clips import AWAY_REAR, PORTRAIT_HEVC, SOCKS, real_clip
from tests.test_bad_inputs import assert_friendly

pytestmark = pytest.mark.slow

BUDGET_S = 60.0  # stop starting new cases after this long
MIN_CASES = 10  # fewer than this within the budget means the machine (or the engine) is far too slow
N_CASES = 40

Mutation = Callable[[bytes, np.random.Generator], bytes]


def flip_bytes(data: bytes, rng: np.random.Generator) -> bytes:
    out = bytearray(data)
    for pos in rng.integers(0, len(out), int(rng.integers(1, 64))):
        out[pos] ^= int(rng.integers(1, 256))
    return bytes(out)


def flip_index(data: bytes, rng: np.random.Generator) -> bytes:
    """Flips in the first and last 8 % of the file: where the header and (usually) the index are."""
    out = bytearray(data)
    edge = max(64, len(out) // 12)
    for _ in range(int(rng.integers(1, 12))):
        pos = int(rng.integers(0, edge)) if rng.random() < 0.5 else len(out) - 1 - int(rng.integers(0, edge))
        out[pos] ^= int(rng.integers(1, 256))
    return bytes(out)


def _span(data: bytes, rng: np.random.Generator, max_fraction: float) -> tuple[int, int]:
    length = int(rng.integers(1, max(2, int(len(data) * max_fraction))))
    start = int(rng.integers(0, len(data) - length))
    return start, start + length


def delete_chunk(data: bytes, rng: np.random.Generator) -> bytes:
    a, b = _span(data, rng, 0.05)
    return data[:a] + data[b:]


def duplicate_chunk(data: bytes, rng: np.random.Generator) -> bytes:
    a, b = _span(data, rng, 0.05)
    return data[:b] + data[a:b] + data[b:]


def zero_chunk(data: bytes, rng: np.random.Generator) -> bytes:
    a, b = _span(data, rng, 0.10)
    return data[:a] + bytes(b - a) + data[b:]


def truncate(data: bytes, rng: np.random.Generator) -> bytes:
    return data[: int(len(data) * rng.uniform(0.02, 0.98))]


MUTATIONS: tuple[Mutation, ...] = (flip_bytes, flip_index, delete_chunk, duplicate_chunk, zero_chunk, truncate)
SOURCES = (PORTRAIT_HEVC, SOCKS, AWAY_REAR)  # index at the end (HEVC, H.264), index at the front


def cases() -> list[tuple[str, Mutation, int]]:
    """(source clip, mutation, seed), interleaved so a short budget still covers every kind."""
    return [(SOURCES[i % len(SOURCES)], MUTATIONS[(i // len(SOURCES)) % len(MUTATIONS)], 1000 + i)
            for i in range(N_CASES)]


def _check_result(result) -> None:  # noqa: ANN001 - gait.pipeline.Analysis
    data = analysis_to_dict(result)
    assert data["video"]["duration_s"] > 0
    contacts = [step["contact_s"] for step in data["steps"]]
    assert contacts == sorted(contacts)
    for problem in result.quality.problems:
        assert problem.message and problem.fix


def test_mutated_clips_end_in_a_result_or_a_friendly_error(tmp_path):
    sources = {name: real_clip(name).read_bytes() for name in SOURCES}
    failures: list[str] = []
    outcomes = {"result": 0, "refused": 0}
    started = time.monotonic()
    ran = 0
    for name, mutate, seed in cases():
        if time.monotonic() - started > BUDGET_S:
            break
        rng = np.random.default_rng(seed)
        path = tmp_path / f"{seed}_{mutate.__name__}{Path(name).suffix}"
        path.write_bytes(mutate(sources[name], rng))
        ran += 1
        try:
            result = analyze(path, "walk")
            _check_result(result)
            outcomes["result"] += 1
        except GaitError as err:
            try:
                assert_friendly(err)
            except AssertionError as bad:
                failures.append(f"{name} {mutate.__name__} seed {seed}: unfriendly {err.code}: {bad}")
            outcomes["refused"] += 1
        except Exception:  # noqa: BLE001 - any other exception is exactly what this test looks for
            failures.append(f"{name} {mutate.__name__} seed {seed}:\n{traceback.format_exc()}")
        finally:
            path.unlink()
    assert not failures, "\n\n".join(failures)
    assert ran >= MIN_CASES, f"only {ran} cases in {BUDGET_S:.0f} s"
    # Both outcomes must occur, or the mutations are too mild (or too harsh) to test anything.
    assert outcomes["result"] > 0 and outcomes["refused"] > 0, outcomes
