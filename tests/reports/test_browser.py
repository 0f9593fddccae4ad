"""The analyst report in a real browser: headless Chromium with the network cut off.

Opens the demo run's report.html, finds the top flag, expands it and its network view, and
saves a screenshot (path printed). Fails if the page requests anything that is not a local
file or logs a JavaScript error. Chromium comes from Debian's package (``make browser``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright import sync_api

CHROMIUM = Path(os.environ.get("REGLINK_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "bench" / "out"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: 'make browser' installs it", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing: run 'make browser'", allow_module_level=True)


@dataclass
class Watched:
    """A page with what it tried to fetch and the errors it logged."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    contexts = []

    def opener(path: Path) -> Watched:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        watched = Watched(page)

        def route(route: Any) -> None:
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                watched.requests.append(route.request.url)
                route.abort()

        page.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and watched.errors.append(m.text))
        page.on("pageerror", lambda e: watched.errors.append(str(e)))
        page.on("dialog", lambda d: (watched.dialogs.append(d.message), d.dismiss()))
        page.goto(path.resolve().as_uri())
        return watched

    yield opener
    for context in contexts:
        context.close()


def test_top_flag_network_view_renders_offline(demo_run: Path, open_page: Any) -> None:
    watched = open_page(demo_run / "report.html")
    page = watched.page
    top = page.locator("details.flag").first
    summary = top.locator("summary.flag-summary")
    assert "Named father of" in summary.inner_text()
    summary.click()
    network = top.locator("details.network")
    network.locator("> summary").click()
    host = network.locator(".net-host[data-rendered=true]")
    host.wait_for()
    nodes = host.locator("svg.net g.node")
    assert nodes.count() >= 30
    centre = host.locator("svg.net g.node.centre")
    assert centre.count() == 1
    births = host.locator("svg.net g.node[data-type=record]")
    assert births.count() >= 10
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "report-top-flag-network.png"
    network.scroll_into_view_if_needed()
    host.screenshot(path=str(shot))
    top.evaluate("el => el.scrollIntoView()")
    page.screenshot(path=str(SCREENSHOTS / "report-top-flag.png"))
    print(f"screenshots: {shot}, {SCREENSHOTS / 'report-top-flag.png'}")
    assert shot.stat().st_size > 10_000
    centre.click()
    info = host.locator(".net-info").inner_text()
    assert "person" in info and "births" in info  # the father's details panel
    assert watched.requests == []
    assert watched.errors == []


def test_filters_and_search_hide_other_flags(demo_run: Path, open_page: Any) -> None:
    watched = open_page(demo_run / "report.html")
    page = watched.page
    total = page.locator("details.flag").count()
    page.select_option("#filter-rule", "prolific_father")
    visible = page.locator("details.flag:not([hidden])")
    assert 1 <= visible.count() < total
    assert all(
        v == "prolific_father" for v in visible.evaluate_all("els => els.map(e => e.dataset.rule)")
    )
    page.select_option("#filter-rule", "")
    page.uncheck("input.filter-severity[value=high]")
    assert page.locator("details.flag[data-severity=high]:not([hidden])").count() == 0
    page.check("input.filter-severity[value=high]")
    page.fill("#filter-search", "no such words anywhere")
    assert page.locator("details.flag:not([hidden])").count() == 0
    assert "showing 0 of" in page.locator("#flag-count").inner_text()
    assert watched.requests == [] and watched.errors == []


def test_hostile_report_and_stats_pages_run_no_injected_code(
    hostile_run: Path, open_page: Any
) -> None:
    for name in ("report.html", "stats.html"):
        watched = open_page(hostile_run / name)
        if name == "report.html":
            for flag in watched.page.locator("details.flag").all()[:3]:
                flag.locator("summary.flag-summary").click()
                flag.locator("details.network > summary").click()
        assert watched.dialogs == [], name
        assert watched.requests == [], name
        assert watched.errors == [], name
