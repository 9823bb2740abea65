"""The zero-phase low-pass and the rolling percentile: vectorised, with the numbers of the plain loops."""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, filtfilt

from gait.analysis.signal import lowpass, nan_runs


def _one_column_at_a_time(values: np.ndarray, rate_hz: float, cutoff_hz: float) -> np.ndarray:
    b, a = butter(2, cutoff_hz / (rate_hz / 2))
    out = values.copy()
    for col in range(values.shape[1]):
        for start, stop in nan_runs(~np.isnan(values[:, col])):
            if stop - start > 9:
                out[start:stop, col] = filtfilt(b, a, values[start:stop, col])
    return out


def test_columns_with_their_own_gaps_are_filtered_as_if_alone():
    rng = np.random.default_rng(3)
    values = np.cumsum(rng.normal(size=(240, 12)), axis=0)
    values[30:40, 0:2] = np.nan  # a landmark's x and y share a gap
    values[100:104, 5] = np.nan
    values[:8, 7] = np.nan  # then a stretch too short to filter (8-15): left as it is
    values[15:20, 7] = np.nan
    values[:, 9] = np.nan  # never seen
    got = lowpass(values, 30.0, 6.0)
    want = _one_column_at_a_time(values, 30.0, 6.0)
    np.testing.assert_array_equal(got, want)
    assert np.isnan(got[30:40, 0]).all() and np.array_equal(got[8:15, 7], values[8:15, 7])
    assert not np.array_equal(got[50:, 0], values[50:, 0])  # it did filter


def test_rolling_straightest_is_numpys_nan_percentile_of_each_window():
    import warnings

    from gait.analysis.geometry import STRAIGHT_LEG_PERCENTILE, _rolling_straightest

    rng = np.random.default_rng(5)
    for size, half, gaps in ((300, 18, 0.3), (40, 3, 0.6), (7, 18, 0.0), (50, 2, 1.0)):
        values = rng.normal(100.0, 10.0, size)
        values[rng.random(size) < gaps] = np.nan
        padded = np.concatenate([np.full(half, np.nan), values, np.full(half, np.nan)])
        windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            want = np.nanpercentile(windows, STRAIGHT_LEG_PERCENTILE, axis=1)
        np.testing.assert_array_equal(_rolling_straightest(values, half), want)
