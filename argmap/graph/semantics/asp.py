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


def solve(n: int, attacks: Sequence[tuple[int, int]], semantics: str, timeout: float = 30.0,
          limit: int = 0, extra: str = "", clock: Callable[[], float] = time.perf_counter) -> Solved:
    """Extensions (as lists of argument indices) under ``semantics``; ``limit`` 0 means all.

    The time limit covers grounding too: when grounding has used it up (always so for a
    limit of 0), the search is not started and the answer says the limit was hit."""
    import clingo
    if semantics not in PROGRAMS:
        raise InvalidInput(f"unknown semantics {semantics!r}")
    args = [f"--models={limit}"]
    if semantics == "preferred":
        args += ["--heuristic=Domain", "--enum-mode=domRec"]
    start = clock()
    ctl = clingo.Control(args, logger=lambda _code, _msg: None, message_limit=0)
    ctl.add("base", [], PROGRAMS[semantics] + extra + facts(n, attacks))
    ctl.ground([("base", [])])
    result = Solved()

    def on_model(model: Any) -> None:
        result.extensions.append(sorted(s.arguments[0].number for s in model.symbols(shown=True) if s.name == "in"))

    remaining = timeout - (clock() - start)
    if remaining <= 0:
        result.timed_out = True
    else:
        with ctl.solve(on_model=on_model, async_=True) as handle:
            if not handle.wait(remaining):
                handle.cancel()
                result.timed_out = True
            handle.get()
    result.seconds = clock() - start
    return result


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
    exts, timed_out = extensions(af, semantics, timeout)
    sets = [set(e) for e in exts]
    claims = {}
    for n in af.nodes:
        in_some = any(n in s for s in sets)
        in_all = bool(sets) and all(n in s for s in sets)
        if timed_out:
            label = "credulous" if in_some else "unknown"
            if in_all and in_some:
                label = "credulous (sceptical unknown)"
        elif not sets:
            label = "no extension"
        else:
            label = "sceptical" if in_all else "credulous" if in_some else "rejected"
        claims[n] = {"label": label, "credulous": in_some if (in_some or not timed_out) else None,
                     "sceptical": (in_all if not timed_out else (False if not in_all and sets else None))}
    return {"extensions": exts, "timed_out": timed_out, "timeout": timeout, "claims": claims}
