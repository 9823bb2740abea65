"""Containers and codecs phones (and browsers) make: each decodes upright with real timestamps."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from gait.analysis.video import iter_frames, probe
from tests import clips
from tests.clips import SOCKS, real_clip

CASES = [(".webm", "libvpx-vp9", {"crf": "32", "deadline": "realtime", "cpu-used": "8"}),
         (".m4v", "libx264", {}),
         (".mov", "libx265", {"x265-params": "log-level=error"})]


@pytest.mark.parametrize("suffix,codec,options", CASES, ids=[c[0] for c in CASES])
def test_container_and_codec_decode_with_real_timestamps(tmp_path, suffix, codec, options):
    src = real_clip(SOCKS)
    # 2.6 s of the clip at 30 fps, quarter size: enough to pass the 2 s minimum, quick to encode.
    frames = ((t, rgb[::4, ::4].copy()) for t, rgb in clips.decoded_rgb(src) if t <= 2.6)
    thinned = ((t, rgb) for i, (t, rgb) in enumerate(frames) if i % 2 == 0)
    base = {"preset": "ultrafast", "crf": "23"} if codec != "libvpx-vp9" else {}
    path = clips.write_clip(tmp_path / f"clip{suffix}", thinned, codec=codec, codec_options={**base, **options})
    info = probe(path)
    assert info.width_px == 480 and info.height_px == 270
    assert info.duration_s == pytest.approx(2.6, abs=0.1)
    times = np.array([f.time_s for f in iter_frames(path, info)])
    assert np.all(np.diff(times) > 0)
    assert times[-1] == pytest.approx(2.58, abs=0.08)


def test_webm_without_stated_duration_uses_decoded_timestamps(tmp_path):
    src = real_clip(SOCKS)
    frames = itertools.islice(((t, rgb[::4, ::4].copy()) for t, rgb in clips.decoded_rgb(src)), 0, 160, 2)
    path = clips.write_clip(tmp_path / "live.webm", frames, codec="libvpx-vp9",
                            codec_options={"deadline": "realtime", "cpu-used": "8"},
                            container_options={"live": "1"})
    info = probe(path)
    assert info.duration_s == pytest.approx(2.66, abs=0.15)
