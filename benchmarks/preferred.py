"""Preferred extensions of a framework with many large extensions: argmap against clingo run
directly on the same encoding, whole process, in one run.

    python benchmarks/preferred.py [--args 10000] [--pairs 10] [--repeat 3]

The framework: ``pairs`` mutual attacks (2**pairs preferred extensions), and every other
argument attacked by one side of one pair, so each extension holds about half the arguments
(10,000 arguments, 10 pairs: 1,024 extensions of ~5,000 arguments). The reference is
``python -m clingo`` on argmap's own ASPARTIX program and facts, its models read from a pipe
(and, apart, written to /dev/null: clingo's own floor); argmap is ``argmap af solve FILE --semantics preferred``, which also
writes every extension out. The answers are compared (counts of extensions).
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def framework(n: int, pairs: int) -> tuple[str, list[tuple[int, int]]]:
    attacks = []
    for p in range(pairs):
        a, b = 2 * p, 2 * p + 1
        attacks += [(a, b), (b, a)]
    for k in range(2 * pairs, n):
        attacks.append((k % (2 * pairs), k))
    lines = [f"p af {n}"] + [f"{a + 1} {b + 1}" for a, b in attacks]  # ICCMA'23: arguments 1..n
    return "\n".join(lines) + "\n", attacks


def timed(cmd: list[str], stdin: bytes = b"") -> tuple[float, bytes]:
    start = time.perf_counter()
    done = subprocess.run(cmd, input=stdin, capture_output=True, check=False)
    return time.perf_counter() - start, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--args", type=int, default=10_000)
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    opts = parser.parse_args()
    from argmap.graph.semantics.asp import PROGRAMS, facts
    text, attacks = framework(opts.args, opts.pairs)
    program = (PROGRAMS["preferred"] + facts(opts.args, attacks)).encode()
    clingo = [sys.executable, "-m", "clingo", "--models=0", "--heuristic=Domain", "--enum-mode=domRec", "--verbose=0"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.i23"
        path.write_text(text)
        argmap = [sys.executable, "-m", "argmap.cli", "af", "solve", str(path), "--semantics", "preferred",
                  "--timeout", "600"]
        ours, ref, quiet = [], [], []
        for _ in range(opts.repeat):  # alternating, so that all see the same machine
            t, out_ref = timed(clingo, program)
            ref.append(t)
            start = time.perf_counter()
            subprocess.run(clingo, input=program, stdout=subprocess.DEVNULL, check=False)
            quiet.append(time.perf_counter() - start)
            t, out_ours = timed(argmap)
            ours.append(t)
        n_ref = out_ref.decode().count("\n") - 1  # a line per model, then SATISFIABLE
        n_ours = out_ours.decode().count("\n")  # one "w" line per extension
    print(f"{opts.args} arguments, {len(attacks)} attacks, {2 ** opts.pairs} extensions expected")
    print(f"clingo directly (same encoding), models read from a pipe: {statistics.median(ref):.2f} s, {n_ref} models")
    print(f"clingo directly, models written to /dev/null: {statistics.median(quiet):.2f} s")
    print(f"argmap af solve --semantics preferred: {statistics.median(ours):.2f} s, {n_ours} extensions")
    print(f"ratio: {statistics.median(ours) / statistics.median(ref):.2f}x to the first, "
          f"{statistics.median(ours) / statistics.median(quiet):.2f}x to the second (medians of {opts.repeat})")


if __name__ == "__main__":
    main()
