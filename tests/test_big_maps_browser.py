"""Big real maps in Chromium: Kialo-shaped discussions (long texts, "-> See" links, deep and
bushy branches) of 800 and 5,000 claims, imported from Kialo's own text export. The page
opens walking the debate (the thesis large, its pros and cons in two columns), walks down
and back with the breadcrumb right, jumps along a cross-link, collapses a branch in the
graph (exactly its claims hidden, the rest laid out with no arrow through a box), and on a
390 x 844 phone keeps every control reachable with nothing overlapping."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "helpers"))
from kialo_shaped import kialo_text  # noqa: E402
from pages import open_page  # noqa: E402
from picture import assert_clean, overlapping  # noqa: E402

pytestmark = pytest.mark.browser


def kialo_page(cli, tmp_path, n, seed):
    (tmp_path / "debate.txt").write_text(kialo_text(n, seed), encoding="utf-8")
    cli("import", str(tmp_path / "debate.txt"), "--format", "kialo")
    doc = json.loads(cli("export", "--format", "json").stdout)
    cli("render", "--out", str(tmp_path / "debate.html"))
    return tmp_path / "debate.html", doc


def walk_to(page, id_):
    page.wait_for_selector(f"body[data-walk='{id_}']", state="attached", timeout=10_000)
    return page.eval_on_selector_all(".walk-crumbs li", "ls => ls.map(l => l.textContent)")


def until(page, condition, timeout=60_000):
    """Wait until ``condition`` (a JavaScript expression) holds: polled with evaluate, as the
    page's CSP refuses the strings wait_for_function would evaluate."""
    for _ in range(timeout // 50):
        if page.evaluate(condition):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"not so after {timeout} ms: {condition}")


def chain(id_):
    """Kialo's numbers say where a claim stands: 1.2.3 under 1.2 under 1."""
    parts = id_.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


@pytest.fixture
def big(cli, tmp_path):
    """The 800-claim map, imported from Kialo's export and rendered."""
    return kialo_page(cli, tmp_path, 800, 1)


def test_a_big_map_opens_walking_from_the_thesis(browser, big):
    path, doc = big
    page, events = open_page(browser, path, timeout=60_000)
    assert page.evaluate("document.body.dataset.mode") == "walk"
    assert page.evaluate("document.body.dataset.walk") == "1"
    thesis = next(c for c in doc["claims"] if c["id"] == "1")
    assert page.text_content(".walk-current .walk-text") == thesis["text"]
    # its direct pros and cons, every one, in their columns: none is a line across a picture
    pros = sorted(r["source"] for r in doc["relations"] if r["target"] == "1" and r["type"] == "supports")
    cons = sorted(r["source"] for r in doc["relations"] if r["target"] == "1" and r["type"] == "attacks")
    shown = {side: page.eval_on_selector_all(f".walk-col.{side} .walk-card", "bs => bs.map(b => b.dataset.id)")
             for side in ("pros", "cons")}
    assert sorted(shown["pros"]) == pros and sorted(shown["cons"]) == cons and len(pros) > 10 and len(cons) > 10
    for selector in (".walk-current", ".walk-col.pros .walk-card >> nth=0", ".walk-col.cons .walk-card >> nth=0"):
        box = page.locator(selector).bounding_box()
        assert box["y"] + box["height"] <= 900 and box["x"] >= 0 and box["x"] + box["width"] <= 1400, selector
    sizes = page.eval_on_selector_all("#walk *", "xs => xs.filter(x => x.textContent.trim() && x.offsetParent)"
                                                 ".map(x => parseFloat(getComputedStyle(x).fontSize))")
    assert min(sizes) >= 11
    # the walk covers the graph: no arrow is drawn across it
    assert page.locator("#walk").bounding_box() == page.locator("#mynetwork").bounding_box()
    assert [m for m in events["console"] if m[0] in ("error", "pageerror")] == []
    page.close()


