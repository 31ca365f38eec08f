"""Opening a rendered page in Chromium for the browser tests: offline (anything but file://
is refused and recorded), with its console, errors and dialogs recorded."""


def open_page(browser, path, timeout=30_000, init=None):
    """``path`` in Chromium, ready, every request but the file's refused and recorded;
    ``init``: a script run before the page's own."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    if init:
        page.add_init_script(init)
    events = {"console": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: events["console"].append((m.type, m.text)))
    page.on("pageerror", lambda e: events["console"].append(("pageerror", str(e))))
    page.on("dialog", lambda d: (events["dialogs"].append(d.message), d.dismiss()))

    def route(r):
        events["requests"].append(r.request.url)
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            r.abort()
    page.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=timeout)
    return page, events
