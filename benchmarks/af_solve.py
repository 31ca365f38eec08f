"""`argmap af solve --semantics grounded` on ICCMA'23 files, whole process, against a C
reference (benchmarks/grounded_ref.c, compiled here with the machine's cc) in the same run.

    python benchmarks/af_solve.py [--sizes 10000,100000,1000000] [--repeat 3]

Frameworks: n arguments and about 3n random attacks (the same as benchmarks/grounded.py).
Both programs read the file and print the grounded extension; the answers are compared.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def write_framework(n: int, path: Path, seed: int = 1) -> int:
    import numpy as np
    rng = np.random.default_rng(seed)
    pairs = np.unique(rng.integers(1, n + 1, size=(3 * n, 2)), axis=0)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    with open(path, "w") as f:
        f.write(f"p af {n}\n")
        np.savetxt(f, pairs, fmt="%d")
    return len(pairs)


def timed(cmd: list[str]) -> tuple[float, float, str]:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed: {done.stderr.strip()[-300:]}")
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, done.stdout


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10000,100000,1000000")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as work:
        ref = Path(work, "grounded_ref")
        subprocess.run(["cc", "-O2", "-o", str(ref), str(HERE / "grounded_ref.c")], check=True)
        print(f"median of {args.repeat} runs each, whole process (file in, answer out)")
        print(f"{'arguments':>10} {'attacks':>10} {'argmap af solve':>18} {'C reference':>14} {'ratio':>6}")
        for n in [int(x) for x in args.sizes.split(",")]:
            path = Path(work, f"{n}.af")
            m = write_framework(n, path)
            ours, theirs = [], []
            for _ in range(args.repeat):
                s, _, out_a = timed([sys.executable, "-m", "argmap", "af", "solve", str(path)])
                ours.append(s)
                s, _, out_c = timed([str(ref), str(path)])
                theirs.append(s)
                if out_a.split() != out_c.split():
                    raise SystemExit(f"answers differ at n={n}")
            a, c = statistics.median(ours), statistics.median(theirs)
            print(f"{n:>10,} {m:>10,} {a:>16.3f} s {c:>12.3f} s {a / c:>6.1f}", flush=True)


if __name__ == "__main__":
    main()