def test_walking_down_and_back_keeps_the_breadcrumb(browser, big):
    path, _ = big
    page, _ = open_page(browser, path, timeout=60_000)
    trail = ["1"]
    for _ in range(3):  # down three levels, each time into a claim that stands in this branch
        here = trail[-1]
        card = page.locator(f".walk-item:not(.cross) .walk-card").first
        target = card.get_attribute("data-id")
        assert target.startswith(here + ".")
        card.click()
        trail.append(target)
        assert walk_to(page, target) == trail == chain(target)
    for back in range(3):  # the browser's Back walks up the same way
        page.go_back()
        assert walk_to(page, trail[-2 - back]) == trail[: len(trail) - 1 - back]
    first = page.get_attribute(".walk-col .walk-item:not(.cross) .walk-card >> nth=0", "data-id")
    page.click(".walk-col .walk-item:not(.cross) .walk-card >> nth=0")
    walk_to(page, first)
    page.click(".walk-actions [data-act=up]")  # and the Up button, and the keyboard
    assert walk_to(page, "1") == ["1"]
    page.focus(".walk-col .walk-item:not(.cross) .walk-card >> nth=0")
    page.keyboard.press("Enter")
    walk_to(page, first)
    page.keyboard.press("ArrowLeft")
    assert walk_to(page, "1") == ["1"]
    page.close()


def test_a_cross_link_jumps_to_where_its_claim_stands(browser, big):
    path, doc = big
    page, _ = open_page(browser, path, timeout=60_000)
    cross = page.locator(".walk-item.cross .walk-card").first
    target = cross.get_attribute("data-id")
    assert not target.startswith("1.") or target.count(".") > 1  # not the thesis' own child
    cross.click()
    assert walk_to(page, target) == chain(target)  # its own place, with the breadcrumb from the thesis
    assert page.text_content(".walk-current .walk-text") == next(c["text"] for c in doc["claims"] if c["id"] == target)
    page.close()


def test_collapsing_a_branch_hides_exactly_its_claims(browser, big):
    path, doc = big
    page, _ = open_page(browser, path, timeout=60_000)
    # the walk opens without the graph laid out (measuring every box is what made it slow)
    assert page.get_attribute("body", "data-laid-out") is None and page.evaluate("window.argmap.layout.started()") is False
    page.click("#mode-btn")  # the graph, starting with the levels that fit and the rest collapsed
    until(page, "document.body.dataset.mode === 'graph' && +document.body.dataset.laidOut >= 1")
    shown = int(page.get_attribute("body", "data-visible"))
    direct = {c["id"] for c in doc["claims"] if c["id"].count(".") == 1}  # the thesis' own pros and cons
    assert len(direct) + 1 <= shown <= max(60, len(direct) + 1) and page.evaluate("window.argmap.collapsed().length") > 0
    geo = page.evaluate("window.argmap.layout.geometry()")
    assert_clean(geo, shown, len(geo["edges"]))
    page.evaluate("window.argmap.wholeView()")
    until(page, "document.body.dataset.visible === '800'")
    # the whole map, 800 claims: shown at once in the tree, then laid out by ELK in its
    # worker, the view kept on the claim in its middle: no arrow through a box
    centre = page.evaluate("""() => { const n = window.argmap.network, c = n.body.container;
        return n.DOMtoCanvas({x: c.clientWidth / 2, y: c.clientHeight / 2}); }""")
    near = page.evaluate("""(m) => { const g = window.argmap.layout.geometry(); let best = null, d = Infinity;
        for (const [id, b] of Object.entries(g.boxes)) { const e = Math.hypot((b.left + b.right) / 2 - m.x, (b.top + b.bottom) / 2 - m.y);
          if (e < d) { d = e; best = id; } }
        const n = window.argmap.network, p = n.getPosition(window.argmapIds.vis(best));
        return [best, n.canvasToDOM(p)]; }""", centre)
    assert page.evaluate("window.argmap.layout.later()") is True
    where = page.evaluate("(id) => { const n = window.argmap.network; return n.canvasToDOM(n.getPosition(window.argmapIds.vis(id))); }",
                          near[0])
    assert abs(where["x"] - near[1]["x"]) < 1 and abs(where["y"] - near[1]["y"]) < 1
    geo = page.evaluate("window.argmap.layout.geometry()")
    assert_clean(geo, 800, len(geo["edges"]))
    assert page.evaluate("window.argmap.layout.engine()") == "worker"
    assert sum(1 for e in geo["edges"] if len(e["points"]) > 2) > len(geo["edges"]) / 2  # routed, not straight
    # cross-links (off the walk's tree) are drawn only for the selected claim
    off_tree = lambda: page.evaluate(
        "window.argmap.layout.geometry().edges.filter(e => window.argmap.walk.parent(e.from) !== e.to)"
        ".map(e => [e.from, e.to])")
    assert off_tree() == []
    cross = page.evaluate("window.argmap.data.edges.filter(e => window.argmap.walk.parent(e.from) !== e.to)"
                          ".map(e => [e.from, e.to])[0]")
    page.evaluate(f"window.argmap.focusOn({json.dumps(cross[0])})")
    assert cross in off_tree() and all(cross[0] in pair for pair in off_tree())
    branch = next(c["id"] for c in doc["claims"] if c["id"].count(".") == 1
                  and sum(1 for d in doc["claims"] if d["id"].startswith(c["id"] + ".")) >= 5)
    page.evaluate(f"window.argmap.collapse({json.dumps(branch)}, true)")
    until(page, "document.body.dataset.visible !== '800'")
    hidden = set(page.evaluate("window.argmap.nodes.get({filter: n => n.hidden}).map(n => n.id)"))
    assert hidden == {c["id"] for c in doc["claims"] if c["id"].startswith(branch + ".")}
    label = page.evaluate(f"window.argmap.nodes.get(window.argmapIds.vis({json.dumps(branch)})).label")
    assert f"⊕ {len(hidden)} hidden (" in label
    page.evaluate(f"window.argmap.collapse({json.dumps(branch)}, false)")
    until(page, "document.body.dataset.visible === '800'")
    assert "hidden (" not in page.evaluate(f"window.argmap.nodes.get(window.argmapIds.vis({json.dumps(branch)})).label")
    page.close()


