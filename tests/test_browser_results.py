"""Real browser: the results page of two real clips on a 390x844 phone, then 360x800 in dark mode.

What a person sees: the landing pictures load, the words and the floor diagram agree, doubt reads
"unclear", the filming differences are said, the across-speeds table fits the screen, nothing
scrolls sideways. Screenshots go to artifacts/screenshots/ (results_*.png).
"""

from __future__ import annotations

import pytest

from tests.test_browser import CHROMIUM, CLIPS, SHOTS, no_sideways_scroll, server, shoot, wait_idle  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WALK = CLIPS / "walk_toward_camera_socks.mp4"
FAST = CLIPS / "walk_toward_camera_portrait_hevc.mov"


@pytest.fixture(scope="module")
def phone(server):  # noqa: F811 - the fixture
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                                      device_scale_factor=2, color_scheme="light")
        yield context.new_page()
        browser.close()


def _table_fits(pg) -> bool:
    return pg.evaluate("""() => Array.from(document.querySelectorAll('[data-testid="stTable"]')).every(
        t => t.scrollWidth <= t.clientWidth + 1 && t.getBoundingClientRect().right <= window.innerWidth + 1)""")


def test_results_page_on_small_phones_light_and_dark(server, phone):  # noqa: F811 - fixtures
    if not (WALK.exists() and FAST.exists()):
        pytest.skip("real clips missing")
    pg = phone
    pg.goto(f"{server}/analyse")
    pg.wait_for_selector("text=Two quick questions", timeout=60_000)
    wait_idle(pg)
    pg.locator('input[type="file"]').nth(0).set_input_files(str(WALK))
    pg.locator('input[type="file"]').nth(1).set_input_files(str(FAST))
    pg.locator('input[type="file"]').nth(2).set_input_files(str(WALK))  # a third column in the table, for its width
    pg.wait_for_timeout(1500)
    wait_idle(pg)
    pg.wait_for_selector("text=Shoes or socks", timeout=90_000)
    pg.get_by_text("Shoes or socks").tap()
    wait_idle(pg)
    pg.get_by_text("No", exact=True).tap()
    wait_idle(pg)
    pg.get_by_role("button", name="Analyse").tap()
    pg.wait_for_selector("text=See your results", timeout=300_000)
    wait_idle(pg)
    body = pg.inner_text("body")
    assert "filmed differently from the guide" in body  # socks, and fewer steps than asked
    assert "steady steps; the guide asks for 10" in body
    assert "frames/s" not in body and "\u00d7" not in body and ".video" not in body
    assert pg.get_by_role("button", name="Analyse").is_disabled()  # nothing left to analyse: not red any more
    shoot(pg, "results_analyse_390")

    pg.get_by_text("See your results").tap()
    pg.wait_for_selector("text=In brackets: how sure we are", timeout=60_000)
    wait_idle(pg)
    pg.wait_for_function("Array.from(document.images).length > 0 && "
                         "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)", timeout=30_000)
    body = pg.inner_text("body")
    assert "None" not in body and "Traceback" not in body
    assert "Landing direction: unclear" in body or "Lands " in body
    assert "In brackets: how sure we are" in body
    assert _table_fits(pg) and no_sideways_scroll(pg)
    assert pg.locator('[data-testid="stDataFrame"]').count() == 0  # no toolbar icons
    shoot(pg, "results_390_light")
    pg.locator('[data-testid="stTable"]').last.screenshot(path=str(SHOTS / "results_table_390_light.png"))

    pg.set_viewport_size({"width": 360, "height": 800})
    pg.emulate_media(color_scheme="dark")
    pg.wait_for_timeout(1500)
    wait_idle(pg)
    assert _table_fits(pg) and no_sideways_scroll(pg)
    shoot(pg, "results_360_dark")
    pg.locator('[data-testid="stTable"]').last.screenshot(path=str(SHOTS / "results_table_360_dark.png"))
