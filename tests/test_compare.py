"""Saved-results data file and then-vs-now comparison, on small hand-made results with known answers."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest

from gait.output.compare import (DataFileError, bundle, change_sentences, changes_as_rows, compare, dump_bundle,
                          finding_codes, load_bundle, merge_bundles, read_data_file)
from gait.errors import GaitError


def foot(direction: str | None = "straight", angle_deg: float | None = 8.0, landing: str | None = "spring",
         knee_give_deg: float | None = 15.0, twist: bool | None = False) -> dict[str, Any]:
    return {"n_steps": 4, "foot_angle_median_deg": angle_deg, "foot_angle_iqr_deg": 3.0,
            "landing_direction": direction, "direction_confidence": 0.6, "landing": landing,
            "landing_confidence": 0.7, "twist_at_lift_off": twist, "twist_median_deg": 2.0, "twist_confidence": 0.5,
            "knee_give_median_deg": knee_give_deg, "stance_median_s": 0.3, "confidence": 0.6, "reason": None}


def result(speed: str = "run", cadence_spm: float | None = 150.0, usable: bool = True,
           left: dict | None = None, right: dict | None = None, findings: list | None = None) -> dict[str, Any]:
    """A minimal result in the documented JSON shape (gait.output.results.analysis_to_dict)."""
    steps = [{"foot": f, "contact_s": 0.4 * i, "toe_off_s": 0.4 * i + 0.25, "stance_s": 0.25,
              "foot_angle_deg": 5.0 + i, "foot_angle_2d_deg": 4.0, "landing_direction": "straight",
              "landing": "spring", "twist_deg": 1.0, "knee_give_deg": 14.0, "stop_rate_per_s": 5.0,
              "hip_jolt_ratio": None, "confidence": 0.7} for i, f in enumerate("LRLRLRLR")]
    return {
        "schema_version": 1, "speed": speed,
        "video": {"name": f"{speed}.mp4", "codec": "h264", "width_px": 1080, "height_px": 1920, "rotation_deg": 0,
                  "nominal_fps": 30.0, "duration_s": 8.0, "analysed_s": 8.0},
        "quality": {"usable": usable, "problems": [] if usable else [
                        {"code": "side_view", "message": "We see you from the side.", "fix": "Film from the front.",
                         "blocking": True}],
                    "notes": [], "person_frames_pct": 98.0, "feet_visible_pct": 95.0, "view": "front",
                    "travel": "approach", "steps_found": 8, "frame_rate_hz": 30.0},
        "steps": steps if usable else [],
        "summary": {"cadence_spm": cadence_spm, "cadence_low_spm": None if cadence_spm is None else cadence_spm - 3,
                    "cadence_high_spm": None if cadence_spm is None else cadence_spm + 3,
                    "cadence_method": "contacts", "cadence_confidence": 0.8,
                    "cadence_target_spm": None if cadence_spm is None else [round(cadence_spm * 1.05),
                                                                           round(cadence_spm * 1.1)],
                    "feet": {"L": left or foot(), "R": right or foot()} if usable else {}},
        "findings": findings or [],
    }


def by_what(changes, speed: str, what: str):
    [c] = [c for c in changes if c.speed == speed and c.what == what]
    return c


# ---- data file ---------------------------------------------------------------------------------

def test_round_trip_bundle_bytes_bundle_is_equal():
    b = bundle({"walk": result("walk", 112.0), "run": result("run", 160.0)}, created=date(2025, 3, 1))
    assert b["springcheck_results"] == 1 and b["created"] == "2025-03-01"
    assert load_bundle(dump_bundle(b)) == b
    assert load_bundle(dump_bundle(b).decode("utf-8")) == b  # text works as well as bytes


def test_bundle_orders_speeds_walk_fast_walk_run_and_accepts_a_list():
    b = bundle([result("run"), result("walk"), result("fast_walk")])
    assert list(b["analyses"]) == ["walk", "fast_walk", "run"]
    assert b["created"] == date.today().isoformat()


def test_empty_bundle_has_no_analyses_and_does_not_load():
    b = bundle({})
    assert b["analyses"] == {}
    with pytest.raises(DataFileError, match="no analysed clips") as err:
        load_bundle(dump_bundle(b))
    assert err.value.code == "no_results"


def test_single_cli_result_loads_as_one_speed_bundle():
    b = load_bundle(json.dumps(result("walk", 110.0)))
    assert list(b["analyses"]) == ["walk"] and b["created"] is None
    assert b["analyses"]["walk"]["summary"]["cadence_spm"] == 110.0


def test_merge_bundles_by_speed_later_wins():
    first = bundle([result("walk", 100.0), result("run", 150.0)], created=date(2025, 1, 1))
    second = load_bundle(json.dumps(result("run", 170.0)))
    merged = merge_bundles([first, second])
    assert list(merged["analyses"]) == ["walk", "run"]
    assert merged["analyses"]["run"]["summary"]["cadence_spm"] == 170.0
    assert merged["created"] == "2025-01-01"


@pytest.mark.parametrize("data, code, words", [
    (b"\xff\xfe\x00garbage", "not_json", "not JSON"),
    ("{not json", "not_json", "not JSON"),
    ("", "not_json", "not JSON"),
    ("[1, 2, 3]", "not_springcheck", "not a SpringCheck data file"),
    ('{"name": "something else"}', "not_springcheck", "not a SpringCheck data file"),
    ('{"springcheck_results": "one", "analyses": {}}', "not_springcheck", "version mark"),
    ('{"springcheck_results": 2, "analyses": {}}', "newer_version", "newer version"),
    ('{"springcheck_results": 1}', "missing_fields", "incomplete"),
])
def test_bad_data_files_raise_typed_error(data, code, words):
    with pytest.raises(DataFileError, match=words) as err:
        load_bundle(data)
    assert err.value.code == code
    assert isinstance(err.value, GaitError) and err.value.fix


def test_result_from_a_newer_engine_is_refused():
    newer = result("walk")
    newer["schema_version"] = 99
    with pytest.raises(DataFileError) as err:
        load_bundle(json.dumps(newer))
    assert err.value.code == "newer_version"


@pytest.mark.parametrize("damage, words", [
    (lambda d: d["summary"].pop("cadence_spm"), "summary.cadence_spm"),
    (lambda d: d.pop("findings"), "findings"),
    (lambda d: d["summary"]["feet"]["L"].pop("landing"), "'landing' for the left foot"),
    (lambda d: d.update(speed="sprint"), "known speed"),
])
def test_missing_fields_name_what_is_missing(damage, words):
    d = result("walk")
    damage(d)
    with pytest.raises(DataFileError, match=words) as err:
        load_bundle(dump_bundle(bundle([result("run")]) | {"analyses": {"walk": d}}))
    assert err.value.code == "missing_fields"


def test_read_data_file_names_the_file_and_handles_missing_files(tmp_path):
    with pytest.raises(DataFileError, match="nope.json") as err:
        read_data_file(tmp_path / "nope.json")
    assert err.value.code == "cannot_read"
    bad = tmp_path / "old.json"
    bad.write_text("{}")
    with pytest.raises(DataFileError, match="old.json: This file is JSON") as err:
        read_data_file(bad)
    assert err.value.code == "not_springcheck"


def test_finding_codes_first_seen_first():
    walk = result("walk", findings=[{"code": "toe_out", "foot": "L", "title": "t", "meaning": "m", "confidence": 0.5}])
    run = result("run", findings=[{"code": "bang", "foot": "R", "title": "t", "meaning": "m", "confidence": 0.5},
                                  {"code": "toe_out", "foot": "R", "title": "t", "meaning": "m", "confidence": 0.5}])
    assert finding_codes(bundle([walk, run])) == ["toe_out", "bang"]


# ---- then vs now -------------------------------------------------------------------------------

def test_cadence_150_to_160_is_plus_10_steps_per_min_and_better_for_running():
    changes = compare(bundle([result("run", 150.0)]), bundle([result("run", 160.0)]))
    c = by_what(changes, "run", "cadence")
    assert c.then == "150 steps/min" and c.now == "160 steps/min"
    assert c.change == "+10 steps/min (+7 %)"
    assert c.improved is True and c.changed is True


def test_cadence_drop_is_worse_for_running_and_neutral_for_walking():
    run = by_what(compare(bundle([result("run", 170.0)]), bundle([result("run", 160.0)])), "run", "cadence")
    assert run.change == "\u221210 steps/min (\u22126 %)" and run.improved is False
    walk = by_what(compare(bundle([result("walk", 110.0)]), bundle([result("walk", 100.0)])), "walk", "cadence")
    assert walk.improved is None and walk.changed is True


def test_tiny_cadence_change_is_about_the_same():
    c = by_what(compare(bundle([result("run", 160.0)]), bundle([result("run", 162.0)])), "run", "cadence")
    assert c.improved is None and c.changed is False and "about the same" in c.change
    same = by_what(compare(bundle([result("run", 160.0)]), bundle([result("run", 160.2)])), "run", "cadence")
    assert same.change == "no change"


def test_landing_direction_out_to_straight_is_better_with_the_angle_change():
    then = bundle([result("walk", left=foot("out", 21.0))])
    now = bundle([result("walk", left=foot("straight", 12.0))])
    c = by_what(compare(then, now), "walk", "left foot landing direction")
    assert c.then == "points out, 21\u00b0" and c.now == "straight, 12\u00b0"
    assert c.change == "out \u2192 straight, \u22129\u00b0" and c.improved is True
    back = by_what(compare(now, then), "walk", "left foot landing direction")
    assert back.improved is False
    right = by_what(compare(then, now), "walk", "right foot landing direction")
    assert right.change == "same" and right.improved is None and right.changed is False


def test_in_to_out_is_a_change_but_not_better_or_worse():
    c = by_what(compare(bundle([result("walk", right=foot("in", -4.0))]),
                        bundle([result("walk", right=foot("out", 18.0))])), "walk", "right foot landing direction")
    assert c.changed is True and c.improved is None and "+22\u00b0" in c.change


def test_bang_to_spring_is_better_with_knee_give_change():
    c = by_what(compare(bundle([result("run", right=foot(landing="bang", knee_give_deg=6.0))]),
                        bundle([result("run", right=foot(landing="spring", knee_give_deg=17.0))])),
                "run", "right foot spring or bang")
    assert c.change == "bang \u2192 spring, knee give +11\u00b0" and c.improved is True


def test_twist_gone_is_better_and_not_judged_cannot_compare():
    changes = compare(bundle([result("run", left=foot(twist=True), right=foot(twist=None))]),
                      bundle([result("run", left=foot(twist=False), right=foot(twist=True))]))
    left = by_what(changes, "run", "left foot twist at lift-off")
    assert (left.then, left.now, left.change, left.improved) == ("yes", "no", "gone", True)
    right = by_what(changes, "run", "right foot twist at lift-off")
    assert right.change == "cannot compare" and right.improved is None and right.changed is None


def test_speed_only_on_one_date_and_unusable_clips():
    then = bundle([result("walk"), result("run", usable=False)])
    now = bundle([result("run"), result("fast_walk")])
    changes = compare(then, now)
    assert by_what(changes, "walk", "clip").change == "only then"
    assert by_what(changes, "fast_walk", "clip").change == "only now"
    assert "not usable then" in by_what(changes, "run", "foot findings").change
    assert not [c for c in changes if c.speed == "run" and "foot" in c.what and c.what != "foot findings"]


def test_sentences_and_rows():
    then = bundle([result("run", 150.0, left=foot(landing="bang"))])
    now = bundle([result("run", 160.0)])
    changes = compare(then, now)
    text = " ".join(change_sentences(changes))
    assert "Easy run, cadence got better: 150 steps/min \u2192 160 steps/min, +10 steps/min (+7 %)." in text
    assert "left foot spring or bang got better" in text and "Everything else is about the same." in text
    rows = changes_as_rows(changes)
    assert rows[0] == {"speed": "Easy run", "what": "cadence", "then": "150 steps/min", "now": "160 steps/min",
                       "change": "+10 steps/min (+7 %)", "verdict": "better"}
    same = compare(now, copy.deepcopy(now))
    assert change_sentences(same) == ["No clear change between the two dates."]
