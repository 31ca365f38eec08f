"""`argmap serve`: the HTTP API's contract, every refusal (with the store unchanged after
it), roles, CSRF, live events from every writer, and secrets kept out of every output.

Most tests talk to a real server (a child process on a free loopback port, over real HTTP);
the ones about a single request's handling use starlette's test client in process.
"""

import json
import re
import sys
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from served import TOKEN, EventReader, serve  # noqa: E402

from argmap.service import open as open_map  # noqa: E402

CLAIM = "evolution-prior"


@pytest.fixture
def demo(location, cli):
    cli("demo", "--out", "-")
    return location


@pytest.fixture
def server(demo):
    with serve(demo) as s:
        yield s


def snapshot(cli) -> str:
    """Everything the map holds and its history: what "nothing changed" compares."""
    return cli("export", "--format", "json").stdout + json.dumps(
        [(c["rev"], c["command"]) for c in json.loads(cli("log", "--json").stdout)])


# --- the contract ------------------------------------------------------------------------------

def test_reads_are_what_the_cli_prints(server, cli):
    with server.client() as c:
        r = c.get("/api/map")
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
        assert r.content == cli("export", "--format", "json").stdout.encode("utf-8")
        assert c.get("/api/status").json() == json.loads(cli("status", "--json").stdout)
        assert c.get(f"/api/claims/{CLAIM}").json() == json.loads(cli("show", CLAIM, "--json").stdout)
        assert c.get("/api/claims").json() == json.loads(cli("list", "--json").stdout)
        assert c.get("/api/sources").json() == json.loads(cli("source", "list", "--json").stdout)
        assert c.get(f"/api/status?id={CLAIM}").json() == json.loads(cli("status", CLAIM, "--json").stdout)


def test_writes_answer_with_the_new_claim_and_its_revision(server, cli):
    with server.client() as c:
        head = len(json.loads(cli("log", "--json").stdout))
        r = c.post("/api/claims", json={"text": "A plain claim from the API.", "id": "plain"})
        assert r.status_code == 201 and r.headers["argmap-revision"] == str(head + 1)
        assert r.json() == json.loads(cli("show", "plain", "--json").stdout)
        for path, kind in (("objections", "objection"), ("supports", "claim")):
            r = c.post(f"/api/claims/plain/{path}", json={"text": f"A {path[:-1]} of it.", "id": f"p-{path}"})
            assert r.status_code == 201, r.text
            assert r.json()["kind"] == kind and r.json()["attacks" if kind == "objection" else "supports"][0]["id"] == "plain"
        r = c.post("/api/claims/p-objections/rebuttals", json={"text": "It misses the point."})
        assert r.status_code == 201 and r.json()["id"] == "misses-point"
        r = c.patch("/api/claims/plain", json={"text": "Edited over HTTP.", "title": "Plain", "base_score": 0.75})
        assert r.status_code == 200 and (r.json()["text"], r.json()["title"], r.json()["base_score"]) == \
            ("Edited over HTTP.", "Plain", 0.75)
        assert c.post("/api/relations", json={"source": "misses-point", "target": "plain", "type": "supports"}).status_code == 201
        assert c.request("DELETE", "/api/relations", params={"source": "misses-point", "target": "plain"}).status_code == 200
        r = c.delete("/api/claims/plain", params={"cascade": "true"})
        assert r.status_code == 200 and r.json()["removed"] == ["plain", "p-objections", "p-supports", "misses-point"]
        r = c.post("/api/undo", json={})
        assert r.status_code == 200 and r.json()["undid"]["command"] == "web: remove plain --cascade"
        assert json.loads(cli("show", "plain", "--json").stdout)["text"] == "Edited over HTTP."
    changes = json.loads(cli("log", "--json").stdout)[head:]
    assert [c["author"] for c in changes] == [changes[0]["author"]] * len(changes)  # the server's person, every time
    assert changes[0]["command"] == "web: add 'A plain claim from the API.' --id=plain --kind=claim"


