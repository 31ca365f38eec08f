"""Importers on inputs that used to make them slow: time as the input doubles.

    python benchmarks/importers.py [--sizes 1000,2000,4000,8000]

Each family is a shape that was once quadratic or exponential (tests/test_hardening.py
holds the same shapes to a count of work): AIF conflict nodes chained two by two, AIF
claims whose ids slug alike, Argdown titles that slug alike, Kialo texts of many lines.
Each run is a fresh process (the whole import, file reading included); linear work shows
as a time that doubles with the size.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))


def families() -> dict:
    from shapes import aif_chain, aif_conflicts, argdown_alike, kialo_lines
    return {"aif chained conflicts (layers)": ("aif", lambda n: aif_chain(max(2, n // 100))),
            "aif claims with alike ids": ("aif", aif_conflicts),
            "argdown alike titles": ("argdown", argdown_alike),
            "kialo continuation lines": ("kialo", lambda n: kialo_lines(n * 10))}  # refused past 2,000 lines


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="2000,4000,8000,16000")
    args = p.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    print(f"python {sys.version.split()[0]}; seconds per import (parse, validate, write) in a fresh process")
    print(f"{'family':<34}" + "".join(f"{n:>10,}" for n in sizes))
    with tempfile.TemporaryDirectory() as work:
        for name, (fmt, make) in families().items():
            row = f"{name:<34}"
            for n in sizes:
                path = Path(work, f"in.{fmt}")
                path.write_text(make(n), encoding="utf-8")
                db = Path(work, f"{n}.db")
                t0 = time.perf_counter()
                done = subprocess.run([sys.executable, "-m", "argmap", "--db", str(db), "import", str(path),
                                       "--format", fmt], capture_output=True, text=True, cwd=work,
                                      env={**os.environ, "PYTHONPATH": str(ROOT)})
                seconds = time.perf_counter() - t0
                row += f"{seconds:9.2f}s" if done.returncode == 0 else f"{seconds:8.2f}s*"
                db.unlink(missing_ok=True)
            print(row, flush=True)
    print("* refused, with one error line (a text over 20,000 characters, chains deeper than 200): "
          "the time to refuse")


if __name__ == "__main__":
    main()
