"""The HTML map in a real headless Chromium: loads offline, clicks, escapes."""

import pytest

from argmap.graph.build import build_graph
from argmap.graph.maps import render_store

pytestmark = pytest.mark.browser


def open_page(browser, path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    events = {"console": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: events["console"].append((m.type, m.text)))
    page.on("pageerror", lambda e: events["console"].append(("pageerror", str(e))))
    page.on("request", lambda r: events["requests"].append(r.url))
    page.on("dialog", lambda d: (events["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)
    return page, events


def click_node(page, node_id):
    """Click where vis-network drew the node, as a person would."""
    box = page.evaluate("""(id) => {
        const p = window.argmap.network.getPosition(id);
        const d = window.argmap.network.canvasToDOM(p);
        const r = document.getElementById('mynetwork').getBoundingClientRect();
        return {x: r.left + d.x, y: r.top + d.y};
    }""", node_id)
    page.mouse.click(box["x"], box["y"])


def test_demo_map_loads_offline_and_shows_details_on_click(browser, demo_store, tmp_path):
    path = render_store(demo_store, tmp_path / "demo.html", title="demo")
    page, events = open_page(browser, path)
    assert [c for c in events["console"] if c[0] in ("error", "pageerror")] == []
    assert all(u.startswith("file://") for u in events["requests"]), events["requests"]
    assert page.evaluate("window.argmap.nodes.length") == build_graph(demo_store).number_of_nodes()
    page.evaluate("window.argmap.network.moveTo({position: window.argmap.network.getPosition('evolution-prior'), scale: 1})")
    click_node(page, "evolution-prior")
    details = page.locator("#details")
    link = details.locator("a.goto", has_text="genome-too-small")
    link.wait_for(timeout=5_000)
    assert "Many billions of years of evolution" in details.inner_text()
    assert "OUT" in details.inner_text() and "defeated by genome-too-small" in details.inner_text()
    link.click()
    assert page.locator("#details h2").inner_text() == "genome-too-small"
    page.screenshot(path=str(tmp_path / "demo.png"))


def test_hostile_text_runs_nothing(browser, store, tmp_path):
    store.add_claim("<img src=x onerror=alert(1)>", claim_id="t", kind="thesis")
    store.object("t", "</script><script>alert(2)</script>", "o1")
    store.object("t", '"><svg onload=alert(3)>', "o2")
    path = render_store(store, tmp_path / "hostile.html")
    page, events = open_page(browser, path)
    page.evaluate("window.argmap.showDetails('t')")
    assert page.locator("#details .text").inner_text() == "<img src=x onerror=alert(1)>"
    page.evaluate("window.argmap.showDetails('o1')")
    assert page.locator("#details .text").inner_text() == "</script><script>alert(2)</script>"
    page.wait_for_timeout(300)
    assert events["dialogs"] == []
    assert page.locator("#details img, #details svg, #details script").count() == 0
