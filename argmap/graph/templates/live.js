/* The served map (argmap serve): edit from a claim's details, hear of every change.

   Every write goes to the HTTP API with the page's CSRF token and the revision the page last
   drew; an edit of a claim changed since is refused (409), and both versions are shown. On
   each change announced by the server (server-sent events) the page fetches the map again
   and redraws it in place, keeping the view, the selection and the open details. Every user
   string reaches the page through textContent or a form field's value, never as markup.
*/
(function () {
  "use strict";
  var LIVE = JSON.parse(document.getElementById("argmap-live").textContent);
  var A = window.argmap;
  var rev = LIVE.rev, latest = LIVE.rev;
  var canEdit = LIVE.role !== "viewer";
  var KINDS = ["thesis", "claim", "objection", "rebuttal", "argument"];
  document.body.dataset.rev = String(rev);

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function button(text, cls, onclick) {
    var b = el("button", text, cls);
    b.type = "button";
    b.addEventListener("click", onclick);
    return b;
  }

  // --- talking to the server -----------------------------------------------------------
  function api(method, path, body) {
    var options = {method: method, credentials: "same-origin",
                   headers: {"Accept": "application/json", "X-CSRF-Token": LIVE.csrf || ""}};
    if (body !== undefined) { options.headers["Content-Type"] = "application/json"; options.body = JSON.stringify(body); }
    return fetch(LIVE.base + "/api" + path, options).then(function (r) {
      return r.text().then(function (t) {
        var data = null;
        try { data = t ? JSON.parse(t) : null; } catch (err) { data = null; }
        if (!r.ok) {
          var e = new Error((data && data.error) || ("the server answered " + r.status));
          e.status = r.status; e.data = data;
          throw e;
        }
        var made = r.headers.get("Argmap-Revision");
        if (made && +made > latest) latest = +made;
        return data;
      });
    });
  }
  var message = document.getElementById("live-message");
  function say(text, ok) {
    message.textContent = text;
    message.className = ok ? "ok" : "";
    message.hidden = !text;
  }
  function failed(err) { say(err.message || String(err), false); throw err; }

  // --- the map kept up to date --------------------------------------------------------------
  var running = null, again = false;
  function refresh() {
    // one fetch at a time; a change heard meanwhile asks for one more
    if (running) { again = true; return running; }
    running = api("GET", "/page").then(function (page) {
      if (page.rev < rev) return null;
      rev = page.rev;
      return A.update(page.data).then(function () { document.body.dataset.rev = String(rev); });
    }).catch(function (err) { say("could not reload the map: " + err.message, false); })
      .then(function () {
        running = null;
        if (again || latest > rev) { again = false; return refresh(); }
      });
    return running;
  }
  var stateEl = document.getElementById("live-state");
  function state(text, off) { stateEl.textContent = text; stateEl.className = off ? "off" : ""; }
  function listen() {
    var source = new EventSource(LIVE.base + "/api/events?since=" + rev, {withCredentials: true});
    source.addEventListener("change", function (ev) {
      var item;
      try { item = JSON.parse(ev.data); } catch (err) { return; }
      if (item.rev > latest) latest = item.rev;
      state("live, revision " + latest);
      if (item.rev > rev) refresh();
    });
    source.addEventListener("open", function () {
      state("live, revision " + Math.max(rev, latest));
      if (latest > rev) refresh();
    });
    source.addEventListener("error", function () {
      if (source.readyState === EventSource.CLOSED) state("disconnected: reload the page", true);
      else state("reconnecting…", true);
    });
  }

  // --- forms ------------------------------------------------------------------------------
  var open = null;  // the form being filled in, if any: {root, fields: {name: element}}
  function busy() {
    // a form (or a claim's history) open in the details: a redraw would close it under the
    // reader's hands, typed in or not; what they send carries the revision they saw, so an
    // edit of a claim changed meanwhile is refused with both versions (409), never lost
    return !!open && document.body.contains(open.root);
  }
  function field(form, name, label, kind, value, options) {
    var id = "live-" + name + "-" + Math.random().toString(36).slice(2, 8);
    var l = el("label", label);
    l.htmlFor = id;
    var input;
    if (kind === "textarea") input = el("textarea");
    else if (kind === "select") {
      input = el("select");
      options.forEach(function (o) { var op = el("option", o[1]); op.value = o[0]; input.appendChild(op); });
    } else { input = el("input"); input.type = kind || "text"; }
    input.id = id;
    input.name = name;
    if (kind === "checkbox") { input.checked = !!value; form.appendChild(input); form.appendChild(l); l.style.display = "inline"; }
    else { if (value !== undefined && value !== null) input.value = String(value); form.appendChild(l); form.appendChild(input); }
    open.fields[name] = input;
    return input;
  }
  function form(where, title, submitText, onsubmit) {
    close();
    var f = el("form", null, "live-form");
    f.setAttribute("aria-label", title);
    f.appendChild(el("strong", title));
    open = {root: f, fields: {}};
    f.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var values = {};
      Object.keys(open.fields).forEach(function (k) {
        var input = open.fields[k];
        values[k] = input.type === "checkbox" ? input.checked : input.value;
      });
      var go = f.querySelector("button[type=submit]");
      go.disabled = true;
      Promise.resolve(onsubmit(values)).then(function () { if (open && open.root === f) close(); },
                                             function () { go.disabled = false; });
    });
    f.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { ev.preventDefault(); close(); }
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); f.requestSubmit(); }
    });
    f.finish = function () {
      var buttons = el("div", null, "buttons");
      var go = el("button", submitText);
      go.type = "submit";
      buttons.appendChild(go);
      buttons.appendChild(button("Cancel", "cancel", close));
      f.appendChild(buttons);
      where.appendChild(f);
      var first = f.querySelector("textarea, input, select");
      if (first) first.focus();
      return f;
    };
    return f;
  }
  function close() {
    if (open && open.root.parentNode) open.root.parentNode.removeChild(open.root);
    open = null;
  }
  function done(text) {
    close();  // what was typed is saved: the details may be drawn anew
    say(text, true);
    return refresh();
  }

  // --- what a claim's details offer ---------------------------------------------------------
  var ANSWERS = [["objections", "Object", "objection: attacks it"], ["supports", "Support", "support for it"],
                 ["rebuttals", "Rebut", "rebuttal: answers the objection"]];
  function details(id, panel) {
    var c = A.data.claims[id];
    if (!c) return;
    // right under the claim's text, where the eye is when it decides to answer it
    var block = el("section", null, "live-change");
    block.setAttribute("aria-label", "Change this claim");
    var text = panel.querySelector(".text");
    if (text && text.nextSibling) panel.insertBefore(block, text.nextSibling); else panel.appendChild(block);
    block.appendChild(el("h3", "Change this claim"));
    var actions = el("div", null, "live-actions");
    block.appendChild(actions);
    var box = el("div", null, "live-box");
    block.appendChild(box);
    if (canEdit) {
      ANSWERS.forEach(function (a) {
        if (a[0] === "rebuttals" && c.kind !== "objection") return;
        actions.appendChild(button(a[1], "live-" + a[0], function () {
          var f = form(box, "New " + a[2], "Add", function (v) {
            var body = {text: v.text};
            if (v.id.trim()) body.id = v.id.trim();
            return api("POST", "/claims/" + encodeURIComponent(id) + "/" + a[0], body)
              .then(function (made) { return done("added " + made.id); }, failed);
          });
          field(f, "text", "Text", "textarea");
          field(f, "id", "Id (optional: made from the text)", "text");
          f.finish();
        }));
      });
      actions.appendChild(button("Edit", "live-edit", function () { editForm(id, box); }));
      actions.appendChild(button("Link…", "live-link", function () { linkForm(id, box); }));
      actions.appendChild(button("Add evidence", "live-evidence", function () { evidenceForm(id, box); }));
      actions.appendChild(button("Remove", "live-remove", function () { removeForm(id, box); }));
      actions.appendChild(button("Judge", "live-judge", function () { judgeForm(id, box); }));
    }
    actions.appendChild(button("History", "live-history", function () { historyOf(id, box); }));
    if (canEdit) unlinks(id, c, panel);
  }
  function judgeForm(id, box) {
    // your credence that the claim holds; left empty, your judgement is cleared
    var mine = (A.data.claims[id].judgements || []).filter(function (j) { return j.author === LIVE.user; })[0];
    var f = form(box, "Your credence in " + id, "Save", function (v) {
      var text = String(v.credence).trim();
      var body = {credence: text === "" ? null : +text};
      if (body.credence === null && !mine) { say("you have not judged " + id, true); return null; }
      return api("PUT", "/claims/" + encodeURIComponent(id) + "/judgement", body).then(function () {
        return done(body.credence === null ? "cleared your judgement of " + id : "you judge " + id + " at " + body.credence);
      }, failed);
    });
    field(f, "credence", "Credence that it holds, 0 to 1 (empty: clear yours)", "number", mine ? mine.credence : "");
    var input = open.fields.credence;
    input.step = "0.01"; input.min = "0"; input.max = "1";
    f.finish();
  }
  function editForm(id, box, seen) {
    var c = A.data.claims[id], base = rev;  // the revision the person saw when they began
    var f = form(box, "Edit " + id, "Save", function (v) { return save(id, v, base, box); });
    field(f, "text", "Text", "textarea", c.text);
    field(f, "kind", "Kind", "select", c.kind, KINDS.map(function (k) { return [k, k]; })).value = c.kind;
    field(f, "title", "Title (optional)", "text", c.title || "");
    field(f, "base_score", "Base score (0 to 1, for DF-QuAD)", "number", c.base_score);
    var score = open.fields.base_score;
    score.step = "0.05"; score.min = "0"; score.max = "1";
    f.finish();
    if (seen) Object.keys(seen).forEach(function (k) { if (open.fields[k]) open.fields[k].value = seen[k]; });
  }
  function save(id, v, base, box) {
    var c = A.data.claims[id], body = {base_rev: base};
    if (v.text !== c.text) body.text = v.text;
    if (v.kind !== c.kind) body.kind = v.kind;
    if (v.title !== (c.title || "")) body.title = v.title;
    if (v.base_score !== "" && +v.base_score !== c.base_score) body.base_score = +v.base_score;
    if (Object.keys(body).length === 1) { say("nothing changed", true); return null; }
    return api("PATCH", "/claims/" + encodeURIComponent(id), body).then(function () { return done("saved " + id); },
      function (err) {
        if (err.status === 409 && err.data && err.data.conflict) { showConflict(id, v, err.data, box); return null; }
        return failed(err);
      });
  }
  function showConflict(id, mine, answer, box) {
    // both versions, side by side: nothing is lost, the person chooses
    close();
    var info = answer.conflict, now = info.current, last = info.changes[info.changes.length - 1];
    var d = el("div", null, "conflict");
    d.setAttribute("role", "alert");
    d.appendChild(el("strong", id + " was changed by " + last.author + " since you opened it (change " + last.rev + ")"));
    var versions = el("div", null, "versions");
    var yours = el("div", null, "yours"), theirs = el("div", null, "theirs");
    yours.appendChild(el("strong", "Yours"));
    yours.appendChild(el("div", mine.text));
    yours.appendChild(el("div", "kind: " + mine.kind + (mine.title ? ", title: " + mine.title : ""), "muted"));
    theirs.appendChild(el("strong", "Now"));
    if (now) {
      theirs.appendChild(el("div", now.text));
      theirs.appendChild(el("div", "kind: " + now.kind + (now.title ? ", title: " + now.title : ""), "muted"));
    } else theirs.appendChild(el("div", "removed"));
    versions.appendChild(yours);
    versions.appendChild(theirs);
    d.appendChild(versions);
    if (now) d.appendChild(button("Save mine over it", "keep-mine", function () {
      var base = info.rev;
      refresh().then(function () { d.remove(); return save(id, mine, base, box); });
    }));
    d.appendChild(button("Keep theirs", "keep-theirs", function () { d.remove(); refresh(); }));
    d.appendChild(button("Edit again from theirs", "edit-again", function () {
      d.remove();
      refresh().then(function () { if (A.data.claims[id]) editForm(id, box, {text: mine.text}); });
    }));
    box.appendChild(d);
    say(answer.error, false);
  }
  function linkForm(id, box) {
    var base = rev;
    var f = form(box, "Link " + id + " to another claim", "Link", function (v) {
      return api("POST", "/relations", {source: id, target: v.target.trim(), type: v.type, base_rev: base})
        .then(function (r) { return done(r.source + " " + r.type + " " + r.target); }, failed);
    });
    field(f, "type", "It", "select", "attacks", [["attacks", "attacks"], ["supports", "supports"]]);
    var target = field(f, "target", "the claim (its id)", "text");
    var list = el("datalist");
    list.id = "live-ids-" + Math.random().toString(36).slice(2, 8);
    Object.keys(A.data.claims).sort().forEach(function (x) { if (x !== id) { var o = el("option"); o.value = x; list.appendChild(o); } });
    f.appendChild(list);
    target.setAttribute("list", list.id);
    f.finish();
  }
  function unlinks(id, c, panel) {
    var rows = [], base = rev;  // the revision these rows were drawn from
    c.supports.forEach(function (t) { rows.push([id, t, "supports"]); });
    c.attacks.forEach(function (t) { rows.push([id, t, "attacks"]); });
    c.supporters.forEach(function (s) { rows.push([s, id, "supports"]); });
    c.attackers.forEach(function (s) { rows.push([s, id, "attacks"]); });
    if (!rows.length) return;
    panel.appendChild(el("h3", "Relations"));
    var ul = el("ul", null, "relations");
    rows.forEach(function (r) {
      var li = el("li", r[0] + " " + r[2] + " " + r[1] + " ");
      li.appendChild(button("Unlink", "live-unlink", function () {
        api("DELETE", "/relations?source=" + encodeURIComponent(r[0]) + "&target=" + encodeURIComponent(r[1]) + "&base_rev=" + base)
          .then(function () { return done("unlinked " + r[0] + " from " + r[1]); }, failed).catch(function () {});
      }));
      ul.appendChild(li);
    });
    panel.appendChild(ul);
  }
  function evidenceForm(id, box) {
    api("GET", "/sources").then(function (sources) {
      var f = form(box, "Evidence for " + id, "Attach", function (v) {
        var first = Promise.resolve();
        var source = v.source;
        if (source === "") {
          source = v.new_id.trim();
          first = api("POST", "/sources", {id: source, title: v.new_title, url: v.new_url.trim() || null});
        }
        return first.then(function () {
          return api("POST", "/claims/" + encodeURIComponent(id) + "/evidence",
                     {source: source, quote: v.quote, locator: v.locator.trim() || null});
        }).then(function () { return done("quote attached to " + id); }, failed);
      });
      field(f, "source", "Source", "select", "", sources.map(function (s) { return [s.id, s.id + ": " + s.title]; })
        .concat([["", "a new source…"]]));
      field(f, "new_id", "New source's id", "text");
      field(f, "new_title", "New source's title", "text");
      field(f, "new_url", "New source's URL (optional)", "text");
      field(f, "quote", "The exact words quoted", "textarea");
      field(f, "locator", "Where in the source (optional, e.g. paragraph 4)", "text");
      f.finish();
    }).catch(failed).catch(function () {});
  }
  function removeForm(id, box) {
    var base = rev;
    var f = form(box, "Remove " + id, "Remove it", function (v) {
      var q = "?base_rev=" + base + (v.cascade ? "&cascade=true" : "");
      return api("DELETE", "/claims/" + encodeURIComponent(id) + q).then(function (r) {
        return done("removed " + r.removed.join(", "));
      }, function (err) {
        if (err.status === 409 && err.data && err.data.conflict) {
          say(err.data.error + " (its details are shown again as they are now)", false);
          refresh();
          return null;
        }
        return failed(err);
      });
    });
    field(f, "cascade", "also the relations pointing at it, and claims left relating to nothing", "checkbox", false);
    f.finish();
  }
  function historyOf(id, box) {
    api("GET", "/claims/" + encodeURIComponent(id) + "/history").then(function (changes) {
      close();
      var d = el("div", null, "live-form history");
      open = {root: d, fields: {}};
      d.appendChild(el("strong", "History of " + id + " (" + changes.length + " changes)"));
      var ul = el("ul");
      changes.slice().reverse().forEach(function (ch) {
        ul.appendChild(el("li", ch.rev + " · " + ch.at.slice(0, 19).replace("T", " ") + " · " + ch.author + " · " + ch.command));
      });
      d.appendChild(ul);
      d.appendChild(button("Close", "cancel", close));
      box.appendChild(d);
    }).catch(failed).catch(function () {});
  }

  // --- the toolbar ----------------------------------------------------------------------------
  var panel = document.getElementById("live-panel");
  var newBtn = document.getElementById("new-claim-btn");
  if (newBtn) newBtn.addEventListener("click", function () {
    panel.hidden = false;
    newBtn.setAttribute("aria-expanded", "true");
    var f = form(panel, "New claim", "Add", function (v) {
      var body = {text: v.text, kind: v.kind};
      if (v.id.trim()) body.id = v.id.trim();
      return api("POST", "/claims", body).then(function (made) { panel.hidden = true; return done("added " + made.id); }, failed);
    });
    field(f, "text", "Text", "textarea");
    field(f, "kind", "Kind", "select", "claim", KINDS.map(function (k) { return [k, k]; })).value = "claim";
    field(f, "id", "Id (optional: made from the text)", "text");
    f.finish();
    f.querySelector(".cancel").addEventListener("click", function () { panel.hidden = true; newBtn.setAttribute("aria-expanded", "false"); });
  });
  var undoBtn = document.getElementById("undo-btn");
  if (undoBtn) undoBtn.addEventListener("click", function () {
    undoBtn.disabled = true;
    api("POST", "/undo", {}).then(function (r) { return done("undid change " + r.undid.rev + " (" + r.undid.command + ")"); }, failed)
      .catch(function () {}).then(function () { undoBtn.disabled = false; });
  });

  window.argmapLive = {
    details: details,
    mayRedraw: function () { return !busy(); },
    refresh: refresh,
    crux: function (claim, a, b) {
      return api("GET", "/claims/" + encodeURIComponent(claim) + "/crux?between=" + encodeURIComponent(a)
                 + "&between=" + encodeURIComponent(b));
    },
    revision: function () { return rev; }
  };
  listen();
})();
