"""Loaders, front matter, metadata inference and sidecars."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest.documents import BlockKind, Classification, DocType, ParsedDocument
from ingest.frontmatter import split_front_matter
from ingest.loaders import LoadError, load_file
from ingest.metadata import SidecarError, build_meta, infer_doc_type, load_sidecar, parse_date
from ingest.text_blocks import text_to_blocks

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-09-16", dt.date(2025, 9, 16)),
        ("2025-09-16 (meeting date)", dt.date(2025, 9, 16)),
        ("Last updated: 1 October 2025", dt.date(2025, 10, 1)),
        ("Date: 10 September 2025", dt.date(2025, 9, 10)),
        ("November 5th 2025", dt.date(2025, 11, 5)),
        ("05/11/2025", dt.date(2025, 11, 5)),
        ("2021 (report year 2020-21)", dt.date(2021, 1, 1)),
        ("not shown; after 13 November 2025", dt.date(2025, 11, 13)),
        ("June 2025", dt.date(2025, 6, 1)),
        ("undated web page", None),
        ("", None),
        ("31 February 2025", dt.date(2025, 2, 1)),  # impossible day: falls back to the month
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("header", "fields"),
    [
        ('---\ntitle: "A: B"\ndate: 2025-09-16\n---\nbody', {"title": "A: B", "date": "2025-09-16"}),
        (
            "---\ntitle: broken: yaml: here\nsource: http://x\n---\nbody",
            {"title": "broken: yaml: here", "source": "http://x"},
        ),
        ("no header here", {}),
        ("---\nclassification: exempt\n---\n", {"classification": "exempt"}),
    ],
)
def test_front_matter(header: str, fields: dict[str, str]) -> None:
    got, _ = split_front_matter(header)
    assert got == fields


def test_text_blocks_headings_tables_lists_and_joined_lines() -> None:
    text = (
        "# Summary\n\nFirst line of a paragraph that was\nbroken across lines.\n\n"
        "Term\tMeaning\nDfE\tDepartment for Education\n\n- one item\n- another item\n\n"
        "2022-2023 Complaints\nSocial Care Teams received a total of 118 complaints during the 2022/23 year.\n"
    )
    blocks = list(text_to_blocks(text))
    kinds = [b.kind for b in blocks]
    assert blocks[0] == blocks[0].__class__("Summary", BlockKind.HEADING, 1, None)
    assert blocks[1].text == "First line of a paragraph that was broken across lines."
    assert (
        BlockKind.TABLE in kinds
        and "DfE | Department for Education" in blocks[kinds.index(BlockKind.TABLE)].text
    )
    assert [b.text for b in blocks if b.kind == BlockKind.LIST] == ["one item", "another item"]
    assert any(b.kind == BlockKind.HEADING and b.text == "2022-2023 Complaints" for b in blocks)


def test_markdown_inline_html_is_stripped(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text("Published on July 29<sup>th</sup> and **bold**.\n", encoding="utf-8")
    assert load_file(f).blocks[0].text == "Published on July 29th and bold."


def test_html_strips_navigation(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(
        "<html><head><title>Cabinet minutes</title><meta name='DC.date' content='2024-03-01'></head><body>"
        "<nav><a href='/'>Home</a> Menu item</nav><div class='breadcrumb'>You are here</div>"
        "<div id='modgov'><h1>Minutes</h1><p>The committee noted the report.</p>"
        "<table><tr><th>Year</th><th>Complaints</th></tr><tr><td>2023/24</td><td>117</td></tr></table></div>"
        "<footer>Cookie settings</footer><script>alert(1)</script></body></html>",
        encoding="utf-8",
    )
    doc = load_file(f)
    text = "\n".join(b.text for b in doc.blocks)
    assert "The committee noted the report." in text and "2023/24 | 117" in text
    for noise in ("Menu item", "You are here", "Cookie settings", "alert"):
        assert noise not in text
    assert doc.front_matter["title"] == "Cabinet minutes" and doc.front_matter["date"] == "2024-03-01"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", b"", "empty file"),
        ("notes.xyz", b"hello", "unsupported file type '.xyz'"),
        ("latin1.txt", "caf\xe9 report".encode("latin-1"), "not UTF-8"),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "corrupt or unreadable PDF"),
        ("broken.docx", b"PK\x03\x04 not a zip", "corrupt or unreadable DOCX"),
    ],
)
def test_bad_files_give_one_line_reasons(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(LoadError) as err:
        load_file(f)
    assert reason in str(err.value)
    assert "\n" not in str(err.value)


def test_oversized_file_refused(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_bytes(b"a" * 2000)
    with pytest.raises(LoadError, match="over the"):
        load_file(f, max_bytes=1000)


def test_encrypted_pdf_refused(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.encrypt(user_password="secret", owner_password="owner")
    f = tmp_path / "locked.pdf"
    with open(f, "wb") as fh:
        w.write(fh)
    with pytest.raises(LoadError, match="encrypted"):
        load_file(f)


def test_pdf_pages_kept() -> None:
    doc = load_file(CORPUS / "formats" / "bury-cabinet-2025-09-10-ofsted-standard-inspection-report.pdf")
    assert doc.page_count and doc.page_count >= 3
    window = [b for b in doc.blocks if "December 2027" in b.text]
    assert window and all(b.page and b.page >= 2 for b in window)


def test_docx_headings_and_tables() -> None:
    doc = load_file(CORPUS / "formats" / "bury-cabinet-2025-09-10-ofsted-standard-inspection-report.docx")
    assert any(b.kind == BlockKind.HEADING and "Next Steps" in b.text for b in doc.blocks)
    assert any(b.kind == BlockKind.TABLE and "Department for Education" in b.text for b in doc.blocks)


@pytest.mark.parametrize(
    ("path", "title", "publisher", "expected"),
    [
        (
            "public/bexley-childrens-services-annual-complaints-report-2022-23.md",
            "Complaints report",
            "",
            DocType.COMPLAINTS_REPORT,
        ),
        (
            "public/ofsted-bcp-monitoring-visit-letters-2022.md",
            "Ofsted monitoring visit letters",
            "Ofsted",
            DocType.MONITORING_LETTER,
        ),
        (
            "public/ofsted-leeds-sif-inspection-2015-report.md",
            "Inspection of services",
            "Ofsted",
            DocType.INSPECTION_REPORT,
        ),
        (
            "public/bury-cyp-scrutiny-2022-11-24-agenda-and-minutes.md",
            "Agenda and minutes",
            "Bury Council",
            DocType.SCRUTINY_MINUTES,
        ),
        ("seeds/bury-cabinet-2025-09-10-report.md", "Ofsted Standard Inspection", "", DocType.CABINET_REPORT),
        ("public/ofsted-ilacs-framework-2024.md", "Guidance: ILACS framework", "Ofsted", DocType.GUIDANCE),
        ("misc/notes.md", "Random notes", "", DocType.OTHER),
    ],
)
def test_doc_type_rules(path: str, title: str, publisher: str, expected: DocType) -> None:
    assert infer_doc_type(path, title, publisher) == expected


def test_metadata_from_front_matter_and_sidecar_override() -> None:
    parsed = ParsedDocument(
        blocks=[],
        front_matter={
            "title": "Issue - meetings: X — Cabinet 07/09/2022",
            "date": "2022-09-07",
            "publisher": "Bury Council (councildecisions.bury.gov.uk, Modern.gov)",
            "source": "https://example.org/x",
        },
    )
    meta = build_meta(parsed, "public/x.md", "h" * 64)
    assert (meta.council, meta.body, meta.date, meta.source_url) == (
        "Bury Council",
        "Cabinet",
        dt.date(2022, 9, 7),
        "https://example.org/x",
    )
    assert meta.classification == Classification.OPEN
    over = build_meta(
        parsed,
        "public/x.md",
        "h" * 64,
        {"classification": "exempt", "date": "2023-01-02", "doc_type": "guidance", "body": "Board"},
    )
    assert (over.classification, over.date, over.doc_type, over.body) == (
        Classification.EXEMPT,
        dt.date(2023, 1, 2),
        DocType.GUIDANCE,
        "Board",
    )


@pytest.mark.parametrize("value", ["exempt", "Part B", "confidential", "restricted"])
def test_unknown_classification_fails_closed(value: str) -> None:
    parsed = ParsedDocument(blocks=[], front_matter={"classification": value})
    assert build_meta(parsed, "x.md", "h").classification == Classification.EXEMPT


def test_bad_sidecar_reported(tmp_path: Path) -> None:
    (tmp_path / "metadata.yaml").write_text("files:\n  a.md:\n    colour: blue\n", encoding="utf-8")
    with pytest.raises(SidecarError, match="unknown field"):
        load_sidecar(tmp_path)
    (tmp_path / "metadata.yaml").write_text("files: [1, 2\n", encoding="utf-8")
    with pytest.raises(SidecarError, match="not valid YAML"):
        load_sidecar(tmp_path)


def test_bundled_sidecar_sets_seed_fields() -> None:
    entries = load_sidecar(CORPUS)
    seed = entries["seeds/bury-cabinet-2025-09-10-ofsted-standard-inspection-report.md"]
    assert seed["body"] == "Cabinet" and seed["date"] == "2025-09-10"