def test_evidence_and_sources_over_http_are_checked_as_the_cli_checks_them(server, cli):
    with server.client() as c:
        r = c.post("/api/sources", json={"id": "memo", "title": "A memo", "text": "The quick brown fox jumps."})
        assert r.status_code == 201
        r = c.post(f"/api/claims/{CLAIM}/evidence", json={"source": "memo", "quote": "quick  brown\nfox"})
        assert r.status_code == 201 and r.json()["quote"] == "quick  brown\nfox"
        refused = c.post(f"/api/claims/{CLAIM}/evidence", json={"source": "memo", "quote": "a slow fox"})
        assert refused.status_code == 400 and refused.json()["error"].startswith("quote not found in source 'memo'")
        assert c.delete(f"/api/evidence/{r.json()['id']}").status_code == 200
    assert all(e["source"] != "memo" for e in json.loads(cli("show", CLAIM, "--json").stdout)["evidence"])


def test_openapi_describes_the_api(server):
    with server.client() as c:
        spec = c.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/map", "/api/status", "/api/claims", "/api/claims/{claim_id}", "/api/claims/{claim_id}/objections",
                 "/api/claims/{claim_id}/rebuttals", "/api/claims/{claim_id}/supports", "/api/undo", "/api/events"):
        assert path in paths, path
    assert set(paths["/api/claims/{claim_id}"]) == {"get", "patch", "delete"}


# --- refusals: each one writes nothing ------------------------------------------------------------

def test_nothing_without_the_token(server, cli):
    before = snapshot(cli)
    for method, path in (("GET", "/"), ("GET", "/api/map"), ("GET", "/api/claims/x"), ("GET", "/openapi.json"),
                         ("POST", "/api/claims"), ("GET", "/api/events"), ("POST", "/api/undo")):
        for headers in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": "Basic abc"},
                        {"Cookie": "argmap_0000000000=forged"}):
            r = httpx.request(method, server.base + path, headers=headers, json={"text": "x"})
            assert r.status_code == 401, (method, path, headers, r.status_code)
            if path.startswith("/api"):
                assert list(r.json()) == ["error"]
    assert snapshot(cli) == before


def test_a_stale_revision_is_refused_with_what_changed(server, cli):
    with server.client() as c:
        seen = int(c.get("/api/page").json()["rev"])
        cli("--author", "bob", "edit", CLAIM, "--text", "Bob's version.")
        before = snapshot(cli)
        r = c.patch(f"/api/claims/{CLAIM}", json={"text": "Alice's version.", "base_rev": seen})
        assert r.status_code == 409
        body = r.json()
        assert body["error"].startswith(f"claim '{CLAIM}' was changed since revision {seen}: by bob in change {seen + 1}")
        assert body["conflict"]["current"]["text"] == "Bob's version."
        assert [x["author"] for x in body["conflict"]["changes"]] == ["bob"]
        assert snapshot(cli) == before
        r = c.delete(f"/api/claims/{CLAIM}", params={"cascade": "true", "base_rev": seen})
        assert r.status_code == 409 and snapshot(cli) == before
        # a change elsewhere does not make an edit stale
        now = int(c.get("/api/page").json()["rev"])
        cli("edit", "data-black-hole", "--base-score", "0.6")
        assert c.patch(f"/api/claims/{CLAIM}", json={"text": "Alice's, later.", "base_rev": now}).status_code == 200
        # nor does a new objection to the claim an edit is about
        now = int(c.get("/api/page").json()["rev"])
        cli("object", CLAIM, "Another objection.")
        assert c.patch(f"/api/claims/{CLAIM}", json={"kind": "claim", "base_rev": now}).status_code == 200
        # but removing it does: what points at it moved
        r = c.delete(f"/api/claims/{CLAIM}", params={"cascade": "true", "base_rev": now})
        assert r.status_code == 409


