"""Preferred, stable and complete semantics through clingo, with the ASPARTIX encodings.

The logic programs below are the standard ASPARTIX encodings for Dung frameworks (TU Wien,
https://www.dbai.tuwien.ac.at/research/argumentation/aspartix/dung.html), restated here;
preferred extensions use ASPARTIX-V's domain heuristic (subset-maximal complete
extensions with ``--heuristic=Domain --enum-mode=domRec``). Arguments are passed to
clingo as integers, never as user text. Every solve has a time limit; when it is hit the
answer says so and keeps what was found.
"""

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

import networkx as nx

from argmap.errors import InvalidInput

CONFLICT_FREE = """
in(X) :- not out(X), arg(X).
out(X) :- not in(X), arg(X).
:- in(X), in(Y), att(X,Y).
"""
DEFEATED = "defeated(X) :- in(Y), att(Y,X).\n"
NOT_DEFENDED = "not_defended(X) :- att(Y,X), not defeated(Y).\n"
ADMISSIBLE = CONFLICT_FREE + DEFEATED + NOT_DEFENDED + ":- in(X), not_defended(X).\n"
COMPLETE = ADMISSIBLE + ":- out(X), not not_defended(X).\n"
STABLE = CONFLICT_FREE + DEFEATED + ":- out(X), not defeated(X).\n"
PREFERRED = COMPLETE + "#heuristic in(X) : arg(X). [1,true]\n"
# ASPARTIX's grounded encoding: an order on the arguments, then "defended up to" along it.
GROUNDED = """
lt(X,Y) :- arg(X), arg(Y), X<Y.
nsucc(X,Z) :- lt(X,Y), lt(Y,Z).
succ(X,Y) :- lt(X,Y), not nsucc(X,Y).
ninf(X) :- lt(Y,X).
nsup(X) :- lt(X,Y).
inf(X) :- not ninf(X), arg(X).
sup(X) :- not nsup(X), arg(X).
defended_upto(X,Y) :- inf(Y), arg(X), not att(Y,X).
defended_upto(X,Y) :- inf(Y), in(Z), att(Z,Y), att(Y,X).
defended_upto(X,Y) :- succ(Z,Y), defended_upto(X,Z), not att(Y,X).
defended_upto(X,Y) :- succ(Z,Y), defended_upto(X,Z), in(V), att(V,Y), att(Y,X).
defended(X) :- sup(Y), defended_upto(X,Y).
in(X) :- defended(X).
"""
# The same least fixpoint as one positive rule: linear to ground (used to cross-check).
GROUNDED_FIXPOINT = """
in(X) :- arg(X), defeated(Y) : att(Y,X).
defeated(X) :- in(Y), att(Y,X).
"""
PROGRAMS = {"admissible": ADMISSIBLE, "complete": COMPLETE, "stable": STABLE, "preferred": PREFERRED,
            "grounded": GROUNDED, "grounded-fixpoint": GROUNDED_FIXPOINT}


@dataclass
class Solved:
    extensions: list[list[int]] = field(default_factory=list)
    timed_out: bool = False
    seconds: float = 0.0


def facts(n: int, attacks: Sequence[tuple[int, int]]) -> str:
    parts = [f"arg({i})." for i in range(n)]
    parts += [f"att({a},{b})." for a, b in attacks]
    return "\n".join(parts) + "\n#show in/1.\n"


IN_PROCESS_UP_TO = 5_000  # arguments + attacks: beyond, clingo runs in a child process


def solve(n: int, attacks: Sequence[tuple[int, int]], semantics: str, timeout: float = 30.0,
          limit: int = 0, extra: str = "", clock: Callable[[], float] = time.perf_counter) -> Solved:
    """Extensions (as lists of argument indices) under ``semantics``; ``limit`` 0 means all.

    The time limit covers grounding too. A small framework is solved in this process (it
    grounds in milliseconds, and the search can be cancelled). A larger one is solved by
    clingo in a child process (``python -m clingo``): its models come back as a line of text
    each, parsed at once instead of a Python call per atom, and a child can be stopped at any
    moment: interrupted first (it then prints what it found), killed a second later if still
    busy (grounding does not listen)."""
    if semantics not in PROGRAMS:
        raise InvalidInput(f"unknown semantics {semantics!r}")
    args = [f"--models={limit}"]
    if semantics == "preferred":
        args += ["--heuristic=Domain", "--enum-mode=domRec"]
    program = PROGRAMS[semantics] + extra + facts(n, attacks)
    start = clock()
    result = Solved()
    remaining = timeout - (clock() - start)
    if remaining <= 0:
        result.timed_out = True
    elif n + len(attacks) <= IN_PROCESS_UP_TO:
        result.extensions, result.timed_out = _solve_here(args, program, timeout - (clock() - start))
    else:
        result.extensions, result.timed_out = _solve_in_child(args, program, remaining)
    result.seconds = clock() - start
    return result


