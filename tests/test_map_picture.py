"""The picture a reader gets, measured in a real Chromium at 1600x1000: no two boxes overlap,
no arrow runs through a box that is not one of its ends, every arrow starts on its source
and ends on its target, and the text is readable (at least 11 CSS px) at the first view:
the whole map when it can be read whole, else the thesis with an overview to pan."""

import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from argmap.graph.formats.document import MapDocument
from argmap.graph.formats.io import import_path
from argmap.graph.formats.load import import_document
from argmap.graph.maps import render_store

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "helpers"))
from picture import assert_clean, in_view  # noqa: E402
READABLE_PX = 11
WINDOW = {"width": 1600, "height": 1000}


@pytest.fixture(scope="module", autouse=True)
def arial_metrics():
    """The map sets its labels in Arial's metrics; Debian's are Liberation Sans (.ci/run installs them)."""
    found = any(next(Path(d).rglob("LiberationSans-Regular.ttf"), None) for d in ("/usr/share/fonts", "/usr/local/share/fonts")
                if Path(d).is_dir())
    fc = shutil.which("fc-list")
    if not found and fc:
        found = "Liberation Sans" in subprocess.run([fc], capture_output=True, text=True).stdout
    if not found:
        pytest.fail("fonts-liberation is not installed: apt-get install fonts-liberation (bash .ci/run does)")


def open_map(browser, path, init=None):
    """The page at ``path`` in Chromium, drawn; ``init``: a script run before the page's own."""
    page = browser.new_page(viewport=WINDOW)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type in ("error", "warning") and errors.append(m.text))
    if init:
        page.add_init_script(init)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=120_000)
    return page, errors


def geometry(page):
    return page.evaluate("window.argmap.layout.geometry()")


@pytest.fixture
def demo_map(browser, demo_store, tmp_path):
    page, errors = open_map(browser, render_store(demo_store, tmp_path / "demo.html", title="demo"))
    yield page, demo_store.read_map().to_networkx()
    assert errors == []
    page.close()


def hundred(store, cross_links):
    from generate import generate
    import_document(store, MapDocument.from_dict(generate(100, cross_links=cross_links), "generated"))
    return store.read_map().to_networkx()


def test_the_demo_is_read_whole_at_first_sight(demo_map):
    page, g = demo_map
    geo = geometry(page)
    assert_clean(geo, g.number_of_nodes(), g.number_of_edges())
    assert page.get_attribute("body", "data-view") == "fit"
    assert geo["scale"] * geo["fontPx"] >= READABLE_PX
    assert all(in_view(geo, box) for box in geo["boxes"].values())
    assert not page.evaluate("window.argmap.layout.overviewShown()")
    # whole texts up to ~200 characters: nothing of a shorter claim is cut
    labels = page.evaluate("Object.fromEntries(window.argmap.nodes.get().map(n => [n.id, n.label]))")
    for node, text in g.nodes(data="text"):
        if len(text) <= 195:
            assert " ".join(text.split()) in " ".join(labels[node].split()), node
    # an id too wide for its box breaks after a "-", never inside a word
    broken = [n for n in labels if "\n" in labels[n].split(": ")[0]]
    assert broken  # the demo has ids wider than their boxes
    for node in broken:
        head = labels[node].split(": ")[0]
        assert head.replace("-\n", "-").replace("\n", " ").endswith(" " + node), head
    # the thesis is on the top rank, its supporters and objections on the next
    top = min(geo["boxes"].values(), key=lambda b: b["top"])["top"]
    thesis = geo["boxes"]["data-black-hole"]
    assert thesis["top"] - top < 200
    for child in ("driving-gap", "parameter-scaling", "evolution-prior"):
        assert geo["boxes"][child]["top"] > thesis["bottom"]


@pytest.mark.parametrize("cross_links", [0.1, 2.0], ids=["debate", "tangled"])
def test_a_hundred_claims_start_readable_on_the_thesis(browser, store, tmp_path, cross_links):
    g = hundred(store, cross_links)
    page, errors = open_map(browser, render_store(store, tmp_path / "m.html"))
    geo = geometry(page)
    assert_clean(geo, 100, g.number_of_edges())
    assert page.get_attribute("body", "data-view") == "anchor"
    assert geo["scale"] * geo["fontPx"] >= READABLE_PX
    assert in_view(geo, geo["boxes"]["c0"])  # the thesis
    assert page.evaluate("window.argmap.layout.overviewShown()")
    # the overview moves the view: a click in its far corner leaves the thesis behind
    box = page.locator("#overview").bounding_box()
    page.mouse.click(box["x"] + box["width"] - 6, box["y"] + box["height"] - 6)
    assert not in_view(geometry(page), geo["boxes"]["c0"])
    assert errors == []
    page.close()


HEARTBEAT = """async (thesis) => {
  // a timer that asks to run again at once: it runs only while the page's thread is free
  var ticks = 0, done = false;
  (function beat() { if (!done) { ticks++; setTimeout(beat, 0); } })();
  await window.argmap.focusView(thesis, 99);
  done = true;
  return ticks;
}"""
BROKEN_WORKER = """(function () {
  var Real = window.Worker;
  window.Worker = function () {
    return new Real(URL.createObjectURL(new Blob(["throw new Error('a worker broken on purpose')"], {type: "text/javascript"})));
  };
})();"""


