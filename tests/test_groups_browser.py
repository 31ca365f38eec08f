"""Groups in the page, in a real Chromium: ELK lays each group out as a box holding exactly
its claims (and the groups inside it), arrows still clear every box they do not end at;
clicking a group's title collapses it to one of its claims, which says how many it hides,
and the details panel opens it again."""

import sys
from pathlib import Path

import pytest

from argmap.graph.formats.document import MapDocument
from argmap.graph.formats.load import import_document
from argmap.graph.maps import render_store
from test_big_maps_browser import until
from test_map_picture import arial_metrics, geometry, open_map  # noqa: F401  (the fixture too)

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "helpers"))
from picture import crosses, overlapping  # noqa: E402

HOSTILE_TITLE = "Costs <img src=x onerror=alert(1)> & \"more\""


def subtree(root, n):
    """The claims under ``root`` (itself included) in generate()'s tree: c(i)'s parent is c((i-1)//3)."""
    out, todo = [], [root]
    while todo:
        i = todo.pop()
        out.append(f"c{i}")
        todo.extend(k for k in (3 * i + 1, 3 * i + 2, 3 * i + 3) if k < n)
    return out


@pytest.fixture
def grouped(browser, store, tmp_path):
    from generate import generate
    n = 40
    doc = generate(n, cross_links=0.1)
    inner = subtree(4, n)  # c4 hangs under c1
    groups = [{"id": "one", "title": HOSTILE_TITLE, "claims": [c for c in subtree(1, n) if c not in inner]},
              {"id": "inner", "title": "Inner", "parent": "one", "claims": inner},
              {"id": "two", "title": "Two", "claims": subtree(2, n)}]
    import_document(store, MapDocument.from_dict({**doc, "groups": groups}, "grouped"))
    page, errors = open_map(browser, render_store(store, tmp_path / "g.html"))
    members = {"one": set(subtree(1, n)), "inner": set(inner), "two": set(subtree(2, n))}
    yield page, members
    assert errors == []
    page.close()


def inside(box, outer, slack=0.5):
    return (box["left"] >= outer["left"] - slack and box["right"] <= outer["right"] + slack
            and box["top"] >= outer["top"] - slack and box["bottom"] <= outer["bottom"] + slack)


def meets(a, b):
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def test_each_group_is_a_box_around_exactly_its_claims(grouped):
    page, members = grouped
    geo = geometry(page)
    assert set(geo["groups"]) == {"one", "inner", "two"}
    for gid, box in geo["groups"].items():
        for claim, b in geo["boxes"].items():
            if claim in members[gid]:
                assert inside(b, box), (gid, claim)
            else:
                assert not meets(b, box), (gid, claim)
    assert inside(geo["groups"]["inner"], geo["groups"]["one"])
    assert not meets(geo["groups"]["one"], geo["groups"]["two"])
    assert not overlapping(geo["boxes"])
    for e in geo["edges"]:  # routed, and through no claim's box but its own two
        for claim, b in geo["boxes"].items():
            if claim not in (e["from"], e["to"]):
                pts = e["points"]
                assert not any(crosses(p, q, b) for p, q in zip(pts, pts[1:])), (e["id"], claim)
    # the title is drawn as text on the canvas: the hostile one never became markup
    assert geo["groups"]["one"]["title"] == "⊖ " + HOSTILE_TITLE
    assert page.evaluate("document.querySelectorAll('img').length") == 0


def test_clicking_a_groups_title_collapses_it_to_one_claim_and_the_details_open_it(grouped):
    page, members = grouped
    box = geometry(page)["groups"]["two"]
    title = {"x": box["left"] + 40, "y": box["top"] + 12}
    page.evaluate("(p) => window.argmap.network.moveTo({position: p, scale: 1, animation: false})", title)
    at = page.evaluate("(p) => window.argmap.network.canvasToDOM(p)", title)
    canvas = page.locator("#map canvas").first.bounding_box()
    page.mouse.click(canvas["x"] + at["x"], canvas["y"] + at["y"])
    until(page, "window.argmap.collapsedGroups().length === 1 && window.argmap.drawn()")
    geo = geometry(page)
    shown_two = [c for c in geo["boxes"] if c in members["two"]]
    assert shown_two == ["c2"]  # the group's first claim in reading order, standing for it
    assert sorted(page.evaluate("window.argmap.folded()")) == sorted(members["two"] - {"c2"})
    label = page.evaluate("window.argmap.nodes.get('c2').label")
    assert f"⊕ {len(members['two']) - 1} hidden" in label and "in the group" in label
    assert geo["groups"]["two"]["title"].startswith("⊕ ")
    assert inside(geo["boxes"]["c2"], geo["groups"]["two"])
    assert set(members["one"]) <= set(geo["boxes"])  # the other groups are as they were
    page.evaluate("window.argmap.showDetails('c2')")
    page.get_by_role("button", name="Expand the group").click()
    until(page, "window.argmap.collapsedGroups().length === 0 && window.argmap.drawn()")
    assert members["two"] <= set(geometry(page)["boxes"])
    assert page.evaluate("window.argmap.folded()") == []


def test_a_collapsed_inner_group_hides_only_its_own_claims(grouped):
    page, members = grouped
    page.evaluate("window.argmap.collapseGroup('inner', true)")
    until(page, "window.argmap.drawn() && window.argmap.folded().length > 0")
    assert sorted(page.evaluate("window.argmap.folded()")) == sorted(members["inner"] - {"c4"})
    geo = geometry(page)
    assert inside(geo["boxes"]["c4"], geo["groups"]["inner"]) and inside(geo["groups"]["inner"], geo["groups"]["one"])
    page.get_by_role("button", name="Whole map").click()
    until(page, "window.argmap.collapsedGroups().length === 0 && window.argmap.drawn()")
    assert page.evaluate("window.argmap.folded()") == []


def test_walking_says_which_group_a_claim_is_in(grouped):
    page, members = grouped
    page.evaluate("window.argmap.setMode('walk')")
    page.evaluate("window.argmap.walk.go('c13')")  # under c4, in the inner group
    page.wait_for_selector("body[data-walk='c13']", state="attached")
    assert page.text_content(".walk-group") == f"In the group “{HOSTILE_TITLE} › Inner”"
    page.evaluate("window.argmap.walk.go('c3')")  # in no group
    page.wait_for_selector("body[data-walk='c3']", state="attached")
    assert page.locator(".walk-group").count() == 0
    assert page.evaluate("document.querySelectorAll('img').length") == 0
