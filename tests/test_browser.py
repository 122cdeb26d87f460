"""The web UI in a real browser: Debian's Chromium driven by Playwright, against `newsgraph serve`
over the demo knowledge base on a free 127.0.0.1 port.

Playwright's own browsers are never downloaded: it launches /usr/bin/chromium (make test and
.ci/run install it). Without Chromium these tests skip, except with CI=true, where they fail.
Every page a test opens must log no console error (a Content-Security-Policy violation is one)
and no failed request.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import urllib.request
from pathlib import Path

import pytest
from served import served

# NEWSGRAPH_CHROMIUM: another Chromium build to drive (a path), if not Debian's
CHROMIUM = os.environ.get("NEWSGRAPH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
VENDOR = Path(__file__).resolve().parents[1] / "src" / "newsgraph" / "web" / "static" / "vendor"


def _missing(what: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests need {what} with CI=true")
    pytest.skip(f"browser tests skipped: {what} missing")


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package (make install)")
    if not Path(CHROMIUM).exists():
        _missing("Debian's chromium (make system-packages)")
    if not (VENDOR / "d3.min.js").exists():
        _missing("the front-end libraries in web/static/vendor (make install runs npm ci)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(demo_db):
    """Base URL of `newsgraph serve --db demo_db` on a free port, stopped after the module."""
    with served(demo_db) as base:
        yield base


def api(base: str, path: str):
    with urllib.request.urlopen(base + path, timeout=20) as r:
        return json.load(r)


@pytest.fixture
def page(browser, server):
    """A fresh page whose console errors and failed requests fail the test."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    problems: list[str] = []

    def on_console(msg):
        # The pages name their icon, so even Chromium's own /favicon.ico request must not fail.
        if msg.type == "error":
            problems.append(f"console: {msg.text} ({msg.location.get('url')})")

    pg.on("console", on_console)
    pg.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    pg.on("response", lambda r: r.status >= 400 and problems.append(f"{r.url} answered {r.status}"))
    pg.base = server
    yield pg
    context.close()
    assert not problems, problems


def drawn(pg, timeout=20000) -> None:
    """Wait until every drawing on the page has finished, and check none failed.
    (wait_for_function would need eval, which the page's CSP rightly refuses.)"""
    pg.wait_for_selector(".viz[data-viz]:not([data-drawn])", state="detached", timeout=timeout)
    failed = [b.get_attribute("data-viz") for b in pg.query_selector_all(".viz[data-drawn=error]")]
    assert not failed, f"drawings failed: {failed}"


def person_with_dated_events(base: str) -> dict:
    """Of the people named Aliyev, the one with the most dated events (then the most places)."""
    best = None
    for h in api(base, "/api/search?q=Aliyev")["entities"]:
        if h["type"] == "PERSON":
            score = (len(api(base, f"/api/viz/entities/{h['id']}/timeline")["items"]), len(api(base, f"/api/viz/entities/{h['id']}/places")["places"]))
            if best is None or score > best[0]:
                best = (score, h)
    assert best and min(best[0]) > 0, "no person named Aliyev with dated events and places in the demo corpus"
    return best[1]


def test_search_for_a_name_and_open_the_entity(page):
    person = person_with_dated_events(page.base)
    page.goto(page.base + "/")
    box = page.locator("header input[name=q]")
    box.fill(person["name"])
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    page.locator(f"a[href='/entities/{person['id']}']").first.click()
    page.wait_for_url(f"**/entities/{person['id']}")
    assert person["name"] in page.locator("h1").inner_text()
    drawn(page)


def test_an_event_on_the_timeline_opens_its_sentence_highlighted(page):
    person = person_with_dated_events(page.base)
    page.goto(page.base + f"/entities/{person['id']}")
    drawn(page)
    items = page.locator(".viz-timeline a:has(rect.item)")
    assert items.count() == len(api(page.base, f"/api/viz/entities/{person['id']}/timeline")["items"])
    href = items.first.get_attribute("href")
    doc, start = re.fullmatch(r"/documents/(\w+)#s(\d+)", href).groups()
    items.first.click()
    page.wait_for_url(f"**/documents/{doc}#s{start}")
    target = page.locator(".sent:target")
    assert target.count() == 1 and target.get_attribute("id") == f"s{start}"
    # The sentence is the one the event stands on, and it is drawn highlighted.
    events = {e["id"]: e for e in api(page.base, f"/api/entities/{person['id']}")["events"]}
    sentences = {(e["doc"], e["sentence"]["start"]): e["sentence"]["text"] for e in events.values()}
    assert target.inner_text().split() == sentences[(doc, int(start))].split()
    background = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_map_draws_country_outlines_and_the_places(page):
    person = person_with_dated_events(page.base)
    places = [p for p in api(page.base, f"/api/viz/entities/{person['id']}/places")["places"]]
    assert places
    page.goto(page.base + f"/entities/{person['id']}")
    drawn(page)
    assert page.locator(".viz-map path.country").count() > 200  # Natural Earth 1:50m has 241
    points = page.locator(".viz-map circle.place")
    assert 1 <= points.count() <= len(places)
    # A city is drawn inside its own country's outline: the projection and the outlines agree.
    inside = page.evaluate(
        """() => [...document.querySelectorAll('.viz-map circle.place:not(.coarse)')].map(c => {
            const shape = document.querySelector(`.viz-map path.country[data-country="${c.dataset.country}"]`);
            return shape !== null && shape.isPointInFill(new DOMPoint(+c.getAttribute('cx'), +c.getAttribute('cy')));
        })"""
    )
    assert inside and sum(inside) / len(inside) >= 0.7, inside
    # Zooming in scales the map and keeps the points' size on screen.
    before = points.first.bounding_box()
    page.get_by_role("button", name="Zoom in").click()
    page.wait_for_timeout(600)
    assert "scale(2)" in page.locator(".viz-map g.zoomable").get_attribute("transform")
    after = points.first.bounding_box()
    assert abs(after["width"] - before["width"]) < 1.5