def laid_out(browser, path, init=None):
    """The page at ``path`` laid out, with the times the page's thread was free during a fresh
    layout of all of it."""
    page, errors = open_map(browser, path, init)
    first = geometry(page)
    ticks = page.evaluate(HEARTBEAT, "c0")
    engine = page.evaluate("window.argmap.layout.engine()")
    page.close()
    assert errors == []
    return first, ticks, engine


def test_elk_lays_out_off_the_page_thread_and_draws_the_same_picture(browser, store, tmp_path):
    from generate import generate
    import_document(store, MapDocument.from_dict(generate(250, cross_links=0.5), "generated"))
    g = store.read_map().to_networkx()
    path = render_store(store, tmp_path / "m.html")
    threaded, free, engine = laid_out(browser, path)
    assert engine == "worker"
    assert_clean(threaded, g.number_of_nodes(), g.number_of_edges())
    assert any(len(e["points"]) > 2 for e in threaded["edges"])  # ELK's routes, not straight lines
    # the same layout on the page's own thread (no Worker): the page is busy all along
    alone, busy, engine = laid_out(browser, path, "window.Worker = undefined;")
    assert engine == "page"
    assert free >= 50 and free > 5 * busy, (free, busy)
    assert (alone["boxes"], [e["points"] for e in alone["edges"]]) == \
        (threaded["boxes"], [e["points"] for e in threaded["edges"]])
    # a worker that fails: the layout is made on the page's thread instead, the same
    broken, _, engine = laid_out(browser, path, BROKEN_WORKER)
    assert engine == "page"
    assert broken["boxes"] == threaded["boxes"]


def test_a_view_asked_for_during_a_layout_supersedes_it(browser, store, tmp_path):
    """A reader who asks for a small focus while the whole map is still being laid out (in
    the worker) gets the small focus, exactly as if asked alone: nothing of the older layout
    is drawn over it, and both requests settle on it."""
    from generate import generate
    import_document(store, MapDocument.from_dict(generate(250, cross_links=1.0), "generated"))
    g = store.read_map().to_networkx()
    page, errors = open_map(browser, render_store(store, tmp_path / "m.html"))
    # a claim under the thesis: its neighbourhood shares boxes with the thesis's
    leaf = next(n for n in sorted(g.predecessors("c0")) if g.in_degree(n) > 0)
    both = page.evaluate("""async (leaf) => {
        const big = window.argmap.focusView("c0", 2), small = window.argmap.focusView(leaf, 1);
        return await Promise.all([big, small]);
    }""", leaf)
    raced = geometry(page)
    kept = set(nx.single_source_shortest_path_length(g.to_undirected(), leaf, cutoff=1))
    assert set(raced["boxes"]) == kept and both[0] == both[1]
    assert_clean(raced, len(kept), g.subgraph(kept).number_of_edges())
    page.evaluate("window.argmap.focusView('c0', 99)")
    page.evaluate("(leaf) => window.argmap.focusView(leaf, 1)", leaf)
    alone = geometry(page)
    assert (raced["boxes"], raced["edges"], raced["scale"]) == (alone["boxes"], alone["edges"], alone["scale"])
    assert errors == []
    page.close()


def test_an_imported_map_with_arguments_is_read_whole(browser, store, tmp_path):
    import_path(store, ROOT / "tests" / "argdown" / "debate.argdown")
    g = store.read_map().to_networkx()
    assert sum(1 for _, k in g.nodes(data="kind") if k == "argument") == 4
    page, errors = open_map(browser, render_store(store, tmp_path / "m.html"))
    geo = geometry(page)
    assert_clean(geo, g.number_of_nodes(), g.number_of_edges())
    assert page.get_attribute("body", "data-view") == "fit"
    assert geo["scale"] * geo["fontPx"] >= READABLE_PX
    assert errors == []
    page.close()


def test_the_same_store_gives_the_same_picture(browser, demo_store, tmp_path):
    pictures = []
    for name in ("a.html", "b.html"):
        page, _ = open_map(browser, render_store(demo_store, tmp_path / name, title="demo"))
        geo = geometry(page)
        pictures.append((geo["boxes"], [e["points"] for e in geo["edges"]]))
        page.close()
    assert pictures[0] == pictures[1]


def test_focus_lays_out_the_neighbourhood_afresh_and_fits_it(demo_map):
    page, g = demo_map
    whole = geometry(page)
    page.evaluate("window.argmap.focusView('evolution-prior', 1)")
    kept = set(nx.single_source_shortest_path_length(g.to_undirected(), "evolution-prior", cutoff=1))
    geo = geometry(page)
    assert set(geo["boxes"]) == kept
    assert_clean(geo, len(kept), g.subgraph(kept).number_of_edges())
    assert all(in_view(geo, box) for box in geo["boxes"].values())
    assert geo["scale"] * geo["fontPx"] >= READABLE_PX and geo["scale"] > whole["scale"]
    assert geo["boxes"]["evolution-prior"] != whole["boxes"]["evolution-prior"]  # moved, not left where it was
    page.evaluate("window.argmap.wholeView()")
    again = geometry(page)
    assert again["boxes"] == whole["boxes"] and again["edges"] == whole["edges"]


