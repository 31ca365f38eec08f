"""Every command's output on the demo and on a generated 10k-claim map, written to a folder.

    python scripts/outputs.py OUT_DIR [--stores DIR]

Run it before and after a change and compare with ``diff -r``: a refactoring must leave
every byte the same (stdout, stderr, exit code, written files, and the store's contents
after each command, timestamps aside). The stores are made once in ``--stores`` (the
demo, and ``benchmarks/generate.py 10000`` imported) and each command runs on a fresh copy
of them, so the inputs are the same bytes in both runs.
"""

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = ("json", "argdown", "aif", "graphml", "dot", "mermaid", "markdown", "svg")

DEMO = [
    ["list"], ["list", "--json"], ["list", "--kind", "objection"], ["list", "--kind", "nope"],
    ["show", "evolution-prior"], ["show", "evolution-prior", "--json"], ["show", "data-black-hole", "--json"],
    ["show", "nope"],
    ["status"], ["status", "--json"], ["status", "evolution-prior"], ["status", "evolution-prior", "--json"],
    ["status", "--limit", "5"], ["status", "--semantics", "dfquad"], ["status", "--semantics", "dfquad", "--json"],
    ["status", "--semantics", "preferred", "--json"], ["status", "--semantics", "stable"],
    ["status", "--semantics", "complete", "--json"], ["status", "data-black-hole", "--semantics", "preferred"],
    ["status", "--semantics", "nope"],
    ["source", "list"], ["source", "list", "--json"],
    ["compute", "list"], ["compute", "list", "--json"], ["compute", "show", "c4"], ["compute", "show", "c7", "--json"],
    ["compute", "run"], ["compute", "run", "c2", "--json"], ["compute", "set", "c4", "synapses=1e12"],
    ["compute", "set", "c1", "wph=500..900", "--json"], ["compute", "remove", "c7"], ["compute", "remove", "c1"],
    ["compute", "add", "evolution-prior", "--id", "c9", "--formula", "a * b", "--input", "a=2..3", "words",
     "--input", "b=4", "--unit", "words", "--expect", "9 words", "--tolerance", "factor 2"],
    ["check"], ["check", "--json"],
    *[["export", "--format", f] for f in EXPORTS],
    ["export", "--format", "json", "--focus", "evolution-prior", "--depth", "1"],
    ["export", "--format", "markdown", "--focus", "parameter-scaling", "--depth", "2", "--title", "T"],
    ["export", "--format", "aif", "--out", "FILE"], ["export", "--format", "nope"],
    ["render", "--out", "FILE"], ["render", "--focus", "evolution-prior", "--depth", "1", "--out", "FILE"],
    ["demo", "--out", "FILE"],
    ["af", "export", "--format", "apx"], ["af", "export", "--format", "iccma23"], ["af", "export", "--format", "tgf"],
    ["add", "A new claim here.", "--kind", "thesis"], ["object", "evolution-prior", "Not so.", "--id", "o1"],
    ["rebut", "evolution-prior", "Wrong target."], ["rebut", "genome-too-small", "Yes so."],
    ["support", "data-black-hole", "Indeed."], ["object", "nope", "x"], ["add", ""],
    ["link", "evolution-prior", "data-black-hole", "--attacks"], ["link", "evolution-prior", "evolution-prior", "--supports"],
    ["unlink", "genome-too-small", "evolution-prior"], ["unlink", "data-black-hole", "evolution-prior"],
    ["edit", "evolution-prior", "--base-score", "0.8"], ["edit", "evolution-prior", "--kind", "nope"],
    ["remove", "evolution-prior"], ["remove", "evolution-prior", "--cascade"],
    ["source", "add", "s9", "--title", "A title", "--url", "https://example.org"],
    ["evidence", "add", "evolution-prior", "--source", "s9", "--quote", "Some words."], ["evidence", "remove", "1"],
    ["import", "IMPORT", "--prefix", "copy-"], ["import", "IMPORT"],
]
BIG = [
    ["status"], ["status", "--limit", "0", "--json"], ["status", "c5"], ["status", "--semantics", "dfquad", "--limit", "20"],
    ["list", "--json"], ["show", "c5", "--json"], ["compute", "list", "--json"], ["compute", "run"], ["check"],
    *[["export", "--format", f] for f in EXPORTS if f != "svg"],
    ["export", "--format", "json", "--focus", "c5", "--depth", "2"], ["render", "--out", "FILE"],
    ["render", "--focus", "c5", "--depth", "2", "--out", "FILE"], ["object", "c5", "An objection."],
    ["af", "export", "--format", "iccma23"],
]


def argmap(db: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb", "ARGMAP_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "argmap", *args], cwd=cwd, env=env, capture_output=True)


def dump(db: Path) -> str:
    """The store's rows, table by table, without timestamps (new rows get new ones)."""
    conn = sqlite3.connect(db)
    out = []
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
        keep = [c for c in cols if c not in ("created_at", "updated_at")]
        rows = conn.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in keep)} FROM "{table}" ORDER BY 1').fetchall()
        out.append(f"## {table} {keep}")
        out += [repr(r) for r in rows]
    conn.close()
    return "\n".join(out) + "\n"


def prepare(stores: Path) -> None:
    stores.mkdir(parents=True, exist_ok=True)
    if not (stores / "demo.db").exists():
        argmap(stores / "demo.db", ["demo", "--out", str(stores / "demo.html")], stores)
    if not (stores / "big.db").exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "10000", str(stores / "big.json")],
                       check=True)
        argmap(stores / "big.db", ["import", str(stores / "big.json")], stores)
    if not (stores / "import.json").exists():
        done = argmap(stores / "demo.db", ["export", "--format", "json"], stores)
        (stores / "import.json").write_bytes(done.stdout)


def run_all(name: str, store: Path, commands: list[list[str]], stores: Path, out: Path) -> None:
    for n, args in enumerate(commands):
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            db = work / "argmap.db"
            shutil.copy(store, db)
            file = work / "out.file"
            args = [str(file) if a == "FILE" else str(stores / "import.json") if a == "IMPORT" else a for a in args]
            done = argmap(db, args, work)
            tag = f"{name}-{n:03d}"
            text = (f"$ argmap {' '.join(args)}".replace(str(work), "WORK") + f"\nexit {done.returncode}\n--- stdout\n"
                    + done.stdout.decode("utf-8", "replace").replace(str(work), "WORK")
                    + "--- stderr\n" + done.stderr.decode("utf-8", "replace").replace(str(work), "WORK"))
            (out / f"{tag}.txt").write_text(text, encoding="utf-8")
            if file.exists():
                (out / f"{tag}.file").write_bytes(file.read_bytes())
            (out / f"{tag}.db.txt").write_text(dump(db), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--stores", type=Path, default=Path(tempfile.gettempdir()) / "argmap-output-stores")
    parser.add_argument("--only", choices=("demo", "big"))
    a = parser.parse_args()
    prepare(a.stores)
    a.out.mkdir(parents=True, exist_ok=True)
    if a.only != "big":
        run_all("demo", a.stores / "demo.db", DEMO, a.stores, a.out)
    if a.only != "demo":
        run_all("big", a.stores / "big.db", BIG, a.stores, a.out)
    print(a.out)


if __name__ == "__main__":
    main()
