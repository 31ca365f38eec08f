"""Solving a framework read from a file: the library side of ``argmap af solve``."""

from typing import Optional, Sequence

from argmap.errors import InvalidInput
from argmap.graph.semantics.grounded import grounded_names

SOLVABLE = ("grounded", "preferred", "stable", "complete")


def _key(name: str) -> tuple:
    return (0, int(name), "") if name.isdigit() else (1, 0, name)


def solve_text(text: str, fmt: Optional[str], name: str, semantics: str,
               timeout: float = 30.0) -> tuple[list[list[str]], bool]:
    """Extensions of a framework file. Grounded semantics on an ICCMA'23 file goes straight
    from the numbers to the labelling (numpy throughout); everything else through ``parse``."""
    from argmap.graph.formats.iccma import guess_format, numeric_iccma23, parse
    if semantics == "grounded" and (fmt or guess_format(text, name)) == "iccma23":
        af = numeric_iccma23(text)
        if af is not None:
            import numpy as np
            from argmap.graph.semantics.grounded import LABEL_IN, grounded
            return [[str(i) for i in (np.flatnonzero(grounded(af) == LABEL_IN) + 1).tolist()]], False
    args, attacks = parse(text, fmt, name)
    return solve_framework(args, attacks, semantics, timeout)


def solve_framework(args: Sequence[str], attacks: Sequence[tuple[str, str]], semantics: str,
                    timeout: float = 30.0) -> tuple[list[list[str]], bool]:
    """Extensions (each sorted, numbers numerically) and whether the time limit was hit."""
    if semantics not in SOLVABLE:
        raise InvalidInput(f"unknown semantics {semantics!r}: use one of {', '.join(SOLVABLE)}")
    if semantics == "grounded":
        labels = grounded_names(list(args), attacks)
        return [sorted((a for a, lab in labels.items() if lab == "IN"), key=_key)], False
    from argmap.graph.semantics.asp import solve
    names = list(dict.fromkeys(args))
    index = {name: i for i, name in enumerate(names)}
    pairs = sorted({(index[a], index[b]) for a, b in attacks})
    ranked = sorted(range(len(names)), key=lambda i: _key(names[i]))  # the order answers are written in
    rank = [0] * len(names)
    for r, i in enumerate(ranked):
        rank[i] = r
    solved = solve(len(names), pairs, semantics, timeout)
    exts = sorted(sorted(rank[i] for i in ext) for ext in solved.extensions)  # integers: no key per name
    return [[names[ranked[r]] for r in ext] for ext in exts], solved.timed_out
