"""argmap at scale: time and peak memory of the main operations at 1k to 1M claims.

    python benchmarks/scale.py [--sizes 1000,10000,100000,1000000] [--timeout 900] [--out DIR]

For each size it generates a realistic map (benchmarks/generate.py), then measures, each in
a fresh child process so that time and peak memory are its own:

  import      argmap import of the JSON map into an empty store (set-based SQL, all checks,
              computations run)
   baseline   claims, sources, relations and evidence added one ORM object at a time
              (session.add, one commit; no checks, no computations)
  object      `argmap object` through the CLI, end to end (process start included)
  status      `argmap status` (grounded, from the store), through the CLI, end to end
   baseline   python-argumentation's grounded extension of the same framework, in memory
  compute     `argmap compute run` through the CLI (all computations, in dependency order)
  focus       render of one claim's neighbourhood at depth 2 (library call)
  whole       render of the whole map (library call)
  json, aif, graphml   exports (library calls)

Peak memory is the child's peak resident set minus its resident set before the operation
(for CLI runs: the peak of the argmap process). Runs over the time limit are killed and
shown as such. Prints one table per size as it goes.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
sys.path.insert(0, HERE)
ARGMAP = [sys.executable, "-m", "argmap.cli"]

from measure import rss_kb  # noqa: E402


def run_cli(*args: str) -> tuple[float, float]:
    t0 = time.perf_counter()
    done = subprocess.run([*ARGMAP, *args], capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(done.stderr.strip()[-300:] or f"exit code {done.returncode}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak


def naive_import(path: str, db: str) -> None:
    """The baseline: one ORM object per row, as a first version would do it."""
    from sqlmodel import Session
    from argmap.claims.models import Claim, Evidence, Relation, Source
    from argmap.claims.store import Store
    data = json.load(open(path))
    store = Store(db)
    with Session(store.engine) as s:
        for c in data["claims"]:
            s.add(Claim(id=c["id"], text=c["text"], kind=c["kind"], base_score=c.get("base_score", 0.5)))
        for src in data["sources"]:
            s.add(Source(**{k: src[k] for k in ("id", "title", "author", "url", "date", "text")}))
        s.flush()
        for r in data["relations"]:
            s.add(Relation(source_id=r["source"], target_id=r["target"], type=r["type"]))
        for e in data["evidence"]:
            s.add(Evidence(claim_id=e["claim"], source_id=e["source"], quote=e["quote"], locator=e["locator"]))
        s.commit()


def py_arg_grounded(db: str) -> None:
    from py_arg.abstract_argumentation_classes.abstract_argumentation_framework import AbstractArgumentationFramework
    from py_arg.abstract_argumentation_classes.argument import Argument
    from py_arg.abstract_argumentation_classes.defeat import Defeat
    from py_arg.algorithms.semantics.get_grounded_extension import get_grounded_extension
    from argmap.claims.store import Store
    arrays = Store(db, create=False).read_arrays()
    names, af = arrays.names, arrays.framework()
    args = [Argument(n) for n in names]
    framework = AbstractArgumentationFramework("bench", args, [Defeat(args[a], args[b]) for a, b in zip(af.src, af.dst)])
    get_grounded_extension(framework)


def child(op: str, path: str, db: str, work: str) -> None:
    if op in ("object", "status", "compute", "crux"):
        args = {"object": ["--db", db, "object", "c1", "A benchmark objection", "--id", f"bench-{time.time_ns()}"],
                "status": ["--db", db, "status"],
                "crux": ["--db", db, "crux", "c0", "--max-size", "1", "--no-numbers"],
                "compute": ["--db", db, "compute", "run"]}[op]
        seconds, peak = run_cli(*args)
        print(json.dumps({"seconds": seconds, "peak_mb": peak}))
        return
    from argmap.claims.store import Store
    if op == "import":
        from argmap.graph.formats.io import import_path
        base = rss_kb()
        t0 = time.perf_counter()
        import_path(Store(db), path)
    elif op == "import-naive":
        base = rss_kb()
        t0 = time.perf_counter()
        naive_import(path, db)
    elif op == "status-pyarg":
        import py_arg  # noqa: F401  (fail early, before timing, when it is not installed)
        base = rss_kb()
        t0 = time.perf_counter()
        py_arg_grounded(db)
    elif op in ("focus", "whole"):
        from argmap.graph.maps import render_store
        store = Store(db, create=False)
        base = rss_kb()
        t0 = time.perf_counter()
        render_store(store, os.path.join(work, f"{op}.html"), focus="c1" if op == "focus" else None, depth=2)
    elif op in ("json", "aif", "graphml"):
        from argmap.graph.formats.io import export_store
        store = Store(db, create=False)
        base = rss_kb()
        t0 = time.perf_counter()
        export_store(store, op)
    else:
        raise SystemExit(f"unknown operation {op}")
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "peak_mb": max(0, rss_kb("VmHWM") - base) / 1024}))


def measure(op: str, path: str, db: str, work: str, timeout: float) -> dict:
    try:
        out = subprocess.run([sys.executable, __file__, "--child", op, path, db, work],
                             capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"> {timeout:g} s"}
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or out.stdout.strip().splitlines() or ["failed"])[-1]
        return {"error": last[:50]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def cell(r: dict) -> str:
    if "error" in r:
        return r["error"]
    return f"{r['seconds']:8.2f} s {r['peak_mb']:8.0f} MB"


# the baselines are far slower; beyond these sizes they would only hit the time limit
BASELINE_MAX = {"import-naive": 100_000, "status-pyarg": 10_000}

PLAN = [("import", "import (JSON)"), ("import-naive", "  baseline: ORM row by row"),
        ("status", "status (grounded, CLI)"), ("status-pyarg", "  baseline: python-argumentation"),
        ("focus", "render focus (depth 2)"), ("whole", "render whole map"),
        ("json", "export json"), ("aif", "export aif"), ("graphml", "export graphml"),
        ("compute", "compute run (CLI)"), ("object", "object (CLI, end to end)"),
        ("crux", "crux of the thesis, size 1 (CLI)")]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000,100000,1000000")
    p.add_argument("--timeout", type=float, default=900)
    p.add_argument("--skip", default="", help="comma-separated operations to leave out")
    p.add_argument("--child", nargs=4, metavar=("OP", "MAP", "DB", "WORK"))
    args = p.parse_args()
    if args.child:
        child(*args.child)
        return
    from generate import generate
    skip = set(filter(None, args.skip.split(",")))
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores; time limit {args.timeout:g} s per operation")
    helps = [run_cli("--help")[0] for _ in range(5)]
    print(f"argmap --help (CLI, end to end): best {min(helps):.2f} s, median {sorted(helps)[2]:.2f} s of 5")
    with tempfile.TemporaryDirectory() as work:
        for n in [int(x) for x in args.sizes.split(",")]:
            path = os.path.join(work, f"map{n}.json")
            doc = generate(n)
            with open(path, "w") as f:
                json.dump(doc, f)
            print(f"\n{n:,} claims, {len(doc['relations']):,} relations, {len(doc['evidence']):,} evidence, "
                  f"{len(doc['computations']):,} computations", flush=True)
            del doc
            db = os.path.join(work, f"store{n}.db")
            for op, label in PLAN:
                if op in skip:
                    continue
                if n > BASELINE_MAX.get(op, n):
                    print(f"  {label:<34} not run above {BASELINE_MAX[op]:,} claims", flush=True)
                    continue
                target = os.path.join(work, f"naive{n}.db") if op == "import-naive" else db
                result = measure(op, path, target, work, args.timeout)
                print(f"  {label:<34} {cell(result)}", flush=True)
                if op == "import" and "error" in result:
                    break


if __name__ == "__main__":
    main()
