"""The HTML map in a real headless Chromium: offline, clickable, searchable, focusable, safe, and large."""

import sys
from pathlib import Path

import networkx as nx
import pytest

from argmap.graph.maps import render_store
from argmap.graph.render import render_html

sys.path.insert(0, str(Path(__file__).resolve().parent / "helpers"))
from pages import open_page  # noqa: E402
from picture import assert_clean, in_view  # noqa: E402

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def visible_count(page):
    return int(page.get_attribute("body", "data-visible"))


def click_node(page, node_id):
    """Click where vis-network drew the node, as a person would."""
    page.evaluate("(id) => window.argmap.network.moveTo({position: window.argmap.network.getPosition(id), scale: 1})",
                  node_id)
    box = page.evaluate("""(id) => {
        const d = window.argmap.network.canvasToDOM(window.argmap.network.getPosition(id));
        const r = document.getElementById('mynetwork').getBoundingClientRect();
        return {x: r.left + d.x, y: r.top + d.y};
    }""", node_id)
    page.mouse.click(box["x"], box["y"])


@pytest.fixture
def demo_page(browser, demo_store, tmp_path):
    path = render_store(demo_store, tmp_path / "demo.html", title="Is the sample-efficiency gap a black hole?")
    page, events = open_page(browser, path)
    yield page, events, demo_store
    page.close()


def test_demo_map_loads_offline_with_no_console_error(demo_page):
    page, events, store = demo_page
    assert [c for c in events["console"] if c[0] in ("error", "pageerror", "warning")] == []
    assert all(u.startswith("file://") for u in events["requests"]), events["requests"]
    assert page.evaluate("window.argmap.nodes.length") == store.read_map().to_networkx().number_of_nodes()
    summary = page.inner_text("#summary")
    assert "24 claims" in summary and "1 thesis" in summary and "IN" in summary and "OUT" in summary
    assert "Legend" in page.inner_text("#legend")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "demo-map.png"))


def test_clicking_a_node_shows_its_details_and_links_move_the_view(demo_page):
    page, _, _ = demo_page
    click_node(page, "evolution-prior")
    details = page.locator("#details")
    link = details.locator("a.goto", has_text="genome-too-small")
    link.wait_for(timeout=5_000)
    text = details.inner_text()
    assert "Many billions of years of evolution" in text and "The sample efficiency black hole" in text
    assert "OUT" in text and "defeated by genome-too-small" in text and "strength" in text
    link.click()
    assert page.locator("#details h2").inner_text() == "genome-too-small"
    assert page.evaluate("window.argmap.network.getSelectedNodes()") == ["genome-too-small"]
    click_node(page, "language-exposure-gap")
    text = page.locator("#details").inner_text()
    assert "c1" in text and "wph * hours_awake" in text and "check: holds" in text and "check: partly" in text
    assert "2,000 words an hour" in text  # the quote an input comes from


def test_search_finds_a_claim(demo_page):
    page, _, _ = demo_page
    page.fill("#search", "genome")
    assert "1 found" in page.inner_text("#search-count")
    page.locator("#search-results button", has_text="genome-too-small").click()
    assert page.locator("#details h2").inner_text() == "genome-too-small"
    page.fill("#search", "chinchilla")
    page.press("#search", "Enter")
    assert page.locator("#details h2").inner_text() == "chinchilla-one-oom"
    page.fill("#search", "no such words anywhere")
    assert "0 found" in page.inner_text("#search-count")


def test_focus_narrows_the_nodes_and_whole_map_restores_them(demo_page):
    page, _, _ = demo_page
    assert visible_count(page) == 24
    page.evaluate("window.argmap.showDetails('evolution-prior')")
    page.fill("#focus-depth", "1")
    page.click("#focus-btn")
    assert visible_count(page) == 5
    hidden = page.evaluate("window.argmap.nodes.get({filter: n => n.hidden}).map(n => n.id)")
    assert "driving-gap" in hidden and "genome-too-small" not in hidden
    page.fill("#focus-depth", "0")
    page.dispatch_event("#focus-depth", "change")
    assert visible_count(page) == 1
    page.click("#whole-btn")
    assert visible_count(page) == 24


def test_filters_by_kind_and_status(demo_page):
    page, _, store = demo_page
    objections = len(store.list_claims("objection"))
    page.uncheck("input.filter-kind[value='objection']")
    assert visible_count(page) == 24 - objections
    page.check("input.filter-kind[value='objection']")
    page.uncheck("input.filter-status[value='OUT']")
    out = page.evaluate("window.argmap.data.nodes.filter(n => n.status === 'OUT').length")
    assert out > 0 and visible_count(page) == 24 - out


