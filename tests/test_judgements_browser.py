"""People's judgements in the page, in a real headless Chromium: the perspective selector
relabels the map and the outline exactly as ``status --as`` labels it; the compare view marks
exactly the crux claims ``crux --between`` reports; claims people disagree on are marked;
the details say who judged what. The rendered page and the served one (judging from the
page, the crux asked of the server)."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "helpers"))
from served import serve  # noqa: E402

pytestmark = pytest.mark.browser
BADGE = {"IN": "✔ IN", "OUT": "✘ OUT", "UNDEC": "? UNDEC", "REJECTED": "⊘ REJECTED"}
README = {  # README's worked example
    "parameter-scaling": (0.8, 0.3), "chinchilla-one-oom": (0.3, 0.8), "evolution-prior": (0.7, 0.2),
    "genome-too-small": (0.4, 0.9), "swe-demand-2028": (0.5, 0.2)}
THESIS = "data-black-hole"
PASSWORD = "correct horse battery"


@pytest.fixture
def judged(cli):
    cli("demo", "--out", "-")
    for claim, (a, b) in README.items():
        cli("--author", "alice", "judge", claim, "--credence", str(a))
        cli("--author", "bob", "judge", claim, "--credence", str(b))
    cli("--author", "carol", "judge", "evolution-prior", "--credence", "0.5")


def open_file(browser, path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.problems = []
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)
    return page


def shown_labels(page):
    """{claim: the label its box shows} and {claim: the label its outline row shows}."""
    return page.evaluate("""() => {
        const boxes = {}, rows = {};
        window.argmap.data.nodes.forEach(n => {
            const label = window.argmap.nodes.get(window.argmapIds.vis(n.id)).rawLabel
                || window.argmap.nodes.get(window.argmapIds.vis(n.id)).label;
            boxes[n.id] = label; });
        document.querySelectorAll('#outline li[role=treeitem]').forEach(li => {
            const b = li.querySelector(':scope > .row .badge'); rows[li.dataset.id] = b ? b.textContent : null; });
        return [boxes, rows]; }""")


def assert_shows(page, want: dict[str, str]):
    boxes, rows = shown_labels(page)
    for claim, label in want.items():
        assert boxes[claim].startswith(BADGE[label] + " "), (claim, label, boxes[claim])
        assert rows[claim] == BADGE[label], (claim, label, rows[claim])


def cli_labels(cli, who=None):
    if who is None:
        return {r["id"]: r["label"] for r in json.loads(cli("status", "--json").stdout)["claims"]}
    return {r["id"]: r["label"] for r in json.loads(cli("status", "--as", who, "--json").stdout)["claims"]}


def test_switching_perspective_relabels_the_map_and_the_outline(browser, cli, judged, tmp_path):
    path = tmp_path / "m.html"
    cli("render", "--out", str(path))
    page = open_file(browser, path)
    page.click("#outline-btn")
    page.wait_for_selector("#outline li[role=treeitem]", state="attached")
    options = page.eval_on_selector_all("#perspective option", "os => os.map(o => o.value)")
    assert options == ["", "everyone", "alice", "bob", "carol"]
    as_written = cli_labels(cli)
    assert_shows(page, as_written)
    for who in ("alice", "bob", "everyone", "carol", ""):
        page.select_option("#perspective", who)
        want = cli_labels(cli, who) if who else as_written
        assert want != as_written or who in ("", "carol")  # the views do differ from the map as written
        assert_shows(page, want)
        assert page.get_attribute("body", "data-view") == who
        changed = sorted(c for c in want if want[c] != as_written.get(c))
        if who:
            assert page.inner_text("#suppose-summary").startswith(f"As {who}")
            assert f": {len(changed)} claims change" in page.inner_text("#suppose-summary")
        else:
            assert page.is_hidden("#suppose-bar")
    # the status filters follow the labels shown: alice rejects genome-too-small, the OUT box hides it
    page.select_option("#perspective", "alice")
    page.uncheck("input.filter-status[value=OUT]")
    hidden = page.evaluate("window.argmap.nodes.get(window.argmapIds.vis('genome-too-small')).hidden")
    assert hidden is True
    assert page.problems == []


def test_the_compare_view_marks_exactly_the_crux_claims_the_cli_reports(browser, cli, judged, tmp_path):
    path = tmp_path / "m.html"
    cli("render", "--out", str(path))
    page = open_file(browser, path)
    page.click("#compare-btn")
    for a, b in (("alice", "bob"), ("bob", "carol"), ("alice", "carol")):
        page.select_option("#compare-a", a)
        page.select_option("#compare-b", b)
        page.select_option("#compare-claim", THESIS)
        page.click("#compare-go")
        page.wait_for_selector("#compare-result p", state="attached")
        want = json.loads(cli("crux", THESIS, "--between", a, b, "--json").stdout)
        crux = sorted(d["claim"] for d in want["disagreements"])
        assert (page.get_attribute("body", "data-crux") or "").split() == crux, (a, b)
        listed = page.eval_on_selector_all("#compare-result li.crux-claim", "ls => ls.map(l => l.dataset.claim)")
        assert listed == [d["claim"] for d in want["disagreements"]]  # most explaining first
        marked = page.evaluate("""() => window.argmap.data.nodes.filter(n =>
            window.argmap.nodes.get(window.argmapIds.vis(n.id)).borderWidth === 7).map(n => n.id).sort()""")
        assert marked == crux
        text = page.inner_text("#compare-result")
        for claim in want["do_not_matter"]:
            assert claim in text
    alice_bob = json.loads(cli("crux", THESIS, "--between", "alice", "bob", "--json").stdout)
    assert [d["claim"] for d in alice_bob["disagreements"]] == ["parameter-scaling", "evolution-prior"]
    page.click("#compare-clear")
    assert page.get_attribute("body", "data-crux") is None
    assert page.problems == []


HOSTILE = '<img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script>'


def test_disagreement_is_marked_and_the_details_say_who_judged_what(browser, cli, judged, tmp_path):
    cli("--author", HOSTILE, "judge", "evolution-prior", "--credence", "0.45")
    path = tmp_path / "m.html"
    cli("render", "--out", str(path), "--as", "bob")
    page = open_file(browser, path)
    assert page.get_attribute("body", "data-view") == "bob"  # --as: the page opens in bob's view
    assert page.input_value("#perspective") == "bob"
    assert_shows(page, cli_labels(cli, "bob"))
    marks = page.evaluate("""() => Object.fromEntries(window.argmap.data.nodes.map(n =>
        [n.id, window.argmap.nodes.get(window.argmapIds.vis(n.id)).label.includes('⇄')]))""")
    # spread = highest credence minus lowest; marked from 0.2 (swe-demand-2028: 0.5 against 0.2 is 0.3)
    assert sorted(c for c, m in marks.items() if m) == sorted(README)
    page.evaluate("window.argmap.showDetails('evolution-prior')")
    text = page.text_content("#details")
    assert "Judgements, spread 0.5 ⇄ (4)" in text
    for line in ("alice: 0.7", "bob: 0.2", "carol: 0.5", HOSTILE + ": 0.45"):
        assert line in text
    assert "Pooled for bob: 0.2" in text
    # a person's name is text wherever it goes: the selector, the compare view, the details
    assert HOSTILE in page.eval_on_selector_all("#perspective option", "os => os.map(o => o.textContent)")
    page.select_option("#perspective", HOSTILE)
    page.click("#compare-btn")
    page.select_option("#compare-a", HOSTILE)
    page.select_option("#compare-b", "alice")
    page.click("#compare-go")
    page.wait_for_selector("#compare-result p", state="attached")
    assert HOSTILE in page.text_content("#compare-result")
    assert page.evaluate("window.__pwned") is None
    assert page.problems == []


def test_a_served_page_judges_and_compares_through_the_server(browser, cli, judged, location, tmp_path):
    (tmp_path / "alice.pw").write_text(PASSWORD + "\n")
    cli("user", "add", "alice", "--role", "editor", "--password-file", str(tmp_path / "alice.pw"))
    with serve(location, token=None) as served:
        page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        page.problems = []
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        page.goto(served.base + "/")
        page.fill("#name", "alice")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)
        # alice changes her mind on parameter-scaling from the page
        page.evaluate("window.argmap.showDetails('parameter-scaling')")
        page.click("#details button.live-judge")
        assert page.input_value("#details form.live-form input[name=credence]") == "0.8"
        page.fill("#details form.live-form input[name=credence]", "0.35")
        page.click("#details form.live-form button[type=submit]")
        wait = """() => (window.argmap.data.claims['parameter-scaling'].judgements || [])
                         .some(j => j.author === 'alice' && j.credence === 0.35) && window.argmap.drawn()"""
        _poll(page, wait)
        mine = json.loads(cli("judgements", "parameter-scaling", "--author", "alice", "--json").stdout)
        assert [j["credence"] for j in mine] == [0.35]
        # the served page has no crux of its own: it asks the server, which answers as the CLI does
        assert page.evaluate("window.argmap.data.judgements.crux") is None
        page.click("#compare-btn")
        page.select_option("#compare-a", "alice")
        page.select_option("#compare-b", "bob")
        page.select_option("#compare-claim", THESIS)
        page.click("#compare-go")
        want = json.loads(cli("crux", THESIS, "--between", "alice", "bob", "--json").stdout)
        crux = " ".join(sorted(d["claim"] for d in want["disagreements"]))
        _poll(page, "(c) => (document.body.dataset.crux || '') === c && document.querySelector('#compare-result p')", crux)
        # a perspective in the served page is the server's, as status --as gives it
        page.select_option("#perspective", "alice")
        assert_shows(page, cli_labels(cli, "alice"))
        assert page.problems == []


def _poll(page, script, arg=None, timeout=30.0):
    import time
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"the page never had {script}")
        time.sleep(0.05)
