/* argmap's picture: where the boxes go and how the arrows run.

   ELK (elkjs, inlined: Eclipse's layered layout) places the boxes in ranks, thesis at the
   top, supports and objections below it, their rebuttals below those, with the sizes
   vis-network measured for each wrapped label, and routes every arrow orthogonally around
   the boxes. vis-network cannot draw an edge with bends, so the page draws the arrows
   itself (under the boxes) and finds the one under the pointer. ELK runs in a worker, off
   the page's thread (without one, on the page's thread, up to DATA.layeredUpTo boxes). A
   view beyond DATA.layeredUpTo is shown at once in the tree argmap computes in Python and
   redrawn in ELK's layout when the worker has made it; one ELK has not made within
   DATA.elkBudgetMs keeps the tree, with straight arrows.
*/
/* vis-network keeps its boxes in plain objects: a box called "constructor" or "toString" would
   find Object.prototype's and never be drawn. Those few names get a "#" (never in a claim id)
   on their way into vis-network and lose it on the way out. */
window.argmapIds = {
  vis: function (id) { return id in Object.prototype ? id + "#" : id; },
  claim: function (id) { return typeof id === "string" && id.slice(-1) === "#" ? id.slice(0, -1) : id; }
};
window.argmapLayout = function (network, nodes, DATA) {
  "use strict";
  // every lookup keyed by claim id has no prototype: a claim called "constructor" is just a claim
  function dict() { return Object.create(null); }
  var vid = window.argmapIds.vis, cid = window.argmapIds.claim;
  var FONT_PX = 14;            // the smallest label font in the map (render.py's KIND_STYLE)
  var READABLE_PX = 11;        // text smaller than this on screen is not read, only seen
  var WIDE = 300, NARROW = 130, FIRST_WIDTH = 220;
  var ELK_OPTIONS = {
    "elk.algorithm": "layered", "elk.direction": "UP", "elk.edgeRouting": "ORTHOGONAL",
    "elk.spacing.nodeNode": "12", "elk.layered.spacing.nodeNodeBetweenLayers": "24",
    "elk.spacing.edgeNode": "14", "elk.spacing.edgeEdge": "10",
    "elk.layered.spacing.edgeNodeBetweenLayers": "8", "elk.layered.spacing.edgeEdgeBetweenLayers": "8",
    "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
    "elk.padding": "[top=12,left=12,bottom=12,right=12]"
  };
  var STYLE = dict();
  Object.keys(DATA.edgeStyle).forEach(function (t) { STYLE[t] = DATA.edgeStyle[t]; });
  var EDGES = DATA.edges;
  var byId = dict();
  DATA.nodes.forEach(function (n) { byId[n.id] = n; });
  // groups (Argdown's headings): ELK lays each out as a box holding its claims and the groups
  // inside it; the page draws the boxes under the arrows, each with its title
  var GROUP_TITLE_PX = 13, GROUP_PAD = "[top=" + (GROUP_TITLE_PX + 17) + ",left=10,bottom=10,right=10]";
  var groupOf = dict(), groupById = dict(), boxes = dict(), groupMark = function () { return ""; };
  function readGroups() {
    groupOf = dict(); groupById = dict();
    (DATA.groups || []).forEach(function (g) {
      groupById[g.id] = g;
      g.claims.forEach(function (c) { groupOf[c] = g.id; });
    });
  }
  readGroups();
  var CANCELLED = new Error("the layout was cancelled");
  var elk = layoutEngine();
  function layoutEngine() {
    // ELK lays out in a worker of its own (the same inlined script, run again from a blob),
    // so the page answers clicks and keys while a big layout is made; where a worker cannot
    // be made (an old browser, a policy), on the page's own thread as before
    if (!window.ELK) return null;
    var source = document.getElementById("elk-js");
    if (window.Worker && window.Blob && window.URL && source) {
      // made at the first layout: a big map opens on its walk and may never need one; made
      // again after ``cancel`` (a layout no one will see is dropped with its worker)
      var threaded = null, worker = null, pending = [], failed = null;
      var broken = new Promise(function (_, reject) { failed = reject; });
      var onError = function (ev) { if (ev && ev.preventDefault) ev.preventDefault(); failed(new Error("the layout worker failed")); };
      var made = function () {
        if (threaded) return threaded;
        var url = URL.createObjectURL(new Blob([source.textContent + "\n;new ELK();\n"], {type: "text/javascript"}));
        var w = worker = new Worker(url);
        w.addEventListener("error", onError);
        w.addEventListener("messageerror", onError);
        broken.catch(function () { w.terminate(); });
        threaded = new window.ELK({workerFactory: function () { return w; }});
        return threaded;
      };
      var inWorker = {
        threaded: true,
        cancel: function () {
          // stop the worker and what it was laying out (those layouts reject with CANCELLED)
          if (!worker) return;
          worker.terminate();
          worker = null;
          threaded = null;
          var was = pending;
          pending = [];
          was.forEach(function (stop) { stop(CANCELLED); });
        },
        layout: function (graph) {
          // a worker that could not be made or broke: this layout and every later one on this thread
          var asked, stop, cancelled = new Promise(function (_, reject) { stop = reject; });
          pending.push(stop);
          var settled = function () { pending = pending.filter(function (x) { return x !== stop; }); };
          try { asked = made().layout(graph); } catch (e) { failed(e); asked = broken; }
          return Promise.race([asked, broken, cancelled]).then(function (res) { settled(); return res; }, function (e) {
            settled();
            if (e === CANCELLED || elk === inWorker) throw e;
            return elk.layout(graph);
          });
        }
      };
      broken.catch(function () { elk = new window.ELK(); });
      return inWorker;
    }
    return new window.ELK();
  }

  var pos = dict(), size = dict(), routes = dict(), hidden = dict(), selectedEdge = null, hoverEdge = null, direction = "UP";
  var whole = null;  // the whole map's positions and routes, to come back to after a focus
  var measureCtx = document.createElement("canvas").getContext("2d");
  var FACE = ((DATA.options.nodes || {}).font || {}).face || "arial";

  // --- labels: "badge id: text" as one paragraph; an id too wide for its box breaks after a "-"
  function wrapHead(label, width, fontPx) {
    var cut = label.indexOf("\n");
    if (cut < 0) return label;
    var head = label.slice(0, cut), rest = label.slice(cut + 1);
    measureCtx.font = fontPx + "px " + FACE;
    var room = width - 4, pieces = head.match(/[^\s-]*-+|[^\s-]+\s*|\s+/g) || [head], lines = [], line = "";
    if (measureCtx.measureText(head + ":").width <= room) return head + ": " + rest;
    pieces.forEach(function (p) {
      if (line && measureCtx.measureText(line + p).width > room) { lines.push(line.replace(/\s+$/, "")); line = ""; }
      line += p;
    });
    lines.push(line.replace(/\s+$/, "") + ": " + rest);
    return lines.join("\n");
  }
  function widthOf(id) { var n = nodes.get(vid(id)); return n && n.widthConstraint ? n.widthConstraint.maximum : FIRST_WIDTH; }
  function wrap(id, label) { return wrapHead(label, widthOf(id), (byId[id].font || {}).size || FONT_PX); }
  function setWidths(widths) {
    nodes.update(Object.keys(widths).map(function (id) {
      var n = byId[id], w = widths[id];
      return {id: vid(id), widthConstraint: {minimum: w, maximum: w},
              label: wrapHead(nodes.get(vid(id)).rawLabel || n.label, w, (n.font || {}).size || FONT_PX)};
    }));
  }

  // --- measuring what vis-network drew ----------------------------------------------------
  function measure(ids) {
    // vis-network resizes a box only when it draws it, so everything is drawn once in view
    var scale = network.getScale(), at = network.getViewPosition();
    network.fit({nodes: ids.map(vid), animation: false});
    network.redraw();
    network.moveTo({position: at, scale: scale, animation: false});
    ids.forEach(function (id) {
      var b = network.getBoundingBox(vid(id));
      size[id] = {w: Math.ceil(b.right - b.left), h: Math.ceil(b.bottom - b.top)};
    });
  }
  function remember(ids) {
    var p = network.getPositions(ids.map(vid));
    ids.forEach(function (id) { pos[id] = {x: p[vid(id)].x, y: p[vid(id)].y}; });
  }

  // --- the layered layout ----------------------------------------------------------------
  function elkGraph(ids, order, direction) {
    var keep = dict();
    ids.forEach(function (id) { keep[id] = true; });
    var rank = dict();
    order.forEach(function (id, i) { rank[id] = i; });
    var sorted = ids.slice().sort(function (a, b) { return (rank[a] === undefined ? 1e9 : rank[a]) - (rank[b] === undefined ? 1e9 : rank[b]) || (a < b ? -1 : a > b ? 1 : 0); });
    // ELK sees "n<index>" and "e<index>", never a claim id: its own lookups are plain objects
    var alias = dict();
    var leaves = sorted.map(function (id, i) {
      alias[id] = "n" + i;
      return {id: "n" + i, width: size[id].w, height: size[id].h};
    });
    var edges = [];
    EDGES.forEach(function (e, i) {
      if (keep[e.from] && keep[e.to]) edges.push({id: "e" + i, sources: [alias[e.from]], targets: [alias[e.to]]});
    });
    var options = Object.assign({}, ELK_OPTIONS, {"elk.direction": direction});
    var nested = nest(sorted, leaves);
    if (nested.groups.length) {
      // a hierarchy: each group a box of its own, the arrows routed across the boxes' walls;
      // every position and route in the root's coordinates
      options["elk.hierarchyHandling"] = "INCLUDE_CHILDREN";
      options["elk.json.shapeCoords"] = "ROOT";
      options["elk.json.edgeCoords"] = "ROOT";
    }
    return {id: "root", layoutOptions: options, children: nested.top, edges: edges, claims: sorted, groups: nested.groups};
  }
  function nest(ids, leaves) {
    // the claims' boxes inside their groups' boxes ("g<index>", never a group id), the groups
    // inside theirs; a group none of whose claims is shown is left out
    var made = dict(), groups = [], top = [];
    function box(gid) {
      if (made[gid]) return made[gid];
      var g = groupById[gid], node = {id: "g" + groups.length, layoutOptions: {"elk.padding": GROUP_PAD}, children: []};
      made[gid] = node;
      groups.push(gid);
      var up = g.parent && groupById[g.parent] ? box(g.parent) : null;
      (up ? up.children : top).push(node);
      return node;
    }
    ids.forEach(function (id, i) {
      var gid = groupOf[id];
      (gid ? box(gid).children : top).push(leaves[i]);
    });
    return {top: top, groups: groups};
  }
  function runElk(ids, order, direction) {
    var graph = elkGraph(ids, order, direction || "UP"), claims = graph.claims, groups = graph.groups;
    delete graph.claims;
    delete graph.groups;
    return elk.layout(graph).then(function (res) {
      var out = {pos: dict(), routes: dict(), layers: [], direction: direction || "UP", boxes: dict()};
      var todo = (res.children || []).slice();
      while (todo.length) {
        var c = todo.pop();
        if (c.id.charAt(0) === "g") {
          out.boxes[groups[+c.id.slice(1)]] = {x: c.x, y: c.y, w: c.width, h: c.height};
          todo = todo.concat(c.children || []);
          continue;
        }
        out.pos[claims[+c.id.slice(1)]] = {x: c.x + c.width / 2, y: c.y + c.height / 2, top: c.y, bottom: c.y + c.height};
      }
      (res.edges || []).forEach(function (e) {
        var s = e.sections && e.sections[0];
        if (!s) return;
        var pts = [s.startPoint].concat(s.bendPoints || [], [s.endPoint]).map(function (p) { return {x: p.x, y: p.y}; });
        out.routes[EDGES[+e.id.slice(1)].id] = pts;
      });
      // ranks: boxes of one rank share a band across the page, ranks do not overlap
      var byTop = ids.slice().sort(function (a, b) { return out.pos[a].top - out.pos[b].top; }), band = -Infinity;
      byTop.forEach(function (id) {
        if (out.pos[id].top >= band) { out.layers.push([]); band = out.pos[id].bottom; }
        band = Math.max(band, out.pos[id].bottom);
        out.layers[out.layers.length - 1].push(id);
      });
      return out;
    });
  }
  function widthsFor(layers, budget) {
    // each rank shares the width of the view read at 11-12 px; within a rank a box's width
    // follows its text's length, so the boxes of a rank come out about equally tall
    var widths = dict();
    layers.forEach(function (layer) {
      var room = budget - (layer.length + 1) * 12, total = 0;
      layer.forEach(function (id) { total += textLength(id); });
      layer.forEach(function (id) {
        widths[id] = Math.max(NARROW, Math.min(WIDE, Math.floor(room * textLength(id) / total)));
      });
    });
    return widths;
  }
  function textLength(id) { return Math.max(24, (nodes.get(vid(id)).rawLabel || byId[id].label).length); }
  function apply(result) {
    Object.keys(result.pos).forEach(function (id) {
      network.moveNode(vid(id), result.pos[id].x, result.pos[id].y);
      pos[id] = {x: result.pos[id].x, y: result.pos[id].y};
    });
    routes = result.routes;
    boxes = result.boxes || dict();
    direction = result.direction;
  }
  function boxArea(ids) {
    var a = 0;
    ids.forEach(function (id) { a += size[id].w * size[id].h; });
    return a;
  }
  function extent(res) {
    var w = 0, h = 0;
    Object.keys(res.pos).forEach(function (id) {
      w = Math.max(w, res.pos[id].x + size[id].w / 2);
      h = Math.max(h, res.pos[id].bottom);
    });
    Object.keys(res.boxes || {}).forEach(function (g) {
      w = Math.max(w, res.boxes[g].x + res.boxes[g].w);
      h = Math.max(h, res.boxes[g].y + res.boxes[g].h);
    });
    return {w: w, h: h};
  }
  function keptView(ids) {
    // the claim nearest the middle of the view now: after the boxes move, put it back at the
    // same place on the screen, at the same scale
    var c = network.body.container, scale = network.getScale();
    var mid = network.DOMtoCanvas({x: c.clientWidth / 2, y: c.clientHeight / 2}), best = null, d = Infinity;
    ids.forEach(function (id) {
      if (hidden[id] || !pos[id]) return;
      var e = Math.hypot(pos[id].x - mid.x, pos[id].y - mid.y);
      if (e < d) { d = e; best = id; }
    });
    if (!best) return function () {};
    var off = {x: mid.x - pos[best].x, y: mid.y - pos[best].y};
    return function () {
      network.moveTo({position: {x: pos[best].x + off.x, y: pos[best].y + off.y}, scale: scale, animation: false});
    };
  }
  function layered(ids, order, check, asShown) {
    // the first pass finds the ranks; the next size each rank's boxes to share the view's
    // width, trading width for height until the picture has the view's proportions.
    // ``asShown``: one pass with the boxes as drawn, replacing the picture the reader has
    if (!elk || !ids.length) return Promise.resolve(false);
    if (asShown) {
      measure(ids);
      return runElk(ids, order).then(function (res) {
        check();
        var back = keptView(ids);
        apply(res);
        back();
        return true;
      });
    }
    var c = network.body.container, view = {w: (c.clientWidth || 1200) - 32, h: (c.clientHeight || 800) - 32};
    var goal = FONT_PX / (READABLE_PX + 0.5), budget = view.w * goal, widths = dict(), best = null, passes = 0;
    ids.forEach(function (id) { widths[id] = FIRST_WIDTH; });
    function keep(res, scale) {
      if (!best || scale > best.scale) best = {res: res, scale: scale, sizes: copy(size), widths: copy(widths)};
      return best;
    }
    function step(res) {
      check();
      var e = extent(res), rw = view.w / e.w, rh = view.h / e.h, scale = Math.min(rw, rh);
      if (passes === 0 && boxArea(ids) > 0.6 * view.w * view.h * goal * goal) return keep(res, scale);  // too much to fit readably
      if (passes > 0) {
        keep(res, scale);
        if (passes === 5 || Math.abs(Math.log(rw / rh)) < 0.03) return best;
        budget *= Math.sqrt(rw / rh);
      }
      passes++;
      var better = widthsFor(res.layers, budget);
      if (passes > 1 && ids.every(function (id) { return better[id] === widths[id]; })) return best;
      widths = better;
      setWidths(widths);
      measure(ids);
      return runElk(ids, order).then(step);
    }
    function sideways(res) {
      check();
      // a bushy tree laid out downwards is a thin strip many screens wide: grown sideways it
      // reads down the page, so take whichever shape is nearer the view's
      var e = extent(res), away = Math.abs(Math.log(e.w / e.h / (view.w / view.h)));
      if (away < 1.2) return step(res);
      return runElk(ids, order, "LEFT").then(function (left) {
        check();
        var f = extent(left);
        if (Math.abs(Math.log(f.w / f.h / (view.w / view.h))) >= away) return step(res);
        return keep(left, Math.min(view.w / f.w, view.h / f.h));
      });
    }
    setWidths(widths);
    measure(ids);
    return runElk(ids, order).then(sideways).then(function (b) {
      check();
      setWidths(b.widths);
      size = b.sizes;
      apply(b.res);
      return true;
    });
  }

  // --- the first view: everything if it can be read, else the thesis, readable -----------
  function bounds(ids) {
    // the shown boxes, with the groups' boxes and the arrows routed around them (an arrow
    // between two groups may run outside both)
    var l = Infinity, t = Infinity, r = -Infinity, b = -Infinity;
    ids.forEach(function (id) {
      if (hidden[id] || !pos[id]) return;
      var s = size[id] || {w: 0, h: 0};
      l = Math.min(l, pos[id].x - s.w / 2); r = Math.max(r, pos[id].x + s.w / 2);
      t = Math.min(t, pos[id].y - s.h / 2); b = Math.max(b, pos[id].y + s.h / 2);
    });
    if (l === Infinity) return null;
    Object.keys(boxes).forEach(function (g) {
      var x = boxes[g];
      l = Math.min(l, x.x); r = Math.max(r, x.x + x.w); t = Math.min(t, x.y); b = Math.max(b, x.y + x.h);
    });
    if (Object.keys(boxes).length) {
      EDGES.forEach(function (e) {
        if (!routes[e.id] || !shown(e)) return;
        routes[e.id].forEach(function (p) { l = Math.min(l, p.x); r = Math.max(r, p.x); t = Math.min(t, p.y); b = Math.max(b, p.y); });
      });
    }
    return {l: l, t: t, r: r, b: b};
  }
  function fit(ids) {
    // vis-network's fit leaves a tenth of the view empty; this one leaves 16 px
    var c = network.body.container, b = bounds(ids);
    if (!b) return;
    var scale = Math.min(1.2, (c.clientWidth - 32) / Math.max(1, b.r - b.l), (c.clientHeight - 32) / Math.max(1, b.b - b.t));
    network.moveTo({position: {x: (b.l + b.r) / 2, y: (b.t + b.b) / 2}, scale: scale, animation: false});
  }
  function show(ids, anchor) {
    fit(ids);
    if (network.getScale() * FONT_PX >= READABLE_PX) { overview.hide(); return "fit"; }
    // the anchor (the thesis) at the edge the map grows from, at full size
    // (no empty band beyond the map's own edge)
    var c = network.body.container, a = anchor && pos[anchor] ? pos[anchor] : {x: 0, y: 0}, s = size[anchor] || {w: 0, h: 0};
    var b = bounds(ids) || {l: 0, t: 0}, w = c.clientWidth / 2 - 24, h = c.clientHeight / 2 - 24;
    var at = direction === "LEFT" ? {x: a.x - s.w / 2 + w, y: Math.max(a.y, b.t + h)}
                                  : {x: Math.max(a.x, b.l + w), y: a.y - s.h / 2 + h};
    network.moveTo({position: at, scale: 1, animation: false});
    overview.show(ids);
    return "anchor";
  }

  // --- drawing the arrows -------------------------------------------------------------
  function clip(from, to, box) {
    // where the segment from the centre `from` towards `to` leaves a box of size box
    var dx = to.x - from.x, dy = to.y - from.y;
    if (!dx && !dy) return {x: from.x, y: from.y};
    var tx = dx ? (box.w / 2) / Math.abs(dx) : Infinity, ty = dy ? (box.h / 2) / Math.abs(dy) : Infinity;
    var t = Math.min(tx, ty, 1);
    return {x: from.x + dx * t, y: from.y + dy * t};
  }
  function pointsOf(e) {
    if (routes[e.id]) return routes[e.id];
    var a = pos[e.from], b = pos[e.to];
    if (!a || !b) return null;
    var sa = size[e.from] || {w: 0, h: 0}, sb = size[e.to] || {w: 0, h: 0};
    return [clip(a, b, sa), clip(b, a, sb)];
  }
  // a big map's cross-links (arrows off the walk's tree) are drawn only when one of their
  // ends is the selected claim: otherwise they would cross the picture
  var quiet = dict(), chosen = null;
  function shown(e) {
    return !hidden[e.from] && !hidden[e.to] && (!quiet[e.id] || e.from === chosen || e.to === chosen);
  }
  function drawOne(ctx, e, pts, scale) {
    var st = STYLE[e.type] || STYLE.supports, wide = e.id === selectedEdge || e.id === hoverEdge;
    ctx.strokeStyle = st.color;
    ctx.fillStyle = st.color;
    ctx.lineWidth = wide ? 4 : 2;
    ctx.setLineDash(st.dashes || []);
    ctx.beginPath();
    ctx.moveTo(pts[0].x, pts[0].y);
    for (var i = 1; i < pts.length - 1; i++) ctx.arcTo(pts[i].x, pts[i].y, pts[i + 1].x, pts[i + 1].y, 8);
    var end = pts[pts.length - 1], prev = pts[pts.length - 2];
    var len = Math.hypot(end.x - prev.x, end.y - prev.y) || 1, ux = (end.x - prev.x) / len, uy = (end.y - prev.y) / len;
    var head = wide ? 13 : 11;
    ctx.lineTo(end.x - ux * head * 0.8, end.y - uy * head * 0.8);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.beginPath();
    ctx.moveTo(end.x, end.y);
    ctx.lineTo(end.x - ux * head - uy * head * 0.45, end.y - uy * head + ux * head * 0.45);
    ctx.lineTo(end.x - ux * head + uy * head * 0.45, end.y - uy * head - ux * head * 0.45);
    ctx.closePath();
    ctx.fill();
  }
  function groupTitle(gid) { return groupMark(gid) + groupById[gid].title; }
  function drawBoxes(ctx) {
    // outer groups first, so an inner group's box lies on its parent's
    (DATA.groups || []).forEach(function (g) {
      var b = boxes[g.id];
      if (!b) return;
      ctx.fillStyle = g.depth % 2 ? "rgba(120,120,150,0.10)" : "rgba(90,110,160,0.08)";
      ctx.strokeStyle = "#8a93a8";
      ctx.lineWidth = 1.5;
      ctx.setLineDash([]);
      ctx.beginPath();
      if (ctx.roundRect) ctx.roundRect(b.x, b.y, b.w, b.h, 10); else ctx.rect(b.x, b.y, b.w, b.h);
      ctx.fill();
      ctx.stroke();
      ctx.fillStyle = "#2b3445";
      ctx.font = "bold " + GROUP_TITLE_PX + "px " + FACE;
      ctx.textBaseline = "top";
      var text = groupTitle(g.id), room = b.w - 20;
      if (ctx.measureText(text).width > room) {
        while (text.length > 1 && ctx.measureText(text + "…").width > room) text = text.slice(0, -1);
        text += "…";
      }
      ctx.fillText(text, b.x + 10, b.y + 8);
    });
  }
  function groupAt(p) {
    // the innermost group whose title band is at the canvas point p
    var found = null;
    (DATA.groups || []).forEach(function (g) {
      var b = boxes[g.id];
      if (b && p.x >= b.x && p.x <= b.x + b.w && p.y >= b.y && p.y <= b.y + GROUP_TITLE_PX + 14) found = g.id;
    });
    return found;
  }
  network.on("beforeDrawing", function (ctx) {
    var scale = network.getScale();
    ctx.save();
    drawBoxes(ctx);
    EDGES.forEach(function (e) {
      if (!shown(e)) return;
      var pts = pointsOf(e);
      if (pts && pts.length > 1) drawOne(ctx, e, pts, scale);
    });
    ctx.restore();
  });
  network.on("dragEnd", function (params) {
    if (!params.nodes || !params.nodes.length) return;
    var ids = params.nodes.map(cid), moved = dict();
    remember(ids);
    ids.forEach(function (id) { moved[id] = true; });
    EDGES.forEach(function (e) { if (moved[e.from] || moved[e.to]) delete routes[e.id]; });  // straight once moved
  });
  network.on("dragging", function (params) { if (params.nodes && params.nodes.length) remember(params.nodes.map(cid)); });

  // --- which arrow is under the pointer ---------------------------------------------------
  function distance(p, a, b) {
    var dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy;
    var t = l2 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2)) : 0;
    return Math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
  }
  function edgeAt(p) {
    var best = null, bestD = 7 / network.getScale();
    EDGES.forEach(function (e) {
      if (!shown(e)) return;
      var pts = pointsOf(e);
      if (!pts) return;
      for (var i = 1; i < pts.length; i++) {
        var d = distance(p, pts[i - 1], pts[i]);
        if (d < bestD) { bestD = d; best = e; }
      }
    });
    return best;
  }
  var tip = document.createElement("div");
  tip.className = "edge-tip";
  tip.hidden = true;
  network.body.container.appendChild(tip);
  network.body.container.addEventListener("mousemove", function (ev) {
    var r = network.body.container.getBoundingClientRect(), dom = {x: ev.clientX - r.left, y: ev.clientY - r.top};
    var e = network.getNodeAt(dom) === undefined ? edgeAt(network.DOMtoCanvas(dom)) : null;
    var id = e ? e.id : null;
    if (id !== hoverEdge) { hoverEdge = id; network.redraw(); }
    tip.hidden = !e;
    if (e) { tip.textContent = e.title; tip.style.left = (dom.x + 12) + "px"; tip.style.top = (dom.y + 12) + "px"; }
  });
  network.body.container.addEventListener("mouseleave", function () {
    tip.hidden = true;
    if (hoverEdge) { hoverEdge = null; network.redraw(); }
  });

  // --- the overview: the whole map in a corner, the view as a frame, click to go there ----
  var overview = (function () {
    var canvas = document.createElement("canvas"), W = 240, H = 160, ids = [], frame = null;
    canvas.width = W; canvas.height = H;
    canvas.id = "overview";
    canvas.hidden = true;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", "overview of the whole map; click to move the view");
    network.body.container.appendChild(canvas);
    function scaled() {
      // the shown boxes' bounds (the layout's own), and the factor that fits them in the overview
      var b = bounds(ids) || {l: 0, t: 0, r: 1, b: 1};
      return {l: b.l, t: b.t, k: Math.min((W - 8) / Math.max(1, b.r - b.l), (H - 8) / Math.max(1, b.b - b.t))};
    }
    function draw() {
      if (canvas.hidden) return;
      var ctx = canvas.getContext("2d"), f = frame = scaled();
      ctx.clearRect(0, 0, W, H);
      ctx.fillStyle = "rgba(255,255,255,0.92)";
      ctx.fillRect(0, 0, W, H);
      ids.forEach(function (id) {
        if (hidden[id] || !pos[id]) return;
        var s = size[id] || {w: 20, h: 20}, n = byId[id];
        ctx.fillStyle = n.color && n.color.background ? n.color.background : "#ccc";
        ctx.fillRect(4 + (pos[id].x - s.w / 2 - f.l) * f.k, 4 + (pos[id].y - s.h / 2 - f.t) * f.k,
                     Math.max(1.5, s.w * f.k), Math.max(1.5, s.h * f.k));
      });
      var c = network.body.container, scale = network.getScale(), v = network.getViewPosition();
      var vw = c.clientWidth / scale, vh = c.clientHeight / scale;
      ctx.strokeStyle = "#1a5fb4";
      ctx.lineWidth = 2;
      ctx.strokeRect(4 + (v.x - vw / 2 - f.l) * f.k, 4 + (v.y - vh / 2 - f.t) * f.k, vw * f.k, vh * f.k);
    }
    function go(ev) {
      if (!frame) return;
      var r = canvas.getBoundingClientRect();
      network.moveTo({position: {x: frame.l + (ev.clientX - r.left - 4) / frame.k, y: frame.t + (ev.clientY - r.top - 4) / frame.k},
                      animation: false});
    }
    var down = false;
    canvas.addEventListener("mousedown", function (ev) { down = true; go(ev); ev.preventDefault(); ev.stopPropagation(); });
    window.addEventListener("mousemove", function (ev) { if (down) go(ev); });
    window.addEventListener("mouseup", function () { down = false; });
    network.on("afterDrawing", draw);
    return {
      show: function (list) { ids = list; canvas.hidden = false; draw(); },
      hide: function () { canvas.hidden = true; },
      visible: function () { return !canvas.hidden; }
    };
  })();

  // --- what the page asks of it -------------------------------------------------------------
  var ALL = DATA.nodes.map(function (n) { return n.id; });
  // --- one layout at a time ----------------------------------------------------------------
  // ELK works while the page goes on, so a reader may ask for another view before the last
  // is made: the newer supersedes it. The older stops at its next step (``check``), touching
  // nothing, and whoever asked for it gets the newer one's outcome.
  var STALE = {}, generation = 0, newest = Promise.resolve(false);
  function latest(work) {
    var mine = ++generation, made;
    dropBehind();
    function check() { if (mine !== generation) throw STALE; }
    try { made = Promise.resolve(work(check)); } catch (e) { made = Promise.reject(e); }
    made = made.catch(function (e) { if (e === STALE) return newest; throw e; });
    newest = made;
    return made;
  }
  function orTree(check) {
    // no ELK layout (none wanted, or it failed): the positions the page has; a superseded one stops
    return function (e) { if (e === STALE) throw e; check(); return false; };
  }
  function start(order, anchor) { return latest(function (check) { return startNow(order, anchor, check); }); }
  function focus(ids, order, anchor) { return latest(function (check) { return focusNow(ids, order, anchor, check); }); }
  // a view of up to DATA.layeredUpTo boxes is laid out by ELK before it is shown; a bigger
  // one (with a worker) is shown at once in the tree from Python and redrawn in ELK's layout
  // when the worker has made it, the reader's view kept
  function elkFirst(ids) { return !!elk && ids.length <= DATA.layeredUpTo; }
  function elkAfter(ids) { return !!elk && !!elk.threaded && !elkFirst(ids); }
  var lately = Promise.resolve(false), behind = null;
  function dropBehind() {
    // a view asked for while a big one is being laid out: that layout is for a view no one
    // will see, and the worker would finish it before starting the new one
    if (behind && elk && elk.cancel) { behind = null; elk.cancel(); }
  }
  function thenElk(ids, order, check, isWhole) {
    // ELK's layout of a big view, made in the worker while the reader uses the tree; one
    // not made within DATA.elkBudgetMs (a tangled map of thousands) is given up, the tree stays
    var mine = behind = {};
    document.body.dataset.later = "running";
    var timer = DATA.elkBudgetMs ? setTimeout(function () { if (behind === mine) dropBehind(); }, DATA.elkBudgetMs) : null;
    lately = layered(ids, order, check, true).then(function (done) {
      if (done && isWhole) whole = snapshot();
      network.redraw();
      return done;
    }).catch(function () { return false; }).then(function (done) {  // superseded, given up, or ELK failed: the tree stays
      clearTimeout(timer);
      if (behind === mine) behind = null;
      if (document.body.dataset.later === "running") document.body.dataset.later = done ? "elk" : "tree";
      return done;
    });
  }
  function snapshot() {
    var widths = dict();
    ALL.forEach(function (id) { widths[id] = widthOf(id); });
    return {pos: copy(pos), routes: routes, size: copy(size), widths: widths, direction: direction, boxes: boxes};
  }
  function startNow(order, anchor, check) {
    // the whole map's first view; resolves to "fit" or "anchor"
    nodes.update(DATA.nodes.map(function (n) { return {id: vid(n.id), rawLabel: n.label, label: wrap(n.id, n.label)}; }));
    var wanted = elkFirst(ALL) ? layered(ALL, order, check) : Promise.resolve(false);
    return wanted.catch(orTree(check)).then(function (done) {
      check();
      if (!done) { measure(ALL); remember(ALL); routes = dict(); boxes = dict(); }
      whole = snapshot();
      var how = show(ALL, anchor);
      if (!done && elkAfter(ALL)) thenElk(ALL, order, check, true);
      return how;
    });
  }
  function focusNow(ids, order, anchor, check) {
    var wanted = elkFirst(ids) ? layered(ids, order, check) : Promise.resolve(false);
    return wanted.catch(orTree(check)).then(function (done) {
      check();
      if (!done) {
        // boxes never laid out (a big map's whole layout is made only when asked for) stay
        // where the page placed them, measured now
        var fresh = ids.filter(function (id) { return !pos[id]; });
        if (fresh.length) { setWidths(Object.fromEntries(fresh.map(function (id) { return [id, widthOf(id)]; }))); measure(fresh); remember(fresh); }
        routes = dict();
        boxes = dict();
      }
      var how = show(ids, anchor);
      if (!done && elkAfter(ids)) thenElk(ids, order, check, false);
      return how;
    });
  }
  function copy(x) { return Object.assign(dict(), JSON.parse(JSON.stringify(x))); }
  function restore() {
    // back to the whole map as it was first laid out (a focus resized and moved some boxes)
    if (!whole) return;
    setWidths(whole.widths);
    Object.keys(whole.pos).forEach(function (id) { network.moveNode(vid(id), whole.pos[id].x, whole.pos[id].y); });
    pos = copy(whole.pos);
    size = copy(whole.size);
    routes = whole.routes;
    boxes = whole.boxes || dict();
    direction = whole.direction;
  }
  function reset() {
    // the page's DATA now holds another state of the map: forget everything laid out, and
    // stop what is being laid out of the last
    generation++;
    dropBehind();
    newest = Promise.resolve(false);
    EDGES = DATA.edges;
    byId = dict();
    DATA.nodes.forEach(function (n) { byId[n.id] = n; });
    ALL = DATA.nodes.map(function (n) { return n.id; });
    pos = dict(); size = dict(); routes = dict(); hidden = dict(); boxes = dict();
    readGroups();
    selectedEdge = null; hoverEdge = null; whole = null;
  }
  return {
    start: start, started: function () { return !!whole; }, focus: focus, show: show, reset: reset,
    whole: function (anchor) { return latest(function () { restore(); return show(ALL, anchor); }); },
    engine: function () { return !elk ? "none" : elk.threaded ? "worker" : "page"; },
    later: function () { return lately; },  // the ELK layout that replaces a big view's tree (true once drawn)
    cancelLater: dropBehind,
    setHidden: function (map) { hidden = Object.assign(dict(), map); },
    setQuiet: function (map) { quiet = Object.assign(dict(), map); },
    setChosen: function (id) { if (chosen !== id) { chosen = id; network.redraw(); } },
    wrap: wrap,
    edgeAt: edgeAt,
    groupAt: groupAt,
    setGroupMark: function (fn) { groupMark = fn; },
    selectEdge: function (id) { selectedEdge = id; network.redraw(); },
    selectedEdge: function () { return selectedEdge; },
    overviewShown: function () { return overview.visible(); },
    geometry: function () {
      // what a person sees, for the tests: boxes of shown claims, the arrows between them,
      // and the groups' boxes ({left, right, top, bottom} each)
      var claimBoxes = dict(), lines = [], groupBoxes = dict();
      ALL.forEach(function (id) {
        if (hidden[id]) return;
        var b = network.getBoundingBox(vid(id));
        claimBoxes[id] = {left: b.left, right: b.right, top: b.top, bottom: b.bottom};
      });
      EDGES.forEach(function (e) { if (shown(e)) lines.push({id: e.id, from: e.from, to: e.to, points: pointsOf(e)}); });
      Object.keys(boxes).forEach(function (g) {
        var b = boxes[g];
        groupBoxes[g] = {left: b.x, right: b.x + b.w, top: b.y, bottom: b.y + b.h, title: groupTitle(g)};
      });
      return {boxes: claimBoxes, edges: lines, groups: groupBoxes, scale: network.getScale(), fontPx: FONT_PX, view: network.getViewPosition(),
              width: network.body.container.clientWidth, height: network.body.container.clientHeight};
    },
    style: function (id) {
      var e = EDGES.filter(function (x) { return x.id === id; })[0];
      return e ? {color: (STYLE[e.type] || STYLE.supports).color, width: id === selectedEdge || id === hoverEdge ? 4 : 2} : null;
    }
  };
};
