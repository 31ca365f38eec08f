"""The map page in headless Chromium at 1k, 5k and 20k claims: how long until it is drawn and
usable, how long a click takes to show a claim's details, and the frame time while panning.

    python benchmarks/browser.py [--sizes 1000,5000,20000] [--repeat 3]

Each map is generated (benchmarks/generate.py, Kialo-like: few cross-links), rendered with
`argmap render` and opened from its file in Debian's Chromium (no network). Figures, medians
of REPEAT page loads, in seconds (ms for clicks and frames):

- ready: from navigation to the page saying it is drawn and usable (``data-ready``: the
  first view, which for a map this size is the walk of the debate; the graph is not laid out
  until it is first shown);
- graph: from pressing *Show the graph* to the collapsed graph laid out and drawn (the first
  layout of the whole map happens here);
- click: a mouse click on a box of the graph until its details are shown;
- walk: a click on a walk card until the walk shows that claim;
- frame: the median time between frames while the graph is dragged (panned);
- whole: *Whole map* (everything expanded) until drawn (the tree from Python, at first, for a
  view beyond 300 claims); elk: until ELK's layout replaced it (made in the page's worker; given
  up after render.ELK_BUDGET_MS, 90 s); longest_ms: the longest task on the page's thread meanwhile (what a click
  waits for at worst); routed: whether the arrows end up routed by ELK (bends) or straight.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402


def poll(page, condition: str, timeout: float = 300.0) -> None:
    """The page's CSP refuses string predicates: poll with evaluate."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(condition):
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {condition}")
        time.sleep(0.005)


def one_load(browser, path: Path) -> dict:
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    t = time.perf_counter()
    page.goto(path.as_uri(), wait_until="commit")
    poll(page, "document.body && document.body.dataset.ready === '1'")
    ready = time.perf_counter() - t
    card = page.locator(".walk-item:not(.cross) .walk-card").first
    target = card.get_attribute("data-id")
    t = time.perf_counter()
    card.click()
    poll(page, f"document.body.dataset.walk === {json.dumps(target)}")
    walk = time.perf_counter() - t
    t = time.perf_counter()
    page.click("#mode-btn")
    poll(page, "+document.body.dataset.laidOut >= 1")
    graph = time.perf_counter() - t
    # the shown box nearest the middle of the graph's area (one off the screen takes no click)
    at = page.evaluate("""() => { const a = window.argmap, r = document.getElementById('mynetwork').getBoundingClientRect();
        const ids = a.nodes.get({filter: n => !n.hidden}).map(n => n.id), pos = a.network.getPositions(ids);
        let best = null;
        for (const id of ids) { const d = a.network.canvasToDOM(pos[id]), x = d.x + r.left, y = d.y + r.top;
          const far = Math.hypot(x - (r.left + r.width / 2), y - (r.top + r.height / 2));
          if (!best || far < best.far) best = {x, y, far, id: window.argmapIds.claim(id)}; }
        return best; }""")
    t = time.perf_counter()
    page.mouse.click(at["x"], at["y"])
    poll(page, f"!document.getElementById('details').hidden && document.getElementById('details').dataset.claim === {json.dumps(at['id'])}")
    click = time.perf_counter() - t
    page.evaluate("document.getElementById('details').hidden = true")
    page.evaluate("""() => { window.__frames = []; let last = performance.now();
        (function tick(now) { window.__frames.push(now - last); last = now;
          if (window.__frames.length < 400) requestAnimationFrame(tick); })(last); }""")
    box = page.locator("#mynetwork").bounding_box()
    x, y = box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.5
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(60):
        page.mouse.move(x - step * 8, y - (step % 20) * 4)
    page.mouse.up()
    frames = page.evaluate("window.__frames.slice(2)")
    page.evaluate("""() => { window.__longest = 0; new PerformanceObserver(l => l.getEntries().forEach(e => {
        window.__longest = Math.max(window.__longest, e.duration); })).observe({entryTypes: ['longtask']}); }""")
    t = time.perf_counter()
    page.evaluate("window.argmap.wholeView()")
    whole = time.perf_counter() - t
    later = page.evaluate("window.argmap.layout.later ? window.argmap.layout.later() : false")
    redrawn = time.perf_counter() - t if later else None
    page.wait_for_timeout(200)  # the observer hears of a long task after it ends
    longest = page.evaluate("window.__longest")
    routed = page.evaluate("window.argmap.layout.geometry().edges.some(e => e.points.length > 2)")
    page.close()
    return {"ready_s": ready, "walk_ms": walk * 1000, "graph_s": graph, "click_ms": click * 1000,
            "frame_ms": statistics.median(frames) if frames else None, "whole_s": whole, "elk_s": redrawn, "longest_ms": longest,
            "routed": routed}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,5000,20000")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--disable-gpu"])
        for n in (int(x) for x in args.sizes.split(",")):
            db, doc, html = Path(tmp) / f"m{n}.db", Path(tmp) / f"m{n}.json", Path(tmp) / f"m{n}.html"
            doc.write_text(json.dumps(generate(n, cross_links=0.1)))
            for command in (["import", str(doc)], ["render", "--out", str(html)]):
                subprocess.run([sys.executable, "-m", "argmap", "--db", str(db), *command], check=True, capture_output=True)
            runs = [one_load(browser, html) for _ in range(args.repeat)]
            print(json.dumps({"claims": n, "html_mb": round(html.stat().st_size / 1e6, 1),
                              **{k: round(statistics.median(r[k] for r in runs), 3) if runs[0][k] is not None else None
                                 for k in runs[0] if k != "routed"},
                              "routed": all(r["routed"] for r in runs)}))
        browser.close()


if __name__ == "__main__":
    main()
