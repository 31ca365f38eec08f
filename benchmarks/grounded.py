"""Grounded semantics at scale: argmap against clingo, side by side, in one run.

Usage: python benchmarks/grounded.py [--sizes 10000,100000,1000000] [--timeout 120]

For each size it makes a random framework (n arguments, 3n attacks, seeded), then runs,
each in a fresh child process so that time and peak memory are its own:

- argmap (arrays): argmap.graph.semantics.grounded on numpy arrays in memory;
- argmap (store): the same from a SQLite store (set-based SQL read, then arrays);
- clingo ASPARTIX: the standard ASPARTIX grounded encoding (quadratic order relation);
- clingo fixpoint: a linear one-rule encoding of the same least fixpoint, for fairness.

Peak memory is the child's peak resident set minus its resident set before the work.
A run over the time limit is killed and shown as such. Results are printed as a table.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

from measure import rss_kb  # noqa: E402


def framework(n: int, seed: int = 7):
    """About 3n distinct attacks between distinct arguments (the store refuses self-loops)."""
    import numpy as np
    rng = np.random.default_rng(seed)
    m = 3 * n
    src, dst = rng.integers(0, n, m, dtype=np.int64), rng.integers(0, n, m, dtype=np.int64)
    keep = src != dst
    key = np.unique(src[keep] * n + dst[keep])
    return key // n, key % n


def child(method: str, n: int, db: str) -> None:
    import numpy as np
    from argmap.graph.semantics.grounded import Framework, grounded
    src, dst = framework(n)
    if method in ("clingo-aspartix", "clingo-fixpoint"):
        from argmap.graph.semantics import asp
        pairs = list(zip(src.tolist(), dst.tolist()))
        base = rss_kb()
        t0 = time.perf_counter()
        result = asp.solve(n, pairs, "grounded" if method == "clingo-aspartix" else "grounded-fixpoint",
                           timeout=10_000)
        seconds = time.perf_counter() - t0
        size_in = len(result.extensions[0])
    elif method == "argmap-arrays":
        base = rss_kb()
        t0 = time.perf_counter()
        labels = grounded(Framework(n, src, dst))
        seconds = time.perf_counter() - t0
        size_in = int(np.count_nonzero(labels == 1))
    elif method == "argmap-store":
        from argmap.claims.store import Store
        store = Store(db, create=False)
        base = rss_kb()
        t0 = time.perf_counter()
        arrays = store.read_arrays()
        names, af = arrays.names, arrays.framework()
        labels = grounded(af)
        seconds = time.perf_counter() - t0
        size_in = int(np.count_nonzero(labels == 1))
    else:
        raise SystemExit(f"unknown method {method}")
    peak = rss_kb("VmHWM")
    print(json.dumps({"seconds": seconds, "peak_mb": max(0, peak - base) / 1024, "in": size_in}))


def make_store(n: int, path: str) -> float:
    """A store with n claims and the same 3n attacks, written in bulk (not timed as grounded)."""
    from sqlalchemy import insert
    from argmap.claims.connection import utcnow
    from argmap.claims.models import Claim, Relation
    from argmap.claims.store import Store
    src, dst = framework(n)
    t0 = time.perf_counter()
    now = utcnow()
    with Store(path) as store, store.transaction() as s:
        conn = s.connection()
        conn.execute(insert(Claim.__table__), [{"id": f"a{i}", "text": f"argument {i}", "kind": "claim",
                                               "base_score": 0.5, "created_at": now} for i in range(n)])
        conn.execute(insert(Relation.__table__), [{"source_id": f"a{a}", "target_id": f"a{b}", "type": "attacks",
                                                   "created_at": now} for a, b in zip(src.tolist(), dst.tolist())])
    return time.perf_counter() - t0


def run(method: str, n: int, db: str, timeout: float) -> dict:
    try:
        out = subprocess.run([sys.executable, __file__, "--child", method, str(n), db],
                             capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"> {timeout:g} s (killed)"}
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1][:60]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10000,100000,1000000")
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--child", nargs=3, metavar=("METHOD", "N", "DB"))
    args = p.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), args.child[2])
        return
    methods = ["argmap-arrays", "argmap-store", "clingo-fixpoint", "clingo-aspartix"]
    print(f"{'arguments':>10} {'attacks':>9} | " + " | ".join(f"{m:^24}" for m in methods) + " | speed-up vs best clingo")
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(x) for x in args.sizes.split(",")]:
            db = os.path.join(tmp, f"af{n}.db")
            make_store(n, db)
            results = {m: run(m, n, db, args.timeout) for m in methods}
            cells = []
            for m in methods:
                r = results[m]
                cells.append(f"{r['error']:^24}" if "error" in r else f"{r['seconds']:8.3f} s {r['peak_mb']:8.1f} MB  ")
            ins = {r.get("in") for r in results.values() if "in" in r}
            clingo = [results[m]["seconds"] for m in methods if m.startswith("clingo") and "seconds" in results[m]]
            ours = results["argmap-arrays"].get("seconds")
            speed = f"{min(clingo) / ours:.0f}x" if clingo and ours else "clingo did not finish"
            agree = "" if len(ins) <= 1 else "  DISAGREE on the grounded extension!"
            print(f"{n:>10} {len(framework(n)[0]):>9} | " + " | ".join(cells) + f" | {speed}{agree}", flush=True)


if __name__ == "__main__":
    main()
