"""Grounded semantics end to end (file in, answer out): argmap, a C reference and clingo, in
one run, each a whole process.

    python benchmarks/grounded.py [--sizes 10000,100000,1000000] [--repeat 3] [--timeout 300]

For each size it writes one random framework (n arguments, about 3n attacks, the same as
benchmarks/af_solve.py) as an ICCMA'23 file and as clingo facts, then times, medians of
``--repeat`` runs, peak memory from the kernel's accounting of the child:

- ``argmap af solve FILE`` (grounded): parse, solve, print the ``w`` line;
- the C reference (benchmarks/grounded_ref.c, compiled here): the same file, the same line;
- clingo run directly (``python -m clingo``) on the facts with the linear fixpoint encoding
  that argmap ships (``asp.GROUNDED_FIXPOINT``), answer read from its JSON output.

The three answers are compared; a run over the time limit is killed and shown as such.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from af_solve import write_framework  # noqa: E402


def facts_for_clingo(iccma: Path, out: Path) -> None:
    """The ICCMA file as ``arg/1`` and ``att/2`` facts, numbers unchanged (not timed)."""
    import numpy as np
    with open(iccma) as f:
        n = int(f.readline().split()[2])
        pairs = np.loadtxt(f, dtype=np.int64, ndmin=2)
    with open(out, "w") as f:
        f.write(f"arg(1..{n}).\n")
        f.writelines(f"att({a},{b}).\n" for a, b in pairs.tolist())


def timed(cmd: list[str], timeout: float) -> tuple[float, float, bytes]:
    """Seconds, peak MB (GNU time's) and stdout of one whole process."""
    with tempfile.NamedTemporaryFile(suffix=".time") as stats:
        t0 = time.perf_counter()
        try:
            done = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", stats.name, *cmd], capture_output=True,
                                  timeout=timeout, env={**os.environ, "PYTHONPATH": str(HERE.parent)})
        except subprocess.TimeoutExpired:
            return float("inf"), 0.0, b""
        if done.returncode != 0:
            raise SystemExit(f"{cmd[:3]} failed: {done.stderr.decode()[-300:]}")
        seconds = time.perf_counter() - t0
        kb = Path(stats.name).read_text().split()[-1]
    return seconds, int(kb) / 1024, done.stdout


def answer_of(method: str, out: bytes) -> list[int]:
    if method == "clingo":
        from argmap.graph.semantics.asp import parse_models
        models, _ = parse_models(out)
        return sorted(models[0]) if models else []
    return sorted(int(x) for x in out.split()[1:])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10000,100000,1000000")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--timeout", type=float, default=300)
    args = p.parse_args()
    from argmap.graph.semantics.asp import GROUNDED_FIXPOINT
    with tempfile.TemporaryDirectory() as work:
        ref, encoding = Path(work, "grounded_ref"), Path(work, "grounded.lp")
        subprocess.run(["cc", "-O2", "-o", str(ref), str(HERE / "grounded_ref.c")], check=True)
        encoding.write_text(GROUNDED_FIXPOINT + "#show in/1.\n")
        print(f"median of {args.repeat} runs each, whole process (file in, answer out); seconds / peak MB")
        print(f"{'arguments':>10} {'attacks':>10} | {'argmap af solve':>18} | {'C reference':>18} | "
              f"{'clingo fixpoint':>18} | argmap / C | argmap / clingo")
        for n in [int(x) for x in args.sizes.split(",")]:
            iccma, facts = Path(work, f"{n}.af"), Path(work, f"{n}.lp")
            m = write_framework(n, iccma)
            facts_for_clingo(iccma, facts)
            commands = {"argmap": [sys.executable, "-m", "argmap", "af", "solve", str(iccma)],
                        "C": [str(ref), str(iccma)],
                        "clingo": [sys.executable, "-m", "clingo", "--outf=2", str(encoding), str(facts)]}
            runs: dict[str, list[tuple[float, float]]] = {k: [] for k in commands}
            answers = {}
            for _ in range(args.repeat):
                for method, cmd in commands.items():
                    seconds, mb, out = timed(cmd, args.timeout)
                    runs[method].append((seconds, mb))
                    if seconds != float("inf"):
                        answers[method] = answer_of(method, out)
            med = {k: (statistics.median(s for s, _ in v), max(mb for _, mb in v)) for k, v in runs.items()}
            cells = " | ".join(f"{s:>8.3f} s {mb:>6.0f} MB" if s != float("inf") else f"{'killed':>18}"
                               for s, mb in med.values())
            agree = "" if len({tuple(a) for a in answers.values()}) <= 1 else "  ANSWERS DIFFER"
            print(f"{n:>10,} {m:>10,} | {cells} | {med['argmap'][0] / med['C'][0]:>9.1f}x | "
                  f"{med['argmap'][0] / med['clingo'][0]:>13.2f}x{agree}", flush=True)


if __name__ == "__main__":
    main()
