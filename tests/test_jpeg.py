"""The pass's JPEG encoder: OpenCV's, which must write what Pillow writes (the module's claim)."""

import io

import numpy as np
import pytest
from PIL import Image

from gait.analysis.jpeg import encode_jpeg


def _pillow(rgb: np.ndarray, quality: int) -> bytes:
    out = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(out, "JPEG", quality=quality)
    return out.getvalue()


@pytest.mark.parametrize("quality", [80, 92])
def test_same_bytes_as_pillow_on_a_slice_and_colours_kept(quality):
    rng = np.random.default_rng(quality)
    y, x = np.mgrid[0:240, 0:320]
    frame = np.stack([x * 255 // 320, y * 255 // 240, (x + y) % 256], axis=2).astype(np.uint8)
    frame = np.clip(frame + rng.integers(-8, 8, frame.shape), 0, 255).astype(np.uint8)
    part = frame[17:201, 33:290]  # a non-contiguous slice, as the crops are
    data = encode_jpeg(part, quality)
    assert data == _pillow(part, quality)
    back = np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)
    assert back.shape == part.shape
    assert np.abs(back - part).mean() < 6  # red stays red: no channel swap left in


def test_nothing_to_encode_gives_empty_bytes():
    assert encode_jpeg(np.zeros((0, 10, 3), np.uint8), 80) == b""
    assert encode_jpeg(np.zeros((10, 10), np.uint8), 80) == b""
