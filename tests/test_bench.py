"""gait.bench's machine line: the pose model's own cost per frame, which bounds any run on the machine."""

from __future__ import annotations

import math

from gait.service.bench import cpu_name, pose_model_ms
from tests.clips import SOCKS, real_clip


def test_the_pose_models_cost_per_frame_is_read_from_real_frames():
    # A model fed nothing, or a clock read before the model ran, reads ~0 ms.
    ms = pose_model_ms(real_clip(SOCKS), n_frames=12)
    assert math.isfinite(ms)
    assert 1.0 <= ms <= 2000.0, ms


def test_the_processor_is_named_as_linux_reports_it():
    name = cpu_name()
    assert isinstance(name, str)
    assert name == name.strip() and "model name" not in name
