"""Random Argdown files built from every construct of the Argdown guide (relations of all
kinds, nested; continuation lines; premise-conclusion structures with one- and three-line
inference rules; headings, lists, comments, tags, links, mentions, emphasis, escapes,
shortcodes, data, front matter), some with text that Argdown rejects. Seeded: the same
files every run. ``tests/test_argdown_reference.py`` compares argmap's reading of each
with `argdown json`'s."""
import random
from pathlib import Path

R = random.Random(0)
words = ["alpha", "beta", "Gamma", "déjà", "vu", "x", "42", "a.b", "c:d", "e-f", "(g)", "h,i", "j;k", "l!", "m?", "n/o", "p>q", "r<s",
         "*em*", "_it_", "**b**", "__u__", "#tag", "#(long tag)", "@[T1]", "@<A1>", "[lnk](http://u.v/w)", "http://bare.url/x",
         "\\[esc\\]", "\\#h", ".A.", ":->:", "{k: v}", "a_b", "x*y", "--", "+", "-", "<!-- c -->", "/* c */", "// c", "  ", "Ünï", "😀", "\t"]
safe = [w for w in words if w not in ("a_b", "x*y", "{k: v}", "// c", "--", "+", "-", "http://bare.url/x")]
def text(n=None, risky=False):
    pool = words if risky else safe
    return " ".join(R.choice(pool) for _ in range(n or R.randint(1, 6)))
titles = ["T1", "T2", "Title three", "Ünïcode title", "T5", "t6", "x y z"]
args = ["A1", "A2", "Arg three"]
def elem(risky):
    r = R.random()
    if r < 0.35: return f"[{R.choice(titles)}]: {text(risky=risky)}"
    if r < 0.5: return f"[{R.choice(titles)}]"
    if r < 0.6: return f"<{R.choice(args)}>: {text(risky=risky)}"
    if r < 0.7: return f"<{R.choice(args)}>"
    return text(risky=risky)
def cont(risky):
    return "\n" + R.choice(["", "  ", "    ", "\t"]) + text(risky=risky) if R.random() < 0.3 else ""
def relations(depth, indent, risky):
    out = []
    for _ in range(R.randint(1, 3)):
        sym = R.choice(["+", "-", "<+", "<-", "+>", "->", "><", "_", "<_", "_>"])
        e = elem(risky)
        if sym == "><" and e.startswith("<"): e = f"[{R.choice(titles)}]"
        out.append(" " * indent + sym + " " + e + cont(risky))
        if depth < 3 and R.random() < 0.3:
            out.append(relations(depth + 1, indent + R.choice([2, 4]), risky))
    return "\n".join(out)
def pcs(risky):
    lines, n = [], 1
    for _ in range(R.randint(1, 3)):
        lines.append(f"({n}) {elem(False) if R.random()<0.5 else text()}" + cont(risky)); n += 1
    r = R.random()
    if r < 0.3: lines.append("----")
    elif r < 0.6: lines.append("-- " + text() + " --")
    else: lines += ["--", "Rule name {uses: [1, 2]}", "--"]
    lines.append(f"({n}) [{R.choice(titles)}]: {text()}")
    if R.random() < 0.3:
        lines.append("  " + R.choice(["+", "-", "->", "+>"]) + " " + elem(False))
    return "\n".join(lines)
def block(risky):
    r = R.random()
    if r < 0.1: return "#" * R.randint(1, 3) + " " + text()
    if r < 0.25: return f"<{R.choice(args)}>" + (": " + text() if R.random() < 0.5 else "") + "\n\n" + pcs(risky)
    if r < 0.3: return "* " + elem(False) + "\n* " + elem(False)
    if r < 0.35: return "<!-- " + text() + "\n" + text() + " -->"
    s = elem(risky) + cont(risky)
    if R.random() < 0.2: s += " {kind: claim}"
    if R.random() < 0.7: s += "\n" + relations(0, R.choice([2, 4]), risky)
    return s
def doc(risky):
    parts = []
    if R.random() < 0.3: parts.append("===\ntitle: x\n===")
    parts += [block(risky) for _ in range(R.randint(1, 6))]
    return ("\n\n" if R.random() < 0.9 else "\n\n\n").join(parts) + "\n"


def write_corpus(out: Path, count: int, seed: int) -> list[Path]:
    R.seed(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = out / f"g{i:04d}.argdown"
        path.write_text(doc(risky=i % 3 == 0), encoding="utf-8")
        paths.append(path)
    return paths
