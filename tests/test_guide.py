"""The filming guide data: every step has words and a well-formed, self-contained picture."""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gait.advice import guide_pictures
from gait.advice.guide import (
    CHECKLIST,
    GUIDE_STEPS,
    PHONE_HOW_TOS,
    UnknownChecklistItemError,
    checklist_remaining,
)

SVG_NS = "{http://www.w3.org/2000/svg}"
STEP_IDS = [step.step_id for step in GUIDE_STEPS]
# At 360 px screen width about 328 px of content shows the 320-unit viewBox, so 16 units is ~16 px.
MIN_FONT_SIZE_UNITS = 16


@pytest.mark.parametrize("step", GUIDE_STEPS, ids=STEP_IDS)
def test_step_has_title_text_and_picture_with_viewbox(step):
    assert step.title.strip()
    assert step.text.strip()
    root = ET.fromstring(step.picture())
    assert root.tag == f"{SVG_NS}svg"
    view_box = [float(v) for v in root.attrib["viewBox"].split()]
    assert len(view_box) == 4 and view_box[2] > 0 and view_box[3] > 0
    title = root.find(f"{SVG_NS}title")
    assert title is not None and title.text and title.text.strip()


@pytest.mark.parametrize("step", GUIDE_STEPS, ids=STEP_IDS)
def test_picture_text_is_large_enough_to_read_on_a_phone(step):
    root = ET.fromstring(step.picture())
    view_width = float(root.attrib["viewBox"].split()[2])
    for text in root.iter(f"{SVG_NS}text"):
        font_size = float(text.attrib["font-size"])
        # Scale to a 320-unit width so a wider viewBox cannot hide small text.
        assert font_size * 320 / view_width >= MIN_FONT_SIZE_UNITS, text.text


@pytest.mark.parametrize("step", GUIDE_STEPS, ids=STEP_IDS)
def test_picture_is_self_contained_and_markdown_safe(step):
    markup = step.picture()
    # No external images, fonts or scripts at run time.
    assert "<image" not in markup and "<script" not in markup and "href" not in markup
    assert re.findall(r"https?://[^\"']+", markup) == ["http://www.w3.org/2000/svg"]
    # Blank lines or indentation would end the HTML block inside st.markdown.
    assert "\n" not in markup


def test_picture_ids_do_not_clash_on_one_page():
    ids = [el.attrib["id"] for step in GUIDE_STEPS for el in ET.fromstring(step.picture()).iter() if "id" in el.attrib]
    assert len(ids) == len(set(ids)) >= len(GUIDE_STEPS)


def test_every_picture_function_is_used_once():
    used = [step.picture.__name__ for step in GUIDE_STEPS]
    assert sorted(used) == sorted(guide_pictures.__all__)


def test_step_ids_and_titles_unique():
    assert len(set(STEP_IDS)) == len(STEP_IDS)
    assert len({step.title for step in GUIDE_STEPS}) == len(GUIDE_STEPS)


def test_checklist_items_unique_and_complete():
    ids = [item.item_id for item in CHECKLIST]
    labels = [item.label for item in CHECKLIST]
    assert len(set(ids)) == len(ids)
    assert len(set(labels)) == len(labels)
    joined = " ".join(labels).lower()
    for words in ("barefoot", "knees and ankles", "knee height", "4–6 m", "straight", "light",
                  "start moving", "10 steps", "three takes", "main (back) camera"):
        assert words in joined


def test_checklist_remaining_counts_unticked():
    assert checklist_remaining({}) == len(CHECKLIST)
    all_ticked = {item.item_id: True for item in CHECKLIST}
    assert checklist_remaining(all_ticked) == 0
    assert checklist_remaining(all_ticked | {CHECKLIST[0].item_id: False}) == 1


def test_checklist_remaining_rejects_unknown_item():
    with pytest.raises(UnknownChecklistItemError, match="bare_foot"):
        checklist_remaining({"bare_foot": True})


def test_phone_how_tos_cover_iphone_and_android():
    assert [how_to.platform for how_to in PHONE_HOW_TOS] == ["iPhone", "Android"]
    for how_to in PHONE_HOW_TOS:
        assert how_to.film_steps and how_to.upload_steps
        assert any("upload box" in s for s in how_to.upload_steps)


def test_gait_modules_do_not_import_streamlit():
    code = (
        "import sys, gait.advice.safety, gait.advice.guide, gait.advice.guide_pictures; "
        "sys.exit(1 if 'streamlit' in sys.modules else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.returncode == 0, result.stderr