STUCK_WORKER = """(function () {
  // a layout worker that never answers once it is given a big graph (as a tangled map of
  // thousands keeps ELK busy for minutes); counts the workers stuck and terminated
  var Real = window.Worker;
  window.stuckWorkers = 0; window.terminatedWorkers = 0;
  window.Worker = function (url) {
    var w = new Real(url), stuck = false, post = w.postMessage.bind(w), terminate = w.terminate.bind(w);
    w.postMessage = function (m) {
      if (!stuck && m && m.graph && (m.graph.children || []).length > 300) { stuck = true; window.stuckWorkers++; }
      if (!stuck) post(m);
    };
    w.terminate = function () { window.terminatedWorkers++; terminate(); };
    return w;
  };
})();"""


def whole_graph_behind(page):
    """The graph, then the whole map: its tree shown, ELK's layout of it asked of the worker."""
    page.click("#mode-btn")
    until(page, "document.body.dataset.mode === 'graph' && +document.body.dataset.laidOut >= 1")
    page.evaluate("window.argmap.wholeView()")
    until(page, "document.body.dataset.visible === '800' && document.body.dataset.later === 'running'")


def test_a_view_asked_for_while_a_big_layout_is_made_drops_it_with_its_worker(browser, big):
    """Without this, the focus would wait in the worker's queue behind a layout no one will see."""
    path, doc = big
    page, events = open_page(browser, path, timeout=60_000, init=STUCK_WORKER)
    whole_graph_behind(page)
    assert page.evaluate("window.stuckWorkers") == 1 and page.evaluate("window.terminatedWorkers") == 0
    page.evaluate("window.argmap.focusView('1', 1)")  # the thesis and its own pros and cons: laid out by ELK first
    until(page, "document.body.dataset.later === 'tree' && window.argmap.drawn()")
    assert page.evaluate("window.terminatedWorkers") == 1
    geo = page.evaluate("window.argmap.layout.geometry()")
    direct = {c["id"] for c in doc["claims"] if c["id"].count(".") == 1}
    assert set(geo["boxes"]) >= direct | {"1"}
    assert_clean(geo, len(geo["boxes"]), len(geo["edges"]))
    assert sum(1 for e in geo["edges"] if len(e["points"]) > 2) > 0  # ELK's routes: a fresh worker made them
    assert [m for m in events["console"] if m[0] in ("error", "pageerror")] == []
    page.close()


