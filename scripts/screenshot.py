"""Regenerate the README's pictures of the map: python scripts/screenshot.py [DOCS_DIR]

Writes DOCS_DIR/demo-map.png (the built-in debate, read whole at the first view) and
DOCS_DIR/map-100.png (a generated 100-claim debate: it starts readable on the thesis, with the
overview of the whole map in the corner), DOCS_DIR/serve.png (the map as `argmap serve`
serves it, a claim's details open with its editing actions and a new objection being
written), and an 800-claim Kialo-shaped discussion (imported from Kialo's text export):
DOCS_DIR/big-walk.png (it opens walking the debate), DOCS_DIR/big-graph.png (its graph,
the levels from the thesis that fit, the rest collapsed) and DOCS_DIR/big-phone.png (the
walk on a 390x844 phone), and DOCS_DIR/groups.png (a map imported from Argdown whose headings
are groups: a box each, one inside another), all as a 1600x1000 window (or the phone) shows them in Debian's
headless Chromium through Playwright (no browser download). Labels are set in Arial's
metrics: install fonts-liberation for the same pictures.
"""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from argmap.claims.store import Store
from argmap.demo import load_demo
from argmap.graph.formats.document import MapDocument
from argmap.graph.formats.load import import_document
from argmap.graph.maps import render_store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "helpers"))
from generate import generate  # noqa: E402
from kialo_shaped import kialo_text  # noqa: E402
from served import serve  # noqa: E402


def pages(tmp: Path) -> dict[str, Path]:
    with Store(str(tmp / "demo.db")) as store:
        load_demo(store)
        demo = render_store(store, tmp / "demo.html", title="Is the sample-efficiency gap a black hole?")
    with Store(str(tmp / "hundred.db")) as store:
        import_document(store, MapDocument.from_dict(generate(100, cross_links=0.1), "generated"))
        hundred = render_store(store, tmp / "hundred.html", title="A generated 100-claim debate")
    return {"demo-map.png": demo, "map-100.png": hundred}


def main(out_dir: str = "docs") -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for name, page_path in pages(Path(tmp)).items():
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(page_path.as_uri())
            page.wait_for_selector("body[data-ready='1']", timeout=120_000)
            page.screenshot(path=str(out / name))
            page.close()
            print(out / name)
        served_page(browser, Path(tmp), out / "serve.png")
        print(out / "serve.png")
        big_pages(browser, Path(tmp), out)
        groups_page(browser, Path(tmp), out / "groups.png")
        print(out / "groups.png")
        browser.close()


def big_pages(browser, tmp: Path, out: Path) -> None:
    """A big real-shaped map in both modes and on a phone."""
    from argmap.graph.formats.io import import_path
    (tmp / "kialo.txt").write_text(kialo_text(800), encoding="utf-8")
    with Store(str(tmp / "kialo.db")) as store:
        import_path(store, tmp / "kialo.txt", "kialo")
        path = render_store(store, tmp / "kialo.html", title="Should cities ban cars from their centres? (800 claims)")
    for name, viewport, graph in (("big-walk.png", (1600, 1000), False), ("big-graph.png", (1600, 1000), True),
                                  ("big-phone.png", (390, 844), False)):
        page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready='1']", state="attached", timeout=120_000)
        if graph:
            page.click("#mode-btn")
            for _ in range(600):  # the collapsed graph laid out (polled: the page's CSP refuses string predicates)
                if page.evaluate("+document.body.dataset.laidOut >= 2"):
                    break
                page.wait_for_timeout(50)
        page.screenshot(path=str(out / name))
        page.close()
        print(out / name)


GROUPED = """# Costs

[Price]: The price is too high for most households.
  - [Subsidy]: A subsidy halves it for those below the median income.
    - [Budget]: The subsidy budget runs out in two years.
  + [Survey]: Two thirds of those asked said so.

## Hidden costs

[Upkeep]: Upkeep doubles the cost over ten years.
  - [Warranty]: A warranty covers the first five years.

# Benefits

[Health]: It cuts asthma cases by a fifth.
  - [Confound]: The study did not control for income.
    - [Matched]: A second study matched the households by income.

[Bills]: Heating bills fall by a third.

# The question

[Thesis]: The city should fund heat pumps.
  - [Price]
  - [Upkeep]
  + [Health]
  + [Bills]
"""


def groups_page(browser, tmp: Path, target: Path) -> None:
    """A map whose Argdown headings are groups, as the page lays them out."""
    from argmap.graph.formats.io import import_path
    (tmp / "grouped.argdown").write_text(GROUPED, encoding="utf-8")
    with Store(str(tmp / "grouped.db")) as store:
        import_path(store, tmp / "grouped.argdown", "argdown")
        path = render_store(store, tmp / "grouped.html", title="Should the city fund heat pumps?")
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=120_000)
    page.screenshot(path=str(target))
    page.close()


def served_page(browser, tmp: Path, target: Path) -> None:
    """The editable page: the demo served, a claim's details open, an objection half-written."""
    with serve(str(tmp / "demo.db")) as s:
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(s.url)
        page.wait_for_selector("body[data-ready='1']", state="attached", timeout=120_000)
        page.evaluate("window.argmap.focusOn('evolution-prior')")
        page.evaluate("window.argmap.showDetails('evolution-prior')")
        page.click("#details button.live-objections")
        page.fill("#details form.live-form textarea[name=text]",
                  "Evolution tuned what infants attend to, not what they know.")
        page.wait_for_timeout(300)  # the form's focus ring drawn
        page.screenshot(path=str(target))
        page.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
