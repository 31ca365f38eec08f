// Walk the debate: one claim at a time, large, with what supports it and what objects to it
// in two columns, and a breadcrumb back to the thesis (Kialo's way through a big debate).
// The debate is read as a tree: each claim sits under the first claim it bears on in the
// outline's reading order (supports first, then objections, each by id); any other claim it
// bears on is a link that jumps there ("-> See" in Kialo), never a line across the map.
// Where the reader is lives in the address (#walk=ID), so the browser's Back goes back.
(function () {
  "use strict";
  function dict() { return Object.create(null); }
  var BADGE = {"IN": "✔ IN", "OUT": "✘ OUT", "UNDEC": "? UNDEC", "REJECTED": "⊘ REJECTED"};
  var CARD_CHARS = 320;

  window.argmapWalk = function (root, DATA, hooks) {
    var tree = null;

    function build() {
      // children (supports first, then attacks, each by id), the tree's parent of each
      // claim, and how many claims hang under each: all in time linear in the map
      var incoming = dict(), outgoing = dict();
      DATA.edges.forEach(function (e) {
        (incoming[e.to] = incoming[e.to] || []).push(e);
        outgoing[e.from] = true;
      });
      Object.keys(incoming).forEach(function (k) {
        incoming[k].sort(function (a, b) {
          return (a.type === "supports" ? 0 : 1) - (b.type === "supports" ? 0 : 1) || (a.from < b.from ? -1 : a.from > b.from ? 1 : 0);
        });
      });
      var ids = Object.keys(DATA.claims).sort();
      var theses = ids.filter(function (id) { return DATA.claims[id].kind === "thesis"; });
      var starts = theses.concat(ids.filter(function (id) { return !outgoing[id] && DATA.claims[id].kind !== "thesis"; }));
      // a claim numbered under another (Kialo's 1.2.3 under 1.2) sits there, whatever else it bears on
      var home = dict();
      DATA.edges.forEach(function (e) {
        if (e.from.lastIndexOf(e.to + ".", 0) === 0 && (!home[e.from] || e.to.length > home[e.from].length)) home[e.from] = e.to;
      });
      var parent = dict(), order = [], roots = [];
      function grow(start) {
        // depth first, as the outline reads: a claim sits under the claim it was first reached
        // from, so a Kialo "-> See" link does not pull a claim out of its own branch
        if (start in parent) return;
        roots.push(start);
        var stack = [[start, null]];
        while (stack.length) {
          var top = stack.pop(), id = top[0];
          if (id in parent) continue;
          parent[id] = top[1];
          order.push(id);
          var kids = incoming[id] || [];
          for (var i = kids.length - 1; i >= 0; i--) {
            var k = kids[i].from;
            if (!(k in parent) && (!home[k] || home[k] === id)) stack.push([k, id]);
          }
        }
      }
      starts.forEach(grow);
      ids.forEach(grow);  // claims in cycles that reach no thesis: roots of their own
      var under = dict();
      for (var j = order.length - 1; j >= 0; j--) {
        var c = order[j];
        under[c] = (under[c] || 0);
        if (parent[c] !== null) under[parent[c]] = (under[parent[c]] || 0) + under[c] + 1;
      }
      tree = {incoming: incoming, parent: parent, under: under, roots: roots};
    }

    function el(tag, text, cls) {
      var e = document.createElement(tag);
      if (text !== undefined && text !== null) e.textContent = String(text);
      if (cls) e.className = cls;
      return e;
    }
    function short(text) { return text.length > CARD_CHARS ? text.slice(0, CARD_CHARS - 1) + "…" : text; }
    function badge(id) {
      var label = hooks.label(id);
      return el("span", label ? (BADGE[label] || label) : "", "walk-badge " + (label || "none"));
    }
    function path(id) {
      var out = [];
      for (var cur = id; cur !== null && cur !== undefined; cur = tree.parent[cur]) out.unshift(cur);
      return out;
    }
    function under(id) {
      var n = tree.under[id] || 0;
      return n === 1 ? "1 claim under it" : n + " claims under it";
    }

    var current = null;
    function go(id) {
      // a new entry in the browser's history: Back returns to where the reader was
      var hash = "#walk=" + encodeURIComponent(id);
      if (location.hash !== hash) location.hash = hash;
      else show(id);
    }
    function card(e, here) {
      var li = el("li", null, "walk-item " + e.type);
      var b = el("button", null, "walk-card");
      b.type = "button";
      b.dataset.id = e.from;
      var cross = tree.parent[e.from] !== here;
      b.appendChild(badge(e.from));
      b.appendChild(el("strong", " " + e.from));
      b.appendChild(el("span", ": " + short(DATA.claims[e.from].text || ""), "walk-card-text"));
      b.appendChild(el("span", cross ? "→ See it where it stands in the debate (under " + tree.parent[e.from] + ")"
                                     : under(e.from), "walk-under muted"));
      if (cross) { li.className += " cross"; b.setAttribute("aria-label", "see " + e.from + " elsewhere in the debate"); }
      b.addEventListener("click", function () { go(e.from); });
      li.appendChild(b);
      return li;
    }
    function column(title, items, cls, here) {
      var col = el("section", null, "walk-col " + cls);
      col.appendChild(el("h3", title + " (" + items.length + ")"));
      var ul = el("ul");
      items.forEach(function (e) { ul.appendChild(card(e, here)); });
      if (!items.length) ul.appendChild(el("li", "none", "muted walk-none"));
      col.appendChild(ul);
      return col;
    }
    function groupTitle(id) {
      // the title of the group the claim is in (Argdown's heading, a Kialo sub-discussion), with the groups around it
      var path = [], byId = Object.create(null), at = null;
      (DATA.groups || []).forEach(function (g) { byId[g.id] = g; if (g.claims.indexOf(id) >= 0) at = g; });
      while (at && path.length < 25) { path.unshift(at.title); at = at.parent ? byId[at.parent] : null; }
      return path.join(" › ");
    }
    function show(id) {
      if (!tree) build();
      if (!DATA.claims[id]) id = tree.roots[0];
      if (!id) return;
      current = id;
      root.textContent = "";
      var crumbs = el("nav", null, "walk-crumbs");
      crumbs.setAttribute("aria-label", "from the thesis to this claim");
      var ol = el("ol");
      path(id).forEach(function (step, i, all) {
        var li = el("li");
        if (i === all.length - 1) {
          li.appendChild(el("span", step));
          li.setAttribute("aria-current", "page");
        } else {
          var a = el("a", step);
          a.href = "#walk=" + encodeURIComponent(step);
          li.appendChild(a);
        }
        ol.appendChild(li);
      });
      crumbs.appendChild(ol);
      root.appendChild(crumbs);
      var c = DATA.claims[id];
      var art = el("article", null, "walk-current");
      art.dataset.id = id;
      var head = el("h2", null, "walk-head");
      head.tabIndex = -1;
      head.appendChild(badge(id));
      head.appendChild(el("span", " " + id, "walk-id"));
      head.appendChild(el("span", " · " + c.kind + " · " + under(id), "muted"));
      art.appendChild(head);
      art.appendChild(el("p", c.text || "", "walk-text"));
      var group = groupTitle(id);
      if (group) art.appendChild(el("p", "In the group “" + group + "”", "muted walk-group"));
      var why = c.status && c.status.reason;
      if (why) art.appendChild(el("p", why, "muted walk-why"));
      var acts = el("div", null, "walk-actions");
      function action(label, name, fn) {
        var b = el("button", label);
        b.type = "button";
        b.dataset.act = name;
        b.addEventListener("click", fn);
        acts.appendChild(b);
      }
      if (tree.parent[id] !== null) action("↑ Up to " + tree.parent[id], "up", function () { go(tree.parent[id]); });
      action("Details", "details", function () { hooks.details(id); });
      action("Show on the map", "graph", function () { hooks.graph(id); });
      art.appendChild(acts);
      var other = DATA.edges.filter(function (e) { return e.from === id && e.to !== tree.parent[id]; });
      if (other.length) {
        var also = el("p", "It also bears on: ", "walk-also");
        other.forEach(function (e, i) {
          var a = el("a", e.to + (e.type === "supports" ? " (supports)" : " (attacks)"));
          a.href = "#walk=" + encodeURIComponent(e.to);
          if (i) also.appendChild(document.createTextNode(", "));
          also.appendChild(a);
        });
        art.appendChild(also);
      }
      root.appendChild(art);
      var kids = tree.incoming[id] || [];
      var cols = el("div", null, "walk-columns");
      cols.appendChild(column("Supports", kids.filter(function (e) { return e.type === "supports"; }), "pros", id));
      cols.appendChild(column("Objections", kids.filter(function (e) { return e.type !== "supports"; }), "cons", id));
      root.appendChild(cols);
      document.body.dataset.walk = id;
      if (hooks.shown) hooks.shown(id);
    }
    function fromHash() {
      var m = /^#walk=(.*)$/.exec(location.hash);
      if (!m) return null;
      try { return decodeURIComponent(m[1]); } catch (err) { return null; }
    }
    window.addEventListener("hashchange", function () {
      var id = fromHash();
      if (id === null && !location.hash) id = (tree || (build(), tree)).roots[0];  // back where the walk began
      if (id !== null && !root.hidden) { show(id); var h = root.querySelector(".walk-head"); if (h) h.focus(); }
    });
    root.addEventListener("keydown", function (ev) {
      if (ev.target.closest && ev.target.closest("input, textarea, select")) return;
      if ((ev.key === "Backspace" || ev.key === "ArrowLeft") && current && tree.parent[current] !== null) {
        ev.preventDefault();
        go(tree.parent[current]);
      } else if (ev.key === "Home" && current) {
        ev.preventDefault();
        go(path(current)[0]);
      }
    });
    return {
      show: function (id) { show(id || fromHash() || current || (tree || (build(), tree)).roots[0]); },
      go: go,
      current: function () { return current; },
      refresh: function () { tree = null; if (!root.hidden && current) show(current); },
      parent: function (id) { if (!tree) build(); return tree.parent[id]; },
      under: function (id) { if (!tree) build(); return tree.under[id] || 0; },
      descendants: function (id) {
        if (!tree) build();
        var out = [], stack = [id];
        while (stack.length) {
          var cur = stack.pop();
          (tree.incoming[cur] || []).forEach(function (e) {
            if (tree.parent[e.from] === cur) { out.push(e.from); stack.push(e.from); }
          });
        }
        return out;
      }
    };
  };
})();