def _solve_here(args: list[str], program: str, remaining: float) -> tuple[list[list[int]], bool]:
    import clingo
    ctl = clingo.Control(args, logger=lambda _code, _msg: None, message_limit=0)
    ctl.add("base", [], program)
    ctl.ground([("base", [])])
    found: list[list[int]] = []

    def on_model(model: Any) -> None:
        found.append(sorted(s.arguments[0].number for s in model.symbols(shown=True) if s.name == "in"))

    with ctl.solve(on_model=on_model, async_=True) as handle:
        if not handle.wait(max(remaining, 0.0)):
            handle.cancel()
            handle.get()
            return found, True
        handle.get()
    return found, False


def _solve_in_child(args: list[str], program: str, remaining: float) -> tuple[list[list[int]], bool]:
    import signal
    import subprocess
    import sys
    import tempfile
    # files, not pipes: a pipe would hand over a million models a few bytes at a time
    with tempfile.TemporaryDirectory(prefix="argmap-clingo-") as tmp:
        source, answer = Path(tmp) / "program.lp", Path(tmp) / "models.txt"
        source.write_text(program, encoding="ascii")
        with open(answer, "wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "clingo", *args, "--outf=2", str(source)],
                                    stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.DEVNULL)
            stopped = False
            try:
                proc.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                stopped = True
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=1.0)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        models, finished = parse_models(answer.read_bytes())
    return models, stopped or not finished


def parse_models(out: bytes) -> tuple[list[list[int]], bool]:
    """The extensions in clingo's JSON output (``--outf=2``: its text output writes atom by
    atom, three times slower into a file), and whether the search finished. Read with
    patterns, not a JSON parser, so that the output of a stopped child still gives every
    model it completed."""
    import re

    import numpy as np
    models = []
    for block in re.findall(rb'"Value": \[([^\]]*)\]', out):  # '"in(0)", "in(3)"' -> '0,3': numbers parsed in C
        digits = block.translate(None, b'in()" \n\r\t')
        models.append(np.sort(np.fromstring(digits, dtype=np.int64, sep=",")).tolist() if digits else [])
    return models, b'"More": "no"' in out


def _indexed(af: nx.DiGraph) -> tuple[list[str], list[tuple[int, int]]]:
    names = sorted(af.nodes)
    index = {name: i for i, name in enumerate(names)}
    return names, [(index[a], index[b]) for a, b in af.edges]


def extensions(af: nx.DiGraph, semantics: str, timeout: float = 30.0, limit: int = 0) -> tuple[list[list[str]], bool]:
    """Extensions of an attack graph, as sorted lists of node names, and whether the time limit was hit."""
    names, attacks = _indexed(af)
    solved = solve(len(names), attacks, semantics, timeout, limit)
    exts = sorted(sorted(names[i] for i in ext) for ext in solved.extensions)
    return exts, solved.timed_out


def credulous(af: nx.DiGraph, node: str, semantics: str, timeout: float = 30.0) -> Optional[bool]:
    """Is ``node`` in at least one extension? None when the time limit is hit."""
    names, attacks = _indexed(af)
    i = names.index(node)
    sem = "admissible" if semantics == "preferred" else semantics  # same credulous answers
    solved = solve(len(names), attacks, sem, timeout, 1, extra=f":- not in({i}).\n")
    if solved.extensions:
        return True
    return None if solved.timed_out else False


def sceptical(af: nx.DiGraph, node: str, semantics: str, timeout: float = 30.0) -> Optional[bool]:
    """Is ``node`` in every extension? None when the time limit is hit."""
    names, attacks = _indexed(af)
    i = names.index(node)
    if semantics in ("stable", "complete"):
        if semantics == "complete":  # the grounded extension is the least complete one
            from argmap.graph.semantics.grounded import grounded_names
            return grounded_names(names, af.edges)[node] == "IN"
        solved = solve(len(names), attacks, "stable", timeout, 1, extra=f":- in({i}).\n")
        if solved.extensions:
            return False
        return None if solved.timed_out else True
    solved = solve(len(names), attacks, semantics, timeout, 0)
    if any(i not in ext for ext in solved.extensions):
        return False
    return None if solved.timed_out else True


def acceptance_table(af: nx.DiGraph, semantics: str, timeout: float = 30.0) -> dict[str, Any]:
    """Every argument: accepted sceptically, credulously, or not at all (from all extensions)."""
    names, attacks = _indexed(af)
    solved = solve(len(names), attacks, semantics, timeout)
    timed_out = solved.timed_out
    seen = [0] * len(names)  # in how many extensions each argument is
    for ext in solved.extensions:
        for i in ext:
            seen[i] += 1
    total = len(solved.extensions)
    exts = sorted(sorted(names[i] for i in ext) for ext in solved.extensions)
    claims = {}
    for i, n in enumerate(names):
        in_some, in_all = seen[i] > 0, total > 0 and seen[i] == total
        if timed_out:
            label = "credulous" if in_some else "unknown"
            if in_all and in_some:
                label = "credulous (sceptical unknown)"
        elif not total:
            label = "no extension"
        else:
            label = "sceptical" if in_all else "credulous" if in_some else "rejected"
        claims[n] = {"label": label, "credulous": in_some if (in_some or not timed_out) else None,
                     "sceptical": (in_all if not timed_out else (False if not in_all and total else None))}
    return {"extensions": exts, "timed_out": timed_out, "timeout": timeout, "claims": claims}