def test_a_big_layout_not_made_in_time_is_given_up_and_the_tree_stays(browser, cli, tmp_path, monkeypatch):
    monkeypatch.setattr("argmap.graph.render.ELK_BUDGET_MS", 400)
    path, doc = kialo_page(cli, tmp_path, 800, 1)
    page, events = open_page(browser, path, timeout=60_000, init=STUCK_WORKER)
    whole_graph_behind(page)
    until(page, "document.body.dataset.later === 'tree'")
    assert page.evaluate("window.terminatedWorkers") == 1
    geo = page.evaluate("window.argmap.layout.geometry()")
    assert len(geo["boxes"]) == 800 and all(len(e["points"]) == 2 for e in geo["edges"])  # the tree, straight arrows
    page.evaluate("window.argmap.focusView('1', 1)")  # and the next view is laid out by a fresh worker
    until(page, "window.argmap.drawn() && +document.body.dataset.visible < 800")
    assert sum(1 for e in page.evaluate("window.argmap.layout.geometry()")["edges"] if len(e["points"]) > 2) > 0
    assert [m for m in events["console"] if m[0] in ("error", "pageerror")] == []
    page.close()


def test_a_5000_claim_map_walks_and_collapses(browser, cli, tmp_path):
    path, doc = kialo_page(cli, tmp_path, 5000, 2)
    page, events = open_page(browser, path, timeout=180_000)
    assert page.evaluate("document.body.dataset.mode") == "walk"
    card = page.locator(".walk-item:not(.cross) .walk-card").first
    target = card.get_attribute("data-id")
    card.click()
    assert walk_to(page, target) == chain(target)
    page.go_back()
    assert walk_to(page, "1") == ["1"]
    page.click("#mode-btn")
    until(page, "document.body.dataset.mode === 'graph' && +document.body.dataset.laidOut >= 1",
                           timeout=120_000)
    geo = page.evaluate("window.argmap.layout.geometry()")
    direct = {c["id"] for c in doc["claims"] if c["id"].count(".") == 1}
    assert set(geo["boxes"]) == direct | {"1"} or (set(geo["boxes"]) > direct and len(geo["boxes"]) <= 60)
    assert_clean(geo, len(geo["boxes"]), len(geo["edges"]))
    assert [m for m in events["console"] if m[0] in ("error", "pageerror")] == []
    page.close()


def controls(page):
    """The boxes of every control a person can reach now (shown, with a size)."""
    return page.eval_on_selector_all(
        "header button, header input, header select, header label",
        "xs => xs.filter(x => x.offsetParent && x.getBoundingClientRect().width > 0).map(x => {"
        " const r = x.getBoundingClientRect();"
        " return {id: x.id || x.textContent.trim() || x.value, tag: x.tagName, left: r.left, right: r.right,"
        " top: r.top, bottom: r.bottom}; })")


def test_a_phone_shows_tabs_a_menu_and_details_on_the_whole_screen(browser, big):
    path, _ = big
    page = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.is_visible("#menu-btn") and not page.is_visible("#toolbar")  # folded away
    tabs = page.eval_on_selector_all("#view-tabs button", "bs => bs.map(b => [b.dataset.tab, b.getAttribute('aria-selected')])")
    assert tabs == [["walk", "true"], ["graph", "false"], ["outline", "false"]]
    page.tap("#menu-btn")
    assert page.is_visible("#toolbar") and page.is_visible("#search")
    shown = controls(page)
    names = {c["id"] for c in shown}
    assert {"search", "focus-btn", "whole-btn", "menu-btn"} <= names
    for c in shown:  # every control on the screen, and none on another (labels hold their own boxes)
        assert c["left"] >= 0 and c["right"] <= 390, c
    boxes = {f"{i}:{c['id']}": c for i, c in enumerate(shown) if c["tag"] != "LABEL"}
    assert overlapping(boxes) == []
    page.tap("#menu-btn")
    page.tap("#view-tabs [data-tab=outline]")
    assert page.locator("#outline").bounding_box()["width"] == 390
    page.tap("#view-tabs [data-tab=graph]")
    until(page, "document.body.dataset.mode === 'graph' && +document.body.dataset.laidOut >= 1")
    assert not page.is_visible("#outline") and not page.is_visible("#walk")
    page.evaluate("window.argmap.showDetails('1')")
    box = page.locator("#details").bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 390, 844)
    page.close()
