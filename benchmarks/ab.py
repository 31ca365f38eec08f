"""Two versions of argmap side by side, on the same store, operation by operation.

    python benchmarks/ab.py OLD_SRC NEW_SRC [--size 100000] [--repeat 3] [--ops status,compute,...]

OLD_SRC and NEW_SRC are checkouts (``git worktree add /tmp/old HEAD~1``). Each operation
of ``scale.py`` runs in a fresh process with ``PYTHONPATH`` pointing at one checkout,
alternating A, B, A, B... on copies of one store, so that a noisy machine hits both
alike; the table gives the median time and peak memory of each, and the ratio B/A.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OPS = ("status", "focus", "whole", "json", "aif", "graphml", "compute", "object")


def child(src: str, op: str, path: str, db: str, work: str, timeout: float) -> dict:
    env = {**os.environ, "PYTHONPATH": src}
    out = subprocess.run([sys.executable, str(Path(src) / "benchmarks" / "scale.py"), "--child", op, path, db, work],
                         capture_output=True, text=True, timeout=timeout, env=env, cwd=src)
    if out.returncode != 0:
        raise SystemExit(f"{op} failed in {src}: {out.stderr.strip()[-300:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--size", type=int, default=100_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--ops", default=",".join(OPS))
    p.add_argument("--timeout", type=float, default=1500)
    args = p.parse_args()
    sys.path.insert(0, str(HERE))
    from generate import generate
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "map.json")
        with open(path, "w") as f:
            json.dump(generate(args.size), f)
        base = os.path.join(work, "base.db")
        child(args.a, "import", path, base, work, args.timeout)  # one store, made by A, read by both
        print(f"{args.size:,} claims; median of {args.repeat} runs each, A and B alternating")
        print(f"{'operation':<10} {'A':>18} {'B':>18}  B/A")
        for op in args.ops.split(","):
            runs: dict[str, list[dict]] = {"a": [], "b": []}
            for _ in range(args.repeat):
                for side in ("a", "b"):
                    db = os.path.join(work, f"{side}.db")
                    shutil.copy(base, db)
                    runs[side].append(child(getattr(args, side), op, path, db, work, args.timeout))
            med = {k: (statistics.median(r["seconds"] for r in v), statistics.median(r["peak_mb"] for r in v))
                   for k, v in runs.items()}
            (ta, ma), (tb, mb) = med["a"], med["b"]
            print(f"{op:<10} {ta:8.2f} s {ma:6.0f} MB {tb:8.2f} s {mb:6.0f} MB  {tb / ta:4.2f}", flush=True)


if __name__ == "__main__":
    main()