def test_events_timeline_draws_each_dated_event_as_wide_as_its_date(page):
    data = api(page.base, "/api/viz/events")
    page.goto(page.base + "/events")
    drawn(page)
    rects = page.locator(".viz-timeline rect.item")
    assert rects.count() == len(data["items"]) > 0
    widths: dict[str, list[float]] = {}
    for r in rects.all():
        precision = next(c[2:] for c in r.get_attribute("class").split() if c.startswith("p-"))
        widths.setdefault(precision, []).append(float(r.get_attribute("width")))
    assert {"year", "day"} <= widths.keys(), widths
    assert min(widths["year"]) > 10 * max(widths["day"])
    if "month" in widths:
        assert min(widths["year"]) > max(widths["month"]) > 0
    assert page.locator(".viz-map path.country").count() > 200 and page.locator(".viz-map circle.place").count() > 0
    # The page's filters reach the drawings: one type, one row of bars.
    kind = max({i["type"] for i in data["items"]}, key=lambda t: (sum(i["type"] == t for i in data["items"]), t))
    page.goto(page.base + f"/events?type={kind}")
    drawn(page)
    assert page.locator(".viz-timeline .rowlabel").all_text_contents() == [kind]
    assert page.locator(".viz-timeline rect.item").count() == sum(i["type"] == kind for i in data["items"])


def test_home_histogram_and_network_are_drawn(page):
    months = api(page.base, "/api/viz/documents/by-month")["months"]
    page.goto(page.base + "/")
    drawn(page)
    assert page.locator(".viz-histogram rect.bar:not(.copies)").count() == len(months)
    person = person_with_dated_events(page.base)
    net = api(page.base, f"/api/viz/entities/{person['id']}/network")
    page.goto(page.base + f"/entities/{person['id']}")
    drawn(page)
    assert page.locator(".viz-network circle.node").count() == len(net["nodes"]) + 4  # + the legend's 4
    assert page.locator(".viz-network circle.node.ego").count() == 1
    assert page.locator(".viz-network line.link").count() == len(net["links"])


def test_figures_page_draws_a_chart_per_group(page):
    page.goto(page.base + "/figures")
    drawn(page)
    boxes = page.locator(".viz[data-viz=chart]")
    for i in range(boxes.count()):
        group = boxes.nth(i).get_attribute("data-src").rsplit("/", 1)[1]
        points = [p for p in api(page.base, f"/api/viz/claims/{group}")["points"] if any(p[k] is not None for k in ("value", "lower", "upper"))]
        assert boxes.nth(i).locator("circle.dot").count() == len(points)


def test_too_many_events_are_drawn_as_counts_per_type_and_year(page):
    # The demo corpus is small: ask the real server for a timeline cut at 3 events, as a large
    # base would cut it at 2,000, by rewriting the page's request.
    def cut(route):
        route.continue_(url=route.request.url + ("&" if "?" in route.request.url else "?") + "limit=3")

    page.route(re.compile(r".*/api/viz/events\?.*"), cut)
    data = api(page.base, "/api/viz/events?limit=3")
    page.goto(page.base + "/events")
    drawn(page)
    cells = page.locator(".viz-timeline a:has(rect.cell)")
    assert cells.count() == len(data["by_year"]) > 0 and page.locator(".viz-timeline rect.item").count() == 0
    first = data["by_year"][0]
    href = cells.first.get_attribute("href")
    assert f"type={first['type']}" in href and f"since={first['year']}" in href and f"until={first['year']}" in href
    page.unroute(re.compile(r".*/api/viz/events\?.*"))
    cells.first.click()
    page.wait_for_url(re.compile(r"/events\?"))
    drawn(page)
    assert set(page.locator(".viz-timeline .rowlabel").all_text_contents()) == {first["type"]}
    assert page.locator(".viz-timeline rect.item").count() == first["count"]
