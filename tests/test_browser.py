"""Real browser: headless Debian Chromium at 390x844 against a real `streamlit run` server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLIPS = ROOT.parent / "shared" / "clips"
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false", "--server.port", str(port),
                             "--server.address", "127.0.0.1"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        pg = browser.new_page(viewport={"width": 390, "height": 844})
        yield pg
        browser.close()


def wait_idle(pg, timeout_s: float = 180) -> None:
    """Wait until the app has stopped running its script."""
    pg.wait_for_timeout(500)
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if pg.locator('[data-testid="stStatusWidget"]').count() == 0:
            return
        pg.wait_for_timeout(300)


def no_sideways_scroll(pg) -> bool:
    """Neither the page nor Streamlit's own scrolling main area is wider than the screen."""
    return pg.evaluate("""() => {
        const w = window.innerWidth + 1;
        const main = document.querySelector('[data-testid="stMain"]') || document.body;
        return document.documentElement.scrollWidth <= w && main.scrollWidth <= main.clientWidth + 1;
    }""")


def shoot(pg, name: str) -> None:
    """A screenshot of the whole page: grow the window to the content, then shrink back."""
    height = pg.evaluate("""() => { const m = document.querySelector('[data-testid="stMain"]');
                                    return m ? m.scrollHeight : document.body.scrollHeight; }""")
    size = pg.viewport_size
    pg.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height) + 80, 6000))})
    pg.wait_for_timeout(600)
    pg.screenshot(path=str(SHOTS / f"{name}.png"))
    pg.set_viewport_size(size)


def test_journey_on_a_phone(server, page):
    if not (CLIPS / "walk_toward_camera_socks.mp4").exists():
        pytest.skip("real clips missing")
    page.goto(f"{server}/start")
    page.wait_for_selector("text=Continue to the filming guide", timeout=60_000)
    wait_idle(page)
    shoot(page, "start")
    assert no_sideways_scroll(page)
    page.get_by_text("Continue to the filming guide").click()
    page.wait_for_selector("text=Ready to film?", timeout=60_000)
    wait_idle(page)
    boxes = page.locator('[data-testid="stCheckbox"] label')
    for i in range(boxes.count()):
        boxes.nth(i).click()
        page.wait_for_timeout(250)
    page.wait_for_selector("text=All set", timeout=30_000)
    shoot(page, "guide")
    assert no_sideways_scroll(page)
    page.get_by_text("All set").click()
    page.wait_for_selector("text=Upload and analyse", timeout=60_000)
    wait_idle(page)
    page.locator('input[type="file"]').nth(0).set_input_files(str(CLIPS / "walk_toward_camera_socks.mp4"))
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="Analyse").click()
    page.wait_for_selector("text=Clip usable", timeout=240_000)
    wait_idle(page)
    shoot(page, "analyse")
    assert no_sideways_scroll(page)

    page.get_by_text("See your results").click()
    page.wait_for_selector("text=Your results", timeout=60_000)
    page.wait_for_selector("text=Right foot", timeout=60_000)
    wait_idle(page)
    # The landing pictures must really load (not a broken image).
    page.wait_for_function("Array.from(document.images).length > 0 && "
                           "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)", timeout=30_000)
    shoot(page, "results")
    body = page.inner_text("body")
    assert "Left foot" in body and "Right foot" in body
    # Judged, or below the confidence floor and then said to be unclear (never doubt printed as fact).
    assert "Lands " in body or "Landing direction: unclear" in body
    assert "springs" in body.lower() or "bangs" in body.lower() or "Spring or bang: unclear" in body
    assert page.locator('a[href*="exercises?ex="]').count() > 0 or "Nothing here stands out" in body
    assert no_sideways_scroll(page)

    # A PNG renamed .mp4 shows the friendly message in place, the walk result is kept.
    bad = SHOTS.parent / "photo.mp4"
    import cv2
    import numpy as np

    bad.write_bytes(cv2.imencode(".png", np.zeros((64, 64, 3), np.uint8))[1].tobytes())
    page.get_by_text("Add or change clips").click()  # in-app link: the same session keeps its results
    page.wait_for_selector("text=Clip usable", timeout=60_000)
    wait_idle(page)
    page.locator('input[type="file"]').nth(1).set_input_files(str(bad))
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="Analyse").click()
    page.wait_for_selector("text=What to do", timeout=120_000)
    wait_idle(page)
    shoot(page, "analyse_error")
    body = page.inner_text("body")
    assert "Traceback" not in body
    assert "photo.mp4" in body and ("not a video" in body or "no video in it" in body)
    assert "Clip usable" in body  # the walk slot kept its result

    page.goto(f"{server}/exercises")
    page.wait_for_selector("h1", timeout=60_000)
    wait_idle(page)
    shoot(page, "exercises")
    assert no_sideways_scroll(page)


@pytest.mark.parametrize("path", ["start", "guide", "analyse", "results", "exercises", "back_to_running", "report"])
def test_every_page_fits_a_small_phone(server, page, path):
    """360x800: no sideways scrolling, and the page's title is there."""
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{server}/{path}")
    page.wait_for_selector("h1", timeout=60_000)
    wait_idle(page)
    assert no_sideways_scroll(page), path
    shoot(page, f"small_{path}")
    page.set_viewport_size({"width": 390, "height": 844})
