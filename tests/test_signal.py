"""The zero-phase low-pass: columns filtered together give what each column filtered alone gives."""

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