def test_an_arrow_is_found_under_the_pointer_and_keeps_its_colour_when_selected(demo_map):
    page, g = demo_map
    geo = geometry(page)
    edge = next(e for e in geo["edges"] if e["id"] == "evolution-prior->language-exposure-gap")
    p, q = max(zip(edge["points"], edge["points"][1:]), key=lambda s: abs(s[0]["x"] - s[1]["x"]) + abs(s[0]["y"] - s[1]["y"]))
    middle = {"x": (p["x"] + q["x"]) / 2, "y": (p["y"] + q["y"]) / 2}
    at = page.evaluate("""(pt) => {
        const d = window.argmap.network.canvasToDOM(pt), r = document.getElementById('mynetwork').getBoundingClientRect();
        return {x: r.left + d.x, y: r.top + d.y};
    }""", middle)
    page.mouse.move(at["x"], at["y"])
    tip = page.locator(".edge-tip")
    assert tip.is_visible() and tip.inner_text() == "evolution-prior attacks language-exposure-gap"
    assert page.evaluate("getComputedStyle(document.querySelector('.edge-tip')).maxWidth") != "none"
    page.mouse.click(at["x"], at["y"])
    assert page.inner_text("#details h2") == "evolution-prior attacks language-exposure-gap"
    style = page.evaluate("window.argmap.layout.style('evolution-prior->language-exposure-gap')")
    assert style == {"color": page.evaluate("window.argmap.data.edgeStyle.attacks.color"), "width": 4}
    page.locator("#details a.goto", has_text="language-exposure-gap").click()
    assert page.inner_text("#details h2") == "language-exposure-gap"
    assert page.evaluate("window.argmap.layout.selectedEdge()") is None


def test_cycles_are_drawn_around_the_boxes(browser, store, tmp_path):
    store.add_claim("The thesis", claim_id="t", kind="thesis")
    for cid in ("a", "b", "c", "d"):
        store.add_claim(f"Claim {cid} with a few words of text", claim_id=cid)
    for src, dst, how in [("a", "t", "supports"), ("b", "a", "attacks"), ("a", "b", "attacks"),
                          ("c", "t", "attacks"), ("d", "c", "supports"), ("t", "d", "attacks"), ("c", "b", "attacks")]:
        store.link(src, dst, how)
    page, errors = open_map(browser, render_store(store, tmp_path / "m.html"))
    geo = geometry(page)
    assert_clean(geo, 5, 7)
    assert page.get_attribute("body", "data-view") == "fit" and errors == []
    page.close()


def test_ids_that_name_javascript_object_properties_are_plain_claims(browser, store, tmp_path):
    """Every lookup in the page is keyed by claim id: "constructor" or "toString" must not find
    something that is there on every JavaScript object."""
    store.add_claim("The thesis", claim_id="valueOf", kind="thesis")
    for cid in ("constructor", "toString", "hasOwnProperty", "isPrototypeOf"):
        store.add_claim(f"A claim called {cid}", claim_id=cid)
    for src, dst, how in [("constructor", "valueOf", "supports"), ("toString", "valueOf", "attacks"),
                          ("hasOwnProperty", "toString", "attacks"), ("isPrototypeOf", "constructor", "attacks")]:
        store.link(src, dst, how)
    page, errors = open_map(browser, render_store(store, tmp_path / "m.html"))
    geo = geometry(page)
    assert_clean(geo, 5, 4)
    assert page.eval_on_selector_all("#outline [role=treeitem]", "els => els.map(e => e.dataset.id)")[0] == "valueOf"
    assert len(page.eval_on_selector_all("#outline [role=treeitem]", "els => els")) == 5
    from argmap.graph.status import grounded_labels
    want = {"valueOf": "IN", "constructor": "OUT", "toString": "OUT", "hasOwnProperty": "IN", "isPrototypeOf": "IN"}
    assert grounded_labels(store.read_map().to_networkx()) == want
    assert page.evaluate("window.argmap.groundedLabels({}, {})") == want
    page.evaluate("window.argmap.focusView('toString', 1)")
    assert set(geometry(page)["boxes"]) == {"toString", "valueOf", "hasOwnProperty"}
    page.uncheck("input.filter-status[value='IN']")
    assert page.get_attribute("body", "data-visible") == "1"  # of the focus, toString alone is OUT
    page.evaluate("window.argmap.wholeView()")
    assert page.get_attribute("body", "data-visible") == "2" and set(geometry(page)["boxes"]) == {"toString", "constructor"}
    page.check("input.filter-status[value='IN']")
    page.evaluate("window.argmap.showDetails('constructor')")
    assert page.inner_text("#details h2") == "constructor" and "isPrototypeOf" in page.inner_text("#details")
    assert errors == []
    page.close()
