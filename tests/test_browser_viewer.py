"""Real browser: the landing viewer on a phone (390x844), on a real clip analysed by a real server.

Screenshots go to ``artifacts/screenshots/viewer_*.png``.
"""

from __future__ import annotations

import time

import pytest

from tests.test_browser import (CLIPS, SHOTS, browser, no_sideways_scroll, past_the_safety_screen, phone,  # noqa: F401
                                server, shoot, tap_button, wait_idle)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _viewer_image(pg) -> bytes:
    """The pixels of the viewer's picture as the person sees it."""
    return pg.locator('[data-testid="stImage"] img').nth(_viewer_image_index(pg)).screenshot()


def _viewer_image_index(pg) -> int:
    # The viewer's picture is the first image after its heading.
    return pg.evaluate("""() => {
        const heading = Array.from(document.querySelectorAll('h3')).find(h => h.innerText.includes('frame by frame'));
        const imgs = Array.from(document.querySelectorAll('[data-testid="stImage"] img'));
        return imgs.findIndex(i => heading.compareDocumentPosition(i) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")


def _caption(pg) -> str:
    return pg.locator("p", has_text="from contact ·").first.inner_text()


@pytest.fixture()
def page(server, browser):  # noqa: F811 - fixtures
    """A 390x844 touch phone that has answered the safety screen and reached the upload page."""
    ctx, pg = phone(browser)
    past_the_safety_screen(pg, server)
    boxes = pg.locator('[data-testid="stCheckbox"] label')
    for i in range(boxes.count()):
        boxes.nth(i).tap()
        pg.wait_for_timeout(250)
    wait_idle(pg)
    tap_button(pg, "Next: upload your clips")
    yield pg
    ctx.close()


def test_viewer_steps_through_frames_on_a_phone(server, page):  # noqa: F811 - fixtures
    if not (CLIPS / "walk_toward_camera_socks.mp4").exists():
        pytest.skip("real clips missing")
    page.wait_for_selector('h1:has-text("Upload and analyse")', timeout=60_000)
    wait_idle(page)
    page.locator('input[type="file"]').nth(0).set_input_files(str(CLIPS / "walk_toward_camera_socks.mp4"))
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="Analyse").click()
    page.wait_for_selector("text=Clip usable", timeout=240_000)
    wait_idle(page)
    tap_button(page, "See your results")
    page.wait_for_selector("text=Watch each landing, frame by frame", timeout=60_000)
    wait_idle(page)
    page.get_by_text("Watch each landing, frame by frame").scroll_into_view_if_needed()
    page.wait_for_function("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)",
                           timeout=30_000)
    page.screenshot(path=str(SHOTS / "viewer_open.png"))
    first_caption, first_image = _caption(page), _viewer_image(page)
    assert "contact" in first_caption

    # Thumb-sized controls: at least 44 px tall, and each pair side by side on the phone's width.
    nxt = page.get_by_role("button", name="Frame ▶")
    box = nxt.bounding_box()
    assert box is not None and box["height"] >= 48 and box["width"] >= 120
    prev_box = page.get_by_role("button", name="◀ Frame").bounding_box()
    assert prev_box is not None and abs(prev_box["y"] - box["y"]) < 4  # same row

    seen = [first_image]
    answer_s = []
    for _ in range(3):
        before = _caption(page)
        t0 = time.perf_counter()
        nxt.click()
        page.wait_for_function("(before) => Array.from(document.querySelectorAll('p')).some("
                               "p => p.innerText.includes('from contact ·') && p.innerText !== before)",
                               arg=before, timeout=10_000)
        answer_s.append(time.perf_counter() - t0)
        wait_idle(page)
        seen.append(_viewer_image(page))
    page.screenshot(path=str(SHOTS / "viewer_after_3_frames.png"))
    assert _caption(page) != first_caption
    assert len(set(seen)) == len(seen), "each frame must show a different picture"
    # How long a tap takes to show the next frame (recorded, not asserted: speed belongs in gait.bench).
    (SHOTS / "viewer_tap_seconds.txt").write_text(" ".join(f"{t:.2f}" for t in answer_s) + "\n")

    page.locator("button", has_text="Step").nth(1).click()  # the next-step button
    wait_idle(page)
    assert "contact" in _caption(page)
    assert _viewer_image(page) not in seen

    page.get_by_text("Left and right together").scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / "viewer_pair.png"))
    # The side-by-side clip plays in the browser (H.264 MP4), and downloads whole.
    page.wait_for_function("() => { const v = document.querySelector('video'); return v && v.duration > 0; }",
                           timeout=20_000)
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Download the slow-motion clip for your physio").click()
    saved = SHOTS / "viewer_clip.mp4"
    download.value.save_as(str(saved))
    import av

    with av.open(str(saved)) as container:
        stream = container.streams.video[0]
        n = sum(1 for _ in container.decode(stream))
        assert stream.codec_context.name == "h264" and n >= 20
    assert no_sideways_scroll(page)
    shoot(page, "viewer_results_page")
