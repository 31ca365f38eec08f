"""Regenerate the README's pictures of the map: python scripts/screenshot.py [DOCS_DIR]

Writes DOCS_DIR/demo-map.png (the built-in debate, read whole at the first view) and
DOCS_DIR/map-100.png (a generated 100-claim debate: it starts readable on the thesis, with the
overview of the whole map in the corner) and DOCS_DIR/serve.png (the map as `argmap serve`
serves it, a claim's details open with its editing actions and a new objection being
written), all as a 1600x1000 window shows them in Debian's
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
        browser.close()


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
