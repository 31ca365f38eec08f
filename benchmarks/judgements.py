"""People's judgements at scale: `status --robust --as everyone` and `crux --between` on a
generated map with many people's credences, whole process, medians.

    python benchmarks/judgements.py [--size 10000] [--people 20] [--each 50] [--repeat 3]

Each person judges EACH claims (the thesis' neighbourhood first, then random ones, seeded),
written through the Python API; then each command runs REPEAT times in a fresh process.
"""

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402


def timed(args: list[str], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "argmap", *args], capture_output=True, text=True)
        runs.append(time.perf_counter() - t)
        if out.returncode != 0:
            raise SystemExit(f"argmap {' '.join(args)}: {out.stderr.strip()}")
    return statistics.median(runs)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", type=int, default=10_000)
    p.add_argument("--people", type=int, default=20)
    p.add_argument("--each", type=int, default=50)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    import argmap
    from argmap.service import Actor
    with tempfile.TemporaryDirectory() as tmp:
        db, doc = str(Path(tmp) / "j.db"), Path(tmp) / "g.json"
        doc.write_text(json.dumps(generate(args.size)))
        subprocess.run([sys.executable, "-m", "argmap", "--db", db, "import", str(doc)], check=True, capture_output=True)
        rng = random.Random(1)
        near = [f"c{i}" for i in range(1, 40)]
        for k in range(args.people):
            with argmap.open(db, actor=Actor(name=f"p{k}", role="editor")) as m:
                for claim in sorted(set(rng.sample(near, 10) + [f"c{rng.randrange(args.size)}"
                                                                  for _ in range(args.each - 10)])):
                    m.judge(claim, round(rng.random(), 2))
        robust = timed(["--db", db, "status", "--robust", "--as", "everyone", "--draws", "1000", "--json"], args.repeat)
        crux = timed(["--db", db, "crux", "c0", "--between", "p0", "p1", "--json"], args.repeat)
        print(json.dumps({"claims": args.size, "people": args.people, "judgements_each": args.each,
                          "status_robust_as_everyone_s": round(robust, 2), "crux_between_s": round(crux, 2)}))


if __name__ == "__main__":
    main()
