"""Synthetic soundtracks for rendered walkers: footfalls of set level at the true contacts.

Pure numpy + PyAV (runs in the app's environment). A footfall is a short burst of filtered
noise (a thud and a slap, ~30 ms decay); its level is set at 1 m from the phone and falls
with the true distance of the landing heel (inverse distance, 20*log10). Background noise
(a steady room hiss), music (chords with a beat that ignores the steps), talk-like sound
(voiced, formant-filtered bursts) and wind (low rumble with gusts) can be added.

``python -m tools.synth.soundtrack tests/rendered`` writes the committed sound clips
(``sound_*.mp4`` + truth); each is a copy of a rendered clip (video stream copied, not
re-encoded) with the soundtrack muxed in, and its truth file is the original's plus a
``sound`` block.
"""

from __future__ import annotations

import argparse
import json
import math
import zlib
from fractions import Fraction
from pathlib import Path

import numpy as np

RATE_HZ = 16000


def db_to_amp(db: float) -> float:
    return float(10.0 ** (db / 20.0))


def footfall(rate_hz: int, rng: np.random.Generator, decay_s: float = 0.03) -> np.ndarray:
    """One footfall of unit peak-frame power (mean power over its loudest 20 ms = 1, i.e. 0 dBFS)."""
    n = int(0.15 * rate_hz)
    t = np.arange(n) / rate_hz
    noise = rng.standard_normal(n)
    # thud: low-passed noise; slap: the raw noise, shorter
    k = max(1, int(rate_hz / 600))
    thud = np.convolve(noise, np.ones(k) / k, mode="same") * 3.0
    x = (thud * np.exp(-t / decay_s) + 0.5 * noise * np.exp(-t / (decay_s / 3)))
    x[: int(0.001 * rate_hz)] *= np.linspace(0, 1, int(0.001 * rate_hz))
    return x / _peak_frame_rms(x, rate_hz)


def _peak_frame_rms(x: np.ndarray, rate_hz: int, frame_s: float = 0.02) -> float:
    frame = int(frame_s * rate_hz)
    csum = np.concatenate([[0.0], np.cumsum(x * x)])
    power = (csum[frame:] - csum[:-frame]) / frame
    return float(np.sqrt(power.max()))


def footfalls(duration_s: float, events: list[tuple[float, float]], rate_hz: int = RATE_HZ, seed: int = 0
              ) -> np.ndarray:
    """Footfalls at ``(time_s, level_dbfs)``: each burst's loudest 20 ms at that level (before any filtering)."""
    rng = np.random.default_rng(seed)
    out = np.zeros(int(duration_s * rate_hz))
    for time_s, level_db in events:
        burst = footfall(rate_hz, rng) * db_to_amp(level_db)
        i = int(round(time_s * rate_hz))
        if i >= out.size or i + burst.size <= 0:
            continue
        a, b = max(0, i), min(out.size, i + burst.size)
        out[a:b] += burst[a - i: b - i]
    return out


def noise(duration_s: float, level_dbfs: float, rate_hz: int = RATE_HZ, seed: int = 1) -> np.ndarray:
    """Steady pinkish room noise at an RMS of ``level_dbfs``."""
    rng = np.random.default_rng(seed)
    white = rng.standard_normal(int(duration_s * rate_hz))
    spec = np.fft.rfft(white)
    f = np.fft.rfftfreq(white.size, 1 / rate_hz)
    spec[1:] /= np.sqrt(f[1:] / 100.0)
    spec[0] = 0
    x = np.fft.irfft(spec, n=white.size)
    return x / np.sqrt(np.mean(x * x)) * db_to_amp(level_dbfs)


