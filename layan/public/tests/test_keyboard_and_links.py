"""The two serious axe findings, checked in Chromium at 360 px.

The SOP table is wider than a phone and scrolls in its container: a keyboard user
must be able to reach the container and scroll it. Links inside text are told apart
from the text by an underline, not by colour alone.
"""

import time

import pytest

pytestmark = pytest.mark.browser

SOP = "/blitar/layanan/surat-keterangan-kip/sop/"


def tab_to(page, selector: str, *, limit: int = 60) -> bool:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return True
    return False


def eventually(region, script: str, *, seconds: float = 3.0) -> bool:
    """Whether `script` (a function of the element) turns true; scrolling may be smooth.

    The site's CSP forbids the string evaluation wait_for_function uses.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if region.evaluate(script):
            return True
        time.sleep(0.05)
    return False


def test_the_sop_table_is_reached_and_scrolled_with_the_keyboard(live_server, seeded, page):
    page.goto(live_server.url + SOP)
    region = page.get_by_role("region", name="Uraian prosedur")
    assert region.count() == 1
    wide = region.evaluate("el => el.scrollWidth > el.clientWidth")
    assert wide, "at 360 px the SOP table should be wider than its container"
    assert tab_to(page, ".table-wrap.sop-steps")
    # The focus is seen: an outline of its own, not the browser's faint default.
    outline = region.evaluate(
        "el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth"
    )
    assert outline == "solid 3px"
    assert region.evaluate("el => el.scrollLeft") == 0
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert eventually(region, "el => el.scrollLeft > 0")
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    assert eventually(region, "el => el.scrollLeft === 0")
    assert page.errors == []


SCROLLS_WITHOUT_FOCUS = """
() => [...document.querySelectorAll('main *')]
  .filter(el => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
  .filter(el => el.tabIndex < 0 && !el.classList.contains('sr-only'))
  .map(el => el.className || el.tagName)
"""


@pytest.mark.parametrize(
    "url",
    [
        SOP,
        "/bima/layanan/rekomendasi-pip/sop/",
        "/bone/layanan/rekomendasi-kip/sop/",
        "/banyuasin/layanan/usulan-baru-dtks-bansos/sop/",
        "/mataram/layanan/pengaduan-slrt/sop/",
    ],
)
def test_every_region_that_scrolls_sideways_takes_the_focus(live_server, seeded, page, url):
    # The identity block fits the phone (its cells break), so only the step table scrolls;
    # .sr-only text is clipped on purpose, not scrolled.
    page.goto(live_server.url + url)
    assert page.evaluate(SCROLLS_WITHOUT_FOCUS) == []


UNDERLINE_MISSING = """
() => [...document.querySelectorAll('main :is(p, li, dd, td) a:not(.button)')]
  .filter(a => !getComputedStyle(a).textDecorationLine.includes('underline'))
  .map(a => a.textContent.trim())
"""


@pytest.mark.parametrize(
    "url",
    [
        "/bone/",
        "/mataram/",
        "/bone/layanan/rekomendasi-kip/",
        SOP,
        "/",
        "/tidak-ada/",
    ],
)
def test_links_in_text_are_underlined(live_server, seeded, page, url):
    page.goto(live_server.url + url)
    in_text = page.evaluate("document.querySelectorAll('main :is(p, li, dd, td) a').length")
    assert in_text > 0, "the page should have links in text to check"
    assert page.evaluate(UNDERLINE_MISSING) == []
