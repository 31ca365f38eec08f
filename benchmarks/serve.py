"""`argmap serve` under load, over real HTTP: many writers, many live pages, big stores.

    python benchmarks/serve.py [--sizes 10000,100000] [--engines sqlite,postgresql]
                               [--clients 50] [--each 100] [--streams 200] [--client httpx|lean]
                               [--browser [--browser-size N]]

For each engine and store size: a store generated with benchmarks/generate.py and imported,
one server process (`argmap serve`, a token), then CLIENTS threads each adding EACH
objections (POST /api/claims/{id}/objections, one keep-alive connection each) while STREAMS
event streams (GET /api/events, in a separate process so its threads do not slow the
writers) count what they hear; then the same clients read claims (GET /api/claims/{id}).
Prints p50/p99 of each, whether every objection was kept and every change is in the history,
and whether every stream heard every change. ``--browser``: the time from one page's submit
to another page's redraw with the new claim (two Chromium contexts), median and worst of 20,
on a store of --browser-size claims (1,000 by default).
PostgreSQL: ``--pg URL`` or $ARGMAP_TEST_PG (a scratch database: a fresh schema per run).
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "helpers"))
from generate import generate  # noqa: E402
from served import TOKEN, serve  # noqa: E402

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def argmap(location: str, *args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "argmap", "--db", location, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"argmap {' '.join(args)}: {out.stderr.strip()}")
    return out.stdout


def make_store(engine: str, size: int, work: Path, pg: str | None) -> str:
    if engine == "sqlite":
        location = str(work / f"s{size}.db")
    else:
        import psycopg
        from sqlalchemy.engine import make_url
        url = make_url(pg)
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(host=url.host, port=url.port, user=url.username, dbname=url.database,
                             password=url.password, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        location = url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    doc = work / f"g{size}.json"
    if not doc.exists():
        doc.write_text(json.dumps(generate(size)))
    argmap(location, "import", str(doc))
    return location


def streams_child(base: str, count: int, expect: int, timeout: float) -> None:
    """Run as a child: COUNT streams, each counting change events until it has EXPECT or time runs out."""
    heard, reconnects = [0] * count, [0] * count
    ready, done = threading.Barrier(count + 1), threading.Event()

    def listen(i: int) -> None:
        # as a browser's EventSource does: a stream the server closed (one that fell too far
        # behind) is opened again from the last revision heard, and the missed ones replayed
        seen: set[int] = set()
        last, waited = None, False
        with httpx.Client(base_url=base, headers=AUTH, timeout=httpx.Timeout(30, read=None)) as c:
            while len(seen) < expect and not done.is_set():
                params = {} if last is None else {"since": last}
                with c.stream("GET", "/api/events", params=params) as r:
                    for line in r.iter_lines():
                        if line == ": connected" and not waited:
                            waited = True
                            ready.wait()
                        elif line.startswith("id: "):
                            last = int(line[4:])
                            seen.add(last)
                            heard[i] = len(seen)
                            if heard[i] >= expect:
                                return
                reconnects[i] += 1

    threads = [threading.Thread(target=listen, args=(i,), daemon=True) for i in range(count)]
    for t in threads:
        t.start()
    ready.wait(60)
    print("ready", flush=True)
    deadline = time.monotonic() + timeout
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    done.set()
    print(json.dumps({"heard": heard, "reconnects": sum(reconnects)}), flush=True)


class Lean:
    """One keep-alive HTTP/1.1 connection through the standard library's http.client: a client
    that costs the shared CPU far less than httpx (a FastAPI endpoint doing nothing, 50 httpx
    threads: about 1,100 requests a second here; with these, about 3,000), so that the figures
    are the server's more than the load generator's."""

    def __init__(self, base: str):
        import http.client
        from urllib.parse import urlsplit
        u = urlsplit(base)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)

    def request(self, method: str, path: str, body=None):
        headers = dict(AUTH)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.conn.request(method, path, body=data, headers=headers)
        r = self.conn.getresponse()
        return r.status, r.read()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.conn.close()


def load(location: str, size: int, clients: int, each: int, streams: int, lean: bool = False) -> dict:
    with serve(location, "--max-streams", str(streams + 10)) as s:
        head = len(json.loads(argmap(location, "log", "--json")))
        listener = subprocess.Popen([sys.executable, __file__, "--child-streams", s.base, str(streams),
                                     str(clients * each), "600"], stdout=subprocess.PIPE, text=True)
        assert listener.stdout.readline().strip() == "ready"
        writes: list[float] = []
        reads: list[float] = []
        lock = threading.Lock()
        start = threading.Barrier(clients)
        failures: list[str] = []

        def client(k: int) -> None:
            rng = random.Random(k)
            mine, seen = [], []
            with (Lean(s.base) if lean else httpx.Client(base_url=s.base, headers=AUTH, timeout=60)) as c:
                def ask(method, path, body=None):
                    if lean:
                        return c.request(method, path, body)
                    r = c.request(method, path, json=body)
                    return r.status_code, r.content
                ask("GET", "/api/me")
                start.wait()
                for j in range(each):
                    target = f"c{rng.randrange(size)}"
                    t0 = time.perf_counter()
                    status, text = ask("POST", f"/api/claims/{target}/objections",
                                       {"text": f"Objection {j} from client {k}.", "id": f"load-{k}-{j}"})
                    mine.append(time.perf_counter() - t0)
                    if status != 201:
                        failures.append(f"{status} {text[:120]!r}")
                for j in range(each):
                    t0 = time.perf_counter()
                    status, text = ask("GET", f"/api/claims/c{rng.randrange(size)}")
                    seen.append(time.perf_counter() - t0)
                    if status != 200:
                        failures.append(f"{status} {text[:120]!r}")
            with lock:
                writes.extend(mine)
                reads.extend(seen)

        began = time.perf_counter()
        threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - began
        out = listener.stdout.read()  # not communicate(): with a timeout it skips what readline buffered
        listener.wait(60)
        told = json.loads(out.strip().splitlines()[-1])
        heard = told["heard"]
        with s.client() as c:
            kept = sum(1 for x in c.get("/api/claims").json() if x["id"].startswith("load-"))
    changes = len(json.loads(argmap(location, "log", "--json"))) - head
    return {"writes": len(writes), "failures": len(failures), "first_failure": failures[:1],
            "kept": kept, "changes": changes, "seconds": round(elapsed, 1),
            "write_p50_ms": round(pct(writes, 50), 1), "write_p99_ms": round(pct(writes, 99), 1),
            "read_p50_ms": round(pct(reads, 50), 1), "read_p99_ms": round(pct(reads, 99), 1),
            "streams": len(heard), "streams_heard_all": sum(1 for h in heard if h >= clients * each),
            "stream_reconnects": told["reconnects"]}


def browser_latency(location: str, repeat: int = 20) -> dict:
    """From a submit in one page to the new claim drawn in another's, in Chromium."""
    from playwright.sync_api import sync_playwright
    found = []
    with serve(location) as s, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        pages = []
        for _ in range(2):
            page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
            page.goto(s.url)
            page.wait_for_selector("body[data-ready='1']", state="attached", timeout=120_000)
            pages.append(page)
        writer, reader = pages
        for i in range(repeat):
            new_id = f"latency-{i}"
            writer.evaluate("window.argmap.showDetails('c0')")
            writer.click("#details button.live-objections")
            writer.fill("#details form.live-form textarea[name=text]", f"Latency probe {i}.")
            writer.fill("#details form.live-form input[name=id]", new_id)
            t0 = time.perf_counter()
            writer.click("#details form.live-form button[type=submit]")
            while not reader.evaluate("(id) => !!window.argmap.data.claims[id]", new_id):
                time.sleep(0.005)
            found.append(time.perf_counter() - t0)
        browser.close()
    return {"page_to_page_median_ms": round(statistics.median(found) * 1000), "worst_ms": round(max(found) * 1000)}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child-streams":
        streams_child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]))
        return
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10000,100000")
    p.add_argument("--engines", default="sqlite,postgresql")
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--each", type=int, default=100)
    p.add_argument("--streams", type=int, default=200)
    p.add_argument("--browser", action="store_true")
    p.add_argument("--browser-size", type=int, default=1000, help="claims in the store the pages show")
    p.add_argument("--pg", default=os.environ.get("ARGMAP_TEST_PG"))
    p.add_argument("--client", choices=("httpx", "lean"), default="httpx",
                   help="the writers' HTTP client: httpx, or the standard library's http.client (lighter)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for engine in args.engines.split(","):
            if engine == "postgresql" and not args.pg:
                print("postgresql: skipped (no --pg / $ARGMAP_TEST_PG)")
                continue
            for size in map(int, args.sizes.split(",")):
                location = make_store(engine, size, work, args.pg)
                row = load(location, size, args.clients, args.each, args.streams, lean=args.client == "lean")
                print(json.dumps({"engine": engine, "claims": size, "clients": args.clients, "client": args.client,
                                  **row}), flush=True)
            if args.browser:
                location = make_store(engine, args.browser_size, work, args.pg)
                print(json.dumps({"engine": engine, "claims": args.browser_size, **browser_latency(location)}),
                      flush=True)


if __name__ == "__main__":
    main()