def test_hostile_text_runs_nothing(browser, store, tmp_path):
    store.add_claim("<img src=x onerror=alert(1)>", claim_id="t", kind="thesis")
    store.object("t", "</script><script>alert(2)</script>", "o1")
    store.object("t", '"><img src=y onerror=alert(3)>', "o2")
    from argmap.evidence.sources import add_evidence, add_source
    add_source(store, "s", "<script>alert(4)</script>", url="https://example.org/a?b=<c>")
    add_evidence(store, "t", "s", "<b onmouseover=alert(5)>quote</b>")
    path = render_store(store, tmp_path / "hostile.html", title="<script>alert(6)</script>")
    page, events = open_page(browser, path)
    page.evaluate("window.argmap.showDetails('t')")
    assert page.locator("#details .text").inner_text() == "<img src=x onerror=alert(1)>"
    link = page.locator("#details blockquote + div a")
    assert link.get_attribute("href").startswith("https://example.org/a?b=")
    page.fill("#search", "script")
    page.locator("#search-results button").first.click()
    click_node(page, "o2")
    page.wait_for_timeout(300)
    assert events["dialogs"] == []
    assert page.locator("#details img, #details script, #details b, #search-results img").count() == 0
    assert page.title() == "<script>alert(6)</script>"


def test_javascript_urls_are_never_linked(browser, tmp_path):
    """Even if a bad url reached the data (the store refuses them), the page does not link it."""
    g = nx.DiGraph()
    g.add_node("t", text="T", kind="thesis", base_score=0.5, computations=[], evidence=[
        {"id": 1, "claim": "t", "source": "s", "quote": "q", "locator": None, "source_title": "Evil",
         "source_url": "javascript:alert(1)"}])
    path = tmp_path / "js.html"
    path.write_text(render_html(g, "t"))
    page, events = open_page(browser, path)
    page.evaluate("window.argmap.showDetails('t')")
    assert page.locator("#details a[href]").count() == 0
    assert "Evil" in page.inner_text("#details")


def test_a_5000_claim_map_becomes_interactive(browser, store, tmp_path):
    from argmap.graph.formats.load import import_document
    from argmap.graph.formats.document import MapDocument
    n = 5000
    claims = [{"id": "t0", "text": "The root thesis", "kind": "thesis"}]
    relations = []
    for i in range(1, n):
        parent = f"t{(i - 1) // 4}"
        kind = "objection" if i % 3 == 0 else "claim"
        claims.append({"id": f"t{i}", "text": f"Claim number {i} about topic {i % 17}", "kind": kind})
        relations.append({"source": f"t{i}", "target": parent, "type": "attacks" if kind == "objection" else "supports"})
    import_document(store, MapDocument(claims=claims, relations=relations, name="big"))
    path = render_store(store, tmp_path / "big.html")
    page, events = open_page(browser, path, timeout=180_000)
    assert page.evaluate("window.argmap.nodes.length") == n
    assert page.locator("#big-map-note").count() == 1
    assert page.evaluate("document.body.dataset.mode") == "walk"  # too big to read whole: it opens walking
    page.click("#mode-btn")  # the graph: the levels from the thesis that fit, the rest collapsed
    assert page.evaluate("window.argmap.collapsed()") == [f"t{i}" for i in sorted(range(5, 21), key=str)]
    page.fill("#search", "Claim number 4242 ")
    page.locator("#search-results button", has_text="t4242").click()
    assert page.locator("#details h2").inner_text() == "t4242"
    laid_out = page.get_attribute("body", "data-laid-out")
    page.click("#focus-btn")
    assert visible_count(page) < 30
    page.wait_for_function("(n) => document.body.dataset.laidOut !== n", arg=laid_out)
    geo = page.evaluate("window.argmap.layout.geometry()")  # the neighbourhood laid out afresh, readable
    assert "t4242" in geo["boxes"] and len(geo["boxes"]) == visible_count(page)
    assert_clean(geo, len(geo["boxes"]), len(geo["edges"]))
    assert geo["scale"] * geo["fontPx"] >= 11 and all(in_view(geo, b) for b in geo["boxes"].values())
    assert [c for c in events["console"] if c[0] in ("error", "pageerror")] == []


def test_suppose_in_the_page_agrees_with_python_and_resets(demo_page):
    """The page's own grounded labelling, for the stored map and for every single claim
    supposed rejected or accepted, is the one argmap computes; the buttons apply it."""
    from argmap.graph.whatif import cruxes, grounded_labels
    page, events, store = demo_page
    amap = store.read_map()
    arrays = amap.framework()
    page_base = page.evaluate("window.argmap.groundedLabels({}, {})")
    python_base = grounded_labels(arrays)
    assert {k: v for k, v in page_base.items() if k in python_base} == python_base
    for claim in sorted(amap.claim_ids()):
        for kind in ("reject", "accept"):
            got = page.evaluate("([k, id]) => window.argmap.groundedLabels(k === 'reject' ? {[id]: true} : {},"
                                " k === 'accept' ? {[id]: true} : {})", [kind, claim])
            want = grounded_labels(arrays, {claim} if kind == "reject" else set(), {claim} if kind == "accept" else set())
            assert {k: v for k, v in got.items() if k in want} == want, (kind, claim)
    page_cruxes = page.evaluate("window.argmap.cruxes('data-black-hole', 2)")
    py = cruxes(amap, "data-black-hole", 2)
    for kind in ("reject", "accept"):
        assert sorted(c["ids"] for c in page_cruxes[kind]) == sorted(c["ids"] for c in py[kind])
    # the buttons: suppose parameter-scaling rejected, the thesis stands, reset restores
    click_node(page, "parameter-scaling")
    page.click("#details button.suppose-reject")
    assert "data-black-hole" in page.get_attribute("body", "data-changed").split()
    assert page.evaluate("window.argmap.nodes.get('data-black-hole').label").startswith("✔ IN")
    assert not page.is_hidden("#suppose-bar") and "rejected parameter-scaling" in page.inner_text("#suppose-summary")
    page.click("#details button.find-cruxes")
    assert "What would change it" in page.inner_text("#details")
    page.click("#suppose-reset")
    assert page.get_attribute("body", "data-changed") == ""
    assert page.evaluate("window.argmap.nodes.get('data-black-hole').label").startswith("✘ OUT")
    assert page.is_hidden("#suppose-bar")
    assert [c for c in events["console"] if c[0] in ("error", "pageerror")] == []


