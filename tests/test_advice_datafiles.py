"""The advice data files (gait/advice/data/*.toml) load, and a broken file names the file and field."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gait.advice import exercise_data, guide
from gait.advice.datafiles import DATA_DIR, DataFileError, read_data_file
from gait.advice.exercise_data import EXERCISES_FILE, FINDINGS_FILE, load_exercise_data
from gait.advice.exercises import ExerciseError, all_exercises, finding_label, load_library
from gait.advice.guide import GUIDE_FILE, load_guide

ROOT = Path(__file__).resolve().parents[1]


def test_data_files_sit_in_the_package_and_are_toml():
    names = sorted(p.name for p in DATA_DIR.glob("*.toml"))
    assert names == ["exercises.toml", "findings.toml", "guide.toml"]
    assert {EXERCISES_FILE, FINDINGS_FILE, GUIDE_FILE} <= set(DATA_DIR.iterdir())


def test_exercise_files_load_into_the_module_values():
    loaded = load_exercise_data()
    assert loaded.exercises == exercise_data.EXERCISES
    assert loaded.finding_exercises == exercise_data.FINDING_EXERCISES
    assert [r["id"] for r in loaded.exercises] == [ex.id for ex in all_exercises()]
    assert len(loaded.exercises) >= 20 and len(loaded.finding_labels) >= 6
    # Evidence and sources are written out in full, not left as keys of the file.
    assert all(len(r["source"]) > 30 and " " in r["evidence"] for r in loaded.exercises)
    spring = [r for r in loaded.exercises if r["group"] == "spring"]
    assert spring and all(r["prerequisite"] and r["warning"] for r in spring)
    assert finding_label("toe_out") == loaded.finding_labels["toe_out"]


def test_guide_file_loads_into_the_module_values():
    loaded = load_guide()
    assert loaded.steps == guide.GUIDE_STEPS
    assert loaded.checklist == guide.CHECKLIST
    assert loaded.phone_how_tos == guide.PHONE_HOW_TOS
    assert len(loaded.steps) >= 5 and all(callable(step.picture) for step in loaded.steps)


def test_data_files_are_found_from_any_working_directory(tmp_path):
    code = (
        "from gait.advice import exercises, guide; "
        "print(len(exercises.all_exercises()), len(guide.GUIDE_STEPS))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                            cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(len(all_exercises())), str(len(guide.GUIDE_STEPS))]


def _edit(text: str, record_id: str, key: str, new_line: str | None) -> str:
    """Replace (or drop, when None) the ``key = ...`` line(s) of the record whose id is ``record_id``."""
    start = text.index(f'\nid = "{record_id}"\n')
    match = re.compile(rf"^{key} = .*$", re.MULTILINE).search(text, start)
    assert match is not None, (record_id, key)
    end = match.end()
    if match.group().endswith("["):  # a list over several lines, up to its closing bracket
        end = text.index("\n]", end) + 2
    replacement = "" if new_line is None else new_line
    return text[: match.start()] + replacement + text[end:]


def _broken_copy(tmp_path: Path, source: Path, record_id: str, key: str, new_line: str | None) -> Path:
    path = tmp_path / source.name
    path.write_text(_edit(source.read_text(encoding="utf-8"), record_id, key, new_line), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("key", "new_line", "expected"),
    [
        ("why", 'why = "  "', "field 'why' is empty"),
        ("why", "why = 3", "field 'why' should be text"),
        ("dose", None, "field 'dose' is missing"),
        ("dose", 'dosage = "3 sets"', "field 'dosage' is not a known field"),
        ("group", 'group = "cardio"', "field 'group' is 'cardio'"),
        ("evidence", 'evidence = "strong"', "field 'evidence' is 'strong'"),
        ("source", 'source = "lack_2051"', "field 'source' is 'lack_2051'"),
        ("steps", 'steps = "Lie on your side."', "field 'steps' should be a list"),
        ("name", 'name = "Clamshell', "not valid TOML"),
    ],
)
def test_broken_exercise_file_names_the_file_and_the_field(tmp_path, key, new_line, expected):
    path = _broken_copy(tmp_path, EXERCISES_FILE, "clamshell", key, new_line)
    with pytest.raises(DataFileError) as caught:
        load_exercise_data(exercises_file=path)
    message = caught.value.user_message
    assert "exercises.toml" in message and expected in message
    if expected != "not valid TOML":
        assert "[[exercise]] 'clamshell'" in message
    else:
        assert "line" in message
    assert "exercises.toml" in caught.value.fix


def test_broken_guide_file_names_the_file_and_the_field(tmp_path):
    path = _broken_copy(tmp_path, GUIDE_FILE, "barefoot", "picture", 'picture = "barefoot_and_short"')
    with pytest.raises(DataFileError, match=r"guide\.toml.*\[\[step\]\] 'barefoot', field 'picture'"):
        load_guide(path)
    path = _broken_copy(tmp_path, GUIDE_FILE, "distance", "id", 'id = "barefoot"')
    with pytest.raises(DataFileError, match=r"guide\.toml.*field 'id' repeats 'barefoot'"):
        load_guide(path)


def test_missing_file_is_a_friendly_error(tmp_path):
    with pytest.raises(DataFileError, match=r"nowhere\.toml is broken: the file is missing"):
        read_data_file(tmp_path / "nowhere.toml")


def test_ranking_that_names_an_unknown_exercise_names_the_files(tmp_path):
    path = tmp_path / "findings.toml"
    text = FINDINGS_FILE.read_text(encoding="utf-8")
    path.write_text(re.sub(r'^toe_out = \[', 'toe_out = [\n    "ghost-exercise",', text, count=1,
                           flags=re.MULTILINE), encoding="utf-8")
    data = load_exercise_data(findings_file=path)
    assert data.finding_exercises["toe_out"][0] == "ghost-exercise"
    with pytest.raises(ExerciseError, match=r"findings\.toml.*'toe_out' names unknown exercise 'ghost-exercise'"):
        load_library(data.exercises, data.finding_exercises, source=exercise_data.SOURCE_LABEL)
