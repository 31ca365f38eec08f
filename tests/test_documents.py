"""Sources from real documents: text, Markdown, HTML (main text only) and PDF (written here by
fpdf2 with a ligature, curly quotes, a dash and a word hyphenated across lines), quotes found
after one normalisation, a misquote refused with the nearest passage, computed locators, and
every refusal one line with nothing written."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.evidence.documents import read_document
from argmap.evidence.sources import find_quote, locate, nearest, normalise, quote_occurs

FONT = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
PDF_TEXT = ("Models need \ufb01ve times more data than people to reach the same skill. The result is well estab-\n"
            "lished in \u201cscaling\u201d studies \u2014 across many model sizes.\n"
            "A second line of the report about data.")


def write_pdf(path: Path, text: str = PDF_TEXT, title: str = "Scaling laws, a report") -> Path:
    from fpdf import FPDF
    if not FONT.exists():
        pytest.fail("fonts-liberation is missing (bash .ci/run installs it)")
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("Liberation", fname=str(FONT))
    pdf.set_font("Liberation", size=12)
    pdf.set_title(title)
    pdf.multi_cell(0, 8, text)
    pdf.output(str(path))
    return path


HTML = """<!doctype html><html><head><title>Fallback title</title>
<meta property="og:title" content="Data &amp; scaling — a post">
<meta property="article:published_time" content="2026-05-01T10:00:00Z">
<script>var leak = "script text";</script><style>p { color: red }</style></head>
<body><nav><a href="/">Home</a> Navigation menu</nav><header>Site header</header>
<main><article><h1>Scaling</h1><p>Models need <em>five</em> times more data than people.</p>
<p>The e\ufb00ect is well established in \u201cscaling\u201d studies \u2014 see below.</p>
<ul><li>One point.</li><li>Another&nbsp;point.</li></ul></article></main>
<aside>Related posts</aside><footer>Copyright footer</footer></body></html>"""


def test_html_keeps_the_main_text_and_its_title_and_date(tmp_path):
    path = tmp_path / "post.html"
    path.write_text(HTML, encoding="utf-8")
    doc = read_document(path)
    assert doc.kind == "html" and doc.title == "Data & scaling — a post" and doc.date == "2026-05-01T10:00:00Z"
    assert doc.text.split("\n\n") == ["Scaling", "Models need five times more data than people.",
                                      "The e\ufb00ect is well established in \u201cscaling\u201d studies \u2014 see below.",
                                      "One point.", "Another point."]
    for boilerplate in ("script text", "color", "Navigation", "Site header", "Related", "Copyright"):
        assert boilerplate not in doc.text
    import hashlib
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_pdf_quote_is_found_after_normalisation(cli, tmp_path):
    pdf = write_pdf(tmp_path / "report.pdf")
    doc = read_document(pdf)
    assert doc.kind == "pdf" and doc.title == "Scaling laws, a report" and doc.date and doc.date[:4].isdigit()
    cli("add", "Models need more data.", "--id", "c")
    assert cli("source", "add", "report", "--file", str(pdf)).stdout.strip() == "report"
    typed = 'Models need five times more data than people to reach the same skill. The result is well established ' \
            'in "scaling" studies - across many model sizes.'
    cli("evidence", "add", "c", "--source", "report", "--quote", typed)
    ev = json.loads(cli("show", "c", "--json").stdout)["evidence"][0]
    assert ev["quote"] == typed  # kept as the user wrote it
    assert ev["locator"].startswith("paragraph 1, characters 1-")
    # a misquote is refused with the nearest passage in the source's own words
    message = cli.fails("evidence", "add", "c", "--source", "report", "--quote",
                        "The result is well-established in scaling study across many model size")
    assert "quote not found in source 'report'" in message and "nearest passage (" in message
    assert "% alike, paragraph 1, characters" in message and "well estab" in message
    assert len(json.loads(cli("show", "c", "--json").stdout)["evidence"]) == 1


def test_source_files_are_bounded_and_refused_in_one_line(cli, tmp_path, monkeypatch):
    from pypdf import PdfReader, PdfWriter
    plain = write_pdf(tmp_path / "plain.pdf")
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt("secret")
    with open(tmp_path / "locked.pdf", "wb") as out:
        writer.write(out)
    blank = PdfWriter()
    blank.add_blank_page(width=200, height=200)
    with open(tmp_path / "scan.pdf", "wb") as out:
        blank.write(out)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (tmp_path / "empty.md").write_text("  \n")
    (tmp_path / "big.txt").write_text("x" * 2_000)
    for name, message in (("locked.pdf", "is an encrypted PDF"), ("scan.pdf", "has no text layer"),
                          ("broken.pdf", "is not a PDF argmap can read"), ("latin1.txt", "is not UTF-8 text"),
                          ("empty.md", "holds no text"), ("big.txt", "a source file may have up to 1,000"),
                          ("missing.pdf", "cannot read")):
        if name == "big.txt":
            import argmap.evidence.documents as documents
            monkeypatch.setattr(documents, "MAX_FILE", 1_000)
        err = cli.fails("source", "add", "s", "--title", "T", "--file", str(tmp_path / name))
        assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, name
    assert "give --text-file or --file" in cli.fails("source", "add", "s", "--title", "T", "--file", str(plain),
                                                    "--text-file", str(plain))
    assert "no argmap store" in cli.fails("source", "list")  # refused: not even a store was made


def test_markdown_and_text_files_and_a_title_the_file_lacks(cli, tmp_path):
    (tmp_path / "notes.md").write_text("# Notes\n\nPeople learn from \u201cfew\u201d examples.\n", encoding="utf-8")
    assert "needs a title" in cli.fails("source", "add", "notes", "--file", str(tmp_path / "notes.md"))
    cli("source", "add", "notes", "--title", "My notes", "--file", str(tmp_path / "notes.md"))
    cli("add", "People are sample-efficient.", "--id", "p")
    cli("evidence", "add", "p", "--source", "notes", "--quote", 'learn from "few" examples')
    assert json.loads(cli("show", "p", "--json").stdout)["evidence"][0]["locator"] == "paragraph 2, characters 17-41"


def test_normalisation_by_hand():
    text = "The e\ufb03cient hyphen-\nated \u201cquote\u201d \u2014 here, a well-\nknown pair and a soft\u00adhyphen."
    for quote in ('efficient hyphenated "quote" - here', "well-known pair", "softhyphen", "e\ufb03cient"):
        assert quote_occurs(quote, text), quote
    assert not quote_occurs("Efficient", text)  # case is kept
    start, end = find_quote('hyphenated "quote"', text)
    assert text[start:end] == "hyphen-\nated \u201cquote\u201d"
    assert locate("here", text) == f"paragraph 1, characters {text.index('here') + 1}-{text.index('here') + 4}"
    assert nearest("completely unrelated words about bananas", text) is None


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60),
       st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
       st.text(st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_any_passage_of_a_text_is_found_where_it_is(middle, before, after):
    """Whatever the text, a passage cut from it is found (quote_occurs), and find_quote
    points at characters whose normalisation is the passage's."""
    text = before + " " + middle + " " + after
    if not normalise(middle):
        return
    assert quote_occurs(middle, text)
    span = find_quote(middle, text)
    if span is not None:
        assert normalise(middle) in normalise(text[span[0]:span[1] + 1]) or \
            normalise(text[span[0]:span[1]]) == normalise(middle)


def test_reading_a_pdf_is_bounded_in_time(cli, tmp_path, monkeypatch):
    from fpdf import FPDF
    import argmap.evidence.documents as documents
    pdf = FPDF()
    pdf.add_font("Liberation", fname=str(FONT))
    pdf.set_font("Liberation", size=12)
    for n in range(3):
        pdf.add_page()
        pdf.multi_cell(0, 8, f"Page {n + 1} of a long report.")
    pdf.output(str(tmp_path / "long.pdf"))
    assert "Page 3 of a long report." in read_document(tmp_path / "long.pdf").text
    monkeypatch.setattr(documents, "MAX_SECONDS", -1.0)  # every page is past the deadline
    err = cli.fails("source", "add", "s", "--title", "T", "--file", str(tmp_path / "long.pdf"))
    assert "reading its text took more than -1 s (stopped at page 2 of 3)" in err and len(err.strip().splitlines()) == 1
    assert "no argmap store" in cli.fails("source", "list")