@pytest.mark.parametrize("body, what", [
    ({"text": "x", "colour": "red"}, "colour: Extra inputs are not permitted"),
    ({"txt": "x"}, "text: Field required"),
    ({"text": 5}, "text: Input should be a valid string"),
    ("not json", "the request's body is not valid JSON"),
    ("[1, 2]", "body: Input should be a valid dictionary"),
])
def test_a_bad_body_is_422(server, cli, body, what):
    before = snapshot(cli)
    with server.client() as c:
        r = c.post("/api/claims", content=body if isinstance(body, str) else json.dumps(body),
                   headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and what in r.json()["error"], r.text
    assert snapshot(cli) == before


@pytest.mark.parametrize("path, body, status, message", [
    ("/api/claims", {"text": "   "}, 400, "claim text is empty"),
    ("/api/claims", {"text": "x\x01y"}, 400, "claim text contains control characters"),
    ("/api/claims", {"text": "x", "kind": "opinion"}, 400, "unknown kind 'opinion'"),
    ("/api/claims", {"text": "x", "id": "data-black-hole"}, 409, "a claim with id 'data-black-hole' already exists"),
    ("/api/claims", {"text": "x", "id": "no spaces"}, 400, "invalid claim id 'no spaces'"),
    ("/api/claims/nothing-here/objections", {"text": "x"}, 404, "no claim with id 'nothing-here'"),
    ("/api/claims/data-black-hole/rebuttals", {"text": "x"}, 400, "'data-black-hole' is a thesis, not an objection"),
    ("/api/relations", {"source": CLAIM, "target": CLAIM, "type": "attacks"}, 400, "a claim cannot attack itself"),
    ("/api/undo", {"rev": 99999}, 404, "no change 99999 in the history"),
])
def test_user_errors_are_the_cli_messages_as_json(server, cli, path, body, status, message):
    before = snapshot(cli)
    with server.client() as c:
        r = c.post(path, json=body)
    assert r.status_code == status and r.json()["error"].startswith(message), r.text
    assert snapshot(cli) == before


def test_bodies_and_texts_are_bounded(demo, cli):
    with serve(demo, "--max-body", "4096") as s, s.client() as c:
        before = snapshot(cli)
        r = c.post("/api/claims", json={"text": "x" * 5000})
        assert r.status_code == 413 and "larger than 4,096 bytes" in r.json()["error"]

        def chunks():  # no Content-Length: counted as it arrives
            for _ in range(10):
                yield b" " * 1000
        r = c.post("/api/claims", content=chunks(), headers={"Content-Type": "application/json"})
        assert r.status_code == 413
        r = c.post("/api/claims", json={"text": "y" * 3000})
        assert r.status_code == 201  # under the limit: the store's own rules apply
        assert snapshot(cli) != before
    with serve(demo) as s, s.client() as c:
        before = snapshot(cli)
        r = c.post("/api/claims", json={"text": "z" * 20_001})
        assert r.status_code == 400 and "too long (20,001 characters; at most 20,000)" in r.json()["error"]
        assert c.get("/api/status", params={"limit": 10 ** 9}).status_code == 422
        assert c.get("/api/claims/" + "q" * 5000).status_code == 404
        assert snapshot(cli) == before


# --- who may do what ------------------------------------------------------------------------------

def password_file(tmp_path, name, text="correct horse battery"):
    path = tmp_path / f"{name}.pw"
    path.write_text(text + "\n")
    return str(path)


@pytest.fixture
def team(demo, cli, tmp_path):
    """A store with an owner, an editor and a viewer, each with an API token."""
    tokens = {}
    for name, role in (("olive", "owner"), ("alice", "editor"), ("victor", "viewer")):
        cli("user", "add", name, "--role", role, "--password-file", password_file(tmp_path, name))
        tokens[name] = cli("token", "create", name, "--label", "tests").stdout.strip()
    return tokens


def test_roles_are_checked_by_the_service(team, demo, cli):
    with serve(demo, token=None) as s:
        assert s.token is None and "log in" in s.url
        before = snapshot(cli)
        with s.client(team["victor"]) as viewer:
            assert viewer.get(f"/api/claims/{CLAIM}").status_code == 200
            r = viewer.post("/api/claims", json={"text": "A viewer's claim."})
            assert r.status_code == 403 and r.json()["error"] == (
                "victor is a viewer: changing the map needs the editor role or above")
            assert viewer.post("/api/undo", json={}).status_code == 403
            assert viewer.get("/api/me").json() == {"name": "victor", "role": "viewer", "mode": "accounts"}
        assert snapshot(cli) == before
        cli("--author", "bob", "add", "Bob's claim.", "--id", "bobs")
        with s.client(team["alice"]) as editor:
            r = editor.post("/api/claims", json={"text": "Alice's claim.", "id": "alices"})
            assert r.status_code == 201
            r = editor.post("/api/undo", json={"rev": int(r.headers["argmap-revision"]) - 1})
            assert r.status_code == 403 and "undoing someone else's change needs the owner role" in r.json()["error"]
            assert editor.post("/api/undo", json={}).status_code == 200  # her own
        with s.client(team["olive"]) as owner:
            assert owner.post("/api/undo", json={}).json()["undid"]["author"] == "alice"  # the undo of her claim...
            r = owner.post("/api/undo", json={})
            assert r.status_code == 200  # ...and then undoing it again: an owner undoes anyone's
        log = json.loads(cli("log", "--json").stdout)
        assert [c["author"] for c in log[-4:]] == ["alice", "alice", "olive", "olive"]


def test_tokens_and_users_stop_working_when_revoked(team, demo, cli):
    with serve(demo, token=None) as s:
        with s.client(team["alice"]) as c:
            assert c.get("/api/me").status_code == 200
            token_id = json.loads(cli("token", "list", "alice", "--json").stdout)[0]["id"]
            cli("token", "revoke", token_id)
            assert c.get("/api/me").status_code == 401
        with s.client(team["victor"]) as c:
            cli("user", "role", "victor", "editor")
            assert c.get("/api/me").json()["role"] == "editor"
            cli("user", "remove", "victor")
            assert c.get("/api/me").status_code == 401


def login(s, name, password="correct horse battery", **extra):
    """Log in through the form as a browser would: (the client with its cookies, the answer)."""
    c = httpx.Client(base_url=s.base, timeout=30)
    page = c.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = c.post("/login", data={"name": name, "password": password, "csrf": csrf, **extra},
               headers={"Origin": s.base})
    return c, r


def test_logging_in_gives_a_strict_cookie_and_writes_need_the_csrf_token(team, demo, cli):
    with serve(demo, token=None) as s:
        c, r = login(s, "alice")
        assert r.status_code == 303 and r.headers["location"] == "/"
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
        page = c.get("/")
        assert page.status_code == 200 and "argmap-live" in page.text
        csrf = json.loads(re.search(r'id="argmap-live">(.*?)</script>', page.text).group(1))["csrf"]
        before = snapshot(cli)
        same = {"Origin": s.base, "Content-Type": "application/json"}
        # the cookie alone is not enough: the CSRF token must come too, from our own origin
        r = c.post("/api/claims", content=json.dumps({"text": "no token"}), headers=same)
        assert r.status_code == 403 and "CSRF token" in r.json()["error"]
        r = c.post("/api/claims", content=json.dumps({"text": "wrong origin"}),
                   headers={**same, "Origin": "http://evil.example", "X-CSRF-Token": csrf})
        assert r.status_code == 403 and "another site" in r.json()["error"]
        r = c.post("/api/claims", content=json.dumps({"text": "no origin"}),
                   headers={"Content-Type": "application/json", "X-CSRF-Token": csrf})
        assert r.status_code == 403
        # the browser's own word: a request it marks as from another site is refused whatever it
        # says of its origin; a hidden origin ("null") passes only when the browser vouches for it
        for extra in ({"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                      {"Origin": "null"}, {"Origin": "null", "Sec-Fetch-Site": "cross-site"}):
            r = c.post("/api/claims", content=json.dumps({"text": "fetch metadata"}),
                       headers={**same, "X-CSRF-Token": csrf, **extra})
            assert r.status_code == 403, extra
        # a cross-origin form post, as another site's page would send it
        r = c.post("/api/claims", data={"text": "form post"}, headers={"Origin": "http://evil.example"})
        assert r.status_code == 403
        r = c.post("/logout", data={"csrf": "wrong"}, headers={"Origin": s.base})
        assert r.status_code == 403
        assert snapshot(cli) == before
        r = c.post("/api/claims", content=json.dumps({"text": "With the token, from the page."}),
                   headers={**same, "X-CSRF-Token": csrf})
        assert r.status_code == 201
        r = c.post("/api/claims", content=json.dumps({"text": "Origin hidden by the referrer policy."}),
                   headers={**same, "Origin": "null", "Sec-Fetch-Site": "same-origin", "X-CSRF-Token": csrf})
        assert r.status_code == 201
        assert [c["author"] for c in json.loads(cli("log", "--json").stdout)[-2:]] == ["alice", "alice"]
        r = c.post("/logout", data={"csrf": csrf}, headers={"Origin": s.base})
        assert r.status_code == 303
        assert c.get("/api/me").status_code == 401


def test_failed_logins_are_limited(team, demo, cli):
    with serve(demo, token=None) as s:
        for _ in range(5):
            _, r = login(s, "alice", "wrong password!")
            assert r.status_code == 401 and "wrong user name or password" in r.text
        _, r = login(s, "alice")  # even the right password, for a while
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
        _, r = login(s, "olive")  # another account is not held up
        assert r.status_code == 303
        _, r = login(s, "nobody", "whatever it is")
        assert r.status_code == 401


def test_a_name_the_client_sends_is_never_the_author(team, demo, cli):
    with serve(demo, token=None) as s, s.client(team["alice"]) as c:
        r = c.post("/api/claims", json={"text": "Mine.", "author": "mallory"})
        assert r.status_code == 422
        c.post("/api/claims", json={"text": "Mine."}, headers={"X-Argmap-Author": "mallory"})
    assert json.loads(cli("log", "--json").stdout)[-1]["author"] == "alice"


def test_other_hosts_need_users_or_an_explicit_insecure_flag(demo, cli):
    assert "would let other machines reach the map, and it has no users yet" in cli.fails("serve", "--host", "0.0.0.0")
    with serve(demo, "--host", "0.0.0.0", "--insecure-no-auth") as s:
        assert "warning: serving 0.0.0.0 with no authentication" in s.logs()
        base = s.base.replace("0.0.0.0", "127.0.0.1")
        assert httpx.get(base + "/api/me").json()["role"] == "owner"
        before = snapshot(cli)
        r = httpx.post(base + "/api/claims", json={"text": "csrf"}, headers={"Origin": "http://evil.example"})
        assert r.status_code == 403 and snapshot(cli) == before


def test_serve_refuses_what_it_cannot_serve(tmp_path, cli, monkeypatch):
    assert "no argmap store at" in cli.fails("--db", str(tmp_path / "missing.db"), "serve")
    assert not (tmp_path / "missing.db").exists()
    monkeypatch.setenv("ARGMAP_SERVE_TOKEN", "short")
    assert "ARGMAP_SERVE_TOKEN must be 16 to 200" in cli.fails("serve")
    monkeypatch.setitem(sys.modules, "fastapi", None)
    assert cli.fails("serve") == "Error: argmap serve needs the web app's packages: pip install 'argmap[serve]'"


# --- live ----------------------------------------------------------------------------------------

def test_every_writer_is_heard_on_the_event_stream(server, cli, location, tmp_path):
    with server.client() as c:
        head = int(c.get("/api/page").json()["rev"])
        reader = EventReader(c)
        cli("--author", "carol", "object", CLAIM, "From the CLI.", "--id", "from-cli")
        c.post("/api/claims", json={"text": "From the API.", "id": "from-api"})
        doc = {"format": "argmap", "version": 1, "claims": [{"id": "imp-1", "text": "Imported."}], "relations": []}
        (tmp_path / "imp.json").write_text(json.dumps(doc))
        cli("import", str(tmp_path / "imp.json"))
        with open_map(location) as m:
            m.add("From a script.", id="from-script")
        found = reader.wait_for(4)
        assert [e["rev"] for e in found] == [head + 1, head + 2, head + 3, head + 4]
        assert found[0]["author"] == "carol" and found[0]["touched"]["claim"] == ["from-cli"]
        assert found[0]["touched"]["relation"] == [["from-cli", CLAIM]]
        assert found[1]["command"].startswith("web: add")
        assert found[2]["counts"] == {"insert claim": 1}
        # a page that reconnects hears what it missed
        missed = EventReader(c, headers={"Last-Event-ID": str(head + 1)})
        assert [e["rev"] for e in missed.wait_for(3)] == [head + 2, head + 3, head + 4]


def test_event_streams_per_person_are_bounded(demo):
    with serve(demo, "--max-streams", "2") as s, s.client() as c:
        EventReader(c), EventReader(c)
        r = c.get("/api/events")
        assert r.status_code == 429 and "already has 2 event streams open" in r.json()["error"]


def test_the_url_token_becomes_a_cookie_and_leaves_the_url(server):
    with httpx.Client(timeout=30) as c:
        r = c.get(server.url)
        assert r.status_code == 303 and r.headers["location"] == "/" and TOKEN not in r.headers["set-cookie"]
        page = c.get(server.base + "/")
        assert page.status_code == 200 and TOKEN not in page.text
        assert c.get(server.base + "/?token=wrong-one-" + "y" * 20).status_code == 401


# --- secrets --------------------------------------------------------------------------------------

def test_no_secret_in_any_response_page_history_or_log(team, demo, cli, tmp_path):
    with serve(demo, token=None) as s:
        c, r = login(s, "alice")
        session = r.cookies.get(next(iter(r.cookies.keys())))  # given to its browser in this one header, only
        seen = [r.text]
        page = c.get("/")
        csrf = json.loads(re.search(r'id="argmap-live">(.*?)</script>', page.text).group(1))["csrf"]
        seen.append(page.text)
        headers = {"Origin": s.base, "X-CSRF-Token": csrf}
        for method, path, body in (("POST", "/api/claims", {"text": "Secretless."}), ("GET", "/api/map", None),
                                   ("GET", "/api/page", None), ("GET", "/api/history", None),
                                   ("GET", "/api/me", None), ("POST", "/api/undo", {}), ("GET", "/openapi.json", None)):
            r = c.request(method, path, json=body, headers=headers)
            seen += [r.text, json.dumps(dict(r.headers))]
        with s.client(team["olive"]) as owner:
            seen.append(owner.get("/api/map").text)
        seen += [cli("log", "--json", "--rows").stdout, cli("export", "--format", "json").stdout, s.logs()]
    everything = "\n".join(seen)
    for secret in (session, *team.values(), "correct horse battery"):
        assert secret and secret not in everything
    import sqlite3
    if not demo.startswith("postgresql"):
        con = sqlite3.connect(demo)
        stored = " ".join(str(row) for table in ("account", "api_token", "web_session")
                          for row in con.execute(f"SELECT * FROM {table}"))
        con.close()
        assert "correct horse battery" not in stored and session not in stored
        assert all(t not in stored for t in team.values()) and "scrypt$16384$8$1$" in stored


@pytest.mark.postgresql_only
def test_a_database_password_never_shows(engine, cli):
    from sqlalchemy.engine import make_url
    url = make_url(engine).set(password="hunter2-db-secret")  # the test server trusts: the password is ignored
    location = url.render_as_string(hide_password=False)
    cli("--db", location, "demo", "--out", "-")
    with serve(location) as s, s.client() as c:
        seen = [c.get(p).text for p in ("/", "/api/map", "/api/page", "/api/status", "/openapi.json")]
        seen.append(c.post("/api/claims", json={"text": "x", "id": "x" * 81}).text)  # an error message
        seen.append(s.logs())
    seen.append(cli("--db", location, "log", "--json").stdout)
    assert "hunter2-db-secret" not in "\n".join(seen)


# --- one service: two processes on one database ---------------------------------------------------

@pytest.mark.postgresql_only
def test_two_servers_on_one_database_are_one_service(engine, cli, tmp_path):
    cli("demo", "--out", "-")
    cli("user", "add", "alice", "--role", "editor", "--password-file", password_file(tmp_path, "alice"))
    with serve(engine, token=None) as a, serve(engine, token=None) as b:
        ca, _ = login(a, "alice")
        # one login serves both: the session is the database's, not a process's
        assert httpx.get(b.base + "/api/me", cookies=ca.cookies).json()["name"] == "alice"
        token = cli("token", "create", "alice").stdout.strip()
        with b.client(token) as cb, a.client(token) as ca2:
            reader = EventReader(cb)
            head = int(cb.get("/api/page").json()["rev"])
            ca2.post("/api/claims", json={"text": "Written through server A.", "id": "via-a"})
            cli("object", "via-a", "Written by the CLI.", "--id", "via-cli")
            assert [e["rev"] for e in reader.wait_for(2)] == [head + 1, head + 2]
            assert cb.get("/api/claims/via-a").status_code == 200
        for _ in range(5):
            login(a, "alice", "wrong password!")
        _, r = login(b, "alice")  # failures counted for every process
        assert r.status_code == 429


def test_answers_are_not_held_back_by_nagle():
    """Every connection the server accepts sends at once (TCP_NODELAY): without it each
    keep-alive answer waited for the client's delayed ACK, ~40 ms a request."""
    import asyncio
    import socket

    from argmap.web import listening_socket

    async def accepted_nodelay() -> int:
        seen = asyncio.get_running_loop().create_future()

        def handle(reader, writer):
            seen.set_result(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()
        sock = listening_socket("127.0.0.1", 0)
        server = await asyncio.start_server(handle, sock=sock)
        _, writer = await asyncio.open_connection(*sock.getsockname())
        try:
            return await asyncio.wait_for(seen, 30)
        finally:
            writer.close()
            server.close()
    # in a thread of its own: Playwright's sync API may hold an event loop in this one
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, accepted_nodelay()).result(60) != 0


def test_behind_a_proxy_under_a_path(demo):
    """--root-path: the proxy strips the prefix on the way in (nginx's ``location /debate/ {
    proxy_pass http://127.0.0.1:8765/; }``); every link, cookie and redirect the server makes
    carries it on the way out."""
    with serve(demo, "--root-path", "/debate") as s:
        origin = s.base.removesuffix("/debate")
        assert s.url.startswith(origin + "/debate/?token=")
        r = httpx.get(origin + f"/?token={TOKEN}")
        assert r.status_code == 303 and r.headers["location"] == "/debate/"
        assert "Path=/debate;" in r.headers["set-cookie"]
        name, value = r.headers["set-cookie"].split(";")[0].split("=", 1)
        page = httpx.get(origin + "/", headers={"Cookie": f"{name}={value}"})  # as the proxy passes it on
        live = json.loads(re.search(r'id="argmap-live">(.*?)</script>', page.text).group(1))
        assert live["base"] == "/debate"
        assert httpx.get(origin + "/api/me", headers={"Authorization": f"Bearer {TOKEN}"}).json()["mode"] == "token"


def test_judgements_over_http_are_the_cli_s(team, demo, cli):
    """A person's credence from the API is theirs (the author is who logged in), in the
    history as `argmap judge` puts it; a viewer may not judge; the perspective and the crux
    between two people answer as `status --as` and `crux --between` do."""
    cli("--author", "bob", "judge", CLAIM, "--credence", "0.2")
    with serve(demo, token=None) as s:
        with s.client(team["alice"]) as alice:
            r = alice.put(f"/api/claims/{CLAIM}/judgement", json={"credence": 0.9})
            assert r.status_code == 200 and r.json() == {**r.json(), "claim": CLAIM, "author": "alice", "credence": 0.9}
            assert alice.put(f"/api/claims/{CLAIM}/judgement", json={"credence": 1.5}).json()["error"] == (
                cli.fails("judge", CLAIM, "--credence", "1.5").removeprefix("Error: "))
            assert alice.put("/api/claims/nope/judgement", json={"credence": 0.5}).status_code == 404
            assert alice.get("/api/judgements").json() == json.loads(cli("judgements", "--json").stdout)
            assert alice.get("/api/perspective?as=alice").json() == json.loads(cli("status", "--as", "alice", "--json").stdout)
            assert alice.get("/api/perspective?as=zed").status_code == 404
            r = alice.get(f"/api/claims/{CLAIM}/crux?between=alice&between=bob")
            assert r.json() == json.loads(cli("crux", CLAIM, "--between", "alice", "bob", "--json").stdout)
            assert alice.get(f"/api/claims/{CLAIM}/crux?between=alice").status_code == 422
            assert alice.put(f"/api/claims/{CLAIM}/judgement", json={"credence": None}).status_code == 200
            r = alice.put(f"/api/claims/{CLAIM}/judgement", json={"credence": None})
            assert r.status_code == 404 and "no judgement" in r.json()["error"]
        with s.client(team["victor"]) as viewer:
            assert viewer.put(f"/api/claims/{CLAIM}/judgement", json={"credence": 0.5}).status_code == 403
    log = json.loads(cli("log", "--json").stdout)
    assert [(c["author"], c["command"]) for c in log[-3:]] == [
        ("bob", f"argmap judge {CLAIM} --credence 0.2"), ("alice", f"web: judge {CLAIM} --credence=0.9"),
        ("alice", f"web: judge {CLAIM} --clear")]
    assert [j["author"] for j in json.loads(cli("judgements", "--json").stdout)] == ["bob"]


def test_critical_questions_over_http(server, cli):
    cli("add", "Dr E says so.", "--kind", "argument", "--id", "arg", "--scheme", "expert-opinion")
    with server.client() as c:
        assert c.get("/api/claims/arg/questions").json() == json.loads(cli("questions", "arg", "--json").stdout)
        r = c.post("/api/claims/arg/questions/backup", json={"id": "no-backup"})
        assert r.status_code == 201 and r.json()["claim"]["id"] == "no-backup" and r.json()["attacks"] == "arg"
        r = c.post("/api/claims/arg/questions/backup", json={})
        assert r.status_code == 400 and "answered already" in r.json()["error"]
        assert c.post("/api/claims/arg/questions/nope", json={}).status_code == 404
    assert json.loads(cli("questions", "arg", "--json").stdout)["open"] == 5


def test_groups_over_http_are_the_clis_groups(server, cli):
    with server.client() as c:
        r = c.post("/api/groups", json={"title": "Evolution", "id": "evo", "claims": [CLAIM]})
        assert r.status_code == 201 and r.json() == {"id": "evo", "title": "Evolution", "parent": None, "claims": [CLAIM]}
        assert c.post("/api/groups", json={"title": "Inner", "parent": "evo"}).status_code == 201
        r = c.post("/api/groups/inner/claims", json={"claims": ["genome-too-small"]})
        assert r.status_code == 200 and r.json()["claims"] == ["genome-too-small"]
        assert c.get("/api/groups").json() == json.loads(cli("group", "list", "--json").stdout)
        r = c.patch("/api/groups/inner", json={"title": "Genome", "top": True})
        assert r.status_code == 200 and (r.json()["title"], r.json()["parent"]) == ("Genome", None)
        r = c.delete(f"/api/groups/evo/claims/{CLAIM}")
        assert r.status_code == 200 and r.json()["claims"] == []
        before = snapshot(cli)
        assert c.delete(f"/api/groups/evo/claims/{CLAIM}").json() == {"error": f"claim '{CLAIM}' is not in group 'evo'"}
        assert c.post("/api/groups/nowhere/claims", json={"claims": [CLAIM]}).status_code == 404
        assert c.post("/api/groups", json={"title": "X", "parent": "inner", "colour": "red"}).status_code == 422
        assert c.patch("/api/groups/inner", json={"parent": "inner"}).status_code == 400
        assert snapshot(cli) == before
        assert c.delete("/api/groups/evo").status_code == 200
    log = [x["command"] for x in json.loads(cli("log", "--json").stdout)]
    assert "web: group add Evolution --id=evo evolution-prior" in log and log[-1] == "web: group remove evo"
