"""`status` right after a write, two versions side by side: the first read after any write is
what a live, shared map hits all the time.

    python benchmarks/after_write.py OLD_SRC NEW_SRC [--sizes 100000,1000000] [--repeat 5]

OLD_SRC and NEW_SRC are checkouts (``git worktree add /tmp/old-src COMMIT``). For each size a
map is generated (``generate.py``: about three relations per claim) and imported by OLD_SRC;
NEW_SRC works on a copy (upgrading its schema if it must). Then, alternating A, B, A, B...:
one ``argmap object`` (a claim and a relation written) and one ``argmap status``, each a fresh
process; the medians of the write and of the status after it are printed, whole process,
wall-clock time (not memory: a child forked from this process, which held the
generated map, reports the parent's peak).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402


def run(src: str, *args: str) -> tuple[float, float]:
    """(seconds, peak MB) of one ``argmap`` process of checkout ``src``."""
    env = {**os.environ, "PYTHONPATH": src}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "argmap", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env, cwd=src)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed in {src}: argmap {' '.join(args)}: {proc.stderr.read().decode()[-300:]}")
    proc.stderr.close()
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("--sizes", default="100000,1000000")
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            doc = Path(tmp) / f"m{n}.json"
            doc.write_text(json.dumps(generate(n)))
            stores = {"A": Path(tmp) / f"a{n}.db", "B": Path(tmp) / f"b{n}.db"}
            run(args.old, "--db", str(stores["A"]), "import", str(doc))
            doc.unlink()
            shutil.copy(stores["A"], stores["B"])
            srcs = {"A": args.old, "B": args.new}
            for side in "AB":
                run(srcs[side], "--db", str(stores[side]), "status")  # upgraded if need be, arrays kept
            figures: dict[str, dict[str, list]] = {"A": {"write": [], "status": []}, "B": {"write": [], "status": []}}
            for k in range(args.repeat):
                for side in "AB":
                    db = ["--db", str(stores[side])]
                    figures[side]["write"].append(run(srcs[side], *db, "object", "c0", f"A fresh objection {k}",
                                                      "--id", f"fresh-{k}"))
                    figures[side]["status"].append(run(srcs[side], *db, "status"))
            for side in "AB":
                row = {"version": side, "src": srcs[side], "claims": n}
                for what, runs in figures[side].items():
                    row[f"{what}_s"] = round(statistics.median(r[0] for r in runs), 3)
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
