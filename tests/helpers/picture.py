"""Geometry of the map as drawn (from ``window.argmap.layout.geometry()``): what the browser
tests measure. Boxes are {left, right, top, bottom}, arrows lists of {x, y} points, all in
the map's own coordinates."""


def overlapping(boxes):
    ids = sorted(boxes)
    return [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]
            if min(boxes[a]["right"], boxes[b]["right"]) - max(boxes[a]["left"], boxes[b]["left"]) > 0.5
            and min(boxes[a]["bottom"], boxes[b]["bottom"]) - max(boxes[a]["top"], boxes[b]["top"]) > 0.5]


def crosses(p, q, box, inset=1.0):
    """Does the segment p-q pass through the inside of box (Liang-Barsky clipping)?"""
    left, right, top, bottom = box["left"] + inset, box["right"] - inset, box["top"] + inset, box["bottom"] - inset
    dx, dy = q["x"] - p["x"], q["y"] - p["y"]
    t0, t1 = 0.0, 1.0
    for step, room in ((-dx, p["x"] - left), (dx, right - p["x"]), (-dy, p["y"] - top), (dy, bottom - p["y"])):
        if step == 0:
            if room < 0:
                return False
            continue
        t = room / step
        if step < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
    return t0 < t1


def through_boxes(geo):
    hits = []
    for e in geo["edges"]:
        pts = e["points"]
        for p, q in zip(pts, pts[1:]):
            hits += [(e["id"], n) for n, box in geo["boxes"].items()
                     if n not in (e["from"], e["to"]) and crosses(p, q, box)]
    return hits


def on_border(point, box, slack=2.5):
    inside = box["left"] - slack <= point["x"] <= box["right"] + slack and box["top"] - slack <= point["y"] <= box["bottom"] + slack
    near = min(abs(point["x"] - box["left"]), abs(point["x"] - box["right"]),
               abs(point["y"] - box["top"]), abs(point["y"] - box["bottom"])) <= slack
    return inside and near


def loose_ends(geo):
    """Arrows that do not start on their source's border or end on their target's."""
    return [e["id"] for e in geo["edges"]
            if not on_border(e["points"][0], geo["boxes"][e["from"]]) or not on_border(e["points"][-1], geo["boxes"][e["to"]])]


def in_view(geo, box):
    scale, view = geo["scale"], geo["view"]
    half_w, half_h = geo["width"] / 2 / scale, geo["height"] / 2 / scale
    return (box["left"] >= view["x"] - half_w - 1 and box["right"] <= view["x"] + half_w + 1
            and box["top"] >= view["y"] - half_h - 1 and box["bottom"] <= view["y"] + half_h + 1)


def assert_clean(geo, n_nodes, n_edges):
    assert len(geo["boxes"]) == n_nodes and len(geo["edges"]) == n_edges
    assert overlapping(geo["boxes"]) == []
    assert through_boxes(geo) == []
    assert loose_ends(geo) == []
