"""The exercise library: content complete, ranking sound, pictures valid, links exact."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gait.advice import exercise_data
from gait.advice import exercise_pictures
from gait.errors import GaitError
from gait.advice.exercises import (
    FINDING_EXERCISES,
    HIP_KNEE_CORE,
    Exercise,
    ExerciseError,
    Finding,
    Group,
    all_exercises,
    exercise_anchor,
    exercise_link,
    exercise_picture,
    exercises_for,
    exercises_in_group,
    finding_label,
    get_exercise,
    groups,
    library_as_dicts,
    load_library,
    matched_findings,
)

SVG_NS = "{http://www.w3.org/2000/svg}"
ENGINE_CODES = ("toe_out", "toe_in", "bang", "twist_at_lift_off", "low_cadence", "left_right_difference",
                "knee_in", "hip_drop", "feet_cross", "heel_rolls_in", "loud_landing")
REQUIRED_TEXT = ("id", "name", "trains", "why", "dose", "progress", "avoid", "evidence", "source")
ALL_IDS = [ex.id for ex in all_exercises()]


def test_library_has_at_least_18_exercises_with_unique_slug_ids():
    assert len(ALL_IDS) >= 18
    assert len(set(ALL_IDS)) == len(ALL_IDS)
    for ex_id in ALL_IDS:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", ex_id), ex_id


@pytest.mark.parametrize("ex", all_exercises(), ids=ALL_IDS)
def test_every_required_field_is_filled(ex: Exercise):
    for name in REQUIRED_TEXT:
        assert str(getattr(ex, name)).strip(), f"{ex.id}.{name} is empty"
    assert ex.findings and set(ex.findings) <= set(ENGINE_CODES)
    assert 3 <= len(ex.steps) <= 6 and all(step.strip() for step in ex.steps)
    assert isinstance(ex.group, Group)


def test_required_exercises_are_present():
    for ex_id in ("band-inversion", "band-eversion", "toe-raises", "heel-raise-straight-knee",
                  "heel-raise-bent-knee", "short-foot", "single-leg-balance", "knee-to-wall",
                  "big-toe-mobility", "foot-ball-release", "pogo-hops", "a-skips", "rope-skipping",
                  "line-hops", "zig-zag-runs", "side-lying-hip-abduction", "clamshell", "side-plank",
                  "glute-bridge", "step-down", "wall-sit"):
        assert get_exercise(ex_id).id == ex_id


def test_each_group_has_at_least_three_and_groups_cover_the_library():
    assert {g.value for g in groups()} == {"foot_ankle", "release", "spring", "hip_knee"}
    for group in groups():
        assert len(exercises_in_group(group)) >= 3, group
    assert sum(len(exercises_in_group(g)) for g in groups()) == len(ALL_IDS)


def test_finding_codes_are_the_engines_and_map_to_existing_ids():
    assert {f.value for f in Finding} == set(ENGINE_CODES)
    assert set(FINDING_EXERCISES) == set(ENGINE_CODES)
    for code, ranked in FINDING_EXERCISES.items():
        assert ranked, code
        assert len(set(ranked)) == len(ranked), f"{code} ranks an exercise twice"
        for ex_id in ranked:
            assert code in get_exercise(ex_id).findings


def test_finding_labels_are_plain_titles():
    assert finding_label("toe_out") == "Foot lands pointing out"
    assert finding_label("toe_in") == "Foot lands pointing in"
    for code in ENGINE_CODES:
        assert finding_label(code)[0].isupper()
    with pytest.raises(ExerciseError, match="not a finding"):
        finding_label("knock_knees")


def test_core_is_hip_and_knee_and_covers_abduction_rotation_bridge_stepdown_wallsit():
    assert set(HIP_KNEE_CORE) >= {"side-lying-hip-abduction", "glute-bridge", "step-down", "wall-sit"}
    assert {"clamshell", "side-plank"} & set(HIP_KNEE_CORE)
    assert all(get_exercise(i).group is Group.HIP_KNEE for i in HIP_KNEE_CORE)


def test_programme_without_findings_is_exactly_the_core():
    assert [ex.id for ex in exercises_for([])] == list(HIP_KNEE_CORE)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(ENGINE_CODES + ("unknown_code",)), max_size=10),
       st.one_of(st.none(), st.integers(0, 8)))
def test_programme_always_starts_with_the_core_and_never_repeats(findings, per_finding):
    ids = [ex.id for ex in exercises_for(findings, per_finding=per_finding)]
    assert ids[: len(HIP_KNEE_CORE)] == list(HIP_KNEE_CORE)
    assert len(ids) == len(set(ids))
    for code in set(findings) & set(ENGINE_CODES):
        best = FINDING_EXERCISES[code][0]
        if per_finding != 0:
            assert best in ids, f"best exercise for {code} missing"


def test_programme_ranking_known_answer():
    ids = [ex.id for ex in exercises_for(["toe_out", "bang"], per_finding=2)]
    assert ids == [*HIP_KNEE_CORE, "knee-to-wall", "toe-raises", "big-toe-mobility", "heel-raise-bent-knee"]
    # Order of the findings decides ties; duplicates are dropped.
    ids = [ex.id for ex in exercises_for(["bang", "toe_out", "bang"], per_finding=1)]
    assert ids == [*HIP_KNEE_CORE, "toe-raises", "knee-to-wall"]


def test_matched_findings_reports_only_the_users_findings_it_serves():
    assert matched_findings(get_exercise("knee-to-wall"), ["bang", "toe_in", "toe_out"]) == ("bang", "toe_out")
    assert matched_findings(get_exercise("pogo-hops"), ["toe_in"]) == ()


def test_quad_heavy_exercises_are_after_run_only():
    assert get_exercise("step-down").after_run_only
    assert get_exercise("wall-sit").after_run_only
    assert not get_exercise("clamshell").after_run_only


def test_spring_work_has_prerequisite_and_gradual_warning():
    for ex in exercises_in_group(Group.SPRING):
        assert "20" in ex.prerequisite and "heel raise" in ex.prerequisite
        assert "3/10" in ex.prerequisite
        assert "gradual" in ex.warning.lower()


def test_core_evidence_is_labelled_strong_and_foot_work_as_adjunct():
    for ex_id in HIP_KNEE_CORE:
        assert "strong evidence" in get_exercise(ex_id).evidence
    for ex in exercises_in_group(Group.FOOT_ANKLE):
        assert "adjunct" in ex.evidence


@pytest.mark.parametrize("ex_id", ALL_IDS)
def test_every_picture_is_valid_svg_with_viewbox_and_title(ex_id: str):
    markup = exercise_picture(ex_id)
    root = ET.fromstring(markup)
    assert root.tag == f"{SVG_NS}svg"
    assert re.fullmatch(r"0 0 \d+ \d+", root.attrib["viewBox"])
    title = root.find(f"{SVG_NS}title")
    assert title is not None and title.text and title.text.strip()
    # Many pictures share a page: ids would collide; and nothing may load from elsewhere.
    assert all("id" not in el.attrib and not any("href" in k for k in el.attrib) for el in root.iter())
    assert len(list(root)) > 3, "picture has no drawing"


def test_pictures_exist_for_exactly_the_library():
    assert set(exercise_pictures.picture_ids()) == set(ALL_IDS)


@pytest.mark.parametrize("ex_id", ["pogo-hops", "band-inversion", "wall-sit"])
def test_links_have_the_exact_query_form(ex_id: str):
    assert exercise_link(ex_id) == f"exercises?ex={ex_id}"
    assert exercise_anchor(ex_id) == ex_id
    assert get_exercise(ex_id).link == f"exercises?ex={ex_id}"


def test_unknown_exercise_raises_typed_error():
    with pytest.raises(ExerciseError, match="no-such-thing") as info:
        get_exercise("no-such-thing")
    assert isinstance(info.value, GaitError)
    assert info.value.code == "unknown_exercise" and info.value.fix
    with pytest.raises(ExerciseError):
        exercise_link("no-such-thing")


def test_library_as_dicts_is_json_ready_and_complete():
    rows = library_as_dicts()
    text = json.dumps(rows)
    assert [r["id"] for r in rows] == ALL_IDS
    assert {f.name for f in fields(Exercise)} | {"link"} == set(rows[0])
    assert rows[0]["group"] in {g.value for g in Group}
    assert "exercises?ex=" in text


def _record(**changes):
    record = dict(exercise_data.EXERCISES[0])
    record.update(changes)
    return record


@pytest.mark.parametrize(
    ("records", "table", "message"),
    [
        ([_record(), _record()], {}, "duplicate"),
        ([_record(why="  ")], {"toe_in": (exercise_data.EXERCISES[0]["id"],)}, "empty 'why'"),
        ([_record()], {}, "serves no finding"),
        ([_record()], {"knock_knees": (exercise_data.EXERCISES[0]["id"],)}, "unknown finding"),
        ([_record()], {"toe_in": ("ghost",)}, "unknown exercise"),
        ([_record(steps=("one",))], {"toe_in": (exercise_data.EXERCISES[0]["id"],)}, "steps"),
        ([_record(group="spring")], {"toe_in": (exercise_data.EXERCISES[0]["id"],)}, "prerequisite"),
        ([_record(group="cardio")], {"toe_in": (exercise_data.EXERCISES[0]["id"],)}, "cardio"),
    ],
)
def test_loader_rejects_broken_data(records, table, message):
    with pytest.raises(ExerciseError, match=message):
        load_library(records, table)


def test_my_gait_modules_do_not_import_streamlit():
    root = Path(__file__).resolve().parents[1] / "gait" / "advice"
    for name in ("exercises.py", "exercise_data.py", "exercise_pictures.py", "plan.py"):
        assert "streamlit" not in (root / name).read_text(), name
