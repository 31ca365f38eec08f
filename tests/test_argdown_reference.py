"""argmap reads Argdown as the Argdown project's own tool does: for every file of a corpus
(hand-written files covering the guide, and seeded random files built from every
construct), the statements, arguments and relations argmap's parser finds equal those of
`argdown json`, and a file Argdown rejects is refused with its line and column."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from argmap.graph.formats.argdown_json import _text, from_model
from argmap.graph.formats.argdown_syntax import ArgdownSyntaxError, parse
from argmap.graph.formats.document import FormatError, load_yaml
from argmap.graph.formats.io import parse_document
from test_formats import argdown_bin

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "helpers"))
from argdown_corpus import write_corpus  # noqa: E402

CORPUS = HERE / "argdown"


def model_of(text: str) -> dict:
    return parse(text, lambda body, offset: load_yaml(body, "t", "data"))


def summary(model: dict) -> tuple:
    """What a reader sees: each statement's member texts and tags, each argument's texts and
    premise-conclusion structure, and the relations (a set: Argdown may list one twice)."""
    statements = {t: [(_text(m), sorted(m.get("tags") or [])) for m in ec["members"]]
                  for t, ec in model["statements"].items()}
    arguments = {t: ([_text(m) for m in a["members"]], [(p["title"], p["role"]) for p in a.get("pcs") or []])
                 for t, a in model["arguments"].items()}
    relations = {(r["from"], r["fromType"], r["to"], r["toType"], r["relationType"]) for r in model["relations"]}
    return statements, arguments, relations, sections(model)


def sections(model: dict) -> tuple:
    """The headings (id, title, level, parent; Argdown writes them as a tree) and the section
    each statement and argument is in: Argdown's groups."""
    flat, todo = [], [(s, None) for s in reversed(model.get("sections") or [])]
    while todo:
        s, parent = todo.pop()
        flat.append((s["id"], s["title"], s["level"], parent or s.get("parent")))
        todo.extend((c, s["id"]) for c in reversed(s.get("children") or []))
    return flat, {("statement", t): x.get("section") for t, x in model["statements"].items()} | {
        ("argument", t): x.get("section") for t, x in model["arguments"].items()}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """Every corpus file and Argdown's JSON for it (None where Argdown rejected the file)."""
    work = tmp_path_factory.mktemp("argdown-corpus")
    files = [work / p.name for p in sorted(CORPUS.glob("*.argdown"))]
    for p, target in zip(sorted(CORPUS.glob("*.argdown")), files):
        target.write_bytes(p.read_bytes())
    files += write_corpus(work, 160, seed=1)
    out = work / "json"
    subprocess.run([argdown_bin(), "json", str(work / "*.argdown"), str(out)], capture_output=True, timeout=300)
    return {p: (json.loads((out / (p.stem + ".json")).read_text()) if (out / (p.stem + ".json")).exists() else None)
            for p in files}


def test_the_corpus_exercises_every_construct(reference):
    texts = "\n".join(p.read_text() for p in reference)
    for construct in ("\n  + ", "\n  - ", "<+ ", "<- ", "+> ", "-> ", ">< ", "_> ", "<_ ", "\n--\n", "-- ", "----",
                      "<!--", "/*", "//", "#(", "@[", "@<", "](http", "**", "__", "\\[", ".A.", ":->:",
                      "===", "{uses:", "\n* ", "\n1. ", "\n# ", "\n## "):
        assert construct in texts, construct
    accepted = [p for p, data in reference.items() if data is not None]
    assert len(accepted) > 50 and len(accepted) < len(reference)  # both kinds are tested


def test_argmap_reads_every_file_as_argdown_does(reference):
    for path, theirs in reference.items():
        text = path.read_bytes().decode("utf-8")
        if theirs is None:
            with pytest.raises(ArgdownSyntaxError):
                model_of(text)
            continue
        ours = model_of(text)
        assert summary(ours) == summary(theirs), path.name
        mine, other = from_model(ours, "x"), from_model(theirs, "x")
        assert (mine.claims, sorted(map(str, mine.relations))) == (other.claims, sorted(map(str, other.relations)))
        assert mine.groups == other.groups, path.name


def test_a_rejected_file_is_refused_with_line_and_column(reference):
    rejected = [p for p, data in reference.items() if data is None]
    for path in rejected:
        with pytest.raises(FormatError, match=r"line \d+, column \d+: expected"):
            parse_document(path.read_text(), "argdown", path.name)


def test_guide_files_import_with_titles_arguments_and_whitespace_kept():
    doc = parse_document((CORPUS / "titles.argdown").read_text(), "argdown", "titles.argdown")
    claims = {c["id"]: c for c in doc.claims}
    assert claims["deja-vu-title-with-spaces"]["title"] == "Déjà vu: a title with spaces"
    assert claims["deja-vu-title-with-spaces"]["text"] == "Un texte en français, avec des accents."
    doc = parse_document((CORPUS / "continuation.argdown").read_text(), "argdown", "c.argdown")
    claims = {c.get("title", c["id"]): c for c in doc.claims}
    assert claims["Long claim"]["text"] == ("A statement whose text is wrapped over several lines, with "
                                            "indentation that Argdown ignores.")
    assert claims["Long claim"]["kind"] == "thesis"
    assert claims["Objection arg"]["kind"] == "argument"
    doc = parse_document("[A]: two  spaces  kept\n", "argdown", "w.argdown")
    assert doc.claims[0]["text"] == "two  spaces  kept"


def test_undercuts_attack_the_argument_not_its_conclusion():
    doc = parse_document((CORPUS / "undercuts.argdown").read_text(), "argdown", "u.argdown")
    rel = {(r["source"], r["target"], r["type"]) for r in doc.relations}
    kinds = {c["id"]: c.get("kind") for c in doc.claims}
    assert kinds["Main"] == "argument" and kinds["Undercutting"] == "argument"
    assert ("Undercutting", "Main", "attacks") in rel and ("undercut-statement", "Main", "attacks") in rel
    assert ("Main", "Conclusion", "supports") in rel
    assert ("premise-one", "Main", "supports") in rel and ("premise-two", "Main", "supports") in rel
    assert not any(t == "Conclusion" and ty == "attacks" for _, t, ty in rel)
