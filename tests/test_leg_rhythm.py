"""Cadence from the legs taking turns (``cadence_from_leg_rhythm``), and when it stands in for the contacts.

The synthetic walker is projected through a pinhole camera, so the ankles' crossings carry the same
lift-versus-depth perspective as a real walk toward the phone. Tolerance: 2 % (the contacts' own).
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from gait.analysis.events import Stance, Travel, cadence_from_leg_rhythm
from gait.analysis.signal import clean
from gait.names import LEG, Side
from gait.pipeline import _cadence, cadence_confidence
from tests.synthetic import Walker, make_track


WALKERS = {"walk95": dict(cadence_spm=95.0), "walk125": dict(cadence_spm=125.0),
           "run165": dict(cadence_spm=165.0, running=True, speed_m_s=3.0, duration_s=4.0, start_distance_m=14.0)}


@pytest.mark.parametrize("kind", list(WALKERS))
def test_cadence_from_the_legs_turns_on_a_belt(kind):
    walker = Walker(treadmill=True, noise_px=2.0, **WALKERS[kind])
    cad = cadence_from_leg_rhythm(clean(make_track(walker)), Travel.IN_PLACE)
    assert cad is not None and cad.method == "leg_rhythm"
    assert cad.cadence_spm == pytest.approx(walker.cadence_spm, rel=0.02)


@pytest.mark.parametrize("kind", list(WALKERS))
def test_walking_toward_the_phone_the_interval_carries_the_crossings_drift(kind):
    """Coming from 11-14 m to 2-4 m the ankles' crossings drift (lift against depth): the number may be
    a few % off, and its interval says so."""
    walker = Walker(noise_px=2.0, **WALKERS[kind])
    cad = cadence_from_leg_rhythm(clean(make_track(walker)), Travel.APPROACH)
    assert cad is not None and cad.method == "leg_rhythm"
    assert cad.cadence_spm == pytest.approx(walker.cadence_spm, rel=0.05)
    assert cad.low_spm <= walker.cadence_spm <= cad.high_spm
    assert cadence_confidence(cad) < 1.0  # not "sure" on a walk toward the phone


def test_no_rhythm_from_someone_standing():
    track = make_track(Walker(noise_px=2.0))
    img = track.image_xy_px.copy()
    rng = np.random.default_rng(3)
    for side in Side:  # both ankles held where they were at the start, with the model's jitter
        a = LEG[side].ankle
        img[:, a] = img[0, a] + rng.normal(0, 2.0, img[:, a].shape)
    assert cadence_from_leg_rhythm(clean(replace(track, image_xy_px=img)), Travel.APPROACH) is None


def _stances(times_s: list[float]) -> list[Stance]:
    return [Stance(Side.L if k % 2 == 0 else Side.R, t, t + 0.6, 0, 0) for k, t in enumerate(times_s)]


def test_the_legs_turns_stand_in_only_for_contacts_too_unsure_to_count():
    walker = Walker(cadence_spm=110.0, noise_px=2.0)
    track = clean(make_track(walker))
    quality = SimpleNamespace(timing_ok=True, person_frames_pct=100.0, view=SimpleNamespace(value="front"),
                              travel=Travel.APPROACH.value, problems=())
    step_s = 60.0 / walker.cadence_spm
    steady = _stances([0.5 + k * step_s for k in range(8)])
    cad = _cadence(quality, steady, track)
    assert cad is not None and cad.method == "contacts"  # sure contacts keep their own count
    # Two landings missed and one found twice: the contacts' count scatters below the floor.
    times = [0.5 + k * step_s for k in (0, 1, 3, 4, 5, 7)] + [0.5 + 5.5 * step_s]
    unsure = _stances(sorted(times))
    from gait.analysis.events import cadence_from_contacts
    from gait.analysis.findings import unclear_below_floor
    assert unclear_below_floor(cadence_confidence(cadence_from_contacts(unsure)))
    cad = _cadence(quality, unsure, track)
    assert cad is not None and cad.method == "leg_rhythm"
    assert cad.cadence_spm == pytest.approx(walker.cadence_spm, rel=0.02)
    # Where nobody walks (a sway, a shuffle on the spot), no rhythm stands in.
    nobody = SimpleNamespace(**{**vars(quality), "problems": (SimpleNamespace(code="no_walking"),)})
    cad = _cadence(nobody, unsure, track)
    assert cad is not None and cad.method == "contacts"


@pytest.mark.parametrize("method, words", [("contacts", "steps found were too few"), ("leg_rhythm", "legs' rhythm"),
                                           ("hip_rhythm", "hips' up-and-down rhythm")])
def test_an_unclear_cadence_gives_the_reason_of_its_own_method(method, words):
    from gait.output.words import cadence_unclear_text

    text = cadence_unclear_text({"cadence_method": method, "cadence_low_spm": 100.0, "cadence_high_spm": 121.0,
                                 "cadence_confidence": 0.3})
    assert words in text and "between 100 and 121" in text and "confidence 30%" in text


def test_fewer_than_two_strides_give_no_rhythm():
    """1.5 s of walking at 110 steps/min is under two strides: the stride lag would rest on a handful of pairs."""
    short = Walker(cadence_spm=110.0, noise_px=2.0, duration_s=1.5)
    assert cadence_from_leg_rhythm(clean(make_track(short)), Travel.APPROACH) is None
    longer = Walker(cadence_spm=110.0, noise_px=2.0, duration_s=3.0)
    assert cadence_from_leg_rhythm(clean(make_track(longer)), Travel.APPROACH) is not None
