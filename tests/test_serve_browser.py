"""The served page in a real headless Chromium: two people in two browser contexts, logged in
through the login page, editing one map; the CLI writing beside them; conflicts shown; hostile
texts kept as text. On SQLite and PostgreSQL, and with two server processes on one database.

No assertion here is about time: each wait polls the page (the page's CSP forbids Playwright's
string predicates, which need eval) up to a generous limit. The latency from one page to
another is measured by benchmarks/serve.py.
"""

import json
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from served import serve  # noqa: E402

pytestmark = pytest.mark.browser
CLAIM = "evolution-prior"
PASSWORD = "correct horse battery"
HOSTILE = ['<img src=x onerror="window.__pwned=1">', "</script><script>window.__pwned=2</script>",
           "{{7*7}} ${7*7} <b>bold?</b> &amp; \u202eevil\u202c 🙂", "javascript:window.__pwned=3"]


def wait_until(page, script, arg=None, timeout=30.0, what=None):
    """Poll a JS expression (or function of ``arg``) until it is truthy; its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(script, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"the page never had {what or script}")
        time.sleep(0.05)


def has_claim(page, claim_id, text=None):
    """The page has the claim (with ``text``) and has drawn it: the picture, the outline and the open details."""
    return wait_until(page, "([id, text]) => { const c = window.argmap.data.claims[id];"
                            " return !!c && (text === null || c.text === text) && window.argmap.drawn(); }", [claim_id, text],
                      what=f"claim {claim_id}" + (f" reading {text!r}" if text else ""))


def live_page(browser, served, name):
    """A person's own browser (a context: cookies of its own) logged in through the form."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("dialog", lambda d: (page.problems.append("dialog: " + d.message), d.dismiss()))
    page.goto(served.base + "/")
    assert page.url.endswith("/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)
    wait_until(page, "document.getElementById('live-state').textContent.startsWith('live')", what="a live stream")
    assert page.text_content("#live-user") == f"{name} (editor)"
    assert page.evaluate("window.argmap.layout.engine()") == "worker"  # the page's policy lets ELK's worker run
    return page


def click_node(page, claim_id):
    """Click where vis-network drew the claim, as a person would: it is selected, its details open."""
    page.evaluate("(id) => { const n = window.argmap.network, v = window.argmapIds.vis(id);"
                  " n.moveTo({position: n.getPosition(v), scale: 1, animation: false}); }", claim_id)
    box = page.evaluate("""(id) => {
        const n = window.argmap.network, d = n.canvasToDOM(n.getPosition(window.argmapIds.vis(id)));
        const r = document.getElementById('mynetwork').getBoundingClientRect();
        return {x: r.left + d.x, y: r.top + d.y};
    }""", claim_id)
    page.mouse.click(box["x"], box["y"])
    wait_until(page, "(id) => document.getElementById('details').dataset.claim === id && !document.getElementById('details').hidden",
               claim_id, what=f"the details of {claim_id}")


def view(page):
    return page.evaluate("""() => { const n = window.argmap.network, d = document.getElementById('details');
        return {position: n.getViewPosition(), scale: n.getScale(), selected: window.argmap.selected(),
                open: d.hidden ? null : d.dataset.claim}; }""")


def assert_view_kept(page, before):
    after = view(page)
    assert after["selected"] == before["selected"] and after["open"] == before["open"]
    assert after["scale"] == pytest.approx(before["scale"], rel=1e-6)
    assert after["position"]["x"] == pytest.approx(before["position"]["x"], abs=0.5)
    assert after["position"]["y"] == pytest.approx(before["position"]["y"], abs=0.5)


def answer_from_details(page, claim_id, button, text, new_id):
    click_node(page, claim_id)
    page.click(f"#details button.live-{button}")
    page.fill("#details form.live-form textarea[name=text]", text)
    page.fill("#details form.live-form input[name=id]", new_id)
    page.click("#details form.live-form button[type=submit]")
    has_claim(page, new_id, text)  # at once in the page that made it


def edit_text(page, claim_id, text):
    click_node(page, claim_id)
    page.click("#details button.live-edit")
    page.fill("#details form.live-form textarea[name=text]", text)
    page.click("#details form.live-form button[type=submit]")


@pytest.fixture
def team(location, cli, tmp_path):
    cli("demo", "--out", "-")
    for name in ("alice", "bob"):
        (tmp_path / f"{name}.pw").write_text(PASSWORD + "\n")
        cli("user", "add", name, "--role", "editor", "--password-file", str(tmp_path / f"{name}.pw"))
    return location


def work_together(browser, team, cli, server_a, server_b):
    """Alice on server A, Bob on server B (the same server, or another process on the database)."""
    alice = live_page(browser, server_a, "alice")
    bob = live_page(browser, server_b, "bob")
    try:
        # bob reads a claim and moves the view where he wants it
        click_node(bob, CLAIM)
        bob.evaluate("() => window.argmap.network.moveTo({position: {x: 137, y: -42}, scale: 0.83, animation: false})")
        bob.evaluate("document.getElementById('outline').scrollTop = 40")
        bob_view = view(bob)
        assert bob_view["selected"] == CLAIM and bob_view["open"] == CLAIM

        hostile = " | ".join(HOSTILE)
        answer_from_details(alice, CLAIM, "objections", hostile, "alice-objection")
        edited = "Evolution's prior is real, but it is one of several explanations. (edited by alice)"
        edit_text(alice, CLAIM, edited)
        has_claim(alice, CLAIM, edited)

        # bob's page has both, his view as he left it, his open details showing the new text
        has_claim(bob, "alice-objection", hostile)
        has_claim(bob, CLAIM, edited)
        assert_view_kept(bob, bob_view)
        assert edited in bob.text_content("#details")
        assert "alice-objection" in bob.text_content("#details")

        # alice's undo, from the page: her edit is undone in both pages, her objection stays
        alice.click("#undo-btn")  # the click returns before the server has the undo: the pages say when it has
        for page in (alice, bob):
            wait_until(page, "(id) => !window.argmap.data.claims[id].text.includes('(edited by alice)')", CLAIM,
                       what="the undone edit")
            has_claim(page, "alice-objection")
        original = cli("show", CLAIM, "--json").stdout
        assert "(edited by alice)" not in original
        assert_view_kept(bob, bob_view)

        # the CLI writes beside them: both pages hear of it
        cli("--author", "carol", "object", CLAIM, "Written in a terminal.", "--id", "from-cli")
        has_claim(alice, "from-cli")
        has_claim(bob, "from-cli")
        assert_view_kept(bob, bob_view)
        # now the latest change is carol's: an editor's undo is refused, says why, and changes nothing
        head = len(json.loads(cli("log", "--json").stdout))
        alice.click("#undo-btn")
        wait_until(alice, "document.getElementById('live-message').textContent.includes('owner role')",
                   what="the refusal")
        assert len(json.loads(cli("log", "--json").stdout)) == head
        assert alice.problems == ["Failed to load resource: the server responded with a status of 403 (Forbidden)"]
        alice.problems.clear()

        # hostile text, entered in a page, is text in every page: shown as typed, nothing run
        for page in (alice, bob):
            click_node(page, "alice-objection")
            shown = page.text_content("#details .text")
            assert shown == hostile
            assert page.evaluate("window.__pwned") is None
            assert page.locator("#details img, #details b").count() == 0
            assert page.problems == []
        authors = [c["author"] for c in json.loads(cli("log", "--json").stdout)]
        assert authors[-4:] == ["alice", "alice", "alice", "carol"]  # object, edit, undo; the CLI's
    finally:
        alice.context.close()
        bob.context.close()



def test_two_people_edit_one_map_together(browser, team, cli):
    with serve(team, token=None) as s:
        work_together(browser, team, cli, s, s)


@pytest.mark.postgresql_only
def test_two_server_processes_on_one_database(browser, team, cli):
    with serve(team, token=None) as a, serve(team, token=None) as b:
        work_together(browser, team, cli, a, b)


def test_an_edit_of_a_changed_claim_shows_both_versions(browser, team, cli):
    with serve(team, token=None) as s:
        bob = live_page(browser, s, "bob")
        try:
            click_node(bob, CLAIM)
            bob.click("#details button.live-edit")
            bob.fill("#details form.live-form textarea[name=text]", "Bob's version of the claim.")
            # meanwhile the claim changes; bob's page redraws but keeps his half-typed form
            cli("--author", "alice", "edit", CLAIM, "--text", "Alice's version of the claim.")
            has_claim(bob, CLAIM, "Alice's version of the claim.")
            assert bob.input_value("#details form.live-form textarea[name=text]") == "Bob's version of the claim."
            head = len(json.loads(cli("log", "--json").stdout))
            bob.click("#details form.live-form button[type=submit]")
            bob.wait_for_selector("#details .conflict", timeout=30_000)
            assert bob.text_content("#details .conflict .yours").startswith("YoursBob's version of the claim.")
            assert bob.text_content("#details .conflict .theirs").startswith("NowAlice's version of the claim.")
            assert "changed by alice" in bob.text_content("#details .conflict")
            assert len(json.loads(cli("log", "--json").stdout)) == head  # refused: nothing written
            assert bob.problems == ["Failed to load resource: the server responded with a status of 409 (Conflict)"]
            bob.problems.clear()
            bob.click("#details .conflict button.keep-mine")
            has_claim(bob, CLAIM, "Bob's version of the claim.")
            assert json.loads(cli("show", CLAIM, "--json").stdout)["text"] == "Bob's version of the claim."
            assert bob.problems == []
        finally:
            bob.context.close()


def test_a_form_just_opened_stays_open_through_a_redraw(browser, team, cli):
    """A reader who has opened a form and not typed yet keeps it, and the focus in it, when
    another person's change is drawn: the redraw does not close it under their hands."""
    with serve(team, token=None) as s:
        bob = live_page(browser, s, "bob")
        try:
            click_node(bob, CLAIM)
            bob.click("#details button.live-objections")
            form = bob.evaluate("document.querySelector('#details form.live-form textarea[name=text]').id")
            cli("--author", "alice", "object", CLAIM, "Drawn while bob's form is open.", "--id", "meanwhile")
            has_claim(bob, "meanwhile")
            assert bob.evaluate("document.activeElement.id") == form  # the same field, still focused
            bob.fill("#details form.live-form textarea[name=text]", "Bob's objection.")
            bob.fill("#details form.live-form input[name=id]", "bobs")
            bob.click("#details form.live-form button[type=submit]")
            has_claim(bob, "bobs", "Bob's objection.")
            assert bob.problems == []
        finally:
            bob.context.close()


def test_the_served_page_walks_the_debate_live(browser, team, cli):
    """The served page has both modes; a claim added by the CLI shows in the walk of its
    target without a reload, the walk staying where the reader is."""
    with serve(team, token=None) as s:
        alice = live_page(browser, s, "alice")
        try:
            alice.click("#mode-btn")
            alice.evaluate(f"window.argmap.walk.go({json.dumps(CLAIM)})")
            wait_until(alice, "document.body.dataset.walk === 'evolution-prior'", what="the walk at the claim")
            before = alice.eval_on_selector_all(".walk-col.cons .walk-card", "bs => bs.map(b => b.dataset.id)")
            cli("object", CLAIM, "Written in a terminal while Alice walks.", "--id", "walked-objection")
            wait_until(alice, "[...document.querySelectorAll('.walk-col.cons .walk-card')]"
                              ".some(b => b.dataset.id === 'walked-objection')", what="the new objection in the walk")
            after = alice.eval_on_selector_all(".walk-col.cons .walk-card", "bs => bs.map(b => b.dataset.id)")
            assert sorted(after) == sorted(before + ["walked-objection"])
            assert alice.evaluate("document.body.dataset.walk") == CLAIM and alice.evaluate("window.argmap.mode()") == "walk"
            assert alice.problems == []
        finally:
            alice.context.close()