def music(duration_s: float, level_dbfs: float, rate_hz: int = RATE_HZ, bpm: float = 97.0, seed: int = 2
          ) -> np.ndarray:
    """Chords (harmonic notes) changing every beat with a kick drum on each beat, at an RMS of ``level_dbfs``."""
    rng = np.random.default_rng(seed)
    n = int(duration_s * rate_hz)
    t = np.arange(n) / rate_hz
    beat_s = 60.0 / bpm
    x = np.zeros(n)
    roots = (220.0, 246.9, 196.0, 261.6)
    for k in range(int(duration_s / beat_s) + 1):
        a, b = int(k * beat_s * rate_hz), min(n, int((k + 1) * beat_s * rate_hz))
        if a >= n:
            break
        tt = t[a:b] - t[a]
        root = roots[k % len(roots)]
        chord = sum(sum(np.sin(2 * np.pi * root * ratio * h * tt) / h for h in range(1, 5))
                    for ratio in (1.0, 1.26, 1.5))
        x[a:b] += chord * (0.6 + 0.4 * np.exp(-tt / 0.3))
        kick = np.sin(2 * np.pi * 60 * tt * np.exp(-tt / 0.1)) * np.exp(-tt / 0.08) * 4.0
        x[a:b] += kick + 0.3 * rng.standard_normal(b - a) * np.exp(-tt / 0.02)
    return x / np.sqrt(np.mean(x * x)) * db_to_amp(level_dbfs)


def talk(duration_s: float, level_dbfs: float, rate_hz: int = RATE_HZ, seed: int = 3) -> np.ndarray:
    """Syllable-like voiced bursts (a 120-180 Hz voice through two formants), at an RMS of ``level_dbfs``."""
    rng = np.random.default_rng(seed)
    n = int(duration_s * rate_hz)
    t = np.arange(n) / rate_hz
    pitch = 150 + 30 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(pitch) / rate_hz
    voice = sum(np.sin(h * phase) * math.exp(-abs(h * 150 - 600) / 500) for h in range(1, 25))
    syll = np.zeros(n)
    pos = 0.0
    while pos < duration_s:
        length = rng.uniform(0.12, 0.3)
        a, b = int(pos * rate_hz), min(n, int((pos + length) * rate_hz))
        syll[a:b] = np.sin(np.linspace(0, np.pi, b - a))
        pos += length + rng.uniform(0.02, 0.12)
    x = voice * syll
    return x / np.sqrt(np.mean(x * x)) * db_to_amp(level_dbfs)


def wind(duration_s: float, level_dbfs: float, rate_hz: int = RATE_HZ, seed: int = 4) -> np.ndarray:
    """Low rumble (mostly < 200 Hz) with slow gusts, at an RMS of ``level_dbfs``."""
    rng = np.random.default_rng(seed)
    n = int(duration_s * rate_hz)
    white = rng.standard_normal(n)
    spec = np.fft.rfft(white)
    f = np.fft.rfftfreq(n, 1 / rate_hz)
    spec *= 1.0 / (1.0 + (f / 60.0) ** 2)
    x = np.fft.irfft(spec, n=n)
    gust = 1.0 + 0.8 * np.sin(2 * np.pi * 0.4 * np.arange(n) / rate_hz + rng.uniform(0, 6))
    x *= gust
    return x / np.sqrt(np.mean(x * x)) * db_to_amp(level_dbfs)


def mux(video_in: Path, out: Path, samples: np.ndarray, rate_hz: int = RATE_HZ, offset_s: float = 0.0) -> None:
    """Copy ``video_in``'s video stream (no re-encoding) into ``out`` with ``samples`` as an AAC track.

    ``offset_s`` > 0 makes the sound start later than the picture (a phone's A/V offset).
    """
    import av

    if offset_s > 0:
        samples = np.concatenate([np.zeros(int(offset_s * rate_hz)), samples])
    elif offset_s < 0:
        samples = samples[int(-offset_s * rate_hz):]
    pcm = np.clip(samples, -1.0, 1.0).astype(np.float32)
    with av.open(str(video_in)) as src, av.open(str(out), "w", format="mp4") as dst:
        vin = src.streams.video[0]
        vout = dst.add_stream_from_template(vin)
        aout = dst.add_stream("aac", rate=rate_hz, layout="mono")
        aout.bit_rate = 48000
        for packet in src.demux(vin):
            if packet.dts is None:
                continue
            packet.stream = vout
            dst.mux(packet)
        frame_n = 1024
        for k in range(0, pcm.size, frame_n):
            chunk = pcm[k:k + frame_n]
            frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="flt", layout="mono")
            frame.sample_rate = rate_hz
            frame.pts = k
            frame.time_base = Fraction(1, rate_hz)
            for packet in aout.encode(frame):
                dst.mux(packet)
        for packet in aout.encode(None):
            dst.mux(packet)


