"""Input shapes that once made an importer slow (quadratic or exponential), at any size: the
benchmark (``importers.py``) times them, ``tests/test_hardening.py`` counts their work."""

import json


def aif_chain(n: int) -> str:
    """n layers of two conflict nodes, each attacking both of the next layer: 2**n paths."""
    nodes = [{"nodeID": "i1", "type": "I", "text": "A"}, {"nodeID": "i2", "type": "I", "text": "B"}]
    edges = [{"fromID": "i1", "toID": "c0a"}, {"fromID": "i1", "toID": "c0b"}]
    for k in range(n):
        for side in "ab":
            nodes.append({"nodeID": f"c{k}{side}", "type": "CA", "text": "Default Conflict"})
            targets = [f"c{k + 1}a", f"c{k + 1}b"] if k + 1 < n else ["i2"]
            edges += [{"fromID": f"c{k}{side}", "toID": t} for t in targets]
    return json.dumps({"nodes": nodes, "edges": edges})


def aif_conflicts(n: int) -> str:
    """n claims, each attacking the next through its own conflict node, with ids that slug alike."""
    nodes, edges = [], []
    for k in range(n):
        nodes.append({"nodeID": f"i{k}", "type": "I", "text": f"claim {k}", "argmapId": "same" + "".join(
            "!?;:,.~^"[int(d)] for d in format(k, "o"))})
        nodes.append({"nodeID": f"c{k}", "type": "CA", "text": "Default Conflict"})
        edges += [{"fromID": f"i{k}", "toID": f"c{k}"}, {"fromID": f"c{k}", "toID": f"i{(k + 1) % n}"}]
    return json.dumps({"nodes": nodes, "edges": edges})


def argdown_alike(n: int) -> str:
    """n statements whose titles slug alike, each attacking the first."""
    return "[first]: The first.\n\n" + "".join(
        f"[same {''.join('!?;:,.~^'[int(d)] for d in format(k, 'o'))}]: Claim {k}.\n  - [first]\n\n" for k in range(n))


def kialo_lines(n: int) -> str:
    return "Discussion Title: t\n\n1. Thesis\n1.1. Con: an objection\n" + "more text\n" * n
