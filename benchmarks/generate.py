"""Realistic argument maps of any size, as argmap JSON documents (seeded, so reproducible).

    python benchmarks/generate.py N OUT.json

A thesis with a tree of supports, objections and rebuttals beneath it (three children
per claim), two extra cross-links per claim (about three relations per claim in all),
sources with texts, an exact quote as evidence on about 30% of claims, and a computation
with ranges on 1% of claims (a tenth of them using another computation's result).
"""

import json
import random
import sys
from typing import Any

WORDS = ("data model human token learn evidence scale compute gap prior genome parameter sample "
         "efficiency objection rebuttal claim support attack research lab economy").split()


def sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate(n: int, seed: int = 1, cross_links: float = 2.0) -> dict[str, Any]:
    """cross_links: extra relations per claim besides its tree edge (2 by default; 0.1 reads like a Kialo debate)."""
    rng = random.Random(seed)
    claims, relations, kinds = [], [], []
    pairs: set[tuple[int, int]] = set()

    def relate(a: int, b: int, rtype: str) -> None:
        if a != b and (a, b) not in pairs:
            pairs.add((a, b))
            relations.append({"source": f"c{a}", "target": f"c{b}", "type": rtype})

    for i in range(n):
        if i == 0:
            kind = "thesis"
        else:
            parent = (i - 1) // 3
            roll = rng.random()
            if kinds[parent] == "objection" and roll < 0.6:
                kind, rtype = "rebuttal", "attacks"
            elif roll < 0.55:
                kind, rtype = "claim", "supports"
            else:
                kind, rtype = "objection", "attacks"
            relate(i, parent, rtype)
        kinds.append(kind)
        claims.append({"id": f"c{i}", "text": f"{kind.capitalize()} {i}: {sentence(rng)}", "kind": kind,
                       "base_score": 0.5})
    whole, part = divmod(cross_links, 1)
    for i in range(1, n):
        for _ in range(int(whole) + (1 if part and rng.random() < part else 0)):
            relate(i, rng.randrange(0, i), "supports" if rng.random() < 0.7 else "attacks")
    n_sources = max(1, n // 100)
    sources, texts = [], []
    for s in range(n_sources):
        text = " ".join(sentence(rng, 15) for _ in range(20))
        texts.append(text)
        sources.append({"id": f"src{s}", "title": f"Source {s}", "author": "Generated", "url": f"https://example.org/{s}",
                        "date": "2026", "text": text})
    evidence = []
    for i in range(n):
        if rng.random() < 0.3:
            s = rng.randrange(n_sources)
            sentences = texts[s].split(". ")
            quote = sentences[rng.randrange(len(sentences) - 1)] + "."
            evidence.append({"id": len(evidence) + 1, "claim": f"c{i}", "source": f"src{s}", "quote": quote,
                             "locator": f"sentence {s}"})
    evidence = list({(e["claim"], e["quote"]): e for e in evidence}.values())
    for k, e in enumerate(evidence, start=1):
        e["id"] = k
    computations = []
    for i in range(0, n, 100):
        cid = f"k{i}"
        inputs = [{"name": "rate", "low": 10.0, "high": 30.0, "unit": "tokens/hour", "evidence": None, "from": None,
                   "note": None},
                  {"name": "hours", "low": 1000.0, "high": 2000.0, "unit": "hour", "evidence": None, "from": None,
                   "note": None}]
        formula = "rate * hours"
        if computations and rng.random() < 0.1:
            inputs[1] = {"name": "hours", "low": None, "high": None, "unit": "", "evidence": None,
                         "from": computations[-1]["id"], "note": None}
            formula = "rate * hours / rate"
        computations.append({"id": cid, "claim": f"c{i}", "formula": formula, "unit": "tokens",
                             "description": None, "expect": {"value": 3e4, "unit": "tokens", "tolerance": "factor 2"},
                             "scenarios": {}, "inputs": inputs})
    return {"format": "argmap", "version": 1, "claims": claims, "relations": relations, "sources": sources,
            "evidence": evidence, "computations": computations}


if __name__ == "__main__":
    size, out = int(sys.argv[1]), sys.argv[2]
    with open(out, "w") as f:
        json.dump(generate(size), f)
    print(out)