def test_details_show_robustness(demo_page):
    page, events, store = demo_page
    page.evaluate("window.argmap.showDetails('language-exposure-gap')")
    text = page.inner_text("#details p.robust")
    assert text.startswith("Stands in") and "draws of the ranged inputs" in text and "driven by" in text


def test_the_outline_follows_the_argument_and_the_keyboard(demo_page):
    page, events, store = demo_page
    first = page.locator("#outline [role=treeitem]").first
    assert first.get_attribute("data-id") == "data-black-hole"  # the thesis leads
    ids = page.eval_on_selector_all("#outline [role=treeitem]", "els => els.map(e => e.dataset.id)")
    assert set(ids) == set(page.evaluate("window.argmap.nodes.getIds()"))
    # supports before attacks under the thesis, each marked
    kids = page.eval_on_selector_all("#outline li[data-id='data-black-hole'] > ul > li > .row .how",
                                     "els => els.map(e => e.textContent.trim())")
    assert kids and kids == sorted(kids, key=lambda k: k != "supports ·")
    # click in the outline selects in the graph
    page.click("#outline li[data-id='parameter-scaling'] > .row")
    assert page.evaluate("window.argmap.network.getSelectedNodes()") == ["parameter-scaling"]
    assert page.inner_text("#details h2") == "parameter-scaling"
    # select in the graph highlights in the outline
    page.evaluate("window.argmap.focusOn('evolution-prior')")
    assert page.get_attribute("#outline li[data-id='evolution-prior']", "aria-selected") == "true"
    # keyboard only: down, collapse with left, enter selects
    page.focus("#outline li[data-id='data-black-hole'] > .row")
    page.keyboard.press("ArrowDown")
    second = page.evaluate("document.activeElement.parentNode.dataset.id")
    assert second != "data-black-hole"
    page.keyboard.press("Enter")
    assert page.evaluate("window.argmap.network.getSelectedNodes()") == [second]
    page.focus("#outline li[data-id='data-black-hole'] > .row")
    page.keyboard.press("ArrowLeft")
    assert page.get_attribute("#outline li[data-id='data-black-hole']", "aria-expanded") == "false"
    assert page.is_hidden("#outline li[data-id='data-black-hole'] > ul")
    page.keyboard.press("ArrowRight")
    assert page.get_attribute("#outline li[data-id='data-black-hole']", "aria-expanded") == "true"
    assert [c for c in events["console"] if c[0] in ("error", "pageerror")] == []


def test_counts_follow_the_filters(demo_page):
    page, events, store = demo_page
    before = page.inner_text("#summary .count[data-kind='objection']")
    page.uncheck("input.filter-status[value='OUT']")
    after = page.inner_text("#summary .count[data-kind='objection']")
    assert before != after and int(after.split()[0]) < int(before.split()[0])
    page.check("input.filter-status[value='OUT']")
    assert page.inner_text("#summary .count[data-kind='objection']") == before


def test_details_explain_the_verdict_step_by_step(demo_page):
    page, events, store = demo_page
    page.evaluate("window.argmap.showDetails('data-black-hole')")
    why = page.inner_text("#details p.why")
    assert why.startswith("Why, step by step: data-black-hole is OUT:") and "nothing attacks it" in why
    page.evaluate("window.argmap.showDetails('parameter-scaling')")
    why = page.inner_text("#details p.why")
    assert "parameter-scaling is IN: every attacker is OUT, e.g. chinchilla-one-oom" in why
    assert "chinchilla-one-oom is OUT" in why and why.endswith("nothing attacks it.")
    assert "DF-QuAD's degree" in page.inner_text("#details p.dfquad-why")


def test_details_say_why_a_claim_stands_though_its_supporter_falls(browser, store, tmp_path):
    for cid in ("a", "b", "c"):
        store.add_claim(cid.upper(), cid)
    store.link("a", "b", "supports")
    store.link("c", "a", "attacks")
    page, events = open_page(browser, render_store(store, tmp_path / "m.html"))
    page.evaluate("window.argmap.showDetails('b')")
    assert "Its supporters are OUT, yet it stands" in page.inner_text("#details p.why")
    page.close()
