"""Bipolar argumentation: supports that count for the extension semantics too.

Plain Dung semantics see only attacks, so a claim can stand while its only supporter falls.
With ``--bipolar`` argmap adds the complex attacks of Cayrol & Lagasquie-Schiex (ECSQARU
2005), then evaluates the enlarged framework as usual:

- a *supported attack* from a to c: a supports b (directly or through a chain of supports)
  and b attacks c;
- a *secondary attack* from a to c: a attacks b, and b supports c (directly or through a
  chain of supports).

Example: ``a`` supports ``b`` and ``c`` attacks ``a``. Grounded: ``c`` IN, ``a`` OUT, ``b``
IN (nothing attacks it). Bipolar: ``c`` also attacks ``b`` (secondary), so ``b`` is OUT.
"""

from typing import Iterable

from argmap.claims.argument_map import reach

NAME = "bipolar: supported and secondary attacks (Cayrol & Lagasquie-Schiex 2005)"


def complex_attacks(attacks: Iterable[tuple[str, str]], supports: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """The attacks plus every supported and secondary attack (self-attacks left out)."""
    attacks = set(attacks)
    down: dict[str, list[str]] = {}
    up: dict[str, list[str]] = {}
    for a, b in supports:
        down.setdefault(a, []).append(b)
        up.setdefault(b, []).append(a)
    supporters_of: dict[str, set[str]] = {}
    supported_by: dict[str, set[str]] = {}
    out = set(attacks)
    for a, b in attacks:
        if b not in supported_by:
            supported_by[b] = reach([b], down)
        out.update((a, c) for c in supported_by[b])          # secondary: a attacks b, b supports+ c
        if a not in supporters_of:
            supporters_of[a] = reach([a], up)
        out.update((x, b) for x in supporters_of[a])         # supported: x supports+ a, a attacks b
    return {(a, b) for a, b in out if a != b}
