"""gait.validate: matching, scoring and truth files, on hand-built inputs with known answers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from gait.analysis.events import Stance
from gait.names import Side
from gait.validation.truth import TruthError, find_truths, load_truth
from gait.validation.cli import ClipScore, failures, final_line, match_contacts, overall, score_clip


def test_match_contacts_pairs_closest_first_within_the_window():
    # 1.00 -> 1.02 (20 ms), 2.00 -> 2.20 is outside 150 ms, 3.0 has two candidates: the closer wins.
    pairs = match_contacts([1.0, 2.0, 3.0], [1.02, 2.2, 2.95, 3.01])
    assert pairs == [(0, 0), (2, 3)]


def test_match_contacts_empty():
    assert match_contacts([], [1.0]) == []
    assert match_contacts([1.0], []) == []


def _truth_file(tmp_path, contacts, **extra):
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"")
    data = {"clip": "clip.mp4", "fps": 30, "frames": 300, "contacts": contacts, **extra}
    (tmp_path / "annotations").mkdir(exist_ok=True)
    path = tmp_path / "annotations" / "clip.json"
    path.write_text(json.dumps(data))
    return path


def _contact(foot, ic, to=None):
    return {"foot": foot, "ic_frame": ic, "ic_unc": 1, "to_frame": to, "to_unc": 1, "direction": "straight"}


def test_truth_frames_become_seconds_and_clip_is_found_one_folder_up(tmp_path):
    path = _truth_file(tmp_path, [_contact("L", None, 3), _contact("R", 30, 45)], cadence_spm=110.0)
    assert find_truths(tmp_path) == [path]
    truth = load_truth(path)
    assert truth.clip == tmp_path / "clip.mp4"
    assert [c.ic_s for c in truth.contacts] == [None, 1.0]
    assert truth.contacts[1].to_s == pytest.approx(1.5)
    assert truth.expect_usable and truth.cadence_spm == 110.0


def test_truth_without_contacts_expects_a_refusal(tmp_path):
    truth = load_truth(_truth_file(tmp_path, []))
    assert not truth.expect_usable and truth.expect_refusal == "no_walking"


def test_truth_with_a_missing_clip_is_a_typed_error(tmp_path):
    path = _truth_file(tmp_path, [])
    (tmp_path / "clip.mp4").unlink()
    with pytest.raises(TruthError, match="not there"):
        load_truth(path)


@dataclass
class _Quality:
    usable: bool = True
    problems: tuple = ()


@dataclass
class _Analysis:
    contacts: tuple
    cadence: object = None
    quality: _Quality = field(default_factory=_Quality)
    feet: dict = field(default_factory=dict)


def _stance(foot, contact_s, toe_off_s=None):
    return Stance(foot=foot, contact_s=contact_s, toe_off_s=toe_off_s, contact_idx=0, toe_off_idx=0)


def test_score_counts_matches_foot_errors_and_timing(tmp_path):
    # Truth at 1.0 L, 1.5 R, 2.0 L. Found: 1.03 L (+30 ms), 1.5 on the wrong foot, 2.0 L (0 ms), 2.6 L (extra).
    truth = load_truth(_truth_file(tmp_path, [_contact("L", 30, 45), _contact("R", 45), _contact("L", 60)]))
    found = (_stance(Side.L, 1.03, 1.53), _stance(Side.L, 1.5), _stance(Side.L, 2.0), _stance(Side.L, 2.6))
    score = score_clip(truth, _Analysis(contacts=found))
    assert (score.n_true, score.n_found, score.n_matched) == (3, 4, 2)
    assert score.n_foot_right == 2 and score.n_time_matched == 3
    assert score.ic_err_ms == pytest.approx([30.0, 0.0])
    assert score.to_err_ms == pytest.approx([30.0])
    figures = overall([score])
    assert figures["ic_recall"] == pytest.approx(200 / 3)
    assert figures["ic_precision"] == pytest.approx(50.0)
    assert figures["ic_mae_ms"] == pytest.approx(15.0)
    assert figures["ic_bias_ms"] == pytest.approx(15.0)
    assert figures["refusals_ok"] == 100.0
    line = final_line(figures)
    assert line.startswith("clips=1 ic_recall=66.7 ic_precision=50.0 ic_mae_ms=15.0")
    assert any(f.startswith("ic_recall=66.7") for f in failures(figures))


def test_a_walking_clip_refused_is_a_wrong_outcome_and_no_cadence_is_full_error():
    score = ClipScore(name="x", source="annotated", speed="walk", n_true=4, accepted=False,
                      refusal_codes=("too_few_steps",), cadence_true_spm=110.0)
    assert not score.refusal_ok
    assert score.cadence_err_pct == 100.0
    refused_right = ClipScore(name="y", source="annotated", speed="walk", expect_usable=False,
                              expect_refusal="side_view", refusal_codes=("side_view",))
    assert refused_right.refusal_ok


def test_how_sure_text_quotes_the_last_validation(tmp_path, monkeypatch):
    import gait.validation.cli as v

    monkeypatch.setattr(v, "SUMMARY_FILE", tmp_path / "summary.json")
    assert v.how_sure_text() is None  # no validation run yet: no claim
    real = ClipScore(name="a", source="annotated", speed="walk", n_true=10, n_found=10, n_matched=9,
                     ic_err_ms=[30.0] * 9)
    v.write_summary([(tmp_path, [real], "shared")])
    text = v.how_sure_text()
    assert "90 % of the landings" in text and "30 ms" in text


def test_how_sure_text_says_spring_or_bang_is_unclear_when_no_call_is_made(tmp_path, monkeypatch):
    import gait.validation.cli as v
    from gait.validation.score import FootCall

    monkeypatch.setattr(v, "SUMMARY_FILE", tmp_path / "summary.json")
    foot = FootCall(clip="r", foot=Side.L, true_fpa_deg=None, found_fpa_deg=None, true_direction=None,
                    found_direction=None, direction_confidence=0.0, true_knee_give_deg=20.0,
                    found_knee_give_deg=8.0, true_landing="spring", found_landing=None, landing_confidence=0.2,
                    measured_landing="spring")
    rendered = ClipScore(name="r", source="rendered", speed="walk", feet=[foot])
    v.write_summary([(tmp_path, [rendered], "rendered")])
    text = v.how_sure_text()
    assert "off by 12°" in text and 'always reads "unclear"' in text


def test_how_sure_text_quotes_held_out_walkers_beside_the_committed_ones(tmp_path, monkeypatch):
    """Figures on walkers never tuned on are kept apart (--held-out) and quoted beside the committed set's;
    a later run on the committed set keeps them."""
    import gait.validation.cli as v
    from gait.validation.score import FootCall

    monkeypatch.setattr(v, "SUMMARY_FILE", tmp_path / "summary.json")

    def walker(true_deg: float, found_deg: float) -> ClipScore:
        foot = FootCall(clip="r", foot=Side.L, true_fpa_deg=true_deg, found_fpa_deg=found_deg, true_direction="straight",
                        found_direction="straight", direction_confidence=0.9, true_knee_give_deg=None,
                        found_knee_give_deg=None, true_landing=None, found_landing=None, landing_confidence=0.0)
        return ClipScore(name="r", source="rendered", speed="walk", feet=[foot])

    v.write_summary([(tmp_path, [walker(10.0, 15.0)], "rendered")], held_out=True)
    v.write_summary([(tmp_path, [walker(10.0, 12.0)], "rendered")])
    text = v.how_sure_text()
    assert "off by 2° on average" in text and "by 5° on walkers it was never tuned on" in text
