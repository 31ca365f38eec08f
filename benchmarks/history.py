"""What the change log costs: `argmap object` and `argmap import` on a large store, a version
without the history (OLD_SRC, a checkout) and this one, side by side in one run.

    git worktree add /tmp/old-src b45c39b
    python benchmarks/history.py /tmp/old-src [--size 100000] [--repeat 9]

Each version imports the same generated map (benchmarks/generate.py) into a store of its
own schema, alternating old/new ``--repeat``/3 times (at least 3); then each adds
``--repeat`` objections through the CLI, alternating, every run a fresh process. Medians of
whole-process wall time (and GNU time's peak memory for the imports).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NEW_SRC = HERE.parent


def run(src: Path, args: list[str]) -> tuple[float, float]:
    """Seconds and peak MB of one ``argmap`` process from checkout ``src``."""
    with tempfile.NamedTemporaryFile(suffix=".time") as stats:
        t0 = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", stats.name, sys.executable, "-m", "argmap", *args],
                              capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(src)})
        seconds = time.perf_counter() - t0
        if done.returncode != 0:
            raise SystemExit(f"argmap {' '.join(args[:3])} failed in {src}: {done.stderr.strip()[-300:]}")
        return seconds, int(Path(stats.name).read_text().split()[-1]) / 1024


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("old_src", type=Path)
    p.add_argument("--size", type=int, default=100_000)
    p.add_argument("--repeat", type=int, default=9)
    args = p.parse_args()
    sys.path.insert(0, str(HERE))
    from generate import generate
    versions = {"without history": args.old_src.resolve(), "with history": NEW_SRC}
    with tempfile.TemporaryDirectory() as work:
        doc = Path(work, "map.json")
        doc.write_text(json.dumps(generate(args.size)))
        imports: dict[str, list[tuple[float, float]]] = {k: [] for k in versions}
        for i in range(max(3, args.repeat // 3)):
            for name, src in versions.items():
                db = Path(work, f"{name.replace(' ', '-')}-{i}.db")
                imports[name].append(run(src, ["--db", str(db), "import", str(doc)]))
        objects: dict[str, list[float]] = {k: [] for k in versions}
        for i in range(args.repeat):
            for name, src in versions.items():
                db = Path(work, f"{name.replace(' ', '-')}-0.db")
                objects[name].append(run(src, ["--db", str(db), "object", "c0", f"Objection number {i}.",
                                               "--id", f"bench-{i}"])[0])
        print(f"{args.size:,} claims; medians (import: {len(imports['with history'])} runs, object: {args.repeat})")
        print(f"{'':<18} {'import':>10} {'peak':>9} {'object':>9}")
        for name in versions:
            print(f"{name:<18} {statistics.median(s for s, _ in imports[name]):>8.2f} s "
                  f"{max(m for _, m in imports[name]):>6.0f} MB {statistics.median(objects[name]):>7.3f} s")
        old, new = (statistics.median(objects[k]) for k in versions)
        old_i, new_i = (statistics.median(s for s, _ in imports[k]) for k in versions)
        print(f"object: {new - old:+.3f} s with the history; import: {100 * (new_i / old_i - 1):+.1f}%")


if __name__ == "__main__":
    main()
