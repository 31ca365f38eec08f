"""The HTML map without a browser: offline, escaped, deterministic, styled by kind."""

import json
import re

import pytest

from argmap.graph.maps import render_store
from argmap.graph.render import EDGE_STYLE, KIND_STYLE, map_data, render_html

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    '"><svg onload=alert(3)>',
    "<a href=\"javascript:alert(4)\">href</a>",
    "{{ 7*7 }} ${alert(5)} & &amp; \u2028 \u2029",
]


@pytest.fixture
def hostile_store(store):
    store.add_claim("Thesis <b>bold</b>", claim_id="t", kind="thesis")
    for n, text in enumerate(HOSTILE):
        store.object("t", text, f"h{n}")
    from argmap.evidence.sources import add_evidence, add_source
    add_source(store, "src", "<script>alert('title')</script>", url="https://example.org/?q=<x>")
    add_evidence(store, "h0", "src", "<img src=y onerror=alert(6)>", "<b>para</b>")
    return store


def script_blocks(html):
    return re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S)


def without_vis(html):
    """The page minus the inlined vis-network and elkjs libraries (whose code has its own '<b>' etc.)."""
    from argmap.graph.render import _asset, _template
    vis, elk = _asset("vis-network.min.js"), _template("elk.bundled.js")
    assert vis in html and elk in html
    return html.replace(vis, "").replace(elk, "").replace(_asset("vis-network.css"), "")


def test_no_remote_resources(demo_store, tmp_path):
    html = render_store(demo_store, tmp_path / "m.html").read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    assert "<link" not in html.lower()
    assert "cdn" not in without_vis(html).lower()
    assert "default-src 'none'" in html  # the page may not fetch anything, even by accident
    assert "vis.Network" in html and len(html) > 400_000  # vis-network itself is inlined


def test_hostile_text_is_escaped_everywhere(hostile_store):
    html = render_html(hostile_store.read_map().to_networkx(), title="<i>title</i>")
    for needle in ["<img", "<svg", "<b>", "<i>title", "href=\"javascript", "onerror=alert(1)>"]:
        assert needle not in without_vis(html)
    assert "&lt;i&gt;title&lt;/i&gt;" in html
    blocks = script_blocks(html)
    # only our six script blocks: the data, vis-network, elkjs, the layout, the walk and the page logic
    assert len(blocks) == 6
    data = json.loads(re.search(r'<script type="application/json" id="argmap-data">(.*?)</script>', html, re.S).group(1))
    assert data["claims"]["h0"]["text"] == HOSTILE[0]
    assert data["claims"]["h1"]["text"] == HOSTILE[1]
    assert data["claims"]["h0"]["evidence"][0]["quote"] == "<img src=y onerror=alert(6)>"


def test_render_is_deterministic(demo_store):
    g = demo_store.read_map().to_networkx()
    assert render_html(g, "x") == render_html(demo_store.read_map().to_networkx(), "x")


def test_layout_puts_the_thesis_first_and_objections_next_to_targets(demo_store):
    data = map_data(demo_store.read_map().to_networkx(), "t")
    pos = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    xs = {x for x, _ in pos.values()}
    assert pos["data-black-hole"][0] == min(xs)
    for objection, target in [("genome-too-small", "evolution-prior"), ("deaf-signers", "multimodal-tokens"),
                              ("compute-vs-data-optimal", "chinchilla-one-oom")]:
        assert pos[objection][0] > pos[target][0]
        assert abs(pos[objection][1] - pos[target][1]) <= 3 * 88
    assert len(set(pos.values())) == len(pos)  # no two claims on top of each other


def test_style_by_kind_and_relation_and_a_legend(demo_store):
    data = map_data(demo_store.read_map().to_networkx(), "t")
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["data-black-hole"]["color"] == KIND_STYLE["thesis"]["color"]
    assert by_id["evolution-prior"]["color"] == KIND_STYLE["objection"]["color"]
    assert by_id["genome-too-small"]["color"] == KIND_STYLE["rebuttal"]["color"]
    assert by_id["data-black-hole"]["font"]["size"] > by_id["driving-gap"]["font"]["size"]
    edge = {(e["from"], e["to"]): e for e in data["edges"]}
    assert edge[("driving-gap", "data-black-hole")]["type"] == "supports"
    assert edge[("evolution-prior", "data-black-hole")]["type"] == "attacks"
    assert data["edgeStyle"] == EDGE_STYLE and EDGE_STYLE["attacks"]["dashes"] and not EDGE_STYLE["supports"]["dashes"]
    assert EDGE_STYLE["attacks"]["color"] != EDGE_STYLE["supports"]["color"]
    # every label font at least 14 px: the page's readability rule (11 px at the first view) counts on it
    assert min(n["font"]["size"] for n in data["nodes"]) >= 14
    html = render_html(demo_store.read_map().to_networkx(), "t")
    assert 'id="legend"' in html
    for word in ("thesis", "objection", "rebuttal", "supports", "attacks"):
        assert word in html


def test_details_carry_text_evidence_and_neighbours(demo_store):
    data = map_data(demo_store.read_map().to_networkx(), "t")
    ep = data["claims"]["evolution-prior"]
    assert ep["attackers"] == ["genome-too-small", "marginal-still-worse"]
    assert ep["evidence"][0]["source_title"] == "The sample efficiency black hole"
    assert "pretraining" in ep["text"]
