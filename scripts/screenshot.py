"""Regenerate the README's picture of the demo map: python scripts/screenshot.py [docs/demo-map.png]

Loads the built-in debate into a throw-away store, renders the map and photographs it in
Debian's headless Chromium through Playwright (no browser download).
"""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from argmap.claims.store import Store
from argmap.demo import load_demo
from argmap.graph.maps import render_store


def main(out: str = "docs/demo-map.png") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        with Store(str(Path(tmp) / "demo.db")) as store:
            load_demo(store)
            page_path = render_store(store, Path(tmp) / "demo.html", title="Is the sample-efficiency gap a black hole?")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page(viewport={"width": 1280, "height": 760})
            page.goto(page_path.as_uri())
            page.wait_for_selector("body[data-ready='1']")
            page.evaluate("window.argmap.showDetails('evolution-prior')")
            page.screenshot(path=out)
            browser.close()
    print(out)


if __name__ == "__main__":
    main(*sys.argv[1:])