# ---- the committed sound clips ---------------------------------------------------------------------

# (new name, rendered clip, level at 1 m {L, R} dBFS, noise dBFS, extra background, A/V offset s).
# The truth's ``lr_diff_db`` is that of the landings as made (``realised_lr_db``).
CLIPS: tuple[tuple[str, str, dict[str, float], float, str | None, float], ...] = (
    ("sound_walk_lr", "walk_fpa0_0_stiff", {"L": -14.0, "R": -18.0}, -58.0, None, 0.0),
    ("sound_fastwalk_even", "fastwalk_fpa10_10_soft", {"L": -16.0, "R": -16.0}, -52.0, None, 0.04),
    ("sound_run_rl", "run_fpa10_15_stiff_land", {"L": -12.0, "R": -9.0}, -50.0, None, -0.03),
    ("sound_walk_music", "walk_fpa-5_10_twist10", {"L": -16.0, "R": -16.0}, -58.0, "music", 0.0),
)
STEP_JITTER_DB = 1.0  # each landing's own level varies around its foot's (sd)


def heel_distance_m(frames: dict[str, np.ndarray], camera: dict[str, object], foot: str, time_s: float) -> float:
    t = frames["time_s"]
    i = int(np.argmin(np.abs(t - time_s)))
    heel = frames[f"heel_{foot}_3d"][i].astype(float)
    cam = np.array([0.0, float(camera["height_m"]), float(frames["camera_z_m"][i])])
    return float(np.linalg.norm(heel - cam))


def realised_lr_db(steps: list[dict[str, object]]) -> float:
    """Left minus right of the landings as made (each foot's median over its steps, jitter included)."""
    med = {f: float(np.median([s["level_db_at_1m"] for s in steps if s["foot"] == f])) for f in ("L", "R")}
    return round(med["L"] - med["R"], 2)


def make(folder: Path) -> list[Path]:
    written = []
    for name, source, levels, noise_db, extra, offset_s in CLIPS:
        truth = json.loads((folder / f"{source}.json").read_text())
        frames = dict(np.load(folder / truth["per_frame"]))
        duration_s = truth["frames"] / truth["fps"] + 0.3
        rng = np.random.default_rng(zlib.crc32(name.encode()))
        steps, events = [], []
        for c in truth["contacts"]:
            if c["ic_time_s"] is None:
                continue
            d_m = heel_distance_m(frames, truth["camera"], c["foot"], c["ic_time_s"])
            at_1m = levels[c["foot"]] + float(rng.normal(0.0, STEP_JITTER_DB))
            events.append((c["ic_time_s"], at_1m - 20.0 * math.log10(d_m)))
            steps.append({"foot": c["foot"], "ic_time_s": c["ic_time_s"], "distance_m": round(d_m, 3),
                          "level_db_at_1m": round(at_1m, 2)})
        x = footfalls(duration_s, events) + noise(duration_s, noise_db)
        if extra == "music":
            x += music(duration_s, -22.0)
        out = folder / f"{name}.mp4"
        mux(folder / truth["clip"], out, x, offset_s=offset_s)
        truth["clip"] = out.name
        truth["sound"] = {"copy_of": f"{source}.mp4", "level_db_at_1m": levels, "step_jitter_db": STEP_JITTER_DB,
                          "noise_dbfs": noise_db, "background": extra, "av_offset_ms": round(1000 * offset_s, 1),
                          "expect_heard": extra is None, "lr_diff_db": realised_lr_db(steps), "steps": steps,
                          "made_by": "python -m tools.synth.soundtrack"}
        (folder / f"{name}.json").write_text(json.dumps(truth, indent=1) + "\n")
        written.append(out)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.synth.soundtrack", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="the rendered set (tests/rendered)")
    args = parser.parse_args(argv)
    for path in make(args.folder):
        print(path, path.stat().st_size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
