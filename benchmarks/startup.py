"""Whole-process time of the everyday commands, start-up included (what a user waits for).

    python benchmarks/startup.py [--store BIG.db ...] [--repeat 7]

Runs each command in a fresh ``argmap`` process on the built-in demo (and on each --store
given, e.g. one imported from ``benchmarks/generate.py 100000``), alternating with
``python -c pass`` as the floor, and prints the median wall-clock time and the median peak
memory of the process. A read that keeps the store's arrays is run once first, so the
figures are those of a warm store (the first read after a write rebuilds them: shown apart).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARGMAP = [sys.executable, "-m", "argmap.cli"]


def run(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss / 1024


def median(cmd: list[str], repeat: int) -> tuple[float, float]:
    runs = [run(cmd) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", action="append", default=[], help="a larger store to time status/list/render on")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo.db"
        subprocess.run(ARGMAP + ["--db", str(demo), "demo", "--out", str(Path(tmp) / "demo.html")], check=True,
                       stdout=subprocess.DEVNULL)
        rows = [("python -c pass (floor)", [sys.executable, "-c", "pass"], None),
                ("argmap --help", ARGMAP + ["--help"], None)]
        stores = [("demo", demo)] + [(Path(s).name, Path(s)) for s in args.store]
        for name, path in stores:
            db = ["--db", str(path)]
            rows += [(f"status ({name})", ARGMAP + db + ["status"], path),
                     (f"status ID ({name})", ARGMAP + db + ["status", first_claim(path)], path),
                     (f"list ({name})", ARGMAP + db + ["list"], path),
                     (f"show ID ({name})", ARGMAP + db + ["show", first_claim(path)], path),
                     (f"render --focus ID --depth 2 ({name})",
                      ARGMAP + db + ["render", "--focus", first_claim(path), "--depth", "2", "--out",
                                     str(Path(tmp) / f"{name}.html")], path)]
        print(f"{'command':<44} {'median s':>9} {'peak MB':>8}   ({args.repeat} runs each)")
        for label, cmd, path in rows:
            if path is not None:
                run(cmd)  # warm: keeps the arrays, fills the page cache
            seconds, peak = median(cmd, args.repeat)
            print(f"{label:<44} {seconds:>9.3f} {peak:>8.0f}")
        for name, path in stores:  # the first read after a write: the arrays are rebuilt
            copy = Path(tmp) / f"cold-{name}"
            shutil.copy(path, copy)
            cold = []
            for k in range(max(1, args.repeat // 2)):
                run(ARGMAP + ["--db", str(copy), "add", f"A claim that makes the kept arrays stale {k}"])
                cold.append(run(ARGMAP + ["--db", str(copy), "status"]))
            print(f"{'status after a write (' + name + ')':<44} {statistics.median(c[0] for c in cold):>9.3f} "
                  f"{statistics.median(c[1] for c in cold):>8.0f}")


def first_claim(path: Path) -> str:
    import sqlite3
    con = sqlite3.connect(path)
    try:
        row = con.execute("SELECT id FROM claim WHERE kind = 'thesis' ORDER BY id LIMIT 1").fetchone()
        return row[0] if row else con.execute("SELECT id FROM claim ORDER BY id LIMIT 1").fetchone()[0]
    finally:
        con.close()


if __name__ == "__main__":
    main()
